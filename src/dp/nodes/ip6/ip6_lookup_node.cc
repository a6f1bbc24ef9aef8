#include "dp/nodes/ip6/ip6_lookup_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

void Ip6LookupNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const Tables& t = w.tables();
  fib::Ip6 dst[packet::kFrameSize];
  uint32_t nh[packet::kFrameSize];
  for (uint32_t i = 0; i < n; ++i) {
    dst[i] = nodes::LoadIp6(v[i]->data() + offsetof(packet::Ip6Header, dst));
  }
  t.fib6.LookupBatch(dst, nh, n);
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    const uint8_t* p = b->data();
    const auto* ip = reinterpret_cast<const packet::Ip6Header*>(p);
    const bool local_origin = (b->flags & packet::kFlagLocalOrigin) != 0;
    const fib::NextHop& hop = t.next_hops[nh[i]];
    b->next_hop = nh[i];
    switch (hop.kind) {
      case fib::NextHopKind::kForward:
      case fib::NextHopKind::kGlean:
        if (nodes::Ip6IsLinkLocal(ip->src)) [[unlikely]] {
          w.Drop(b, DropReason::kIp6LinkLocalSource);
          break;
        }
        if (ip->hop_limit <= 1 && !local_origin) {
          w.CountDrop(DropReason::kIp6HopLimitExpired);
          b->aux = nodes::IcmpRequest(3, 0);
          w.Enqueue(NodeId::kIcmp6Error, b);
          break;
        }
        if (hop.kind == fib::NextHopKind::kGlean) {
          b->adjacency = fib::kNoAdjacency;
          b->tx_if = hop.interface;
        } else {
          b->adjacency = hop.paths[0];
          if (hop.path_count > 1) {
            nodes::Ip6Chain chain;
            chain.upper = ip->next_header;
            if (chain.upper != packet::kProtoTcp && chain.upper != packet::kProtoUdp) {
              nodes::WalkIp6Chain(p, b->length, &chain);  // ip6-input validated it
            }
            b->flow_hash = nodes::Ip6FlowHash(p, chain, b->length);
            b->adjacency = nodes::PickAdjacency(hop, b->flow_hash);
          }
          b->tx_if = t.adjacencies[b->adjacency].interface;
        }
        w.Enqueue(NodeId::kIp6Rewrite, b);
        break;
      case fib::NextHopKind::kLocal:
        w.Enqueue(NodeId::kIp6Local, b);
        break;
      case fib::NextHopKind::kDiscard:
        w.Drop(b, DropReason::kIp6DiscardRoute);
        break;
      case fib::NextHopKind::kReject:
        if (local_origin) {
          w.Drop(b, DropReason::kIp6RejectRoute);
          break;
        }
        w.CountDrop(DropReason::kIp6RejectRoute);
        b->aux = nodes::IcmpRequest(1, 0);
        w.Enqueue(NodeId::kIcmp6Error, b);
        break;
      case fib::NextHopKind::kNone:
      default:
        if (local_origin) {
          w.Drop(b, DropReason::kIp6NoRoute);
          break;
        }
        w.CountDrop(DropReason::kIp6NoRoute);
        b->aux = nodes::IcmpRequest(1, 0);
        w.Enqueue(NodeId::kIcmp6Error, b);
        break;
    }
  }
}

}  // namespace sabina::dp
