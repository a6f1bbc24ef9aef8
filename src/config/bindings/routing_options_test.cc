#include "config/bindings/routing_options.h"

#include <gtest/gtest.h>

#include "config/bindings/bindings_test_util.h"

namespace sabina::config {
namespace {

using testing::EffectiveOf;

Status ValidateText(std::string_view text) {
  Published<RoutingConfig> out;
  RoutingOptionsFeature f(out);
  return f.Validate(*EffectiveOf(text));
}

TEST(RoutingOptionsFeature, NextHopsAreAddressesOfTheRouteFamilyOrInterfaces) {
  EXPECT_TRUE(ValidateText("routing-options { static { route 10.0.0.0/8 next-hop ge-0/0/0.0; } }")
                  .ok());
  EXPECT_TRUE(ValidateText("routing-options { rib inet6.0 { static { route 2001:db8::/32 "
                           "next-hop fe80::1; } } }")
                  .ok());
  Status v6_in_v4 = ValidateText(
      "routing-options { static { route 10.0.0.0/8 qualified-next-hop 2001:db8::1; } }");
  EXPECT_EQ(v6_in_v4.message(),
            "[edit routing-options static route 10.0.0.0/8]\n"
            "  'qualified-next-hop 2001:db8::1'\n"
            "    next-hop 2001:db8::1 is not an IPv4 address");
  Status v4_in_v6 = ValidateText(
      "routing-options { rib inet6.0 { static { route ::/0 next-hop 192.0.2.1; } } }");
  EXPECT_EQ(v4_in_v6.message(),
            "[edit routing-options rib inet6.0 static route ::/0]\n"
            "  'next-hop 192.0.2.1'\n"
            "    next-hop 192.0.2.1 is not an IPv6 address");
}

TEST(RoutingOptionsFeature, OnlyInetTablesAreSupported) {
  Status st = ValidateText(
      "routing-options { rib inet.3 { static { route 10.0.0.0/8 discard; } } }");
  EXPECT_EQ(st.message(),
            "[edit routing-options]\n"
            "  'rib inet.3'\n"
            "    routing table inet.3 is not supported");
}

TEST(RoutingOptionsFeature, PublishesRoutesInOrder) {
  Published<RoutingConfig> out;
  RoutingOptionsFeature f(out);
  auto eff = EffectiveOf(R"(routing-options {
    static {
        route 192.0.2.0/24 discard;
        route 198.51.100.0/24 {
            next-hop 192.0.2.1;
            metric 10;
            no-readvertise;
            resolve;
        }
    }
})");
  ASSERT_TRUE(f.Validate(*eff).ok());
  ASSERT_TRUE(f.Prepare(nullptr, *eff).ok());
  f.Apply();
  auto rc = out.Get();
  ASSERT_EQ(rc->routes.size(), 2u);
  EXPECT_EQ(rc->routes[0].action, StaticRoute::Action::kDiscard);
  EXPECT_TRUE(rc->routes[0].next_hops.empty());
  EXPECT_EQ(rc->routes[1].metric, 10u);
  EXPECT_TRUE(rc->routes[1].no_readvertise);
  EXPECT_FALSE(rc->routes[0].resolve);
  EXPECT_TRUE(rc->routes[1].resolve);
  EXPECT_EQ(rc->routes[1].table, "inet.0");
  EXPECT_FALSE(rc->router_id);
}

TEST(RoutingOptionsFeature, ExportedPolicyMustBeDefined) {
  Status st = ValidateText("routing-options { forwarding-table { export [ LB MISSING ]; } }\n"
                           "policy-options { policy-statement LB { then load-balance "
                           "per-packet; } }");
  EXPECT_EQ(st.message(),
            "[edit routing-options forwarding-table]\n"
            "  'export MISSING'\n"
            "    Policy error: Policy MISSING referenced but not defined");
}

TEST(RoutingOptionsFeature, PublishesExportedPolicies) {
  Published<RoutingConfig> out;
  RoutingOptionsFeature f(out);
  auto eff = EffectiveOf(R"(routing-options {
    forwarding-table {
        export [ TERMS LB ];
    }
}
policy-options {
    policy-statement LB {
        then load-balance per-packet;
    }
    policy-statement TERMS {
        term a {
            then {
                load-balance consistent-hash;
                accept;
            }
        }
        term b {
            then reject;
        }
    }
    policy-statement UNUSED {
        then accept;
    }
})");
  ASSERT_TRUE(f.Validate(*eff).ok());
  ASSERT_TRUE(f.Prepare(nullptr, *eff).ok());
  f.Apply();
  auto rc = out.Get();
  EXPECT_EQ(rc->forwarding_table_export, (std::vector<std::string>{"TERMS", "LB"}));
  ASSERT_EQ(rc->policies.size(), 2u);
  const PolicyStatement& terms = rc->policies[0];
  EXPECT_EQ(terms.name, "TERMS");
  ASSERT_EQ(terms.terms.size(), 2u);
  EXPECT_EQ(terms.terms[0].name, "a");
  EXPECT_EQ(terms.terms[0].then.load_balance, PolicyActions::LoadBalance::kConsistentHash);
  EXPECT_EQ(terms.terms[0].then.terminal, PolicyActions::Terminal::kAccept);
  EXPECT_EQ(terms.terms[1].then.terminal, PolicyActions::Terminal::kReject);
  EXPECT_EQ(terms.then, PolicyActions{});
  EXPECT_EQ(rc->policies[1].name, "LB");
  EXPECT_EQ(rc->policies[1].then.load_balance, PolicyActions::LoadBalance::kPerPacket);
  EXPECT_TRUE(rc->policies[1].terms.empty());
}

TEST(RoutingOptionsFeature, LoadBalancePolicyPrintsAsJunos) {
  const std::string text = R"(routing-options {
    forwarding-table {
        export LB;
    }
}
policy-options {
    policy-statement LB {
        term t {
            then {
                load-balance consistent-hash;
                accept;
            }
        }
        then {
            load-balance per-packet;
        }
    }
}
)";
  EXPECT_EQ(PrintCurly(*EffectiveOf(text)), text);
  EXPECT_EQ(PrintSet(*EffectiveOf(text)),
            "set routing-options forwarding-table export LB\n"
            "set policy-options policy-statement LB term t then load-balance consistent-hash\n"
            "set policy-options policy-statement LB term t then accept\n"
            "set policy-options policy-statement LB then load-balance per-packet\n");
}

TEST(RoutingOptionsFeature, PolicyFromClauseIsNotInTheSchema) {
  auto parsed = ParseCurly(testing::BuiltinSchema().root(),
                           "policy-options { policy-statement P { term t { from protocol "
                           "static; then accept; } } }",
                           "test");
  EXPECT_FALSE(parsed.ok());
}

}  // namespace
}  // namespace sabina::config
