#include "config/schema.h"

#include <gtest/gtest.h>

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

// Follows keywords (and "*" for "the flat list here") from the root.
const SchemaNode* At(std::initializer_list<std::string_view> words) {
  const SchemaNode* n = &Builtin().root();
  for (std::string_view w : words) {
    const SchemaNode* next = w == "*" ? n->FlatList() : n->Child(w);
    if (!next) {
      ADD_FAILURE() << "no schema node " << w << " below '" << n->Path() << "'";
      return nullptr;
    }
    n = next;
  }
  return n;
}

std::vector<std::string> Names(const SchemaNode& n) {
  std::vector<std::string> out;
  for (const SchemaNode* c : n.content()) out.push_back(c->name);
  return out;
}

TEST(Schema, BuiltinLoads) {
  auto s = Schema::LoadBuiltin();
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->root().name, "");
}

TEST(Schema, LoadFromDirectoryMatchesBuiltin) {
  auto s = Schema::Load(SABINA_SOURCE_DIR "/yang");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(Names((*s)->root()), Names(Builtin().root()));
  EXPECT_FALSE(Schema::Load("/nonexistent-sabina-dir").ok());
}

TEST(Schema, RootInJunosOrder) {
  std::vector<std::string> want = {"version", "groups",     "apply-groups",   "apply-groups-except",
                                   "system",  "interfaces", "routing-options", "policy-options"};
  EXPECT_EQ(Names(Builtin().root()), want);
}

TEST(Schema, InterfacesShape) {
  const SchemaNode* ifs = At({"interfaces"});
  ASSERT_NE(ifs, nullptr);
  EXPECT_EQ(ifs->kind, SchemaKind::kContainer);
  const SchemaNode* ifd = ifs->FlatList();
  ASSERT_NE(ifd, nullptr);
  EXPECT_EQ(ifd->list_style, ListStyle::kFlat);
  EXPECT_EQ(ifd->key_type, ValueType::kString);
  EXPECT_EQ(ifs->Child(ifd->name), nullptr) << "flat lists have no keyword";
  EXPECT_EQ(Names(*ifd),
            (std::vector<std::string>{"apply-groups", "apply-groups-except", "description",
                                      "disable", "vlan-tagging", "mtu", "unit"}));
  const SchemaNode* mtu = At({"interfaces", "*", "mtu"});
  EXPECT_EQ(mtu->type, ValueType::kUint);
  EXPECT_EQ(mtu->min, 256u);
  EXPECT_EQ(mtu->max, 9216u);
  EXPECT_TRUE(At({"interfaces", "*", "disable"})->is_flag());
  EXPECT_TRUE(At({"interfaces", "*", "vlan-tagging"})->is_flag());
  const SchemaNode* unit = At({"interfaces", "*", "unit"});
  EXPECT_EQ(unit->kind, SchemaKind::kList);
  EXPECT_EQ(unit->list_style, ListStyle::kKeyword);
  EXPECT_EQ(unit->key_type, ValueType::kUint);
  EXPECT_EQ(unit->max, 16385u);
  EXPECT_FALSE(unit->ordered_by_user);
  const SchemaNode* vlan = At({"interfaces", "*", "unit", "vlan-id"});
  EXPECT_EQ(vlan->min, 1u);
  EXPECT_EQ(vlan->max, 4094u);
  const SchemaNode* a4 = At({"interfaces", "*", "unit", "family", "inet", "address"});
  EXPECT_EQ(a4->key_type, ValueType::kIpv4AddressOrPrefix);
  EXPECT_EQ(a4->list_style, ListStyle::kKeyword);
  EXPECT_FALSE(a4->oneliner);
  EXPECT_TRUE(a4->Child("primary")->is_flag());
  EXPECT_EQ(At({"interfaces", "*", "unit", "family", "inet6", "address"})->key_type,
            ValueType::kIpv6AddressOrPrefix);
  EXPECT_EQ(unit->Path(), "interfaces unit");
  EXPECT_TRUE(At({"interfaces", "*", "unit", "family"})->collapse);
  EXPECT_FALSE(At({"interfaces", "*", "unit", "family", "inet"})->collapse);
  EXPECT_FALSE(At({"interfaces"})->collapse);
}

TEST(Schema, SystemShape) {
  const SchemaNode* sys = At({"system"});
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ(At({"system", "host-name"})->kind, SchemaKind::kLeaf);
  const SchemaNode* ns = At({"system", "name-server"});
  EXPECT_EQ(ns->list_style, ListStyle::kBlock);
  EXPECT_TRUE(ns->ordered_by_user);
  EXPECT_EQ(ns->key_type, ValueType::kIpAddress);
  EXPECT_TRUE(At({"system", "root-authentication", "encrypted-password"})->secret);
  EXPECT_TRUE(At({"system", "root-authentication", "ssh-rsa"})->secret);
  EXPECT_TRUE(At({"system", "login", "user", "authentication", "encrypted-password"})->secret);
  EXPECT_TRUE(At({"system", "login", "user", "authentication", "ssh-ed25519"})->is_list());
  EXPECT_FALSE(At({"system", "host-name"})->secret);
  EXPECT_EQ(At({"system", "login", "user", "uid"})->min, 100u);
  EXPECT_EQ(At({"system", "login", "class", "permissions"})->kind, SchemaKind::kLeafList);
  const SchemaNode* root_login = At({"system", "services", "ssh", "root-login"});
  EXPECT_EQ(root_login->type, ValueType::kEnum);
  EXPECT_EQ(root_login->enum_values, (std::vector<std::string>{"allow", "deny", "deny-password"}));
  ASSERT_EQ(root_login->enum_help.size(), 3u);
  EXPECT_EQ(root_login->enum_help[1], "Do not allow root access via ssh");
  EXPECT_EQ(At({"system", "syslog", "file", "*"})->enum_help[0], "All facilities");
  EXPECT_EQ(At({"system", "services", "netconf", "ssh", "port"})->max, 65535u);
  for (const char* dest : {"user", "host", "file"}) {
    const SchemaNode* contents = At({"system", "syslog", dest})->FlatList();
    ASSERT_NE(contents, nullptr) << dest;
    EXPECT_TRUE(contents->oneliner);
    EXPECT_EQ(contents->key_type, ValueType::kEnum);
    const SchemaNode* notice = contents->Child("notice");
    ASSERT_NE(notice, nullptr);
    EXPECT_TRUE(notice->is_flag());
    EXPECT_EQ(notice->choice, "severity");
    EXPECT_EQ(contents->Child("any")->choice, "severity");
  }
  EXPECT_EQ(At({"system", "syslog", "host", "port"})->type, ValueType::kUint);
  EXPECT_EQ(At({"system", "syslog", "file"})->Path(), "system syslog file");
}

TEST(Schema, RoutingOptionsShape) {
  EXPECT_EQ(Names(*At({"routing-options"})),
            (std::vector<std::string>{"apply-groups", "apply-groups-except", "rib", "static",
                                      "router-id", "autonomous-system", "forwarding-table"}));
  EXPECT_EQ(At({"routing-options", "router-id"})->type, ValueType::kIpv4Address);
  const SchemaNode* as = At({"routing-options", "autonomous-system"});
  EXPECT_EQ(as->min, 1u);
  EXPECT_EQ(as->max, 4294967295u);
  for (const SchemaNode* route : {At({"routing-options", "static", "route"}),
                                  At({"routing-options", "rib", "static", "route"})}) {
    ASSERT_NE(route, nullptr);
    EXPECT_TRUE(route->oneliner);
    EXPECT_FALSE(route->ordered_by_user);
    EXPECT_EQ(route->key_type, ValueType::kIpPrefix);
    const SchemaNode* nh = route->Child("next-hop");
    EXPECT_EQ(nh->kind, SchemaKind::kLeafList);
    EXPECT_TRUE(nh->ordered_by_user);
    EXPECT_EQ(nh->choice, "next-hop-type");
    EXPECT_EQ(route->Child("discard")->choice, "next-hop-type");
    EXPECT_TRUE(route->Child("reject")->is_flag());
    EXPECT_EQ(route->Child("qualified-next-hop")->Child("preference")->type, ValueType::kUint);
    EXPECT_EQ(route->Child("preference")->choice, "");
  }
}

TEST(Schema, GroupsAndApplyGroups) {
  const SchemaNode& root = Builtin().root();
  const SchemaNode* groups = At({"groups"});
  EXPECT_EQ(groups->kind, SchemaKind::kContainer);
  const SchemaNode* group = groups->FlatList();
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->content_of, &root);
  EXPECT_EQ(group->Child("system"), At({"system"}));
  EXPECT_EQ(group->Child("groups"), groups);
  EXPECT_EQ(group->Position(At({"system"})), root.Position(At({"system"})));
  const SchemaNode* ag = root.Child("apply-groups");
  EXPECT_TRUE(ag->is_leaf_list());
  EXPECT_TRUE(ag->ordered_by_user);
  // Every container and list entry (but `groups` itself) has both, first.
  std::vector<const SchemaNode*> todo = {&root};
  int checked = 0;
  while (!todo.empty()) {
    const SchemaNode* n = todo.back();
    todo.pop_back();
    if (n->has_children() && !n->content_of && n != groups && n != &root) {
      ASSERT_GE(n->children.size(), 2u) << n->Path();
      EXPECT_EQ(n->children[0]->name, "apply-groups") << n->Path();
      EXPECT_EQ(n->children[1]->name, "apply-groups-except") << n->Path();
      EXPECT_EQ(n->Child("apply-groups"), n->children[0]);
      ++checked;
    }
    EXPECT_FALSE(n != &root && n->description.empty()) << "no help text: " << n->Path();
    if (!n->content_of) todo.insert(todo.end(), n->children.begin(), n->children.end());
  }
  EXPECT_GT(checked, 20);
  EXPECT_NE(root.Child("apply-groups-except"), nullptr);
}

TEST(Schema, ChildAndPositionUseIndexes) {
  const SchemaNode* sys = At({"system"});
  ASSERT_GT(sys->children.size(), 8u);  // large enough for the sorted index
  for (size_t i = 0; i < sys->children.size(); ++i) {
    EXPECT_EQ(sys->Child(sys->children[i]->name), sys->children[i]);
    EXPECT_EQ(sys->Position(sys->children[i]), i);
  }
  EXPECT_EQ(sys->Child("no-such-thing"), nullptr);
  EXPECT_EQ(sys->Child(""), nullptr);
  EXPECT_EQ(sys->Position(At({"interfaces"})), sys->children.size());
}

TEST(Schema, HandBuiltSchemaWorksWithoutFinalize) {
  auto root = std::make_unique<SchemaNode>();
  auto leaf = std::make_unique<SchemaNode>();
  leaf->kind = SchemaKind::kLeaf;
  leaf->name = "x";
  leaf->parent = root.get();
  root->children.push_back(leaf.get());
  root->owned_children.push_back(std::move(leaf));
  EXPECT_EQ(root->Child("x"), root->children[0]);
  EXPECT_EQ(root->Position(root->children[0]), 0u);
  Schema s(std::move(root));
  EXPECT_EQ(s.root().Child("x")->Path(), "x");
}

Status V(std::initializer_list<std::string_view> path, std::string_view value) {
  const SchemaNode* n = At(path);
  return n ? ValidateValue(*n, value) : Status::Error("no node");
}

TEST(ValidateValue, Addresses) {
  EXPECT_TRUE(V({"routing-options", "router-id"}, "192.0.2.1").ok());
  EXPECT_FALSE(V({"routing-options", "router-id"}, "192.0.2.300").ok());
  EXPECT_FALSE(V({"routing-options", "router-id"}, "2001:db8::1").ok());
  EXPECT_FALSE(V({"routing-options", "router-id"}, "192.0.2.1/32").ok());
  EXPECT_EQ(V({"routing-options", "router-id"}, "1.2.3").message(), "invalid address: 1.2.3");
  EXPECT_TRUE(V({"system", "name-server"}, "2001:db8::53").ok());
  EXPECT_TRUE(V({"system", "name-server"}, "192.0.2.53").ok());
  EXPECT_FALSE(V({"system", "name-server"}, "ns1.example.com").ok());
  std::string huge(100000, '1');
  EXPECT_FALSE(V({"system", "name-server"}, huge).ok());
}

TEST(ValidateValue, Prefixes) {
  std::initializer_list<std::string_view> route = {"routing-options", "static", "route"};
  EXPECT_TRUE(V(route, "0.0.0.0/0").ok());
  EXPECT_TRUE(V(route, "203.0.113.0/24").ok());
  EXPECT_TRUE(V(route, "2001:db8::/32").ok());
  EXPECT_TRUE(V(route, "::/0").ok());
  EXPECT_EQ(V(route, "10.0.0.300/8").message(), "invalid prefix: 10.0.0.300/8");
  EXPECT_FALSE(V(route, "10.0.0.0/33").ok());
  EXPECT_FALSE(V(route, "2001:db8::/129").ok());
  EXPECT_FALSE(V(route, "10.0.0.0/").ok());
  EXPECT_FALSE(V(route, "10.0.0.0/-1").ok());
  EXPECT_FALSE(V(route, "10.0.0.0").ok());
  EXPECT_FALSE(V(route, "/24").ok());
  std::initializer_list<std::string_view> a4 = {"interfaces", "*",    "unit",
                                                "family",     "inet", "address"};
  EXPECT_TRUE(V(a4, "192.0.2.1/24").ok());
  EXPECT_TRUE(V(a4, "192.0.2.1").ok());
  EXPECT_FALSE(V(a4, "2001:db8::1/64").ok());
  EXPECT_FALSE(V(a4, "192.0.2.1/40").ok());
  std::initializer_list<std::string_view> a6 = {"interfaces", "*",     "unit",
                                                "family",     "inet6", "address"};
  EXPECT_TRUE(V(a6, "2001:db8::1/64").ok());
  EXPECT_FALSE(V(a6, "192.0.2.1/24").ok());
}

TEST(ValidateValue, Ranges) {
  std::initializer_list<std::string_view> mtu = {"interfaces", "*", "mtu"};
  EXPECT_TRUE(V(mtu, "1500").ok());
  EXPECT_TRUE(V(mtu, "256").ok());
  EXPECT_TRUE(V(mtu, "9216").ok());
  EXPECT_EQ(V(mtu, "70000").message(), "value 70000 is not within range (256..9216)");
  EXPECT_FALSE(V(mtu, "255").ok());
  EXPECT_FALSE(V(mtu, "-1").ok());
  EXPECT_EQ(V(mtu, "abc").message(), "invalid numeric value: abc");
  EXPECT_EQ(V(mtu, "99999999999999999999999").message(),
            "value 99999999999999999999999 is not within range (256..9216)");
  EXPECT_TRUE(V({"interfaces", "*", "unit"}, "16385").ok());
  EXPECT_FALSE(V({"interfaces", "*", "unit"}, "16386").ok());
  EXPECT_FALSE(V({"interfaces", "*", "unit", "vlan-id"}, "0").ok());
  EXPECT_TRUE(V({"routing-options", "autonomous-system"}, "4294967295").ok());
  EXPECT_FALSE(V({"routing-options", "autonomous-system"}, "4294967296").ok());
  EXPECT_FALSE(V({"routing-options", "autonomous-system"}, "0").ok());
}

TEST(ValidateValue, EnumsFlagsStrings) {
  EXPECT_TRUE(V({"system", "services", "ssh", "root-login"}, "deny-password").ok());
  EXPECT_EQ(V({"system", "services", "ssh", "root-login"}, "maybe").message(),
            "invalid value: maybe (expecting one of: allow deny deny-password)");
  EXPECT_TRUE(V({"system", "syslog", "file", "*"}, "interactive-commands").ok());
  EXPECT_FALSE(V({"system", "syslog", "file", "*"}, "bogus").ok());
  EXPECT_TRUE(V({"interfaces", "*", "disable"}, "").ok());
  EXPECT_FALSE(V({"interfaces", "*", "disable"}, "yes").ok());
  EXPECT_TRUE(V({"system", "host-name"}, "r1").ok());
  EXPECT_FALSE(V({"system", "host-name"}, "").ok());
  EXPECT_FALSE(V({"interfaces", "*", "description"}, std::string(901, 'x')).ok());
}

TEST(ValidateValue, UnionsAndPatternsViaLibyang) {
  std::initializer_list<std::string_view> nh = {"routing-options", "static", "route", "next-hop"};
  EXPECT_EQ(At(nh)->type, ValueType::kYang);
  EXPECT_TRUE(V(nh, "192.0.2.1").ok());
  EXPECT_TRUE(V(nh, "2001:db8::1").ok());
  EXPECT_TRUE(V(nh, "st0.0").ok());
  EXPECT_TRUE(V(nh, "ge-0/0/0.0").ok());
  EXPECT_FALSE(V(nh, "192.0.2.1/24").ok());
  EXPECT_FALSE(V(nh, "Not An Interface").ok());
  std::initializer_list<std::string_view> rib = {"routing-options", "rib"};
  EXPECT_TRUE(V(rib, "inet6.0").ok());
  EXPECT_FALSE(V(rib, "inet6").ok());
  EXPECT_FALSE(V({"system", "syslog", "file"}, "a/b").ok());
}

TEST(ValidateValue, WildcardKeysOnlyInGroups) {
  const SchemaNode* ifd = At({"interfaces", "*"});
  const SchemaNode* unit = At({"interfaces", "*", "unit"});
  const SchemaNode* a4 = At({"interfaces", "*", "unit", "family", "inet", "address"});
  EXPECT_TRUE(ValidateValue(*unit, "<*>", true).ok());
  EXPECT_FALSE(ValidateValue(*unit, "<*>", false).ok());
  EXPECT_FALSE(ValidateValue(*unit, "<*>").ok());
  EXPECT_TRUE(ValidateValue(*ifd, "<ge-*>", true).ok());
  EXPECT_TRUE(ValidateValue(*a4, "<*>", true).ok());
  EXPECT_FALSE(ValidateValue(*unit, "70000", true).ok());
  EXPECT_FALSE(ValidateValue(*At({"interfaces", "*", "mtu"}), "<*>", true).ok())
      << "only keys may be wildcards";
}

TEST(Wildcard, Matching) {
  EXPECT_TRUE(IsWildcard("<*>"));
  EXPECT_TRUE(IsWildcard("<ge-1/2/[5-8]>"));
  EXPECT_FALSE(IsWildcard("<>"));
  EXPECT_FALSE(IsWildcard("ge-0/0/0"));
  EXPECT_TRUE(WildcardMatches("<*>", "ge-0/0/0"));
  EXPECT_TRUE(WildcardMatches("<ge-*>", "ge-0/0/0"));
  EXPECT_FALSE(WildcardMatches("<ge-*>", "xe-0/0/0"));
  EXPECT_TRUE(WildcardMatches("<ge-1/2/[5-8]>", "ge-1/2/6"));
  EXPECT_FALSE(WildcardMatches("<ge-1/2/[5-8]>", "ge-1/2/9"));
  EXPECT_TRUE(WildcardMatches("<em[0,1]>", "em1"));
  EXPECT_FALSE(WildcardMatches("<em[0,1]>", "em2"));
  EXPECT_TRUE(WildcardMatches("<1*>", "10"));
  EXPECT_FALSE(WildcardMatches("<1*>", "0"));
  EXPECT_TRUE(WildcardMatches("<ge-?/0/0>", "ge-1/0/0"));
  EXPECT_TRUE(WildcardMatches("<*0>", "ge-0/0/10"));
  EXPECT_FALSE(WildcardMatches("<*0>", "ge-0/0/1"));
  EXPECT_TRUE(WildcardMatches("<x[!0-3]>", "x7"));
  EXPECT_TRUE(WildcardMatches("ge-0/0/0", "ge-0/0/0"));
}

}  // namespace
}  // namespace sabina::config
