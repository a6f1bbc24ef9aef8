// Port driver benchmarks (`sabina_bench RUNS io`): how fast a worker queue receives from each
// driver, 64-byte frames, one queue, medians of RUNS half-second runs.
//   BENCH io-memory-rx-tx       memory port replay -> Rx -> Tx (sink): the copy cost alone
//   BENCH io-af_packet-veth-rx  af_packet Rx on a veth, fed by an af_packet TX ring on the peer
//   BENCH io-af_xdp-veth-rx     the same with af_xdp (native XDP on veth, copy mode)
//   BENCH io-*-veth-rx-per-cpu  packets received per CPU-second of generator + receiver
// The veth figures run in a private network namespace (a forked child; root only, skipped
// otherwise) and share the machine's cores with the generator thread; the receiver sleeps in
// poll() when its ring is empty, so -per-cpu (packets per CPU-second of generator, kernel
// veth path and receiver together) is the cost of a packet, independent of the CPU share.
//
// Thread: main thread, plus the generator thread of the veth runs.
#include <poll.h>
#include <sched.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench_registry.h"
#include "io/memory/memory_port.h"
#include "io/port.h"
#include "packet/buffer.h"

namespace sabina::io {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<uint8_t> Frame64(const packet::MacAddr& dst, uint16_t sport) {
  std::vector<uint8_t> f(60, 0);
  std::copy(dst.bytes.begin(), dst.bytes.end(), f.begin());
  f[6] = 0x02;
  f[12] = 0x08;
  f[14] = 0x45;
  f[17] = 46;
  f[22] = 64;
  f[23] = 17;
  f[26] = 198, f[27] = 51, f[28] = 100, f[29] = 1;
  f[30] = 203, f[31] = 0, f[32] = 113, f[33] = 1;
  f[34] = static_cast<uint8_t>(sport >> 8), f[35] = static_cast<uint8_t>(sport);
  f[36] = 0, f[37] = 9, f[39] = 26;
  return f;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Packets per second received on queue 0 of `port` over `seconds`.
double RxRate(Port& port, packet::BufferPool& pool, double seconds, Port* tx_sink) {
  packet::Buffer* bufs[packet::kFrameSize];
  uint64_t n = 0;
  auto start = Clock::now();
  auto end = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    for (int i = 0; i < 64; ++i) {
      uint32_t got = port.Rx(0, pool, bufs, packet::kFrameSize);
      n += got;
      if (got == 0 && port.WaitFd(0) >= 0) {
        // Sleep like an idle worker, so the CPU time below is work, not spinning.
        pollfd p{port.WaitFd(0), POLLIN, 0};
        poll(&p, 1, 1);
      }
      if (tx_sink != nullptr) {
        tx_sink->Tx(0, bufs, got, pool);
      } else {
        pool.FreeBulk(bufs, got);
      }
    }
  }
  return n / std::chrono::duration<double>(Clock::now() - start).count();
}

void MemoryBench(int runs) {
  MemoryPort::Options options;
  options.sink = true;
  MemoryPort port("bench", 2, options);
  std::vector<std::vector<uint8_t>> frames;
  for (uint16_t i = 0; i < 64; ++i) frames.push_back(Frame64(port.mac(), i));
  port.SetReplay(0, frames);
  packet::BufferPool pool(4096);
  std::vector<double> rates;
  for (int r = 0; r < runs; ++r) rates.push_back(RxRate(port, pool, 0.5, &port) / 1e6);
  std::printf("BENCH io-memory-rx-tx %.2f Mpps\n", Median(rates));
}

void VethBench(const char* driver, int runs) {
  if (geteuid() != 0) {
    std::printf("SKIP io-%s-veth-rx (needs root)\n", driver);
    return;
  }
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    if (unshare(CLONE_NEWNET) != 0 ||
        system("ip link add va type veth peer name vb && ip link set va up && "
               "ip link set vb up && sysctl -qw net.ipv6.conf.va.disable_ipv6=1 "
               "net.ipv6.conf.vb.disable_ipv6=1") != 0) {
      _exit(2);
    }
    auto rx = OpenPort(std::string(driver) + ":va", 2);
    auto gen = OpenPort("af_packet:vb", 2);
    if (!rx.ok() || !gen.ok()) {
      std::printf("SKIP io-%s-veth-rx (%s)\n", driver,
                  (!rx.ok() ? rx.status() : gen.status()).message().c_str());
      _exit(0);
    }
    std::atomic<bool> stop{false};
    std::thread generator([&] {
      packet::BufferPool pool(4096);
      std::vector<uint8_t> f = Frame64((*rx)->mac(), 7);
      packet::Buffer* bufs[packet::kFrameSize];
      while (!stop.load(std::memory_order_relaxed)) {
        uint32_t n = pool.AllocBulk(bufs, packet::kFrameSize);
        for (uint32_t i = 0; i < n; ++i) bufs[i]->Assign(f.data(), 60);
        (*gen)->Tx(0, bufs, n, pool);
      }
    });
    packet::BufferPool pool(8192);
    RxRate(**rx, pool, 0.2, nullptr);  // warm-up
    std::vector<double> rates;
    PortStats before = (*gen)->Stats();
    PortStats rx_before = (*rx)->Stats();
    auto t0 = Clock::now();
    timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    for (int r = 0; r < runs; ++r) rates.push_back(RxRate(**rx, pool, 0.5, nullptr) / 1e6);
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) / 1e9;
    uint64_t received = (*rx)->Stats().rx_packets - rx_before.rx_packets;
    PortStats after = (*gen)->Stats();
    stop = true;
    generator.join();
    std::printf("BENCH io-%s-veth-rx %.2f Mpps\n", driver, Median(rates));
    PortStats rs = (*rx)->Stats();
    // On a loaded machine the wall-clock rate mostly measures our CPU share; packets per
    // CPU-second of this process (generator, kernel veth path in its context, receiver) is
    // the steadier figure.
    std::printf("BENCH io-%s-veth-rx-per-cpu %.2f Mpps\n", driver, received / cpu / 1e6);
    std::printf("INFO io-%s-veth tx drops %lu errors %lu, rx drops %lu\n", driver,
                static_cast<unsigned long>(after.tx_drops),
                static_cast<unsigned long>(after.tx_errors),
                static_cast<unsigned long>(rs.rx_drops));
    std::printf("INFO io-%s-veth generator %.2f Mpps offered (af_packet TX ring)\n", driver,
                (after.tx_packets - before.tx_packets) / secs / 1e6);
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("SKIP io-%s-veth-rx (netns setup failed)\n", driver);
  }
}

void Run(int runs) {
  MemoryBench(runs);
  VethBench("af_packet", runs);
  VethBench("af_xdp", runs);
  std::fflush(stdout);
}

const sabina::bench::Registration kReg("io", &Run);

}  // namespace
}  // namespace sabina::io
