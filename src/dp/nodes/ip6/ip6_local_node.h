// ip6-local: IPv6 packets for one of the router's own addresses (next hop kLocal), punted to
// the host (kHost) like ip4-local; the kernel behind the unit's TAP answers them. Packets the
// data plane originated itself are dropped (no received frame to hand over).
//
// Next nodes: punt (kHost).
// Drops: local-origin-for-us.
// Counters: ip6-local.
// Example: echo request to 2001:db8:1::1 (ge-0/0/0.0's address) -> punt kHost.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip6LocalNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
