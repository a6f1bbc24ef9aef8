#include "dp/nodes/punt/punt_node.h"

#include <cstring>

#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {

// ARP is kArp; IPv6 neighbour discovery is kNd (ip6-input sends every ND message here or drops
// it, so no ND message reaches the punt node as kHost); everything else is kHost.
PuntReason ReasonOf(const packet::Buffer& b, uint16_t ether_type) {
  const uint8_t* ip = b.data();  // the L3 header: data() == l3() here
  if (ether_type == packet::kEtherTypeArp) return PuntReason::kArp;
  if (ether_type != packet::kEtherTypeIp6) return PuntReason::kHost;
  nodes::Ip6Chain chain;
  if (nodes::WalkIp6Chain(ip, b.length, &chain) == nodes::Ip6ChainResult::kOk &&
      chain.upper == packet::kProtoIcmp6 && !chain.later_fragment && chain.l4 < b.length &&
      nodes::IsNdType(ip[chain.l4])) {
    return PuntReason::kNd;
  }
  return PuntReason::kHost;
}

}  // namespace

void PuntNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    if ((b->flags & packet::kFlagLocalOrigin) || b->data() != b->l3()) {
      w.Drop(b, DropReason::kLocalOriginForUs);
      continue;
    }
    if (b->flags & packet::kFlagVlanTagged) {
      std::memmove(b->l3() - 14, b->l3() - 18, 12);
    }
    const uint16_t ether_type = nodes::Load16(b->l3() - 2);
    const PuntReason reason = ReasonOf(*b, ether_type);
    b->Prepend(14);
    w.Punt(b, reason, b->rx_if, ether_type == packet::kEtherTypeIp6);
  }
}

}  // namespace sabina::dp
