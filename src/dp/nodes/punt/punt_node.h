// punt: hands host-bound packets (kHost, kArp, kNd) to the control thread through the worker's
// punt ring, as the frame the host (TAP) interface expects: the
// host interface is per unit and untagged, so the Ethernet header is rebuilt without the
// 802.1Q tag in front of the L3 header — the received MACs are still in the headroom
// (ethernet-input only advanced past them), and the inner EtherType is already the two bytes
// before the L3 header. kResolve packets (the IP packet alone) are punted directly by
// ip4-rewrite/ip6-rewrite, not through this node. The reason is read from the packet (ARP ->
// kArp, ICMPv6 ND -> kNd, else kHost) rather than carried in aux, which keeps the trace's
// packet number.
//
// Next nodes: none (the punt ring; Worker::Punt copies the frame and frees the buffer).
// Drops: punt-queue-full (ring full), local-origin-for-us (no received frame).
// Counters: punted.
// Example: ARP request received tagged VID 10 -> 42-byte untagged frame, slot vlan 10,
//   interface ge-0/0/0.10, reason kArp.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class PuntNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
