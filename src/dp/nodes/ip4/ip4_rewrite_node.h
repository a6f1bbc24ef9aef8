// ip4-rewrite: turns a routed IPv4 packet into a frame for its egress interface (tx_if).
//
// In order: the egress unit must be up; a packet longer than the unit's IP MTU goes to
// ip4-fragment, or, with DF set, becomes ICMP fragmentation needed (3/4, the MTU in the
// message), counted ip4-fragmentation-needed; the TTL is decremented with an incremental
// checksum update (RFC 1624; not for local-origin packets); then (nodes::SendToNeighbor)
// an adjacency whose MAC is not (yet) valid, or adjacency 0 (glean), punts the packet to the
// control thread as kResolve (the address to resolve: the adjacency's, or the destination for
// a glean) — the punted packet is the IP packet ready to send, TTL already decremented, so the
// control thread only prepends the Ethernet header once the neighbour answers; otherwise the
// Ethernet header (802.1Q tag for a tagged unit) is prepended and the egress arc starts.
//
// Next nodes: the egress arc of tx_if (ending in interface-output), ip4-fragment, icmp4-error,
//   the punt ring (kResolve).
// Drops: interface-down (also for a unit the interface snapshot does not have yet),
//   buffer-no-headroom, punt-queue-full.
// Config: interfaces NAME unit N family inet mtu M.
// Example: 1400-byte packet, mtu 1500, adjacency 02:00:00:00:00:02 valid -> TTL-1, frame
//   02:00:00:00:00:02 <- unit MAC, type 0x0800 -> interface-output.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"
#include "dp/tables.h"

namespace sabina::dp {

class Ip4RewriteNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
