// Private to src/fib/lpm.cc (and its test): the immutable Poptrie block shared by Lpm4 and Lpm6,
// its builder and its walk, the IPv4 Root, and the arena they live in.
//
// A block covers one aligned prefix of `block_depth` bits (a /24 in both tables: under an IPv4
// Root, or under an IPv6 mid slot). It is one allocation: a header, the nodes, then the
// leaves. The four root nodes (indexes 0..3) are chosen directly by the two bits after the block
// prefix; every node then consumes 6 bits (64-ary). A node's `vector` marks the positions that
// are internal children (stored contiguously from base1+1, ranked by popcount), `leafvec` marks
// where a new run of equal leaf values starts among the leaf positions (leaves stored
// contiguously from base0+1).
// Leaves are 16-bit when every value of the block fits (next-hop indexes do), else 32-bit.
// A leaf 0 means "the block's default": the best route of length <= block_depth, kept in the
// header as an atomic so that a change of a covering short prefix (up to /0) updates blocks in
// place instead of rebuilding them.
//
// Keys are left-aligned unsigned integers (IPv4: address << 32 in a uint64_t; IPv6: an unsigned
// __int128) so that a 6-bit stride past the end of the address reads zero padding.
//
// Thread: Builder on the writer; Block and Walk are read by any thread once published.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace sabina::fib::lpm_internal {

struct Node {
  uint64_t vector;   // bit p: position p is an internal child
  uint64_t leafvec;  // bit p: position p is a leaf starting a new run
  uint32_t base0;    // index of the node's first leaf, minus one
  uint32_t base1;    // index of the node's first child, minus one
};
static_assert(sizeof(Node) == 24);

struct Block {
  std::atomic<uint32_t> def;  // value of the leaves that hold 0
  uint32_t leaf_offset;       // bytes from the block start to leaf 0
  uint32_t bytes;             // allocation size
  uint32_t wide;              // leaves are uint32_t (else uint16_t)

  const Node* Nodes() const { return reinterpret_cast<const Node*>(this + 1); }
  const char* Leaves() const { return reinterpret_cast<const char*>(this) + leaf_offset; }
  const void* LeafAddress(uint32_t i) const { return Leaves() + (i << (wide ? 2 : 1)); }
  uint32_t Leaf(uint32_t i) const {
    return wide ? reinterpret_cast<const uint32_t*>(Leaves())[i]
                : reinterpret_cast<const uint16_t*>(Leaves())[i];
  }
};
static_assert(sizeof(Block) == 16);

// The IPv4 table's unit for one /18 that holds longer routes: a 64-ary node over the 64 /24s
// of the /18, packed tight because the whole table's Roots must share a few MiB of cache:
//   0  uint64_t leafvec   runs of equal leaves among the leaf positions (as in Node)
//   8  atomic<uint32_t>  def: the best route of length <= /18, updated in place
//  12  uint16_t meta      leaf count (bits 0-6), wide leaves (bit 7), has children (bit 8)
//  14  leaves             uint16_t, or uint32_t when wide
//      then, with children: uint64_t vector (the /24s holding routes longer than /24, each with
//      a Block rooted at it whose leaf 0 and default 0 mean "this Root's default") and the
//      children's arena indexes (uint32_t, ranked by popcount).
// A Root with up to 25 narrow leaves and no children fits a cache line (the arena keeps it in
// one). Unaligned fields are read with memcpy (plain loads on x86).
class Root {
 public:
  static constexpr size_t kHeader = 14;
  static constexpr uint16_t kWide = 1 << 7, kHasChildren = 1 << 8;

  static size_t Bytes(size_t leaves, bool wide, size_t children) {
    size_t b = kHeader + (leaves << (wide ? 2 : 1));
    if (children) b += 8 + 4 * children;
    return (b + 7) & ~size_t{7};
  }
  size_t Bytes() const { return Bytes(leaves(), wide(), std::popcount(vector())); }

  uint64_t leafvec() const { return Read<uint64_t>(0); }
  std::atomic<uint32_t>& def() { return *reinterpret_cast<std::atomic<uint32_t>*>(raw() + 8); }
  const std::atomic<uint32_t>& def() const {
    return *reinterpret_cast<const std::atomic<uint32_t>*>(raw() + 8);
  }
  uint16_t meta() const { return Read<uint16_t>(12); }
  size_t leaves() const { return meta() & 127; }
  bool wide() const { return meta() & kWide; }
  uint64_t vector() const { return meta() & kHasChildren ? Read<uint64_t>(ChildOffset()) : 0; }
  uint32_t Leaf(uint32_t i) const {
    return wide() ? Read<uint32_t>(kHeader + 4 * i) : Read<uint16_t>(kHeader + 2 * i);
  }
  uint32_t Child(uint32_t rank) const { return Read<uint32_t>(ChildOffset() + 8 + 4 * rank); }

  // Writer: lays out a Root in `bytes` (Bytes(...) long, zeroed).
  static void Write(void* bytes, uint64_t leafvec, uint32_t def, const std::vector<uint32_t>& leaves,
                    bool wide, uint64_t vector, const std::vector<uint32_t>& children);

 private:
  const char* raw() const { return reinterpret_cast<const char*>(this); }
  char* raw() { return reinterpret_cast<char*>(this); }
  template <class T>
  T Read(size_t offset) const {
    T v;
    std::memcpy(&v, raw() + offset, sizeof v);
    return v;
  }
  size_t ChildOffset() const { return kHeader + (leaves() << (wide() ? 2 : 1)); }
};

// A slot of a direct-pointing array: a leaf value (odd) or a pointer (even).
inline uint64_t LeafEntry(uint32_t value) { return uint64_t{value} << 1 | 1; }
inline bool IsLeaf(uint64_t e) { return e & 1; }

template <class K>
constexpr unsigned kKeyBits = sizeof(K) * 8;

template <class K>
inline unsigned Extract(K key, unsigned offset) {
  return static_cast<unsigned>(key >> (kKeyBits<K> - 6 - offset)) & 63;
}

inline uint64_t UpTo(unsigned v) { return (uint64_t{2} << v) - 1; }

// One lookup inside a block from root node `root`; `offset` is block_depth + 2.
template <class K>
inline uint32_t Walk(const Block* b, unsigned root, K key, unsigned offset) {
  const Node* nodes = b->Nodes();
  const Node* n = nodes + root;
  for (;;) {
    unsigned v = Extract(key, offset);
    uint64_t upto = UpTo(v);
    if (!((n->vector >> v) & 1)) {
      uint32_t leaf = b->Leaf(n->base0 + static_cast<uint32_t>(std::popcount(n->leafvec & upto)));
      uint32_t def = b->def.load(std::memory_order_relaxed);
      return leaf ? leaf : def;
    }
    n = nodes + (n->base1 + static_cast<uint32_t>(std::popcount(n->vector & upto)));
    offset += 6;
  }
}

// Up to kLanes lookups inside blocks in lock step, so that the cache misses of different keys
// overlap. Lanes whose bit is clear in `active` are already answered.
template <class K, int kLanes>
inline void WalkLanes(const Block* const* blk, const unsigned* root, const K* key, unsigned offset0,
                      uint32_t active, uint32_t* out) {
  const Node* node[kLanes];
  unsigned offset[kLanes];
  uint32_t leaf[kLanes];
  for (uint32_t m = active; m; m &= m - 1) {
    int j = std::countr_zero(m);
    node[j] = blk[j]->Nodes() + root[j];
    offset[j] = offset0;
  }
  const uint32_t blocks = active;
  while (active) {
    for (uint32_t m = active; m; m &= m - 1) {
      int j = std::countr_zero(m);
      const Node* n = node[j];
      unsigned v = Extract(key[j], offset[j]);
      uint64_t upto = UpTo(v);
      if ((n->vector >> v) & 1) {
        node[j] =
            blk[j]->Nodes() + (n->base1 + static_cast<uint32_t>(std::popcount(n->vector & upto)));
        __builtin_prefetch(node[j]);
        offset[j] += 6;
      } else {
        leaf[j] = n->base0 + static_cast<uint32_t>(std::popcount(n->leafvec & upto));
        __builtin_prefetch(blk[j]->LeafAddress(leaf[j]));
        active &= ~(uint32_t{1} << j);
      }
    }
  }
  for (uint32_t m = blocks; m; m &= m - 1) {
    int j = std::countr_zero(m);
    uint32_t v = blk[j]->Leaf(leaf[j]);
    uint32_t def = blk[j]->def.load(std::memory_order_relaxed);
    out[j] = v ? v : def;
  }
}

template <class K>
struct Route {
  K prefix;  // left-aligned, host bits zero
  uint8_t length;
  uint32_t value;
};

// Memory of the blocks of one table, carved in 8-byte units from one reserved, lazily committed
// region (transparent huge pages where the kernel allows, so that random lookups over a few MiB
// do not miss the TLB), with a free list per size. An object of up to 64 bytes never straddles
// a cache line and a larger one starts on a line, so that a lookup touches as few lines as the
// layout allows; the fragments this leaves are reused by objects of their size. Objects above
// 16 KiB (IPv6 blocks only) come from the heap. Objects in the region are also reachable by a
// 32-bit unit index (Index/At), which is how the IPv4 table links them.
// Thread: Allocate/Free on the writer; At from any thread.
class Arena {
 public:
  Arena();
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  static constexpr size_t kUnit = 8;
  static constexpr size_t kMaxSmall = size_t{16} << 10;

  void* Allocate(size_t bytes);  // bytes: a multiple of kUnit
  void Free(void* p, size_t bytes);

  // Unit index of an object of at most kMaxSmall bytes, and back. Index 0 is never an object.
  uint32_t Index(const void* p) const {
    return static_cast<uint32_t>((static_cast<const char*>(p) - base_) / kUnit);
  }
  const void* At(uint32_t index) const { return base_ + size_t{index} * kUnit; }

 private:
  char* base_ = nullptr;
  size_t reserved_ = 0;
  size_t used_ = 0;  // bump offset from base_
  std::vector<void*> free_ = std::vector<void*>(kMaxSmall / kUnit + 1, nullptr);
};

// Builds blocks; keeps its scratch buffers between builds.
template <class K>
class Builder {
 public:
  // `routes`: sorted by (prefix, length), all inside the block, lengths > block_depth.
  // Returns a block allocated from `arena` (free with FreeBlock).
  Block* Build(Arena& arena, const Route<K>* routes, size_t n, unsigned block_depth, uint32_t def);

  // Paints the positions of a node at `depth` (1 << stride of them) with the routes that end in
  // it (value[]; `inherited` elsewhere) and finds the route range of each child (children: the
  // positions holding longer routes).
  struct Paint {
    uint32_t value[64];
    uint32_t child_begin[64];
    uint32_t child_end[64];
    uint64_t children;
  };
  static void Expand(const Route<K>* r, size_t n, unsigned depth, unsigned stride,
                     uint32_t inherited, Paint& p);

 private:
  void Fill(size_t node, const Route<K>* r, size_t n, unsigned depth, uint32_t inherited);

  std::vector<Node> nodes_;
  std::vector<uint32_t> leaves_;
};

void FreeBlock(Arena& arena, Block* b);

}  // namespace sabina::fib::lpm_internal
