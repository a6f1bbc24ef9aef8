// The steps IPv4 and IPv6 routing share, written once with the family's constants as a template
// parameter (Ip4Route, Ip6Route): where ip4-lookup / ip6-lookup send a packet by its next hop,
// the choice of an ECMP path, and the last step of ip4-rewrite / ip6-rewrite (and of
// ip4-fragment): resolve the neighbour or prepend the Ethernet header.
//
// Thread: the owning worker (pure functions of the worker's tables).
#pragma once

#include <cstddef>
#include <cstdint>

#include "dp/nodes/node_util.h"
#include "dp/worker.h"
#include "fib/nexthop.h"
#include "packet/buffer.h"
#include "packet/headers.h"

namespace sabina::dp::nodes {

struct Ip4Route {
  static constexpr bool kV6 = false;
  static constexpr uint16_t kEtherType = packet::kEtherTypeIp4;
  static constexpr size_t kDstOffset = offsetof(packet::Ip4Header, dst);
  static constexpr NodeId kRewrite = NodeId::kIp4Rewrite;
  static constexpr NodeId kLocal = NodeId::kIp4Local;
  static constexpr NodeId kIcmpError = NodeId::kIcmp4Error;
  static constexpr DropReason kExpired = DropReason::kIp4TtlExpired;
  static constexpr DropReason kDiscard = DropReason::kIp4DiscardRoute;
  static constexpr DropReason kReject = DropReason::kIp4RejectRoute;
  static constexpr DropReason kNoRoute = DropReason::kIp4NoRoute;
  static constexpr uint32_t kIcmpExpired = IcmpRequest(11, 0);  // time exceeded in transit
  static constexpr uint32_t kIcmpReject = IcmpRequest(3, 1);    // host unreachable
  static constexpr uint32_t kIcmpNoRoute = IcmpRequest(3, 0);   // net unreachable
};

struct Ip6Route {
  static constexpr bool kV6 = true;
  static constexpr uint16_t kEtherType = packet::kEtherTypeIp6;
  static constexpr size_t kDstOffset = offsetof(packet::Ip6Header, dst);
  static constexpr NodeId kRewrite = NodeId::kIp6Rewrite;
  static constexpr NodeId kLocal = NodeId::kIp6Local;
  static constexpr NodeId kIcmpError = NodeId::kIcmp6Error;
  static constexpr DropReason kExpired = DropReason::kIp6HopLimitExpired;
  static constexpr DropReason kDiscard = DropReason::kIp6DiscardRoute;
  static constexpr DropReason kReject = DropReason::kIp6RejectRoute;
  static constexpr DropReason kNoRoute = DropReason::kIp6NoRoute;
  static constexpr uint32_t kIcmpExpired = IcmpRequest(3, 0);  // hop limit exceeded
  static constexpr uint32_t kIcmpReject = IcmpRequest(1, 0);   // no route to destination
  static constexpr uint32_t kIcmpNoRoute = IcmpRequest(1, 0);
};

// The adjacency of a forwarding next hop with several paths for a flow hash, evenly.
// By default the hash is scaled to the path count (Lemire's multiply-shift, no division): one
// multiplication, but a change of the path set moves most flows. With `consistent_hash` each
// path scores the flow by a mix of the hash and its adjacency index and the highest score wins
// (rendezvous hashing): the winner among the remaining paths is unchanged when another path
// leaves, and a path that joins takes flows only onto itself. Adjacency indexes are stable
// while any route uses the neighbour, so the scores are too.
inline uint32_t PickAdjacency(const fib::NextHop& hop, uint32_t hash) {
  if (!hop.consistent_hash) {
    return hop.paths[(static_cast<uint64_t>(hash) * hop.path_count) >> 32];
  }
  uint32_t best = hop.paths[0];
  uint64_t best_score = 0;
  for (uint32_t i = 0; i < hop.path_count; ++i) {
    uint64_t x = (static_cast<uint64_t>(hop.paths[i]) << 32) | hash;  // MurmurHash3's fmix64
    x = (x ^ (x >> 33)) * 0xff51afd7ed558ccdull;
    x = (x ^ (x >> 33)) * 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    if (x >= best_score) {
      best_score = x;
      best = hop.paths[i];
    }
  }
  return best;
}

// Sends `b` where next hop `nh` (its lookup result) says: forward and glean to the rewrite
// (unless the TTL / hop limit `hop_limit` runs out), local to the host, discard drops, reject
// and no route become ICMP errors. Packets the router sends itself never cause an ICMP error:
// they are dropped under the same reason. `flow_hash()` gives the packet's ECMP hash; it is
// called only for a next hop with several paths.
template <typename F, typename FlowHash>
inline void RouteByNextHop(Worker& w, const Tables& t, packet::Buffer* b, uint32_t nh,
                           uint8_t hop_limit, FlowHash&& flow_hash) {
  const bool local_origin = (b->flags & packet::kFlagLocalOrigin) != 0;
  auto error = [&](DropReason reason, uint32_t icmp) {
    if (local_origin) {
      w.Drop(b, reason);
      return;
    }
    w.CountDrop(reason);
    b->aux = icmp;
    w.Enqueue(F::kIcmpError, b);
  };
  const fib::NextHop& hop = t.next_hops[nh];
  b->next_hop = nh;
  switch (hop.kind) {
    case fib::NextHopKind::kForward:
    case fib::NextHopKind::kGlean:
      if (hop_limit <= 1 && !local_origin) {
        error(F::kExpired, F::kIcmpExpired);
        return;
      }
      if (hop.kind == fib::NextHopKind::kGlean) {
        b->adjacency = fib::kNoAdjacency;
        b->tx_if = hop.interface;
      } else {
        b->adjacency = hop.paths[0];
        if (hop.path_count > 1) {
          b->flow_hash = flow_hash();
          b->adjacency = PickAdjacency(hop, b->flow_hash);
        }
        b->tx_if = t.adjacencies[b->adjacency].interface;
      }
      w.Enqueue(F::kRewrite, b);
      return;
    case fib::NextHopKind::kLocal:
      w.Enqueue(F::kLocal, b);
      return;
    case fib::NextHopKind::kDiscard:
      w.Drop(b, F::kDiscard);
      return;
    case fib::NextHopKind::kReject:
      error(F::kReject, F::kIcmpReject);
      return;
    case fib::NextHopKind::kNone:
    default:
      error(F::kNoRoute, F::kIcmpNoRoute);
      return;
  }
}

// The last step of a rewrite, `b->data()` being the IP packet ready to send on `out`: an
// adjacency whose MAC is not (yet) valid, or none (glean), punts it to the control thread as
// kResolve (the address to resolve: the adjacency's, or the packet's destination for a glean),
// which prepends the Ethernet header once the neighbour answers; otherwise the Ethernet header
// (with the unit's 802.1Q tag) goes on and the egress arc starts.
template <typename F>
inline void SendToNeighbor(Worker& w, packet::Buffer* b, const Interface& out) {
  uint64_t mac = 0;
  const fib::Adjacency* adj = nullptr;
  if (b->adjacency != fib::kNoAdjacency) {
    adj = &w.tables().adjacencies[b->adjacency];
    mac = adj->mac.load(std::memory_order_relaxed);
  }
  if ((mac & fib::kMacValid) == 0) [[unlikely]] {
    const uint8_t* address = adj != nullptr ? adj->address : b->data() + F::kDstOffset;
    w.Punt(b, PuntReason::kResolve, b->tx_if, F::kV6, address);
    return;
  }
  if (!PrependEthernet(b, mac & ~fib::kMacValid, out, F::kEtherType)) {
    w.Drop(b, DropReason::kBufferNoHeadroom);
    return;
  }
  w.ArcStart(Arc::kEgress, b);
}

}  // namespace sabina::dp::nodes
