#include "dp/nodes/ip4/ip4_fragment_node.h"

#include "dp/nodes/ip_route_util.h"
#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {

// The header of the second and later fragments: the fixed 20 bytes plus the copied options,
// padded to a multiple of 4. Returns its length. ip4-input validated the option lengths.
uint32_t LaterFragmentHeader(const uint8_t* p, uint32_t ihl, uint8_t* out) {
  std::memcpy(out, p, 20);
  uint32_t len = 20;
  for (uint32_t k = 20; k < ihl;) {
    uint8_t type = p[k];
    if (type == 0) break;
    if (type == 1) {
      ++k;
      continue;
    }
    if (k + 1 >= ihl) break;
    uint32_t olen = p[k + 1];
    if (olen < 2 || k + olen > ihl) break;
    if (type & 0x80) {
      std::memcpy(out + len, p + k, olen);
      len += olen;
    }
    k += olen;
  }
  while (len % 4 != 0) out[len++] = 0;
  out[0] = static_cast<uint8_t>(0x40 | len / 4);
  return len;
}

}  // namespace

void Ip4FragmentNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    uint8_t* p = b->data();
    auto* ip = reinterpret_cast<packet::Ip4Header*>(p);
    const Interface& out = ifs.interfaces[b->tx_if];
    const uint32_t ihl = ip->ihl_bytes();
    const uint32_t payload = b->length - ihl;
    uint8_t later_header[60];
    const uint32_t later_ihl = LaterFragmentHeader(p, ihl, later_header);
    // Data per fragment, a multiple of 8.
    const uint32_t first_data = out.mtu > ihl ? (out.mtu - ihl) & ~7u : 0;
    const uint32_t later_data = out.mtu > later_ihl ? (out.mtu - later_ihl) & ~7u : 0;
    if (first_data == 0 || later_data == 0) {
      w.Drop(b, DropReason::kIp4FragmentFailed);
      continue;
    }
    const uint32_t count =
        payload <= first_data ? 1 : 1 + (payload - first_data + later_data - 1) / later_data;
    if (count > packet::kFrameSize) {
      w.Drop(b, DropReason::kIp4FragmentFailed);
      continue;
    }
    packet::Buffer* frags[packet::kFrameSize];
    if (uint32_t got = w.pool().AllocBulk(frags, count); got != count) {
      w.pool().FreeBulk(frags, got);
      w.Drop(b, DropReason::kBufferExhausted);
      continue;
    }
    const bool local_origin = (b->flags & packet::kFlagLocalOrigin) != 0;
    const uint8_t ttl = local_origin ? ip->ttl : static_cast<uint8_t>(ip->ttl - 1);
    const uint16_t frag = ntohs(ip->frag);
    const uint32_t base_offset = (frag & packet::kIp4OffsetMask) * 8u;
    const bool last_mf = (frag & packet::kIp4FlagMf) != 0;
    uint32_t done = 0;
    for (uint32_t k = 0; k < count; ++k) {
      packet::Buffer* f = frags[k];
      const uint32_t hl = k == 0 ? ihl : later_ihl;
      const uint32_t data = std::min(k == 0 ? first_data : later_data, payload - done);
      const bool last = done + data == payload;
      uint8_t* q = f->data();
      std::memcpy(q, k == 0 ? p : later_header, hl);
      std::memcpy(q + hl, p + ihl + done, data);
      auto* fip = reinterpret_cast<packet::Ip4Header*>(q);
      fip->total_length = htons(static_cast<uint16_t>(hl + data));
      uint16_t fo = static_cast<uint16_t>((base_offset + done) / 8);
      if (!last || last_mf) fo |= packet::kIp4FlagMf;
      fip->frag = htons(fo);
      fip->ttl = ttl;
      nodes::Ip4SetChecksum(q, hl);
      f->length = hl + data;
      f->l3_offset = static_cast<uint16_t>(f->offset);
      f->rx_port = b->rx_port;
      f->rx_if = b->rx_if;
      f->tx_if = b->tx_if;
      f->next_hop = b->next_hop;
      f->adjacency = b->adjacency;
      f->flow_hash = b->flow_hash;
      f->vlan = b->vlan;
      f->flags = b->flags & (packet::kFlagTraced | packet::kFlagLocalOrigin);
      done += data;
    }
    w.Count(Event::kIp4Fragments, count);
    if (!local_origin) w.Count(Event::kIp4Forwarded);
    w.pool().Free(b);
    for (uint32_t k = 0; k < count; ++k) nodes::SendToNeighbor<nodes::Ip4Route>(w, frags[k], out);
  }
}

}  // namespace sabina::dp
