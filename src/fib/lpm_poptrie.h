// Private to src/fib/lpm.cc (and its test): the immutable Poptrie block shared by Lpm4 and Lpm6,
// its builder and its walk.
//
// A block covers one aligned prefix of `block_depth` bits (/16 for IPv4, /24 for IPv6). It is one
// allocation: a header, the nodes, then the leaves. The four root nodes (indexes 0..3) are
// chosen directly by the two bits after the block prefix; every node then consumes 6 bits
// (64-ary). A node's `vector` marks the positions that are internal children (stored
// contiguously from base1+1, ranked by popcount), `leafvec` marks where a new run of equal leaf
// values starts among the leaf positions (leaves stored contiguously from base0+1).
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

// Memory of the blocks of one table: 2 MiB chunks (transparent huge pages where the kernel
// allows, so that random lookups over a few MiB do not miss the TLB) carved in 16-byte units,
// with a free list per size; blocks above 16 KiB come from the heap. Writer only.
class Arena {
 public:
  Arena() = default;
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* Allocate(size_t bytes);  // bytes: a multiple of 16
  void Free(void* p, size_t bytes);

 private:
  static constexpr size_t kChunk = size_t{2} << 20;
  static constexpr size_t kMaxSmall = size_t{16} << 10;
  std::vector<void*> chunks_;
  char* cursor_ = nullptr;
  size_t left_ = 0;
  std::vector<void*> free_ = std::vector<void*>(kMaxSmall / 16 + 1, nullptr);
};

// Builds blocks; keeps its scratch buffers between builds.
template <class K>
class Builder {
 public:
  // `routes`: sorted by (prefix, length), all inside the block, lengths > block_depth.
  // Returns a block allocated from `arena` (free with FreeBlock).
  Block* Build(Arena& arena, const Route<K>* routes, size_t n, unsigned block_depth, uint32_t def);

 private:
  struct Paint {
    uint32_t value[64];
    uint32_t child_begin[64];
    uint32_t child_end[64];
    uint64_t children;
  };
  static void Expand(const Route<K>* r, size_t n, unsigned depth, unsigned stride,
                     uint32_t inherited, Paint& p);
  void Fill(size_t node, const Route<K>* r, size_t n, unsigned depth, uint32_t inherited);

  std::vector<Node> nodes_;
  std::vector<uint32_t> leaves_;
};

void FreeBlock(Arena& arena, Block* b);

}  // namespace sabina::fib::lpm_internal
