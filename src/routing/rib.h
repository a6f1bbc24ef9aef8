// The routing information base (architecture section 4): routes of every protocol per table
// (inet.0, inet6.0), Junos preferences, the active route per prefix, and the forwarding
// decision the FIB builder (routing/fib_builder.h) installs for it.
//
// Sources today: Direct (each address's subnet on a usable unit), Local (each address itself,
// /32 or /128) and Static (routing-options static, rib inet6.0 static). A static next hop
// resolves when its gateway lies in a directly connected subnet of a usable unit or names a
// usable unit; a route none of whose next hops resolve is hidden (Junos without `resolve`).
// Each (preference, metric) of a static route's next-hop/qualified-next-hop set is one route,
// as Junos shows `[Static/5]` and `[Static/7]` for the same prefix. Active route: the lowest
// preference, then the lowest metric, then Direct < Local < Static.
//
// ECMP (docs/decisions/0007): Junos installs ONE next hop of the active route (the `>` one,
// here the first that resolves in configuration order); with `routing-options forwarding-table
// export` naming a policy whose actions include `load-balance per-packet|consistent-hash`,
// all of them (up to fib::kMaxPaths), and every installed one is marked `>`; with
// `consistent-hash` the FIB entry asks workers for a hash that keeps flows in place when a
// path comes or goes.
//
// Recompute() rebuilds the routes from the inputs and returns only the prefixes whose
// forwarding decision changed, so a commit that touches one of 10k static routes yields one
// FIB change. A route that did not change keeps its age.
//
// Thread: control thread only (pure: no I/O, no clock; the caller passes `now`).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/bindings/routing_options.h"
#include "routing/prefix.h"

namespace sabina::routing {

using LoadBalance = config::PolicyActions::LoadBalance;

enum class Table : uint8_t { kInet, kInet6 };  // inet.0, inet6.0
const char* TableName(Table t);
inline Table TableOf(const Prefix& p) { return p.v6() ? Table::kInet6 : Table::kInet; }

enum class Protocol : uint8_t { kDirect, kLocal, kStatic };  // also the tie-break order
const char* ProtocolName(Protocol p);                        // Junos: "Direct", "Local", "Static"

enum class RouteAction : uint8_t {
  kForward,  // next hops (gateway and/or interface)
  kReceive,  // Local: the router's own address
  kDiscard,
  kReject,
};

struct RouteNextHop {
  std::optional<Address> gateway;  // "to 192.0.2.1"; none for Direct/Local/interface routes
  std::string interface;           // "via ge-0/0/0.0"; empty when unresolved
  uint32_t dp_interface = 0;       // dp::Interface index of `interface`
  bool selected = false;           // Junos `>`: installed in the forwarding table
  // `resolve`: the configured gateway this hop was resolved from through another route
  // (Junos "Protocol next hop"); none for a gateway on a connected subnet.
  std::optional<Address> protocol_next_hop;
  friend bool operator==(const RouteNextHop&, const RouteNextHop&) = default;
};

struct Route {
  Prefix prefix;
  Protocol protocol = Protocol::kStatic;
  uint32_t preference = 0;
  std::optional<uint32_t> metric;
  RouteAction action = RouteAction::kForward;
  std::vector<RouteNextHop> next_hops;  // kForward: resolved ones (all configured if hidden)
  bool active = false;                  // Junos `*`
  bool hidden = false;                  // no next hop resolves; never active
  int64_t since = 0;                    // `now` of the Recompute that created or changed it
};

// A logical unit routes may use: bound to a port, neither it nor its physical interface
// disabled, link up. The caller (control) decides.
struct UsableUnit {
  std::string name;           // "ge-0/0/0.0"
  uint32_t dp_interface = 0;  // dp::Interface index
  // "192.0.2.1/24", "2001:db8::1/64" (both families); a link-local "fe80::.../64" gets only
  // its Local route.
  std::vector<std::string> addresses;
};

// What the FIB holds for a prefix.
enum class FibKind : uint8_t {
  kForward,  // paths: gateways to resolve into adjacencies (ECMP by flow hash)
  kGlean,    // connected subnet / route via an interface: resolve the destination itself
  kLocal,    // the router's own address: punt to the host
  kDiscard,
  kReject,
};
struct FibPath {
  uint32_t dp_interface = 0;
  Address gateway;
  friend bool operator==(const FibPath&, const FibPath&) = default;
  friend auto operator<=>(const FibPath&, const FibPath&) = default;
};
struct FibEntry {
  FibKind kind = FibKind::kDiscard;
  uint32_t interface = 0;        // kGlean, kLocal: the dp interface
  std::vector<FibPath> paths;    // kForward: 1..fib::kMaxPaths, configuration order
  bool consistent_hash = false;  // kForward with several paths: `load-balance consistent-hash`
  friend bool operator==(const FibEntry&, const FibEntry&) = default;
};
struct FibChange {
  Prefix prefix;
  std::optional<FibEntry> entry;  // nullopt: remove the prefix from the FIB
};

struct ProtocolSummary {
  Protocol protocol;
  uint32_t routes = 0, active = 0;
};
// `show route summary`: "inet.0: 3 destinations, 4 routes (3 active, 0 holddown, 1 hidden)".
struct TableSummary {
  uint32_t destinations = 0, routes = 0, active = 0, hidden = 0;
  std::vector<ProtocolSummary> protocols;  // protocols with routes, in Protocol order
};

class Rib {
 public:
  // Every prefix's candidate routes, active first, then by preference/metric/protocol. Hidden
  // routes last.
  using Routes = std::map<Prefix, std::vector<Route>>;

  // Replaces every route with the ones the inputs give; returns the FIB changes against the
  // previous call's forwarding decisions (the first call: everything).
  std::vector<FibChange> Recompute(const std::vector<UsableUnit>& units,
                                   const config::RoutingConfig& routing, int64_t now);

  const Routes& routes(Table t) const { return tables_[static_cast<int>(t)]; }
  // The candidates of exactly this prefix, or null.
  const std::vector<Route>* Find(const Prefix& p) const;
  // The longest prefix with an active route containing `a` (show route ADDRESS), or null.
  const std::vector<Route>* LongestMatch(const Address& a) const;
  // The forwarding decision currently derived for `p` (what Recompute reported), or null.
  const FibEntry* Forwarding(const Prefix& p) const;
  TableSummary Summary(Table t) const;
  // The load balancing the forwarding-table export policy asks for (kNone: one next hop).
  LoadBalance load_balance() const { return load_balance_; }

 private:
  Routes tables_[2];
  std::map<Prefix, FibEntry> fib_;
  LoadBalance load_balance_ = LoadBalance::kNone;
};

// Evaluates `routing-options forwarding-table export` (policy subset of decision 0007): the
// last load-balance action the chain applies before a terminating accept/reject, or kNone.
LoadBalance ForwardingTableLoadBalance(const config::RoutingConfig& routing);

}  // namespace sabina::routing
