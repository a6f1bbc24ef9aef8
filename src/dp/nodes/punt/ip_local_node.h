// ip4-local and ip6-local: packets for one of the router's own addresses (next hop kLocal).
// ICMP echo and everything else is punted to the host (kHost): the kernel behind the unit's TAP
// answers ping and runs the control protocols (architecture section 3, host-bound traffic).
// A packet the data plane originated itself (an ICMP error to one of our own addresses) has no
// received frame to hand over and is dropped. One class, two nodes: they differ only in the
// counter they count in.
//
// Next nodes: punt (kHost).
// Drops: local-origin-for-us.
// Counters: ip4-local / ip6-local.
// Example: echo request to 192.0.2.1 (ge-0/0/0.0's address) -> punt kHost on ge-0/0/0.0.
//
// Thread: the owning worker.
#pragma once

#include "dp/counters.h"
#include "dp/node.h"

namespace sabina::dp {

class IpLocalNode final : public Node {
 public:
  explicit IpLocalNode(Event counted) : counted_(counted) {}
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;

 private:
  Event counted_;  // Event::kIp4Local or Event::kIp6Local
};

}  // namespace sabina::dp
