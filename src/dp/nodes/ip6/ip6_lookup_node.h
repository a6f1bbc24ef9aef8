// ip6-lookup: the end node of the ip6-unicast arc: a batched LPM over the vector's
// destinations (Lpm6::LookupBatch), then per next hop, as ip4-lookup:
//   no route (0)  -> ICMPv6 destination unreachable 1/0 (no route), counted ip6-no-route
//   discard       -> dropped, ip6-discard-route
//   reject        -> ICMPv6 destination unreachable 1/0, counted ip6-reject-route (what
//                    Linux sends for an unreachable route; RFC 4443's code 6 "reject route
//                    to destination" would also fit, 1/0 is the one every host handles)
//   local         -> ip6-local
//   glean         -> ip6-rewrite with adjacency 0 on the next hop's interface (resolves the
//                    destination itself)
//   forward       -> a path by flow hash (src, dst, flow label, protocol, ports) -> ip6-rewrite
// Forwarded/gleaned packets with hop limit <= 1 become time exceeded (3/0), counted
// ip6-hop-limit-expired; a link-local source is never forwarded off its link (RFC 4291 2.5.6),
// ip6-link-local-source. Local-origin packets (ICMPv6 errors) skip the hop-limit check and are
// dropped, not answered, when unroutable.
//
// Next nodes: ip6-rewrite, ip6-local, icmp6-error.
// Drops: ip6-discard-route, ip6-link-local-source (plus no-route/reject for local origin).
// Config: routing-options rib inet6.0 static route P next-hop|discard|reject.
// Example: 2001:db8:2::9 matching 2001:db8:2::/64 next-hop 2001:db8:1::2 -> ip6-rewrite.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip6LookupNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
