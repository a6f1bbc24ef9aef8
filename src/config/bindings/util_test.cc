#include "config/bindings/util.h"

#include <gtest/gtest.h>

namespace sabina::config::bindings {
namespace {

TEST(BindingsUtil, ParseIp) {
  auto v4 = ParseIp("192.0.2.1/24");
  ASSERT_TRUE(v4);
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(v4->length, 24);
  EXPECT_EQ(v4->CanonicalAddress(), "192.0.2.1");
  auto v6 = ParseIp("2001:DB8:0::1");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(v6->length, -1);
  EXPECT_EQ(v6->CanonicalAddress(), "2001:db8::1");
  EXPECT_FALSE(ParseIp("192.0.2.1/33"));
  EXPECT_FALSE(ParseIp("192.0.2.1/"));
  EXPECT_FALSE(ParseIp("192.0.2.256"));
  EXPECT_FALSE(ParseIp("::1/129"));
}

TEST(BindingsUtil, InterfaceNames) {
  EXPECT_TRUE(IsInterfaceName("ge-0/0/0.0"));
  EXPECT_TRUE(IsInterfaceName("lo0"));
  EXPECT_FALSE(IsInterfaceName("192.0.2.1"));
  EXPECT_FALSE(IsInterfaceName("fe80::1"));
  EXPECT_FALSE(IsInterfaceName("dead::beef"));
  EXPECT_FALSE(IsInterfaceName("0ge"));
  EXPECT_FALSE(IsInterfaceName(""));
}

TEST(BindingsUtil, ToUint) {
  EXPECT_EQ(ToUint("42"), 42u);
  EXPECT_FALSE(ToUint(""));
  EXPECT_FALSE(ToUint("4x"));
  EXPECT_FALSE(ToUint("-1"));
}

}  // namespace
}  // namespace sabina::config::bindings
