#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "config/codec.h"
#include "config/parser_test_schema.h"

namespace sabina::config {
namespace {

using ptest::Dump;

class LoadTest : public ::testing::Test {
 protected:
  LoadTest() : root(s.root) {}

  void Setup(std::string_view text) {
    auto r = ParseCurly(*s.root, text, "setup");
    ASSERT_TRUE(r.ok()) << r.status().message();
    root.Clear();
    ASSERT_TRUE(Load(root, **r, LoadMode::kMerge).ok());
  }
  std::string LoadText(std::string_view text, LoadMode mode) {
    auto r = ParseCurly(*s.root, text, "terminal");
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return "ERROR";
    Status st = Load(root, **r, mode);
    EXPECT_TRUE(st.ok()) << st.message();
    return Dump(root);
  }
  Status Set(std::string_view text, std::vector<std::string> level = {}) {
    warnings.clear();
    return LoadSet(root, level, text, "terminal", &warnings);
  }

  ptest::PSchema s;
  Node root;
  std::vector<std::string> warnings;

  static constexpr std::string_view kBase =
      "system { host-name r1; domain-search [ a b ]; name-server 192.0.2.1; }\n"
      "interfaces { ge-0/0/0 { description old; unit 0 { vlan-id 10; } unit 1; } }\n"
      "firewall { filter f { term t1; term t2 { then accept; } term t3; } }\n";
};

TEST_F(LoadTest, MergeAddsAndOverwritesAndIgnoresReplace) {
  Setup(kBase);
  EXPECT_EQ(LoadText("system { host-name r2; domain-search c; }\n"
                     "replace: interfaces { ge-0/0/0 { description new; } }\n",
                     LoadMode::kMerge),
            "system\n"
            "  host-name r2\n"
            "  domain-search a\n"
            "  domain-search b\n"
            "  name-server 192.0.2.1\n"
            "  domain-search c\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    description new\n"
            "    unit 0\n"
            "      vlan-id 10\n"
            "    unit 1\n"
            "firewall\n"
            "  filter f\n"
            "    term t1\n"
            "    term t2\n"
            "      then\n"
            "        accept\n"
            "    term t3\n");
}

TEST_F(LoadTest, MergeAppliesDeleteInactiveActiveProtect) {
  Setup(kBase);
  root.Find(s.system)->Find(s.host_name)->inactive = true;
  EXPECT_EQ(
      LoadText("system { delete: name-server; delete: domain-search a; active: host-name r1; }\n"
               "interfaces { delete: ge-0/0/0; inactive: ge-0/0/1 { mtu 1500; } }\n"
               "protect: firewall;\n"
               "routing-options { delete: static; }\n",
               LoadMode::kMerge),
      "system\n"
      "  host-name r1\n"
      "  domain-search b\n"
      "interfaces\n"
      "  ge-0/0/1 [inactive]\n"
      "    mtu 1500\n"
      "firewall [protect]\n"
      "  filter f\n"
      "    term t1\n"
      "    term t2\n"
      "      then\n"
      "        accept\n"
      "    term t3\n");
}

TEST_F(LoadTest, ReplaceHonoursReplaceTagAndKeepsPosition) {
  Setup(kBase);
  EXPECT_EQ(LoadText("interfaces { replace: ge-0/0/0 { unit 5; } }\n"
                     "firewall filter f { replace: term t2 { } }\n"
                     "system { host-name r9; }\n",
                     LoadMode::kReplace),
            "system\n"
            "  host-name r9\n"
            "  domain-search a\n"
            "  domain-search b\n"
            "  name-server 192.0.2.1\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    unit 5\n"
            "firewall\n"
            "  filter f\n"
            "    term t1\n"
            "    term t2\n"
            "    term t3\n");
  // Replacing what is not there just adds it.
  EXPECT_EQ(LoadText("replace: routing-options { router-id 192.0.2.9; }", LoadMode::kReplace)
                .substr(0, 0),
            "");
  EXPECT_NE(root.Find(s.routing_options), nullptr);
}

TEST_F(LoadTest, ReplaceWithoutTagsIsMerge) {
  Setup(kBase);
  std::string merged = LoadText("system { host-name r2; }", LoadMode::kReplace);
  Setup(kBase);
  EXPECT_EQ(LoadText("system { host-name r2; }", LoadMode::kMerge), merged);
}

TEST_F(LoadTest, OverrideAndUpdateReplaceEverything) {
  for (LoadMode m : {LoadMode::kOverride, LoadMode::kUpdate}) {
    Setup(kBase);
    EXPECT_EQ(LoadText("system { host-name r3; delete: domain-name; }\n"
                       "replace: interfaces { inactive: ge-0/0/9; }\n",
                       m),
              "system\n  host-name r3\ninterfaces\n  ge-0/0/9 [inactive]\n");
  }
}

TEST_F(LoadTest, WrongLevelIsAnError) {
  auto r = ParseCurly(*s.system, "host-name r1;", "t");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(Load(root, **r, LoadMode::kMerge).ok());
  // Relative load at the right level.
  Node* sys = root.Ensure(s.system);
  EXPECT_TRUE(Load(*sys, **r, LoadMode::kMerge).ok());
  EXPECT_EQ(Dump(root), "system\n  host-name r1\n");
}

TEST_F(LoadTest, LoadSetRunsCommandsInOrder) {
  Setup(kBase);
  ASSERT_TRUE(Set("# comment\n"
                  "\n"
                  "set system host-name r5\r\n"
                  "delete interfaces ge-0/0/0 unit 1\n"
                  "edit interfaces ge-0/0/0\n"
                  "set unit 7 vlan-id 70\n"
                  "deactivate unit 7\n"
                  "annotate unit 7 \"seven\"\n"
                  "up\n"
                  "set ge-0/0/1 mtu 9000\n"
                  "top\n"
                  "insert firewall filter f term t3 before term t1\n"
                  "rename firewall filter f term t2 to term t20\n"
                  "copy firewall filter f term t20 to term t21\n"
                  "edit system\n"
                  "exit\n"
                  "delete system domain-search [ a b ]\n"
                  "protect system\n"
                  "delete system name-server 192.0.2.200\n")
                  .ok());
  EXPECT_EQ(warnings, std::vector<std::string>{"terminal:19: warning: statement not found"});
  EXPECT_EQ(Dump(root),
            "system [protect]\n"
            "  host-name r5\n"
            "  name-server 192.0.2.1\n"
            "interfaces\n"
            "  ge-0/0/0\n"
            "    description old\n"
            "    unit 0\n"
            "      vlan-id 10\n"
            "    unit 7 [inactive] /*seven*/\n"
            "      vlan-id 70\n"
            "  ge-0/0/1\n"
            "    mtu 9000\n"
            "firewall\n"
            "  filter f\n"
            "    term t3\n"
            "    term t1\n"
            "    term t20\n"
            "      then\n"
            "        accept\n"
            "    term t21\n"
            "      then\n"
            "        accept\n");
}

TEST_F(LoadTest, LoadSetErrorChangesNothing) {
  Setup(kBase);
  std::string before = Dump(root);
  Status st =
      Set("set system host-name r5\n"
          "delete interfaces\n"
          "set system bogus 1\n"
          "set system host-name r6\n");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "terminal:3:12: syntax error: unknown statement 'bogus' at [edit system] (expected one "
            "of: apply-groups, apply-groups-except, host-name, domain-name, domain-search, "
            "name-server, syslog, services) (in: set system bogus 1)");
  EXPECT_EQ(Dump(root), before);
  st = Set("set system host-name r5\ndeactivate system domain-name\n");
  EXPECT_EQ(st.message(),
            "terminal:2: error: statement not found: [edit system domain-name] (in: deactivate "
            "system domain-name)");
  EXPECT_EQ(Dump(root), before);
  st = Set("set system host-name \"r5\n");
  EXPECT_EQ(st.message(),
            "terminal:1:22: syntax error: unterminated quoted string (in: set system host-name "
            "\"r5)");
  st = Set("edit interfaces ge-0/0/0 description\n");
  EXPECT_EQ(st.message(),
            "terminal:1: syntax error: missing value after 'description' (expected "
            "<description>) (in: edit interfaces ge-0/0/0 description)");
  st = Set("edit interfaces ge-0/0/0 description x\n");
  EXPECT_EQ(st.message(),
            "terminal:1: syntax error: 'description' is not a container (in: edit interfaces "
            "ge-0/0/0 description x)");
  st = Set("set interfaces ge-0/0/0 mtu 100000000000000000000000\n");
  EXPECT_NE(st.message().find("is not within range"), std::string::npos);
  EXPECT_EQ(Dump(root), before);
  // A 1 MB line.
  st = Set("set system " + std::string(1 << 20, 'z') + "\n");
  EXPECT_LT(st.message().size(), 1000u);
  EXPECT_EQ(Dump(root), before);
  // Binary garbage.
  std::string garbage;
  for (int i = 0; i < 2048; ++i) garbage += static_cast<char>((i * 131 + 7) & 0xff);
  EXPECT_FALSE(Set(garbage).ok());
  EXPECT_EQ(Dump(root), before);
  // Control bytes: the line and column of the byte.
  st = Set(std::string("set system host-name ok\nset system host-name a\0b\n", 49));
  EXPECT_EQ(st.message(),
            "terminal:2:23: syntax error: invalid character \\x00 in 'a\\x00b' (in: set system "
            "host-name a\\x00b)");
  EXPECT_EQ(Dump(root), before);
  // Empty input: nothing to do.
  EXPECT_TRUE(Set("").ok());
  EXPECT_EQ(Dump(root), before);
}

TEST_F(LoadTest, LoadSetRelativeToLevel) {
  ASSERT_TRUE(Set("set host-name r1\nset name-server 192.0.2.1\n", {"system"}).ok());
  EXPECT_EQ(Dump(root), "system\n  host-name r1\n  name-server 192.0.2.1\n");
}

TEST_F(LoadTest, LoadSetHundredThousandLines) {
  std::string text;
  char buf[160];
  for (int i = 0; i < 20000; ++i) {
    std::snprintf(buf, sizeof buf,
                  "set routing-options static route 10.%d.%d.0/24 next-hop 192.0.2.%d\n", i / 256,
                  i % 256, i % 250 + 1);
    text += buf;
  }
  for (int i = 0; i < 4000; ++i) {
    for (int u = 0; u < 4; ++u) {
      std::snprintf(buf, sizeof buf,
                    "set interfaces ge-0/%d/%d unit %d vlan-id %d\n"
                    "set interfaces ge-0/%d/%d unit %d family inet address 10.%d.%d.%d/30\n",
                    i / 48, i % 48, u, u + 1, i / 48, i % 48, u, i / 64, i % 64, u * 4);
      text += buf;
    }
    std::snprintf(buf, sizeof buf, "set interfaces ge-0/%d/%d description \"port %d\"\n", i / 48,
                  i % 48, i);
    text += buf;
  }
  size_t lines = std::count(text.begin(), text.end(), '\n');
  EXPECT_GT(lines, 50000u);
  std::clock_t c0 = std::clock();
  ASSERT_TRUE(Set(text).ok());
  double sec = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::printf("LoadSet: %zu lines in %.3f s CPU (%.0f lines/s)\n", lines, sec, lines / sec);
  EXPECT_LT(sec, 5.0);
  EXPECT_EQ(root.Find(s.routing_options)->Find(s.static_)->children().size(), 20000u);
}

}  // namespace
}  // namespace sabina::config
