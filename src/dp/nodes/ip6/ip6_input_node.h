// ip6-input: validates a received IPv6 header and its extension-header chain (RFC 8200) and
// starts the ip6-unicast feature arc.
//
// Checks, in order: 40 bytes present (ip6-truncated), version 6, 40 + payload length <= bytes
// received (padding beyond is trimmed; jumbograms are not supported), addresses (source not
// multicast, not loopback, unspecified only towards multicast, as DAD and MLD send; destination
// not unspecified or loopback), the chain (at most 8 headers, hop-by-hop only first, each
// within the packet, no type 0 routing header with segments left: RFC 5095).
// Host-bound: ICMPv6 neighbour discovery (types 133-137) must have hop limit 255 (RFC 4861)
// and is punted kNd; link-local destinations (fe80::/10) and link-scope multicast (ff02::/16:
// all-nodes, all-routers, solicited-node, MLD, OSPFv3, DHCPv6) are punted kHost; other
// multicast is not routed. Hop-by-hop rule: a packet with a hop-by-hop header is forwarded
// (its options are not processed) unless it carries a router alert, which goes to the host.
//
// Next nodes: the ip6-unicast arc of rx_if (ending in ip6-lookup), punt (kNd, kHost).
// Drops: ip6-truncated, ip6-bad-version, ip6-bad-length, ip6-bad-address,
//   ip6-bad-extension-header, ip6-routing-type0, ip6-nd-bad-hop-limit,
//   ip6-multicast-not-routed.
// Config: interfaces NAME unit N family inet6.
// Example: 2001:db8:1::7 -> 2001:db8:2::9, hop limit 64, no extension headers -> ip6-lookup.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip6InputNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
