#include "routing/rib.h"

#include <algorithm>
#include <bitset>
#include <tuple>

#include "fib/nexthop.h"

namespace sabina::routing {

namespace {

using config::PolicyActions;
using config::StaticNextHop;
using config::StaticRoute;

// "192.0.2.1/24" -> (address, length) without clearing the host bits.
std::optional<std::pair<Address, uint8_t>> ParseInterfaceAddress(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto address = Address::Parse(std::string_view(text).substr(0, slash));
  auto prefix = Prefix::Parse(text);
  if (!address || !prefix) return std::nullopt;
  return std::make_pair(*address, prefix->length);
}

bool IsLinkLocal(const Address& a) {
  return a.v6 && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
}

class Resolver {
 public:
  explicit Resolver(const std::vector<UsableUnit>& units) {
    for (const UsableUnit& u : units) {
      by_name_.emplace(u.name, &u);
      bool has_inet6 = false;
      for (const std::string& text : u.addresses) {
        auto parsed = ParseInterfaceAddress(text);
        if (!parsed) continue;
        has_inet6 |= parsed->first.v6;
        if (IsLinkLocal(parsed->first)) continue;  // every link has fe80::/64
        // The first unit with a subnet wins it, as it wins the Direct route.
        connected_.emplace(Prefix::Make(parsed->first, parsed->second), &u);
        lengths_[parsed->first.v6].set(parsed->second);
      }
      if (has_inet6) inet6_units_.push_back(&u);
    }
  }

  // The unit a next hop goes out of: a named usable unit ("ge-0/0/0" means unit 0), the unit
  // with the longest connected subnet holding the gateway, or for an IPv6 link-local gateway
  // the only unit with IPv6 (ambiguous otherwise: a configuration without `interface` cannot
  // say which link).
  const UsableUnit* Resolve(const StaticNextHop& nh, std::optional<Address>* gateway) const {
    if (nh.is_interface) {
      std::string name = nh.gateway;
      if (name.find('.') == std::string::npos) name += ".0";
      auto it = by_name_.find(name);
      return it == by_name_.end() ? nullptr : it->second;
    }
    *gateway = Address::Parse(nh.gateway);
    if (!*gateway) return nullptr;
    if (IsLinkLocal(**gateway)) return inet6_units_.size() == 1 ? inet6_units_[0] : nullptr;
    // Longest match over the few prefix lengths in use: one map lookup each.
    const auto& lengths = lengths_[(*gateway)->v6];
    for (int len = (*gateway)->max_length(); len >= 0; --len) {
      if (!lengths.test(len)) continue;
      auto it = connected_.find(Prefix::Make(**gateway, static_cast<uint8_t>(len)));
      if (it != connected_.end()) return it->second;
    }
    return nullptr;
  }

 private:
  std::map<std::string, const UsableUnit*> by_name_;
  std::map<Prefix, const UsableUnit*> connected_;
  std::bitset<129> lengths_[2];  // prefix lengths of connected_, IPv4 and IPv6
  std::vector<const UsableUnit*> inet6_units_;
};

bool Better(const Route& a, const Route& b) {
  return std::make_tuple(a.hidden, a.preference, a.metric.value_or(0), a.protocol) <
         std::make_tuple(b.hidden, b.preference, b.metric.value_or(0), b.protocol);
}

// Route equality for age keeping: everything but the age itself.
bool SameRoute(const Route& a, const Route& b) {
  return a.protocol == b.protocol && a.preference == b.preference && a.metric == b.metric &&
         a.action == b.action && a.next_hops == b.next_hops && a.active == b.active &&
         a.hidden == b.hidden;
}

// A static route with `resolve` whose gateways are not all on connected subnets: resolved
// after every route is known (ResolveIndirect). Identified in its table by prefix, preference
// and metric (one route per distinct pair, see AddStatic).
struct IndirectRoute {
  Prefix prefix;
  uint32_t preference = 0;
  std::optional<uint32_t> metric;
  std::vector<RouteNextHop> direct;      // the gateways that resolved on connected subnets
  std::vector<RouteNextHop> configured;  // every gateway, shown while the route is hidden
  std::vector<Address> gateways;         // to resolve through other routes
};

void AddStatic(const StaticRoute& sr, const Resolver& resolver, Rib::Routes* tables,
               std::vector<IndirectRoute>* indirect) {
  auto prefix = Prefix::Parse(sr.prefix);
  if (!prefix) return;  // the binding validated it
  std::vector<Route>& candidates = tables[static_cast<int>(TableOf(*prefix))][*prefix];
  Route base;
  base.prefix = *prefix;
  base.protocol = Protocol::kStatic;
  base.preference = sr.preference;
  base.metric = sr.metric;
  if (sr.action != StaticRoute::Action::kForward) {
    base.action =
        sr.action == StaticRoute::Action::kDiscard ? RouteAction::kDiscard : RouteAction::kReject;
    candidates.push_back(std::move(base));
    return;
  }
  // One route per distinct (preference, metric), in order of first appearance.
  std::vector<Route> routes;
  std::vector<std::vector<RouteNextHop>> unresolved;
  std::vector<std::vector<Address>> gateways;  // `resolve`: not on a connected subnet
  auto add = [&](const StaticNextHop& nh, uint32_t preference, std::optional<uint32_t> metric) {
    size_t i = 0;
    while (i < routes.size() &&
           !(routes[i].preference == preference && routes[i].metric == metric)) {
      ++i;
    }
    if (i == routes.size()) {
      Route r = base;
      r.preference = preference;
      r.metric = metric;
      routes.push_back(std::move(r));
      unresolved.emplace_back();
      gateways.emplace_back();
    }
    RouteNextHop hop;
    const UsableUnit* unit = resolver.Resolve(nh, &hop.gateway);
    if (!unit) {
      if (!nh.is_interface) hop.gateway = Address::Parse(nh.gateway);
      if (sr.resolve && hop.gateway && !IsLinkLocal(*hop.gateway)) {
        gateways[i].push_back(*hop.gateway);
      }
      unresolved[i].push_back(std::move(hop));
      return;
    }
    hop.interface = unit->name;
    hop.dp_interface = unit->dp_interface;
    // The same next hop as plain and qualified next hop is one path, not a double weight.
    if (std::find(routes[i].next_hops.begin(), routes[i].next_hops.end(), hop) ==
        routes[i].next_hops.end()) {
      routes[i].next_hops.push_back(std::move(hop));
    }
  };
  for (const StaticNextHop& nh : sr.next_hops) add(nh, sr.preference, sr.metric);
  for (const StaticNextHop& nh : sr.qualified) {
    add(nh, nh.preference.value_or(sr.preference), nh.metric ? nh.metric : sr.metric);
  }
  for (size_t i = 0; i < routes.size(); ++i) {
    if (!gateways[i].empty()) {
      indirect->push_back({*prefix, routes[i].preference, routes[i].metric, routes[i].next_hops,
                           unresolved[i], std::move(gateways[i])});
    }
    if (routes[i].next_hops.empty()) {
      routes[i].hidden = true;
      routes[i].next_hops = std::move(unresolved[i]);
    }
    candidates.push_back(std::move(routes[i]));
  }
}

// The next hops `gateway` resolves to: those the forwarding table would use for the longest
// other prefix with a usable route that covers it (as Junos resolves a `resolve` gateway
// through inet.0/inet6.0); empty when that route does not forward (discard, reject, the
// router's own address) or none covers it. Candidates are sorted, best first.
std::vector<RouteNextHop> ResolveThrough(const Rib::Routes& table, const Address& gateway,
                                         const Prefix& own, LoadBalance load_balance) {
  for (int len = gateway.max_length(); len >= 0; --len) {
    auto it = table.find(Prefix::Make(gateway, static_cast<uint8_t>(len)));
    if (it == table.end() || it->first == own || it->second.front().hidden) continue;
    const Route& via = it->second.front();
    std::vector<RouteNextHop> out;
    if (via.action != RouteAction::kForward) return out;
    // The hops SelectNextHops will mark on `via`: all with load balancing, else the first.
    const size_t n = load_balance != LoadBalance::kNone ? fib::kMaxPaths : 1;
    for (size_t i = 0; i < via.next_hops.size() && i < n; ++i) {
      RouteNextHop hop = via.next_hops[i];
      if (!hop.gateway) hop.gateway = gateway;  // an interface route: the gateway is on-link
      hop.selected = false;
      hop.protocol_next_hop = gateway;
      out.push_back(std::move(hop));
    }
    return out;
  }
  return {};
}

// Resolves the gateways of `resolve` routes through the other routes, which may themselves be
// resolved this way: passes repeat until nothing changes, at most kMaxResolvePasses times
// (gateways that resolve through each other in a loop stay unresolved, the route hidden).
void ResolveIndirect(Rib::Routes* tables, const std::vector<IndirectRoute>& indirect,
                     LoadBalance load_balance) {
  constexpr int kMaxResolvePasses = 8;
  for (int pass = 0; pass < kMaxResolvePasses; ++pass) {
    bool changed = false;
    for (const IndirectRoute& ir : indirect) {
      Rib::Routes& table = tables[static_cast<int>(TableOf(ir.prefix))];
      std::vector<Route>& candidates = table[ir.prefix];
      auto r = std::find_if(candidates.begin(), candidates.end(), [&](const Route& c) {
        return c.protocol == Protocol::kStatic && c.action == RouteAction::kForward &&
               c.preference == ir.preference && c.metric == ir.metric;
      });
      if (r == candidates.end()) continue;
      std::vector<RouteNextHop> hops = ir.direct;
      for (const Address& g : ir.gateways) {
        for (RouteNextHop& hop : ResolveThrough(table, g, ir.prefix, load_balance)) {
          // Two gateways resolving to the same neighbour are one path, not a double weight.
          if (std::none_of(hops.begin(), hops.end(), [&](const RouteNextHop& h) {
                return h.gateway == hop.gateway && h.dp_interface == hop.dp_interface;
              })) {
            hops.push_back(std::move(hop));
          }
        }
      }
      const bool hidden = hops.empty();
      if (hidden) hops = ir.configured;
      if (r->hidden == hidden && r->next_hops == hops) continue;
      r->hidden = hidden;
      r->next_hops = std::move(hops);
      std::stable_sort(candidates.begin(), candidates.end(), Better);
      changed = true;
    }
    if (!changed) return;
  }
}

void AddConnected(const UsableUnit& unit, Rib::Routes* tables) {
  for (const std::string& text : unit.addresses) {
    auto parsed = ParseInterfaceAddress(text);
    if (!parsed) continue;
    const auto& [address, length] = *parsed;
    RouteNextHop via{std::nullopt, unit.name, unit.dp_interface, true, std::nullopt};
    Rib::Routes& table = tables[address.v6 ? 1 : 0];
    // A host-length address has no subnet to glean on, and fe80::/64 is on every link (Junos
    // too shows only the Local route of a link-local address).
    if (length < address.max_length() && !IsLinkLocal(address)) {
      Route direct;
      direct.prefix = Prefix::Make(address, length);
      direct.protocol = Protocol::kDirect;
      direct.next_hops.push_back(via);
      table[direct.prefix].push_back(std::move(direct));
    }
    Route local;
    local.prefix = Prefix::Host(address);
    local.protocol = Protocol::kLocal;
    local.action = RouteAction::kReceive;
    local.next_hops.push_back(via);
    table[local.prefix].push_back(std::move(local));
  }
}

// Marks the `>` next hops: all (up to kMaxPaths) when load balancing, else the first.
void SelectNextHops(Route& r, LoadBalance load_balance) {
  if (r.hidden || r.protocol != Protocol::kStatic) return;
  const size_t n = load_balance != LoadBalance::kNone ? fib::kMaxPaths : 1;
  for (size_t i = 0; i < r.next_hops.size(); ++i) r.next_hops[i].selected = i < n;
}

std::optional<FibEntry> ForwardingOf(const Route& r, LoadBalance load_balance) {
  FibEntry e;
  switch (r.action) {
    case RouteAction::kDiscard:
      e.kind = FibKind::kDiscard;
      return e;
    case RouteAction::kReject:
      e.kind = FibKind::kReject;
      return e;
    case RouteAction::kReceive:
      e.kind = FibKind::kLocal;
      e.interface = r.next_hops.front().dp_interface;
      return e;
    case RouteAction::kForward:
      break;
  }
  const RouteNextHop* interface_hop = nullptr;
  for (const RouteNextHop& nh : r.next_hops) {
    if (!nh.selected) continue;
    if (nh.gateway) {
      e.paths.push_back({nh.dp_interface, *nh.gateway});
    } else if (!interface_hop) {
      interface_hop = &nh;
    }
  }
  // A route via an interface (Direct, or a static `next-hop ge-0/0/0.0`) resolves each
  // destination on that link; a mixture with gateways keeps the gateways.
  if (!e.paths.empty()) {
    e.kind = FibKind::kForward;
    e.consistent_hash = e.paths.size() > 1 && load_balance == LoadBalance::kConsistentHash;
  } else if (interface_hop) {
    e.kind = FibKind::kGlean;
    e.interface = interface_hop->dp_interface;
  } else {
    return std::nullopt;
  }
  return e;
}

}  // namespace

const char* TableName(Table t) { return t == Table::kInet ? "inet.0" : "inet6.0"; }

const char* ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kDirect:
      return "Direct";
    case Protocol::kLocal:
      return "Local";
    case Protocol::kStatic:
      return "Static";
  }
  return "?";
}

LoadBalance ForwardingTableLoadBalance(const config::RoutingConfig& routing) {
  LoadBalance load_balance = LoadBalance::kNone;
  // Returns true when `a` ends the evaluation (accept or reject).
  auto apply = [&](const PolicyActions& a) {
    if (a.load_balance != LoadBalance::kNone) load_balance = a.load_balance;
    return a.terminal != PolicyActions::Terminal::kNone;
  };
  for (const std::string& name : routing.forwarding_table_export) {
    auto p = std::find_if(routing.policies.begin(), routing.policies.end(),
                          [&](const config::PolicyStatement& s) { return s.name == name; });
    if (p == routing.policies.end()) continue;
    for (const config::PolicyTerm& t : p->terms) {
      if (apply(t.then)) return load_balance;
    }
    if (apply(p->then)) return load_balance;
  }
  return load_balance;
}

std::vector<FibChange> Rib::Recompute(const std::vector<UsableUnit>& units,
                                      const config::RoutingConfig& routing, int64_t now) {
  load_balance_ = ForwardingTableLoadBalance(routing);
  Routes next[2];
  for (const UsableUnit& u : units) AddConnected(u, next);
  const Resolver resolver(units);
  std::vector<IndirectRoute> indirect;
  for (const StaticRoute& sr : routing.routes) AddStatic(sr, resolver, next, &indirect);
  for (Routes& table : next) {
    for (auto& [prefix, candidates] : table) {
      std::stable_sort(candidates.begin(), candidates.end(), Better);
    }
  }
  // Keeps each prefix it changes sorted.
  if (!indirect.empty()) ResolveIndirect(next, indirect, load_balance_);

  std::map<Prefix, FibEntry> fib;
  for (int t = 0; t < 2; ++t) {
    for (auto& [prefix, candidates] : next[t]) {
      for (Route& r : candidates) SelectNextHops(r, load_balance_);
      if (!candidates.front().hidden) {
        candidates.front().active = true;
        if (auto e = ForwardingOf(candidates.front(), load_balance_)) {
          fib.emplace_hint(fib.end(), prefix, *e);
        }
      }
      // Keep the age of every route that did not change.
      const std::vector<Route>* old = nullptr;
      if (auto it = tables_[t].find(prefix); it != tables_[t].end()) old = &it->second;
      for (Route& r : candidates) {
        r.since = now;
        if (!old) continue;
        for (const Route& o : *old) {
          if (SameRoute(o, r)) {
            r.since = o.since;
            break;
          }
        }
      }
    }
  }

  // Both maps are in prefix order: one merge walk.
  std::vector<FibChange> changes;
  auto o = fib_.begin();
  auto n = fib.begin();
  while (o != fib_.end() || n != fib.end()) {
    if (n == fib.end() || (o != fib_.end() && o->first < n->first)) {
      changes.push_back({o->first, std::nullopt});
      ++o;
    } else if (o == fib_.end() || n->first < o->first) {
      changes.push_back({n->first, n->second});
      ++n;
    } else {
      if (!(o->second == n->second)) changes.push_back({n->first, n->second});
      ++o;
      ++n;
    }
  }
  fib_ = std::move(fib);
  tables_[0] = std::move(next[0]);
  tables_[1] = std::move(next[1]);
  return changes;
}

const std::vector<Route>* Rib::Find(const Prefix& p) const {
  const Routes& t = routes(TableOf(p));
  auto it = t.find(p);
  return it == t.end() ? nullptr : &it->second;
}

const std::vector<Route>* Rib::LongestMatch(const Address& a) const {
  for (int len = a.max_length(); len >= 0; --len) {
    const std::vector<Route>* r = Find(Prefix::Make(a, static_cast<uint8_t>(len)));
    if (r && r->front().active) return r;
  }
  return nullptr;
}

const FibEntry* Rib::Forwarding(const Prefix& p) const {
  auto it = fib_.find(p);
  return it == fib_.end() ? nullptr : &it->second;
}

TableSummary Rib::Summary(Table t) const {
  TableSummary s;
  ProtocolSummary per[3] = {{Protocol::kDirect}, {Protocol::kLocal}, {Protocol::kStatic}};
  for (const auto& [prefix, candidates] : routes(t)) {
    ++s.destinations;
    for (const Route& r : candidates) {
      ++s.routes;
      ProtocolSummary& p = per[static_cast<int>(r.protocol)];
      ++p.routes;
      if (r.active) {
        ++s.active;
        ++p.active;
      }
      if (r.hidden) ++s.hidden;
    }
  }
  for (const ProtocolSummary& p : per) {
    if (p.routes) s.protocols.push_back(p);
  }
  return s;
}

}  // namespace sabina::routing
