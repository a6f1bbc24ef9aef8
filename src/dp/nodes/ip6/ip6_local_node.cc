#include "dp/nodes/ip6/ip6_local_node.h"

#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

void Ip6LocalNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  uint64_t local = 0;
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    if (b->flags & packet::kFlagLocalOrigin) {
      w.Drop(b, DropReason::kLocalOriginForUs);
      continue;
    }
    ++local;
    w.Enqueue(NodeId::kPunt, b);  // kHost
  }
  w.Count(Event::kIp6Local, local);
}

}  // namespace sabina::dp
