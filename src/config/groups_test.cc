#include "config/groups.h"

#include <gtest/gtest.h>

#include <sstream>

#include "config/codec.h"

namespace sabina::config {
namespace {

const Schema& Builtin() {
  static const Schema* schema = [] {
    auto s = Schema::LoadBuiltin();
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value().release() : nullptr;
  }();
  return *schema;
}

// A tiny `set` for tests (the real parser lives in parser.cc): keywords descend, a keyword
// list takes the next word as key, a flat list takes a bare word, a leaf takes the next word.
// Returns the last node.
Node* Set(Node* root, const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  Node* n = root;
  for (size_t i = 0; i < w.size(); ++i) {
    const SchemaNode* ctx = n->schema();
    const SchemaNode* s = ctx->Child(w[i]);
    if (!s) {
      s = ctx->FlatList();
      EXPECT_NE(s, nullptr) << "no statement " << w[i] << " in: " << line;
      if (!s) return n;
      n = n->Ensure(s, w[i]);
      continue;
    }
    if (s->kind == SchemaKind::kContainer || s->is_flag()) {
      n = n->Ensure(s);
    } else {
      EXPECT_LT(i + 1, w.size()) << line;
      if (i + 1 >= w.size()) return n;
      n = n->Ensure(s, w[++i]);
    }
  }
  return n;
}

// Finds the node at the end of `line` (same word rules), or null.
const Node* Get(const Node& root, const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> w;
  for (std::string x; in >> x;) w.push_back(x);
  const Node* n = &root;
  for (size_t i = 0; i < w.size() && n; ++i) {
    const SchemaNode* s = n->schema()->Child(w[i]);
    if (!s) {
      s = n->schema()->FlatList();
      if (!s) return nullptr;
      n = n->Find(s, w[i]);
    } else if (s->kind == SchemaKind::kContainer || s->is_flag()) {
      n = n->Find(s);
    } else {
      if (i + 1 >= w.size()) return n->Find(s);
      n = n->Find(s, w[++i]);
      if (n && s->is_leaf() && n->value() != w[i]) return nullptr;
    }
  }
  return n;
}

// Values of all children with keyword `kw` below the node at `line`, in stored order.
std::vector<std::string> Values(const Node& root, const std::string& line, const char* kw) {
  std::vector<std::string> out;
  const Node* n = Get(root, line);
  if (!n) return out;
  const SchemaNode* s = n->schema()->Child(kw);
  if (!s) s = n->schema()->FlatList();
  for (Node* c : n->All(s)) out.push_back(c->value());
  return out;
}

class GroupsTest : public ::testing::Test {
 protected:
  std::unique_ptr<Node> root = std::make_unique<Node>(&Builtin().root());

  std::unique_ptr<Node> Eff() {
    auto e = Effective(*root);
    EXPECT_TRUE(e.ok()) << e.status().message();
    return e.ok() ? std::move(e).value() : std::make_unique<Node>(&Builtin().root());
  }
};

TEST_F(GroupsTest, RootGroupIsInheritedAndGroupStatementsRemoved) {
  Set(root.get(), "groups g1 system host-name from-group");
  Set(root.get(), "apply-groups g1");
  auto before = root->Clone();
  auto e = Eff();
  EXPECT_NE(Get(*e, "system host-name from-group"), nullptr);
  EXPECT_EQ(Get(*e, "groups"), nullptr);
  EXPECT_EQ(Get(*e, "apply-groups"), nullptr);
  EXPECT_TRUE(root->Equals(*before)) << "the input is left alone";
}

TEST_F(GroupsTest, GroupsAreInertUnlessApplied) {
  Set(root.get(), "groups g1 system host-name from-group");
  Set(root.get(), "interfaces ge-0/0/0 mtu 1500");
  auto e = Eff();
  EXPECT_EQ(Get(*e, "system"), nullptr);
  EXPECT_EQ(Get(*e, "groups"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 1500"), nullptr);
}

TEST_F(GroupsTest, DirectConfigurationWins) {
  Set(root.get(), "groups g1 system host-name from-group");
  Set(root.get(), "groups g1 system domain-name example.net");
  Set(root.get(), "apply-groups g1");
  Set(root.get(), "system host-name direct");
  auto e = Eff();
  EXPECT_NE(Get(*e, "system host-name direct"), nullptr);
  EXPECT_NE(Get(*e, "system domain-name example.net"), nullptr);
}

TEST_F(GroupsTest, FirstListedGroupWins) {
  Set(root.get(), "groups g1 system host-name one");
  Set(root.get(), "groups g2 system host-name two");
  Set(root.get(), "groups g2 system time-zone UTC");
  Set(root.get(), "apply-groups g1");
  Set(root.get(), "apply-groups g2");
  auto e = Eff();
  EXPECT_NE(Get(*e, "system host-name one"), nullptr);
  EXPECT_NE(Get(*e, "system time-zone UTC"), nullptr);

  auto other = std::make_unique<Node>(&Builtin().root());
  Set(other.get(), "groups g1 system host-name one");
  Set(other.get(), "groups g2 system host-name two");
  Set(other.get(), "apply-groups g2");
  Set(other.get(), "apply-groups g1");
  auto e2 = Effective(*other);
  ASSERT_TRUE(e2.ok());
  EXPECT_NE(Get(**e2, "system host-name two"), nullptr);
}

TEST_F(GroupsTest, SetsInheritEveryValue) {
  // Junos CLI guide, "Configuring Sets of Statements with Configuration Groups": inherited
  // name servers are shown before the direct ones; leaf-list values are appended.
  Set(root.get(), "groups worldwide system name-server 10.0.0.100");
  Set(root.get(), "groups worldwide system name-server 10.0.0.200");
  Set(root.get(), "groups worldwide system domain-search b.example");
  Set(root.get(), "groups worldwide system domain-search a.example");
  Set(root.get(), "apply-groups worldwide");
  Set(root.get(), "system name-server 10.0.0.1");
  Set(root.get(), "system name-server 10.0.0.2");
  Set(root.get(), "system domain-search a.example");
  Set(root.get(), "system domain-search c.example");
  auto e = Eff();
  EXPECT_EQ(Values(*e, "system", "name-server"),
            (std::vector<std::string>{"10.0.0.100", "10.0.0.200", "10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(Values(*e, "system", "domain-search"),
            (std::vector<std::string>{"a.example", "c.example", "b.example"}));
}

TEST_F(GroupsTest, ChoiceMembersDoNotMix) {
  Set(root.get(), "groups logs system syslog file messages any notice");
  Set(root.get(), "groups logs system syslog file messages authorization info");
  Set(root.get(), "groups blackhole routing-options static route <*> discard");
  Set(root.get(), "groups blackhole routing-options static route <*> preference 250");
  Set(root.get(), "apply-groups logs");
  Set(root.get(), "apply-groups blackhole");
  Set(root.get(), "system syslog file messages any info");
  Set(root.get(), "routing-options static route 0.0.0.0/0 next-hop 192.0.2.1");
  Set(root.get(), "routing-options static route 10.0.0.0/8");
  auto e = Eff();
  EXPECT_NE(Get(*e, "system syslog file messages any info"), nullptr);
  EXPECT_EQ(Get(*e, "system syslog file messages any notice"), nullptr);
  EXPECT_NE(Get(*e, "system syslog file messages authorization info"), nullptr);
  EXPECT_EQ(Get(*e, "routing-options static route 0.0.0.0/0 discard"), nullptr);
  EXPECT_NE(Get(*e, "routing-options static route 0.0.0.0/0 preference 250"), nullptr);
  EXPECT_NE(Get(*e, "routing-options static route 10.0.0.0/8 discard"), nullptr);
}

TEST_F(GroupsTest, WildcardsMatchExistingEntriesOnly) {
  Set(root.get(), "groups jumbo interfaces <ge-*> mtu 9000");
  Set(root.get(), "groups jumbo interfaces <ge-1/2/[5-8]> description fast");
  Set(root.get(), "apply-groups jumbo");
  Set(root.get(), "interfaces ge-0/0/0 unit 0");
  Set(root.get(), "interfaces ge-1/2/6");
  Set(root.get(), "interfaces ge-1/2/9");
  Set(root.get(), "interfaces xe-0/0/0 unit 0");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 9000"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-1/2/6 mtu 9000"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-1/2/6 description fast"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-1/2/9 description"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces xe-0/0/0 mtu"), nullptr);
  EXPECT_EQ(Values(*e, "interfaces", "*"),
            (std::vector<std::string>{"ge-0/0/0", "ge-1/2/6", "ge-1/2/9", "xe-0/0/0"}))
      << "a wildcard entry creates nothing";
}

TEST_F(GroupsTest, LiteralEntriesInGroupsAreCreated) {
  Set(root.get(), "groups base interfaces lo0 unit 0 family inet address 127.0.0.1/32");
  Set(root.get(), "groups base interfaces <*> description managed");
  Set(root.get(), "apply-groups base");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces lo0 unit 0 family inet address 127.0.0.1/32"), nullptr);
  EXPECT_NE(Get(*e, "interfaces lo0 description managed"), nullptr)
      << "wildcards also match entries the group itself created";
}

TEST_F(GroupsTest, NestedWildcardsMustAllMatch) {
  Set(root.get(), "groups v4 interfaces <ge-*> unit <1*> family inet");
  Set(root.get(), "apply-groups v4");
  Set(root.get(), "interfaces ge-0/0/0 unit 10");
  Set(root.get(), "interfaces ge-0/0/0 unit 20");
  Set(root.get(), "interfaces xe-0/0/0 unit 10");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 unit 10 family inet"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/0 unit 20 family"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces xe-0/0/0 unit 10 family"), nullptr);
}

TEST_F(GroupsTest, ApplyGroupsBelowTheRootAppliesOnlyThere) {
  Set(root.get(), "groups jumbo interfaces <*> mtu 9000");
  Set(root.get(), "interfaces ge-0/0/0 apply-groups jumbo");
  Set(root.get(), "interfaces ge-0/0/1 unit 0");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 9000"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/1 mtu"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/0 apply-groups"), nullptr);
}

TEST_F(GroupsTest, GroupsAppliedLowerWin) {
  Set(root.get(), "groups top interfaces <*> description from-top");
  Set(root.get(), "groups top interfaces <*> mtu 1500");
  Set(root.get(), "groups low interfaces <*> description from-low");
  Set(root.get(), "apply-groups top");
  Set(root.get(), "interfaces ge-0/0/0 apply-groups low");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 description from-low"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 1500"), nullptr);
}

TEST_F(GroupsTest, ApplyGroupsExceptBlocksInheritanceBelow) {
  Set(root.get(), "groups jumbo interfaces <*> mtu 9000");
  Set(root.get(), "groups jumbo interfaces <*> unit <*> description tagged");
  Set(root.get(), "apply-groups jumbo");
  Set(root.get(), "interfaces ge-0/0/0 unit 0");
  Set(root.get(), "interfaces ge-0/0/1 apply-groups-except jumbo");
  Set(root.get(), "interfaces ge-0/0/1 unit 0");
  auto e = Eff();
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 9000"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 unit 0 description tagged"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/1 mtu"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/1 unit 0 description"), nullptr)
      << "-except holds for the whole subtree";
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/1 apply-groups-except"), nullptr);
}

// Batfish's preprocess-apply-groups-except-and-priority golden pair, on our schema: groups
// applied at a lower level come first, then the root's; excluded groups contribute nothing.
TEST_F(GroupsTest, BatfishExceptAndPriorityGolden) {
  const char* route = "routing-options rib inet.0 static route <*> next-hop ";
  Set(root.get(), std::string("groups INCLUDE3 ") + route + "192.0.2.3");
  Set(root.get(), std::string("groups INCLUDE1 ") + route + "192.0.2.1");
  Set(root.get(), std::string("groups INCLUDE2 ") + route + "192.0.2.2");
  Set(root.get(), std::string("groups EXCLUDE1 ") + route + "198.51.100.1");
  Set(root.get(), std::string("groups EXCLUDE1 ") + route + "198.51.100.2");
  Set(root.get(), "groups EXCLUDE2");
  Set(root.get(), "routing-options rib inet.0 apply-groups INCLUDE1");
  Set(root.get(), "routing-options rib inet.0 apply-groups INCLUDE2");
  Set(root.get(), "routing-options rib inet.0 apply-groups EXCLUDE1");
  Set(root.get(), "routing-options rib inet.0 apply-groups EXCLUDE2");
  Set(root.get(), "routing-options rib inet.0 static apply-groups-except EXCLUDE1");
  Set(root.get(), "routing-options rib inet.0 static apply-groups-except EXCLUDE2");
  Set(root.get(), "routing-options rib inet.0 static route 10.0.0.0/8 preference 5");
  Set(root.get(), "apply-groups INCLUDE3");
  auto e = Eff();
  EXPECT_EQ(Values(*e, "routing-options rib inet.0 static route 10.0.0.0/8", "next-hop"),
            (std::vector<std::string>{"192.0.2.1", "192.0.2.2", "192.0.2.3"}));
}

TEST_F(GroupsTest, GroupsApplyingGroups) {
  Set(root.get(), "groups outer apply-groups inner");
  Set(root.get(), "groups outer system host-name outer");
  Set(root.get(), "groups inner system host-name inner");
  Set(root.get(), "groups inner system time-zone UTC");
  Set(root.get(), "groups inner interfaces <*> mtu 9000");
  Set(root.get(), "apply-groups outer");
  Set(root.get(), "interfaces ge-0/0/0");
  auto e = Eff();
  EXPECT_NE(Get(*e, "system host-name outer"), nullptr);
  EXPECT_NE(Get(*e, "system time-zone UTC"), nullptr);
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 mtu 9000"), nullptr);

  std::unordered_map<const Node*, std::string> origin;
  auto d = ExpandForDisplay(*root, &origin);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(origin[Get(**d, "system time-zone")], "inner");
  EXPECT_EQ(origin[Get(**d, "system host-name")], "outer");
}

TEST_F(GroupsTest, RecursiveGroupsAreAnError) {
  Set(root.get(), "groups a apply-groups b");
  Set(root.get(), "groups b apply-groups a");
  Set(root.get(), "apply-groups a");
  auto e = Effective(*root);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("apply-groups"), std::string::npos) << e.status().message();
}

TEST_F(GroupsTest, UndefinedGroupNamesThePath) {
  Set(root.get(), "interfaces ge-0/0/0 unit 0 apply-groups nope");
  auto e = Effective(*root);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().message(),
            "[edit interfaces ge-0/0/0 unit 0] 'apply-groups nope': group not defined");
  std::unordered_map<const Node*, std::string> origin;
  EXPECT_FALSE(ExpandForDisplay(*root, &origin).ok());

  auto top = std::make_unique<Node>(&Builtin().root());
  Set(top.get(), "apply-groups missing");
  auto e2 = Effective(*top);
  ASSERT_FALSE(e2.ok());
  EXPECT_EQ(e2.status().message(), "[edit] 'apply-groups missing': group not defined");
}

TEST_F(GroupsTest, EffectiveDropsInactiveStatements) {
  Set(root.get(), "groups g1 system host-name from-group");
  Set(root.get(), "apply-groups g1");
  Set(root.get(), "system host-name direct")->inactive = true;
  Set(root.get(), "interfaces ge-0/0/0 unit 0 description x");
  Set(root.get(), "interfaces ge-0/0/1 unit 0")->inactive = true;
  Set(root.get(), "interfaces ge-0/0/0 disable")->inactive = true;
  auto e = Eff();
  EXPECT_NE(Get(*e, "system host-name from-group"), nullptr)
      << "a deactivated direct value does not hide the inherited one";
  EXPECT_NE(Get(*e, "interfaces ge-0/0/0 unit 0 description x"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/1 unit"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/0 disable"), nullptr);
}

TEST_F(GroupsTest, InactiveGroupsAndApplyGroupsAreNotApplied) {
  Set(root.get(), "groups off system host-name off");
  const_cast<Node*>(Get(*root, "groups off"))->inactive = true;
  Set(root.get(), "groups g2 system time-zone UTC");
  Set(root.get(), "groups g3 system domain-name inner.example");
  Set(root.get(), "groups g3 system login class ops idle-timeout 5")->inactive = true;
  Set(root.get(), "apply-groups off");
  Set(root.get(), "apply-groups g2")->inactive = true;
  Set(root.get(), "apply-groups g3");
  auto e = Eff();
  EXPECT_EQ(Get(*e, "system host-name"), nullptr);
  EXPECT_EQ(Get(*e, "system time-zone"), nullptr);
  EXPECT_NE(Get(*e, "system domain-name inner.example"), nullptr);
  EXPECT_EQ(Get(*e, "system login class ops idle-timeout"), nullptr);
}

TEST_F(GroupsTest, DisplayKeepsInactiveAndRecordsOrigins) {
  Set(root.get(), "groups g1 system host-name from-group");
  Set(root.get(), "groups g1 system syslog file messages any notice");
  Set(root.get(), "groups g1 interfaces <*> unit <*> family inet")->inactive = true;
  Set(root.get(), "apply-groups g1");
  Set(root.get(), "system syslog file messages authorization info");
  Set(root.get(), "interfaces ge-0/0/0 unit 0 description direct");
  Set(root.get(), "interfaces ge-0/0/0 mtu 1500")->inactive = true;
  std::unordered_map<const Node*, std::string> origin;
  auto d = ExpandForDisplay(*root, &origin);
  ASSERT_TRUE(d.ok()) << d.status().message();
  const Node* hn = Get(**d, "system host-name from-group");
  ASSERT_NE(hn, nullptr);
  EXPECT_EQ(origin[hn], "g1");
  const Node* any = Get(**d, "system syslog file messages any");
  ASSERT_NE(any, nullptr);
  EXPECT_EQ(origin[any], "g1");
  EXPECT_EQ(origin.count(Get(**d, "system syslog file messages authorization")), 0u);
  EXPECT_EQ(origin.count(Get(**d, "system syslog file messages")), 0u);
  const Node* mtu = Get(**d, "interfaces ge-0/0/0 mtu");
  ASSERT_NE(mtu, nullptr);
  EXPECT_TRUE(mtu->inactive);
  const Node* fam = Get(**d, "interfaces ge-0/0/0 unit 0 family inet");
  ASSERT_NE(fam, nullptr);
  EXPECT_TRUE(fam->inactive) << "inherited from an inactive group statement";
  EXPECT_EQ(Get(**d, "groups"), nullptr);
  EXPECT_EQ(Get(**d, "apply-groups"), nullptr);
  for (const auto& [node, group] : origin) EXPECT_EQ(group, "g1");

  auto e = Eff();
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/0 unit 0 family inet"), nullptr);
  EXPECT_EQ(Get(*e, "interfaces ge-0/0/0 mtu"), nullptr);
}

TEST_F(GroupsTest, NoGroupsIsACopy) {
  Set(root.get(), "system host-name r1");
  Set(root.get(), "routing-options static route 0.0.0.0/0 next-hop 192.0.2.1");
  auto e = Eff();
  EXPECT_TRUE(e->Equals(*root));
}

}  // namespace
}  // namespace sabina::config

// End to end with the real codecs: text in, effective configuration out.
namespace sabina::config {
namespace {

std::string EffectiveText(std::string_view set_lines) {
  Node root(&Builtin().root());
  std::vector<std::string> warnings;
  Status st = LoadSet(root, {}, set_lines, "test", &warnings);
  EXPECT_TRUE(st.ok()) << st.message();
  auto e = Effective(root);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? PrintSet(**e) : "";
}

// Batfish's wildcard-nesting test configuration (grammar/juniper/testconfigs): nested
// wildcards must all match; unit 20 inherits only the <xe-*> <2*> address.
TEST(GroupsGolden, BatfishWildcardNesting) {
  EXPECT_EQ(EffectiveText("set system host-name wildcard-nesting\n"
                          "set groups g interfaces <*> unit <1*> family inet address 1.0.0.1/31\n"
                          "set groups g interfaces <xe-*> unit <2*> family inet address "
                          "2.0.0.1/31\n"
                          "set interfaces xe-0/0/0 unit 20 apply-groups g\n"),
            "set system host-name wildcard-nesting\n"
            "set interfaces xe-0/0/0 unit 20 family inet address 2.0.0.1/31\n");
}

// Batfish's juniper-wildcards, the part inside our schema: g1 applies below a unit, g4 (a
// character class in quotes) at the root; only em0 exists, so only em0 inherits.
TEST(GroupsGolden, BatfishJuniperWildcards) {
  EXPECT_EQ(EffectiveText("set groups g1 interfaces <*> unit <*> family inet address "
                          "1.1.1.1/32\n"
                          "set interfaces lo0 unit 0 apply-groups g1\n"
                          "set interfaces lo0 unit 0 description scrubbed\n"
                          "set interfaces ge-0/0/0 unit 0 family inet address 88.1.2.3\n"
                          "set groups g4 interfaces \"<em[0,1]>\" unit <*> description em\n"
                          "set interfaces em0 unit 0 family inet address 10.0.0.1/24\n"
                          "set apply-groups g4\n"),
            "set interfaces em0 unit 0 description em\n"
            "set interfaces em0 unit 0 family inet address 10.0.0.1/24\n"
            "set interfaces ge-0/0/0 unit 0 family inet address 88.1.2.3\n"
            "set interfaces lo0 unit 0 description scrubbed\n"
            "set interfaces lo0 unit 0 family inet address 1.1.1.1/32\n");
}

// Batfish's preprocess-flat-juniper-apply-groups-order, on a leaf of our schema: with
// `apply-groups A; apply-groups B;` A wins for a single-valued statement.
TEST(GroupsGolden, ApplyGroupsOrderForLeaves) {
  EXPECT_EQ(EffectiveText("set apply-groups A\n"
                          "set apply-groups B\n"
                          "set interfaces xe-0/0/0 unit 0\n"
                          "set groups A interfaces <xe-*> description from-A\n"
                          "set groups B interfaces <xe-*> description from-B\n"
                          "set groups B interfaces <xe-*> mtu 9000\n"),
            "set interfaces xe-0/0/0 description from-A\n"
            "set interfaces xe-0/0/0 mtu 9000\n"
            "set interfaces xe-0/0/0 unit 0\n");
}

}  // namespace
}  // namespace sabina::config

namespace sabina::config {
namespace {

// The Junos CLI guide's example for sets of statements ("Configuring Sets of Statements with
// Configuration Groups"), shown with `| display inheritance`.
TEST(GroupsGolden, DisplayInheritanceOfNameServers) {
  auto parsed = ParseCurly(Builtin().root(),
                           "groups {\n"
                           "    worldwide {\n"
                           "        system {\n"
                           "            name-server {\n"
                           "                10.0.0.100;\n"
                           "                10.0.0.200;\n"
                           "            }\n"
                           "        }\n"
                           "    }\n"
                           "}\n"
                           "apply-groups worldwide;\n"
                           "system {\n"
                           "    name-server {\n"
                           "        10.0.0.1;\n"
                           "        10.0.0.2;\n"
                           "    }\n"
                           "}\n",
                           "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::unordered_map<const Node*, std::string> origin;
  auto shown = ExpandForDisplay(**parsed, &origin);
  ASSERT_TRUE(shown.ok()) << shown.status().message();
  PrintOptions opts;
  opts.inherited_from = &origin;
  EXPECT_EQ(PrintCurly(**shown, opts),
            "system {\n"
            "    name-server {\n"
            "        ##\n"
            "        ## '10.0.0.100' was inherited from group 'worldwide'\n"
            "        ##\n"
            "        10.0.0.100;\n"
            "        ##\n"
            "        ## '10.0.0.200' was inherited from group 'worldwide'\n"
            "        ##\n"
            "        10.0.0.200;\n"
            "        10.0.0.1;\n"
            "        10.0.0.2;\n"
            "    }\n"
            "}\n");
}

}  // namespace
}  // namespace sabina::config
