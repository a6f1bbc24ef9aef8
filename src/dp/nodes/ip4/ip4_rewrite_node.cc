#include "dp/nodes/ip4/ip4_rewrite_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/ip_route_util.h"
#include "dp/worker.h"

namespace sabina::dp {

void Ip4RewriteNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  uint64_t forwarded = 0;
  for (uint32_t i = 0; i < n; ++i) {
    nodes::PrefetchAhead(v, i, n);
    packet::Buffer* b = v[i];
    auto* ip = reinterpret_cast<packet::Ip4Header*>(b->data());
    // The FIB and adjacencies change independently of the interface snapshot of this turn: a
    // next hop may already name a unit the snapshot does not have yet.
    if (b->tx_if >= ifs.interfaces.size() || !ifs.interfaces[b->tx_if].up) [[unlikely]] {
      w.Drop(b, DropReason::kInterfaceDown);
      continue;
    }
    const Interface& out = ifs.interfaces[b->tx_if];
    if (b->length > out.mtu) [[unlikely]] {
      if (ntohs(ip->frag) & packet::kIp4FlagDf) {
        w.CountDrop(DropReason::kIp4FragNeeded);
        b->aux = nodes::IcmpRequest(3, 4, out.mtu);
        w.Enqueue(NodeId::kIcmp4Error, b);
      } else {
        w.Enqueue(NodeId::kIp4Fragment, b);
      }
      continue;
    }
    if ((b->flags & packet::kFlagLocalOrigin) == 0) {
      // TTL shares a 16-bit word with the protocol.
      uint16_t old_word, new_word;
      std::memcpy(&old_word, &ip->ttl, 2);
      --ip->ttl;
      std::memcpy(&new_word, &ip->ttl, 2);
      ip->checksum = packet::ChecksumUpdate16(ip->checksum, old_word, new_word);
      ++forwarded;
    }
    nodes::SendToNeighbor<nodes::Ip4Route>(w, b, out);
  }
  w.Count(Event::kIp4Forwarded, forwarded);
}

}  // namespace sabina::dp
