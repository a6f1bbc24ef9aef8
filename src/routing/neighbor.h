// Neighbour resolution: ARP (RFC 826) and IPv6 neighbour discovery (RFC 4861, simplified), as
// a state machine with no I/O and an injected clock (architecture section 4). The control
// thread feeds it events (a packet needs a neighbour, ARP/ND seen on the wire, timer ticks)
// and it answers through the Io interface (send a request, neighbour resolved or gone, send a
// queued packet). Wire formats of the messages the control thread sends and parses are here
// too, as pure functions.
//
// Entries per (logical interface, address):
//   incomplete  a request was sent; up to kMaxQueued packets wait (copies); the request is
//               retransmitted every second; after 3 unanswered requests the entry and its
//               queued packets are dropped (counted) and the next packet starts over;
//   reachable   MAC known. IPv4: for the ARP aging time (Junos `arp aging-timer`, default 20
//               minutes; SABINA_TEST_ARP_AGING_SECONDS overrides it for tests), then removed.
//               IPv6: for the reachable time (30 s), then
//   stale       (IPv6 only) still used for forwarding until the aging time since the last
//               confirmation has passed, then removed.
// A removed entry's adjacency becomes invalid and its host route is withdrawn; the next packet
// re-resolves (queueing up to kMaxQueued packets meanwhile). The workers do not report use of
// an entry, so aging is by time alone, as Junos ages ARP entries: the price is one resolution
// per neighbour per aging period (RFC 4861's delay/probe states are not implemented).
// Learning, as Linux does: an ARP request or NS for one of our addresses creates or refreshes
// the sender's entry; ARP replies and solicited NAs update the entry they answer; gratuitous
// ARP and unsolicited NAs update existing entries only. At most kMaxEntries entries exist;
// beyond that, new ones are refused (counted) until old ones age out.
//
// Thread: control. Not thread-safe.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "packet/headers.h"
#include "routing/prefix.h"

namespace sabina::routing {

enum class NeighborState : uint8_t { kIncomplete, kReachable, kStale };
const char* NeighborStateName(NeighborState state);  // "incomplete", "reachable", ...

struct NeighborEntry {
  uint32_t interface = 0;  // dp::Interface index
  Address address;
  NeighborState state = NeighborState::kIncomplete;
  packet::MacAddr mac;       // valid unless incomplete
  bool router = false;       // IPv6: the R flag of the neighbour's last NA
  int64_t expires_ms = 0;    // when the state changes next, on the injected clock
  int64_t confirmed_ms = 0;  // last confirmation of reachability
};

struct NeighborCounters {
  uint64_t requests_sent = 0;
  uint64_t queued = 0;
  uint64_t queue_full_drops = 0;  // a 4th packet for an incomplete entry
  uint64_t unresolved_drops = 0;  // queued packets dropped when resolution failed
  uint64_t resolution_failures = 0;
  uint64_t table_full_drops = 0;  // a new entry refused (and its packet dropped): kMaxEntries
};

class Neighbors {
 public:
  // Packets kept per unresolved neighbour. A burst such as traceroute's probes (sent at once,
  // possibly punted by several workers in any order) must survive resolution; Linux keeps
  // about 100 small packets (unres_qlen_bytes).
  static constexpr uint32_t kMaxQueued = 16;
  // Bytes queued over all neighbours together: bounds the memory a scan of a connected subnet
  // can pin while resolutions are pending.
  static constexpr size_t kMaxQueuedBytes = 1 << 20;
  // Entries of all interfaces together. A host scanning a large connected subnet through the
  // router, or flooding ARP requests from random senders, must not exhaust the adjacency table
  // (64k) that real neighbours need; Linux's default gc_thresh3 is 1024.
  static constexpr size_t kMaxEntries = 4096;

  struct Timers {
    int64_t retransmit_ms = 1000;
    uint32_t max_requests = 3;
    int64_t arp_aging_ms = 20 * 60 * 1000;
    int64_t nd_reachable_ms = 30 * 1000;
    // The ARP aging time from the environment (SABINA_TEST_ARP_AGING_SECONDS) or the default;
    // IPv6 stale entries are removed after the same time.
    static Timers FromEnvironment();
  };

  class Io {
   public:
    virtual ~Io() = default;
    // Sends an ARP request (broadcast) / NS (to the solicited-node group) for `target`.
    virtual void Solicit(uint32_t interface, const Address& target) = 0;
    // `address` is at `mac` (new entry or changed MAC): adjacency MAC and host route.
    virtual void Resolved(uint32_t interface, const Address& address,
                          const packet::MacAddr& mac) = 0;
    // A resolved entry is gone: adjacency invalid, host route withdrawn.
    virtual void Removed(uint32_t interface, const Address& address) = 0;
    // Sends a queued IP packet (no L2 header) to `mac` on `interface`.
    virtual void Send(uint32_t interface, const packet::MacAddr& mac, bool v6,
                      const std::vector<uint8_t>& packet) = 0;
  };

  Neighbors(Io& io, Timers timers) : io_(io), timers_(timers) {}

  // A packet (IP, no L2 header) needs `address` on `interface`: queue it and solicit, or send
  // it at once when the entry is already resolved (the worker raced with the host route).
  void Resolve(int64_t now_ms, uint32_t interface, const Address& address, const uint8_t* packet,
               uint32_t length);

  enum class Evidence {
    kRequestForUs,  // ARP request / NS (with source link-layer address) for our address
    kReply,         // ARP reply / solicited NA
    kUnsolicited,   // gratuitous ARP / unsolicited NA (override)
  };
  void Learn(int64_t now_ms, uint32_t interface, const Address& address, const packet::MacAddr& mac,
             Evidence evidence, bool router = false);

  // Retransmissions and aging due at `now_ms`. Call at least every 100 ms.
  void Tick(int64_t now_ms);

  // `clear arp` / `clear ipv6 neighbors`, and a unit that went away: removes entries (of one
  // family, one interface, one address, or all) and their queued packets; the next packet
  // re-resolves.
  void Clear(std::optional<bool> v6, std::optional<uint32_t> interface,
             std::optional<Address> address);

  std::vector<NeighborEntry> Entries() const;  // ordered by (interface, address)
  const NeighborEntry* Find(uint32_t interface, const Address& address) const;
  const NeighborCounters& counters() const { return counters_; }
  const Timers& timers() const { return timers_; }

 private:
  struct Key {
    uint32_t interface;
    Address address;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Entry {
    NeighborEntry e;
    uint32_t requests = 0;  // sent while incomplete
    std::vector<std::vector<uint8_t>> queue;
  };
  using Map = std::map<Key, Entry>;

  void SetReachable(int64_t now_ms, Entry& entry, bool stale);
  void SendQueue(Entry& entry);
  Map::iterator Erase(Map::iterator it);

  Io& io_;
  Timers timers_;
  Map entries_;
  NeighborCounters counters_;
  size_t queued_bytes_ = 0;
};

// --- wire formats --------------------------------------------------------------------------

inline constexpr uint16_t kArpRequest = 1, kArpReply = 2;
inline constexpr uint8_t kIcmp6RouterSolicit = 133, kIcmp6RouterAdvert = 134,
                         kIcmp6NeighborSolicit = 135, kIcmp6NeighborAdvert = 136,
                         kIcmp6Redirect = 137;

// An Ethernet/IPv4 ARP message (28 bytes written to `out`). Addresses in host order.
size_t BuildArp(uint8_t* out, uint16_t op, const packet::MacAddr& sha, uint32_t spa,
                const packet::MacAddr& tha, uint32_t tpa);

struct ArpInfo {
  uint16_t op = 0;
  packet::MacAddr sha, tha;
  uint32_t spa = 0, tpa = 0;  // host order
};
// Parses the ARP payload (after the Ethernet/VLAN header); nullopt unless Ethernet/IPv4.
std::optional<ArpInfo> ParseArp(const uint8_t* data, size_t length);

// An IPv6 packet (no L2 header) carrying an NS for `target` from `source` with the source
// link-layer option `mac`, to the solicited-node multicast group of `target`. Returns its
// length (72 bytes).
size_t BuildNeighborSolicit(uint8_t* out, const uint8_t source[16], const uint8_t target[16],
                            const packet::MacAddr& mac);
// An unsolicited NA (override set) to all-nodes announcing `target` at `mac` (RFC 4861
// section 7.2.6, after an address change). Returns its length (72 bytes).
size_t BuildNeighborAdvert(uint8_t* out, const uint8_t target[16], const packet::MacAddr& mac,
                           bool router);
// 33:33:ff:xx:xx:xx for NS to the solicited-node group, 33:33:xx:xx:xx:xx for any IPv6
// multicast destination.
packet::MacAddr Ip6MulticastMac(const uint8_t group[16]);

struct NdInfo {
  uint8_t type = 0;                                           // 133..137
  std::array<uint8_t, 16> source{}, destination{}, target{};  // target: NS/NA/redirect
  std::optional<packet::MacAddr> link_layer;  // source (NS/RS/RA) or target (NA) option
  bool router = false, solicited = false, override_flag = false;  // NA flags
};
// Parses an IPv6 packet (no L2 header) carrying ICMPv6 ND directly after the IPv6 header;
// checks hop limit 255 (RFC 4861 section 7.1.1), lengths and the checksum.
std::optional<NdInfo> ParseNd(const uint8_t* data, size_t length);

}  // namespace sabina::routing
