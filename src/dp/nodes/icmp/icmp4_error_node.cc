#include "dp/nodes/icmp/icmp4_error_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {

constexpr uint32_t kMaxErrorBytes = 576;  // RFC 1812 4.3.2.3
constexpr uint32_t kErrorHeaders = sizeof(packet::Ip4Header) + sizeof(packet::IcmpHeader);

// Received as a link-layer broadcast or multicast: the destination MAC is still in the
// headroom in front of the L3 header.
bool LinkLayerMulticast(const packet::Buffer& b) {
  uint32_t l2 = (b.flags & packet::kFlagVlanTagged) ? 18 : 14;
  if (b.l3_offset < l2) return false;
  return (b.data_[b.l3_offset - l2] & 1) != 0;
}

bool IsIcmpError(const packet::Buffer& b, const packet::Ip4Header* ip) {
  if (ip->protocol != packet::kProtoIcmp) return false;
  uint32_t ihl = ip->ihl_bytes();
  if (b.length < ihl + 1) return true;  // cannot tell: stay silent
  uint8_t type = b.data()[ihl];
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

}  // namespace

void Icmp4ErrorNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    const auto* ip = reinterpret_cast<const packet::Ip4Header*>(b->data());
    const uint32_t src = ntohl(ip->src), dst = ntohl(ip->dst);
    if ((b->flags & packet::kFlagLocalOrigin) || b->rx_if >= ifs.interfaces.size() ||
        nodes::Ip4IsLaterFragment(ip) || nodes::Ip4IsMulticastOrBroadcast(dst) ||
        nodes::Ip4IsMartianSource(src) || LinkLayerMulticast(*b) || IsIcmpError(*b, ip) ||
        ifs.interfaces[b->rx_if].ip4_address == 0) {
      w.Drop(b, DropReason::kIcmpErrorSuppressed);
      continue;
    }
    if (!nodes::AdmitIcmpError(w, limiter_, b, kErrorHeaders)) continue;
    const uint32_t quote = std::min(b->length, kMaxErrorBytes - kErrorHeaders);
    const uint32_t original_src = ip->src;
    b->length = quote;
    uint8_t* p = b->Prepend(kErrorHeaders);
    auto* eip = reinterpret_cast<packet::Ip4Header*>(p);
    eip->version_ihl = 0x45;
    eip->tos = 0xc0;
    eip->total_length = htons(static_cast<uint16_t>(kErrorHeaders + quote));
    eip->id = htons(next_id_++);
    eip->frag = 0;
    eip->ttl = 64;
    eip->protocol = packet::kProtoIcmp;
    eip->src = htonl(ifs.interfaces[b->rx_if].ip4_address);
    eip->dst = original_src;
    nodes::Ip4SetChecksum(p, 20);
    auto* icmp = reinterpret_cast<packet::IcmpHeader*>(p + 20);
    icmp->type = static_cast<uint8_t>(b->aux);
    icmp->code = static_cast<uint8_t>(b->aux >> 8);
    icmp->checksum = 0;
    icmp->rest = icmp->type == 3 && icmp->code == 4 ? htonl(b->aux >> 16) : 0;
    icmp->checksum = packet::Checksum(icmp, sizeof(packet::IcmpHeader) + quote);
    nodes::SendIcmpError(w, b, Event::kIcmp4ErrorsSent, NodeId::kIp4Lookup);
  }
}

}  // namespace sabina::dp
