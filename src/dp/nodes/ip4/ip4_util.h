// IPv4 helpers shared by the ip4-* and icmp4-error nodes: header checksum, address classes
// and the flow hash of ECMP.
//
// Thread: any (pure).
#pragma once

#include <nmmintrin.h>

#include <cstdint>
#include <cstring>

#include "packet/headers.h"

namespace sabina::dp::nodes {

// The one's-complement sum of an IPv4 header (ihl bytes, a multiple of 4), folded to 16 bits:
// 0xffff when the stored checksum is right.
inline uint16_t Ip4HeaderSum(const uint8_t* p, uint32_t ihl) {
  uint64_t sum = 0;
  for (uint32_t k = 0; k < ihl; k += 4) {
    uint32_t word;
    std::memcpy(&word, p + k, 4);
    sum += word;
  }
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffffffff) + (sum >> 32);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// Stores the header checksum of an IPv4 header of ihl bytes.
inline void Ip4SetChecksum(uint8_t* p, uint32_t ihl) {
  auto* ip = reinterpret_cast<packet::Ip4Header*>(p);
  ip->checksum = 0;
  uint16_t sum = static_cast<uint16_t>(~Ip4HeaderSum(p, ihl));
  ip->checksum = sum;
}

// Multicast (224/4) or the limited broadcast; host order.
inline bool Ip4IsMulticastOrBroadcast(uint32_t a) { return (a >> 28) == 14 || a == 0xffffffffu; }

// Addresses that are never a valid source (RFC 1812 5.3.7, RFC 6890): 0/8, 127/8, 224/4
// (multicast) and 255.255.255.255.
inline bool Ip4IsMartianSource(uint32_t a) {
  uint32_t top = a >> 24;
  return top == 0 || top == 127 || (a >> 28) == 14 || a == 0xffffffffu;
}

inline bool Ip4IsLaterFragment(const packet::Ip4Header* ip) {
  return (ntohs(ip->frag) & packet::kIp4OffsetMask) != 0;
}
inline bool Ip4IsFragment(const packet::Ip4Header* ip) {
  return (ntohs(ip->frag) & (packet::kIp4OffsetMask | packet::kIp4FlagMf)) != 0;
}

// Protocols whose first four payload bytes are the source and destination ports.
inline bool HasPorts(uint8_t proto) {
  return proto == packet::kProtoTcp || proto == packet::kProtoUdp || proto == 132 /* SCTP */;
}

// The ECMP flow hash (CRC32-C, SSE4.2) of (src, dst, protocol, ports). Ports only for an
// unfragmented packet: fragments of one datagram (the later ones have no ports) then take the
// same path as each other. `l4_len` is the number of bytes after the IP header.
inline uint32_t Ip4FlowHash(const packet::Ip4Header* ip, const uint8_t* l4, uint32_t l4_len) {
  uint32_t h = _mm_crc32_u32(0x5bd1e995, ip->src);
  h = _mm_crc32_u32(h, ip->dst);
  uint32_t ports = 0;
  if (HasPorts(ip->protocol) && l4_len >= 4 && !Ip4IsFragment(ip)) std::memcpy(&ports, l4, 4);
  h = _mm_crc32_u32(h, ports ^ ip->protocol);
  return h;
}

}  // namespace sabina::dp::nodes
