#include "fib/lpm_poptrie.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace sabina::fib::lpm_internal {

// Paints the positions of a node at `depth` (1 << stride of them) with the routes that end in it
// and finds the route range of each child. Routes sorted by (prefix, length) list a covering
// route before the routes it contains, so painting in order leaves the longest match on top, and
// the routes longer than the node that fall in one position are contiguous.
template <class K>
void Builder<K>::Expand(const Route<K>* r, size_t n, unsigned depth, unsigned stride,
                        uint32_t inherited, Paint& p) {
  const unsigned positions = 1u << stride;
  for (unsigned i = 0; i < positions; ++i) p.value[i] = inherited;
  p.children = 0;
  const unsigned end = depth + stride;
  for (size_t i = 0; i < n; ++i) {
    unsigned pos = static_cast<unsigned>(r[i].prefix >> (kKeyBits<K> - end)) & (positions - 1);
    if (r[i].length <= end) {
      unsigned span = 1u << (end - r[i].length);
      for (unsigned k = 0; k < span; ++k) p.value[pos + k] = r[i].value;
    } else {
      if (!(p.children >> pos & 1)) {
        p.children |= uint64_t{1} << pos;
        p.child_begin[pos] = static_cast<uint32_t>(i);
      }
      p.child_end[pos] = static_cast<uint32_t>(i + 1);
    }
  }
}

template <class K>
void Builder<K>::Fill(size_t node, const Route<K>* r, size_t n, unsigned depth,
                      uint32_t inherited) {
  Paint p;
  Expand(r, n, depth, 6, inherited, p);
  const size_t first = nodes_.size();
  nodes_.resize(first + static_cast<size_t>(std::popcount(p.children)));
  Node nd{};
  nd.vector = p.children;
  nd.base1 = static_cast<uint32_t>(first) - 1;
  nd.base0 = static_cast<uint32_t>(leaves_.size()) - 1;
  bool any = false;
  uint32_t last = 0;
  for (unsigned pos = 0; pos < 64; ++pos) {
    if (p.children >> pos & 1) continue;
    if (!any || p.value[pos] != last) {
      nd.leafvec |= uint64_t{1} << pos;
      leaves_.push_back(p.value[pos]);
      last = p.value[pos];
      any = true;
    }
  }
  nodes_[node] = nd;
  size_t child = first;
  for (uint64_t m = p.children; m; m &= m - 1) {
    unsigned pos = static_cast<unsigned>(std::countr_zero(m));
    Fill(child++, r + p.child_begin[pos], p.child_end[pos] - p.child_begin[pos], depth + 6,
         p.value[pos]);
  }
}

namespace {

// Address space an arena reserves (committed only when touched): 2^31 units of 8 bytes fit a
// 32-bit index; a table of a few million routes uses tens of MiB. Halved when the kernel
// refuses (strict overcommit).
constexpr size_t kReserve = size_t{8} << 30;
constexpr size_t kMinReserve = size_t{256} << 20;
constexpr size_t kLine = 64;

}  // namespace

Arena::Arena() {
  for (size_t size = kReserve; size >= kMinReserve; size /= 2) {
    void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) continue;
    madvise(p, size, MADV_HUGEPAGE);  // best effort
    base_ = static_cast<char*>(p);
    reserved_ = size;
    used_ = kUnit;  // index 0 is never an object
    return;
  }
  std::fprintf(stderr, "sabina: cannot reserve address space for a routing table\n");
  std::abort();
}

Arena::~Arena() { munmap(base_, reserved_); }

void* Arena::Allocate(size_t bytes) {
  if (bytes > kMaxSmall) {
    // aligned_alloc wants a size that is a multiple of the alignment.
    void* p = std::aligned_alloc(kLine, (bytes + kLine - 1) & ~(kLine - 1));
    if (!p) std::abort();
    return p;
  }
  if (void* p = free_[bytes / kUnit]) {
    free_[bytes / kUnit] = *static_cast<void**>(p);
    return p;
  }
  // Start a new line when the object would straddle one (small) or is not line-aligned (large);
  // the rest of the current line goes to the free list of its size.
  size_t in_line = used_ % kLine;
  if (in_line != 0 && (bytes > kLine || in_line + bytes > kLine)) {
    Free(base_ + used_, kLine - in_line);
    used_ += kLine - in_line;
  }
  if (used_ + bytes > reserved_) {
    std::fprintf(stderr, "sabina: routing table arena exhausted (%zu MiB)\n", reserved_ >> 20);
    std::abort();
  }
  void* p = base_ + used_;
  used_ += bytes;
  return p;
}

void Arena::Free(void* p, size_t bytes) {
  if (bytes > kMaxSmall) {
    std::free(p);
    return;
  }
  *static_cast<void**>(p) = free_[bytes / kUnit];
  free_[bytes / kUnit] = p;
}

void Root::Write(void* bytes, uint64_t leafvec, uint32_t def, const std::vector<uint32_t>& leaves,
                 bool wide, uint64_t vector, const std::vector<uint32_t>& children) {
  char* out = static_cast<char*>(bytes);
  std::memcpy(out, &leafvec, 8);
  new (out + 8) std::atomic<uint32_t>(def);
  uint16_t meta = static_cast<uint16_t>(leaves.size() | (wide ? kWide : 0) |
                                        (children.empty() ? 0 : kHasChildren));
  std::memcpy(out + 12, &meta, 2);
  char* p = out + kHeader;
  for (uint32_t v : leaves) {
    if (wide) {
      std::memcpy(p, &v, 4);
      p += 4;
    } else {
      uint16_t n = static_cast<uint16_t>(v);
      std::memcpy(p, &n, 2);
      p += 2;
    }
  }
  if (children.empty()) return;
  std::memcpy(p, &vector, 8);
  std::memcpy(p + 8, children.data(), 4 * children.size());
}

template <class K>
Block* Builder<K>::Build(Arena& arena, const Route<K>* routes, size_t n, unsigned block_depth,
                         uint32_t def) {
  nodes_.assign(4, Node{});
  leaves_.clear();
  Paint p;
  Expand(routes, n, block_depth, 2, 0, p);
  for (unsigned q = 0; q < 4; ++q) {
    if (p.children >> q & 1) {
      Fill(q, routes + p.child_begin[q], p.child_end[q] - p.child_begin[q], block_depth + 2,
           p.value[q]);
    } else {
      Fill(q, nullptr, 0, block_depth + 2, p.value[q]);
    }
  }
  const bool wide = *std::max_element(leaves_.begin(), leaves_.end()) > 0xffff;
  const size_t leaf_offset = sizeof(Block) + nodes_.size() * sizeof(Node);
  const size_t leaf_bytes = leaves_.size() * (wide ? 4 : 2);
  const size_t bytes = (leaf_offset + leaf_bytes + 15) & ~size_t{15};
  char* mem = static_cast<char*>(arena.Allocate(bytes));
  Block* b = new (mem) Block;
  b->def.store(def, std::memory_order_relaxed);
  b->leaf_offset = static_cast<uint32_t>(leaf_offset);
  b->bytes = static_cast<uint32_t>(bytes);
  b->wide = wide;
  std::memcpy(mem + sizeof(Block), nodes_.data(), nodes_.size() * sizeof(Node));
  if (wide) {
    std::memcpy(mem + leaf_offset, leaves_.data(), leaf_bytes);
  } else {
    uint16_t* out = reinterpret_cast<uint16_t*>(mem + leaf_offset);
    for (size_t i = 0; i < leaves_.size(); ++i) out[i] = static_cast<uint16_t>(leaves_[i]);
  }
  return b;
}

void FreeBlock(Arena& arena, Block* b) {
  size_t bytes = b->bytes;
  b->~Block();
  arena.Free(b, bytes);
}

template class Builder<uint64_t>;
template class Builder<unsigned __int128>;

}  // namespace sabina::fib::lpm_internal
