// Forwarding benchmark (issue 3, section 5): the whole data-plane graph of one worker
// (ethernet-input, ip4/ip6-input, lookup, rewrite, interface-output) on 64-byte packets with
// random destinations, FIBs of 1k, 100k and 1.2M IPv4 prefixes and 250k IPv6 prefixes
// (bench/fib_tables.h: the prefix-length mix of performance-anchors 3c), 500 next hops.
//
// Traffic comes from GeneratorPort, an in-memory port whose Rx writes a frame template with the
// next destination of a 1M-key stream (keys inside random table prefixes) and patches the IPv4
// checksum, as a NIC would have written the frame; its cost is part of the figures. Transmit is
// a sink. The worker is driven by Worker::Poll() (one turn: receive 256, run the graph, send).
//
// Prints, medians of RUNS:
//   BENCH fwd-ip4-1k|100k|full, fwd-ip6-250k  <Mpps> Mpps   (the benchmark thread's CPU time)
//   BENCH fwd-...-cycles <n> cycles/packet   (the same CPU time in TSC cycles, rdtsc-calibrated)
//   BENCH fwd-ip4-full-2w <Mpps> Mpps  two workers on two threads (wall time, both together),
//   BENCH fwd-ip4-full-2w-scaling <x> x  against the one-worker fwd-ip4-full figure.
//
// Thread: main (and one thread per worker for the 2-worker figure).
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_registry.h"
#include "dp/punt.h"
#include "dp/tables.h"
#include "dp/testing/fib_slots.h"
#include "dp/worker.h"
#include "fib_tables.h"
#include "io/port.h"
#include "packet/headers.h"

namespace sabina::bench {
namespace {

constexpr uint32_t kNextHops = 500;
constexpr size_t kKeys = 1 << 20;
constexpr uint64_t kPacketsPerRun = 4'000'000;

const packet::MacAddr kRxMac = packet::MacAddr::FromU64(0x020000000001);
const packet::MacAddr kTxMac = packet::MacAddr::FromU64(0x020000000101);

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Receives generated frames forever (none without keys: the transmit side); transmits into
// nothing.
class GeneratorPort final : public io::Port {
 public:
  GeneratorPort(uint32_t queues, bool v6, const void* keys, size_t key_count)
      : Port("generator", queues), v6_(v6), keys_(keys), key_count_(key_count), cursor_(queues) {
    for (uint32_t q = 0; q < queues; ++q) cursor_[q] = q * (key_count / queues);
    BuildTemplate();
  }
  const char* driver() const override { return "generator"; }
  int WaitFd(uint32_t) const override { return -1; }

  uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
              uint32_t max) override {
    if (keys_ == nullptr) return 0;
    uint32_t n = pool.AllocBulk(out, max);
    size_t c = cursor_[queue];
    for (uint32_t i = 0; i < n; ++i) {
      packet::Buffer* b = out[i];
      b->Assign(template_, length_);
      b->rx_port = index();
      uint8_t* ip = b->data() + 14;
      if (v6_) {
        const auto& k = static_cast<const fib::Ip6*>(keys_)[c];
        uint64_t hi = __builtin_bswap64(k.hi), lo = __builtin_bswap64(k.lo);
        std::memcpy(ip + 24, &hi, 8);
        std::memcpy(ip + 32, &lo, 8);
      } else {
        uint32_t dst = htonl(static_cast<const uint32_t*>(keys_)[c]);
        std::memcpy(ip + 16, &dst, 4);
        // The template's checksum covers a zero destination: add the new one (RFC 1624).
        uint16_t sum;
        std::memcpy(&sum, ip + 10, 2);
        sum = packet::ChecksumUpdate16(sum, 0, static_cast<uint16_t>(dst));
        sum = packet::ChecksumUpdate16(sum, 0, static_cast<uint16_t>(dst >> 16));
        std::memcpy(ip + 10, &sum, 2);
      }
      if (++c == key_count_) c = 0;
    }
    cursor_[queue] = c;
    return n;
  }
  void Tx(uint32_t, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) override {
    pool.FreeBulk(buffers, n);
  }

 private:
  void BuildTemplate() {
    std::memset(template_, 0, sizeof(template_));
    std::memcpy(template_, kRxMac.bytes.data(), 6);
    template_[6] = 0x02;
    template_[11] = 0xaa;
    uint8_t* ip = template_ + 14;
    if (v6_) {
      length_ = 64;  // 14 + 40 + UDP 8 + 2 bytes of payload
      template_[12] = 0x86;
      template_[13] = 0xdd;
      ip[0] = 0x60;
      ip[5] = 10;  // payload length
      ip[6] = packet::kProtoUdp;
      ip[7] = 64;
      const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
      std::memcpy(ip + 8, src, 16);
      ip[40] = 0x03, ip[41] = 0xe8, ip[42] = 0x07, ip[43] = 0xd0, ip[45] = 10;
    } else {
      length_ = 60;  // a 64-byte frame without its FCS
      template_[12] = 0x08;
      ip[0] = 0x45;
      ip[3] = 46;  // total length
      ip[8] = 64;
      ip[9] = packet::kProtoUdp;
      const uint8_t src[4] = {192, 0, 2, 2};
      std::memcpy(ip + 12, src, 4);
      uint16_t sum = packet::Checksum(ip, 20);
      std::memcpy(ip + 10, &sum, 2);
      ip[20] = 0x03, ip[21] = 0xe8, ip[22] = 0x07, ip[23] = 0xd0, ip[25] = 26;
    }
  }

  bool v6_;
  const void* keys_;
  size_t key_count_;
  std::vector<size_t> cursor_;
  uint8_t template_[64];
  uint32_t length_ = 0;
};

// A router with two units (ge-0/0/0.0 receiving on port 0, ge-0/0/1.0 sending on port 1) and
// next hops 1..kNextHops forwarding to as many resolved neighbours on ge-0/0/1.0.
void BuildRouter(dp::Tables& t) {
  auto ifs = std::make_unique<dp::IfTable>();
  ifs->interfaces.resize(2);
  for (uint32_t i = 0; i < 2; ++i) {
    dp::Interface& itf = ifs->interfaces[i];
    itf.index = i;
    itf.port = i;
    itf.up = true;
    itf.mac = i == 0 ? kRxMac : kTxMac;
    itf.ip4_address = 0xc0000201 + i;
  }
  ifs->ports.resize(2);
  ifs->ports[0].untagged = 0;
  ifs->ports[1].untagged = 1;
  t.PublishInterfaces(std::move(ifs));
  for (uint32_t h = 1; h <= kNextHops; ++h) {
    dp::testing::SetAdjacency4(t, h, 1, 0, 0x020000100000ull + h);
    dp::testing::SetNextHop(t, h, fib::NextHopKind::kForward, 0, {h});
  }
}

struct Sample {
  double mpps;
  double cycles;
};

double MonotonicSeconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One worker on this thread: `packets` packets through the graph. Cycles are TSC cycles of the
// thread's CPU time (the TSC rate measured over the run against CLOCK_MONOTONIC), so that time
// the thread spent preempted on a busy machine does not count.
Sample RunOne(dp::Worker& w, uint64_t packets) {
  uint64_t done = 0;
  double t0 = ThreadCpuSeconds(), m0 = MonotonicSeconds();
  uint64_t c0 = __rdtsc();
  while (done < packets) done += w.Poll();
  uint64_t c1 = __rdtsc();
  double t1 = ThreadCpuSeconds(), m1 = MonotonicSeconds();
  double tsc_hz = static_cast<double>(c1 - c0) / (m1 - m0);
  return {static_cast<double>(done) / (t1 - t0) / 1e6,
          (t1 - t0) * tsc_hz / static_cast<double>(done)};
}

template <typename T>
T Median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Prints the medians; returns the median Mpps.
double Report(const std::string& name, const std::vector<Sample>& samples) {
  std::vector<double> mpps, cycles;
  for (const Sample& s : samples) {
    mpps.push_back(s.mpps);
    cycles.push_back(s.cycles);
  }
  std::printf("BENCH %s %.2f Mpps\n", name.c_str(), Median(mpps));
  std::printf("BENCH %s-cycles %.0f cycles/packet\n", name.c_str(), Median(cycles));
  std::fflush(stdout);
  return Median(mpps);
}

// Checks that the packets were forwarded, not dropped: a benchmark of drops proves nothing.
bool AllForwarded(const dp::Worker& w, bool v6) {
  uint64_t forwarded =
      w.counters()
          .events[static_cast<uint32_t>(v6 ? dp::Event::kIp6Forwarded : dp::Event::kIp4Forwarded)]
          .load();
  uint64_t rx = w.counters().events[static_cast<uint32_t>(dp::Event::kRxPackets)].load();
  if (forwarded == rx) return true;
  std::fprintf(stderr, "fwd_bench: %llu of %llu packets forwarded\n",
               static_cast<unsigned long long>(forwarded), static_cast<unsigned long long>(rx));
  for (uint32_t d = 0; d < dp::kDropReasonCount; ++d) {
    uint64_t n = w.counters().drops[d].load();
    if (n != 0) {
      std::fprintf(stderr, "  %s %llu\n", dp::DropReasonName(static_cast<dp::DropReason>(d)),
                   static_cast<unsigned long long>(n));
    }
  }
  return false;
}

// Measures `workers` workers on their own threads together, wall time: the aggregate Mpps.
double RunParallel(dp::Tables& t, io::Port& rx, io::Port& tx, uint32_t workers,
                   std::vector<std::unique_ptr<dp::PuntRing>>& rings) {
  std::vector<std::unique_ptr<dp::Worker>> ws;
  for (uint32_t i = 0; i < workers; ++i) {
    ws.push_back(
        std::make_unique<dp::Worker>(i, t, std::vector<io::Port*>{&rx, &tx}, *rings[i], -1));
  }
  std::atomic<uint32_t> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  auto t0 = std::chrono::steady_clock::now();
  for (uint32_t i = 0; i < workers; ++i) {
    threads.emplace_back([&, i] {
      ws[i]->Poll();  // warm up
      ready.fetch_add(1);
      while (!go.load()) {
      }
      uint64_t done = 0;
      while (done < kPacketsPerRun) done += ws[i]->Poll();
    });
  }
  while (ready.load() != workers) {
  }
  t0 = std::chrono::steady_clock::now();
  go.store(true);
  for (auto& th : threads) th.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(kPacketsPerRun) * workers / seconds / 1e6;
}

void RunIp4(const std::string& name, size_t routes, int runs, bool scaling) {
  dp::Tables t;
  BuildRouter(t);
  auto table = SyntheticIp4Table(routes, 1, kNextHops);
  for (const Route4& r : table) t.fib4.Set(r.prefix, r.length, r.next_hop);
  t.fib4.Commit();
  auto keys = Ip4KeysInTable(table, kKeys);
  table.clear();
  table.shrink_to_fit();
  GeneratorPort rx(3, false, keys.data(), keys.size());
  GeneratorPort tx(3, false, nullptr, 0);
  tx.set_index(1);
  std::vector<std::unique_ptr<dp::PuntRing>> rings;
  for (int i = 0; i < 2; ++i) rings.push_back(std::make_unique<dp::PuntRing>(16));
  double single = 0;
  {
    dp::Worker w(0, t, {&rx, &tx}, *rings[0], -1);
    RunOne(w, kPacketsPerRun / 4);  // warm up: caches, pool pages, branch predictors
    std::vector<Sample> samples;
    for (int r = 0; r < runs; ++r) samples.push_back(RunOne(w, kPacketsPerRun));
    if (!AllForwarded(w, false)) return;
    single = Report(name, samples);
  }
  if (scaling) {
    // Against the one-worker figure above (per CPU-second of its thread): two workers on two
    // threads, wall time, both together.
    std::vector<double> two;
    for (int r = 0; r < std::max(1, runs / 2); ++r) two.push_back(RunParallel(t, rx, tx, 2, rings));
    double m1 = single, m2 = Median(two);
    std::printf("BENCH %s-2w %.2f Mpps\n", name.c_str(), m2);
    std::printf("BENCH %s-2w-scaling %.2f x\n", name.c_str(), m2 / m1);
    std::fflush(stdout);
  }
}

void RunIp6(const std::string& name, size_t routes, int runs) {
  dp::Tables t;
  BuildRouter(t);
  auto table = SyntheticIp6Table(routes, 1, kNextHops);
  for (const Route6& r : table) t.fib6.Set(r.prefix, r.length, r.next_hop);
  t.fib6.Commit();
  auto keys = Ip6KeysInTable(table, kKeys);
  table.clear();
  table.shrink_to_fit();
  GeneratorPort rx(2, true, keys.data(), keys.size());
  GeneratorPort tx(2, true, nullptr, 0);
  tx.set_index(1);
  dp::PuntRing ring(16);
  dp::Worker w(0, t, {&rx, &tx}, ring, -1);
  RunOne(w, kPacketsPerRun / 4);
  std::vector<Sample> samples;
  for (int r = 0; r < runs; ++r) samples.push_back(RunOne(w, kPacketsPerRun));
  if (!AllForwarded(w, true)) return;
  Report(name, samples);
}

void Run(int runs) {
  RunIp4("fwd-ip4-1k", 1000, runs, false);
  RunIp4("fwd-ip4-100k", 100000, runs, false);
  RunIp4("fwd-ip4-full", 1200000, runs, true);
  RunIp6("fwd-ip6-250k", 250000, runs);
}

const Registration kReg("fwd", &Run);

}  // namespace
}  // namespace sabina::bench
