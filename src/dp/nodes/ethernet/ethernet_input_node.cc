#include "dp/nodes/ethernet/ethernet_input_node.h"

#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {

using nodes::Load16;

void EthernetInputNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  const uint32_t port_count = static_cast<uint32_t>(ifs.ports.size());
  for (uint32_t i = 0; i < n; ++i) {
    nodes::PrefetchAhead(v, i, n);
    packet::Buffer* b = v[i];
    const uint8_t* p = b->data();
    if (b->length < 14) {
      w.Drop(b, DropReason::kEthernetTruncated);
      continue;
    }
    uint16_t type = Load16(p + 12);
    uint32_t l2 = 14;
    uint16_t vlan = 0;
    if (type == packet::kEtherTypeVlan) {
      if (b->length < 18) {
        w.Drop(b, DropReason::kEthernetTruncated);
        continue;
      }
      vlan = Load16(p + 14) & 0x0fff;
      type = Load16(p + 16);
      l2 = 18;
      b->flags |= packet::kFlagVlanTagged;
    }
    uint32_t ifx = packet::kInvalidIndex;
    if (b->rx_port < port_count) {
      const PortMap& pm = ifs.ports[b->rx_port];
      if (vlan == 0) {
        ifx = pm.untagged;
      } else if (vlan < pm.by_vlan.size()) {
        ifx = pm.by_vlan[vlan];
      }
    }
    // A stacked (QinQ) tag is not a unit we have either.
    if (ifx == packet::kInvalidIndex || type == packet::kEtherTypeVlan) {
      w.Drop(b, DropReason::kEthernetUnknownVlan);
      continue;
    }
    const Interface& itf = ifs.interfaces[ifx];
    if (!itf.up) {
      w.Drop(b, DropReason::kInterfaceDown);
      continue;
    }
    if ((p[0] & 1) == 0 && !nodes::MacEquals(p, itf.mac)) {
      w.Drop(b, DropReason::kEthernetNotForUs);
      continue;
    }
    b->vlan = vlan;
    b->rx_if = ifx;
    w.CountUnitRx(ifx, b->length);
    b->l3_offset = static_cast<uint16_t>(b->offset + l2);
    b->Advance(l2);
    switch (type) {
      case packet::kEtherTypeIp4:
        w.Enqueue(NodeId::kIp4Input, b);
        break;
      case packet::kEtherTypeIp6:
        w.Enqueue(NodeId::kIp6Input, b);
        break;
      case packet::kEtherTypeArp:
        w.Enqueue(NodeId::kArpInput, b);
        break;
      default:
        w.Drop(b, DropReason::kEthernetUnknownType);
        break;
    }
  }
}

}  // namespace sabina::dp
