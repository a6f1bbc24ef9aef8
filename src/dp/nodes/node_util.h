// Small inline helpers the data-plane nodes share: unaligned network-order loads, prefetch,
// MAC comparison, the Ethernet header a rewrite prepends, the ICMP error rate limiter.
//
// Thread: the owning worker (pure functions; IcmpRateLimiter is per node, so per worker).
#pragma once

#include <cstdint>
#include <cstring>

#include "dp/punt.h"
#include "dp/tables.h"
#include "dp/worker.h"
#include "fib/lpm.h"
#include "packet/buffer.h"
#include "packet/headers.h"

namespace sabina::dp::nodes {

// How far ahead of the packet being processed a node prefetches: the metadata line of the
// buffer kPrefetchMeta packets ahead, the packet's first bytes kPrefetchData ahead (their
// offset comes from the metadata prefetched earlier).
inline constexpr uint32_t kPrefetchMeta = 8;
inline constexpr uint32_t kPrefetchData = 4;

inline void PrefetchAhead(packet::Buffer** v, uint32_t i, uint32_t n) {
  if (i + kPrefetchMeta < n) __builtin_prefetch(v[i + kPrefetchMeta]);
  if (i + kPrefetchData < n) __builtin_prefetch(v[i + kPrefetchData]->data());
}

inline uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return ntohs(v);
}
inline uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}
inline void Store16(uint8_t* p, uint16_t host) {
  uint16_t v = htons(host);
  std::memcpy(p, &v, 2);
}
inline fib::Ip6 LoadIp6(const uint8_t* p) {
  uint64_t hi, lo;
  std::memcpy(&hi, p, 8);
  std::memcpy(&lo, p + 8, 8);
  return {__builtin_bswap64(hi), __builtin_bswap64(lo)};
}
inline void StoreIp6(uint8_t* p, const fib::Ip6& a) {
  uint64_t hi = __builtin_bswap64(a.hi), lo = __builtin_bswap64(a.lo);
  std::memcpy(p, &hi, 8);
  std::memcpy(p + 8, &lo, 8);
}

inline bool MacEquals(const uint8_t* p, const packet::MacAddr& m) {
  uint32_t a, b;
  uint16_t c, d;
  std::memcpy(&a, p, 4);
  std::memcpy(&b, m.bytes.data(), 4);
  std::memcpy(&c, p + 4, 2);
  std::memcpy(&d, m.bytes.data() + 4, 2);
  return ((a ^ b) | static_cast<uint32_t>(c ^ d)) == 0;
}

// Prepends the Ethernet header (with an 802.1Q tag when `out` is a tagged unit) in front of
// the L3 packet at b->data(): destination `dst_mac` (48 bits in the low bits), source the
// interface's MAC. False when the buffer has no headroom left for it.
inline bool PrependEthernet(packet::Buffer* b, uint64_t dst_mac, const Interface& out,
                            uint16_t ether_type) {
  const uint32_t l2 = out.vlan != 0 ? 18 : 14;
  if (b->headroom() < l2) return false;
  uint8_t* p = b->Prepend(l2);
  uint64_t dst = __builtin_bswap64(dst_mac << 16);
  std::memcpy(p, &dst, 6);
  std::memcpy(p + 6, out.mac.bytes.data(), 6);
  if (out.vlan != 0) {
    Store16(p + 12, packet::kEtherTypeVlan);
    Store16(p + 14, out.vlan);
    Store16(p + 16, ether_type);
  } else {
    Store16(p + 12, ether_type);
  }
  return true;
}

// The ICMP error request that b->aux carries into icmp4-error/icmp6-error (worker.h).
constexpr uint32_t IcmpRequest(uint8_t type, uint8_t code, uint32_t mtu = 0) {
  return type | static_cast<uint32_t>(code) << 8 | mtu << 16;
}

// Token bucket limiting the ICMP errors one worker originates per address family: kRate per
// second on average, bursts of kBurst (RFC 1812 4.3.2.8, RFC 4443 2.4(f)). 100/s is Linux's
// icmp_ratelimit default order of magnitude; a burst of 10 lets a traceroute's three probes per
// hop through.
class IcmpRateLimiter {
 public:
  static constexpr uint64_t kRate = 100;
  static constexpr uint64_t kBurst = 10;

  bool Allow(uint64_t now_ns) {
    if (now_ns > last_ns_) {
      // Tokens are kept in units of 1/kRate ns-seconds to stay integral.
      uint64_t add = (now_ns - last_ns_) * kRate;
      tokens_ = tokens_ + add > kCapacity ? kCapacity : tokens_ + add;
      last_ns_ = now_ns;
    }
    if (tokens_ < kOne) return false;
    tokens_ -= kOne;
    return true;
  }

 private:
  static constexpr uint64_t kOne = 1000000000ull;  // one token
  static constexpr uint64_t kCapacity = kBurst * kOne;
  uint64_t tokens_ = kCapacity;
  uint64_t last_ns_ = 0;
};

// The checks every ICMP error passes after its family's suppression rules: the worker's rate
// limit, and room in front of the quoted packet for the error's `headers` plus an Ethernet
// header with a VLAN tag. Otherwise drops `b` (counted) and returns false.
inline bool AdmitIcmpError(Worker& w, IcmpRateLimiter& limiter, packet::Buffer* b,
                           uint32_t headers) {
  if (!limiter.Allow(w.now_ns())) {
    w.Drop(b, DropReason::kIcmpRateLimited);
    return false;
  }
  if (b->headroom() < headers + 18) {
    w.Drop(b, DropReason::kBufferNoHeadroom);
    return false;
  }
  return true;
}

// Sends a built ICMP error (`b` now starts at its IP header) to `lookup` as a packet the router
// originates, keeping only the trace mark of the packet it quotes.
inline void SendIcmpError(Worker& w, packet::Buffer* b, Event sent, NodeId lookup) {
  b->l3_offset = static_cast<uint16_t>(b->offset);
  b->flags = (b->flags & packet::kFlagTraced) | packet::kFlagLocalOrigin;
  b->aux = 0;
  w.Count(sent);
  w.Enqueue(lookup, b);
}

}  // namespace sabina::dp::nodes
