// Synthetic FIB tables and lookup keys for the LPM and forwarding benchmarks (bench/lpm_bench.cc,
// bench/fwd_bench.cc). Deterministic: the same (count, seed) gives the same table on every run
// and machine (own SplitMix64, no <random> distributions, whose output is implementation-defined).
//
// IPv4: the prefix-length mix of DPDK's test_lpm_perf.c ("dumped from a real router", 1,076,801
// rules; reference/performance-anchors.md 3c), scaled to `count`, without the /25-/32 tail
// unless asked for (the DFZ is filtered at /24). Prefixes are uniformly random inside
// 1.0.0.0-223.255.255.255; no length takes more than half of its address space (there are only
// 57k /16s, so the /16 share of a 1.2M table is capped and the rest goes to /24).
// IPv6: a DFZ-like mix (/48 ~46%, /32 ~10%, /29, /36, /40, /44, a few /56 and /64) inside the
// RIR blocks 2001::/16, 2400::/12, 2600::/12, 2800::/12, 2a00::/12, 2c00::/12, with the longer
// prefixes mostly (80%) placed inside a random shorter one, as provider allocations are.
// Next hops are 1..next_hops (never 0, which the FIB reserves for "no route").
//
// Thread: any; pure functions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "fib/lpm.h"

namespace sabina::bench {

struct Route4 {
  uint32_t prefix = 0;  // host byte order, bits beyond length are zero
  uint8_t length = 0;
  uint32_t next_hop = 0;
};

struct Route6 {
  fib::Ip6 prefix;
  uint8_t length = 0;
  uint32_t next_hop = 0;
};

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [0, n) for benchmark tables (n << 2^64).
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t state_;
};

inline uint32_t Mask4(uint8_t length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

inline fib::Ip6 Mask6(const fib::Ip6& a, uint8_t length) {
  fib::Ip6 r;
  r.hi = length == 0 ? 0 : length >= 64 ? a.hi : a.hi & (~uint64_t{0} << (64 - length));
  r.lo = length <= 64 ? 0 : length >= 128 ? a.lo : a.lo & (~uint64_t{0} << (128 - length));
  return r;
}

// `count` distinct IPv4 prefixes (exactly `count` unless the address space runs out).
inline std::vector<Route4> SyntheticIp4Table(size_t count, uint64_t seed = 1,
                                             uint32_t next_hops = 500, bool long_tail = false) {
  // test_lpm_perf.c counts per length; <=/15 (7,376) and /25-/32 (41,828) split by the usual
  // DFZ/IGP shapes since only their sums are known.
  std::vector<std::pair<uint8_t, double>> mix = {
      {8, 28},     {9, 23},     {10, 64},    {11, 173},   {12, 519},    {13, 1037},
      {14, 2074},  {15, 3458},  {16, 69319}, {17, 12983}, {18, 23667},  {19, 69068},
      {20, 62354}, {21, 48531}, {22, 72355}, {23, 85427}, {24, 583898},
  };
  if (long_tail) {
    const double tail = 41828;
    for (auto [len, share] : std::vector<std::pair<uint8_t, double>>{
             {25, .1}, {26, .1}, {27, .1}, {28, .1}, {29, .1}, {30, .15}, {31, .05}, {32, .3}}) {
      mix.push_back({len, tail * share});
    }
  }
  double total = 0;
  for (auto& m : mix) total += m.second;
  SplitMix64 rng(seed * 0x2545f4914f6cdd1dULL + 4);
  std::vector<Route4> out;
  out.reserve(count);
  std::unordered_set<uint64_t> seen;
  seen.reserve(count * 2);
  auto add = [&](uint8_t len, size_t n) {
    // 1.0.0.0 .. 223.255.255.255
    const uint64_t lo = uint64_t{1} << 24, span = (uint64_t{224} << 24) - lo;
    const size_t cap = static_cast<size_t>((span >> (32 - len)) / 2);
    for (size_t i = 0; i < std::min(n, cap); ++i) {
      for (;;) {
        uint32_t p = static_cast<uint32_t>(lo + rng.Below(span)) & Mask4(len);
        if (seen.insert(uint64_t{p} << 8 | len).second) {
          out.push_back({p, len, 1 + static_cast<uint32_t>(rng.Below(next_hops))});
          break;
        }
      }
    }
  };
  for (auto [len, share] : mix) {
    if (len != 24) add(len, static_cast<size_t>(share / total * static_cast<double>(count)));
  }
  // /24 takes the rest, including what the capped lengths could not hold.
  add(24, count - std::min(count, out.size()));
  return out;
}

// `count` distinct IPv6 prefixes.
inline std::vector<Route6> SyntheticIp6Table(size_t count, uint64_t seed = 1,
                                             uint32_t next_hops = 500) {
  const std::vector<std::pair<uint8_t, double>> mix = {
      {20, .1}, {22, .1}, {24, .2}, {28, .6}, {29, 5},   {30, .8}, {31, .6},
      {32, 10}, {33, 1},  {34, .8}, {35, .6}, {36, 4},   {37, .7}, {38, .8},
      {39, .6}, {40, 7},  {41, 1},  {42, 2},  {43, 1},   {44, 8},  {45, 2},
      {46, 3},  {47, 3},  {48, 46}, {52, .3}, {56, 1.5}, {60, .2}, {64, 1},
  };
  // RIR blocks and their weights (2a00::/12 is the busiest).
  const std::vector<std::pair<fib::Ip6, uint8_t>> regions = {
      {{0x2001000000000000ULL, 0}, 16}, {{0x2400000000000000ULL, 0}, 12},
      {{0x2600000000000000ULL, 0}, 12}, {{0x2800000000000000ULL, 0}, 12},
      {{0x2a00000000000000ULL, 0}, 12}, {{0x2c00000000000000ULL, 0}, 12},
  };
  const std::vector<int> region_weight = {15, 25, 25, 8, 25, 2};
  double total = 0;
  for (auto& m : mix) total += m.second;
  SplitMix64 rng(seed * 0x2545f4914f6cdd1dULL + 6);
  std::vector<Route6> out;
  out.reserve(count);
  struct Hash {
    size_t operator()(const std::pair<uint64_t, uint64_t>& k) const {
      return k.first * 0x9e3779b97f4a7c15ULL ^ (k.second + 0x632be59bd9b4e019ULL);
    }
  };
  std::unordered_set<std::pair<uint64_t, uint64_t>, Hash> seen;
  seen.reserve(count * 2);
  auto random_in = [&](const fib::Ip6& base, uint8_t base_len, uint8_t len) {
    fib::Ip6 a{rng.Next(), rng.Next()};
    fib::Ip6 b = Mask6(base, base_len);
    fib::Ip6 keep{~Mask6({~0ULL, ~0ULL}, base_len).hi, ~Mask6({~0ULL, ~0ULL}, base_len).lo};
    a.hi = b.hi | (a.hi & keep.hi);
    a.lo = b.lo | (a.lo & keep.lo);
    return Mask6(a, len);
  };
  auto pick_region = [&]() {
    int r = static_cast<int>(rng.Below(100));
    for (size_t i = 0; i < regions.size(); ++i) {
      if ((r -= region_weight[i]) < 0) return regions[i];
    }
    return regions.back();
  };
  // Shorter lengths first so that longer ones can nest inside them.
  for (size_t li = 0; li < mix.size(); ++li) {
    auto [len, share] = mix[li];
    size_t n = li + 1 == mix.size() ? count - out.size()
                                    : static_cast<size_t>(share / total * double(count));
    n = std::min(n, count - out.size());
    const size_t parents_end = out.size();
    for (size_t i = 0; i < n; ++i) {
      for (int attempt = 0;; ++attempt) {
        fib::Ip6 p;
        if (len > 32 && parents_end > 0 && rng.Below(10) < 8 && attempt < 8) {
          const Route6& parent = out[rng.Below(parents_end)];
          if (parent.length >= len || parent.length > 48) continue;
          p = random_in(parent.prefix, parent.length, len);
        } else {
          auto [base, base_len] = pick_region();
          p = random_in(base, std::min(base_len, len), len);
        }
        std::pair<uint64_t, uint64_t> key{p.hi, p.lo ^ len};
        if (seen.insert(key).second) {
          out.push_back({p, len, 1 + static_cast<uint32_t>(rng.Below(next_hops))});
          break;
        }
      }
    }
  }
  return out;
}

// Keys that each fall inside a random prefix of the table (traffic goes to routed space), so
// the lookups walk as deep as the table does; order random.
inline std::vector<uint32_t> Ip4KeysInTable(const std::vector<Route4>& table, size_t n,
                                            uint64_t seed = 7) {
  SplitMix64 rng(seed);
  std::vector<uint32_t> keys(n);
  for (auto& k : keys) {
    const Route4& r = table[rng.Below(table.size())];
    k = r.prefix | (static_cast<uint32_t>(rng.Next()) & ~Mask4(r.length));
  }
  return keys;
}

inline std::vector<fib::Ip6> Ip6KeysInTable(const std::vector<Route6>& table, size_t n,
                                            uint64_t seed = 7) {
  SplitMix64 rng(seed);
  std::vector<fib::Ip6> keys(n);
  for (auto& k : keys) {
    const Route6& r = table[rng.Below(table.size())];
    fib::Ip6 host = Mask6({~0ULL, ~0ULL}, r.length);
    k.hi = r.prefix.hi | (rng.Next() & ~host.hi);
    k.lo = r.prefix.lo | (rng.Next() & ~host.lo);
  }
  return keys;
}

// Uniformly random addresses over the whole space (many miss, or hit only short prefixes).
inline std::vector<uint32_t> UniformIp4Keys(size_t n, uint64_t seed = 9) {
  SplitMix64 rng(seed);
  std::vector<uint32_t> keys(n);
  for (auto& k : keys) k = static_cast<uint32_t>(rng.Next());
  return keys;
}

}  // namespace sabina::bench
