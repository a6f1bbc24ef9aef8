// Packet buffers, pools and frames (architecture section 3).
//
// A Buffer is one packet in one contiguous data area big enough for a jumbo frame (no chains):
// a 64-byte metadata line, kHeadroom bytes in front of the packet for headers a node prepends
// (Ethernet, VLAN, an ICMP error's new IP header), then the packet. Buffers come from a
// BufferPool owned by one thread (a worker, or the control thread); a buffer goes back to the
// pool of the thread that holds it. A Frame is the vector of up to kFrameSize buffers that one
// node processes per dispatch.
//
// Thread: a Buffer and a BufferPool belong to one thread at a time. No locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace sabina::packet {

inline constexpr uint32_t kFrameSize = 256;
inline constexpr uint32_t kHeadroom = 128;
// Largest Ethernet frame without FCS: 9216 bytes of L3 (Junos' largest mtu) + 802.1Q header.
inline constexpr uint32_t kMaxFrameBytes = 9216 + 18;
inline constexpr uint32_t kInvalidIndex = 0xffffffffu;

// Buffer::flags
inline constexpr uint16_t kFlagTraced = 1 << 0;   // record this packet in the worker's trace
inline constexpr uint16_t kFlagL4Valid = 1 << 1;  // l4_offset is set
// Originated by the data plane itself (an ICMP error): the lookup neither applies the TTL
// check nor decrements it, and it has no received L2 header to restore.
inline constexpr uint16_t kFlagLocalOrigin = 1 << 2;
// Received with an 802.1Q tag (VID 0 priority tags included): the L2 header in front of
// l3_offset is 18 bytes, not 14.
inline constexpr uint16_t kFlagVlanTagged = 1 << 3;

struct alignas(64) Buffer {
  // --- metadata (one cache line) ---
  uint32_t offset;     // start of the packet within data_ (>= 0, kHeadroom after Alloc)
  uint32_t length;     // packet bytes from offset
  uint32_t rx_port;    // io port index the packet arrived on
  uint32_t rx_if;      // logical interface (dp::Interface index), set by ethernet-input
  uint32_t tx_if;      // logical interface to send on, set by the lookup
  uint32_t next_hop;   // fib next-hop index chosen by the lookup
  uint32_t adjacency;  // fib adjacency index chosen by the lookup (one path of the next hop)
  uint32_t flow_hash;  // 5-tuple hash (ECMP, worker affinity)
  uint32_t aux;        // scratch for the node that owns the packet (ICMP type/code, MTU, ...)
  uint16_t l3_offset;  // L3 header, as an offset into data_ (not relative to offset)
  uint16_t l4_offset;  // L4 header, as an offset into data_ (kFlagL4Valid)
  uint16_t vlan;       // 802.1Q VID seen on receive; 0 = untagged
  uint16_t flags;
  uint8_t arc_position;  // index into the interface's feature arc
  uint8_t reserved_[3];
  uint32_t trace_seq;    // the packet's number in the worker's trace (kFlagTraced)
  uint8_t reserved2_[12];

  uint8_t data_[kHeadroom + kMaxFrameBytes];

  uint8_t* data() { return data_ + offset; }
  const uint8_t* data() const { return data_ + offset; }
  uint8_t* l3() { return data_ + l3_offset; }
  // Moves the start of the packet: Advance(n) drops n leading bytes (a parsed header),
  // Prepend(n) makes room for n more in front. Callers check bounds (headroom(), length).
  void Advance(uint32_t n) { offset += n; length -= n; }
  uint8_t* Prepend(uint32_t n) { offset -= n; length += n; return data(); }
  uint32_t headroom() const { return offset; }
  static constexpr uint32_t capacity() { return sizeof(data_); }
  // Makes this buffer a copy of `bytes` at the default headroom.
  void Assign(const uint8_t* bytes, uint32_t n) {
    offset = kHeadroom;
    length = n;
    // An empty frame may come with bytes == nullptr (an empty vector's data()); memcpy from
    // a null pointer is undefined even for 0 bytes.
    if (n != 0) std::memcpy(data_ + kHeadroom, bytes, n);
  }
};
static_assert(sizeof(Buffer) % 64 == 0);
static_assert(offsetof(Buffer, data_) == 64);

// A LIFO free list over one anonymous mapping: the hot buffers stay in cache, untouched ones
// never get physical pages.
class BufferPool {
 public:
  explicit BufferPool(uint32_t count);
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // nullptr when the pool is empty (the caller drops and counts).
  Buffer* Alloc() {
    if (free_count_ == 0) return nullptr;
    Buffer* b = free_[--free_count_];
    Reset(b);
    return b;
  }
  // Allocates up to n buffers, returns how many.
  uint32_t AllocBulk(Buffer** out, uint32_t n) {
    if (n > free_count_) n = free_count_;
    for (uint32_t i = 0; i < n; ++i) {
      out[i] = free_[--free_count_];
      Reset(out[i]);
    }
    return n;
  }
  void Free(Buffer* b) { free_[free_count_++] = b; }
  void FreeBulk(Buffer* const* b, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) free_[free_count_++] = b[i];
  }
  uint32_t available() const { return free_count_; }
  uint32_t capacity() const { return count_; }

 private:
  static void Reset(Buffer* b) {
    b->offset = kHeadroom;
    b->length = 0;
    b->rx_port = b->rx_if = b->tx_if = kInvalidIndex;
    b->next_hop = b->adjacency = 0;
    b->flow_hash = 0;
    b->aux = 0;
    b->trace_seq = 0;
    b->l3_offset = b->l4_offset = 0;
    b->vlan = 0;
    b->flags = 0;
    b->arc_position = 0;
  }

  uint32_t count_;
  void* region_ = nullptr;
  size_t region_bytes_ = 0;
  Buffer** free_ = nullptr;
  uint32_t free_count_ = 0;
};

struct Frame {
  uint32_t count = 0;
  Buffer* buffers[kFrameSize];
};

}  // namespace sabina::packet
