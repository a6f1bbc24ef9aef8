#include "fib/lpm.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
using lpm_internal::Root;
using lpm_internal::Route;
using lpm_internal::Walk;
using lpm_internal::WalkLanes;

namespace {

using U128 = unsigned __int128;

constexpr size_t kDirect = size_t{1} << 16;  // IPv6
// Lookups a batch interleaves: enough misses in flight to cover DRAM latency, few enough to
// keep the lane state in registers and L1.
constexpr int kLanes = 16;

const Block* AsBlock(uint64_t e) { return reinterpret_cast<const Block*>(e); }
Block* AsMutableBlock(uint64_t e) { return reinterpret_cast<Block*>(e); }
uint64_t AsEntry(const void* p) { return reinterpret_cast<uintptr_t>(p); }

uint32_t Mask4(uint8_t length) { return length == 0 ? 0 : ~uint32_t{0} << (32 - length); }

U128 Key6(const Ip6& a) { return U128{a.hi} << 64 | a.lo; }
U128 Mask6(uint8_t length) { return length == 0 ? 0 : ~U128{0} << (128 - length); }

// Short prefixes (length <= bits) in direct arrays: one slot per possible prefix, 0 = absent.
// 2^(bits+1) slots in all, O(1) updates and a (bits+1)-probe best match for a /bits.
class ShortTable {
 public:
  explicit ShortTable(unsigned bits) : bits_(bits), slots_(bits + 1) {
    for (unsigned l = 0; l <= bits; ++l) slots_[l].assign(size_t{1} << l, 0);
  }
  uint32_t& Slot(uint8_t length, uint32_t top) { return slots_[length][top >> (bits_ - length)]; }
  uint32_t Get(uint8_t length, uint32_t top) const {
    return slots_[length][top >> (bits_ - length)];
  }
  // Best route of length <= bits covering the /bits `top`.
  uint32_t Best(uint32_t top) const {
    for (int l = static_cast<int>(bits_); l >= 0; --l) {
      if (uint32_t v = slots_[l][top >> (bits_ - l)]) return v;
    }
    return 0;
  }
  // Best(first + i) for i < n, in out[i]; n is a power of two and `first` a multiple of it (the
  // /bits under one prefix). Paints the covered slots shortest first, reading each slot of the
  // range once instead of probing every length for every /bits.
  void BestRange(uint32_t first, uint32_t n, std::vector<uint32_t>& out) const {
    const unsigned top = static_cast<unsigned>(std::countr_zero(n));  // bits below the prefix
    const unsigned length = bits_ - top;
    uint32_t cover = 0;
    for (int l = static_cast<int>(length) - 1; l >= 0 && !cover; --l) {
      cover = slots_[l][first >> (bits_ - l)];
    }
    out.assign(n, cover);
    for (unsigned l = length; l <= bits_; ++l) {
      const uint32_t span = 1u << (bits_ - l), base = first >> (bits_ - l);
      for (uint32_t s = 0; s < n / span; ++s) {
        if (uint32_t v = slots_[l][base + s]) {
          std::fill(out.begin() + s * span, out.begin() + (s + 1) * span, v);
        }
      }
    }
  }

 private:
  unsigned bits_;
  std::vector<std::vector<uint32_t>> slots_;
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

// Block ranges whose default (best covering short route) must be recomputed at Commit: each
// range is the units under one prefix (a power of two, aligned), or all of them.
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
// IPv4: direct[addr >> 14] (32-bit entries, 1 MiB) is a leaf, value << 1 | 1 (the /18 holds no
// route longer than /18), or the arena index << 1 of the /18's Root. A lookup of a route up to
// /24 thus reads the direct entry and one Root, usually one cache line.

namespace {

constexpr unsigned kBits4 = 18;
constexpr size_t kDirect4 = size_t{1} << kBits4;

uint32_t Leaf4(uint32_t value) { return value << 1 | 1; }
bool IsLeaf4(uint32_t e) { return e & 1; }

}  // namespace

struct Lpm4::Impl {
  std::unique_ptr<std::atomic<uint32_t>[]> direct{new std::atomic<uint32_t>[kDirect4]};
  // Every Root and Block (at most a few hundred bytes each) lives in the arena's region, which
  // the arena unmaps as a whole.
  Arena arena;
  // Control side.
  ShortTable shorts{kBits4};  // lengths 0..18
  std::vector<std::vector<Route<uint32_t>>> routes =
      std::vector<std::vector<Route<uint32_t>>>(kDirect4);  // per /18, lengths 19..32
  std::vector<uint32_t> defaults = std::vector<uint32_t>(kDirect4, 0);
  std::vector<uint8_t> dirty = std::vector<uint8_t>(kDirect4, 0);
  std::vector<uint32_t> dirty_list;
  RangeSet stale_defaults;
  size_t count = 0;
  size_t unit_bytes = 0;  // roots and their blocks
  Builder<uint64_t> builder;
  Builder<uint64_t>::Paint paint;
  std::vector<Route<uint64_t>> scratch;
  std::vector<uint32_t> leaves, children, best;

  Impl() {
    for (size_t i = 0; i < kDirect4; ++i) direct[i].store(Leaf4(0), std::memory_order_relaxed);
  }

  const Root* RootOf(uint32_t e) const { return static_cast<const Root*>(arena.At(e >> 1)); }
  Root* MutableRoot(uint32_t e) { return const_cast<Root*>(RootOf(e)); }
  const Block* Child(const Root* r, uint32_t rank) const {
    return static_cast<const Block*>(arena.At(r->Child(rank)));
  }

  void Stage(uint32_t prefix, uint8_t length, uint32_t value) {
    if (length > 32) return;
    if (value >= kMaxValue) {
      std::fprintf(stderr, "sabina: Lpm4 value %u out of range\n", value);
      std::abort();
    }
    prefix &= Mask4(length);
    if (length <= kBits4) {
      uint32_t& slot = shorts.Slot(length, prefix >> (32 - kBits4));
      if (slot == value) return;
      count += (slot == 0) - (value == 0);
      slot = value;
      stale_defaults.Add(prefix >> (32 - kBits4), 1u << (kBits4 - length), kDirect4);
      return;
    }
    uint32_t b = prefix >> (32 - kBits4);
    Change c = Update<uint32_t>(routes[b], prefix, length, value);
    count += c.delta;
    if (c.changed && !dirty[b]) {
      dirty[b] = 1;
      dirty_list.push_back(b);
    }
  }

  // The Root of /18 `b` (which holds routes), with a Block for each /24 holding longer routes.
  Root* BuildUnit(uint32_t b) {
    scratch.clear();
    for (const auto& r : routes[b]) scratch.push_back({uint64_t{r.prefix} << 32, r.length, r.value});
    Builder<uint64_t>::Expand(scratch.data(), scratch.size(), kBits4, 6, 0, paint);
    leaves.clear();
    uint64_t leafvec = 0;
    for (unsigned pos = 0; pos < 64; ++pos) {
      if (paint.children >> pos & 1) continue;
      if (leaves.empty() || paint.value[pos] != leaves.back()) {
        leafvec |= uint64_t{1} << pos;
        leaves.push_back(paint.value[pos]);
      }
    }
    children.clear();
    for (uint64_t m = paint.children; m; m &= m - 1) {
      unsigned pos = static_cast<unsigned>(std::countr_zero(m));
      Block* blk = builder.Build(arena, scratch.data() + paint.child_begin[pos],
                                 paint.child_end[pos] - paint.child_begin[pos], 24,
                                 paint.value[pos]);
      unit_bytes += blk->bytes;
      children.push_back(arena.Index(blk));
    }
    const bool wide =
        !leaves.empty() && *std::max_element(leaves.begin(), leaves.end()) > 0xffff;
    const size_t bytes = Root::Bytes(leaves.size(), wide, children.size());
    void* mem = arena.Allocate(bytes);
    std::memset(mem, 0, bytes);
    Root::Write(mem, leafvec, defaults[b], leaves, wide, paint.children, children);
    unit_bytes += bytes;
    return static_cast<Root*>(mem);
  }

  void FreeUnit(Root* r) {
    const size_t n = static_cast<size_t>(std::popcount(r->vector()));
    for (size_t i = 0; i < n; ++i) {
      Block* blk = const_cast<Block*>(Child(r, static_cast<uint32_t>(i)));
      unit_bytes -= blk->bytes;
      FreeBlock(arena, blk);
    }
    const size_t bytes = r->Bytes();
    unit_bytes -= bytes;
    arena.Free(r, bytes);
  }

  void Commit() {
    for (auto [first, n] : stale_defaults.ranges()) {
      shorts.BestRange(first, n, best);
      for (uint32_t b = first; b < first + n; ++b) {
        uint32_t d = best[b - first];
        if (d == defaults[b]) continue;
        defaults[b] = d;
        if (dirty[b]) continue;  // rebuilt below with the new default
        uint32_t e = direct[b].load(std::memory_order_relaxed);
        if (IsLeaf4(e)) {
          direct[b].store(Leaf4(d), std::memory_order_release);
        } else {
          MutableRoot(e)->def().store(d, std::memory_order_relaxed);
        }
      }
    }
    stale_defaults.Clear();
    std::vector<Root*> retired;
    for (uint32_t b : dirty_list) {
      dirty[b] = 0;
      uint32_t next = routes[b].empty() ? Leaf4(defaults[b]) : arena.Index(BuildUnit(b)) << 1;
      uint32_t prev = direct[b].exchange(next, std::memory_order_acq_rel);
      if (!IsLeaf4(prev)) retired.push_back(MutableRoot(prev));
    }
    dirty_list.clear();
    if (!retired.empty()) {
      rcu::Synchronize();
      for (Root* r : retired) FreeUnit(r);
    }
  }

  // The value of `a` under `r`: a leaf of the root, or a walk of the /24's block.
  uint32_t InRoot(const Root* r, uint32_t a) const {
    unsigned v = (a >> 8) & 63;
    uint64_t upto = lpm_internal::UpTo(v);
    uint64_t vector = r->vector();
    uint32_t value;
    if ((vector >> v) & 1) {
      const Block* blk = Child(r, static_cast<uint32_t>(std::popcount(vector & upto)) - 1);
      value = Walk<uint64_t>(blk, (a >> 6) & 3, uint64_t{a} << 32, 26);
    } else {
      // Among the leaf positions up to v (child positions hold no leaf and start no run).
      value = r->Leaf(static_cast<uint32_t>(std::popcount(r->leafvec() & upto)) - 1);
    }
    return value ? value : r->def().load(std::memory_order_relaxed);
  }

  // LookupBatch keeps kAhead lookups in flight: while it answers key i, it reads the direct
  // entry of key i + kAhead (cache-resident: 1 MiB, read by every lookup) and prefetches that
  // key's Root. Each key thus pays its memory latency in parallel with the kAhead keys before it
  // (the Root is the one line of a route up to /24 that is usually not cached); the rare keys
  // under routes longer than /24 finish with a walk. A rolling window measured faster here than
  // per-group pipelines or two passes over the frame (bench/README.md).
  static constexpr size_t kAhead = 32;
  void Batch(const uint32_t* a, uint32_t* out, size_t n) const {
    uint32_t e[kAhead];
    auto entry = [&](size_t i) {
      uint32_t x = direct[a[i] >> (32 - kBits4)].load(std::memory_order_acquire);
      if (!IsLeaf4(x)) __builtin_prefetch(RootOf(x));
      return x;
    };
    for (size_t i = 0; i < std::min(kAhead, n); ++i) e[i] = entry(i);
    for (size_t i = 0; i < n; ++i) {
      uint32_t cur = e[i % kAhead];
      if (i + kAhead < n) e[i % kAhead] = entry(i + kAhead);
      out[i] = IsLeaf4(cur) ? cur >> 1 : InRoot(RootOf(cur), a[i]);
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
  if (length <= kBits4) {
    uint32_t v = impl_->shorts.Get(length, prefix >> (32 - kBits4));
    return v ? std::optional<uint32_t>(v) : std::nullopt;
  }
  return Find<uint32_t>(impl_->routes[prefix >> (32 - kBits4)], prefix, length);
}

size_t Lpm4::size() const { return impl_->count; }

size_t Lpm4::MemoryBytes() const { return kDirect4 * sizeof(uint32_t) + impl_->unit_bytes; }

uint32_t Lpm4::Lookup(uint32_t address) const {
  uint32_t e = impl_->direct[address >> (32 - kBits4)].load(std::memory_order_acquire);
  if (IsLeaf4(e)) return e >> 1;
  return impl_->InRoot(impl_->RootOf(e), address);
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
  ShortTable shorts{16};                                               // lengths 0..16
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
  const Block* b = AsBlock(e);
  // The walk's lines are all in the block (a few hundred bytes at most, but for the odd /24
  // holding thousands of routes): fetch up to 16 of them together rather than one after
  // another as the walk descends. This took dependent lookups from 2.5-2.9 to 6.2-7.7 M/s.
  const char* p = reinterpret_cast<const char*>(b);
  for (uint32_t off = 64; off < b->bytes && off < 1024; off += 64) __builtin_prefetch(p + off);
  return Walk<U128>(b, (address.hi >> 38) & 3, Key6(address), 26);
}

void Lpm6::LookupBatch(const Ip6* addresses, uint32_t* out, size_t n) const {
  size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) impl_->Batch(addresses + i, out + i, kLanes);
  if (i < n) impl_->Batch(addresses + i, out + i, static_cast<int>(n - i));
}

}  // namespace sabina::fib
