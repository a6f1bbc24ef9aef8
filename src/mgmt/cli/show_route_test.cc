#include "mgmt/cli/show_route.h"

#include <gtest/gtest.h>

#include "mgmt/cli/show_common.h"
#include "mgmt/cli/show_test_util.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {
namespace {

using K = NextHopView::Kind;

RouteView R(std::string prefix, std::string protocol, uint32_t pref, bool active,
            std::vector<NextHopView> nhs, int64_t age = 62) {
  RouteView r;
  r.prefix = std::move(prefix);
  r.protocol = std::move(protocol);
  r.preference = pref;
  r.active = active;
  r.age = age;
  r.next_hops = std::move(nhs);
  return r;
}

std::vector<RouteTableView> Tables() {
  RouteTableView v4{"inet.0", {}};
  // Listed out of order on purpose: the formatter sorts as Junos does.
  v4.routes.push_back(R("198.51.100.0/24", "Static", 5, true,
                        {{K::kGateway, "192.0.2.2", "ge-0/0/0.0", true, ""}}, 3 * 86400 + 5));
  v4.routes.push_back(
      R("192.0.2.1/32", "Local", 0, true, {{K::kLocal, "", "ge-0/0/0.0", false, ""}}));
  v4.routes.push_back(
      R("192.0.2.0/24", "Direct", 0, true, {{K::kInterface, "", "ge-0/0/0.0", true, ""}}));
  v4.routes.push_back(R("198.51.100.0/24", "Static", 7, false,
                        {{K::kGateway, "192.0.2.3", "ge-0/0/0.0", false, ""}}));
  v4.routes.push_back(
      R("203.0.113.0/24", "Static", 5, true, {{K::kDiscard, "", "", false, ""}}, 9 * 86400 + 3723));
  v4.routes.push_back(R("203.0.113.128/25", "Static", 5, true, {{K::kReject, "", "", false, ""}}));
  RouteView hidden =
      R("10.0.0.0/8", "Static", 5, false, {{K::kGateway, "10.9.9.9", "", false, ""}});
  hidden.hidden = true;
  v4.routes.push_back(hidden);
  RouteTableView v6{"inet6.0", {}};
  v6.routes.push_back(
      R("2001:db8::/64", "Direct", 0, true, {{K::kInterface, "", "ge-0/0/0.0", true, ""}}));
  v6.routes.push_back(R("2001:db8:eb18:ca45::1/128", "Static", 5, true,
                        {{K::kGateway, "2001:db8::2", "ge-0/0/0.0", true, ""},
                         {K::kGateway, "2001:db8::3", "ge-0/0/1.0", false, ""}}));
  return {v4, v6};
}

TEST(ShowRoute, All) {
  EXPECT_EQ(FormatRoutes(Tables(), {}),
            "\n"
            "inet.0: 6 destinations, 7 routes (5 active, 0 holddown, 1 hidden)\n"
            "+ = Active Route, - = Last Active, * = Both\n"
            "\n"
            "192.0.2.0/24       *[Direct/0] 00:01:02\n"
            "                    >  via ge-0/0/0.0\n"
            "192.0.2.1/32       *[Local/0] 00:01:02\n"
            "                       Local via ge-0/0/0.0\n"
            "198.51.100.0/24    *[Static/5] 3d 00:00:05\n"
            "                    >  to 192.0.2.2 via ge-0/0/0.0\n"
            "                    [Static/7] 00:01:02\n"
            "                       to 192.0.2.3 via ge-0/0/0.0\n"
            "203.0.113.0/24     *[Static/5] 1w2d 01:02:03\n"
            "                       Discard\n"
            "203.0.113.128/25   *[Static/5] 00:01:02\n"
            "                       Reject\n"
            "\n"
            "inet6.0: 2 destinations, 2 routes (2 active, 0 holddown, 0 hidden)\n"
            "+ = Active Route, - = Last Active, * = Both\n"
            "\n"
            "2001:db8::/64      *[Direct/0] 00:01:02\n"
            "                    >  via ge-0/0/0.0\n"
            "2001:db8:eb18:ca45::1/128\n"
            "                   *[Static/5] 00:01:02\n"
            "                    >  to 2001:db8::2 via ge-0/0/0.0\n"
            "                       to 2001:db8::3 via ge-0/0/1.0\n");
}

std::string Dests(const RouteQuery& q) {
  std::string out;
  std::string text = FormatRoutes(Tables(), q);
  for (std::string_view line : Lines(text)) {
    if (line.empty() || line[0] == ' ' || line[0] == '+') continue;
    if (line.find(" destinations, ") != std::string_view::npos) continue;
    out += std::string(line.substr(0, line.find(' '))) + " ";
  }
  return out;
}

TEST(ShowRoute, Selection) {
  RouteQuery q;
  q.prefix = "192.0.2.7";  // no /32: the longest match
  EXPECT_EQ(Dests(q), "192.0.2.0/24 ");
  q.prefix = "192.0.2.1";
  EXPECT_EQ(Dests(q), "192.0.2.1/32 ");
  q.prefix = "192.0.2.0/24";  // it and its more specifics
  EXPECT_EQ(Dests(q), "192.0.2.0/24 192.0.2.1/32 ");
  q.match = RouteMatch::kExact;
  EXPECT_EQ(Dests(q), "192.0.2.0/24 ");
  q.match = RouteMatch::kLonger;
  EXPECT_EQ(Dests(q), "192.0.2.1/32 ");
  q = {};
  q.protocol = "static";
  q.table = "inet.0";
  EXPECT_EQ(Dests(q), "198.51.100.0/24 203.0.113.0/24 203.0.113.128/25 ");
  q = {};
  q.prefix = "10.1.2.3";  // only a hidden route covers it: nothing, the header alone
  EXPECT_EQ(FormatRoutes(Tables(), q),
            "\ninet.0: 6 destinations, 7 routes (5 active, 0 holddown, 1 hidden)\n");
  q.prefix = "2001:db8::99";
  EXPECT_EQ(Dests(q), "2001:db8::/64 ");
}

TEST(ShowRoute, DetailShowsTheProtocolNextHopOfAResolvedRoute) {
  RouteTableView v4{"inet.0", {}};
  v4.routes.push_back(R("10.0.0.0/8", "Static", 5, true,
                        {{K::kGateway, "192.0.2.2", "ge-0/0/0.0", true, "198.51.100.99"}}));
  RouteQuery q;
  EXPECT_EQ(FormatRoutes({v4}, q),
            "\n"
            "inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n"
            "+ = Active Route, - = Last Active, * = Both\n"
            "\n"
            "10.0.0.0/8         *[Static/5] 00:01:02\n"
            "                    >  to 192.0.2.2 via ge-0/0/0.0\n");
  q.detail = RouteDetail::kDetail;
  EXPECT_EQ(FormatRoutes({v4}, q),
            "\n"
            "inet.0: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n"
            "10.0.0.0/8 (1 entry, 1 announced)\n"
            "        *Static Preference: 5\n"
            "                Next hop type: Router\n"
            "                Next hop: 192.0.2.2 via ge-0/0/0.0, selected\n"
            "                Protocol next hop: 198.51.100.99\n"
            "                State: <Active Int Ext>\n"
            "                Age: 00:01:02\n"
            "                Task: RT\n"
            "                AS path: I\n"
            "\n");
}

TEST(ShowRoute, DetailAndTerse) {
  RouteQuery q;
  q.prefix = "198.51.100.0/24";
  q.detail = RouteDetail::kDetail;
  EXPECT_EQ(FormatRoutes(Tables(), q),
            "\n"
            "inet.0: 6 destinations, 7 routes (5 active, 0 holddown, 1 hidden)\n"
            "198.51.100.0/24 (2 entries, 1 announced)\n"
            "        *Static Preference: 5\n"
            "                Next hop type: Router\n"
            "                Next hop: 192.0.2.2 via ge-0/0/0.0, selected\n"
            "                State: <Active Int Ext>\n"
            "                Age: 3d 00:00:05\n"
            "                Task: RT\n"
            "                AS path: I\n"
            "         Static Preference: 7\n"
            "                Next hop type: Router\n"
            "                Next hop: 192.0.2.3 via ge-0/0/0.0\n"
            "                State: <Int Ext>\n"
            "                Inactive reason: Route Preference\n"
            "                Age: 00:01:02\n"
            "                Task: RT\n"
            "                AS path: I\n"
            "\n");
  q.prefix = "192.0.2.0/24";
  q.detail = RouteDetail::kTerse;
  EXPECT_EQ(FormatRoutes(Tables(), q),
            "\n"
            "inet.0: 6 destinations, 7 routes (5 active, 0 holddown, 1 hidden)\n"
            "+ = Active Route, - = Last Active, * = Both\n"
            "\n"
            "A V Destination        P Prf   Metric 1   Metric 2  Next hop        AS path\n"
            "* ? 192.0.2.0/24       D   0                       >ge-0/0/0.0\n"
            "* ? 192.0.2.1/32       L   0                        Local\n");
}

// Junos' column layout in the captured `show route` outputs: header, legend and next-hop lines
// are the same bytes. (The capture re-indented its text, which moved the `*[` of the prefix
// lines left by a column or three; live Junos output puts it in column 19, as here.)
TEST(ShowRoute, LayoutAsInTheCorpus) {
  std::vector<std::string> c1 = CorpusLines("ShowRoute__cli__equal__golden_output_output");
  std::vector<std::string> c2 = CorpusLines("ShowRoute__cli__equal__golden_output_2_output");
  if (c1.empty() || c2.empty()) GTEST_SKIP() << "corpus not found";
  RouteTableView t{"inet.0", {}};
  t.routes.push_back(R("10.169.14.240/32", "Static", 5, true,
                       {{K::kGateway, "10.169.14.121", "ge-0/0/1.0", true, ""}},
                       5 * 7 * 86400 + 2 * 86400 + 15 * 3600 + 42 * 60 + 25));
  std::string text = FormatRoutes({t}, {});
  std::vector<std::string_view> mine = Lines(text);
  ASSERT_EQ(mine.size(), 6u);
  EXPECT_TRUE(Contains(c1, "+ = Active Route, - = Last Active, * = Both"));
  EXPECT_TRUE(Contains(c1, std::string(mine[2])));
  EXPECT_TRUE(Contains(c1, std::string(mine[5])));  // "                    >  to ..."
  EXPECT_EQ(std::string(mine[4]).substr(19), "*[Static/5] 5w2d 15:42:25");
  EXPECT_TRUE(Contains(c2, "                    >  to 2001:db8:eb18:6337::1 via ge-0/0/1.0"));
}

TEST(ShowRoute, Summary) {
  EXPECT_EQ(FormatRouteSummary(Tables(), "192.0.2.1"),
            "Router ID: 192.0.2.1\n"
            "\n"
            "inet.0: 6 destinations, 7 routes (5 active, 0 holddown, 1 hidden)\n"
            "              Direct:      1 routes,      1 active\n"
            "               Local:      1 routes,      1 active\n"
            "              Static:      4 routes,      3 active\n"
            "\n"
            "inet6.0: 2 destinations, 2 routes (2 active, 0 holddown, 0 hidden)\n"
            "              Direct:      1 routes,      1 active\n"
            "              Static:      1 routes,      1 active\n");
  // The per-protocol lines have the columns of the captured summary.
  std::vector<std::string> corpus = CorpusLines("show_route_summary");
  if (corpus.empty()) GTEST_SKIP() << "corpus not found";
  RouteTableView t{"inet.0", {}};
  for (int i = 0; i < 2; ++i)
    t.routes.push_back(R(Printf("10.0.%d.0/24", i), "Static", 5, true, {}));
  std::string summary = FormatRouteSummary({t}, "");
  std::vector<std::string_view> lines = Lines(summary);
  EXPECT_TRUE(Contains(corpus, std::string(lines.back())));
}

TEST(ShowRoute, ForwardingTable) {
  ForwardingTableView v4;
  v4.entries = {{"default", "perm", "", "rjct", 0, 1, ""},
                {"192.0.2.0/24", "intf", "", "rslv", 3, 1, "ge-0/0/0.0"},
                {"192.0.2.1/32", "intf", "192.0.2.1", "locl", 4, 1, ""},
                {"192.0.2.2/32", "dest", "02:00:00:00:00:02", "ucst", 5, 2, "ge-0/0/0.0"},
                {"198.51.100.0/24", "user", "", "ulst", 6, 1, ""},
                {"", "", "02:00:00:00:00:02", "ucst", 0, 0, "ge-0/0/0.0"},
                {"", "", "02:00:00:00:00:03", "ucst", 0, 0, "ge-0/0/1.0"}};
  ForwardingTableView v6;
  v6.v6 = true;
  v6.entries = {{"2001:db8:eb18:ca45::1/128", "user", "2001:db8::2", "ucst", 7, 1, "ge-0/0/0.0"}};
  EXPECT_EQ(FormatForwardingTable({v4, v6}, ""),
            "Routing table: default.inet\n"
            "Internet:\n"
            "Destination        Type RtRef Next hop           Type Index    NhRef Netif\n"
            "default            perm     0                    rjct        0     1\n"
            "192.0.2.0/24       intf     0                    rslv        3     1 ge-0/0/0.0\n"
            "192.0.2.1/32       intf     0 192.0.2.1          locl        4     1\n"
            "192.0.2.2/32       dest     0 02:00:00:00:00:02  ucst        5     2 ge-0/0/0.0\n"
            "198.51.100.0/24    user     0                    ulst        6     1\n"
            "                              02:00:00:00:00:02  ucst        0     0 ge-0/0/0.0\n"
            "                              02:00:00:00:00:03  ucst        0     0 ge-0/0/1.0\n"
            "\n"
            "Routing table: default.inet6\n"
            "Internet6:\n"
            "Destination        Type RtRef Next hop           Type Index    NhRef Netif\n"
            "2001:db8:eb18:ca45::1/128\n"
            "                   user     0 2001:db8::2        ucst        7     1 ge-0/0/0.0\n");
  std::string one = FormatForwardingTable({v4, v6}, "198.51.100.9");
  EXPECT_NE(one.find("198.51.100.0/24    user"), std::string::npos);
  EXPECT_NE(one.find("02:00:00:00:00:03"), std::string::npos);
  EXPECT_EQ(one.find("192.0.2.0/24"), std::string::npos);
  EXPECT_EQ(one.find("inet6"), std::string::npos);
  std::string def = FormatForwardingTable({v4}, "203.0.113.1");
  EXPECT_NE(def.find("default            perm"), std::string::npos);
}

TEST(ShowRoute, AgeAndPrefixHelpers) {
  EXPECT_EQ(FormatRouteAge(0), "00:00:00");
  EXPECT_EQ(FormatRouteAge(86399), "23:59:59");
  EXPECT_EQ(FormatRouteAge(86400), "1d 00:00:00");
  EXPECT_EQ(FormatRouteAge(7 * 86400 + 1), "1w0d 00:00:01");
  std::optional<PrefixText> p = PrefixText::Parse("192.0.2.77/26");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->Network().ToString(), "192.0.2.64/26");
  EXPECT_EQ(p->Broadcast().AddressString(), "192.0.2.127");
  EXPECT_FALSE(PrefixText::Parse("192.0.2.1/33"));
  EXPECT_FALSE(PrefixText::Parse("ge-0/0/0"));
  EXPECT_FALSE(PrefixText::Parse("192.0.2.1/"));
  EXPECT_FALSE(PrefixText::Parse("192.0.2.1")->has_length);
}

}  // namespace
}  // namespace sabina::mgmt::cli
