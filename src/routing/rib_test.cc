#include "routing/rib.h"

#include <gtest/gtest.h>

#include <chrono>

#include "fib/nexthop.h"

namespace sabina::routing {
namespace {

using config::PolicyActions;
using config::RoutingConfig;
using config::StaticNextHop;
using config::StaticRoute;

Prefix P(const char* text) { return *Prefix::Parse(text); }
Address A(const char* text) { return *Address::Parse(text); }

StaticNextHop Hop(const char* gw, std::optional<uint32_t> preference = std::nullopt,
                  std::optional<uint32_t> metric = std::nullopt) {
  const bool is_if = std::string(gw).starts_with("ge-");
  return StaticNextHop{gw, is_if, preference, metric};
}

StaticRoute Static(const char* prefix, std::vector<StaticNextHop> hops,
                   std::vector<StaticNextHop> qualified = {}) {
  StaticRoute r;
  r.prefix = prefix;
  r.v6 = std::string(prefix).find(':') != std::string::npos;
  r.table = r.v6 ? "inet6.0" : "inet.0";
  r.next_hops = std::move(hops);
  r.qualified = std::move(qualified);
  return r;
}

const UsableUnit kUnit0{"ge-0/0/0.0", 1, {"192.0.2.1/24", "2001:db8:1::1/64"}};
const UsableUnit kUnit1{"ge-0/0/1.0", 2, {"203.0.113.1/24"}};

TEST(Prefix, ParsesFormatsAndMasks) {
  EXPECT_EQ(P("192.0.2.1/24").ToString(), "192.0.2.0/24");
  EXPECT_EQ(P("2001:db8::/32").ToString(), "2001:db8::/32");
  EXPECT_EQ(P("2001:db8:ffff::1/33").ToString(), "2001:db8:8000::/33");
  EXPECT_EQ(P("192.0.2.7").ToString(), "192.0.2.7/32");
  EXPECT_EQ(P("0.0.0.0/0").ToString(), "0.0.0.0/0");
  EXPECT_EQ(P("::/0").ToString(), "::/0");
  EXPECT_FALSE(Prefix::Parse("192.0.2.0/33"));
  EXPECT_FALSE(Prefix::Parse("192.0.2.0/"));
  EXPECT_FALSE(Prefix::Parse("192.0.2.0/2x"));
  EXPECT_FALSE(Prefix::Parse("2001:db8::/129"));
  EXPECT_FALSE(Prefix::Parse("ge-0/0/0.0"));
  EXPECT_EQ(A("192.0.2.1").v4(), 0xc0000201u);
  EXPECT_EQ(Address::FromV4(0xc0000201u), A("192.0.2.1"));
  const fib::Ip6 w = A("2001:db8::1").v6_words();
  EXPECT_EQ(w.hi, 0x20010db800000000ull);
  EXPECT_EQ(w.lo, 1u);
  EXPECT_EQ(Address::FromV6(w), A("2001:db8::1"));
  EXPECT_TRUE(P("192.0.2.0/24").Contains(A("192.0.2.200")));
  EXPECT_FALSE(P("192.0.2.0/24").Contains(A("192.0.3.1")));
  EXPECT_FALSE(P("0.0.0.0/0").Contains(A("::1")));
  EXPECT_TRUE(P("0.0.0.0/0").Contains(P("192.0.2.0/24")));
}

TEST(Prefix, OrdersAsJunosListsRoutes) {
  std::vector<Prefix> v = {P("2001:db8::/32"), P("192.0.2.0/25"), P("10.0.0.0/16"),
                           P("192.0.2.0/24"),  P("10.0.0.0/8"),   P("192.0.2.128/25")};
  std::sort(v.begin(), v.end());
  std::vector<std::string> s;
  for (const Prefix& p : v) s.push_back(p.ToString());
  EXPECT_EQ(s, (std::vector<std::string>{"10.0.0.0/8", "10.0.0.0/16", "192.0.2.0/24",
                                         "192.0.2.0/25", "192.0.2.128/25", "2001:db8::/32"}));
}

TEST(Rib, DirectAndLocalRoutesFromAddresses) {
  Rib rib;
  auto changes = rib.Recompute({kUnit0}, RoutingConfig{}, 100);
  ASSERT_EQ(changes.size(), 4u);
  const auto* direct = rib.Find(P("192.0.2.0/24"));
  ASSERT_TRUE(direct);
  ASSERT_EQ(direct->size(), 1u);
  const Route& d = direct->front();
  EXPECT_EQ(d.protocol, Protocol::kDirect);
  EXPECT_EQ(d.preference, 0u);
  EXPECT_TRUE(d.active);
  EXPECT_EQ(d.since, 100);
  ASSERT_EQ(d.next_hops.size(), 1u);
  EXPECT_EQ(d.next_hops[0].interface, "ge-0/0/0.0");
  EXPECT_FALSE(d.next_hops[0].gateway);
  EXPECT_TRUE(d.next_hops[0].selected);
  EXPECT_EQ(*rib.Forwarding(P("192.0.2.0/24")), (FibEntry{FibKind::kGlean, 1, {}}));

  const Route& l = rib.Find(P("192.0.2.1/32"))->front();
  EXPECT_EQ(l.protocol, Protocol::kLocal);
  EXPECT_EQ(l.action, RouteAction::kReceive);
  EXPECT_EQ(*rib.Forwarding(P("192.0.2.1/32")), (FibEntry{FibKind::kLocal, 1, {}}));

  EXPECT_TRUE(rib.Find(P("2001:db8:1::/64")));
  EXPECT_EQ(*rib.Forwarding(P("2001:db8:1::1/128")), (FibEntry{FibKind::kLocal, 1, {}}));
  EXPECT_EQ(rib.routes(Table::kInet6).size(), 2u);
  EXPECT_STREQ(TableName(Table::kInet6), "inet6.0");
  EXPECT_STREQ(ProtocolName(Protocol::kDirect), "Direct");

  // Nothing changed: no FIB change, same age.
  EXPECT_TRUE(rib.Recompute({kUnit0}, RoutingConfig{}, 200).empty());
  EXPECT_EQ(rib.Find(P("192.0.2.0/24"))->front().since, 100);

  // The unit goes away: its routes are withdrawn.
  changes = rib.Recompute({}, RoutingConfig{}, 300);
  ASSERT_EQ(changes.size(), 4u);
  for (const FibChange& c : changes) EXPECT_FALSE(c.entry);
  EXPECT_TRUE(rib.routes(Table::kInet).empty());
}

TEST(Rib, HostLengthAddressHasOnlyALocalRoute) {
  Rib rib;
  rib.Recompute({{"ge-0/0/0.0", 1, {"192.0.2.1/32"}}}, RoutingConfig{}, 0);
  ASSERT_EQ(rib.routes(Table::kInet).size(), 1u);
  EXPECT_EQ(rib.Find(P("192.0.2.1/32"))->front().protocol, Protocol::kLocal);
}

TEST(Rib, StaticNextHopResolvesOnConnectedSubnetsOrIsHidden) {
  RoutingConfig rc;
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2")}));
  rc.routes.push_back(Static("198.51.100.128/25", {Hop("198.18.0.1")}));  // not connected
  rc.routes.push_back(Static("10.0.0.0/8", {Hop("ge-0/0/1")}));           // unit 0 implied
  rc.routes.push_back(Static("10.1.0.0/16", {Hop("ge-0/0/7.0")}));        // not usable
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, rc, 5);

  const Route& s = rib.Find(P("198.51.100.0/24"))->front();
  EXPECT_EQ(s.protocol, Protocol::kStatic);
  EXPECT_EQ(s.preference, 5u);
  EXPECT_TRUE(s.active);
  ASSERT_EQ(s.next_hops.size(), 1u);
  EXPECT_EQ(s.next_hops[0].gateway, A("192.0.2.2"));
  EXPECT_EQ(s.next_hops[0].interface, "ge-0/0/0.0");
  EXPECT_TRUE(s.next_hops[0].selected);
  EXPECT_EQ(*rib.Forwarding(P("198.51.100.0/24")),
            (FibEntry{FibKind::kForward, 0, {{1, A("192.0.2.2")}}}));

  const Route& hidden = rib.Find(P("198.51.100.128/25"))->front();
  EXPECT_TRUE(hidden.hidden);
  EXPECT_FALSE(hidden.active);
  ASSERT_EQ(hidden.next_hops.size(), 1u);
  EXPECT_EQ(hidden.next_hops[0].gateway, A("198.18.0.1"));
  EXPECT_TRUE(hidden.next_hops[0].interface.empty());
  EXPECT_FALSE(rib.Forwarding(P("198.51.100.128/25")));

  EXPECT_EQ(*rib.Forwarding(P("10.0.0.0/8")), (FibEntry{FibKind::kGlean, 2, {}}));
  EXPECT_EQ(rib.Find(P("10.0.0.0/8"))->front().next_hops[0].interface, "ge-0/0/1.0");
  EXPECT_TRUE(rib.Find(P("10.1.0.0/16"))->front().hidden);

  TableSummary sum = rib.Summary(Table::kInet);
  EXPECT_EQ(sum.destinations, 8u);
  EXPECT_EQ(sum.routes, 8u);
  EXPECT_EQ(sum.active, 6u);
  EXPECT_EQ(sum.hidden, 2u);
  ASSERT_EQ(sum.protocols.size(), 3u);
  EXPECT_EQ(sum.protocols[0].protocol, Protocol::kDirect);
  EXPECT_EQ(sum.protocols[0].routes, 2u);
  EXPECT_EQ(sum.protocols[2].protocol, Protocol::kStatic);
  EXPECT_EQ(sum.protocols[2].routes, 4u);
  EXPECT_EQ(sum.protocols[2].active, 2u);

  // The hidden route becomes usable when its subnet appears.
  auto changes = rib.Recompute({kUnit0, kUnit1, {"ge-0/0/2.0", 3, {"198.18.0.2/30"}}}, rc, 6);
  EXPECT_TRUE(rib.Find(P("198.51.100.128/25"))->front().active);
  EXPECT_EQ(changes.size(), 3u);  // the /25, the /30 Direct and the /32 Local
}

TEST(Rib, LongestMatchFindsTheActiveCoveringRoute) {
  RoutingConfig rc;
  rc.routes.push_back(Static("0.0.0.0/0", {Hop("192.0.2.254")}));
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("198.18.0.1")}));  // hidden
  Rib rib;
  rib.Recompute({kUnit0}, rc, 0);
  EXPECT_EQ(rib.LongestMatch(A("192.0.2.9"))->front().prefix, P("192.0.2.0/24"));
  EXPECT_EQ(rib.LongestMatch(A("192.0.2.1"))->front().prefix, P("192.0.2.1/32"));
  EXPECT_EQ(rib.LongestMatch(A("198.51.100.1"))->front().prefix, P("0.0.0.0/0"));
  EXPECT_FALSE(rib.LongestMatch(A("2001:db8:2::1")));
}

TEST(Rib, QualifiedNextHopPreferenceAndFailover) {
  RoutingConfig rc;
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2")}, {Hop("203.0.113.2", 7)}));
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, rc, 10);
  const auto& routes = *rib.Find(P("198.51.100.0/24"));
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_TRUE(routes[0].active);
  EXPECT_EQ(routes[0].preference, 5u);
  EXPECT_FALSE(routes[1].active);
  EXPECT_EQ(routes[1].preference, 7u);
  EXPECT_EQ(routes[1].next_hops[0].gateway, A("203.0.113.2"));

  // ge-0/0/0.0 goes down: the preference-7 route takes over.
  auto changes = rib.Recompute({kUnit1}, rc, 20);
  const FibChange* c = nullptr;
  for (const FibChange& ch : changes) {
    if (ch.prefix == P("198.51.100.0/24")) c = &ch;
  }
  ASSERT_TRUE(c);
  EXPECT_EQ(*c->entry, (FibEntry{FibKind::kForward, 0, {{2, A("203.0.113.2")}}}));
  const auto& after = *rib.Find(P("198.51.100.0/24"));
  EXPECT_EQ(after[0].preference, 7u);
  EXPECT_TRUE(after[0].active);
  EXPECT_EQ(after[0].since, 20);
  EXPECT_TRUE(after[1].hidden);

  // And back.
  changes = rib.Recompute({kUnit0, kUnit1}, rc, 30);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->paths[0].gateway, A("192.0.2.2"));
}

TEST(Rib, EqualPreferenceQualifiedNextHopsCompareMetrics) {
  RoutingConfig rc;
  rc.routes.push_back(
      Static("198.51.100.0/24", {},
             {Hop("192.0.2.2", std::nullopt, 20), Hop("203.0.113.2", std::nullopt, 10)}));
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  const auto& routes = *rib.Find(P("198.51.100.0/24"));
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].metric, 10u);
  EXPECT_TRUE(routes[0].active);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->paths[0].gateway, A("203.0.113.2"));
}

TEST(Rib, DiscardAndRejectRoutes) {
  RoutingConfig rc;
  StaticRoute d = Static("198.51.100.0/24", {});
  d.action = StaticRoute::Action::kDiscard;
  StaticRoute r = Static("203.0.113.128/25", {});
  r.action = StaticRoute::Action::kReject;
  r.preference = 200;
  rc.routes = {d, r};
  Rib rib;
  rib.Recompute({}, rc, 0);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->kind, FibKind::kDiscard);
  EXPECT_EQ(rib.Forwarding(P("203.0.113.128/25"))->kind, FibKind::kReject);
  const Route& rr = rib.Find(P("203.0.113.128/25"))->front();
  EXPECT_EQ(rr.action, RouteAction::kReject);
  EXPECT_EQ(rr.preference, 200u);
  EXPECT_TRUE(rr.active);
  EXPECT_TRUE(rr.next_hops.empty());
}

RoutingConfig WithLoadBalance(RoutingConfig rc) {
  config::PolicyStatement lb{"LB", {}, {}};
  lb.then.load_balance = PolicyActions::LoadBalance::kPerPacket;
  rc.policies.push_back(lb);
  rc.forwarding_table_export.push_back("LB");
  return rc;
}

TEST(Rib, EcmpInstallsOneNextHopUnlessLoadBalancing) {
  RoutingConfig rc;
  rc.routes.push_back(
      Static("198.51.100.0/24", {Hop("192.0.2.2"), Hop("192.0.2.3"), Hop("203.0.113.2")}));
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_EQ(rib.load_balance(), LoadBalance::kNone);
  const Route& r = rib.Find(P("198.51.100.0/24"))->front();
  ASSERT_EQ(r.next_hops.size(), 3u);
  EXPECT_TRUE(r.next_hops[0].selected);
  EXPECT_FALSE(r.next_hops[1].selected);
  EXPECT_FALSE(r.next_hops[2].selected);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->paths,
            (std::vector<FibPath>{{1, A("192.0.2.2")}}));

  auto changes = rib.Recompute({kUnit0, kUnit1}, WithLoadBalance(rc), 0);
  EXPECT_EQ(rib.load_balance(), LoadBalance::kPerPacket);
  EXPECT_FALSE(changes[0].entry->consistent_hash);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].prefix, P("198.51.100.0/24"));
  EXPECT_EQ(
      changes[0].entry->paths,
      (std::vector<FibPath>{{1, A("192.0.2.2")}, {1, A("192.0.2.3")}, {2, A("203.0.113.2")}}));
  for (const RouteNextHop& nh : rib.Find(P("198.51.100.0/24"))->front().next_hops) {
    EXPECT_TRUE(nh.selected);
  }
}

TEST(Rib, SameNextHopTwiceIsOnePath) {
  RoutingConfig rc;
  rc.routes.push_back(
      Static("198.51.100.0/24", {Hop("192.0.2.2"), Hop("192.0.2.3")}, {Hop("192.0.2.2", 5)}));
  Rib rib;
  rib.Recompute({kUnit0}, WithLoadBalance(rc), 0);
  ASSERT_EQ(rib.Find(P("198.51.100.0/24"))->size(), 1u);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->paths,
            (std::vector<FibPath>{{1, A("192.0.2.2")}, {1, A("192.0.2.3")}}));
}

TEST(Rib, LoadBalanceIsCappedAtMaxPaths) {
  RoutingConfig rc;
  std::vector<std::string> gateways;
  for (int i = 2; i < 22; ++i) gateways.push_back("192.0.2." + std::to_string(i));
  std::vector<StaticNextHop> hops;
  for (const std::string& g : gateways) hops.push_back({g, false, {}, {}});
  rc.routes.push_back(Static("198.51.100.0/24", hops));
  Rib rib;
  rib.Recompute({kUnit0}, WithLoadBalance(rc), 0);
  EXPECT_EQ(rib.Forwarding(P("198.51.100.0/24"))->paths.size(), fib::kMaxPaths);
}

TEST(Rib, ForwardingTableExportPolicyEvaluation) {
  using LB = LoadBalance;
  RoutingConfig rc;
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kNone);
  config::PolicyStatement p{"P", {}, {}};
  p.terms.push_back({"first", {LB::kNone, PolicyActions::Terminal::kAccept}});
  p.terms.push_back({"later", {LB::kPerPacket, {}}});
  rc.policies = {p};
  rc.forwarding_table_export = {"P"};
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kNone);  // accepted before load-balance

  rc.policies[0].terms[0].then.terminal = PolicyActions::Terminal::kNone;
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kPerPacket);

  rc.policies[0].terms = {{"a", {LB::kConsistentHash, PolicyActions::Terminal::kAccept}}};
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kConsistentHash);

  // A chain: the first policy does not terminate, the second load-balances.
  config::PolicyStatement noop{"NOOP", {}, {}};
  config::PolicyStatement lb{"LB", {}, {LB::kPerPacket, {}}};
  rc.policies = {noop, lb};
  rc.forwarding_table_export = {"NOOP", "LB"};
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kPerPacket);
  // The last load-balance action before the end wins.
  rc.policies[0].then.load_balance = LB::kConsistentHash;
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kPerPacket);
  rc.policies[1].then.load_balance = LB::kNone;
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kConsistentHash);
  rc.policies[0].then.terminal = PolicyActions::Terminal::kReject;
  rc.policies[0].then.load_balance = LB::kNone;
  rc.policies[1].then.load_balance = LB::kPerPacket;
  EXPECT_EQ(ForwardingTableLoadBalance(rc), LB::kNone);
}

TEST(Rib, ConsistentHashMarksMultiPathForwardingEntries) {
  RoutingConfig rc;
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2"), Hop("192.0.2.3")}));
  rc.routes.push_back(Static("198.51.100.0/25", {Hop("192.0.2.2")}));
  config::PolicyStatement lb{"LB", {}, {}};
  lb.then.load_balance = LoadBalance::kConsistentHash;
  rc.policies.push_back(lb);
  rc.forwarding_table_export.push_back("LB");
  Rib rib;
  rib.Recompute({kUnit0}, rc, 0);
  EXPECT_EQ(rib.load_balance(), LoadBalance::kConsistentHash);
  const FibEntry* e = rib.Forwarding(P("198.51.100.0/24"));
  ASSERT_EQ(e->paths.size(), 2u);
  EXPECT_TRUE(e->consistent_hash);
  // One path has nothing to hash over: the entry equals a plain one (one shared next hop).
  EXPECT_FALSE(rib.Forwarding(P("198.51.100.0/25"))->consistent_hash);
  // Switching to per-packet changes the forwarding decision of the ECMP route only.
  rc.policies[0].then.load_balance = LoadBalance::kPerPacket;
  auto changes = rib.Recompute({kUnit0}, rc, 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].prefix, P("198.51.100.0/24"));
  EXPECT_FALSE(changes[0].entry->consistent_hash);
}

StaticRoute Resolve(StaticRoute r) {
  r.resolve = true;
  return r;
}

TEST(Rib, ResolveTakesTheNextHopsOfTheRouteCoveringTheGateway) {
  RoutingConfig rc;
  // 198.51.100.99 is on no link: without `resolve` the route is hidden.
  rc.routes.push_back(Static("10.0.0.0/8", {Hop("198.51.100.99")}));
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2")}));
  Rib rib;
  rib.Recompute({kUnit0}, rc, 0);
  EXPECT_TRUE(rib.Find(P("10.0.0.0/8"))->front().hidden);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8")), nullptr);

  rc.routes[0] = Resolve(rc.routes[0]);
  auto changes = rib.Recompute({kUnit0}, rc, 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].prefix, P("10.0.0.0/8"));
  const Route& r = rib.Find(P("10.0.0.0/8"))->front();
  EXPECT_TRUE(r.active);
  ASSERT_EQ(r.next_hops.size(), 1u);
  EXPECT_EQ(r.next_hops[0].gateway, A("192.0.2.2"));
  EXPECT_EQ(r.next_hops[0].interface, "ge-0/0/0.0");
  EXPECT_EQ(r.next_hops[0].protocol_next_hop, A("198.51.100.99"));
  EXPECT_TRUE(r.next_hops[0].selected);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8"))->paths, (std::vector<FibPath>{{1, A("192.0.2.2")}}));

  // The covering route moves to another neighbour: the resolved route follows.
  rc.routes[1] = Static("198.51.100.0/24", {Hop("203.0.113.2")});
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8"))->paths, (std::vector<FibPath>{{2, A("203.0.113.2")}}));
  // A gateway on a connected subnet resolves directly, as without `resolve`.
  rc.routes[0] = Resolve(Static("10.0.0.0/8", {Hop("192.0.2.3")}));
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_FALSE(rib.Find(P("10.0.0.0/8"))->front().next_hops[0].protocol_next_hop);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8"))->paths, (std::vector<FibPath>{{1, A("192.0.2.3")}}));
}

TEST(Rib, ResolveRecursesAndLeavesLoopsAndNonForwardingRoutesHidden) {
  RoutingConfig rc;
  // Three levels: 10/8 via 10.255.0.1 (resolve) -> 10.255.0.0/16 via 198.51.100.7 (resolve)
  // -> 198.51.100.0/24 via 192.0.2.2; listed deepest first so one pass is not enough.
  rc.routes.push_back(Resolve(Static("10.0.0.0/8", {Hop("10.255.0.1")})));
  rc.routes.push_back(Resolve(Static("10.255.0.0/16", {Hop("198.51.100.7")})));
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2")}));
  // A loop: each gateway is covered only by the other route.
  rc.routes.push_back(Resolve(Static("172.16.0.0/16", {Hop("172.17.0.1")})));
  rc.routes.push_back(Resolve(Static("172.17.0.0/16", {Hop("172.16.0.1")})));
  // The covering route discards: nothing to forward to.
  rc.routes.push_back(Static("203.0.113.0/24", {}));
  rc.routes.back().action = StaticRoute::Action::kDiscard;
  rc.routes.push_back(Resolve(Static("198.18.0.0/15", {Hop("203.0.113.9")})));
  // The gateway lies in the route itself only: a route does not resolve through itself.
  rc.routes.push_back(Resolve(Static("100.64.0.0/10", {Hop("100.64.0.1")})));
  Rib rib;
  rib.Recompute({kUnit0}, rc, 0);
  for (const char* p : {"10.0.0.0/8", "10.255.0.0/16"}) {
    ASSERT_NE(rib.Forwarding(P(p)), nullptr) << p;
    EXPECT_EQ(rib.Forwarding(P(p))->paths, (std::vector<FibPath>{{1, A("192.0.2.2")}})) << p;
  }
  EXPECT_EQ(rib.Find(P("10.0.0.0/8"))->front().next_hops[0].protocol_next_hop, A("10.255.0.1"));
  for (const char* p : {"172.16.0.0/16", "172.17.0.0/16", "198.18.0.0/15", "100.64.0.0/10"}) {
    const Route& r = rib.Find(P(p))->front();
    EXPECT_TRUE(r.hidden) << p;
    ASSERT_EQ(r.next_hops.size(), 1u) << p;  // the configured gateway, shown unresolved
    EXPECT_TRUE(r.next_hops[0].interface.empty()) << p;
    EXPECT_EQ(rib.Forwarding(P(p)), nullptr) << p;
  }
  // A default route gives the looped routes something to resolve through.
  rc.routes.push_back(Static("0.0.0.0/0", {Hop("192.0.2.9")}));
  rib.Recompute({kUnit0}, rc, 0);
  for (const char* p : {"172.16.0.0/16", "172.17.0.0/16", "100.64.0.0/10"}) {
    ASSERT_NE(rib.Forwarding(P(p)), nullptr) << p;
    EXPECT_EQ(rib.Forwarding(P(p))->paths, (std::vector<FibPath>{{1, A("192.0.2.9")}})) << p;
  }
}

TEST(Rib, ResolveWithLoadBalancingUsesEveryPathOfTheCoveringRoute) {
  RoutingConfig rc;
  rc.routes.push_back(Static("198.51.100.0/24", {Hop("192.0.2.2"), Hop("203.0.113.2")}));
  // Two gateways resolving to the same neighbours: two paths, not four.
  rc.routes.push_back(Resolve(Static("10.0.0.0/8", {Hop("198.51.100.1"), Hop("198.51.100.2")})));
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, WithLoadBalance(rc), 0);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8"))->paths,
            (std::vector<FibPath>{{1, A("192.0.2.2")}, {2, A("203.0.113.2")}}));
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_EQ(rib.Forwarding(P("10.0.0.0/8"))->paths, (std::vector<FibPath>{{1, A("192.0.2.2")}}));
}

TEST(Rib, Inet6StaticRoutes) {
  RoutingConfig rc;
  rc.routes.push_back(Static("2001:db8:2::/48", {Hop("2001:db8:1::2")}));
  rc.routes.push_back(Static("::/0", {Hop("fe80::1")}));  // one IPv6 unit: unambiguous
  Rib rib;
  rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_EQ(*rib.Forwarding(P("2001:db8:2::/48")),
            (FibEntry{FibKind::kForward, 0, {{1, A("2001:db8:1::2")}}}));
  EXPECT_EQ(*rib.Forwarding(P("::/0")), (FibEntry{FibKind::kForward, 0, {{1, A("fe80::1")}}}));
  TableSummary s = rib.Summary(Table::kInet6);
  EXPECT_EQ(s.destinations, 4u);
  EXPECT_EQ(s.active, 4u);
  // A second IPv6 unit makes the link-local gateway ambiguous.
  rib.Recompute({kUnit0, {"ge-0/0/1.0", 2, {"2001:db8:3::1/64"}}}, rc, 0);
  EXPECT_TRUE(rib.Find(P("::/0"))->front().hidden);
}

TEST(Rib, LinkLocalAddressesHaveOnlyLocalRoutes) {
  Rib rib;
  rib.Recompute(
      {{"ge-0/0/0.0", 1, {"fe80::1/64", "2001:db8:1::1/64"}}, {"ge-0/0/1.0", 2, {"fe80::2/64"}}},
      RoutingConfig{}, 0);
  EXPECT_FALSE(rib.Find(P("fe80::/64")));
  EXPECT_EQ(*rib.Forwarding(P("fe80::1/128")), (FibEntry{FibKind::kLocal, 1, {}}));
  EXPECT_EQ(*rib.Forwarding(P("fe80::2/128")), (FibEntry{FibKind::kLocal, 2, {}}));
  EXPECT_EQ(rib.routes(Table::kInet6).size(), 4u);
}

TEST(Rib, TenThousandStaticRoutesOneChangeIsOneFibChange) {
  RoutingConfig rc;
  for (int i = 0; i < 10000; ++i) {
    const std::string prefix =
        "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24";
    StaticRoute r = Static(prefix.c_str(), {Hop(i % 2 ? "192.0.2.2" : "203.0.113.2")});
    rc.routes.push_back(std::move(r));
  }
  Rib rib;
  auto changes = rib.Recompute({kUnit0, kUnit1}, rc, 0);
  EXPECT_EQ(changes.size(), 10000u + 6u);
  rc.routes[4321].next_hops[0].gateway = "192.0.2.99";
  const auto start = std::chrono::steady_clock::now();
  changes = rib.Recompute({kUnit0, kUnit1}, rc, 1);
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].prefix, P("10.16.225.0/24"));
  EXPECT_EQ(changes[0].entry->paths[0].gateway, A("192.0.2.99"));
  EXPECT_EQ(rib.Find(P("10.16.225.0/24"))->front().since, 1);
  EXPECT_EQ(rib.Find(P("10.0.0.0/24"))->front().since, 0);
  std::printf("recompute of 10k static routes: %lld us\n", static_cast<long long>(us));
}

}  // namespace
}  // namespace sabina::routing
