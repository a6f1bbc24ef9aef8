#include "mgmt/cli/show_commands.h"

#include <gtest/gtest.h>

namespace sabina::mgmt::cli {
namespace {

struct Parsed {
  bool ok = false;
  ParsedCommand cmd;
  ParseError error;
};

// `line` starts with the words session.cc matches itself ("show route", "ping").
Parsed Parse(const std::string& line) {
  Tokens t = Tokenize(line);
  Parsed p;
  std::string top = t.words[0].text;
  const CommandNode* node = nullptr;
  size_t first = 1;
  if (top == "show" && t.words[1].text == "system") {
    node = ForwardingNode("system", t.words[2].text);
    first = 3;
  } else if (top == "show") {
    node = ForwardingNode("show", t.words[1].text);
    first = 2;
  } else {
    node = ForwardingNode(top);
  }
  EXPECT_NE(node, nullptr) << line;
  if (!node) return p;
  p.ok = ParseForwarding(*node, t.words, first, line.size(), &p.cmd, &p.error);
  return p;
}

TEST(ForwardingCommands, Nodes) {
  EXPECT_NE(ForwardingNode("show", "route"), nullptr);
  EXPECT_NE(ForwardingNode("system", "statistics"), nullptr);
  EXPECT_NE(ForwardingNode("ping"), nullptr);
  EXPECT_EQ(ForwardingNode("show", "ping"), nullptr);
  EXPECT_EQ(ForwardingNode("route"), nullptr);
  EXPECT_EQ(ForwardingNode("system", "uptime"), nullptr);
  EXPECT_EQ(ForwardingNode("show"), nullptr);
}

TEST(ForwardingCommands, ShowRoute) {
  Parsed p = Parse("show route 192.0.2.0/24 exa table inet.0 prot st detail");
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.cmd.id, "show route");
  EXPECT_EQ(p.cmd.positional, "192.0.2.0/24");
  EXPECT_TRUE(p.cmd.Has("exact"));
  EXPECT_EQ(p.cmd.Get("table"), "inet.0");
  EXPECT_EQ(p.cmd.Get("protocol"), "static");
  EXPECT_TRUE(p.cmd.Has("detail"));
  // An IPv6 prefix that looks like a keyword prefix ("f..." / forwarding-table) is a prefix.
  p = Parse("show route fe80::/10 longer");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.cmd.positional, "fe80::/10");
  p = Parse("show route sum");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.cmd.id, "show route summary");
  p = Parse("show route forwarding-table family inet6 destination 2001:db8::1");
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.cmd.id, "show route forwarding-table");
  EXPECT_EQ(p.cmd.Get("family"), "inet6");
  EXPECT_EQ(p.cmd.Get("destination"), "2001:db8::1");
}

TEST(ForwardingCommands, Errors) {
  Parsed p = Parse("show route table");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <table>.");
  EXPECT_EQ(p.error.pos, 16u);
  p = Parse("show route table inet.7");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <table>: inet.7");
  EXPECT_EQ(p.error.pos, 17u);
  p = Parse("show route e");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message,
            "'e' is ambiguous.\nPossible completions:\n"
            "  exact                Show exact route match\n"
            "  extensive            Display extensive output\n");
  p = Parse("show route 192.0.2.0/24 192.0.2.1");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error: 192.0.2.1");
  p = Parse("ping");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <host>.");
  p = Parse("ping 192.0.2.1 count x");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <number>: x");
  p = Parse("clear interfaces");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <command>.");
  p = Parse("clear interfaces statistics");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <interface-name>.");
  p = Parse("show ipv6 routers");
  EXPECT_FALSE(p.ok);
  EXPECT_EQ(p.error.message, "syntax error, expecting <command>: routers");
}

TEST(ForwardingCommands, OtherCommands) {
  Parsed p = Parse("ping 198.51.100.2 count 3 rapid size 100 ttl 9 source 192.0.2.1 inet wait 1");
  ASSERT_TRUE(p.ok) << p.error.message;
  EXPECT_EQ(p.cmd.id, "ping");
  EXPECT_EQ(p.cmd.positional, "198.51.100.2");
  EXPECT_EQ(p.cmd.Get("count"), "3");
  EXPECT_TRUE(p.cmd.Has("rapid"));
  EXPECT_TRUE(p.cmd.Has("inet"));
  p = Parse("show interfaces ge-0/0/0.0 terse");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.cmd.positional, "ge-0/0/0.0");
  EXPECT_TRUE(p.cmd.Has("terse"));
  p = Parse("show arp no-resolve interface ge-0/0/0.0");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.cmd.Get("interface"), "ge-0/0/0.0");
  EXPECT_EQ(Parse("show ipv6 neighbors").cmd.id, "show ipv6 neighbors");
  EXPECT_EQ(Parse("show dataplane drops all").cmd.id, "show dataplane drops");
  EXPECT_EQ(Parse("show dataplane").cmd.id, "show dataplane");
  EXPECT_EQ(Parse("show system statistics").cmd.id, "show system statistics");
  EXPECT_EQ(Parse("clear arp hostname 192.0.2.2").cmd.id, "clear arp");
  EXPECT_EQ(Parse("clear interfaces statistics all").cmd.positional, "all");
  p = Parse("request dataplane trace start count 5");
  ASSERT_TRUE(p.ok);
  EXPECT_EQ(p.cmd.id, "request dataplane trace start");
  EXPECT_EQ(p.cmd.Get("count"), "5");
  EXPECT_EQ(Parse("traceroute 2001:db8::2 inet6 no-resolve").cmd.id, "traceroute");
}

std::string Complete(std::string_view top, std::string_view second, std::vector<std::string> words,
                     std::string partial) {
  const CommandNode* node = second.empty() ? ForwardingNode(top) : ForwardingNode(top, second);
  CompletionResult r;
  CompleteForwarding(*node, words, partial, &r);
  std::string out = r.error;
  for (const Completion& c : r.candidates) out += c.word + " ";
  return out;
}

TEST(ForwardingCommands, Completion) {
  EXPECT_EQ(Complete("show", "route", {}, ""),
            "<[Enter]> <destination> forwarding-table summary brief detail exact extensive "
            "longer protocol table terse | ");
  EXPECT_EQ(Complete("show", "route", {}, "s"), "<destination> summary ");
  EXPECT_EQ(Complete("show", "route", {"table"}, ""), "inet.0 inet6.0 ");
  EXPECT_EQ(Complete("show", "route", {"192.0.2.0/24", "exact"}, "t"), "table terse ");
  EXPECT_EQ(Complete("ping", "", {"192.0.2.1", "count"}, ""), "<count> ");
  EXPECT_EQ(Complete("clear", "", {}, ""), "arp dataplane interfaces ipv6 ");
  EXPECT_EQ(Complete("show", "ipv6", {}, ""), "neighbors ");
  EXPECT_EQ(Complete("show", "route", {"forwarding-table", "family"}, ""), "inet inet6 ");
}

}  // namespace
}  // namespace sabina::mgmt::cli
