#include "mgmt/cli/show_neighbors.h"

#include <gtest/gtest.h>

#include "mgmt/cli/show_test_util.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {
namespace {

TEST(ShowArp, LinesAsInTheCorpus) {
  std::vector<ArpEntryView> entries = {
      {"50:3d:e5:ff:2f:06", "10.19.198.26", "ge-0/0/2.0", "none"},
      {"00:50:56:ff:92:04", "10.55.0.1", "ge-0/0/3.0", "none"},
  };
  EXPECT_EQ(FormatArp(entries, false),
            "MAC Address       Address         Name                      Interface"
            "               Flags\n"
            "50:3d:e5:ff:2f:06 10.19.198.26    10.19.198.26              ge-0/0/2.0"
            "              none\n"
            "00:50:56:ff:92:04 10.55.0.1       10.55.0.1                 ge-0/0/3.0"
            "              none\n"
            "Total entries: 2\n");
  std::vector<std::string> corpus = CorpusLines("ShowArp__cli");
  if (corpus.empty()) GTEST_SKIP() << "corpus not found";
  std::string text = FormatArp(entries, false);
  std::vector<std::string_view> lines = Lines(text);
  lines.pop_back();  // "Total entries: 2" (the capture has 7)
  for (std::string_view line : lines) {
    EXPECT_TRUE(Contains(corpus, std::string(line))) << line;
  }
}

TEST(ShowArp, NoResolveAndEmpty) {
  EXPECT_EQ(FormatArp({{"02:00:00:00:00:02", "192.0.2.2", "ge-0/0/0.0", "none"}}, true),
            "MAC Address       Address         Interface               Flags\n"
            "02:00:00:00:00:02 192.0.2.2       ge-0/0/0.0              none\n"
            "Total entries: 1\n");
  EXPECT_EQ(FormatArp({}, false),
            "MAC Address       Address         Name                      Interface"
            "               Flags\n"
            "Total entries: 0\n");
}

TEST(ShowIpv6Neighbors, JunosColumns) {
  std::vector<Ipv6NeighborView> entries = {
      {"fe80::205:86ff:fe71:2103", "02:05:86:71:21:03", "stale", 410, true, "xe-0/0/1.0"},
      {"2001:db8:1234:5678:9abc:def0:1234:5678", "02:00:00:00:00:02", "reachable", 17, false,
       "ge-0/0/0.0"},
      {"2001:db8:1234:5678:9abc:def0:1234:5678:ab", "02:00:00:00:00:03", "probe", 0, false,
       "ge-0/0/0.0"},
  };
  // Header and first row are byte for byte those of a live Junos `show ipv6 neighbors`
  // (the data rows start one column right of the header's, as on Junos); a 41+ character
  // address gets a line of its own.
  EXPECT_EQ(FormatIpv6Neighbors(entries),
            "IPv6 Address                            Linklayer Address  State       Exp   Rtr  "
            "Secure  Interface\n"
            "fe80::205:86ff:fe71:2103                 02:05:86:71:21:03  stale       410   yes  "
            "no      xe-0/0/1.0\n"
            "2001:db8:1234:5678:9abc:def0:1234:5678   02:00:00:00:00:02  reachable   17    no   "
            "no      ge-0/0/0.0\n"
            "2001:db8:1234:5678:9abc:def0:1234:5678:ab\n"
            "                                         02:00:00:00:00:03  probe       0     no   "
            "no      ge-0/0/0.0\n"
            "Total entries: 3\n");
}

}  // namespace
}  // namespace sabina::mgmt::cli
