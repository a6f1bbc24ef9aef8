// Wire formats the data plane parses and writes, as packed structs in network byte order, and
// the Internet checksum (RFC 1071) with incremental update (RFC 1624).
//
// Thread: any (pure).
#pragma once

#include <arpa/inet.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace sabina::packet {

struct MacAddr {
  std::array<uint8_t, 6> bytes{};
  bool IsBroadcast() const {
    return bytes == std::array<uint8_t, 6>{0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  }
  bool IsMulticast() const { return (bytes[0] & 1) != 0; }
  bool IsZero() const { return bytes == std::array<uint8_t, 6>{}; }
  // The 48 bits in the low bits of a uint64 (for atomic stores in adjacencies).
  uint64_t ToU64() const {
    uint64_t v = 0;
    for (uint8_t b : bytes) v = (v << 8) | b;
    return v;
  }
  static MacAddr FromU64(uint64_t v) {
    MacAddr m;
    for (int i = 5; i >= 0; --i, v >>= 8) m.bytes[i] = static_cast<uint8_t>(v);
    return m;
  }
  std::string ToString() const;  // "00:11:22:33:44:55" (Junos style)
  friend bool operator==(const MacAddr&, const MacAddr&) = default;
};

inline constexpr uint16_t kEtherTypeIp4 = 0x0800;
inline constexpr uint16_t kEtherTypeArp = 0x0806;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;
inline constexpr uint16_t kEtherTypeIp6 = 0x86dd;

inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIcmp6 = 58;
// IPv6 extension headers (RFC 8200 section 4).
inline constexpr uint8_t kProtoHopByHop = 0;
inline constexpr uint8_t kProtoRouting = 43;
inline constexpr uint8_t kProtoFragment = 44;
inline constexpr uint8_t kProtoEsp = 50;
inline constexpr uint8_t kProtoAh = 51;
inline constexpr uint8_t kProtoNoNext = 59;
inline constexpr uint8_t kProtoDestOpts = 60;

#pragma pack(push, 1)
struct EtherHeader {
  uint8_t dst[6];
  uint8_t src[6];
  uint16_t type;  // network order
};
struct VlanTag {
  uint16_t tci;   // PCP:3 DEI:1 VID:12, network order
  uint16_t type;  // inner ethertype, network order
};
struct ArpHeader {
  uint16_t htype, ptype;
  uint8_t hlen, plen;
  uint16_t op;  // 1 request, 2 reply
  uint8_t sha[6];
  uint8_t spa[4];
  uint8_t tha[6];
  uint8_t tpa[4];
};
struct Ip4Header {
  uint8_t version_ihl;
  uint8_t tos;
  uint16_t total_length;
  uint16_t id;
  uint16_t frag;  // flags:3 offset:13, network order
  uint8_t ttl;
  uint8_t protocol;
  uint16_t checksum;
  uint32_t src, dst;  // network order
  uint32_t ihl_bytes() const { return (version_ihl & 0x0f) * 4u; }
};
struct Ip6Header {
  uint32_t vtc_flow;
  uint16_t payload_length;
  uint8_t next_header;
  uint8_t hop_limit;
  uint8_t src[16];
  uint8_t dst[16];
};
struct IcmpHeader {  // ICMP and ICMPv6
  uint8_t type, code;
  uint16_t checksum;
  uint32_t rest;  // id/seq, unused, or next-hop MTU (frag needed: low 16 bits), network order
};
struct UdpHeader {
  uint16_t src_port, dst_port, length, checksum;
};
struct TcpHeader {
  uint16_t src_port, dst_port;
  uint32_t seq, ack;
  uint8_t data_offset, flags;
  uint16_t window, checksum, urgent;
};
#pragma pack(pop)

inline constexpr uint16_t kIp4FlagDf = 0x4000;
inline constexpr uint16_t kIp4FlagMf = 0x2000;
inline constexpr uint16_t kIp4OffsetMask = 0x1fff;

// One's-complement sum of `n` bytes folded into 16 bits, not inverted; `seed` continues a sum.
uint32_t ChecksumPartial(const void* data, size_t n, uint32_t seed = 0);
inline uint16_t ChecksumFold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}
// The Internet checksum of `n` bytes, ready to store (network order).
inline uint16_t Checksum(const void* data, size_t n) {
  return ChecksumFold(ChecksumPartial(data, n));
}
// RFC 1624 eqn. 3: the checksum after a 16-bit field changed from old_field to new_field
// (all three in network order).
inline uint16_t ChecksumUpdate16(uint16_t checksum, uint16_t old_field, uint16_t new_field) {
  uint32_t sum = static_cast<uint16_t>(~checksum) + static_cast<uint16_t>(~old_field) +
                 static_cast<uint32_t>(new_field);
  sum = (sum & 0xffff) + (sum >> 16);
  sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}
// TCP/UDP/ICMPv6 checksum over the IPv6 pseudo-header plus `l4` (l4_len bytes).
uint16_t Checksum6(const Ip6Header& ip6, uint8_t next_header, const void* l4, uint32_t l4_len);
// TCP/UDP checksum over the IPv4 pseudo-header plus `l4`.
uint16_t Checksum4(const Ip4Header& ip4, const void* l4, uint32_t l4_len);

}  // namespace sabina::packet
