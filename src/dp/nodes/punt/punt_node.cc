#include "dp/nodes/punt/punt_node.h"

#include <cstring>

#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

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
    const bool v6 = nodes::Load16(b->l3() - 2) == packet::kEtherTypeIp6;
    b->Prepend(14);
    w.Punt(b, static_cast<PuntReason>(b->aux), b->rx_if, v6);
  }
}

}  // namespace sabina::dp
