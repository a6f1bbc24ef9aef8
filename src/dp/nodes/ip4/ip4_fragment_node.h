// ip4-fragment: RFC 791 fragmentation of a routed IPv4 packet longer than its egress unit's
// MTU, DF clear (ip4-rewrite decided).
//
// Every fragment is a new buffer from the worker's pool, all allocated before any is built
// (pool short -> the packet is dropped whole, buffer-exhausted). The first fragment carries
// all the options; the others only the options whose copied flag is set (RFC 791), padded
// with end-of-list to a multiple of 4. Fragment data is a multiple of 8 bytes except in the
// last one; the offsets continue those of the packet (it may be a fragment already) and the
// last fragment keeps its MF flag. The TTL is decremented once (not for local-origin
// packets), each header checksummed in full, then each fragment takes ip4-rewrite's last step
// (nodes::SendToNeighbor). At most kFrameSize (256) fragments per packet: more (a 9000-byte
// packet over a tiny MTU) is ip4-fragmentation-failed, as is an MTU with no room for 8 bytes
// of data.
//
// Next nodes: as ip4-rewrite (egress arc, punt kResolve).
// Drops: buffer-exhausted, ip4-fragmentation-failed (plus ip4-rewrite's).
// Counters: ip4-fragments-created, ip4-forwarded (per original packet).
// Example: 1500-byte packet, IHL 5, mtu 1000 -> fragments of 996 (976 data) and 524 bytes.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class Ip4FragmentNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
