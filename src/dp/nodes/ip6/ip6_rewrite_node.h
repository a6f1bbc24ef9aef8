// ip6-rewrite: turns a routed IPv6 packet into a frame for its egress interface (tx_if).
//
// In order: the egress unit must be up; a packet longer than the unit's inet6 MTU becomes
// ICMPv6 packet too big (2/0 with the MTU), counted ip6-packet-too-big (routers never fragment
// IPv6, RFC 8200 section 5); the hop limit is decremented (not for local-origin packets; IPv6
// has no header checksum); then an adjacency without a valid MAC, or adjacency 0 (glean), punts
// the packet as kResolve (address: the adjacency's, or the destination for a glean; the packet
// is ready to send, hop limit already decremented); otherwise the Ethernet header (802.1Q tag
// on a tagged unit) is prepended and the egress arc starts.
//
// Next nodes: the egress arc of tx_if (ending in interface-output), icmp6-error, the punt ring.
// Drops: interface-down (also for a unit the interface snapshot does not have yet),
//   buffer-no-headroom, punt-queue-full.
// Counters: ip6-forwarded.
// Config: interfaces NAME unit N family inet6 mtu M.
// Example: 1280-byte packet, mtu 1500, neighbour 02:00:00:00:00:02 -> hop limit - 1, frame
//   with type 0x86dd -> interface-output.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip6RewriteNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
