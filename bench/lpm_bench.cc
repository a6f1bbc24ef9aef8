// LPM benchmarks (issue 3, section 5): sabina::fib::Lpm4/Lpm6 against DPDK's rte_lpm (DIR-24-8)
// and rte_lpm6 on the same synthetic tables (fib_tables.h) and the same keys, in the same run.
// Prints `BENCH lpm4-<table>-<what>` and `REF rte-lpm4-<table>-<what>` lines (medians of RUNS;
// the passes of Sabina and DPDK alternate):
//   random      keys inside random table prefixes, looked up in batches of 256 (a frame)
//               with LookupBatch / rte_lpm_lookup_bulk / rte_lpm6_lookup_bulk_func
//   dependent   the same keys one at a time, each key depending on the previous result
//               (latency bound)
//   mem         bytes of the structure lookups read (rte_lpm: tbl24 64 MiB + tbl8 groups x 1 KiB
//               as configured; rte_lpm6: tbl24 64 MiB + tbl8 groups x 1 KiB)
//   build       Set of every route + Commit, from empty
//   update      one Set + Commit of a /24 (IPv4) or /48 (IPv6) in the loaded table
// Times are the benchmark thread's CPU time (CLOCK_THREAD_CPUTIME_ID), robust to a busy machine.
// DPDK runs with --no-huge (anonymous memory); without DPDK or if EAL init fails the REF lines
// say "unavailable".
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "bench_registry.h"
#include "fib/lpm.h"
#include "fib_tables.h"

#ifdef SABINA_HAVE_DPDK
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wcast-qual"
#pragma GCC diagnostic ignored "-Wvolatile"
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#pragma GCC diagnostic pop
#endif

namespace sabina::bench {
namespace {

constexpr size_t kKeys = size_t{1} << 20;
constexpr size_t kFrame = 256;
// Read at run time so that the compiler keeps the dependency between dependent lookups.
volatile uint32_t g_zero = 0;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// CPU time of this thread: the machine is shared (parallel builds), and time spent descheduled
// is not the table's.
double ThreadSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Seconds(const std::function<void()>& fn) {
  double t0 = ThreadSeconds();
  fn();
  return ThreadSeconds() - t0;
}

// Median Mlookups/s of `runs` passes over n keys.
double Rate(int runs, size_t n, const std::function<void()>& pass) {
  pass();  // warm up
  std::vector<double> r;
  for (int i = 0; i < runs; ++i) r.push_back(static_cast<double>(n) / Seconds(pass) / 1e6);
  return Median(r);
}

// Medians of `runs` alternating passes of `a` and `b` (Sabina and its reference): on a shared
// machine whose memory bandwidth changes from minute to minute, both see the same conditions.
std::pair<double, double> RatePair(int runs, size_t n, const std::function<void()>& a,
                                   const std::function<void()>& b) {
  a();
  b();  // warm up
  std::vector<double> ra, rb;
  for (int i = 0; i < runs; ++i) {
    ra.push_back(static_cast<double>(n) / Seconds(a) / 1e6);
    rb.push_back(static_cast<double>(n) / Seconds(b) / 1e6);
  }
  return {Median(ra), Median(rb)};
}

void Print(const char* kind, const std::string& name, double value, const char* unit) {
  std::printf("%s %s %.*f %s\n", kind, name.c_str(), value < 10 ? 2 : 1, value, unit);
  std::fflush(stdout);
}

bool dpdk_ok = false;

#ifdef SABINA_HAVE_DPDK
bool InitDpdk() {
  // EAL pins the calling thread to its main lcore; later benchmarks start worker threads
  // from this one, so its affinity is put back.
  cpu_set_t saved;
  CPU_ZERO(&saved);
  sched_getaffinity(0, sizeof saved, &saved);
  std::string prefix = "--file-prefix=sabina-bench-" + std::to_string(getpid());
  std::vector<std::string> args = {
      "sabina_bench",   "--no-huge",     "-m", "2048", "--no-pci", "--no-shconf",
      "--no-telemetry", "--log-level=1", "-l", "0",    prefix};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int rc = rte_eal_init(static_cast<int>(argv.size()), argv.data());
  sched_setaffinity(0, sizeof saved, &saved);
  if (rc < 0) {
    std::printf("# lpm: rte_eal_init failed: %s\n", rte_strerror(rte_errno));
    return false;
  }
  return true;
}
#endif

void Unavailable(const std::string& name) { std::printf("REF %s unavailable\n", name.c_str()); }

// ---------------------------------------------------------------------------------------------

void Ip4Case(const std::string& label, size_t count, int runs, bool headline_build) {
  const auto table = SyntheticIp4Table(count);
  const auto keys = Ip4KeysInTable(table, kKeys);
  std::vector<uint32_t> out(kKeys), ref_out(kKeys);
  const std::string b = "lpm4-" + label, r = "rte-lpm4-" + label;

  fib::Lpm4 lpm;
  std::vector<double> build;
  for (int i = 0; i < std::max(1, runs / 2); ++i) {
    fib::Lpm4 t;
    build.push_back(Seconds([&] {
                      for (const auto& x : table) t.Set(x.prefix, x.length, x.next_hop);
                      t.Commit();
                    }) *
                    1e3);
  }
  for (const auto& x : table) lpm.Set(x.prefix, x.length, x.next_hop);
  lpm.Commit();
  if (headline_build) Print("BENCH", b + "-build", Median(build), "ms");

  const std::function<void()> random = [&] {
    for (size_t i = 0; i < kKeys; i += kFrame) {
      lpm.LookupBatch(keys.data() + i, out.data() + i, kFrame);
    }
  };
  const std::function<void()> dependent = [&] {
    uint32_t prev = 0, zero = g_zero;
    for (size_t i = 0; i < kKeys; ++i) prev = lpm.Lookup(keys[i] ^ (prev & zero));
    out[0] = prev;
  };
  bool measured = false;

#ifdef SABINA_HAVE_DPDK
  rte_lpm* rl = nullptr;
  uint32_t tbl8s = 0;
  if (dpdk_ok) {
    // Enough tbl8 groups for the /24s holding longer routes, at least DPDK's perf-test 256.
    std::vector<uint32_t> deep;
    for (const auto& x : table) {
      if (x.length > 24) deep.push_back(x.prefix >> 8);
    }
    std::sort(deep.begin(), deep.end());
    tbl8s = std::max<uint32_t>(
        256, static_cast<uint32_t>(std::unique(deep.begin(), deep.end()) - deep.begin()) * 2);
    rte_lpm_config cfg{};
    cfg.max_rules = static_cast<uint32_t>(count + 16);
    cfg.number_tbl8s = tbl8s;
    rl = rte_lpm_create(("b4-" + label).c_str(), 0 /* SOCKET_ID_ANY is -1; 0 with --no-huge */,
                        &cfg);
    if (!rl) std::printf("# lpm: rte_lpm_create: %s\n", rte_strerror(rte_errno));
    for (size_t i = 0; rl && i < table.size(); ++i) {
      if (rte_lpm_add(rl, table[i].prefix, table[i].length, table[i].next_hop) < 0) {
        std::printf("# lpm: rte_lpm_add failed at %zu\n", i);
        rte_lpm_free(rl);
        rl = nullptr;
      }
    }
  }
  if (rl) {
    auto [ours, ref] = RatePair(runs, kKeys, random, [&] {
      for (size_t i = 0; i < kKeys; i += kFrame) {
        rte_lpm_lookup_bulk(rl, keys.data() + i, ref_out.data() + i, kFrame);
      }
    });
    Print("BENCH", b + "-random", ours, "Mlookups/s");
    Print("REF", r + "-random", ref, "Mlookups/s");
    size_t mismatches = 0;
    lpm.LookupBatch(keys.data(), out.data(), kKeys);
    for (size_t i = 0; i < kKeys; ++i) {
      uint32_t want = ref_out[i] & RTE_LPM_LOOKUP_SUCCESS ? ref_out[i] & 0xffffff : 0;
      mismatches += out[i] != want;
    }
    if (mismatches) std::printf("# lpm: %zu lookups differ from rte_lpm\n", mismatches);
    std::tie(ours, ref) = RatePair(runs, kKeys, dependent, [&] {
      uint32_t prev = 0, zero = g_zero;
      for (size_t i = 0; i < kKeys; ++i) {
        uint32_t nh = 0;
        rte_lpm_lookup(rl, keys[i] ^ (prev & zero), &nh);
        prev = nh;
      }
      out[0] = prev;
    });
    Print("BENCH", b + "-dependent", ours, "Mlookups/s");
    Print("REF", r + "-dependent", ref, "Mlookups/s");
    measured = true;
  }
#endif
  if (!measured) {
    Print("BENCH", b + "-random", Rate(runs, kKeys, random), "Mlookups/s");
    Unavailable(r + "-random");
    Print("BENCH", b + "-dependent", Rate(runs, kKeys, dependent), "Mlookups/s");
    Unavailable(r + "-dependent");
  }

  Print("BENCH", b + "-mem", static_cast<double>(lpm.MemoryBytes()) / (1 << 20), "MiB");
#ifdef SABINA_HAVE_DPDK
  if (rl) {
    Print("REF", r + "-mem", (double(1 << 24) * 4 + double(tbl8s) * 256 * 4) / (1 << 20), "MiB");
  } else {
    Unavailable(r + "-mem");
  }
#else
  Unavailable(r + "-mem");
#endif

  if (headline_build) {
    // A /24 next to the table's routes, set and cleared in turn: one block rebuilt per commit.
    SplitMix64 rng(3);
    std::vector<double> us;
    for (int i = 0; i < 400; ++i) {
      uint32_t p = (static_cast<uint32_t>(rng.Below(223) + 1) << 24) |
                   (static_cast<uint32_t>(rng.Next()) & 0x00ffff00);
      us.push_back(Seconds([&] {
                     lpm.Set(p, 24, 7);
                     lpm.Commit();
                   }) *
                   1e6);
      lpm.Clear(p, 24);
      lpm.Commit();
    }
    Print("BENCH", b + "-update", Median(us), "us");
#ifdef SABINA_HAVE_DPDK
    if (rl) {
      SplitMix64 rng2(3);
      std::vector<double> ref_us;
      for (int i = 0; i < 400; ++i) {
        uint32_t p = (static_cast<uint32_t>(rng2.Below(223) + 1) << 24) |
                     (static_cast<uint32_t>(rng2.Next()) & 0x00ffff00);
        ref_us.push_back(Seconds([&] { rte_lpm_add(rl, p, 24, 7); }) * 1e6);
        rte_lpm_delete(rl, p, 24);
      }
      Print("REF", r + "-update", Median(ref_us), "us");
    }
#endif
  }
#ifdef SABINA_HAVE_DPDK
  if (rl) rte_lpm_free(rl);
#endif
}

// ---------------------------------------------------------------------------------------------

void Ip6Case(const std::string& label, size_t count, int runs) {
  const auto table = SyntheticIp6Table(count);
  const auto keys = Ip6KeysInTable(table, kKeys);
  std::vector<uint32_t> out(kKeys);
  const std::string b = "lpm6-" + label, r = "rte-lpm6-" + label;

  fib::Lpm6 lpm;
  double build = Seconds([&] {
                   for (const auto& x : table) lpm.Set(x.prefix, x.length, x.next_hop);
                   lpm.Commit();
                 }) *
                 1e3;
  Print("BENCH", b + "-build", build, "ms");
  const std::function<void()> random = [&] {
    for (size_t i = 0; i < kKeys; i += kFrame) {
      lpm.LookupBatch(keys.data() + i, out.data() + i, kFrame);
    }
  };
  const std::function<void()> dependent = [&] {
    uint32_t prev = 0, zero = g_zero;
    for (size_t i = 0; i < kKeys; ++i) prev = lpm.Lookup({keys[i].hi ^ (prev & zero), keys[i].lo});
    out[0] = prev;
  };
  bool measured = false;

#ifdef SABINA_HAVE_DPDK
  rte_lpm6* rl = nullptr;
  uint32_t tbl8s = 0;
  std::vector<std::array<uint8_t, 16>> bytes(kKeys);
  if (dpdk_ok) {
    auto to_bytes = [](const fib::Ip6& a, uint8_t* o) {
      for (int i = 0; i < 8; ++i) {
        o[i] = static_cast<uint8_t>(a.hi >> (56 - 8 * i));
        o[8 + i] = static_cast<uint8_t>(a.lo >> (56 - 8 * i));
      }
    };
    for (size_t i = 0; i < kKeys; ++i) to_bytes(keys[i], bytes[i].data());
    // One tbl8 group per distinct (level, prefix above the level) a route goes through.
    std::vector<std::pair<int, std::pair<uint64_t, uint64_t>>> groups;
    for (const auto& x : table) {
      for (int level = 24; level < x.length; level += 8) {
        fib::Ip6 m = Mask6(x.prefix, static_cast<uint8_t>(level));
        groups.push_back({level, {m.hi, m.lo}});
      }
    }
    std::sort(groups.begin(), groups.end());
    tbl8s = static_cast<uint32_t>(std::unique(groups.begin(), groups.end()) - groups.begin());
    tbl8s += tbl8s / 16 + 256;
    rte_lpm6_config cfg{};
    cfg.max_rules = static_cast<uint32_t>(count + 16);
    cfg.number_tbl8s = tbl8s;
    rl = rte_lpm6_create(("b6-" + label).c_str(), 0, &cfg);
    if (!rl) std::printf("# lpm: rte_lpm6_create: %s\n", rte_strerror(rte_errno));
    for (size_t i = 0; rl && i < table.size(); ++i) {
      uint8_t p[16];
      to_bytes(table[i].prefix, p);
      if (rte_lpm6_add(rl, p, table[i].length, table[i].next_hop) < 0) {
        std::printf("# lpm: rte_lpm6_add failed at %zu\n", i);
        rte_lpm6_free(rl);
        rl = nullptr;
      }
    }
  }
  if (rl) {
    std::vector<int32_t> ref_out(kKeys);
    auto* ips = reinterpret_cast<uint8_t(*)[16]>(bytes.data());
    auto [ours, ref] = RatePair(runs, kKeys, random, [&] {
      for (size_t i = 0; i < kKeys; i += kFrame) {
        rte_lpm6_lookup_bulk_func(rl, ips + i, ref_out.data() + i, kFrame);
      }
    });
    Print("BENCH", b + "-random", ours, "Mlookups/s");
    Print("REF", r + "-random", ref, "Mlookups/s");
    size_t mismatches = 0;
    lpm.LookupBatch(keys.data(), out.data(), kKeys);
    for (size_t i = 0; i < kKeys; ++i) {
      mismatches += out[i] != (ref_out[i] < 0 ? 0u : static_cast<uint32_t>(ref_out[i]));
    }
    if (mismatches) std::printf("# lpm: %zu lookups differ from rte_lpm6\n", mismatches);
    std::tie(ours, ref) = RatePair(runs, kKeys, dependent, [&] {
      uint32_t prev = 0, zero = g_zero;
      for (size_t i = 0; i < kKeys; ++i) {
        uint8_t ip[16];
        std::memcpy(ip, bytes[i].data(), 16);
        ip[15] ^= static_cast<uint8_t>(prev & zero);
        uint32_t nh = 0;
        rte_lpm6_lookup(rl, ip, &nh);
        prev = nh;
      }
      out[0] = prev;
    });
    Print("BENCH", b + "-dependent", ours, "Mlookups/s");
    Print("REF", r + "-dependent", ref, "Mlookups/s");
    measured = true;
  }
#endif
  if (!measured) {
    Print("BENCH", b + "-random", Rate(runs, kKeys, random), "Mlookups/s");
    Unavailable(r + "-random");
    Print("BENCH", b + "-dependent", Rate(runs, kKeys, dependent), "Mlookups/s");
    Unavailable(r + "-dependent");
  }

  Print("BENCH", b + "-mem", static_cast<double>(lpm.MemoryBytes()) / (1 << 20), "MiB");
#ifdef SABINA_HAVE_DPDK
  if (rl) {
    Print("REF", r + "-mem", (double(1 << 24) * 4 + double(tbl8s) * 256 * 4) / (1 << 20), "MiB");
  } else {
    Unavailable(r + "-mem");
  }
#else
  Unavailable(r + "-mem");
#endif

  // A /48 inside a random /32 of the table, set and cleared in turn.
  SplitMix64 rng(5);
  std::vector<const Route6*> s32;
  for (const auto& x : table) {
    if (x.length == 32) s32.push_back(&x);
  }
  std::vector<double> us;
  for (int i = 0; i < 400 && !s32.empty(); ++i) {
    fib::Ip6 p = s32[rng.Below(s32.size())]->prefix;
    p.hi |= rng.Next() & 0xffff0000ULL;
    us.push_back(Seconds([&] {
                   lpm.Set(p, 48, 7);
                   lpm.Commit();
                 }) *
                 1e6);
    lpm.Clear(p, 48);
    lpm.Commit();
  }
  if (!us.empty()) Print("BENCH", b + "-update", Median(us), "us");
#ifdef SABINA_HAVE_DPDK
  if (rl) rte_lpm6_free(rl);
#endif
}

void Run(int runs) {
  runs = std::max(runs, 1);
  // SABINA_LPM_BENCH=full4: only the full IPv4 table (about 3 minutes, most of it building the
  // rte_lpm reference); full4-noref: the same without the reference (seconds); v6-noref: the
  // IPv6 table without the reference. Unset: everything.
  const std::string only = std::getenv("SABINA_LPM_BENCH") ? std::getenv("SABINA_LPM_BENCH") : "";
#ifdef SABINA_HAVE_DPDK
  if (only != "full4-noref" && only != "v6-noref") dpdk_ok = InitDpdk();
#endif
  if (only == "v6-noref") {
    Ip6Case("250k", 250000, runs);
    return;
  }
  if (only == "full4" || only == "full4-noref") {
    Ip4Case("full", 1200000, runs, true);
    return;
  }
  Ip4Case("1k", 1000, runs, false);
  Ip4Case("100k", 100000, runs, false);
  Ip4Case("full", 1200000, runs, true);
  Ip6Case("250k", 250000, runs);
}

const Registration kRegistration("lpm", &Run);

}  // namespace
}  // namespace sabina::bench
