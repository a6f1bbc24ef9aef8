#include "dp/nodes/ip6/ip6_input_node.h"

#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

using nodes::Ip6IsLinkLocal;
using nodes::Ip6IsLoopback;
using nodes::Ip6IsMulticast;
using nodes::Ip6IsUnspecified;

void Ip6InputNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    nodes::PrefetchAhead(v, i, n);
    packet::Buffer* b = v[i];
    const uint8_t* p = b->data();
    const auto* ip = reinterpret_cast<const packet::Ip6Header*>(p);
    if (b->length < 40) {
      w.Drop(b, DropReason::kIp6Truncated);
      continue;
    }
    if ((p[0] >> 4) != 6) {
      w.Drop(b, DropReason::kIp6BadVersion);
      continue;
    }
    uint32_t total = 40u + ntohs(ip->payload_length);
    if (total > b->length) {
      w.Drop(b, DropReason::kIp6BadLength);
      continue;
    }
    b->length = total;
    const bool dst_multicast = Ip6IsMulticast(ip->dst);
    if (Ip6IsMulticast(ip->src) || Ip6IsLoopback(ip->src) ||
        (Ip6IsUnspecified(ip->src) && !dst_multicast) || Ip6IsUnspecified(ip->dst) ||
        Ip6IsLoopback(ip->dst)) {
      w.Drop(b, DropReason::kIp6BadAddress);
      continue;
    }
    nodes::Ip6Chain chain;
    if (ip->next_header != packet::kProtoTcp && ip->next_header != packet::kProtoUdp) {
      auto r = nodes::WalkIp6Chain(p, b->length, &chain);
      if (r != nodes::Ip6ChainResult::kOk) [[unlikely]] {
        w.Drop(b, r == nodes::Ip6ChainResult::kBad ? DropReason::kIp6BadExtensionHeader
                                                   : DropReason::kIp6RoutingType0);
        continue;
      }
      if (chain.upper == packet::kProtoIcmp6 && !chain.later_fragment && chain.l4 < b->length &&
          nodes::IsNdType(p[chain.l4])) {
        if (ip->hop_limit != 255) {
          w.Drop(b, DropReason::kIp6NdBadHopLimit);
        } else {
          w.Enqueue(NodeId::kPunt, b);  // kNd
        }
        continue;
      }
      if (chain.router_alert) {
        w.Enqueue(NodeId::kPunt, b);  // kHost
        continue;
      }
    }
    if (dst_multicast) [[unlikely]] {
      if ((ip->dst[1] & 0x0f) == 2) {
        w.Enqueue(NodeId::kPunt, b);  // kHost
      } else {
        w.Drop(b, DropReason::kIp6MulticastNotRouted);
      }
      continue;
    }
    if (Ip6IsLinkLocal(ip->dst)) [[unlikely]] {
      w.Enqueue(NodeId::kPunt, b);  // kHost
      continue;
    }
    w.ArcStart(Arc::kIp6Unicast, b);
  }
}

}  // namespace sabina::dp
