#include "config/bindings/system.h"

#include <gtest/gtest.h>

#include "config/bindings/bindings_test_util.h"
#include "config/bindings/syslog.h"

namespace sabina::config {
namespace {

using testing::EffectiveOf;

TEST(SystemFeature, IdentityAndTimeZone) {
  Published<SystemIdentity> out;
  // A zoneinfo directory of our own, so the test does not depend on the host's tzdata.
  std::string zones = ::testing::TempDir() + "sabina-zoneinfo";
  ASSERT_EQ(::system(("mkdir -p " + zones + "/Europe && touch " + zones + "/Europe/Rome").c_str()),
            0);
  SystemFeature f(out, zones);
  auto good = EffectiveOf("system { host-name r1; domain-name example.org; time-zone Europe/Rome; }");
  ASSERT_TRUE(f.Validate(*good).ok());
  ASSERT_TRUE(f.Prepare(nullptr, *good).ok());
  f.Apply();
  EXPECT_EQ(out.Get()->host_name, "r1");
  EXPECT_EQ(out.Get()->domain_name, "example.org");
  EXPECT_EQ(out.Get()->time_zone, "Europe/Rome");
  for (const char* bad : {"Europe/Paris", "../../etc/passwd", "Europe/../Europe/Rome"}) {
    auto eff = EffectiveOf(std::string("system { time-zone \"") + bad + "\"; }");
    Status st = f.Validate(*eff);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.message().find("Invalid time zone: "), std::string::npos);
  }
  EXPECT_TRUE(f.Validate(*EffectiveOf("system { time-zone UTC; }")).ok());
  // No system statement at all: empty identity.
  auto empty = EffectiveOf("");
  ASSERT_TRUE(f.Prepare(nullptr, *empty).ok());
  f.Apply();
  EXPECT_EQ(out.Get()->host_name, "");
}

TEST(SyslogFeature, MapsSeveritiesAndFacilities) {
  EXPECT_EQ(SyslogLevel("emergency"), 0);
  EXPECT_EQ(SyslogLevel("warning"), 4);
  EXPECT_EQ(SyslogLevel("any"), 7);
  EXPECT_EQ(SyslogLevel("none"), -1);
  EXPECT_EQ(SyslogFacility("kernel"), 0);
  EXPECT_EQ(SyslogFacility("daemon"), 3);
  EXPECT_EQ(SyslogFacility("any"), -1);
  EXPECT_EQ(SyslogFacility("interactive-commands"), -1);
}

TEST(SyslogFeature, RejectsBadHosts) {
  Published<SyslogConfig> out;
  SyslogFeature f(out, ::testing::TempDir() + "sabina-syslog-state");
  EXPECT_TRUE(f.Validate(*EffectiveOf("system { syslog { host loghost.example.net { any any; } } }"))
                  .ok());
  Status st = f.Validate(*EffectiveOf("system { syslog { host \"bad host!\" { any any; } } }"));
  EXPECT_EQ(st.message(),
            "[edit system syslog]\n"
            "  'host bad host!'\n"
            "    Invalid host name or address: bad host!");
}

}  // namespace
}  // namespace sabina::config
