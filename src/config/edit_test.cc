#include <gtest/gtest.h>

#include "config/codec.h"
#include "config/parser_test_schema.h"

namespace sabina::config {
namespace {

using ptest::Dump;

class EditTest : public ::testing::Test {
 protected:
  EditTest() : root(s.root) {}

  // Runs a command line at `level` (space-separated words, quotes honoured).
  Status Run(std::string_view line, std::vector<std::string> level = {}) {
    auto w = SplitWords(line);
    if (!w.ok()) return w.status();
    warnings.clear();
    return ExecuteEdit(root, level, *w, &warnings);
  }
  void Ok(std::string_view line, std::vector<std::string> level = {}) {
    Status st = Run(line, std::move(level));
    EXPECT_TRUE(st.ok()) << line << ": " << st.message();
  }
  // Fails, and leaves the tree as it was.
  std::string Fails(std::string_view line, std::vector<std::string> level = {}) {
    std::string before = Dump(root);
    Status st = Run(line, std::move(level));
    EXPECT_FALSE(st.ok()) << line;
    EXPECT_EQ(Dump(root), before) << line;
    return st.message();
  }

  ptest::PSchema s;
  Node root;
  std::vector<std::string> warnings;
};

TEST_F(EditTest, SetCreatesAndReplaces) {
  Ok("set system host-name r1");
  Ok("set system host-name r2");
  Ok("set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24");
  Ok("set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.2/24");
  Ok("set interfaces ge-0/0/1 disable");
  Ok("set interfaces ge-0/0/2 unit 5");
  Ok("set interfaces ge-0/0/0 description \"to core\"");
  EXPECT_EQ(Dump(root),
            "system\n"
            "  host-name r2\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 0\n"
            "      family\n"
            "        inet\n"
            "          address 192.0.2.1/24\n"
            "          address 192.0.2.2/24\n"
            "    description to core\n"
            "  ge-0/0/1\n"
            "    disable\n"
            "  ge-0/0/2\n"
            "    unit 5\n");
}

TEST_F(EditTest, SetLeafListsAndRelativeLevel) {
  Ok("set system domain-search [ a b ]");
  Ok("set system domain-search c");
  Ok("set domain-search a", {"system"});
  Ok("set name-server 192.0.2.1", {"system"});
  Ok("set unit 0 vlan-id 10", {"interfaces", "ge-0/0/0"});
  Ok("set routing-options static route 0.0.0.0/0 next-hop 192.0.2.1");
  Ok("set routing-options static route 0.0.0.0/0 next-hop 192.0.2.2");
  EXPECT_EQ(Dump(root),
            "system\n"
            "  domain-search a\n"
            "  domain-search b\n"
            "  domain-search c\n"
            "  name-server 192.0.2.1\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 0\n"
            "      vlan-id 10\n"
            "routing-options\n"
            "  static\n"
            "    route 0.0.0.0/0\n"
            "      next-hop 192.0.2.1\n"
            "      next-hop 192.0.2.2\n");
  // A choice member replaces the others.
  Ok("set routing-options static route 0.0.0.0/0 discard");
  EXPECT_EQ(Dump(*root.Find(s.routing_options)), "static\n  route 0.0.0.0/0\n    discard\n");
}

TEST_F(EditTest, SetErrorsChangeNothing) {
  Ok("set system host-name r1");
  EXPECT_EQ(Fails("set system foo bar"),
            "syntax error: unknown statement 'foo' at [edit system] (expected one of: "
            "apply-groups, apply-groups-except, host-name, domain-name, domain-search, "
            "name-server, syslog, services)");
  EXPECT_EQ(Fails("set interfaces ge-0/0/0 unit 0 family inet address 300.1.1.1/24"),
            "invalid address: 300.1.1.1/24 at [edit interfaces ge-0/0/0 unit 0 family inet]");
  EXPECT_EQ(Fails("set interfaces ge-0/0/0 unit 99999"),
            "value 99999 is not within range (0..16385) at [edit interfaces ge-0/0/0]");
  EXPECT_EQ(Fails("set system host-name"),
            "syntax error: missing value after 'host-name' (expected <host-name>)");
  EXPECT_EQ(Fails("set system host-name a b"),
            "syntax error: unexpected 'b' at [edit system host-name]");
  EXPECT_EQ(Fails("set interfaces ge-0/0/0 disable now"),
            "syntax error: unexpected 'now' at [edit interfaces ge-0/0/0 disable]");
  EXPECT_EQ(Fails("frobnicate system"), "syntax error: unknown edit command 'frobnicate'");
  EXPECT_EQ(
      Fails("set host-name r1", {"bogus"}).rfind("syntax error: unknown statement 'bogus'", 0), 0u);
}

TEST_F(EditTest, Delete) {
  Ok("set system host-name r1");
  Ok("set system domain-search [ a b c ]");
  Ok("set system name-server 192.0.2.1");
  Ok("set system name-server 192.0.2.2");
  Ok("set interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24");
  Ok("set interfaces ge-0/0/1 unit 0");
  Ok("delete system domain-search b");
  Ok("delete system host-name");
  Ok("delete interfaces ge-0/0/0 unit 0 family inet address 192.0.2.1/24");
  Ok("delete interfaces ge-0/0/1");
  EXPECT_EQ(Dump(root),
            "system\n"
            "  domain-search a\n"
            "  domain-search c\n"
            "  name-server 192.0.2.1\n"
            "  name-server 192.0.2.2\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 0\n"
            "      family\n"
            "        inet\n");
  Ok("delete system name-server");  // the whole list
  EXPECT_EQ(Dump(*root.Find(s.system)), "domain-search a\ndomain-search c\n");
  // Not there: a warning, no error.
  Ok("delete system host-name");
  EXPECT_EQ(warnings, std::vector<std::string>{"warning: statement not found"});
  Ok("delete interfaces ge-0/0/9");
  EXPECT_EQ(warnings, std::vector<std::string>{"warning: statement not found"});
  Ok("delete system domain-search zzz");
  EXPECT_EQ(warnings.size(), 1u);
  // `delete` alone at a level deletes what is below it.
  Ok("delete", {"interfaces", "ge-0/0/0"});
  EXPECT_EQ(Dump(root), "system\n  domain-search a\n  domain-search c\ninterfaces\n  ge-0/0/0\n");
  Ok("delete");
  EXPECT_EQ(Dump(root), "");
}

TEST_F(EditTest, ActivateDeactivate) {
  Ok("set system host-name r1");
  Ok("set interfaces ge-0/0/0 unit 0");
  Ok("deactivate system host-name");
  Ok("deactivate unit 0", {"interfaces", "ge-0/0/0"});
  EXPECT_EQ(Dump(root),
            "system\n  host-name r1 [inactive]\ninterfaces\n  ge-0/0/0\n    unit 0 [inactive]\n");
  Ok("activate system host-name");
  EXPECT_FALSE(root.Find(s.system)->Find(s.host_name)->inactive);
  EXPECT_EQ(Fails("deactivate system domain-name"),
            "error: statement not found: [edit system domain-name]");
  EXPECT_EQ(Fails("activate interfaces ge-0/0/7 unit 0"),
            "error: statement not found: [edit interfaces ge-0/0/7]");
}

TEST_F(EditTest, Annotate) {
  Ok("set system host-name r1");
  Ok("set interfaces ge-0/0/0 unit 0");
  Ok("annotate system \"core router\"");
  Ok("annotate unit 0 \"first\"", {"interfaces", "ge-0/0/0"});
  Ok("annotate ge-0/0/0 \"uplink\"", {"interfaces"});
  Ok("annotate host-name \"name\"", {"system"});
  EXPECT_EQ(Dump(root),
            "system /*core router*/\n"
            "  host-name r1 /*name*/\n"
            "interfaces\n"
            "  ge-0/0/0 /*uplink*/\n"
            "    unit 0 /*first*/\n");
  Ok("annotate system \"replaced\"");
  EXPECT_EQ(root.Find(s.system)->annotation, "replaced");
  Ok("annotate system \"\"");
  EXPECT_EQ(root.Find(s.system)->annotation, "");
  EXPECT_EQ(Fails("annotate routing-options \"x\""),
            "error: statement not found: [edit routing-options]");
}

TEST_F(EditTest, InsertInOrderedLists) {
  Ok("set apply-groups [ g1 g2 g3 ]");
  Ok("insert apply-groups g3 before g1");
  EXPECT_EQ(Dump(root), "apply-groups g3\napply-groups g1\napply-groups g2\n");
  Ok("insert apply-groups g3 after g2");
  EXPECT_EQ(Dump(root), "apply-groups g1\napply-groups g2\napply-groups g3\n");
  Ok("set firewall filter f term t1 then accept");
  Ok("set firewall filter f term t2");
  Ok("set firewall filter f term t3");
  Ok("insert term t3 before term t1", {"firewall", "filter", "f"});
  Ok("insert firewall filter f term t2 before t3");
  Ok("set system name-server 192.0.2.1");
  Ok("set system name-server 192.0.2.2");
  Ok("insert system name-server 192.0.2.2 before 192.0.2.1");
  EXPECT_EQ(Dump(root),
            "apply-groups g1\n"
            "apply-groups g2\n"
            "apply-groups g3\n"
            "firewall\n"
            "  filter f\n"
            "    term t2\n"
            "    term t3\n"
            "    term t1\n"
            "      then\n"
            "        accept\n"
            "system\n"
            "  name-server 192.0.2.2\n"
            "  name-server 192.0.2.1\n");
  Ok("set interfaces ge-0/0/0 unit 0");
  Ok("set interfaces ge-0/0/0 unit 1");
  EXPECT_EQ(Fails("insert interfaces ge-0/0/0 unit 1 before unit 0"),
            "error: 'unit' is ordered by the system; insert works only in ordered-by-user lists");
  EXPECT_EQ(Fails("insert firewall filter f term t9 before term t1"),
            "error: statement not found: [edit firewall filter f term t9]");
  EXPECT_EQ(Fails("insert firewall filter f term t1 before term t9"),
            "error: statement not found: [edit firewall filter f term t9]");
  EXPECT_FALSE(Run("insert firewall filter f term t1").ok());
}

TEST_F(EditTest, RenameAndCopy) {
  Ok("set interfaces ge-0/0/0 unit 0 vlan-id 10");
  Ok("set interfaces ge-0/0/0 description up");
  Ok("rename interfaces ge-0/0/0 unit 0 to unit 1");
  Ok("copy interfaces ge-0/0/0 to ge-0/0/1");
  Ok("rename interfaces ge-0/0/0 to ge-0/0/5");
  EXPECT_EQ(Dump(root),
            "interfaces\n"
            "  ge-0/0/5\n"
            "    unit 1\n"
            "      vlan-id 10\n"
            "    description up\n"
            "  ge-0/0/1\n"
            "    unit 1\n"
            "      vlan-id 10\n"
            "    description up\n");
  // The index follows the rename.
  EXPECT_NE(root.Find(s.interfaces)->Find(s.interface, "ge-0/0/5"), nullptr);
  EXPECT_EQ(root.Find(s.interfaces)->Find(s.interface, "ge-0/0/0"), nullptr);
  Ok("copy unit 1 to unit 2", {"interfaces", "ge-0/0/1"});
  EXPECT_NE(root.Find(s.interfaces)->Find(s.interface, "ge-0/0/1")->Find(s.unit, "2"), nullptr);
  EXPECT_EQ(Fails("rename interfaces ge-0/0/5 to ge-0/0/1"),
            "error: rename: 'ge-0/0/1' already exists");
  EXPECT_EQ(Fails("rename interfaces ge-0/0/5 unit 1 to unit x"), "invalid numeric value: x");
  EXPECT_EQ(Fails("copy interfaces ge-0/0/9 to ge-0/0/10"),
            "error: statement not found: [edit interfaces ge-0/0/9]");
  EXPECT_FALSE(Run("rename interfaces ge-0/0/5").ok());
}

TEST_F(EditTest, Protect) {
  Ok("set system host-name r1");
  Ok("set system domain-name example.com");
  Ok("set interfaces ge-0/0/0 unit 0");
  Ok("protect system host-name");
  EXPECT_TRUE(root.Find(s.system)->Find(s.host_name)->protect);
  EXPECT_EQ(Fails("set system host-name r2"),
            "error: [edit system host-name r1] is protected, 'set' is not allowed");
  EXPECT_EQ(Fails("delete system host-name"),
            "error: [edit system host-name r1] is protected, 'delete' is not allowed");
  EXPECT_NE(Fails("deactivate system host-name").find("is protected"), std::string::npos);
  EXPECT_NE(Fails("annotate host-name \"x\"", {"system"}).find("is protected"), std::string::npos);
  // Deleting an unprotected parent keeps the protected child.
  Ok("delete system");
  EXPECT_EQ(Dump(root), "system\n  host-name r1 [protect]\ninterfaces\n  ge-0/0/0\n    unit 0\n");
  Ok("protect interfaces ge-0/0/0");
  EXPECT_NE(Fails("set interfaces ge-0/0/0 unit 1").find("is protected"), std::string::npos);
  EXPECT_NE(Fails("rename interfaces ge-0/0/0 to ge-0/0/1").find("is protected"),
            std::string::npos);
  EXPECT_NE(Fails("unprotect interfaces ge-0/0/0 unit 0").find("is protected"), std::string::npos);
  Ok("unprotect interfaces ge-0/0/0");
  Ok("set interfaces ge-0/0/0 unit 1");
  EXPECT_EQ(Fails("protect routing-options"), "error: statement not found: [edit routing-options]");
}

TEST_F(EditTest, Resolve) {
  Ok("set interfaces ge-0/0/0 unit 0 vlan-id 10");
  Ok("set system host-name r1");
  auto n = Resolve(root, {"interfaces", "ge-0/0/0", "unit", "0"});
  ASSERT_TRUE(n.ok());
  ASSERT_NE(*n, nullptr);
  EXPECT_EQ((*n)->schema(), s.unit);
  auto h = Resolve(root, {"system", "host-name"});
  ASSERT_TRUE(h.ok());
  ASSERT_NE(*h, nullptr);
  EXPECT_EQ((*h)->value(), "r1");
  auto absent = Resolve(root, {"interfaces", "ge-0/0/1"});
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(*absent, nullptr);
  auto top = Resolve(root, {});
  ASSERT_TRUE(top.ok());
  EXPECT_EQ(*top, &root);
  EXPECT_FALSE(Resolve(root, {"interfaces", "ge-0/0/0", "bogus"}).ok());
  EXPECT_EQ(Resolve(root, {"interfaces", "ge-0/0/0", "unit"}).status().message(),
            "syntax error: missing value after 'unit' (expected <name>)");
}

TEST_F(EditTest, GroupsTakeAnyConfigAndWildcards) {
  Ok("set groups g1 interfaces <ge-*> unit <*> vlan-id 5");
  Ok("set groups g1 system host-name r1");
  Ok("set apply-groups g1");
  EXPECT_EQ(Dump(root),
            "groups\n"
            "  g1\n"
            "    interfaces\n"
            "      <ge-*>\n"
            "        unit <*>\n"
            "          vlan-id 5\n"
            "    system\n"
            "      host-name r1\n"
            "apply-groups g1\n");
  EXPECT_NE(Fails("set interfaces ge-0/0/0 unit <*>").find("invalid numeric value"),
            std::string::npos);
}

}  // namespace
}  // namespace sabina::config
