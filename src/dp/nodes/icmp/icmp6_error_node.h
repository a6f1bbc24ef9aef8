// icmp6-error: turns a packet the IPv6 path refused into the ICMPv6 error about it (RFC 4443),
// in the same buffer. Request in b->aux: type | code << 8 | mtu << 16; b->data() is the
// original IPv6 header. Errors sent: time exceeded 3/0 (hop limit), destination unreachable
// 1/0 (no route, reject route), packet too big 2/0 with the egress MTU.
//
// Suppressed (icmp-error-suppressed, RFC 4443 2.4(e)): errors about an ICMPv6 error message
// (type < 128, or a header too short to tell), about a packet whose source is not a unicast
// address (unspecified, multicast), to a multicast destination or received as a link-layer
// multicast/broadcast (except packet too big, which PMTUD over multicast needs), about a packet
// the data plane originated, or received on a unit without a global IPv6 address (the source
// is Interface::ip6_address of the receiving unit).
// Rate limit: as icmp4-error, a token bucket per worker of 100/s with bursts of 10
// (icmp-error-rate-limited).
// The error: IPv6 header (hop limit 64, traffic class 0) + ICMPv6 header + as much of the
// original packet as fits in 1280 bytes (the IPv6 minimum MTU), checksummed over the
// pseudo-header; marked kFlagLocalOrigin and routed back through ip6-lookup.
//
// Next nodes: ip6-lookup.
// Drops: icmp-error-suppressed, icmp-error-rate-limited, buffer-no-headroom.
// Counters: icmp6-errors-sent.
// Example: 1500-byte packet towards a 1400-byte-MTU unit -> packet too big MTU 1400 from the
//   receiving unit's address to the sender, quoting the first 1232 bytes.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"
#include "dp/nodes/node_util.h"

namespace sabina::dp {

class Icmp6ErrorNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;

 private:
  nodes::IcmpRateLimiter limiter_;
};

}  // namespace sabina::dp
