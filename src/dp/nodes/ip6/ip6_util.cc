#include "dp/nodes/ip6/ip6_util.h"

namespace sabina::dp::nodes {
namespace {

// Scans hop-by-hop options (header of `len` bytes at h) for a router alert; false when an
// option runs past the header.
bool ScanHopByHop(const uint8_t* h, uint32_t len, bool* router_alert) {
  for (uint32_t k = 2; k < len;) {
    uint8_t type = h[k];
    if (type == 0) {  // Pad1
      ++k;
      continue;
    }
    if (k + 1 >= len || k + 2 + h[k + 1] > len) return false;
    if (type == 5) *router_alert = true;
    k += 2 + h[k + 1];
  }
  return true;
}

}  // namespace

Ip6ChainResult WalkIp6Chain(const uint8_t* p, uint32_t length, Ip6Chain* c) {
  uint8_t nh = p[6];
  uint32_t off = 40;
  for (uint32_t count = 0;; ++count) {
    if (nh != packet::kProtoHopByHop && nh != packet::kProtoRouting &&
        nh != packet::kProtoDestOpts && nh != packet::kProtoFragment && nh != packet::kProtoAh) {
      break;
    }
    if (count == kMaxIp6ExtensionHeaders) return Ip6ChainResult::kBad;
    if (nh == packet::kProtoHopByHop && count != 0) return Ip6ChainResult::kBad;
    if (off + 8 > length) return Ip6ChainResult::kBad;
    const uint8_t* h = p + off;
    uint32_t len;
    if (nh == packet::kProtoFragment) {
      len = 8;
    } else if (nh == packet::kProtoAh) {
      len = (h[1] + 2u) * 4u;
    } else {
      len = (h[1] + 1u) * 8u;
    }
    if (off + len > length) return Ip6ChainResult::kBad;
    if (nh == packet::kProtoHopByHop && !ScanHopByHop(h, len, &c->router_alert)) {
      return Ip6ChainResult::kBad;
    }
    if (nh == packet::kProtoRouting && h[2] == 0 && h[3] != 0) {
      return Ip6ChainResult::kRoutingType0;
    }
    uint8_t next = h[0];
    off += len;
    if (nh == packet::kProtoFragment) {
      c->fragment = true;
      uint16_t fo;
      std::memcpy(&fo, h + 2, 2);
      if ((ntohs(fo) & 0xfff8) != 0) {
        c->later_fragment = true;
        nh = next;
        break;
      }
    }
    nh = next;
  }
  c->upper = nh;
  c->l4 = off;
  return Ip6ChainResult::kOk;
}

}  // namespace sabina::dp::nodes
