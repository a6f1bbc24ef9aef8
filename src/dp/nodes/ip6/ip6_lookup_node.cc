#include "dp/nodes/ip6/ip6_lookup_node.h"

#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/ip_route_util.h"
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
    const fib::NextHopKind kind = t.next_hops[nh[i]].kind;
    if ((kind == fib::NextHopKind::kForward || kind == fib::NextHopKind::kGlean) &&
        nodes::Ip6IsLinkLocal(ip->src)) [[unlikely]] {
      b->next_hop = nh[i];
      w.Drop(b, DropReason::kIp6LinkLocalSource);
      continue;
    }
    nodes::RouteByNextHop<nodes::Ip6Route>(w, t, b, nh[i], ip->hop_limit, [&] {
      nodes::Ip6Chain chain;
      chain.upper = ip->next_header;
      if (chain.upper != packet::kProtoTcp && chain.upper != packet::kProtoUdp) {
        nodes::WalkIp6Chain(p, b->length, &chain);  // ip6-input validated it
      }
      return nodes::Ip6FlowHash(p, chain, b->length);
    });
  }
}

}  // namespace sabina::dp
