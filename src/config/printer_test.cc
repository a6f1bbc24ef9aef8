#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "config/codec.h"
#include "config/printer_test_util.h"

namespace sabina::config {
namespace {

using testing::TestSchema;

class PrinterTest : public ::testing::Test {
 protected:
  TestSchema s;
  std::unique_ptr<Node> root = s.NewRoot();
};

TEST(QuoteIfNeeded, BareAndQuoted) {
  EXPECT_EQ(QuoteIfNeeded("RACECAR"), "RACECAR");
  EXPECT_EQ(QuoteIfNeeded("ge-0/0/0.0"), "ge-0/0/0.0");
  EXPECT_EQ(QuoteIfNeeded("<*>"), "<*>");
  EXPECT_EQ(QuoteIfNeeded("Logical tunnel interfaces"), "\"Logical tunnel interfaces\"");
  EXPECT_EQ(QuoteIfNeeded(""), "\"\"");
  EXPECT_EQ(QuoteIfNeeded("a;b"), "\"a;b\"");
  EXPECT_EQ(QuoteIfNeeded("a{b"), "\"a{b\"");
  EXPECT_EQ(QuoteIfNeeded("a}b"), "\"a}b\"");
  EXPECT_EQ(QuoteIfNeeded("<ge-1/2/[5-8]>"), "\"<ge-1/2/[5-8]>\"");
  EXPECT_EQ(QuoteIfNeeded("a#b"), "\"a#b\"");
  EXPECT_EQ(QuoteIfNeeded("it's"), "\"it's\"");
  EXPECT_EQ(QuoteIfNeeded("tab\there"), "\"tab\there\"");
  EXPECT_EQ(QuoteIfNeeded("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(QuoteIfNeeded("back\\slash"), "\"back\\\\slash\"");
  EXPECT_EQ(QuoteIfNeeded("a/*b"), "\"a/*b\"");
}

TEST_F(PrinterTest, LeavesContainersAndIndent) {
  root->Ensure(s.version, "17.3R2.10");
  Node* sys = root->Ensure(s.system);
  sys->Ensure(s.host_name, "r1");
  Node* ifs = root->Ensure(s.interfaces);
  Node* ge = ifs->Ensure(s.interface, "ge-0/0/0");
  ge->Ensure(s.if_description, "uplink to core");
  ge->Ensure(s.disable);
  Node* u = ge->Ensure(s.unit, "0");
  u->Ensure(s.family)->Ensure(s.inet)->Ensure(s.address, "192.0.2.1/24");
  EXPECT_EQ(PrintCurly(*root),
            "version 17.3R2.10;\n"
            "system {\n"
            "    host-name r1;\n"
            "}\n"
            "interfaces {\n"
            "    ge-0/0/0 {\n"
            "        description \"uplink to core\";\n"
            "        disable;\n"
            "        unit 0 {\n"
            "            family inet {\n"
            "                address 192.0.2.1/24;\n"
            "            }\n"
            "        }\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, EmptyContainersAndEntries) {
  Node* ge = root->Ensure(s.interfaces)->Ensure(s.interface, "fxp0");
  ge->Ensure(s.unit, "0");
  Node* ge1 = root->Ensure(s.interfaces)->Ensure(s.interface, "ge-0/0/1");
  ge1->Ensure(s.unit, "0")->Ensure(s.family)->Ensure(s.inet);
  EXPECT_EQ(PrintCurly(*root),
            "interfaces {\n"
            "    fxp0 {\n"
            "        unit 0;\n"
            "    }\n"
            "    ge-0/0/1 {\n"
            "        unit 0 {\n"
            "            family inet;\n"
            "        }\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, CollapsedContainers) {
  Node* u = root->Ensure(s.interfaces)->Ensure(s.interface, "ge-0/0/0")->Ensure(s.unit, "0");
  Node* fam = u->Ensure(s.family);
  fam->Ensure(s.inet6);
  Node* inet = fam->Ensure(s.inet);
  inet->Ensure(s.address, "192.0.2.1/24");
  inet->inactive = true;
  EXPECT_EQ(PrintCurly(*u),
            "inactive: family inet {\n"
            "    address 192.0.2.1/24;\n"
            "}\n"
            "family inet6;\n");
  EXPECT_EQ(PrintSet(*u),
            "set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24\n"
            "deactivate interfaces ge-0/0/0 unit 0 family inet\n"
            "set interfaces ge-0/0/0 unit 0 family inet6\n");
  // Metadata on the container itself needs the container shown.
  fam->annotation = "both";
  EXPECT_EQ(PrintCurly(*u),
            "/* both */\n"
            "family {\n"
            "    inactive: inet {\n"
            "        address 192.0.2.1/24;\n"
            "    }\n"
            "    inet6;\n"
            "}\n");
}

TEST_F(PrinterTest, SchemaOrderNotInsertionOrder) {
  Node* ifs = root->Ensure(s.interfaces);
  ifs->Ensure(s.interface, "lo0");
  Node* sys = root->Ensure(s.system);
  sys->Ensure(s.host_name, "r1");
  root->Ensure(s.version, "1");
  Node* ge = ifs->Ensure(s.interface, "ge-0/0/0");
  ge->Ensure(s.mtu, "9000");
  ge->Ensure(s.disable);
  ge->Ensure(s.if_description, "x");
  EXPECT_EQ(PrintCurly(*root),
            "version 1;\n"
            "system {\n"
            "    host-name r1;\n"
            "}\n"
            "interfaces {\n"
            "    ge-0/0/0 {\n"
            "        description x;\n"
            "        disable;\n"
            "        mtu 9000;\n"
            "    }\n"
            "    lo0;\n"
            "}\n");
}

TEST_F(PrinterTest, SystemOrderedListsSortNaturally) {
  Node* ifs = root->Ensure(s.interfaces);
  for (const char* n : {"ge-0/0/10", "ge-0/0/2", "ge-0/0/1", "fxp0"}) ifs->Ensure(s.interface, n);
  Node* st = root->Ensure(s.routing_options)->Ensure(s.static_);
  st->Ensure(s.route, "10.0.0.0/8")->Ensure(s.next_hop, "192.0.2.1");
  st->Ensure(s.route, "9.0.0.0/8")->Ensure(s.next_hop, "192.0.2.2");
  EXPECT_EQ(PrintCurly(*root),
            "interfaces {\n"
            "    fxp0;\n"
            "    ge-0/0/1;\n"
            "    ge-0/0/2;\n"
            "    ge-0/0/10;\n"
            "}\n"
            "routing-options {\n"
            "    static {\n"
            "        route 9.0.0.0/8 next-hop 192.0.2.2;\n"
            "        route 10.0.0.0/8 next-hop 192.0.2.1;\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, UserOrderedListsKeepStoredOrder) {
  Node* f = root->Ensure(s.firewall)->Ensure(s.filter, "F");
  for (const char* t : {"t3", "t1", "t2"}) f->Ensure(s.term, t)->Ensure(s.then)->Ensure(s.accept);
  EXPECT_EQ(PrintCurly(*root),
            "firewall {\n"
            "    filter F {\n"
            "        term t3 {\n"
            "            then {\n"
            "                accept;\n"
            "            }\n"
            "        }\n"
            "        term t1 {\n"
            "            then {\n"
            "                accept;\n"
            "            }\n"
            "        }\n"
            "        term t2 {\n"
            "            then {\n"
            "                accept;\n"
            "            }\n"
            "        }\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, LeafListsOneAndMany) {
  Node* sys = root->Ensure(s.system);
  sys->Ensure(s.domain_search, "b.example");
  root->Ensure(s.apply_groups, "g2");
  root->Ensure(s.apply_groups, "g1");
  EXPECT_EQ(PrintCurly(*root),
            "system {\n"
            "    domain-search b.example;\n"
            "}\n"
            "apply-groups [ g2 g1 ];\n");
}

TEST_F(PrinterTest, BlockLists) {
  Node* sys = root->Ensure(s.system);
  sys->Ensure(s.name_server, "192.0.2.53");
  sys->Ensure(s.name_server, "192.0.2.54");
  EXPECT_EQ(PrintCurly(*root),
            "system {\n"
            "    name-server {\n"
            "        192.0.2.53;\n"
            "        192.0.2.54;\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(PrintSet(*root),
            "set system name-server 192.0.2.53\n"
            "set system name-server 192.0.2.54\n");
}

TEST_F(PrinterTest, OneLiners) {
  Node* st = root->Ensure(s.routing_options)->Ensure(s.static_);
  st->Ensure(s.route, "0.0.0.0/0")->Ensure(s.next_hop, "192.0.2.1");
  Node* r2 = st->Ensure(s.route, "10.0.0.0/8");
  r2->Ensure(s.next_hop, "192.0.2.1");
  r2->Ensure(s.next_hop, "192.0.2.2");
  Node* r3 = st->Ensure(s.route, "10.1.0.0/16");
  r3->Ensure(s.next_hop, "192.0.2.1");
  r3->Ensure(s.preference, "5");
  Node* f = root->Ensure(s.system)->Ensure(s.syslog)->Ensure(s.file, "messages");
  f->Ensure(s.contents, "any")->Ensure(s.any_notice);
  EXPECT_EQ(PrintCurly(*root),
            "system {\n"
            "    syslog {\n"
            "        file messages {\n"
            "            any notice;\n"
            "        }\n"
            "    }\n"
            "}\n"
            "routing-options {\n"
            "    static {\n"
            "        route 0.0.0.0/0 next-hop 192.0.2.1;\n"
            "        route 10.0.0.0/8 next-hop [ 192.0.2.1 192.0.2.2 ];\n"
            "        route 10.1.0.0/16 {\n"
            "            next-hop 192.0.2.1;\n"
            "            preference 5;\n"
            "        }\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, InactiveProtectAnnotation) {
  Node* sys = root->Ensure(s.system);
  Node* hn = sys->Ensure(s.host_name, "r1");
  hn->inactive = true;
  hn->annotation = "the name";
  sys->protect = true;
  Node* ifs = root->Ensure(s.interfaces);
  Node* ge = ifs->Ensure(s.interface, "ge-0/0/0");
  ge->inactive = true;
  ge->protect = true;
  ge->annotation = "line one\nline two";
  ge->Ensure(s.unit, "0");
  EXPECT_EQ(PrintCurly(*root),
            "protect: system {\n"
            "    /* the name */\n"
            "    inactive: host-name r1;\n"
            "}\n"
            "interfaces {\n"
            "    /* line one\n"
            "line two */\n"
            "    protect: inactive: ge-0/0/0 {\n"
            "        unit 0;\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(PrintSet(*root),
            "set system host-name r1\n"
            "deactivate system host-name\n"
            "protect system\n"
            "set interfaces ge-0/0/0 unit 0\n"
            "deactivate interfaces ge-0/0/0\n"
            "protect interfaces ge-0/0/0\n");
}

TEST_F(PrinterTest, AnnotationsAreNeverQuoted) {
  Node* hn = root->Ensure(s.system)->Ensure(s.host_name, "r1");
  hn->annotation = "has \"quotes\"; and {braces}";
  EXPECT_EQ(PrintCurly(*root),
            "system {\n"
            "    /* has \"quotes\"; and {braces} */\n"
            "    host-name r1;\n"
            "}\n");
}

TEST_F(PrinterTest, Secrets) {
  root->Ensure(s.system)->Ensure(s.root_auth)->Ensure(s.password, "$6$abc.def/");
  EXPECT_EQ(PrintCurly(*root),
            "system {\n"
            "    root-authentication {\n"
            "        encrypted-password \"$6$abc.def/\"; ## SECRET-DATA\n"
            "    }\n"
            "}\n");
  PrintOptions no_marker;
  no_marker.show_secret_marker = false;
  EXPECT_EQ(PrintCurly(*root, no_marker),
            "system {\n"
            "    root-authentication {\n"
            "        encrypted-password \"$6$abc.def/\";\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(PrintSet(*root), "set system root-authentication encrypted-password \"$6$abc.def/\"\n");
}

TEST_F(PrinterTest, QuotingInCurlyAndSet) {
  Node* ge = root->Ensure(s.interfaces)->Ensure(s.interface, "<ge-1/2/[5-8]>");
  ge->Ensure(s.if_description, "say \"hi\"");
  EXPECT_EQ(PrintCurly(*root),
            "interfaces {\n"
            "    \"<ge-1/2/[5-8]>\" {\n"
            "        description \"say \\\"hi\\\"\";\n"
            "    }\n"
            "}\n");
  EXPECT_EQ(PrintSet(*root),
            "set interfaces \"<ge-1/2/[5-8]>\" description \"say \\\"hi\\\"\"\n");
}

TEST_F(PrinterTest, DisplayInheritance) {
  Node* sys = root->Ensure(s.system);
  Node* hn = sys->Ensure(s.host_name, "r1");
  sys->Ensure(s.domain_search, "a.example");
  Node* d2 = sys->Ensure(s.domain_search, "b.example");
  Node* ns = sys->Ensure(s.name_server, "10.0.0.100");
  std::unordered_map<const Node*, std::string> from = {
      {hn, "base"}, {d2, "dns"}, {ns, "dns"}};
  PrintOptions opts;
  opts.inherited_from = &from;
  EXPECT_EQ(PrintCurly(*root, opts),
            "system {\n"
            "    ##\n"
            "    ## 'r1' was inherited from group 'base'\n"
            "    ##\n"
            "    host-name r1;\n"
            "    ##\n"
            "    ## 'b.example' was inherited from group 'dns'\n"
            "    ##\n"
            "    domain-search [ a.example b.example ];\n"
            "    name-server {\n"
            "        ##\n"
            "        ## '10.0.0.100' was inherited from group 'dns'\n"
            "        ##\n"
            "        10.0.0.100;\n"
            "    }\n"
            "}\n");
}

TEST_F(PrinterTest, SetOutput) {
  root->Ensure(s.version, "1");
  Node* ge = root->Ensure(s.interfaces)->Ensure(s.interface, "ge-0/0/0");
  ge->Ensure(s.if_description, "two words");
  ge->Ensure(s.disable);
  ge->Ensure(s.unit, "0")->Ensure(s.family)->Ensure(s.inet);
  Node* r = root->Ensure(s.routing_options)->Ensure(s.static_)->Ensure(s.route, "0.0.0.0/0");
  r->Ensure(s.next_hop, "192.0.2.1");
  r->Ensure(s.next_hop, "192.0.2.2");
  r->inactive = true;
  root->Ensure(s.apply_groups, "g1");
  EXPECT_EQ(PrintSet(*root),
            "set version 1\n"
            "set interfaces ge-0/0/0 description \"two words\"\n"
            "set interfaces ge-0/0/0 disable\n"
            "set interfaces ge-0/0/0 unit 0 family inet\n"
            "set routing-options static route 0.0.0.0/0 next-hop 192.0.2.1\n"
            "set routing-options static route 0.0.0.0/0 next-hop 192.0.2.2\n"
            "deactivate routing-options static route 0.0.0.0/0\n"
            "set apply-groups g1\n");
  // Paths start at the node printed.
  EXPECT_EQ(PrintSet(*ge),
            "set interfaces ge-0/0/0 description \"two words\"\n"
            "set interfaces ge-0/0/0 disable\n"
            "set interfaces ge-0/0/0 unit 0 family inet\n");
}

TEST_F(PrinterTest, PrintsSubtreeRelative) {
  Node* ge = root->Ensure(s.interfaces)->Ensure(s.interface, "ge-0/0/0");
  ge->Ensure(s.unit, "0")->Ensure(s.unit_description, "u");
  EXPECT_EQ(PrintCurly(*ge),
            "unit 0 {\n"
            "    description u;\n"
            "}\n");
}

TEST_F(PrinterTest, GroupsUseRootContent) {
  Node* g = root->Ensure(s.groups)->Ensure(s.group, "g1");
  g->Ensure(s.interfaces)->Ensure(s.interface, "<ge-*>")->Ensure(s.mtu, "9000");
  g->Ensure(s.system)->Ensure(s.host_name, "x");
  EXPECT_EQ(PrintCurly(*root),
            "groups {\n"
            "    g1 {\n"
            "        system {\n"
            "            host-name x;\n"
            "        }\n"
            "        interfaces {\n"
            "            <ge-*> {\n"
            "                mtu 9000;\n"
            "            }\n"
            "        }\n"
            "    }\n"
            "}\n");
}

// The printer sorts with a fast path of NaturalLess; the order must be NaturalLess's order.
TEST_F(PrinterTest, SortOrderMatchesNaturalLess) {
  std::mt19937 rng(7);
  const std::string alphabet = "00119a/.-";
  for (int round = 0; round < 50; ++round) {
    auto r = s.NewRoot();
    Node* ifs = r->Ensure(s.interfaces);
    for (int i = 0; i < 40; ++i) {
      std::string key;
      int len = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < len; ++k) key += alphabet[rng() % alphabet.size()];
      ifs->Ensure(s.interface, key);
    }
    std::string text = PrintCurly(*r);
    std::vector<std::string> keys;
    size_t pos = 0;
    while ((pos = text.find("\n    ", pos)) != std::string::npos) {
      pos += 5;
      size_t e = text.find(';', pos);
      keys.push_back(text.substr(pos, e - pos));
    }
    ASSERT_EQ(keys.size(), ifs->children().size());
    for (size_t i = 1; i < keys.size(); ++i) {
      EXPECT_FALSE(NaturalLess(keys[i], keys[i - 1])) << keys[i - 1] << " before " << keys[i];
    }
  }
}

// Builds a configuration of about `lines` curly lines: interfaces with units and addresses,
// and static routes.
std::unique_ptr<Node> BigTree(const TestSchema& s, int lines) {
  auto root = s.NewRoot();
  Node* ifs = root->Ensure(s.interfaces);
  Node* st = root->Ensure(s.routing_options)->Ensure(s.static_);
  int n = 0;
  for (int i = 0; n < lines / 2; ++i) {
    Node* ge = ifs->Ensure(s.interface, "ge-0/" + std::to_string(i / 48) + "/" +
                                             std::to_string(i % 48));
    ge->Ensure(s.if_description, "port " + std::to_string(i));
    for (int u = 0; u < 4; ++u) {
      Node* un = ge->Ensure(s.unit, std::to_string(u));
      un->Ensure(s.family)->Ensure(s.inet)->Ensure(
          s.address, "10." + std::to_string(i % 250) + "." + std::to_string(u) + ".1/24");
      n += 5;
    }
    n += 3;
  }
  for (int i = 0; n < lines; ++i, ++n) {
    st->Ensure(s.route, std::to_string(i / 65536 + 11) + "." + std::to_string((i / 256) % 256) +
                            "." + std::to_string(i % 256) + ".0/24")
        ->Ensure(s.next_hop, "192.0.2." + std::to_string(i % 200 + 1));
  }
  return root;
}

TEST(PrinterSpeed, HundredThousandLines) {
  TestSchema s;
  auto root = BigTree(s, 100000);
  std::string text, set;
  double curly_ms = testing::FastestMs(2, [&] { text = PrintCurly(*root); });
  double set_ms = testing::FastestMs(1, [&] { set = PrintSet(*root); });
  size_t lines = std::count(text.begin(), text.end(), '\n');
  std::printf("PrintCurly: %zu lines in %.1f ms; PrintSet: %zu lines in %.1f ms\n", lines,
              curly_ms, static_cast<size_t>(std::count(set.begin(), set.end(), '\n')), set_ms);
  EXPECT_GE(lines, 99000u);
  // Printing must cost about as much as checking the tree for equality with itself, which
  // visits each node once; a quadratic walk would be thousands of times slower.
  double equals_ms = testing::FastestMs(3, [&] { EXPECT_TRUE(root->Equals(*root)); });
  std::printf("Equals: %.1f ms\n", equals_ms);
  EXPECT_LT(curly_ms, 50 * equals_ms);
}

}  // namespace
}  // namespace sabina::config
