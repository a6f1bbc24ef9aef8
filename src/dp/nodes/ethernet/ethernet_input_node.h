// ethernet-input: the first node of every received frame.
//
// Parses the Ethernet header and at most one 802.1Q tag (VID 0 is a priority tag: the frame
// belongs to the untagged unit), maps (rx_port, VLAN) to the logical interface through the
// published IfTable, and accepts the frame when the unit is up and the destination MAC is the
// unit's, broadcast or multicast (ports are promiscuous, so other unicast frames arrive too).
// Sets rx_if, vlan, l3_offset (kFlagVlanTagged for a tagged frame) and advances past the L2
// header; the L2 header stays in the headroom for the punt node.
//
// Next nodes: ip4-input (0x0800), ip6-input (0x86dd), arp-input (0x0806).
// Drops: ethernet-truncated (< 14 bytes, < 18 with a tag), ethernet-unknown-vlan (no unit for
//   the port/VLAN, stacked tags included), interface-down, ethernet-not-for-us,
//   ethernet-unknown-type.
// Config: interfaces NAME vlan-tagging; unit N vlan-id V; disable.
// Example: a frame to 02:00:00:00:00:01 tagged VID 10 on port 0 with ge-0/0/0.10 vlan-id 10
//   up and that MAC -> rx_if = ge-0/0/0.10, vlan 10, data() at the IPv4 header -> ip4-input.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class EthernetInputNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
