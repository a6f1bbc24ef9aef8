#include "fib/lpm.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/rcu.h"
#include "fib/lpm_poptrie.h"

namespace sabina::fib {

using lpm_internal::Arena;
using lpm_internal::Block;
using lpm_internal::Builder;
using lpm_internal::FreeBlock;
using lpm_internal::IsLeaf;
using lpm_internal::LeafEntry;
using lpm_internal::Route;
using lpm_internal::Walk;
using lpm_internal::WalkLanes;

namespace {

using U128 = unsigned __int128;

constexpr size_t kDirect = size_t{1} << 16;
// Lookups a batch interleaves: enough misses in flight to cover DRAM latency, few enough to
// keep the lane state in registers and L1.
constexpr int kLanes = 16;

const Block* AsBlock(uint64_t e) { return reinterpret_cast<const Block*>(e); }
Block* AsMutableBlock(uint64_t e) { return reinterpret_cast<Block*>(e); }
uint64_t AsEntry(const void* p) { return reinterpret_cast<uintptr_t>(p); }

uint32_t Mask4(uint8_t length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

U128 Key6(const Ip6& a) { return U128{a.hi} << 64 | a.lo; }
U128 Mask6(uint8_t length) { return length == 0 ? 0 : ~U128{0} << (128 - length); }

// Short prefixes (length <= 16) in direct arrays: one slot per possible prefix, 0 = absent.
// 2^17 slots in all (512 KiB), O(1) updates and a 17-probe best match for a /16.
class ShortTable {
 public:
  ShortTable() {
    for (unsigned l = 0; l <= 16; ++l) slots_[l].assign(size_t{1} << l, 0);
  }
  uint32_t& Slot(uint8_t length, uint32_t top16) { return slots_[length][top16 >> (16 - length)]; }
  uint32_t Get(uint8_t length, uint32_t top16) const {
    return slots_[length][top16 >> (16 - length)];
  }
  // Best route of length <= 16 covering the /16 `top16`.
  uint32_t Best(uint32_t top16) const {
    for (int l = 16; l >= 0; --l) {
      if (uint32_t v = slots_[l][top16 >> (16 - l)]) return v;
    }
    return 0;
  }

 private:
  std::vector<uint32_t> slots_[17];
};

struct Change {
  int delta;     // change of the route count
  bool changed;  // anything at all
};

// Inserts/overwrites (value != 0) or erases (value == 0) in a sorted route list.
template <class K>
Change Update(std::vector<Route<K>>& v, K prefix, uint8_t length, uint32_t value) {
  auto it =
      std::lower_bound(v.begin(), v.end(), std::pair{prefix, length},
                       [](const Route<K>& r, const std::pair<K, uint8_t>& k) {
                         return r.prefix < k.first || (r.prefix == k.first && r.length < k.second);
                       });
  bool found = it != v.end() && it->prefix == prefix && it->length == length;
  if (value == 0) {
    if (!found) return {0, false};
    v.erase(it);
    return {-1, true};
  }
  if (found) {
    bool changed = it->value != value;
    it->value = value;
    return {0, changed};
  }
  v.insert(it, Route<K>{prefix, length, value});
  return {1, true};
}

template <class K>
std::optional<uint32_t> Find(const std::vector<Route<K>>& v, K prefix, uint8_t length) {
  auto it =
      std::lower_bound(v.begin(), v.end(), std::pair{prefix, length},
                       [](const Route<K>& r, const std::pair<K, uint8_t>& k) {
                         return r.prefix < k.first || (r.prefix == k.first && r.length < k.second);
                       });
  if (it != v.end() && it->prefix == prefix && it->length == length) return it->value;
  return std::nullopt;
}

// Block ranges whose default (best covering short route) must be recomputed at Commit.
class RangeSet {
 public:
  void Add(uint32_t first, uint32_t count, uint32_t limit) {
    total_ += count;
    if (total_ >= limit) {
      ranges_.assign(1, {0, limit});
      total_ = limit;
      return;
    }
    ranges_.push_back({first, count});
  }
  const std::vector<std::pair<uint32_t, uint32_t>>& ranges() const { return ranges_; }
  void Clear() {
    ranges_.clear();
    total_ = 0;
  }

 private:
  std::vector<std::pair<uint32_t, uint32_t>> ranges_;
  uint64_t total_ = 0;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// IPv4: direct[addr >> 16] is a leaf (the /16 holds no route longer than /16) or a block.

struct Lpm4::Impl {
  std::unique_ptr<std::atomic<uint64_t>[]> direct { new std::atomic<uint64_t>[ kDirect ] };
  // Control side. The arena outlives the blocks (destroyed after the destructor body).
  Arena arena;
  ShortTable shorts;
  std::vector<std::vector<Route<uint32_t>>> routes =
      std::vector<std::vector<Route<uint32_t>>>(kDirect);  // per /16, lengths 17..32
  std::vector<uint32_t> defaults = std::vector<uint32_t>(kDirect, 0);
  std::vector<uint8_t> dirty = std::vector<uint8_t>(kDirect, 0);
  std::vector<uint32_t> dirty_list;
  RangeSet stale_defaults;
  size_t count = 0;
  size_t block_bytes = 0;
  Builder<uint64_t> builder;
  std::vector<Route<uint64_t>> scratch;

  Impl() {
    for (size_t i = 0; i < kDirect; ++i) direct[i].store(LeafEntry(0), std::memory_order_relaxed);
  }
  ~Impl() {
    for (size_t i = 0; i < kDirect; ++i) {
      uint64_t e = direct[i].load(std::memory_order_relaxed);
      if (!IsLeaf(e)) FreeBlock(arena, AsMutableBlock(e));
    }
  }

  void Stage(uint32_t prefix, uint8_t length, uint32_t value) {
    if (length > 32) return;
    prefix &= Mask4(length);
    if (length <= 16) {
      uint32_t& slot = shorts.Slot(length, prefix >> 16);
      if (slot == value) return;
      count += (slot == 0) - (value == 0);
      slot = value;
      stale_defaults.Add(prefix >> 16, 1u << (16 - length), kDirect);
      return;
    }
    uint32_t b = prefix >> 16;
    Change c = Update<uint32_t>(routes[b], prefix, length, value);
    count += c.delta;
    if (c.changed && !dirty[b]) {
      dirty[b] = 1;
      dirty_list.push_back(b);
    }
  }

  Block* BuildBlock(uint32_t b) {
    scratch.clear();
    for (const auto& r : routes[b])
      scratch.push_back({uint64_t{r.prefix} << 32, r.length, r.value});
    return builder.Build(arena, scratch.data(), scratch.size(), 16, defaults[b]);
  }

  void Commit() {
    for (auto [first, n] : stale_defaults.ranges()) {
      for (uint32_t b = first; b < first + n; ++b) {
        uint32_t d = shorts.Best(b);
        if (d == defaults[b]) continue;
        defaults[b] = d;
        if (dirty[b]) continue;  // rebuilt below with the new default
        uint64_t e = direct[b].load(std::memory_order_relaxed);
        if (IsLeaf(e)) {
          direct[b].store(LeafEntry(d), std::memory_order_release);
        } else {
          AsMutableBlock(e)->def.store(d, std::memory_order_relaxed);
        }
      }
    }
    stale_defaults.Clear();
    std::vector<Block*> retired;
    for (uint32_t b : dirty_list) {
      dirty[b] = 0;
      uint64_t next;
      if (routes[b].empty()) {
        next = LeafEntry(defaults[b]);
      } else {
        Block* nb = BuildBlock(b);
        block_bytes += nb->bytes;
        next = AsEntry(nb);
      }
      uint64_t prev = direct[b].exchange(next, std::memory_order_acq_rel);
      if (!IsLeaf(prev)) {
        block_bytes -= AsBlock(prev)->bytes;
        retired.push_back(AsMutableBlock(prev));
      }
    }
    dirty_list.clear();
    if (!retired.empty()) {
      rcu::Synchronize();
      for (Block* b : retired) FreeBlock(arena, b);
    }
  }

  // LookupBatch is software-pipelined over groups of kLanes keys: in each step, group t+3 has
  // its direct slots prefetched, group t+2 loads them and prefetches its root nodes, group t+1
  // finds its leaves (routes up to /24 end in a root node: nearly all) and prefetches them,
  // group t reads them. Every load is thus issued three groups' worth of work before it is
  // used, and the misses of different groups overlap; the rare deeper keys finish with a walk.
  static constexpr int kRing = 4 * kLanes;
  struct Pipe {
    uint64_t e[kRing];
    uint32_t leaf[kRing];
  };

  void Stage1(const uint32_t* a, size_t lo, size_t hi) const {
    for (size_t i = lo; i < hi; ++i) __builtin_prefetch(&direct[a[i] >> 16]);
  }
  void Stage2(const uint32_t* a, size_t lo, size_t hi, Pipe& p) const {
    for (size_t i = lo; i < hi; ++i) {
      uint64_t e = direct[a[i] >> 16].load(std::memory_order_acquire);
      p.e[i % kRing] = e;
      if (!IsLeaf(e)) {
        __builtin_prefetch(AsBlock(e));
        __builtin_prefetch(AsBlock(e)->Nodes() + ((a[i] >> 14) & 3));
      }
    }
  }
  void Stage3(const uint32_t* a, size_t lo, size_t hi, Pipe& p) const {
    for (size_t i = lo; i < hi; ++i) {
      uint64_t e = p.e[i % kRing];
      if (IsLeaf(e)) continue;
      const Block* b = AsBlock(e);
      const lpm_internal::Node* nd = b->Nodes() + ((a[i] >> 14) & 3);
      unsigned v = (a[i] >> 8) & 63;
      if ((nd->vector >> v) & 1) {
        p.leaf[i % kRing] = ~uint32_t{0};
        continue;
      }
      uint32_t leaf =
          nd->base0 + static_cast<uint32_t>(std::popcount(nd->leafvec & lpm_internal::UpTo(v)));
      p.leaf[i % kRing] = leaf;
      __builtin_prefetch(b->LeafAddress(leaf));
    }
  }
  void Stage4(const uint32_t* a, uint32_t* out, size_t lo, size_t hi, const Pipe& p) const {
    for (size_t i = lo; i < hi; ++i) {
      uint64_t e = p.e[i % kRing];
      uint32_t leaf = p.leaf[i % kRing];
      if (IsLeaf(e)) {
        out[i] = static_cast<uint32_t>(e >> 1);
      } else if (leaf != ~uint32_t{0}) {
        const Block* b = AsBlock(e);
        uint32_t v = b->Leaf(leaf);
        uint32_t def = b->def.load(std::memory_order_relaxed);
        out[i] = v ? v : def;
      } else {
        out[i] = Walk<uint64_t>(AsBlock(e), (a[i] >> 14) & 3, uint64_t{a[i]} << 32, 18);
      }
    }
  }
  void Batch(const uint32_t* a, uint32_t* out, size_t n) const {
    Pipe p;
    const size_t groups = (n + kLanes - 1) / kLanes;
    auto lo = [](size_t g) { return g * kLanes; };
    auto hi = [n](size_t g) { return std::min(n, (g + 1) * kLanes); };
    for (size_t t = 0; t < groups + 3; ++t) {
      if (t < groups) Stage1(a, lo(t), hi(t));
      if (t >= 1 && t - 1 < groups) Stage2(a, lo(t - 1), hi(t - 1), p);
      if (t >= 2 && t - 2 < groups) Stage3(a, lo(t - 2), hi(t - 2), p);
      if (t >= 3) Stage4(a, out, lo(t - 3), hi(t - 3), p);
    }
  }
};

Lpm4::Lpm4() : impl_(std::make_unique<Impl>()) {}
Lpm4::~Lpm4() = default;

void Lpm4::Set(uint32_t prefix, uint8_t length, uint32_t value) {
  impl_->Stage(prefix, length, value);
}
void Lpm4::Clear(uint32_t prefix, uint8_t length) { impl_->Stage(prefix, length, 0); }
void Lpm4::Commit() { impl_->Commit(); }

std::optional<uint32_t> Lpm4::Get(uint32_t prefix, uint8_t length) const {
  if (length > 32) return std::nullopt;
  prefix &= Mask4(length);
  if (length <= 16) {
    uint32_t v = impl_->shorts.Get(length, prefix >> 16);
    return v ? std::optional<uint32_t>(v) : std::nullopt;
  }
  return Find<uint32_t>(impl_->routes[prefix >> 16], prefix, length);
}

size_t Lpm4::size() const { return impl_->count; }

size_t Lpm4::MemoryBytes() const { return kDirect * sizeof(uint64_t) + impl_->block_bytes; }

uint32_t Lpm4::Lookup(uint32_t address) const {
  uint64_t e = impl_->direct[address >> 16].load(std::memory_order_acquire);
  if (IsLeaf(e)) return static_cast<uint32_t>(e >> 1);
  return Walk<uint64_t>(AsBlock(e), (address >> 14) & 3, uint64_t{address} << 32, 18);
}

void Lpm4::LookupBatch(const uint32_t* addresses, uint32_t* out, size_t n) const {
  impl_->Batch(addresses, out, n);
}

// ---------------------------------------------------------------------------------------------
// IPv6: direct[hi >> 48] is a leaf (the /16 holds no route longer than /16) or a Mid table of
// the 256 /24s; a Mid slot is a leaf (no route longer than /24 in it) or a block rooted at /24.
// Mid slots are updated in place; a Mid appears when its /16 gets a route longer than /16 and
// goes away, after a grace period, when the last one is cleared.

namespace {

struct Mid {
  std::atomic<uint64_t> slot[256];
};

// Routes of length 17..24, hashed by their top `length` bits.
class MidTable {
 public:
  uint32_t Get(uint8_t length, uint32_t top24) const {
    const auto& m = maps_[length - 17];
    auto it = m.find(top24 >> (24 - length));
    return it == m.end() ? 0 : it->second;
  }
  // Returns the previous value (0 = absent).
  uint32_t Put(uint8_t length, uint32_t top24, uint32_t value) {
    auto& m = maps_[length - 17];
    uint32_t key = top24 >> (24 - length);
    auto it = m.find(key);
    uint32_t prev = it == m.end() ? 0 : it->second;
    if (value == 0) {
      if (it != m.end()) m.erase(it);
    } else if (it == m.end()) {
      m.emplace(key, value);
    } else {
      it->second = value;
    }
    return prev;
  }

 private:
  std::unordered_map<uint32_t, uint32_t> maps_[8];
};

}  // namespace

struct Lpm6::Impl {
  std::unique_ptr<std::atomic<uint64_t>[]> direct { new std::atomic<uint64_t>[ kDirect ] };
  // Control side. The arena outlives the blocks (destroyed after the destructor body).
  Arena arena;
  ShortTable shorts;                                                   // lengths 0..16
  MidTable mids;                                                       // lengths 17..24
  std::unordered_map<uint32_t, std::vector<Route<U128>>> routes;       // per /24, 25..128
  std::vector<uint32_t> longer16 = std::vector<uint32_t>(kDirect, 0);  // routes > /16 per /16
  // Staged work: /16s whose default changed, /24 ranges whose default changed, /24s to rebuild.
  RangeSet stale16;
  std::vector<std::pair<uint32_t, uint32_t>> stale24;  // (first /24, count) inside one /16
  std::unordered_set<uint32_t> rebuild24;
  size_t count = 0;
  size_t bytes = 0;  // mids and blocks
  Builder<U128> builder;

  Impl() {
    for (size_t i = 0; i < kDirect; ++i) direct[i].store(LeafEntry(0), std::memory_order_relaxed);
  }
  ~Impl() {
    for (size_t i = 0; i < kDirect; ++i) {
      uint64_t e = direct[i].load(std::memory_order_relaxed);
      if (!IsLeaf(e)) FreeMid(reinterpret_cast<Mid*>(e), nullptr);
    }
  }

  // Frees `mid` and its blocks now, or hands them to `retired` (freed after a grace period).
  void FreeMid(Mid* mid, std::vector<void*>* retired) {
    for (auto& s : mid->slot) {
      uint64_t e = s.load(std::memory_order_relaxed);
      if (IsLeaf(e)) continue;
      bytes -= AsBlock(e)->bytes;
      if (retired) {
        retired->push_back(AsMutableBlock(e));
      } else {
        FreeBlock(arena, AsMutableBlock(e));
      }
    }
    bytes -= sizeof(Mid);
    if (retired) {
      retired->push_back(nullptr);  // marks the next pointer as a Mid
      retired->push_back(mid);
    } else {
      delete mid;
    }
  }

  uint32_t Best16(uint32_t top16) const { return shorts.Best(top16); }
  uint32_t Best24(uint32_t top24) const {
    if (longer16[top24 >> 8]) {
      for (int l = 24; l >= 17; --l) {
        if (uint32_t v = mids.Get(static_cast<uint8_t>(l), top24)) return v;
      }
    }
    return shorts.Best(top24 >> 8);
  }

  void Stage(const Ip6& prefix, uint8_t length, uint32_t value) {
    if (length > 128) return;
    U128 key = Key6(prefix) & Mask6(length);
    uint32_t top24 = static_cast<uint32_t>(key >> 104);
    if (length <= 16) {
      uint32_t& slot = shorts.Slot(length, top24 >> 8);
      if (slot == value) return;
      count += (slot == 0) - (value == 0);
      slot = value;
      stale16.Add(top24 >> 8, 1u << (16 - length), kDirect);
      return;
    }
    int delta;
    if (length <= 24) {
      uint32_t prev = mids.Put(length, top24, value);
      if (prev == value) return;
      delta = (prev == 0) - (value == 0);
      stale24.push_back({top24, 1u << (24 - length)});
    } else {
      auto& v = routes[top24];
      Change c = Update<U128>(v, key, length, value);
      if (v.empty()) routes.erase(top24);
      if (!c.changed) return;
      delta = c.delta;
      rebuild24.insert(top24);
    }
    count += delta;
    uint32_t& longer = longer16[top24 >> 8];
    bool had = longer != 0;
    longer += delta;
    // The /16 needs a Mid now, or none any more.
    if (had != (longer != 0)) stale16.Add(top24 >> 8, 1, kDirect);
  }

  uint64_t MakeSlot(uint32_t top24) {
    uint32_t def = Best24(top24);
    auto it = routes.find(top24);
    if (it == routes.end()) return LeafEntry(def);
    Block* b = builder.Build(arena, it->second.data(), it->second.size(), 24, def);
    bytes += b->bytes;
    return AsEntry(b);
  }

  // Brings the /24 slot `top24` of an existing Mid up to date: rebuilt if its routes changed,
  // else only its default.
  void RefreshSlot(Mid* mid, uint32_t top24, bool rebuild, std::vector<void*>& retired) {
    std::atomic<uint64_t>& s = mid->slot[top24 & 255];
    uint64_t e = s.load(std::memory_order_relaxed);
    if (rebuild || (IsLeaf(e) && routes.count(top24))) {
      uint64_t next = MakeSlot(top24);
      s.store(next, std::memory_order_release);
      if (!IsLeaf(e)) {
        bytes -= AsBlock(e)->bytes;
        retired.push_back(AsMutableBlock(e));
      }
      return;
    }
    uint32_t def = Best24(top24);
    if (IsLeaf(e)) {
      if (e != LeafEntry(def)) s.store(LeafEntry(def), std::memory_order_release);
    } else {
      AsMutableBlock(e)->def.store(def, std::memory_order_relaxed);
    }
  }

  void Commit() {
    std::vector<void*> retired;
    // /16s first: a Mid appears (built complete: its /24 work is done), goes, or has every
    // default refreshed (its rebuilds are still to do).
    std::unordered_set<uint32_t> created, refreshed;
    for (auto [first, n] : stale16.ranges()) {
      for (uint32_t b = first; b < first + n; ++b) {
        uint64_t e = direct[b].load(std::memory_order_relaxed);
        if (longer16[b] == 0) {
          if (!IsLeaf(e)) FreeMid(reinterpret_cast<Mid*>(e), &retired);
          uint64_t leaf = LeafEntry(Best16(b));
          if (e != leaf) direct[b].store(leaf, std::memory_order_release);
          continue;
        }
        Mid* mid;
        if (IsLeaf(e)) {
          mid = new Mid;
          bytes += sizeof(Mid);
          for (uint32_t s = 0; s < 256; ++s) {
            mid->slot[s].store(MakeSlot(b << 8 | s), std::memory_order_relaxed);
          }
          direct[b].store(AsEntry(mid), std::memory_order_release);
          created.insert(b);
        } else if (!created.count(b) && refreshed.insert(b).second) {
          mid = reinterpret_cast<Mid*>(e);
          for (uint32_t s = 0; s < 256; ++s) RefreshSlot(mid, b << 8 | s, false, retired);
        }
      }
    }
    for (auto [first, n] : stale24) {
      uint64_t e = direct[first >> 8].load(std::memory_order_relaxed);
      if (IsLeaf(e) || created.count(first >> 8) || refreshed.count(first >> 8)) continue;
      for (uint32_t t = first; t < first + n; ++t) {
        RefreshSlot(reinterpret_cast<Mid*>(e), t, false, retired);
      }
    }
    for (uint32_t t : rebuild24) {
      uint64_t e = direct[t >> 8].load(std::memory_order_relaxed);
      if (IsLeaf(e) || created.count(t >> 8)) continue;
      RefreshSlot(reinterpret_cast<Mid*>(e), t, true, retired);
    }
    stale16.Clear();
    stale24.clear();
    rebuild24.clear();
    if (retired.empty()) return;
    rcu::Synchronize();
    for (size_t i = 0; i < retired.size(); ++i) {
      if (retired[i] == nullptr) {
        delete static_cast<Mid*>(retired[++i]);
      } else {
        FreeBlock(arena, static_cast<Block*>(retired[i]));
      }
    }
  }

  void Batch(const Ip6* a, uint32_t* out, int n) const {
    const Block* blk[kLanes];
    unsigned root[kLanes];
    U128 key[kLanes];
    const Mid* mid[kLanes];
    for (int j = 0; j < n; ++j) __builtin_prefetch(&direct[a[j].hi >> 48]);
    uint32_t pending = 0;
    for (int j = 0; j < n; ++j) {
      uint64_t e = direct[a[j].hi >> 48].load(std::memory_order_acquire);
      if (IsLeaf(e)) {
        out[j] = static_cast<uint32_t>(e >> 1);
        continue;
      }
      mid[j] = reinterpret_cast<const Mid*>(e);
      __builtin_prefetch(&mid[j]->slot[(a[j].hi >> 40) & 255]);
      pending |= uint32_t{1} << j;
    }
    uint32_t active = 0;
    for (uint32_t m = pending; m; m &= m - 1) {
      int j = std::countr_zero(m);
      uint64_t e = mid[j]->slot[(a[j].hi >> 40) & 255].load(std::memory_order_acquire);
      if (IsLeaf(e)) {
        out[j] = static_cast<uint32_t>(e >> 1);
        continue;
      }
      blk[j] = AsBlock(e);
      root[j] = (a[j].hi >> 38) & 3;
      key[j] = Key6(a[j]);
      __builtin_prefetch(blk[j]->Nodes() + root[j]);
      active |= uint32_t{1} << j;
    }
    if (active) WalkLanes<U128, kLanes>(blk, root, key, 26, active, out);
  }
};

Lpm6::Lpm6() : impl_(std::make_unique<Impl>()) {}
Lpm6::~Lpm6() = default;

void Lpm6::Set(const Ip6& prefix, uint8_t length, uint32_t value) {
  impl_->Stage(prefix, length, value);
}
void Lpm6::Clear(const Ip6& prefix, uint8_t length) { impl_->Stage(prefix, length, 0); }
void Lpm6::Commit() { impl_->Commit(); }

std::optional<uint32_t> Lpm6::Get(const Ip6& prefix, uint8_t length) const {
  if (length > 128) return std::nullopt;
  U128 key = Key6(prefix) & Mask6(length);
  uint32_t top24 = static_cast<uint32_t>(key >> 104);
  uint32_t v;
  if (length <= 16) {
    v = impl_->shorts.Get(length, top24 >> 8);
  } else if (length <= 24) {
    v = impl_->mids.Get(length, top24);
  } else {
    auto it = impl_->routes.find(top24);
    if (it == impl_->routes.end()) return std::nullopt;
    return Find<U128>(it->second, key, length);
  }
  return v ? std::optional<uint32_t>(v) : std::nullopt;
}

size_t Lpm6::size() const { return impl_->count; }

size_t Lpm6::MemoryBytes() const { return kDirect * sizeof(uint64_t) + impl_->bytes; }

uint32_t Lpm6::Lookup(const Ip6& address) const {
  uint64_t e = impl_->direct[address.hi >> 48].load(std::memory_order_acquire);
  if (IsLeaf(e)) return static_cast<uint32_t>(e >> 1);
  e = reinterpret_cast<const Mid*>(e)->slot[(address.hi >> 40) & 255].load(
      std::memory_order_acquire);
  if (IsLeaf(e)) return static_cast<uint32_t>(e >> 1);
  return Walk<U128>(AsBlock(e), (address.hi >> 38) & 3, Key6(address), 26);
}

void Lpm6::LookupBatch(const Ip6* addresses, uint32_t* out, size_t n) const {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) impl_->Batch(addresses + i, out + i, kLanes);
  if (i < n) impl_->Batch(addresses + i, out + i, static_cast<int>(n - i));
}

}  // namespace sabina::fib
