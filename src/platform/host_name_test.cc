#include "platform/host_name.h"

#include <gtest/gtest.h>

#include <set>

namespace sabina::platform {
namespace {

bool ValidLinuxName(const std::string& n) {
  return !n.empty() && n.size() <= kMaxIfNameLength && n != "." && n != ".." &&
         n.find_first_of("/: \t\n") == std::string::npos;
}

TEST(PlatformHostIfName, JunosUnitsMapSlashToDash) {
  EXPECT_EQ(HostIfName("ge-0/0/0.0"), "ge-0-0-0.0");
  EXPECT_EQ(HostIfName("xe-1/2/3.100"), "xe-1-2-3.100");
  EXPECT_EQ(HostIfName("lo0.0"), "lo0.0");
  EXPECT_EQ(HostIfName("ae0.4094"), "ae0.4094");
  EXPECT_EQ(HostIfName("xe-0/0/10.16384"), "xe-0-0-10.16384");  // exactly 15
}

TEST(PlatformHostIfName, ForbiddenBytesAreReplaced) {
  EXPECT_EQ(HostIfName("ge-0/0/0:1.0"), "ge-0-0-0_1.0");
  EXPECT_EQ(HostIfName("a b"), "a_b");
}

TEST(PlatformHostIfName, LongNamesAreShortenedDeterministically) {
  std::string a = HostIfName("ge-10/10/10.1000");
  std::string b = HostIfName("ge-10/10/10.1001");
  EXPECT_EQ(a.size(), kMaxIfNameLength);
  EXPECT_TRUE(ValidLinuxName(a)) << a;
  EXPECT_EQ(a.substr(0, 10), "ge-10-10--");
  EXPECT_NE(a, b);
  EXPECT_EQ(a, HostIfName("ge-10/10/10.1000"));
}

TEST(PlatformHostIfName, EveryResultIsAValidDeviceName) {
  std::set<std::string> seen;
  for (const char* in : {"", ".", "..", "/", "::::", "et-0/0/0:3.32767",
                         "very-long-interface-name/with/slashes.12345"}) {
    std::string n = HostIfName(in);
    EXPECT_TRUE(ValidLinuxName(n)) << "'" << in << "' -> '" << n << "'";
    EXPECT_TRUE(seen.insert(n).second) << n;
  }
  for (int fpc = 0; fpc < 20; ++fpc) {
    for (int port = 0; port < 48; ++port) {
      for (int unit : {0, 1, 100, 4094, 32767}) {
        std::string junos =
            "ge-" + std::to_string(fpc) + "/0/" + std::to_string(port) + "." + std::to_string(unit);
        std::string n = HostIfName(junos);
        EXPECT_TRUE(ValidLinuxName(n)) << n;
        EXPECT_TRUE(seen.insert(n).second) << junos << " collides as " << n;
      }
    }
  }
}

}  // namespace
}  // namespace sabina::platform
