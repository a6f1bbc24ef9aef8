#include "routing/fib_builder.h"

#include <gtest/gtest.h>

namespace sabina::routing {
namespace {

using config::RoutingConfig;
using config::StaticNextHop;
using config::StaticRoute;

Prefix P(const char* text) { return *Prefix::Parse(text); }
Address A(const char* text) { return *Address::Parse(text); }

class FibBuilderTest : public ::testing::Test {
 protected:
  FibBuilderTest() : tables_(64, 64), builder_(tables_) {}

  const fib::NextHop& Lookup4(const char* address) {
    return tables_.next_hops[tables_.fib4.Lookup(A(address).v4())];
  }
  const fib::NextHop& Lookup6(const char* address) {
    return tables_.next_hops[tables_.fib6.Lookup(A(address).v6_words())];
  }
  uint32_t Slot4(const char* address) { return tables_.fib4.Lookup(A(address).v4()); }
  // The neighbour address an adjacency holds.
  Address AdjAddress(uint32_t adj) {
    Address a;
    a.v6 = tables_.adjacencies[adj].v6;
    std::copy(tables_.adjacencies[adj].address, tables_.adjacencies[adj].address + 16,
              a.bytes.begin());
    return a;
  }

  void Apply(const RoutingConfig& rc) { builder_.Apply(rib_.Recompute(units_, rc, 0)); }

  dp::Tables tables_;
  FibBuilder builder_;
  Rib rib_;
  std::vector<UsableUnit> units_ = {{"ge-0/0/0.0", 1, {"192.0.2.1/24", "2001:db8:1::1/64"}},
                                    {"ge-0/0/1.0", 2, {"203.0.113.1/24"}}};
};

StaticRoute Route(const char* prefix, std::vector<const char*> gateways) {
  StaticRoute r;
  r.prefix = prefix;
  r.v6 = std::string(prefix).find(':') != std::string::npos;
  r.table = r.v6 ? "inet6.0" : "inet.0";
  for (const char* g : gateways) r.next_hops.push_back(StaticNextHop{g, false, {}, {}});
  return r;
}

TEST_F(FibBuilderTest, ConnectedLocalAndStaticRoutesLookUp) {
  RoutingConfig rc;
  rc.routes.push_back(Route("198.51.100.0/24", {"192.0.2.2"}));
  rc.routes.push_back(Route("2001:db8:2::/48", {"2001:db8:1::2"}));
  StaticRoute discard = Route("198.51.100.128/25", {});
  discard.action = StaticRoute::Action::kDiscard;
  StaticRoute reject = Route("198.51.100.64/26", {});
  reject.action = StaticRoute::Action::kReject;
  rc.routes.push_back(discard);
  rc.routes.push_back(reject);
  Apply(rc);

  EXPECT_EQ(tables_.fib4.Lookup(A("198.18.0.1").v4()), fib::kNoNextHop);
  EXPECT_EQ(Lookup4("192.0.2.77").kind, fib::NextHopKind::kGlean);
  EXPECT_EQ(Lookup4("192.0.2.77").interface, 1u);
  EXPECT_EQ(Lookup4("192.0.2.1").kind, fib::NextHopKind::kLocal);
  EXPECT_EQ(Lookup4("192.0.2.1").interface, 1u);
  EXPECT_EQ(Lookup4("203.0.113.9").interface, 2u);
  EXPECT_EQ(Lookup4("198.51.100.200").kind, fib::NextHopKind::kDiscard);
  EXPECT_EQ(Lookup4("198.51.100.70").kind, fib::NextHopKind::kReject);

  const fib::NextHop& fwd = Lookup4("198.51.100.1");
  ASSERT_EQ(fwd.kind, fib::NextHopKind::kForward);
  ASSERT_EQ(fwd.path_count, 1);
  const fib::Adjacency& adj = tables_.adjacencies[fwd.paths[0]];
  EXPECT_EQ(adj.interface, 1u);
  EXPECT_FALSE(adj.v6);
  EXPECT_EQ(AdjAddress(fwd.paths[0]), A("192.0.2.2"));
  EXPECT_EQ(adj.mac.load(), 0u);  // unresolved until the neighbour manager sets it

  const fib::NextHop& fwd6 = Lookup6("2001:db8:2::5");
  ASSERT_EQ(fwd6.kind, fib::NextHopKind::kForward);
  EXPECT_TRUE(tables_.adjacencies[fwd6.paths[0]].v6);
  EXPECT_EQ(AdjAddress(fwd6.paths[0]), A("2001:db8:1::2"));
  EXPECT_EQ(Lookup6("2001:db8:1::1").kind, fib::NextHopKind::kLocal);
  EXPECT_EQ(Lookup6("2001:db8:1::99").kind, fib::NextHopKind::kGlean);

  // show route forwarding-table sees the same, in prefix order.
  const auto& inst = builder_.installed();
  EXPECT_EQ(inst.size(), 10u);
  EXPECT_EQ(inst.begin()->first, P("192.0.2.0/24"));
  EXPECT_EQ(inst.at(P("198.51.100.0/24")).entry.paths[0].gateway, A("192.0.2.2"));
  EXPECT_FALSE(inst.at(P("198.51.100.0/24")).neighbor);
}

TEST_F(FibBuilderTest, IdenticalNextHopsShareASlotWithReferenceCounts) {
  RoutingConfig rc;
  for (const char* p : {"198.51.100.0/26", "198.51.100.64/26", "198.51.100.128/26"}) {
    rc.routes.push_back(Route(p, {"192.0.2.2"}));
  }
  Apply(rc);
  const uint32_t slot = Slot4("198.51.100.1");
  EXPECT_EQ(Slot4("198.51.100.65"), slot);
  EXPECT_EQ(Slot4("198.51.100.129"), slot);
  EXPECT_EQ(builder_.NextHopRefs(slot), 3u);
  const uint32_t adj = builder_.FindAdjacency(1, A("192.0.2.2"));
  ASSERT_NE(adj, fib::kNoAdjacency);
  EXPECT_EQ(builder_.AdjacencyRefs(adj), 1u);  // held once, by the shared next hop
  // glean(1), local(1), glean(2), local(2) (IPv6 shares glean(1), local(1)), the forward one.
  const size_t in_use = builder_.next_hops_in_use();

  // One route moves to another gateway: a new slot, the old one keeps two references.
  rc.routes[1] = Route("198.51.100.64/26", {"203.0.113.2"});
  Apply(rc);
  EXPECT_NE(Slot4("198.51.100.65"), slot);
  EXPECT_EQ(builder_.NextHopRefs(slot), 2u);
  EXPECT_EQ(builder_.next_hops_in_use(), in_use + 1);

  // Every user gone: the slot and its adjacency are freed, and reused later.
  rc.routes.clear();
  Apply(rc);
  EXPECT_EQ(builder_.NextHopRefs(slot), 0u);
  EXPECT_EQ(builder_.FindAdjacency(1, A("192.0.2.2")), fib::kNoAdjacency);
  EXPECT_EQ(builder_.adjacencies_in_use(), 0u);
  EXPECT_EQ(builder_.next_hops_in_use(), in_use - 1);
  EXPECT_EQ(tables_.fib4.Lookup(A("198.51.100.1").v4()), fib::kNoNextHop);
  rc.routes.push_back(Route("198.51.100.0/24", {"203.0.113.3"}));
  Apply(rc);
  EXPECT_EQ(builder_.next_hops_in_use(), in_use);
}

TEST_F(FibBuilderTest, EcmpPathsWithLoadBalancePolicy) {
  RoutingConfig rc;
  rc.routes.push_back(Route("198.51.100.0/24", {"192.0.2.2", "203.0.113.2"}));
  Apply(rc);
  EXPECT_EQ(Lookup4("198.51.100.1").path_count, 1);

  config::PolicyStatement lb{"LB", {}, {}};
  lb.then.load_balance = config::PolicyActions::LoadBalance::kPerPacket;
  rc.policies.push_back(lb);
  rc.forwarding_table_export.push_back("LB");
  Apply(rc);
  const fib::NextHop& nh = Lookup4("198.51.100.1");
  ASSERT_EQ(nh.kind, fib::NextHopKind::kForward);
  ASSERT_EQ(nh.path_count, 2);
  EXPECT_EQ(tables_.adjacencies[nh.paths[0]].interface, 1u);
  EXPECT_EQ(tables_.adjacencies[nh.paths[1]].interface, 2u);
}

TEST_F(FibBuilderTest, ConsistentHashNextHopsKeepTheAdjacenciesOfRemainingPaths) {
  RoutingConfig rc;
  rc.routes.push_back(Route("198.51.100.0/24", {"192.0.2.2", "192.0.2.3", "203.0.113.2"}));
  rc.routes.push_back(Route("198.51.101.0/24", {"192.0.2.2", "192.0.2.3", "203.0.113.2"}));
  config::PolicyStatement lb{"LB", {}, {}};
  lb.then.load_balance = config::PolicyActions::LoadBalance::kPerPacket;
  rc.policies.push_back(lb);
  rc.forwarding_table_export.push_back("LB");
  Apply(rc);
  const uint32_t per_flow = Slot4("198.51.100.1");
  EXPECT_FALSE(tables_.next_hops[per_flow].consistent_hash);

  rc.policies[0].then.load_balance = config::PolicyActions::LoadBalance::kConsistentHash;
  Apply(rc);
  const fib::NextHop& three = Lookup4("198.51.100.1");
  ASSERT_EQ(three.path_count, 3);
  EXPECT_TRUE(three.consistent_hash);
  EXPECT_EQ(Slot4("198.51.101.1"), Slot4("198.51.100.1"));  // still one shared next hop
  const uint32_t adj2 = three.paths[0], adj3 = three.paths[2];

  // One route loses a path: its new next hop reaches the remaining neighbours through the same
  // adjacencies, which is what keeps their flows in place.
  rc.routes[0] = Route("198.51.100.0/24", {"192.0.2.2", "203.0.113.2"});
  Apply(rc);
  const fib::NextHop& two = Lookup4("198.51.100.1");
  ASSERT_EQ(two.path_count, 2);
  EXPECT_TRUE(two.consistent_hash);
  EXPECT_EQ(two.paths[0], adj2);
  EXPECT_EQ(two.paths[1], adj3);
  // Also when the route was the adjacencies' only user.
  rc.routes.pop_back();
  Apply(rc);
  rc.routes[0] = Route("198.51.100.0/24", {"203.0.113.2"});
  Apply(rc);
  EXPECT_EQ(Lookup4("198.51.100.1").paths[0], adj3);
  EXPECT_FALSE(Lookup4("198.51.100.1").consistent_hash);
}

TEST_F(FibBuilderTest, NeighbourHostRoutesYieldToConfiguredRoutes) {
  Apply(RoutingConfig{});
  const uint32_t adj = builder_.AdjacencyFor(1, A("192.0.2.9"));
  ASSERT_NE(adj, fib::kNoAdjacency);
  tables_.adjacencies.mutable_entry(adj).mac.store(fib::kMacValid | 0x020000000009ull);
  builder_.SetNeighborRoute(1, A("192.0.2.9"), true);
  const fib::NextHop& host = Lookup4("192.0.2.9");
  ASSERT_EQ(host.kind, fib::NextHopKind::kForward);
  EXPECT_EQ(host.paths[0], adj);
  EXPECT_EQ(builder_.AdjacencyRefs(adj), 2u);  // the manager's and the host route's
  EXPECT_TRUE(builder_.installed().at(P("192.0.2.9/32")).neighbor);
  EXPECT_EQ(Lookup4("192.0.2.10").kind, fib::NextHopKind::kGlean);

  // A configured /32 for the same address wins; the host route comes back when it goes.
  RoutingConfig rc;
  StaticRoute d = Route("192.0.2.9/32", {});
  d.action = StaticRoute::Action::kDiscard;
  rc.routes.push_back(d);
  Apply(rc);
  EXPECT_EQ(Lookup4("192.0.2.9").kind, fib::NextHopKind::kDiscard);
  EXPECT_FALSE(builder_.installed().at(P("192.0.2.9/32")).neighbor);
  Apply(RoutingConfig{});
  EXPECT_EQ(Lookup4("192.0.2.9").kind, fib::NextHopKind::kForward);

  // A static route through the neighbour shares its adjacency (and so its MAC).
  rc.routes = {Route("198.51.100.0/24", {"192.0.2.9"})};
  Apply(rc);
  EXPECT_EQ(Lookup4("198.51.100.1").paths[0], adj);
  EXPECT_EQ(tables_.adjacencies[adj].mac.load() & ~fib::kMacValid, 0x020000000009ull);

  builder_.SetNeighborRoute(1, A("192.0.2.9"), false);
  EXPECT_EQ(Lookup4("192.0.2.9").kind, fib::NextHopKind::kGlean);
  builder_.ReleaseAdjacency(adj);
  EXPECT_EQ(builder_.AdjacencyRefs(adj), 1u);  // still used by the static route

  // IPv6 neighbours get /128s.
  const uint32_t adj6 = builder_.AdjacencyFor(1, A("2001:db8:1::9"));
  builder_.SetNeighborRoute(1, A("2001:db8:1::9"), true);
  EXPECT_EQ(Lookup6("2001:db8:1::9").paths[0], adj6);
  EXPECT_EQ(Lookup6("2001:db8:1::8").kind, fib::NextHopKind::kGlean);
}

TEST_F(FibBuilderTest, NeighbourHostRoutesFollowTheirConnectedSubnet) {
  // Resolved before the subnet exists (or on a wrong interface): not installed.
  const uint32_t adj = builder_.AdjacencyFor(1, A("192.0.2.9"));
  builder_.SetNeighborRoute(1, A("192.0.2.9"), true);
  builder_.SetNeighborRoute(2, A("192.0.2.10"), true);
  EXPECT_EQ(tables_.fib4.Lookup(A("192.0.2.9").v4()), fib::kNoNextHop);
  Apply(RoutingConfig{});
  EXPECT_EQ(Lookup4("192.0.2.9").paths[0], adj);
  EXPECT_EQ(Lookup4("192.0.2.10").kind, fib::NextHopKind::kGlean);  // ge-0/0/1.0's neighbour

  // ge-0/0/0.0 goes down: its subnet and the neighbour's host route go; and come back.
  units_.erase(units_.begin());
  Apply(RoutingConfig{});
  EXPECT_EQ(tables_.fib4.Lookup(A("192.0.2.9").v4()), fib::kNoNextHop);
  EXPECT_FALSE(builder_.installed().count(P("192.0.2.9/32")));
  units_.insert(units_.begin(), {"ge-0/0/0.0", 1, {"192.0.2.1/24"}});
  Apply(RoutingConfig{});
  EXPECT_EQ(Lookup4("192.0.2.9").paths[0], adj);
}

TEST(FibBuilder, TenThousandRoutesThenOneChange) {
  dp::Tables tables;
  FibBuilder builder(tables);
  Rib rib;
  const std::vector<UsableUnit> units = {{"ge-0/0/0.0", 1, {"192.0.2.1/24"}},
                                         {"ge-0/0/1.0", 2, {"203.0.113.1/24"}}};
  RoutingConfig rc;
  for (int i = 0; i < 10000; ++i) {
    const std::string p = "10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24";
    rc.routes.push_back(Route(p.c_str(), {i % 2 ? "192.0.2.2" : "203.0.113.2"}));
  }
  builder.Apply(rib.Recompute(units, rc, 0));
  EXPECT_EQ(builder.installed().size(), 10004u);
  EXPECT_EQ(builder.next_hops_in_use(), 6u);  // 2 gleans, 2 locals, 2 gateways
  const uint32_t via_a = tables.fib4.Lookup(A("10.0.1.1").v4());
  const uint32_t via_b = tables.fib4.Lookup(A("10.0.0.1").v4());
  EXPECT_EQ(builder.NextHopRefs(via_a), 5000u);

  rc.routes[4321].next_hops[0].gateway = "203.0.113.2";  // was 192.0.2.2
  const auto changes = rib.Recompute(units, rc, 1);
  ASSERT_EQ(changes.size(), 1u);
  builder.Apply(changes);
  EXPECT_EQ(tables.fib4.Lookup(A("10.16.225.1").v4()), via_b);
  EXPECT_EQ(builder.NextHopRefs(via_a), 4999u);
  EXPECT_EQ(builder.NextHopRefs(via_b), 5001u);
}

TEST_F(FibBuilderTest, FullNextHopTableLeavesPrefixesOut) {
  RoutingConfig rc;
  // 64 slots, slot 0 reserved, 4 for connected/local (IPv6 shares glean(1), local(1)): 63
  // distinct next hops fit, 64 are wanted. Changes come in prefix order, so the last one,
  // 203.0.113.1/32 (local(2)), finds the table full.
  for (int i = 0; i < 60; ++i) {
    const std::string p = "198.51.100." + std::to_string(i) + "/32";
    const std::string g = "192.0.2." + std::to_string(10 + i);
    StaticRoute r = Route(p.c_str(), {});
    r.next_hops.push_back(StaticNextHop{g, false, {}, {}});
    rc.routes.push_back(r);
  }
  Apply(rc);
  EXPECT_EQ(builder_.next_hops_in_use(), 63u);
  EXPECT_EQ(builder_.installed().size(), 6u + 60u - 1u);
  EXPECT_FALSE(builder_.installed().count(P("203.0.113.1/32")));
  EXPECT_EQ(builder_.left_out(), 1u);
  EXPECT_EQ(Lookup4("198.51.100.59").kind, fib::NextHopKind::kForward);
  EXPECT_EQ(Lookup4("203.0.113.1").kind, fib::NextHopKind::kGlean);  // the covering /24

  // Room again: the prefix left out is installed once slots are free.
  rc.routes.pop_back();
  Apply(rc);
  EXPECT_EQ(tables_.fib4.Lookup(A("198.51.100.59").v4()), fib::kNoNextHop);
  EXPECT_EQ(Lookup4("203.0.113.1").kind, fib::NextHopKind::kLocal);
  EXPECT_EQ(builder_.installed().size(), 6u + 59u);
  EXPECT_EQ(builder_.left_out(), 0u);
}

}  // namespace
}  // namespace sabina::routing
