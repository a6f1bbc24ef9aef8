// IPv6 helpers shared by the ip6-* and icmp6-error nodes: address classes, the
// extension-header walk and the ECMP flow hash.
//
// Thread: any (pure).
#pragma once

#include <nmmintrin.h>

#include <cstdint>
#include <cstring>

#include "packet/headers.h"

namespace sabina::dp::nodes {

inline bool Ip6IsMulticast(const uint8_t* a) { return a[0] == 0xff; }
inline bool Ip6IsLinkLocal(const uint8_t* a) { return a[0] == 0xfe && (a[1] & 0xc0) == 0x80; }
inline bool Ip6IsUnspecified(const uint8_t* a) {
  uint64_t hi, lo;
  std::memcpy(&hi, a, 8);
  std::memcpy(&lo, a + 8, 8);
  return (hi | lo) == 0;
}
inline bool Ip6IsLoopback(const uint8_t* a) {
  static constexpr uint8_t kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::memcmp(a, kLoopback, 16) == 0;
}

// What the extension-header chain of a packet holds.
struct Ip6Chain {
  uint8_t upper = 0;            // the upper-layer protocol (or the header the walk stopped at)
  uint32_t l4 = 40;             // its offset from the IPv6 header
  bool router_alert = false;    // hop-by-hop option router alert (RFC 2711)
  bool fragment = false;        // a fragment header is present
  bool later_fragment = false;  // ... with a non-zero offset: `upper` is not parsed
};

enum class Ip6ChainResult : uint8_t { kOk, kBad, kRoutingType0 };

// At most this many extension headers (more is treated as an attack: looping chains).
inline constexpr uint32_t kMaxIp6ExtensionHeaders = 8;

// Walks the chain of a packet of `length` bytes (>= 40) at p (RFC 8200 section 4): hop-by-hop
// only first, routing, destination options, fragment, AH; each must lie within the packet.
// kRoutingType0: a type 0 routing header with segments left (RFC 5095).
Ip6ChainResult WalkIp6Chain(const uint8_t* p, uint32_t length, Ip6Chain* chain);

// ICMPv6 neighbour discovery (RS, RA, NS, NA, redirect: RFC 4861).
inline bool IsNdType(uint8_t type) { return type >= 133 && type <= 137; }

// The ECMP flow hash (CRC32-C) of (src, dst, flow label, upper protocol, ports when present).
inline uint32_t Ip6FlowHash(const uint8_t* ip, const Ip6Chain& c, uint32_t length) {
  uint64_t w[4];
  std::memcpy(w, ip + 8, 32);
  uint64_t h = 0x5bd1e995;
  for (uint64_t x : w) h = _mm_crc32_u64(h, x);
  uint32_t label;
  std::memcpy(&label, ip, 4);
  uint32_t ports = 0;
  if (!c.fragment &&
      (c.upper == packet::kProtoTcp || c.upper == packet::kProtoUdp || c.upper == 132) &&
      c.l4 + 4 <= length) {
    std::memcpy(&ports, ip + c.l4, 4);
  }
  h = _mm_crc32_u32(static_cast<uint32_t>(h), (ntohl(label) & 0xfffff) ^ c.upper << 20);
  return _mm_crc32_u32(static_cast<uint32_t>(h), ports);
}

}  // namespace sabina::dp::nodes
