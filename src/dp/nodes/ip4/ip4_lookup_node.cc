#include "dp/nodes/ip4/ip4_lookup_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/ip_route_util.h"
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
    const auto* ip = reinterpret_cast<const packet::Ip4Header*>(b->data());
    nodes::RouteByNextHop<nodes::Ip4Route>(w, t, b, nh[i], ip->ttl, [&] {
      uint32_t ihl = ip->ihl_bytes();
      return nodes::Ip4FlowHash(ip, b->data() + ihl, b->length - ihl);
    });
  }
}

}  // namespace sabina::dp
