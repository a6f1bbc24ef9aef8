#include "dp/nodes/ip6/ip6_rewrite_node.h"

#include "dp/nodes/ip_route_util.h"
#include "dp/worker.h"

namespace sabina::dp {

void Ip6RewriteNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  uint64_t forwarded = 0;
  for (uint32_t i = 0; i < n; ++i) {
    nodes::PrefetchAhead(v, i, n);
    packet::Buffer* b = v[i];
    auto* ip = reinterpret_cast<packet::Ip6Header*>(b->data());
    // The FIB and adjacencies change independently of the interface snapshot of this turn: a
    // next hop may already name a unit the snapshot does not have yet.
    if (b->tx_if >= ifs.interfaces.size() || !ifs.interfaces[b->tx_if].up) [[unlikely]] {
      w.Drop(b, DropReason::kInterfaceDown);
      continue;
    }
    const Interface& out = ifs.interfaces[b->tx_if];
    if (b->length > out.mtu) [[unlikely]] {
      w.CountDrop(DropReason::kIp6TooBig);
      b->aux = nodes::IcmpRequest(2, 0, out.mtu);
      w.Enqueue(NodeId::kIcmp6Error, b);
      continue;
    }
    if ((b->flags & packet::kFlagLocalOrigin) == 0) {
      --ip->hop_limit;
      ++forwarded;
    }
    nodes::SendToNeighbor<nodes::Ip6Route>(w, b, out);
  }
  w.Count(Event::kIp6Forwarded, forwarded);
}

}  // namespace sabina::dp
