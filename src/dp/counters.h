// Drop reasons and per-worker counters (architecture section 3: every packet leaves a node
// forwarded or dropped with a counted reason).
//
// The list is the one place a reason is defined: its enum name and its kebab-case name shown
// by `show dataplane drops` / `show system statistics`. Append new reasons; names are a
// contract (tests and scripts grep them).
//
// Thread: a worker's Counters are written by that worker only (relaxed atomic stores, no RMW)
// and read by any thread (summed over workers).
#pragma once

#include <atomic>
#include <cstdint>

namespace sabina::dp {

#define SABINA_DROP_REASONS(X)                                           \
  X(kEthernetTruncated, "ethernet-truncated")                            \
  X(kEthernetNotForUs, "ethernet-not-for-us")                            \
  X(kEthernetUnknownVlan, "ethernet-unknown-vlan")                       \
  X(kEthernetUnknownType, "ethernet-unknown-type")                       \
  X(kInterfaceDown, "interface-down")                                    \
  X(kArpMalformed, "arp-malformed")                                      \
  X(kArpNotForUs, "arp-not-for-us")                                      \
  X(kIp4Truncated, "ip4-truncated")                                      \
  X(kIp4BadVersion, "ip4-bad-version")                                   \
  X(kIp4BadIhl, "ip4-bad-ihl")                                           \
  X(kIp4BadLength, "ip4-bad-length")                                     \
  X(kIp4BadChecksum, "ip4-bad-checksum")                                 \
  X(kIp4BadAddress, "ip4-bad-address")                                   \
  X(kIp4Options, "ip4-options")                                          \
  X(kIp4TtlExpired, "ip4-ttl-expired")                                   \
  X(kIp4NoRoute, "ip4-no-route")                                         \
  X(kIp4DiscardRoute, "ip4-discard-route")                               \
  X(kIp4RejectRoute, "ip4-reject-route")                                 \
  X(kIp4FragNeeded, "ip4-fragmentation-needed")                          \
  X(kIp4FragmentFailed, "ip4-fragmentation-failed")                      \
  X(kIp6Truncated, "ip6-truncated")                                      \
  X(kIp6BadVersion, "ip6-bad-version")                                   \
  X(kIp6BadLength, "ip6-bad-length")                                     \
  X(kIp6BadAddress, "ip6-bad-address")                                   \
  X(kIp6BadExtensionHeader, "ip6-bad-extension-header")                 \
  X(kIp6HopLimitExpired, "ip6-hop-limit-expired")                        \
  X(kIp6NoRoute, "ip6-no-route")                                         \
  X(kIp6DiscardRoute, "ip6-discard-route")                               \
  X(kIp6RejectRoute, "ip6-reject-route")                                 \
  X(kIp6TooBig, "ip6-packet-too-big")                                    \
  X(kIcmpRateLimited, "icmp-error-rate-limited")                         \
  X(kIcmpErrorSuppressed, "icmp-error-suppressed")                       \
  X(kNeighborUnresolved, "neighbor-unresolved")                          \
  X(kPuntQueueFull, "punt-queue-full")                                   \
  X(kBufferExhausted, "buffer-exhausted")                                \
  X(kTxError, "tx-error")                                                \
  X(kIp4BroadcastNotForUs, "ip4-broadcast-not-for-us")                  \
  X(kIp4MulticastNotRouted, "ip4-multicast-not-routed")                  \
  X(kIp6MulticastNotRouted, "ip6-multicast-not-routed")                  \
  X(kIp6NdBadHopLimit, "ip6-nd-bad-hop-limit")                           \
  X(kIp6RoutingType0, "ip6-routing-type0")                               \
  X(kIp6LinkLocalSource, "ip6-link-local-source")                        \
  X(kBufferNoHeadroom, "buffer-no-headroom")                             \
  X(kLocalOriginForUs, "local-origin-for-us")

enum class DropReason : uint16_t {
#define SABINA_DROP_ENUM(e, name) e,
  SABINA_DROP_REASONS(SABINA_DROP_ENUM)
#undef SABINA_DROP_ENUM
      kCount
};
inline constexpr uint32_t kDropReasonCount = static_cast<uint32_t>(DropReason::kCount);

const char* DropReasonName(DropReason reason);

// Things that happen to packets that are not drops.
#define SABINA_EVENT_COUNTERS(X)          \
  X(kRxPackets, "rx-packets")             \
  X(kIp4Forwarded, "ip4-forwarded")       \
  X(kIp6Forwarded, "ip6-forwarded")       \
  X(kIp4Local, "ip4-local")               \
  X(kIp6Local, "ip6-local")               \
  X(kIp4Fragments, "ip4-fragments-created") \
  X(kIcmp4ErrorsSent, "icmp4-errors-sent")   \
  X(kIcmp6ErrorsSent, "icmp6-errors-sent")   \
  X(kPunted, "punted")                     \
  X(kTxPackets, "tx-packets")

enum class Event : uint16_t {
#define SABINA_EVENT_ENUM(e, name) e,
  SABINA_EVENT_COUNTERS(SABINA_EVENT_ENUM)
#undef SABINA_EVENT_ENUM
      kCount
};
inline constexpr uint32_t kEventCount = static_cast<uint32_t>(Event::kCount);

const char* EventName(Event event);

// One worker's traffic on one logical interface (dp::Interface index): frames ethernet-input
// assigned to the unit, frames interface-output sent on it (show interfaces). Indexes from
// kMaxCountedUnits up are not counted.
inline constexpr uint32_t kMaxCountedUnits = 4096;
struct UnitCounters {
  std::atomic<uint64_t> rx_packets{0}, rx_bytes{0}, tx_packets{0}, tx_bytes{0};

  static void Add(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

struct Counters {
  std::atomic<uint64_t> drops[kDropReasonCount] = {};
  std::atomic<uint64_t> events[kEventCount] = {};

  void Drop(DropReason r, uint64_t n = 1) { Bump(drops[static_cast<uint32_t>(r)], n); }
  void Count(Event e, uint64_t n = 1) { Bump(events[static_cast<uint32_t>(e)], n); }

 private:
  static void Bump(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

}  // namespace sabina::dp
