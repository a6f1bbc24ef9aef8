// ip4-input: validates a received IPv4 header (RFC 1812 5.2.2) and starts the ip4-unicast
// feature arc.
//
// Checks, in order: 20 bytes present, version 4, IHL >= 5, IHL*4 <= total length <= bytes
// received (Ethernet padding beyond the total length is trimmed), header checksum, source not
// a martian (0/8, 127/8, 224/4, 255.255.255.255; 0.0.0.0 is accepted towards
// 255.255.255.255 only, for DHCP clients), options well-formed.
// Options rule: options are forwarded unchanged, except loose/strict source routing (LSRR 131,
// SSRR 137), which is dropped as RFC 7126 recommends, and malformed options (length < 2 or
// past the header), which are dropped too.
// Broadcast and multicast: the limited broadcast, a directed broadcast of one of the receiving
// unit's subnets and link-local multicast 224.0.0.0/24 (OSPF, IGMP, ...) go to the host when
// the unit has an IPv4 address; other multicast is not routed (no multicast routing yet).
//
// Next nodes: the ip4-unicast arc of rx_if (ending in ip4-lookup), punt (kHost).
// Drops: ip4-truncated, ip4-bad-version, ip4-bad-ihl, ip4-bad-length, ip4-bad-checksum,
//   ip4-bad-address, ip4-options, ip4-broadcast-not-for-us, ip4-multicast-not-routed.
// Config: interfaces NAME unit N family inet.
// Example: 198.51.100.7 -> 203.0.113.9 TTL 64, valid checksum -> ip4-lookup.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip4InputNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
