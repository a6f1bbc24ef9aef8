// ip4-local: IPv4 packets for one of the router's own addresses (next hop kLocal). ICMP echo
// and everything else is punted to the host (kHost): the kernel behind the unit's TAP answers
// ping and runs the control protocols (architecture section 3, host-bound traffic).
// A packet the data plane originated itself (an ICMP error to one of our own addresses) has no
// received frame to hand over and is dropped.
//
// Next nodes: punt (kHost).
// Drops: local-origin-for-us.
// Counters: ip4-local.
// Example: echo request to 192.0.2.1 (ge-0/0/0.0's address) -> punt kHost on ge-0/0/0.0.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip4LocalNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
