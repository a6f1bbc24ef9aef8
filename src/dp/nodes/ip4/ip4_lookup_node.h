// ip4-lookup: the end node of the ip4-unicast arc. Looks up the whole vector's destinations in
// the FIB at once (Lpm4::LookupBatch hides the memory latency of one lookup behind the others)
// and acts on each next hop (fib/nexthop.h):
//   no route (0)  -> ICMP net unreachable (3/0), counted ip4-no-route
//   discard       -> dropped, ip4-discard-route
//   reject        -> ICMP host unreachable (3/1), counted ip4-reject-route
//   local         -> ip4-local
//   glean         -> ip4-rewrite with adjacency 0 (kNoAdjacency) on the next hop's interface:
//                    it resolves the destination itself (punt kResolve) after the MTU and TTL
//                    handling every forwarded packet gets
//   forward       -> one path chosen by flow hash (Ip4FlowHash: src, dst, protocol, ports of
//                    unfragmented TCP/UDP/SCTP), sets flow_hash, adjacency, tx_if -> ip4-rewrite
// A forwarded or gleaned packet with TTL <= 1 becomes ICMP time exceeded (11/0), counted
// ip4-ttl-expired. Packets the data plane originated (kFlagLocalOrigin: ICMP errors) skip the
// TTL check, and are dropped rather than answered with another error when unroutable.
//
// Next nodes: ip4-rewrite, ip4-local, icmp4-error.
// Drops: ip4-discard-route (and ip4-no-route/ip4-reject-route for local-origin packets).
// Config: routing-options static route P next-hop|discard|reject; interface addresses.
// Example: 203.0.113.9 matching 203.0.113.0/24 next-hop 192.0.2.2 (resolved) -> ip4-rewrite.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip4LookupNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
