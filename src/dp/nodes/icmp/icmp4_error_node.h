// icmp4-error: turns a packet the IPv4 path refused into the ICMP error about it (RFC 792,
// RFC 1812 4.3.2), in the same buffer. The request is in b->aux: type | code << 8 | mtu << 16
// (the MTU for fragmentation needed, 3/4); b->data() is the original IPv4 header.
//
// No error is sent (icmp-error-suppressed, RFC 1812 4.3.2.7) about: an ICMP error message
// (types 3, 4, 5, 11, 12, or an ICMP header too short to tell), a non-first fragment, a packet
// to a broadcast or multicast address or received as a link-layer broadcast/multicast, a packet
// whose source is not a unicast host (0/8, 127/8, 224/4, 255.255.255.255), a packet the data
// plane originated itself, or a packet received on a unit without an IPv4 address (the error's
// source is the receiving unit's primary address, Interface::ip4_address).
// Rate limit: a token bucket per worker, 100 errors/s with bursts of 10 (IcmpRateLimiter);
// the excess is icmp-error-rate-limited.
// The error: IPv4 header (TOS 0xc0 internetwork control, TTL 64, DF clear, id from a per-worker
// counter) + ICMP header + the original IP header and as much of its payload as fits in 576
// bytes in all. It is marked kFlagLocalOrigin and routed back by ip4-lookup like any packet
// (no TTL check, no ip4-input checks).
//
// Next nodes: ip4-lookup.
// Drops: icmp-error-suppressed, icmp-error-rate-limited, buffer-no-headroom.
// Counters: icmp4-errors-sent.
// Example: TTL-1 UDP packet from 198.51.100.7 received on ge-0/0/0.0 (192.0.2.1) -> time
//   exceeded 192.0.2.1 -> 198.51.100.7 quoting its header and 8+ payload bytes -> ip4-lookup.
//
// Thread: the owning worker (the rate limiter and the id counter are per node, so per worker).
#pragma once

#include <cstdint>

#include "dp/node.h"
#include "dp/nodes/node_util.h"

namespace sabina::dp {

class Icmp4ErrorNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;

 private:
  nodes::IcmpRateLimiter limiter_;
  uint16_t next_id_ = 1;
};

}  // namespace sabina::dp
