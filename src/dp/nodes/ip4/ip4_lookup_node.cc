#include "dp/nodes/ip4/ip4_lookup_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

void Ip4LookupNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const Tables& t = w.tables();
  uint32_t dst[packet::kFrameSize] = {};  // zeroed: g++ cannot see that only n are read
  uint32_t nh[packet::kFrameSize];
  for (uint32_t i = 0; i < n; ++i) {
    const auto* ip = reinterpret_cast<const packet::Ip4Header*>(v[i]->data());
    dst[i] = ntohl(ip->dst);
  }
  t.fib4.LookupBatch(dst, nh, n);
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    auto* ip = reinterpret_cast<packet::Ip4Header*>(b->data());
    const bool local_origin = (b->flags & packet::kFlagLocalOrigin) != 0;
    const fib::NextHop& hop = t.next_hops[nh[i]];
    b->next_hop = nh[i];
    switch (hop.kind) {
      case fib::NextHopKind::kForward:
      case fib::NextHopKind::kGlean:
        if (ip->ttl <= 1 && !local_origin) {
          w.CountDrop(DropReason::kIp4TtlExpired);
          b->aux = nodes::IcmpRequest(11, 0);
          w.Enqueue(NodeId::kIcmp4Error, b);
          break;
        }
        if (hop.kind == fib::NextHopKind::kGlean) {
          b->adjacency = fib::kNoAdjacency;
          b->tx_if = hop.interface;
        } else {
          b->adjacency = hop.paths[0];
          if (hop.path_count > 1) {
            uint32_t ihl = ip->ihl_bytes();
            b->flow_hash = nodes::Ip4FlowHash(ip, b->data() + ihl, b->length - ihl);
            b->adjacency = nodes::PickAdjacency(hop, b->flow_hash);
          }
          b->tx_if = t.adjacencies[b->adjacency].interface;
        }
        w.Enqueue(NodeId::kIp4Rewrite, b);
        break;
      case fib::NextHopKind::kLocal:
        w.Enqueue(NodeId::kIp4Local, b);
        break;
      case fib::NextHopKind::kDiscard:
        w.Drop(b, DropReason::kIp4DiscardRoute);
        break;
      case fib::NextHopKind::kReject:
        if (local_origin) {
          w.Drop(b, DropReason::kIp4RejectRoute);
          break;
        }
        w.CountDrop(DropReason::kIp4RejectRoute);
        b->aux = nodes::IcmpRequest(3, 1);
        w.Enqueue(NodeId::kIcmp4Error, b);
        break;
      case fib::NextHopKind::kNone:
      default:
        if (local_origin) {
          w.Drop(b, DropReason::kIp4NoRoute);
          break;
        }
        w.CountDrop(DropReason::kIp4NoRoute);
        b->aux = nodes::IcmpRequest(3, 0);
        w.Enqueue(NodeId::kIcmp4Error, b);
        break;
    }
  }
}

}  // namespace sabina::dp
