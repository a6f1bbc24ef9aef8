#include "fib/lpm.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <tuple>
#include <vector>

#include "base/rcu.h"

namespace sabina::fib {
namespace {

uint32_t Mask4(int length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

Ip6 Mask6(const Ip6& a, int length) {
  Ip6 r;
  r.hi = length == 0 ? 0 : length >= 64 ? a.hi : a.hi & (~uint64_t{0} << (64 - length));
  r.lo = length <= 64 ? 0 : length >= 128 ? a.lo : a.lo & (~uint64_t{0} << (128 - length));
  return r;
}

uint32_t Ip4(int a, int b, int c, int d) {
  return static_cast<uint32_t>(a) << 24 | static_cast<uint32_t>(b) << 16 |
         static_cast<uint32_t>(c) << 8 | static_cast<uint32_t>(d);
}

// The obvious implementation: the longest of the prefixes containing the address.
class Ref4 {
 public:
  void Set(uint32_t p, int l, uint32_t v) { m_[{l, p & Mask4(l)}] = v; }
  void Clear(uint32_t p, int l) { m_.erase({l, p & Mask4(l)}); }
  uint32_t Lookup(uint32_t a) const {
    for (int l = 32; l >= 0; --l) {
      auto it = m_.find({l, a & Mask4(l)});
      if (it != m_.end()) return it->second;
    }
    return 0;
  }
  size_t size() const { return m_.size(); }
  const std::map<std::pair<int, uint32_t>, uint32_t>& routes() const { return m_; }

 private:
  std::map<std::pair<int, uint32_t>, uint32_t> m_;
};

class Ref6 {
 public:
  void Set(const Ip6& p, int l, uint32_t v) { m_[Key(p, l)] = v; }
  void Clear(const Ip6& p, int l) { m_.erase(Key(p, l)); }
  uint32_t Lookup(const Ip6& a) const {
    for (int l = 128; l >= 0; --l) {
      auto it = m_.find(Key(a, l));
      if (it != m_.end()) return it->second;
    }
    return 0;
  }
  size_t size() const { return m_.size(); }

 private:
  using K = std::tuple<int, uint64_t, uint64_t>;
  static K Key(const Ip6& p, int l) {
    Ip6 m = Mask6(p, l);
    return {l, m.hi, m.lo};
  }
  std::map<K, uint32_t> m_;
};

TEST(Lpm4, EmptyDefaultHostOverwriteClear) {
  Lpm4 t;
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 1)), 0u);
  EXPECT_EQ(t.size(), 0u);
  t.Set(0, 0, 9);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 1)), 0u) << "staged, not committed";
  EXPECT_EQ(t.Get(0, 0), 9u);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 1)), 9u);
  EXPECT_EQ(t.Lookup(0xffffffff), 9u);
  t.Set(Ip4(192, 0, 2, 77), 32, 5);
  t.Set(Ip4(192, 0, 2, 99), 24, 4);  // host bits ignored
  t.Set(Ip4(198, 51, 0, 0), 15, 3);
  t.Commit();
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.Get(Ip4(192, 0, 2, 0), 24), 4u);
  EXPECT_EQ(t.Get(Ip4(192, 0, 2, 0), 25), std::nullopt);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 77)), 5u);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 76)), 4u);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 3, 0)), 9u);
  EXPECT_EQ(t.Lookup(Ip4(198, 51, 100, 1)), 3u);
  EXPECT_EQ(t.Lookup(Ip4(198, 52, 0, 1)), 9u);
  t.Set(Ip4(192, 0, 2, 0), 24, 6);   // overwrite
  t.Clear(Ip4(203, 0, 113, 0), 24);  // absent
  t.Clear(Ip4(192, 0, 2, 77), 32);
  t.Clear(0, 0);
  t.Commit();
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 77)), 6u);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 3, 0)), 0u);
  EXPECT_EQ(t.Lookup(Ip4(198, 51, 100, 1)), 3u);
  t.Clear(Ip4(192, 0, 2, 0), 24);
  t.Clear(Ip4(198, 51, 0, 0), 15);
  t.Commit();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 77)), 0u);
  EXPECT_EQ(t.MemoryBytes(), Lpm4().MemoryBytes()) << "blocks freed";
}

TEST(Lpm4, ShortPrefixChangesReachBlocksWithLongerRoutes) {
  Lpm4 t;
  t.Set(Ip4(10, 1, 2, 0), 24, 1);
  t.Set(Ip4(10, 1, 2, 128), 25, 2);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 3, 0)), 0u);
  t.Set(Ip4(10, 0, 0, 0), 8, 3);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 3, 0)), 3u);
  EXPECT_EQ(t.Lookup(Ip4(10, 2, 3, 0)), 3u);
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 2, 200)), 2u);
  t.Set(Ip4(10, 1, 0, 0), 16, 4);
  t.Set(Ip4(0, 0, 0, 0), 0, 5);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 3, 0)), 4u);
  EXPECT_EQ(t.Lookup(Ip4(10, 2, 3, 0)), 3u);
  EXPECT_EQ(t.Lookup(Ip4(11, 2, 3, 0)), 5u);
  t.Clear(Ip4(10, 1, 0, 0), 16);
  t.Clear(Ip4(10, 0, 0, 0), 8);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 3, 0)), 5u);
  EXPECT_EQ(t.Lookup(Ip4(10, 1, 2, 1)), 1u);
}

// Prefixes clustered in a few /12s so that blocks get deep, with every length 0..32.
struct Gen4 {
  std::mt19937_64 rng{42};
  std::vector<uint32_t> bases;
  Gen4() {
    for (int i = 0; i < 6; ++i) bases.push_back(static_cast<uint32_t>(rng()) & Mask4(12));
  }
  std::pair<uint32_t, int> Prefix() {
    int l = static_cast<int>(rng() % 100);
    l = l < 5    ? static_cast<int>(rng() % 17)
        : l < 40 ? 17 + static_cast<int>(rng() % 8)
                 : 17 + static_cast<int>(rng() % 16);
    uint32_t p = rng() % 4 == 0
                     ? static_cast<uint32_t>(rng())
                     : bases[rng() % bases.size()] | (static_cast<uint32_t>(rng()) >> 12);
    return {p & Mask4(l), l};
  }
  std::vector<uint32_t> Keys(const Ref4& ref, size_t n) {
    std::vector<uint32_t> keys;
    std::vector<std::pair<int, uint32_t>> routes;
    for (auto& [k, v] : ref.routes()) routes.push_back(k);
    for (size_t i = 0; i < n; ++i) {
      uint32_t k;
      if (routes.empty() || i % 4 == 0) {
        k = static_cast<uint32_t>(rng());
      } else {
        auto [l, p] = routes[rng() % routes.size()];
        uint32_t host = ~Mask4(l);
        switch (i % 4) {
          case 1:
            k = p | (static_cast<uint32_t>(rng()) & host);
            break;
          case 2:
            k = p + host + 1;
            break;  // just past the end
          default:
            k = p - 1;
            break;  // just before
        }
      }
      keys.push_back(k);
    }
    return keys;
  }
};

void Check4(const Lpm4& t, const Ref4& ref, const std::vector<uint32_t>& keys) {
  std::vector<uint32_t> batch(keys.size());
  t.LookupBatch(keys.data(), batch.data(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    uint32_t want = ref.Lookup(keys[i]);
    ASSERT_EQ(t.Lookup(keys[i]), want) << std::hex << keys[i];
    ASSERT_EQ(batch[i], want) << std::hex << keys[i] << " batch index " << std::dec << i;
  }
  ASSERT_EQ(t.size(), ref.size());
}

TEST(Lpm4, RandomIncrementalAgainstReference) {
  Gen4 g;
  Lpm4 t;
  Ref4 ref;
  std::vector<std::pair<uint32_t, int>> added;
  for (int round = 0; round < 30; ++round) {
    int ops = round == 0 ? 3000 : static_cast<int>(g.rng() % 200);
    for (int i = 0; i < ops; ++i) {
      if (!added.empty() && g.rng() % 3 == 0) {
        auto [p, l] = added[g.rng() % added.size()];
        t.Clear(p, static_cast<uint8_t>(l));
        ref.Clear(p, l);
      } else if (g.rng() % 50 == 0) {
        auto [p, l] = g.Prefix();
        t.Clear(p, static_cast<uint8_t>(l));  // mostly absent
        ref.Clear(p, l);
      } else {
        auto [p, l] = g.Prefix();
        uint32_t v = 1 + static_cast<uint32_t>(g.rng() % 1000) + (g.rng() % 8 == 0 ? 100000 : 0);
        t.Set(p, static_cast<uint8_t>(l), v);
        ref.Set(p, l, v);
        added.push_back({p, l});
        ASSERT_EQ(t.Get(p, static_cast<uint8_t>(l)), v);
      }
    }
    if (round % 7 == 3) {
      t.Set(0, 0, 4242);
      ref.Set(0, 0, 4242);
    } else if (round % 7 == 5) {
      t.Clear(0, 0);
      ref.Clear(0, 0);
    }
    t.Commit();
    ASSERT_NO_FATAL_FAILURE(Check4(t, ref, g.Keys(ref, 20000))) << "round " << round;
  }
  for (auto [p, l] : added) t.Clear(p, static_cast<uint8_t>(l));
  t.Clear(0, 0);
  t.Commit();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.MemoryBytes(), Lpm4().MemoryBytes());
}

TEST(Lpm4DeathTest, ValueOutOfRangeIsAProgrammingError) {
  Lpm4 t;
  t.Set(Ip4(192, 0, 2, 0), 24, Lpm4::kMaxValue - 1);
  t.Commit();
  EXPECT_EQ(t.Lookup(Ip4(192, 0, 2, 1)), Lpm4::kMaxValue - 1);
  EXPECT_DEATH(t.Set(Ip4(192, 0, 2, 0), 24, Lpm4::kMaxValue), "out of range");
}

// A /18 whose 64 /24s all hold longer routes (a Root without leaves), next to /18s with wide
// leaves and with a leaf run per /24: every layout of a Root.
TEST(Lpm4, RootLayouts) {
  Lpm4 t;
  Ref4 ref;
  auto set = [&](uint32_t p, int l, uint32_t v) {
    t.Set(p, static_cast<uint8_t>(l), v);
    ref.Set(p, l, v);
  };
  for (uint32_t i = 0; i < 64; ++i) set(Ip4(10, 0, static_cast<int>(i), 128), 25, 100 + i);
  for (uint32_t i = 0; i < 64; i += 2) set(Ip4(10, 0, 64 + static_cast<int>(i), 0), 24, 70000 + i);
  for (uint32_t i = 0; i < 64; ++i) set(Ip4(10, 0, 128 + static_cast<int>(i), 0), 24, 1 + i % 3);
  set(Ip4(10, 0, 130, 7), 32, 9);
  set(Ip4(10, 0, 0, 0), 16, 5);
  t.Commit();
  for (uint32_t a = Ip4(10, 0, 0, 0); a < Ip4(10, 1, 0, 0); a += 37) {
    ASSERT_EQ(t.Lookup(a), ref.Lookup(a)) << std::hex << a;
  }
  std::vector<uint32_t> keys;
  for (uint32_t a = Ip4(10, 0, 0, 0); a < Ip4(10, 1, 0, 0); a += 101) keys.push_back(a);
  std::vector<uint32_t> out(keys.size());
  t.LookupBatch(keys.data(), out.data(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) ASSERT_EQ(out[i], ref.Lookup(keys[i])) << i;
}

TEST(Lpm4, BatchOfEveryLength) {
  Lpm4 t;
  Ref4 ref;
  Gen4 g;
  for (int i = 0; i < 500; ++i) {
    auto [p, l] = g.Prefix();
    t.Set(p, static_cast<uint8_t>(l), static_cast<uint32_t>(i + 1));
    ref.Set(p, l, static_cast<uint32_t>(i + 1));
  }
  t.Commit();
  auto keys = g.Keys(ref, 100);
  for (size_t n = 0; n <= keys.size(); ++n) {
    std::vector<uint32_t> out(n + 1, 0xdead);
    t.LookupBatch(keys.data(), out.data(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], ref.Lookup(keys[i]));
    ASSERT_EQ(out[n], 0xdeadu) << "wrote past n";
  }
}

// IPv6: clusters in a few /24s and /32s, every length 0..128.
struct Gen6 {
  std::mt19937_64 rng{7};
  std::vector<Ip6> bases;
  Gen6() {
    for (int i = 0; i < 4; ++i) {
      uint64_t hi = 0x2001000000000000ULL | (rng() & 0x0000ff0000000000ULL);
      bases.push_back({hi, 0});
      bases.push_back({hi | (rng() & 0x000000ffff000000ULL), 0});
    }
  }
  std::pair<Ip6, int> Prefix() {
    int r = static_cast<int>(rng() % 100);
    int l = r < 5    ? static_cast<int>(rng() % 25)
            : r < 50 ? 25 + static_cast<int>(rng() % 40)
            : r < 80 ? 40 + static_cast<int>(rng() % 25)
                     : 64 + static_cast<int>(rng() % 65);
    Ip6 p{rng(), rng()};
    if (rng() % 5) {
      const Ip6& b = bases[rng() % bases.size()];
      int keep = b.hi & 0xffffff ? 40 : 24;
      p.hi = Mask6(b, keep).hi | (p.hi & ~Mask6({~0ULL, 0}, keep).hi);
    }
    return {Mask6(p, l), l};
  }
};

TEST(Lpm6, EmptyDefaultHostOverwriteClear) {
  Lpm6 t;
  Ip6 a{0x20010db800000000ULL, 1};
  EXPECT_EQ(t.Lookup(a), 0u);
  t.Set({}, 0, 9);
  t.Commit();
  EXPECT_EQ(t.Lookup(a), 9u);
  t.Set(a, 128, 5);
  t.Set({0x20010db800010000ULL, 0}, 48, 4);
  t.Set({0x20010db800000000ULL, 0}, 32, 3);
  t.Set({0x2001000000000000ULL, 0}, 16, 2);
  t.Set({0x2001000000000000ULL, 0}, 20, 8);
  t.Commit();
  EXPECT_EQ(t.size(), 6u);
  EXPECT_EQ(t.Lookup(a), 5u);
  EXPECT_EQ(t.Lookup({a.hi, 2}), 3u);
  EXPECT_EQ(t.Lookup({0x20010db80001ffffULL, 7}), 4u);
  EXPECT_EQ(t.Lookup({0x20010db90001ffffULL, 7}), 8u);
  EXPECT_EQ(t.Lookup({0x2001f00000000000ULL, 7}), 2u);
  EXPECT_EQ(t.Lookup({0x2002000000000000ULL, 7}), 9u);
  EXPECT_EQ(t.Get({0x20010db800010000ULL, 0}, 48), 4u);
  EXPECT_EQ(t.Get({0x20010db800010000ULL, 0}, 47), std::nullopt);
  t.Set(a, 128, 6);
  t.Clear({0x20010db800020000ULL, 0}, 48);  // absent
  t.Clear({0x2001000000000000ULL, 0}, 20);
  t.Commit();
  EXPECT_EQ(t.Lookup(a), 6u);
  EXPECT_EQ(t.Lookup({0x20010db90001ffffULL, 7}), 2u);
  t.Clear(a, 128);
  t.Clear({0x20010db800010000ULL, 0}, 48);
  t.Clear({0x20010db800000000ULL, 0}, 32);
  t.Clear({0x2001000000000000ULL, 0}, 16);
  t.Clear({}, 0);
  t.Commit();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.Lookup(a), 0u);
  EXPECT_EQ(t.MemoryBytes(), Lpm6().MemoryBytes());
}

TEST(Lpm6, RandomIncrementalAgainstReference) {
  Gen6 g;
  Lpm6 t;
  Ref6 ref;
  std::vector<std::pair<Ip6, int>> added;
  for (int round = 0; round < 25; ++round) {
    int ops = round == 0 ? 3000 : static_cast<int>(g.rng() % 200);
    for (int i = 0; i < ops; ++i) {
      if (!added.empty() && g.rng() % 3 == 0) {
        auto [p, l] = added[g.rng() % added.size()];
        t.Clear(p, static_cast<uint8_t>(l));
        ref.Clear(p, l);
      } else {
        auto [p, l] = g.Prefix();
        uint32_t v = 1 + static_cast<uint32_t>(g.rng() % 1000) + (g.rng() % 8 == 0 ? 100000 : 0);
        t.Set(p, static_cast<uint8_t>(l), v);
        ref.Set(p, l, v);
        added.push_back({p, l});
        ASSERT_EQ(t.Get(p, static_cast<uint8_t>(l)), v);
      }
    }
    if (round % 5 == 2) {
      t.Set({}, 0, 777);
      ref.Set({}, 0, 777);
    } else if (round % 5 == 4) {
      t.Clear({}, 0);
      ref.Clear({}, 0);
    }
    t.Commit();
    ASSERT_EQ(t.size(), ref.size());
    std::vector<Ip6> keys;
    for (int i = 0; i < 6000; ++i) {
      if (i % 3 == 0) {
        keys.push_back({g.rng(), g.rng()});
      } else {
        auto [p, l] = added[g.rng() % added.size()];
        Ip6 host{~Mask6({~0ULL, ~0ULL}, l).hi, ~Mask6({~0ULL, ~0ULL}, l).lo};
        if (i % 3 == 1) {
          keys.push_back({p.hi | (g.rng() & host.hi), p.lo | (g.rng() & host.lo)});
        } else {
          keys.push_back({p.hi | host.hi, p.lo | host.lo});  // last address
        }
      }
    }
    std::vector<uint32_t> batch(keys.size());
    t.LookupBatch(keys.data(), batch.data(), keys.size());
    for (size_t i = 0; i < keys.size(); ++i) {
      uint32_t want = ref.Lookup(keys[i]);
      ASSERT_EQ(t.Lookup(keys[i]), want)
          << "round " << round << std::hex << " " << keys[i].hi << ":" << keys[i].lo;
      ASSERT_EQ(batch[i], want) << "round " << round << " batch " << i;
    }
  }
  for (auto [p, l] : added) t.Clear(p, static_cast<uint8_t>(l));
  t.Clear({}, 0);
  t.Commit();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(t.MemoryBytes(), Lpm6().MemoryBytes());
}

// The table at writer step j (j >= 0): a /0, a /8 and a /16 whose values change (in-place
// default updates), a /24 and /25 that change or disappear (block rebuilds) and a host route.
uint32_t Expected4(uint32_t key, uint64_t j) {
  uint32_t v = 1000 + j % 3;  // /0
  if ((key & Mask4(8)) == Ip4(10, 0, 0, 0) && j % 4 != 1) v = 2000 + j;
  if ((key & Mask4(16)) == Ip4(10, 1, 0, 0) && j % 2 == 0) v = 3000 + j;
  if ((key & Mask4(24)) == Ip4(10, 1, 2, 0)) v = 4000 + j;
  if ((key & Mask4(25)) == Ip4(10, 1, 2, 128) && j % 3 != 2) v = 5000 + j;
  if (key == Ip4(10, 1, 2, 200)) v = 6000 + j % 2;
  return v;
}

void Apply4(Lpm4& t, uint64_t j) {
  t.Set(0, 0, static_cast<uint32_t>(1000 + j % 3));
  if (j % 4 != 1)
    t.Set(Ip4(10, 0, 0, 0), 8, static_cast<uint32_t>(2000 + j));
  else
    t.Clear(Ip4(10, 0, 0, 0), 8);
  if (j % 2 == 0)
    t.Set(Ip4(10, 1, 0, 0), 16, static_cast<uint32_t>(3000 + j));
  else
    t.Clear(Ip4(10, 1, 0, 0), 16);
  t.Set(Ip4(10, 1, 2, 0), 24, static_cast<uint32_t>(4000 + j));
  if (j % 3 != 2)
    t.Set(Ip4(10, 1, 2, 128), 25, static_cast<uint32_t>(5000 + j));
  else
    t.Clear(Ip4(10, 1, 2, 128), 25);
  t.Set(Ip4(10, 1, 2, 200), 32, static_cast<uint32_t>(6000 + j % 2));
  t.Commit();
}

TEST(Lpm4, ReadersSeeOldOrNewDuringCommits) {
  Lpm4 t;
  Apply4(t, 0);
  std::atomic<uint64_t> done_step{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> lookups{0}, bad{0};
  const std::vector<uint32_t> keys = {Ip4(10, 1, 2, 200), Ip4(10, 1, 2, 129), Ip4(10, 1, 2, 1),
                                      Ip4(10, 1, 3, 1),   Ip4(10, 2, 0, 1),   Ip4(11, 0, 0, 1)};
  std::thread reader([&] {
    rcu::ReaderScope scope;
    uint32_t out[6];
    while (!stop.load()) {
      uint64_t before = done_step.load(std::memory_order_acquire);
      uint32_t single[6];
      for (size_t i = 0; i < keys.size(); ++i) single[i] = t.Lookup(keys[i]);
      t.LookupBatch(keys.data(), out, keys.size());
      uint64_t after = done_step.load(std::memory_order_acquire);
      for (size_t i = 0; i < keys.size(); ++i) {
        for (uint32_t got : {single[i], out[i]}) {
          bool ok = false;
          for (uint64_t j = before; j <= after + 1 && !ok; ++j) ok = got == Expected4(keys[i], j);
          if (!ok) bad.fetch_add(1);
        }
      }
      lookups.fetch_add(1);
      rcu::Quiescent();
    }
  });
  for (uint64_t j = 1; j <= 1000; ++j) {
    Apply4(t, j);
    done_step.store(j, std::memory_order_release);
  }
  stop.store(true);
  reader.join();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GT(lookups.load(), 0u);
}

uint32_t Expected6(const Ip6& key, uint64_t j) {
  uint32_t v = 1000 + j % 3;
  if (Mask6(key, 16) == Ip6{0x2001000000000000ULL, 0} && j % 2 == 0) v = 2000 + j;
  if (Mask6(key, 20) == Ip6{0x2001000000000000ULL, 0} && j % 3 == 0) v = 2500 + j;
  if (Mask6(key, 32) == Ip6{0x20010db800000000ULL, 0}) v = 3000 + j;
  if (Mask6(key, 48) == Ip6{0x20010db800010000ULL, 0} && j % 4 != 3) v = 4000 + j;
  if (key == Ip6{0x20010db800010000ULL, 1}) v = 5000 + j % 2;
  return v;
}

void Apply6(Lpm6& t, uint64_t j) {
  t.Set({}, 0, static_cast<uint32_t>(1000 + j % 3));
  if (j % 2 == 0)
    t.Set({0x2001000000000000ULL, 0}, 16, static_cast<uint32_t>(2000 + j));
  else
    t.Clear({0x2001000000000000ULL, 0}, 16);
  if (j % 3 == 0)
    t.Set({0x2001000000000000ULL, 0}, 20, static_cast<uint32_t>(2500 + j));
  else
    t.Clear({0x2001000000000000ULL, 0}, 20);
  t.Set({0x20010db800000000ULL, 0}, 32, static_cast<uint32_t>(3000 + j));
  if (j % 4 != 3)
    t.Set({0x20010db800010000ULL, 0}, 48, static_cast<uint32_t>(4000 + j));
  else
    t.Clear({0x20010db800010000ULL, 0}, 48);
  t.Set({0x20010db800010000ULL, 1}, 128, static_cast<uint32_t>(5000 + j % 2));
  t.Commit();
}

TEST(Lpm6, ReadersSeeOldOrNewDuringCommits) {
  Lpm6 t;
  Apply6(t, 0);
  std::atomic<uint64_t> done_step{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> lookups{0}, bad{0};
  const std::vector<Ip6> keys = {{0x20010db800010000ULL, 1}, {0x20010db800010000ULL, 2},
                                 {0x20010db800020000ULL, 1}, {0x2001000100000000ULL, 1},
                                 {0x2001f00000000000ULL, 1}, {0x2a00000000000000ULL, 1}};
  std::thread reader([&] {
    rcu::ReaderScope scope;
    uint32_t out[6];
    while (!stop.load()) {
      uint64_t before = done_step.load(std::memory_order_acquire);
      uint32_t single[6];
      for (size_t i = 0; i < keys.size(); ++i) single[i] = t.Lookup(keys[i]);
      t.LookupBatch(keys.data(), out, keys.size());
      uint64_t after = done_step.load(std::memory_order_acquire);
      for (size_t i = 0; i < keys.size(); ++i) {
        for (uint32_t got : {single[i], out[i]}) {
          bool ok = false;
          for (uint64_t j = before; j <= after + 1 && !ok; ++j) ok = got == Expected6(keys[i], j);
          if (!ok) bad.fetch_add(1);
        }
      }
      lookups.fetch_add(1);
      rcu::Quiescent();
    }
  });
  for (uint64_t j = 1; j <= 1000; ++j) {
    Apply6(t, j);
    done_step.store(j, std::memory_order_release);
  }
  stop.store(true);
  reader.join();
  EXPECT_EQ(bad.load(), 0u);
  EXPECT_GT(lookups.load(), 0u);
}

}  // namespace
}  // namespace sabina::fib
