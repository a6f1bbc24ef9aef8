// Next hops and adjacencies: what an LPM leaf (fib/lpm.h) points at.
//
// An LPM value is a NextHop index. A NextHop says what to do with the packet: forward over one
// of up to kMaxPaths adjacencies (ECMP by flow hash; with `consistent_hash`, a path that goes
// away or comes back moves only the flows it carries or takes), deliver it to the router itself
// (local), resolve the destination on a connected subnet (glean), drop it silently (discard) or
// drop it with an ICMP unreachable (reject). An Adjacency is one neighbour on one logical
// interface: the destination MAC the rewrite writes, valid once ARP/ND resolved it.
//
// NextHop entries are immutable while published: the control thread writes a new entry into a
// free slot, then points LPM leaves at it; a slot is reused only after a grace period
// (rcu::Synchronize). An Adjacency's MAC changes in place with one atomic store (bit 63 =
// valid), so a worker reads either the old or the new MAC, never a torn one.
//
// Thread: tables are written by the control thread only; workers read. Fixed capacity,
// allocated once at start-up (no reallocation under readers).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace sabina::fib {

inline constexpr uint32_t kMaxPaths = 16;
inline constexpr uint32_t kNoNextHop = 0;  // LPM "no route"
inline constexpr uint32_t kNoAdjacency = 0;
inline constexpr uint64_t kMacValid = 1ull << 63;

enum class NextHopKind : uint8_t {
  kNone = 0,  // unused slot
  kForward,   // paths[0..path_count) are adjacencies
  kLocal,     // one of the router's own addresses: punt to the host
  kGlean,     // connected subnet on `interface`: resolve the destination address itself
  kDiscard,   // drop silently
  kReject,    // drop and send ICMP/ICMPv6 unreachable
};

struct NextHop {
  NextHopKind kind = NextHopKind::kNone;
  uint8_t path_count = 0;
  bool consistent_hash = false;  // kForward: pick by rendezvous hash (nodes::PickAdjacency)
  uint32_t interface = 0;        // kLocal / kGlean: the logical interface
  uint32_t paths[kMaxPaths] = {};
};

struct Adjacency {
  uint32_t interface = 0;  // logical interface to send on
  bool v6 = false;
  uint8_t address[16] = {};      // neighbour address, network order (IPv4 in the first 4 bytes)
  std::atomic<uint64_t> mac{0};  // kMacValid | 48-bit MAC, or 0 while unresolved
};

template <typename T>
class FixedTable {
 public:
  explicit FixedTable(uint32_t capacity)
      : capacity_(capacity), entries_(std::make_unique<T[]>(capacity)) {}
  uint32_t capacity() const { return capacity_; }
  const T& operator[](uint32_t i) const { return entries_[i]; }
  T& mutable_entry(uint32_t i) { return entries_[i]; }  // control thread only

 private:
  uint32_t capacity_;
  std::unique_ptr<T[]> entries_;
};

using NextHopTable = FixedTable<NextHop>;
using AdjacencyTable = FixedTable<Adjacency>;

}  // namespace sabina::fib
