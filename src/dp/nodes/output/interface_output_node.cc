#include "dp/nodes/output/interface_output_node.h"

#include "dp/worker.h"

namespace sabina::dp {

void InterfaceOutputNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  const uint32_t ports = static_cast<uint32_t>(ifs.ports.size());
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    const uint32_t port = ifs.interfaces[b->tx_if].port;
    if (port >= ports) [[unlikely]] {
      w.Drop(b, DropReason::kTxError);
      continue;
    }
    w.CountUnitTx(b->tx_if, b->length);
    w.Transmit(port, b);
  }
}

}  // namespace sabina::dp
