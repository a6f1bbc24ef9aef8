#include "dp/nodes/arp/arp_input_node.h"

#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

using nodes::Load16;
using nodes::Load32;

void ArpInputNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    const uint8_t* p = b->data();
    if (b->length < sizeof(packet::ArpHeader) || Load16(p) != 1 ||
        Load16(p + 2) != packet::kEtherTypeIp4 || p[4] != 6 || p[5] != 4) {
      w.Drop(b, DropReason::kArpMalformed);
      continue;
    }
    const auto* arp = reinterpret_cast<const packet::ArpHeader*>(p);
    uint16_t op = ntohs(arp->op);
    if (op != 1 && op != 2) {
      w.Drop(b, DropReason::kArpMalformed);
      continue;
    }
    if (op == 1) {
      uint32_t target = Load32(arp->tpa);
      bool ours = Load32(arp->spa) == target;  // gratuitous
      const Interface& itf = ifs.interfaces[b->rx_if];
      for (uint32_t k = 0; k < itf.ip4_address_count && !ours; ++k) {
        ours = itf.ip4_addresses[k].address == target;
      }
      if (!ours) {
        w.Drop(b, DropReason::kArpNotForUs);
        continue;
      }
    }
    w.Enqueue(NodeId::kPunt, b);  // kArp
  }
}

}  // namespace sabina::dp
