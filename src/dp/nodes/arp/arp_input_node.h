// arp-input: ARP packets (RFC 826) received on a logical interface.
//
// Validates the packet (Ethernet/IPv4, hardware length 6, protocol length 4, operation request
// or reply, 28 bytes present) and punts it to the control thread (PuntReason::kArp), which
// learns the sender and hands requests for our addresses to the kernel through the unit's host
// interface. Requests for an address that is not one of the receiving unit's
// (Interface::ip4_addresses) are dropped here, except gratuitous ones (sender == target), which
// refresh neighbours. Replies are always punted (control ignores the unsolicited ones).
//
// Next nodes: punt (reason kArp).
// Drops: arp-malformed, arp-not-for-us.
// Config: interfaces NAME unit N family inet address A/L.
// Example: who-has 192.0.2.1 tell 192.0.2.2 on ge-0/0/0.0 (192.0.2.1/24) -> punt kArp.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class ArpInputNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
