#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "config/codec.h"
#include "config/parser_test_schema.h"
#include "config/schema.h"

namespace sabina::config {
namespace {

using ptest::Dump;

class ParseTest : public ::testing::Test {
 protected:
  std::string Parse(std::string_view text) {
    auto r = ParseCurly(*s.root, text, "juniper.conf");
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return "ERROR: " + r.status().message();
    return Dump(**r);
  }
  std::string Error(std::string_view text) {
    auto r = ParseCurly(*s.root, text, "juniper.conf");
    EXPECT_FALSE(r.ok()) << Dump(**r);
    return r.ok() ? "" : r.status().message();
  }
  ptest::PSchema s;
  std::string e_;
};

TEST_F(ParseTest, LeavesContainersAndComments) {
  EXPECT_EQ(Parse("# -*- junos -*-\n"
                  "## Last changed: 2019-09-18 09:08:48 UTC\n"
                  "version 17.3R2.10;\n"
                  "system {\n"
                  "    # Password is .Linux.\n"
                  "    host-name r1;   ## Warning: 'x' is deprecated\n"
                  "    domain-name \"example.com\"; ## SECRET-DATA\n"
                  "}\n"),
            "version 17.3R2.10\n"
            "system\n"
            "  host-name r1\n"
            "  domain-name example.com\n");
}

TEST_F(ParseTest, CrlfMissingSemicolonEmptyStatements) {
  EXPECT_EQ(Parse("system {\r\n  host-name r1\r\n}\r\n;;\r\ninterfaces { ge-0/0/0 { mtu 1500 } }"),
            "system\n  host-name r1\ninterfaces\n  ge-0/0/0\n    mtu 1500\n");
}

TEST_F(ParseTest, QuotedStringsAndEscapes) {
  EXPECT_EQ(
      Parse(R"(interfaces { ge-0/0/0 { description "a \"b\" c\\d {x}; # not a comment"; } })"),
      "interfaces\n  ge-0/0/0\n    description a \"b\" c\\d {x}; # not a comment\n");
  // A quoted word is never a keyword: here it is an interface name.
  EXPECT_EQ(Parse("interfaces { \"mtu\" { mtu 9000; } }"), "interfaces\n  mtu\n    mtu 9000\n");
  EXPECT_EQ(Parse("interfaces { ge-0/0/0 { description \"\xe2\x86\x92 spine1\"; } }"),
            "interfaces\n  ge-0/0/0\n    description \xe2\x86\x92 spine1\n");
}

TEST_F(ParseTest, PromptNoiseIgnored) {
  EXPECT_EQ(Parse("{master:0}\n[edit]\nuser@host# show\nsystem { host-name r1; }\n"
                  "{primary:node0}\n[edit interfaces]\n"),
            "system\n  host-name r1\n");
}

TEST_F(ParseTest, Annotations) {
  EXPECT_EQ(Parse("/* top of system */\n"
                  "system {\n"
                  "    /* multi\n       line */\n"
                  "    host-name r1;\n"
                  "    /* dangling before brace */\n"
                  "}\n"
                  "/* before semicolon */ ;\n"
                  "/* glued */interfaces { ge-0/0/0; }\n"),
            "system /*top of system*/\n"
            "  host-name r1 /*multi\n       line*/\n"
            "interfaces /*glued*/\n"
            "  ge-0/0/0\n");
}

TEST_F(ParseTest, TagsStackOnTheirOwnLines) {
  EXPECT_EQ(Parse("replace:\n"
                  "/* note */\n"
                  "inactive:\n"
                  "system {\n"
                  "    protect: host-name r1;\n"
                  "    delete:\n"
                  "    domain-name;\n"
                  "    active: name-server 192.0.2.1;\n"
                  "    delete: name-server;\n"
                  "    unprotect: domain-search x;\n"
                  "}\n"),
            "system [inactive] [op=replace] /*note*/\n"
            "  host-name r1 [protect]\n"
            "  domain-name  [op=delete]\n"
            "  name-server 192.0.2.1 [op=active]\n"
            "  name-server  [op=delete]\n"
            "  domain-search x\n");
}

TEST_F(ParseTest, TagWithoutStatementIsAnError) {
  EXPECT_EQ(Error("system { inactive: }"), "juniper.conf:1:20: syntax error: missing statement");
}

TEST_F(ParseTest, ListStyles) {
  EXPECT_EQ(Parse("interfaces {\n"
                  "    ge-0/0/0 {\n"
                  "        unit 0 { family inet { address 192.0.2.1/24; } }\n"
                  "        unit 1;\n"
                  "    }\n"
                  "}\n"
                  "system {\n"
                  "    name-server { 192.0.2.1; 192.0.2.2; }\n"
                  "    name-server 192.0.2.3;\n"
                  "}\n"),
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 0\n"
            "      family\n"
            "        inet\n"
            "          address 192.0.2.1/24\n"
            "    unit 1\n"
            "system\n"
            "  name-server 192.0.2.1\n"
            "  name-server 192.0.2.2\n"
            "  name-server 192.0.2.3\n");
}

TEST_F(ParseTest, LeafListForms) {
  std::string want =
      "system\n  domain-search a.example\n  domain-search b.example\n  domain-search c.example\n";
  EXPECT_EQ(Parse("system { domain-search [ a.example b.example c.example ]; }"), want);
  EXPECT_EQ(Parse("system { domain-search a.example; domain-search b.example; "
                  "domain-search c.example; }"),
            want);
  EXPECT_EQ(Parse("system { domain-search { a.example; b.example; c.example } }"), want);
  EXPECT_EQ(Parse("system { domain-search [a.example b.example]; domain-search c.example; }"),
            want);
  // Block lists accept `[ ]` too.
  EXPECT_EQ(Parse("system { name-server [ 192.0.2.1 192.0.2.2 ]; }"),
            "system\n  name-server 192.0.2.1\n  name-server 192.0.2.2\n");
}

TEST_F(ParseTest, CollapsedPathsFlagsPresenceAndMerging) {
  EXPECT_EQ(Parse("routing-options { static route 0.0.0.0/0 next-hop 192.0.2.1; }\n"
                  "interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24;\n"
                  "interfaces ge-0/0/1 unit 0 family inet;\n"
                  "interfaces ge-0/0/1 disable;\n"
                  "system { syslog { file messages { any notice; } } }\n"
                  "system { host-name r1; }\n"
                  "system { host-name r2; }\n"),
            "routing-options\n"
            "  static\n"
            "    route 0.0.0.0/0\n"
            "      next-hop 192.0.2.1\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 0\n"
            "      family\n"
            "        inet\n"
            "          address 192.0.2.1/24\n"
            "  ge-0/0/1\n"
            "    unit 0\n"
            "      family\n"
            "        inet\n"
            "    disable\n"
            "system\n"
            "  syslog\n"
            "    file messages\n"
            "      any\n"
            "        notice\n"
            "  host-name r2\n");
}

TEST_F(ParseTest, KeywordsWinOverFlatKeys) {
  // `apply-groups` inside an interface list level is the keyword, not an interface name.
  EXPECT_EQ(Parse("interfaces { apply-groups g1; ge-0/0/0; }"),
            "interfaces\n  apply-groups g1\n  ge-0/0/0\n");
  EXPECT_EQ((*ParseCurly(*s.root, "interfaces { apply-groups g1; }", "t"))
                ->Find(s.interfaces)
                ->Find(s.interfaces->Child("apply-groups"), "g1")
                ->schema(),
            s.interfaces->Child("apply-groups"));
  auto r = ParseCurly(*s.root, "interfaces { ge-0/0/0 { disable; } }", "t");
  ASSERT_TRUE(r.ok());
  Node* ifs = (*r)->Find(s.interfaces);
  ASSERT_NE(ifs, nullptr);
  Node* ge = ifs->Find(s.interface, "ge-0/0/0");
  ASSERT_NE(ge, nullptr);
  EXPECT_NE(ge->Find(s.disable), nullptr);
}

TEST_F(ParseTest, ChoiceMembersReplaceEachOther) {
  EXPECT_EQ(Parse("routing-options static route 10.0.0.0/8 { next-hop 192.0.2.1; discard; }"),
            "routing-options\n  static\n    route 10.0.0.0/8\n      discard\n");
  EXPECT_EQ(Parse("system syslog file f { any any; any notice; }"),
            "system\n  syslog\n    file f\n      any\n        notice\n");
}

TEST_F(ParseTest, GroupsAllowWildcardKeys) {
  EXPECT_EQ(Parse("groups { g1 { interfaces { <ge-*> { unit <*> { vlan-id 5; } } } } }\n"
                  "apply-groups [ g1 ];\n"),
            "groups\n"
            "  g1\n"
            "    interfaces\n"
            "      <ge-*>\n"
            "        unit <*>\n"
            "          vlan-id 5\n"
            "apply-groups g1\n");
  EXPECT_EQ(Error("interfaces { ge-0/0/0 { unit <*>; } }"),
            "juniper.conf:1:30: invalid numeric value: <*> at [edit interfaces ge-0/0/0]");
}

TEST_F(ParseTest, MixedSetLines) {
  // Junos `load` takes one format per file; Batfish accepts curly text with set lines mixed in
  // at the top level, and so do we.
  EXPECT_EQ(Parse("system { host-name r1; domain-name x; }\n"
                  "set system name-server 192.0.2.1\n"
                  "delete system domain-name\n"
                  "deactivate system host-name\n"
                  "set interfaces ge-0/0/0 description \"two words\"\n"),
            "system\n"
            "  host-name r1 [inactive]\n"
            "  domain-name x [op=delete]\n"
            "  name-server 192.0.2.1\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    description two words\n");
  EXPECT_EQ(Error("system { host-name r1; }\nset system bogus 1\n"),
            "juniper.conf:2:12: syntax error: unknown statement 'bogus' at [edit system] "
            "(expected one of: apply-groups, apply-groups-except, host-name, domain-name, "
            "domain-search, name-server, syslog, services)");
}

TEST_F(ParseTest, ErrorsArePositioned) {
  EXPECT_EQ(Error("system {\n    host-name r1;\n    foo bar;\n}\n"),
            "juniper.conf:3:5: syntax error: unknown statement 'foo' at [edit system] (expected "
            "one of: apply-groups, apply-groups-except, host-name, domain-name, domain-search, "
            "name-server, syslog, services)");
  EXPECT_EQ(Error("interfaces {\n  ge-0/0/0 {\n    unit 0 {\n      family inet {\n"
                  "        address 10.0.0.300/24;\n"),
            "juniper.conf:5:17: invalid address: 10.0.0.300/24 at "
            "[edit interfaces ge-0/0/0 unit 0 family inet]");
  EXPECT_EQ(Error("interfaces ge-0/0/0 mtu 70000;"),
            "juniper.conf:1:25: value 70000 is not within range (256..9192) at "
            "[edit interfaces ge-0/0/0]");
  EXPECT_EQ(Error("system {\n  host-name \"r1;\n}\n"),
            "juniper.conf:2:13: syntax error: unterminated quoted string");
  EXPECT_EQ(Error("system {\n  host-name r1;\n"),
            "juniper.conf:3:1: syntax error: missing '}' (for the '{' at 1:8)");
  EXPECT_EQ(Error("system { host-name r1; }\n}\n"),
            "juniper.conf:2:1: syntax error: unexpected '}'");
  EXPECT_EQ(Error("system { host-name; }"),
            "juniper.conf:1:10: syntax error: missing value after 'host-name' (expected "
            "<host-name>)");
  EXPECT_EQ(Error("system { host-name r1 r2; }"),
            "juniper.conf:1:23: syntax error: unexpected 'r2' at [edit system host-name]");
  EXPECT_EQ(Error("system { host-name r1 { } }"),
            "juniper.conf:1:23: syntax error: unexpected '{' after 'r1'");
  EXPECT_EQ(Error("/* never closed\nsystem;"),
            "juniper.conf:1:1: syntax error: unterminated comment");
  EXPECT_EQ(Error("system { domain-search [ a b; }"),
            "juniper.conf:1:29: syntax error: missing ']'");
  EXPECT_EQ(Error("{ system; }"), "juniper.conf:1:1: syntax error: unexpected '{'");
  EXPECT_EQ(Error("routing-options static route 10.0.0.0/33 discard;"),
            "juniper.conf:1:30: invalid prefix: 10.0.0.0/33 at [edit routing-options static]");
}

TEST_F(ParseTest, BadInputGivesErrorsNotCrashes) {
  EXPECT_EQ(Parse(""), "");
  EXPECT_EQ(Parse("\n\n   \n# only comments\n"), "");
  std::string big = "system { host-name " + std::string(1 << 20, 'a') + "; }";
  EXPECT_EQ(Parse(big).size(), (1u << 20) + 20);
  std::string big_bad = "system { " + std::string(1 << 20, 'x') + "; }";
  std::string e = Error(big_bad);
  EXPECT_LT(e.size(), 1000u);
  EXPECT_NE(e.find("unknown statement 'xxxx"), std::string::npos);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) & 0xff);
  e = Error(garbage);
  EXPECT_EQ(e.rfind("juniper.conf:", 0), 0u) << e;
  e = Error(std::string("\0\x01\x02", 3));
  EXPECT_EQ(e, "juniper.conf:1:1: syntax error: invalid character \\x00 in '\\x00\\x01\\x02'");
}

// Control bytes (other than tab, LF and the CR of a CRLF line end) are rejected wherever they
// are, with their position, before anything is parsed.
TEST_F(ParseTest, ControlBytesAreRejectedWithTheirPosition) {
  EXPECT_EQ(Error(std::string("system {\n    host-name a\0b;\n}\n", 30)),
            "juniper.conf:2:16: syntax error: invalid character \\x00 in 'a\\x00b'");
  EXPECT_EQ(Error("system {\n    host-name \"two\x1b[2Jwords\";\n}\n"),
            "juniper.conf:2:19: syntax error: invalid character \\x1b in 'two\\x1b[2Jwords'");
  EXPECT_EQ(Error("/* note\x07 */\nsystem;"),
            "juniper.conf:1:8: syntax error: invalid character \\x07 in 'note\\x07'");
  EXPECT_EQ(Error("# comment \x7f\nsystem;"),
            "juniper.conf:1:11: syntax error: invalid character \\x7f in '\\x7f'");
  EXPECT_EQ(Error("system {\r host-name r1; }"),
            "juniper.conf:1:9: syntax error: invalid character \\x0d in '\\x0d'");
  EXPECT_EQ(Error("system { host-name r1;\v}"),
            "juniper.conf:1:23: syntax error: invalid character \\x0b in '\\x0b'");
  // A huge word is not echoed whole.
  e_ = Error("system { host-name " + std::string(100000, 'a') + '\x01' + "; }");
  EXPECT_LT(e_.size(), 200u) << e_;
  EXPECT_NE(e_.find("in '...aaaa"), std::string::npos) << e_;
  // Tabs and CRLF line ends are fine.
  EXPECT_EQ(Parse("system {\r\n\thost-name\t\"a\tb\";\r\n}\r\n"), "system\n  host-name a\tb\n");
}

TEST_F(ParseTest, RelativeLevel) {
  auto r = ParseCurly(*s.system, "host-name r1; name-server 192.0.2.1;", "terminal");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)->schema(), s.system);
  EXPECT_EQ(Dump(**r), "host-name r1\nname-server 192.0.2.1\n");
}

TEST(SplitWords, QuotesAndBrackets) {
  auto w = SplitWords("set system  domain-search [a b] description \"x \\\"y\\\" z\" \"\"");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, (std::vector<std::string>{"set", "system", "domain-search", "[", "a", "b", "]",
                                          "description", "x \"y\" z", ""}));
  EXPECT_EQ(SplitWords("set system host-name a\x1b").status().message(),
            "syntax error: invalid character \\x1b in 'a\\x1b'");
  EXPECT_EQ(SplitWords(std::string("set a \"b\0c\"", 11)).status().message(),
            "syntax error: invalid character \\x00 in 'b\\x00c'");
  EXPECT_FALSE(SplitWords("set a \"b").ok());
  EXPECT_EQ(SplitWords("set a \"b").status().message(), "syntax error: unterminated quoted string");
  auto e = SplitWords("  ");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->empty());
}

// Parse speed: 100k lines (20k static routes and 4k interfaces with 4 units) well under 0.3 s
// in an optimised build. Prints the figure; asserts a generous bound so sanitizer builds pass.
TEST_F(ParseTest, HundredThousandLinesParseFast) {
  std::string text = "routing-options {\n    static {\n";
  char buf[160];
  for (int i = 0; i < 20000; ++i) {
    std::snprintf(buf, sizeof buf, "        route 10.%d.%d.0/24 next-hop 192.0.2.%d;\n", i / 256,
                  i % 256, i % 250 + 1);
    text += buf;
  }
  text += "    }\n}\ninterfaces {\n";
  for (int i = 0; i < 4000; ++i) {
    std::snprintf(buf, sizeof buf, "    ge-0/%d/%d {\n        description \"port %d\";\n", i / 48,
                  i % 48, i);
    text += buf;
    for (int u = 0; u < 4; ++u) {
      std::snprintf(buf, sizeof buf,
                    "        unit %d {\n            vlan-id %d;\n            family inet {\n"
                    "                address 10.%d.%d.%d/30;\n            }\n        }\n",
                    u, u + 1, i / 64, i % 64, u * 4);
      text += buf;
    }
    text += "    }\n";
  }
  text += "}\n";
  size_t lines = std::count(text.begin(), text.end(), '\n');
  EXPECT_GT(lines, 100000u);
  // CPU time: the figure should not depend on how loaded the machine is.
  std::clock_t c0 = std::clock();
  auto t0 = std::chrono::steady_clock::now();
  auto r = ParseCurly(*s.root, text, "big.conf");
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double sec = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  ASSERT_TRUE(r.ok()) << r.status().message();
  std::printf("ParseCurly: %zu lines in %.3f s CPU (%.3f s wall, %.0f lines/s)\n", lines, sec, wall,
              lines / sec);
  EXPECT_LT(sec, 3.0);
  EXPECT_EQ((*r)->Find(s.routing_options)->Find(s.static_)->children().size(), 20000u);
}

}  // namespace
}  // namespace sabina::config

namespace sabina::config {
namespace {

// The same grammar facts against the YANG-built schema the product uses.
class BuiltinParseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto s = Schema::LoadBuiltin();
    ASSERT_TRUE(s.ok()) << s.status().message();
    schema_ = s->release();
  }
  static void TearDownTestSuite() {
    delete schema_;
    schema_ = nullptr;
  }
  static const Schema* schema_;
};
const Schema* BuiltinParseTest::schema_ = nullptr;

TEST_F(BuiltinParseTest, ExampleConfigurationParsesAndLoads) {
  FILE* f = std::fopen(SABINA_SOURCE_DIR "/examples/sabina.conf", "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  std::fclose(f);
  auto r = ParseCurly(schema_->root(), text, "sabina.conf");
  ASSERT_TRUE(r.ok()) << r.status().message();
  Node root(&schema_->root());
  ASSERT_TRUE(Load(root, **r, LoadMode::kMerge).ok());
  EXPECT_GT(root.CountNodes(), 30u);
}

TEST_F(BuiltinParseTest, JunosStatements) {
  const SchemaNode& rs = schema_->root();
  auto r =
      ParseCurly(rs,
                 "## Last changed: 2024-01-01 00:00:00 UTC\n"
                 "version 17.3R2.10;\n"
                 "system {\n"
                 "    host-name r1;\n"
                 "    name-server { 192.0.2.53; 2001:db8::53; }\n"
                 "    syslog { file messages { any notice; authorization info; } }\n"
                 "}\n"
                 "interfaces {\n"
                 "    ge-0/0/0 {\n"
                 "        unit 0 { family inet { address 192.0.2.1/24; } }\n"
                 "    }\n"
                 "    ge-0/0/1 unit 0 family inet6;\n"
                 "}\n"
                 "routing-options {\n"
                 "    static {\n"
                 "        route 0.0.0.0/0 next-hop 192.0.2.254;\n"
                 "        route 10.0.0.0/8 { next-hop [ 192.0.2.1 192.0.2.2 ]; preference 7; }\n"
                 "        route 172.16.0.0/12 discard;\n"
                 "    }\n"
                 "    rib inet6.0 { static { route ::/0 next-hop 2001:db8::1; } }\n"
                 "}\n",
                 "juniper.conf");
  ASSERT_TRUE(r.ok()) << r.status().message();
  Node root(&rs);
  ASSERT_TRUE(Load(root, **r, LoadMode::kMerge).ok());
  auto at = [&](std::vector<std::string> path) {
    auto n = Resolve(root, path);
    EXPECT_TRUE(n.ok()) << n.status().message();
    return n.ok() ? *n : nullptr;
  };
  EXPECT_NE(at({"version"}), nullptr);
  EXPECT_EQ(at({"system", "host-name"})->value(), "r1");
  EXPECT_NE(at({"system", "name-server", "2001:db8::53"}), nullptr);
  EXPECT_NE(
      at({"interfaces", "ge-0/0/0", "unit", "0", "family", "inet", "address", "192.0.2.1/24"}),
      nullptr);
  EXPECT_NE(at({"interfaces", "ge-0/0/1", "unit", "0", "family", "inet6"}), nullptr);
  EXPECT_NE(at({"routing-options", "static", "route", "10.0.0.0/8", "next-hop", "192.0.2.2"}),
            nullptr);
  EXPECT_NE(at({"routing-options", "static", "route", "172.16.0.0/12", "discard"}), nullptr);
  EXPECT_NE(at({"routing-options", "rib", "inet6.0", "static", "route", "::/0"}), nullptr);

  // Errors from the real validators, positioned.
  auto bad = ParseCurly(rs, "routing-options {\n    static route 10.0.0.0/33 discard;\n}\n", "j");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("j:2:18: invalid prefix", 0), 0u)
      << bad.status().message();
  bad = ParseCurly(rs, "system {\n    hostname r1;\n}\n", "j");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind(
                "j:2:5: syntax error: unknown statement 'hostname' at [edit system] (expected "
                "one of: ",
                0),
            0u)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("host-name"), std::string::npos);

  // A choice: `discard` replaces `next-hop` through set.
  std::vector<std::string> warnings;
  ASSERT_TRUE(ExecuteEdit(root, {},
                          {"set", "routing-options", "static", "route", "0.0.0.0/0", "discard"},
                          &warnings)
                  .ok());
  EXPECT_EQ(at({"routing-options", "static", "route", "0.0.0.0/0", "next-hop", "192.0.2.254"}),
            nullptr);
}

}  // namespace
}  // namespace sabina::config
