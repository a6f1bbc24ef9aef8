#include "dp/nodes/icmp/icmp6_error_node.h"

#include "dp/nodes/ip6/ip6_util.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {

constexpr uint32_t kMaxErrorBytes = 1280;  // RFC 4443 2.4(c)
constexpr uint32_t kErrorHeaders = sizeof(packet::Ip6Header) + sizeof(packet::IcmpHeader);

bool LinkLayerMulticast(const packet::Buffer& b) {
  uint32_t l2 = (b.flags & packet::kFlagVlanTagged) ? 18 : 14;
  if (b.l3_offset < l2) return false;
  return (b.data_[b.l3_offset - l2] & 1) != 0;
}

bool IsIcmp6Error(const packet::Buffer& b) {
  nodes::Ip6Chain chain;
  if (nodes::WalkIp6Chain(b.data(), b.length, &chain) != nodes::Ip6ChainResult::kOk) {
    return true;
  }
  if (chain.upper != packet::kProtoIcmp6 || chain.later_fragment) return false;
  if (chain.l4 >= b.length) return true;
  return b.data()[chain.l4] < 128;
}

}  // namespace

void Icmp6ErrorNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = v[i];
    const auto* ip = reinterpret_cast<const packet::Ip6Header*>(b->data());
    const uint8_t type = static_cast<uint8_t>(b->aux);
    const bool too_big = type == 2;
    if ((b->flags & packet::kFlagLocalOrigin) || b->rx_if >= ifs.interfaces.size() ||
        nodes::Ip6IsUnspecified(ip->src) || nodes::Ip6IsMulticast(ip->src) ||
        (!too_big && (nodes::Ip6IsMulticast(ip->dst) || LinkLayerMulticast(*b))) ||
        !ifs.interfaces[b->rx_if].has_ip6 || IsIcmp6Error(*b)) {
      w.Drop(b, DropReason::kIcmpErrorSuppressed);
      continue;
    }
    if (!nodes::AdmitIcmpError(w, limiter_, b, kErrorHeaders)) continue;
    const uint32_t quote = std::min(b->length, kMaxErrorBytes - kErrorHeaders);
    uint8_t original_src[16];
    std::memcpy(original_src, ip->src, 16);
    b->length = quote;
    uint8_t* p = b->Prepend(kErrorHeaders);
    auto* eip = reinterpret_cast<packet::Ip6Header*>(p);
    eip->vtc_flow = htonl(6u << 28);
    eip->payload_length = htons(static_cast<uint16_t>(sizeof(packet::IcmpHeader) + quote));
    eip->next_header = packet::kProtoIcmp6;
    eip->hop_limit = 64;
    nodes::StoreIp6(eip->src, ifs.interfaces[b->rx_if].ip6_address);
    std::memcpy(eip->dst, original_src, 16);
    auto* icmp = reinterpret_cast<packet::IcmpHeader*>(p + sizeof(packet::Ip6Header));
    icmp->type = type;
    icmp->code = static_cast<uint8_t>(b->aux >> 8);
    icmp->checksum = 0;
    icmp->rest = too_big ? htonl(b->aux >> 16) : 0;
    icmp->checksum =
        packet::Checksum6(*eip, packet::kProtoIcmp6, icmp, sizeof(packet::IcmpHeader) + quote);
    nodes::SendIcmpError(w, b, Event::kIcmp6ErrorsSent, NodeId::kIp6Lookup);
  }
}

}  // namespace sabina::dp
