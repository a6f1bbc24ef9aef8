// Kernel routes for router-originated traffic: the RIB's active routes, mirrored into the
// kernel's main table through the host interfaces (taps), so `ping`/`traceroute` run by the
// router and, later, BGP sessions reach remote networks. Connected routes are not here: the
// kernel derives them from the tap addresses (Tap::SetAddresses).
//
// Routes carry protocol kProtocol ("sabina", 196) and metric kMetric, so they are recognisable
// (`ip route show proto 196`) and deletions name that protocol: the kernel itself refuses to
// delete a route Sabina did not install. The metric keeps the kernel's connected routes
// (metric 0 for IPv4, 256 for IPv6) ahead of a Sabina route for the same prefix, as Junos
// prefers direct routes.
//
// Sync() applies only the difference from what this object installed, pipelined: one socket,
// up to ~64 KiB of requests per system call, the kernel answering only errors and one ack per
// chunk. A route the kernel refuses (its tap is missing or down, its gateway is not on a
// connected subnet) is not recorded, so the next Sync() tries it again.
//
// The kernel removes routes on its own when a tap goes down, loses the address covering a
// gateway or is deleted, and IPv4 sends no notification for that. Tap reports those changes
// (MarkKernelRoutesStale), and the next Sync() first re-reads the kernel's routes, so callers
// need not; Reread() is for changes made behind Sabina's back. Create() adopts the routes a
// previous run left (same protocol number), and the first Sync() removes the stale ones.
//
// Thread: control. Owns its netlink socket.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/netlink.h"

namespace sabina::platform {

struct KernelRoute {
  enum class Type : uint8_t {
    kUnicast,      // via `gateway` (or directly) out of the tap `ifname`
    kBlackhole,    // Junos `discard`: silently dropped
    kUnreachable,  // Junos `reject`: ICMP unreachable to the local sender
  };
  IpPrefix prefix;                   // host bits are ignored
  std::optional<IpAddress> gateway;  // same family as `prefix`; none = directly reachable
  std::string ifname;                // host interface; unused for kBlackhole/kUnreachable
  Type type = Type::kUnicast;
};

// Called (by Tap) after a change that may make the kernel drop routes by itself: link down,
// address removed, device deleted. Every KernelRoutes re-reads before its next Sync().
void MarkKernelRoutesStale();

class KernelRoutes {
 public:
  static constexpr uint8_t kProtocol = 196;
  static constexpr uint32_t kMetric = 512;

  struct SyncStats {
    size_t added = 0, replaced = 0, deleted = 0, failed = 0;
    double seconds = 0;
  };

  static StatusOr<KernelRoutes> Create();

  // Makes the kernel's Sabina routes equal to `desired`. Entries with the same prefix (and
  // unicast type) form one ECMP (multipath) route. Errors name the first failed route and the
  // count; the routes that succeeded stay applied.
  Status Sync(const std::vector<KernelRoute>& desired);
  // Replaces what this object believes is installed by the kernel's actual Sabina routes
  // (a dump of the main table: about 10 ms per 10k routes).
  Status Reread();
  // Deletes every route with Sabina's protocol number from the main table (shutdown).
  Status RemoveAll();

  size_t size() const { return installed_.size(); }
  const SyncStats& last_sync() const { return stats_; }

  // A route as kept here: next hops resolved to ifindexes and sorted, so equal routes compare
  // equal. Exposed for the tests.
  struct Hop {
    IpAddress gateway;  // family 0 when directly reachable
    int ifindex = 0;
    friend auto operator<=>(const Hop&, const Hop&) = default;
  };
  struct Entry {
    IpPrefix prefix;  // masked
    KernelRoute::Type type = KernelRoute::Type::kUnicast;
    std::vector<Hop> hops;
    friend bool operator==(const Entry&, const Entry&) = default;
  };
  const std::vector<Entry>& installed() const { return installed_; }

 private:
  explicit KernelRoutes(NetlinkSocket sock) : sock_(std::move(sock)) {}
  enum class Op : uint8_t { kAdd, kReplace, kDelete };
  // Sends `ops` pipelined; returns, per op, 0 or the kernel's errno; `first_error` gets the
  // text of the first failure.
  StatusOr<std::vector<int>> Apply(const std::vector<std::pair<Op, const Entry*>>& ops,
                                   std::string* first_error);

  NetlinkSocket sock_;
  uint64_t stale_generation_ = 0;  // MarkKernelRoutesStale() count at the last Reread()
  std::vector<Entry> installed_;   // sorted by prefix
  SyncStats stats_;
};

}  // namespace sabina::platform
