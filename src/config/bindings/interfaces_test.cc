#include "config/bindings/interfaces.h"

#include <gtest/gtest.h>

#include "config/bindings/bindings_test_util.h"

namespace sabina::config {
namespace {

using testing::EffectiveOf;

TEST(InterfacesFeature, PublishesRecordsOnlyOnApply) {
  Published<InterfaceTable> out;
  InterfacesFeature f(out);
  auto eff = EffectiveOf(R"(interfaces {
    ge-0/0/1 {
        description uplink;
        vlan-tagging;
        mtu 9000;
        unit 100 {
            vlan-id 100;
            family inet {
                address 198.51.100.1/24 {
                    primary;
                }
                address 198.51.100.2/24;
            }
            family inet6 {
                address 2001:db8::1/64;
            }
        }
    }
    lo0 {
        disable;
        unit 0 {
            family inet {
                address 127.0.0.1/32;
            }
        }
    }
})");
  ASSERT_TRUE(f.Validate(*eff).ok());
  ASSERT_TRUE(f.Prepare(nullptr, *eff).ok());
  EXPECT_EQ(out.Get(), nullptr);
  f.Apply();
  auto t = out.Get();
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->interfaces.size(), 2u);
  const PhysicalInterface* ge = t->Find("ge-0/0/1");
  ASSERT_NE(ge, nullptr);
  EXPECT_EQ(ge->description, "uplink");
  EXPECT_TRUE(ge->vlan_tagging);
  EXPECT_EQ(ge->mtu, 9000u);
  ASSERT_EQ(ge->units.size(), 1u);
  const LogicalUnit& u = ge->units[0];
  EXPECT_EQ(u.unit, 100u);
  EXPECT_EQ(u.vlan_id, 100);
  ASSERT_EQ(u.inet.size(), 2u);
  EXPECT_EQ(u.inet[0].address, "198.51.100.1/24");
  EXPECT_EQ(u.inet[0].prefix_length, 24);
  EXPECT_TRUE(u.inet[0].primary);
  EXPECT_FALSE(u.inet[1].primary);
  ASSERT_EQ(u.inet6.size(), 1u);
  EXPECT_TRUE(u.inet6[0].v6);
  EXPECT_TRUE(t->Find("lo0")->disable);
  EXPECT_EQ(t->Find("xe-0/0/0"), nullptr);
}

TEST(InterfacesFeature, AbortKeepsThePublishedSnapshot) {
  Published<InterfaceTable> out;
  InterfacesFeature f(out);
  auto first = EffectiveOf("interfaces { ge-0/0/0 { unit 0; } }");
  ASSERT_TRUE(f.Prepare(nullptr, *first).ok());
  f.Apply();
  auto before = out.Get();
  auto second = EffectiveOf("interfaces { ge-0/0/9 { unit 0; } }");
  ASSERT_TRUE(f.Prepare(first.get(), *second).ok());
  f.Abort();
  EXPECT_EQ(out.Get(), before);
  EXPECT_NE(out.Get()->Find("ge-0/0/0"), nullptr);
}

TEST(InterfacesFeature, ReportsEveryErrorWithItsPath) {
  Published<InterfaceTable> out;
  InterfacesFeature f(out);
  auto eff = EffectiveOf(R"(interfaces {
    ge-0/0/0 {
        unit 1 {
            vlan-id 7;
            family inet {
                address 10.0.0.1/24;
                address 0.0.0.0/8;
            }
        }
        unit 2 {
            family inet {
                address 10.0.0.1/30;
            }
        }
    }
    ge-0/0/1 {
        unit 0 {
            family inet {
                address 10.0.0.1/24;
            }
        }
    }
})");
  Status st = f.Validate(*eff);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "[edit interfaces ge-0/0/0 unit 1]\n"
            "  'vlan-id 7'\n"
            "    VLAN-ID can only be specified on tagged ethernet interfaces\n"
            "[edit interfaces ge-0/0/0 unit 1 family inet]\n"
            "  'address 0.0.0.0/8'\n"
            "    Invalid address: 0.0.0.0/8\n"
            "[edit interfaces ge-0/0/0 unit 2 family inet]\n"
            "  'address 10.0.0.1/30'\n"
            "    duplicate address 10.0.0.1 on ge-0/0/0 (also on unit 1)");
}

TEST(InterfacesFeature, Inet6NeedsAnIpMtuOf1280) {
  Published<InterfaceTable> out;
  InterfacesFeature f(out);
  auto config = [](const char* mtu, const char* tagging) {
    return std::string("interfaces {\n    ge-0/0/0 {\n        ") + tagging + "mtu " + mtu +
           ";\n        unit 0 {\n            family inet6;\n        }\n    }\n}\n";
  };
  EXPECT_TRUE(f.Validate(*EffectiveOf(config("1294", ""))).ok());
  Status st = f.Validate(*EffectiveOf(config("1293", "")));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "[edit interfaces ge-0/0/0 unit 0 family]\n"
            "  'inet6'\n"
            "    family inet6 needs an IP MTU of at least 1280 (RFC 8200); interface MTU 1293 "
            "leaves 1279");
  // A tag takes 4 more bytes.
  EXPECT_FALSE(f.Validate(*EffectiveOf(config("1294", "vlan-tagging;\n        "))).ok());
  // IPv4 alone is fine at a small MTU.
  EXPECT_TRUE(f.Validate(*EffectiveOf("interfaces { ge-0/0/0 { mtu 576; unit 0 { family inet; } } }"))
                  .ok());
}

}  // namespace
}  // namespace sabina::config
