// The RIB -> FIB compiler: turns the RIB's forwarding decisions (routing/rib.h FibChange) and
// the neighbour manager's resolved hosts into LPM entries (dp::Tables fib4/fib6), NextHop slots
// and Adjacency slots.
//
//   - NextHop slots are deduplicated: identical entries (kind, interface, adjacency paths)
//     share one slot with a reference count (one per installed prefix). Slot 0 stays "no route".
//     A slot whose count drops to zero is reused only after rcu::Synchronize(); frees are
//     batched, one grace period per Apply/SetNeighborRoute call at most. A prefix that finds
//     a table full stays out of the FIB (its covering route applies) until slots free up.
//   - Adjacency slots: one per (dp interface, neighbour address), reference counted (each
//     kForward next hop using it, plus each AdjacencyFor() of the neighbour manager). A new
//     adjacency starts unresolved (MAC 0): workers punt kResolve until the neighbour manager
//     stores the MAC (Adjacency::mac, one atomic store). Slot 0 stays "no adjacency".
//   - Neighbour host routes (VPP-style glean -> adjacency): a resolved neighbour gets a /32 or
//     /128 to its adjacency while a connected subnet of its interface (a kGlean route from the
//     RIB) covers it, unless the RIB has a route for exactly that prefix (the configured route
//     wins). The host route follows both: it goes with the subnet (interface down, address
//     removed) or under a configured /32, and comes back with them.
//
// Mapping: FibKind::kForward -> kForward over the gateways' adjacencies; kGlean -> kGlean(if);
// kLocal -> kLocal(if); kDiscard -> kDiscard; kReject -> kReject.
//
// Thread: control thread only (the single writer of the FIBs, next hops and adjacencies).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "dp/tables.h"
#include "routing/prefix.h"
#include "routing/rib.h"

namespace sabina::routing {

class FibBuilder {
 public:
  explicit FibBuilder(dp::Tables& tables);
  FibBuilder(const FibBuilder&) = delete;
  FibBuilder& operator=(const FibBuilder&) = delete;

  // Installs the RIB's changes: Set/Clear per prefix, one Commit per family touched, then one
  // grace period before freed slots become reusable.
  void Apply(const std::vector<FibChange>& changes);

  // Neighbour manager. Returns the adjacency of (interface, address), creating it unresolved if
  // needed, and takes a reference; 0 (kNoAdjacency) when the table is full.
  uint32_t AdjacencyFor(uint32_t dp_interface, const Address& neighbor);
  // Drops a reference taken by AdjacencyFor.
  void ReleaseAdjacency(uint32_t index);
  // Installs (present) or removes the host route of a resolved neighbour.
  void SetNeighborRoute(uint32_t dp_interface, const Address& neighbor, bool present);

  // `show route forwarding-table`: everything installed, in prefix order.
  struct Installed {
    FibEntry entry;         // kForward paths carry the gateways (neighbour routes: itself)
    bool neighbor = false;  // a resolved neighbour's host route (Junos route type "dest")
    uint32_t next_hop = 0;  // slot in dp::Tables::next_hops
  };
  const std::map<Prefix, Installed>& installed() const { return installed_; }
  // Prefixes using a next-hop slot (Junos NhRef); 0 for a free slot.
  uint32_t NextHopRefs(uint32_t index) const;
  uint32_t AdjacencyRefs(uint32_t index) const;
  // Adjacency index of (interface, address) without creating it; 0 when absent.
  uint32_t FindAdjacency(uint32_t dp_interface, const Address& neighbor) const;
  size_t next_hops_in_use() const;  // slot 0 excluded
  size_t adjacencies_in_use() const;
  // Prefixes wanted but not installed because a table was full; retried when slots free up.
  size_t left_out() const { return left_out_.size(); }

 private:
  struct AdjKey {
    uint32_t dp_interface;
    Address address;
    friend auto operator<=>(const AdjKey&, const AdjKey&) = default;
  };

  // Resolves `entry` into a next-hop slot with one more reference; 0 when a table is full.
  uint32_t Acquire(const FibEntry& entry);
  void Release(uint32_t next_hop);
  // Points `prefix` at whatever should be installed now (RIB entry, else neighbour route).
  void Install(const Prefix& prefix);
  // Whether a neighbour's host route has a connected subnet (a kGlean RIB entry) of its
  // interface around it.
  bool OnLink(const Prefix& host, const FibEntry& route) const;
  void Flush();  // commits the touched FIBs, then one grace period, then frees slots

  dp::Tables& tables_;
  std::map<Prefix, FibEntry> rib_;         // the RIB's decisions
  std::map<Prefix, FibEntry> neighbors_;   // resolved neighbours' host routes
  std::map<Prefix, Installed> installed_;  // what the LPMs hold
  std::set<Prefix> left_out_;
  std::map<std::vector<uint32_t>, uint32_t> next_hop_index_;  // encoded NextHop -> slot
  std::vector<uint32_t> next_hop_refs_;
  std::vector<uint32_t> free_next_hops_, pending_next_hops_;
  std::map<AdjKey, uint32_t> adjacency_index_;
  std::vector<uint32_t> adjacency_refs_;
  std::vector<uint32_t> free_adjacencies_, pending_adjacencies_;
  bool dirty4_ = false, dirty6_ = false;
};

}  // namespace sabina::routing
