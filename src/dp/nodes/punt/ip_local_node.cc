#include "dp/nodes/punt/ip_local_node.h"

#include "dp/worker.h"

namespace sabina::dp {

void IpLocalNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
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
  w.Count(counted_, local);
}

}  // namespace sabina::dp
