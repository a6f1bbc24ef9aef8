// Scripted CLI sessions over a real Mgmt (schema, parser, printer, commit engine, features) on
// a temporary configuration file and state directory. Expected texts are Junos' where Junos'
// text is the contract.
#include "mgmt/cli/session.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "config/bindings/syslog.h"
#include "config/bindings/system.h"
#include "mgmt/mgmt.h"

namespace sabina::mgmt {
namespace {

namespace fs = std::filesystem;

const char* kInitialConfig =
    "system {\n"
    "    host-name r1;\n"
    "}\n"
    "interfaces {\n"
    "    ge-0/0/0 {\n"
    "        description uplink;\n"
    "    }\n"
    "}\n";

// Times change from run to run; idle times are whole seconds of the wall clock, so even a
// test of a few milliseconds can cross a second boundary.
std::string Mask(const std::string& s) {
  static const std::regex kTime(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)");
  static const std::regex kPid(R"(\(pid \d+\))");
  static const std::regex kIdle(R"(idle 00:00:0[01]\b)");
  std::string out = std::regex_replace(std::regex_replace(s, kTime, "TIME"), kPid, "(pid N)");
  return std::regex_replace(out, kIdle, "idle 00:00:0X");
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sabina_cli_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    config_ = dir_ + "/juniper.conf";
    std::ofstream(config_) << kInitialConfig;
    Start();
  }
  void TearDown() override {
    sessions_.clear();
    mgmt_.reset();
    fs::remove_all(dir_);
  }
  void Start() {
    sessions_.clear();
    mgmt_.reset();
    MgmtOptions options;
    options.config_file = config_;
    options.state_dir = dir_ + "/state";
    StatusOr<std::unique_ptr<Mgmt>> m = Mgmt::Create(options);
    ASSERT_TRUE(m.ok()) << m.status().message();
    mgmt_ = std::move(*m);
  }
  Session& New(const std::string& user = "root") {
    sessions_.push_back(mgmt_->NewSession(user));
    return *sessions_.back();
  }
  // Runs a command that must succeed; returns its output.
  std::string Ok(Session& s, const std::string& line) {
    CommandResult r = s.Execute(line);
    EXPECT_TRUE(r.ok) << line << "\n" << r.output;
    return r.output;
  }
  // Runs a command that must fail; returns its output.
  std::string Bad(Session& s, const std::string& line) {
    CommandResult r = s.Execute(line);
    EXPECT_FALSE(r.ok) << line << "\n" << r.output;
    return r.output;
  }
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::string dir_;
  std::string config_;
  std::unique_ptr<Mgmt> mgmt_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

TEST_F(CliTest, PromptBannerAndVersion) {
  Session& s = New("root");
  EXPECT_EQ(s.Prompt(), "root@r1> ");
  EXPECT_EQ(s.Banner(), "");
  EXPECT_EQ(Ok(s, "show version"), "Hostname: r1\nModel: sabina\nSabina version 0.1.0\n");
  EXPECT_EQ(Ok(s, "configure"), "Entering configuration mode\n");
  EXPECT_EQ(s.Prompt(), "root@r1# ");
  EXPECT_EQ(s.Banner(), "[edit]");
  Ok(s, "edit interfaces ge-0/0/0");
  EXPECT_EQ(s.Banner(), "[edit interfaces ge-0/0/0]");
  EXPECT_EQ(Ok(s, "exit configuration-mode"), "Exiting configuration mode\n");
  EXPECT_EQ(s.Prompt(), "root@r1> ");
  CommandResult r = s.Execute("quit");
  EXPECT_TRUE(r.quit);
}

// What sabinad's logger follows, through Mgmt's accessors: new snapshots after a commit.
TEST_F(CliTest, PublishedSyslogAndIdentity) {
  ASSERT_TRUE(mgmt_->PublishedIdentity());
  EXPECT_EQ(mgmt_->PublishedIdentity()->host_name, "r1");
  std::shared_ptr<const config::SyslogConfig> before = mgmt_->PublishedSyslog();
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set system host-name r2");
  Ok(s, "set system syslog file messages any notice");
  Ok(s, "commit");
  EXPECT_EQ(mgmt_->PublishedIdentity()->host_name, "r2");
  std::shared_ptr<const config::SyslogConfig> after = mgmt_->PublishedSyslog();
  ASSERT_TRUE(after);
  EXPECT_NE(after, before);
  ASSERT_EQ(after->files.size(), 1u);
  EXPECT_NE(after->files[0].path.find("messages"), std::string::npos);
}

TEST_F(CliTest, ShowConfigurationAndAbbreviations) {
  Session& s = New();
  std::string full = Ok(s, "show configuration");
  EXPECT_EQ(Mask(full), "## Last commit: TIME by root\n" + std::string(kInitialConfig));
  EXPECT_EQ(Ok(s, "sh conf"), full);
  EXPECT_EQ(Ok(s, "show configuration system"), "host-name r1;\n");
  EXPECT_EQ(Ok(s, "show configuration sys host"), "host-name r1;\n");
  EXPECT_EQ(Ok(s, "show configuration interfaces ge-0/0/0"), "description uplink;\n");
  EXPECT_EQ(Ok(s, "show configuration interfaces ge-9/9/9"), "");
  EXPECT_EQ(Ok(s, "show configuration | display set"),
            "set system host-name r1\nset interfaces ge-0/0/0 description uplink\n");
  EXPECT_EQ(Ok(s, "show configuration interfaces | display set"),
            "set interfaces ge-0/0/0 description uplink\n");
}

TEST_F(CliTest, UnknownAndAmbiguousCommands) {
  Session& s = New();
  s.set_interactive(true);
  // The caret sits under the bad word, counting the prompt as a terminal shows it.
  EXPECT_EQ(Bad(s, "foo"), "         ^\nunknown command.\n");
  EXPECT_EQ(Bad(s, "show foo"), "              ^\nsyntax error, expecting <command>: foo\n");
  EXPECT_EQ(Bad(s, "s"),
            "         ^\n's' is ambiguous.\nPossible completions:\n"
            "  set                  Set CLI properties, date/time, craft interface message\n"
            "  show                 Show system information\n");
  EXPECT_EQ(Bad(s, "show"), "             ^\nsyntax error, expecting <command>.\n");
  EXPECT_EQ(Bad(s, "show configuration systm"), "                            ^\nsyntax error.\n");
  EXPECT_EQ(Bad(s, "show configuration | frob"),
            "                              ^\nsyntax error, expecting <command>: frob\n");
}

// A script's session (the default: `sabina -c`, stdin) shows no prompt, so a caret would point
// nowhere: the message names the word instead.
TEST_F(CliTest, ScriptErrorsNameTheWordWithoutACaret) {
  Session& s = New();
  EXPECT_EQ(Bad(s, "foo"), "unknown command: 'foo'\n");
  EXPECT_EQ(Bad(s, "show foo"), "syntax error, expecting <command>: foo\n");
  EXPECT_EQ(Bad(s, "s"),
            "'s' is ambiguous.\nPossible completions:\n"
            "  set                  Set CLI properties, date/time, craft interface message\n"
            "  show                 Show system information\n");
  EXPECT_EQ(Bad(s, "show configuration sys frob"),
            "syntax error: unknown statement 'frob' at [edit system] (expected one of: "
            "apply-groups, apply-groups-except, host-name, domain-name, domain-search, "
            "time-zone, root-authentication, name-server, login, services, syslog)\n");
  EXPECT_EQ(Bad(s, "show configuration | frob"), "syntax error, expecting <command>: frob\n");
  Ok(s, "configure");
  std::string before = Ok(s, "show");
  EXPECT_EQ(Bad(s, "frobnicate"), "unknown command: 'frobnicate'\n");
  const std::string kExpected =
      "' at [edit system] (expected one of: apply-groups, apply-groups-except, host-name, "
      "domain-name, domain-search, time-zone, root-authentication, name-server, login, "
      "services, syslog)\n";
  // Abbreviated keywords before the bad word are expanded, as when the command succeeds.
  EXPECT_EQ(Bad(s, "set sys frobnicate yes"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "delete system frobnicate"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "deactivate system frobnicate"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "activate system frobnicate"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "edit system frobnicate"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "show system frobnicate"),
            "syntax error: unknown statement 'frobnicate" + kExpected);
  EXPECT_EQ(Bad(s, "set apply x"),
            "syntax error: 'apply' is ambiguous at [edit] (possible completions: apply-groups, "
            "apply-groups-except)\n");
  EXPECT_EQ(Bad(s, "set system host-name a b"),
            "syntax error: unexpected 'b' at [edit system host-name]\n");
  Ok(s, "edit interfaces");
  EXPECT_EQ(Bad(s, "set ge-0/0/0 frob"),
            "syntax error: unknown statement 'frob' at [edit interfaces ge-0/0/0] (expected one "
            "of: apply-groups, apply-groups-except, description, disable, vlan-tagging, mtu, "
            "unit)\n");
  Ok(s, "top");
  EXPECT_EQ(Ok(s, "show"), before);
}

// Control bytes in a command line: refused before anything runs, the byte named.
TEST_F(CliTest, ControlBytesInCommandsAreRefused) {
  Session& s = New();
  Ok(s, "configure");
  std::string before = Ok(s, "show");
  EXPECT_EQ(Bad(s, std::string("set system host-name a\0b", 24)),
            "syntax error: invalid character \\x00 in 'a\\x00b'\n");
  EXPECT_EQ(Bad(s, "commit comment \"a\x1b[2J\""),
            "syntax error: invalid character \\x1b in 'a\\x1b[2J'\n");
  EXPECT_EQ(Bad(s, "run show ver\x7f"), "syntax error: invalid character \\x7f in 'ver\\x7f'\n");
  s.set_interactive(true);
  EXPECT_EQ(Bad(s, "set system host-name a\x01"),
            "                               ^\nsyntax error: invalid character \\x01\n");
  EXPECT_EQ(Ok(s, "show"), before);
}

TEST_F(CliTest, Pipes) {
  Session& s = New();
  EXPECT_EQ(Ok(s, "show configuration | match host"), "    host-name r1;\n");
  EXPECT_EQ(Ok(s, "show configuration | except \"[{}]\" | count"), "Count: 3 lines\n");
  EXPECT_EQ(Ok(s, "show configuration | last 3 | no-more"), "        description uplink;\n    }\n}\n");
  EXPECT_EQ(Ok(s, "show configuration | display set | match interfaces"),
            "set interfaces ge-0/0/0 description uplink\n");
  EXPECT_EQ(Ok(s, "show version | match model"), "Model: sabina\n");
}

TEST_F(CliTest, SetCliIsAcceptedForScripts) {
  Session& s = New();
  EXPECT_EQ(Ok(s, "set cli screen-length 0"), "Screen length set to 0\n");
  EXPECT_EQ(Ok(s, "set cli screen-width 511"), "Screen width set to 511\n");
  EXPECT_EQ(Ok(s, "set cli complete-on-space off"), "Disabling complete-on-space\n");
}

TEST_F(CliTest, EditSetShowCompareCommit) {
  Session& s = New();
  Ok(s, "conf");
  EXPECT_EQ(Ok(s, "set sys host-name r2"), "");
  Ok(s, "set system domain-name example.net");
  Ok(s, "edit interfaces ge-0/0/1");
  EXPECT_EQ(s.Banner(), "[edit interfaces ge-0/0/1]");
  Ok(s, "set description \"to core\"");
  EXPECT_EQ(Ok(s, "show"), "description \"to core\";\n");
  Ok(s, "up");
  EXPECT_EQ(s.Banner(), "[edit interfaces]");
  EXPECT_EQ(Ok(s, "show ge-0/0/1"), "description \"to core\";\n");
  Ok(s, "top");
  EXPECT_EQ(s.Banner(), "[edit]");
  EXPECT_EQ(Ok(s, "show | compare"),
            "[edit system]\n"
            "-   host-name r1;\n"
            "+   host-name r2;\n"
            "+   domain-name example.net;\n"
            "[edit interfaces]\n"
            "+   ge-0/0/1 {\n"
            "+       description \"to core\";\n"
            "+   }\n");
  EXPECT_EQ(Ok(s, "show system | compare"),
            "[edit system]\n"
            "-   host-name r1;\n"
            "+   host-name r2;\n"
            "+   domain-name example.net;\n");
  EXPECT_EQ(Mask(Ok(s, "show")).substr(0, 25), "## Last changed: TIME\nsys");
  EXPECT_EQ(Ok(s, "commit check"), "configuration check succeeds\n");
  EXPECT_EQ(Ok(s, "com comment \"second\""), "commit complete\n");
  EXPECT_EQ(s.Prompt(), "root@r2# ");
  EXPECT_EQ(Ok(s, "show | compare"), "");
  std::string commits = Mask(Ok(s, "run show system commit"));
  EXPECT_EQ(commits.substr(0, commits.find('\n', commits.find('\n') + 1) + 1),
            "0   TIME by root via cli\n    second\n");
  EXPECT_EQ(Ok(s, "run show configuration | compare rollback 1"),
            "[edit system]\n"
            "-   host-name r1;\n"
            "+   host-name r2;\n"
            "+   domain-name example.net;\n"
            "[edit interfaces]\n"
            "+   ge-0/0/1 {\n"
            "+       description \"to core\";\n"
            "+   }\n");
  EXPECT_EQ(Ok(s, "run show system rollback 1 compare 0"),
            Ok(s, "run show configuration | compare rollback 1"));
  EXPECT_EQ(Ok(s, "run show system rollback 1 | display set"),
            "set system host-name r1\nset interfaces ge-0/0/0 description uplink\n");
  // The committed file is what a restarted daemon serves.
  Start();
  Session& s2 = New();
  EXPECT_EQ(Ok(s2, "show configuration system domain-name"), "domain-name example.net;\n");
}

TEST_F(CliTest, EditCommandsThroughTheParser) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "deactivate interfaces ge-0/0/0");
  EXPECT_EQ(Ok(s, "show interfaces"), "inactive: ge-0/0/0 {\n    description uplink;\n}\n");
  Ok(s, "activate interfaces ge-0/0/0");
  Ok(s, "annotate system \"the box\"");
  EXPECT_EQ(Ok(s, "show | compare"), Ok(s, "show | compare"));
  EXPECT_NE(Ok(s, "show").find("/* the box */\nsystem {\n"), std::string::npos);
  Ok(s, "copy interfaces ge-0/0/0 to ge-0/0/5");
  Ok(s, "rename interfaces ge-0/0/5 to ge-0/0/6");
  EXPECT_EQ(Ok(s, "show interfaces | display set"),
            "set interfaces ge-0/0/0 description uplink\n"
            "set interfaces ge-0/0/6 description uplink\n");
  Ok(s, "delete interfaces ge-0/0/6");
  EXPECT_EQ(Ok(s, "delete interfaces ge-0/0/6"), "warning: statement not found\n");
  Ok(s, "set apply-groups [ a b c ]");
  Ok(s, "insert apply-groups c before a");
  EXPECT_EQ(Ok(s, "show apply-groups"), "apply-groups [ c a b ];\n");
  Ok(s, "delete apply-groups");
  Ok(s, "protect system");
  EXPECT_FALSE(s.Execute("set system host-name x").ok);
  Ok(s, "unprotect system");
  Ok(s, "set system host-name x");
  // A bad keyword: caret under it (interactive), nothing changed.
  s.set_interactive(true);
  EXPECT_EQ(Bad(s, "set system frob 1"), "                    ^\nsyntax error.\n");
  EXPECT_EQ(Bad(s, "set apply x"), "             ^\n'apply' is ambiguous.\n");
}

TEST_F(CliTest, ExitFromSubLevelAndUncommittedWarning) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "edit system");
  Ok(s, "edit syslog");
  EXPECT_EQ(s.Banner(), "[edit system syslog]");
  EXPECT_EQ(Ok(s, "exit"), "");
  EXPECT_EQ(s.Banner(), "[edit system]");
  EXPECT_EQ(Ok(s, "exit"), "");
  EXPECT_EQ(s.Banner(), "[edit]");
  Ok(s, "set system domain-name d.example");
  EXPECT_EQ(Ok(s, "exit"),
            "The configuration has been changed but not committed\nExiting configuration mode\n");
  // Shared candidate: the change is still there on the next `configure`.
  EXPECT_EQ(Ok(s, "configure"),
            "Entering configuration mode\nThe configuration has been changed but not committed\n");
  EXPECT_EQ(Ok(s, "rollback"), "load complete\n");
  EXPECT_EQ(Ok(s, "show | compare"), "");
  EXPECT_EQ(Ok(s, "exit"), "Exiting configuration mode\n");
}

TEST_F(CliTest, UpByLevels) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set interfaces ge-0/0/0 unit 0 description u0");
  Ok(s, "edit interfaces ge-0/0/0 unit 0");
  EXPECT_EQ(s.Banner(), "[edit interfaces ge-0/0/0 unit 0]");
  Ok(s, "up");
  EXPECT_EQ(s.Banner(), "[edit interfaces ge-0/0/0]");
  Ok(s, "edit unit 0");
  Ok(s, "up 2");
  EXPECT_EQ(s.Banner(), "[edit interfaces]");
  Ok(s, "up 5");
  EXPECT_EQ(s.Banner(), "[edit]");
  Ok(s, "edit system");
  Ok(s, "top set interfaces ge-0/0/9 description nine");
  EXPECT_EQ(s.Banner(), "[edit]");
  Ok(s, "edit system");
  EXPECT_EQ(Ok(s, "top show interfaces ge-0/0/9"), "description nine;\n");
  EXPECT_EQ(Bad(s, "top set interfaces ge-0/0/9 frob"),
            "syntax error: unknown statement 'frob' at [edit interfaces ge-0/0/9] (expected one "
            "of: apply-groups, apply-groups-except, description, disable, vlan-tagging, mtu, "
            "unit)\n");
  s.set_interactive(true);
  EXPECT_EQ(Bad(s, "top set interfaces ge-0/0/9 frob"),
            "                                     ^\nsyntax error.\n");
}

TEST_F(CliTest, SharedCandidateIsShared) {
  Session& a = New("alice");
  Session& b = New("bob");
  Ok(a, "configure");
  Ok(a, "set system domain-name shared.example");
  std::string entering = Mask(Ok(b, "configure"));
  EXPECT_EQ(entering,
            "Entering configuration mode\n"
            "Users currently editing the configuration:\n"
            "  alice terminal p0 (pid N) on since TIME, idle 00:00:0X\n"
            "      [edit]\n"
            "The configuration has been changed but not committed\n");
  EXPECT_EQ(Ok(b, "show system domain-name"), "domain-name shared.example;\n");
  EXPECT_EQ(Mask(Ok(b, "status")),
            "Users currently editing the configuration:\n"
            "  alice terminal p0 (pid N) on since TIME, idle 00:00:0X\n"
            "      [edit]\n"
            "  bob terminal p1 (pid N) on since TIME, idle 00:00:0X\n"
            "      [edit]\n");
  // bob commits alice's change too.
  Ok(b, "commit");
  EXPECT_EQ(Ok(a, "show | compare"), "");
  EXPECT_EQ(Ok(a, "run show configuration system domain-name"), "domain-name shared.example;\n");
  std::string hist = Ok(a, "run show system commit");
  EXPECT_EQ(Mask(hist.substr(0, hist.find('\n') + 1)), "0   TIME by bob via cli\n");
}

TEST_F(CliTest, ConfigureExclusive) {
  Session& a = New("alice");
  Session& b = New("bob");
  EXPECT_EQ(Ok(a, "configure exclusive"),
            "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n");
  Ok(a, "set system host-name locked");
  Ok(b, "configure");
  std::string locked = Mask(Bad(b, "commit"));
  EXPECT_EQ(locked,
            "error: configuration database locked by:\n"
            "  alice terminal p0 (pid N) on since TIME, idle 00:00:0X\n"
            "      exclusive [edit]\n");
  EXPECT_EQ(Mask(Bad(b, "set system domain-name x")), locked);
  Ok(b, "exit");
  EXPECT_EQ(Mask(Bad(b, "configure exclusive")), locked);
  EXPECT_EQ(Ok(a, "exit"),
            "The configuration has been changed but not committed\n"
            "warning: Auto rollback on exiting 'configure exclusive'\n"
            "warning: discarding uncommitted changes\n"
            "load complete\n"
            "Exiting configuration mode\n");
  // The lock is gone and the change discarded.
  Ok(b, "configure");
  EXPECT_EQ(Ok(b, "show | compare"), "");
  Ok(b, "set system host-name bob");
  Ok(b, "commit and-quit");
  EXPECT_EQ(b.Prompt(), "bob@bob> ");
}

TEST_F(CliTest, ExclusiveCommitKeepsLockAndSessionEndReleasesIt) {
  Session& a = New("alice");
  Ok(a, "configure exclusive");
  Ok(a, "set system host-name ex");
  EXPECT_EQ(Ok(a, "commit"), "commit complete\n");
  EXPECT_EQ(a.Prompt(), "alice@ex# ");
  Ok(a, "set system domain-name gone.example");
  sessions_.clear();  // connection dropped: uncommitted exclusive changes are discarded
  Session& b = New("bob");
  Ok(b, "configure exclusive");
  EXPECT_EQ(Ok(b, "show | compare"), "");
}

TEST_F(CliTest, ConfigurePrivate) {
  Session& a = New("alice");
  Session& b = New("bob");
  EXPECT_EQ(Ok(a, "configure private"),
            "warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n");
  Ok(a, "set system domain-name private.example");
  // Others do not see private changes.
  Ok(b, "configure");
  EXPECT_EQ(Ok(b, "show | compare"), "");
  // b commits something else; a's commit merges its own change on top.
  Ok(b, "set system host-name r9");
  Ok(b, "commit");
  Ok(a, "edit system");
  EXPECT_EQ(Bad(a, "commit"),
            "error: commit must be issued from the top of the configuration in private mode\n");
  Ok(a, "top");
  EXPECT_EQ(Bad(a, "commit confirmed 5"),
            "error: 'commit confirmed' is not supported in private mode\n");
  EXPECT_EQ(Ok(a, "commit"), "commit complete\n");
  EXPECT_EQ(Ok(a, "run show configuration system"),
            "host-name r9;\ndomain-name private.example;\n");
  // b's shared view follows the new running configuration.
  EXPECT_EQ(Ok(b, "show | compare"), "");
  EXPECT_EQ(Ok(b, "show system domain-name"), "domain-name private.example;\n");
  // A modified shared candidate blocks private commits and entering private mode.
  Ok(b, "set system host-name dirty");
  Ok(a, "set system domain-name p2.example");
  EXPECT_EQ(Bad(a, "commit"), "error: shared configuration database modified\n");
  Ok(a, "exit");
  std::string err = Mask(Bad(a, "configure private"));
  EXPECT_EQ(err.substr(0, err.find('\n') + 1), "error: shared configuration database modified\n");
}

TEST_F(CliTest, PrivateExitDiscards) {
  Session& a = New();
  Ok(a, "configure private");
  Ok(a, "set system domain-name p.example");
  EXPECT_EQ(Ok(a, "exit"),
            "The configuration has been changed but not committed\n"
            "warning: discarding uncommitted changes\n"
            "Exiting configuration mode\n");
  Ok(a, "configure");
  EXPECT_EQ(Ok(a, "show | compare"), "");
}

TEST_F(CliTest, LoadFromFilesAndTerminal) {
  Session& s = New();
  Ok(s, "configure");
  std::string merge = WriteFile("merge.conf", "system { domain-name m.example; }\n");
  EXPECT_EQ(Ok(s, "load merge " + merge), "load complete\n");
  EXPECT_EQ(Ok(s, "show system domain-name"), "domain-name m.example;\n");
  std::string over = WriteFile("override.conf", "system { host-name o1; }\n");
  EXPECT_EQ(Ok(s, "load override " + over), "load complete\n");
  EXPECT_EQ(Ok(s, "show | display set"), "set system host-name o1\n");
  std::string sets = WriteFile("x.set", "set system host-name s1\nset system domain-name s.example\n");
  EXPECT_EQ(Ok(s, "load set " + sets), "load complete\n");
  EXPECT_EQ(Ok(s, "show system"), "host-name s1;\ndomain-name s.example;\n");
  std::string repl = WriteFile("r.conf", "system { replace: host-name rr; }\n");
  EXPECT_EQ(Ok(s, "load replace " + repl), "load complete\n");
  EXPECT_EQ(Ok(s, "show system host-name"), "host-name rr;\n");

  // Terminal input, relative to the edit level.
  Ok(s, "edit interfaces");
  CommandResult r = s.Execute("load merge terminal relative");
  ASSERT_TRUE(r.ok);
  EXPECT_TRUE(r.wants_terminal);
  EXPECT_EQ(r.output, "[Type ^D at a new line to end input]\n");
  r = s.TerminalInput("ge-0/0/3 { description t3; }\n");
  EXPECT_TRUE(r.ok) << r.output;
  EXPECT_EQ(r.output, "load complete\n");
  EXPECT_EQ(Ok(s, "show ge-0/0/3"), "description t3;\n");
  Ok(s, "top");

  // A bad file changes nothing.
  std::string before = Ok(s, "show");
  std::string bad = WriteFile("bad.conf", "system { frobnicate; }\n");
  std::string err = Bad(s, "load merge " + bad);
  EXPECT_NE(err.find("frobnicate"), std::string::npos) << err;
  EXPECT_EQ(Ok(s, "show"), before);
  EXPECT_EQ(Bad(s, "load merge " + dir_ + "/missing.conf"),
            "error: could not open configuration file '" + dir_ + "/missing.conf'\n");

  // An empty, blank or comment-only file (or paste) is an error in every mode, and changes
  // nothing: `load override` of an empty file must not wipe the candidate.
  for (const char* text : {"", "\n   \n", "## Last changed: x\n# nothing\n"}) {
    std::string empty = WriteFile("empty.conf", text);
    for (const char* mode : {"merge", "override", "replace", "update", "set"}) {
      EXPECT_EQ(Bad(s, std::string("load ") + mode + " " + empty),
                "error: " + empty + ": no configuration statements; nothing loaded\n")
          << mode;
      EXPECT_EQ(Ok(s, "show"), before) << mode;
    }
  }
  for (const char* mode : {"override", "set"}) {
    r = s.Execute(std::string("load ") + mode + " terminal");
    ASSERT_TRUE(r.wants_terminal);
    r = s.TerminalInput("\n# nothing\n");
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.output, "error: terminal: no configuration statements; nothing loaded\n");
    EXPECT_EQ(Ok(s, "show"), before) << mode;
  }

  // load patch: a `show | compare` text.
  Ok(s, "rollback 0");
  std::string patch = WriteFile("p.diff", "[edit system]\n+   domain-name patched.example;\n");
  EXPECT_EQ(Ok(s, "load patch " + patch), "load complete\n");
  EXPECT_EQ(Ok(s, "show | compare"), "[edit system]\n+   domain-name patched.example;\n");
}

TEST_F(CliTest, LoadUpdateAndRollbackN) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set system host-name second");
  Ok(s, "commit");
  Ok(s, "set system host-name third");
  Ok(s, "commit");
  EXPECT_EQ(Ok(s, "rollback 2"), "load complete\n");
  EXPECT_EQ(Ok(s, "show | compare"), "[edit system]\n-   host-name third;\n+   host-name r1;\n");
  EXPECT_EQ(Ok(s, "show | compare rollback 2"), "");
  EXPECT_EQ(Ok(s, "show | compare rollback 1"),
            "[edit system]\n-   host-name second;\n+   host-name r1;\n");
  EXPECT_EQ(Bad(s, "rollback 40"), "error: rollback 40 not found\n");
  EXPECT_EQ(Bad(s, "rollback 50"), "syntax error, expecting <number>: 50\n");
  s.set_interactive(true);
  EXPECT_EQ(Bad(s, "rollback 50"), "                     ^\nsyntax error, expecting <number>: 50\n");
  s.set_interactive(false);
  std::string file = WriteFile("u.conf", "system { host-name third; }\ninterfaces { ge-0/0/0 { description uplink; } }\n");
  EXPECT_EQ(Ok(s, "load update " + file), "load complete\n");
  EXPECT_EQ(Ok(s, "show | compare"), "");
}

TEST_F(CliTest, CommitErrorsChangeNothing) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set apply-groups no-such-group");
  std::string err = Bad(s, "commit");
  EXPECT_NE(err.find("no-such-group"), std::string::npos) << err;
  EXPECT_NE(err.find("error: configuration check-out failed\n"), std::string::npos) << err;
  EXPECT_EQ(Ok(s, "run show configuration | display set"),
            "set system host-name r1\nset interfaces ge-0/0/0 description uplink\n");
}

TEST_F(CliTest, CommitConfirmedRollsBack) {
  // 2-second minutes: a slow `show system commit` (sanitizers, a loaded machine) must still
  // find the rollback a minute ahead.
  setenv("SABINA_TEST_MINUTE_SECONDS", "2", 1);
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set system host-name tmp");
  EXPECT_EQ(Ok(s, "commit confirmed 1 comment \"try it\""),
            "commit confirmed will be automatically rolled back in 1 minutes unless confirmed\n"
            "commit complete\n");
  std::string hist = Mask(Ok(s, "run show system commit"));
  EXPECT_EQ(hist.substr(0, hist.find('\n', hist.find('\n') + 1) + 1),
            "0   TIME by root via cli commit confirmed, rollback in 1mins\n    try it\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(4100));
  mgmt_->Tick();
  unsetenv("SABINA_TEST_MINUTE_SECONDS");
  EXPECT_EQ(Ok(s, "run show configuration system"), "host-name r1;\n");
  // The shared candidate had no changes of its own, so it follows running.
  EXPECT_EQ(Ok(s, "show | compare"), "");
  EXPECT_EQ(s.Prompt(), "root@r1# ");
}

TEST_F(CliTest, CommitConfirmedThenConfirm) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set system host-name tmp");
  Ok(s, "commit confirmed");
  EXPECT_NE(Ok(s, "run show system commit").find("rollback in 10mins"), std::string::npos);
  Ok(s, "commit");
  EXPECT_EQ(Ok(s, "run show system commit").find("rollback in"), std::string::npos);
}

TEST_F(CliTest, ShowSystemUptime) {
  Session& s = New();
  std::string out = Ok(s, "show system uptime");
  std::regex re(
      "Current time: TIME\n"
      "Time Source:  LOCAL CLOCK \n"
      "System booted: TIME \\([0-9wd: ]+ ago\\)\n"
      "Protocols started: TIME \\(00:00:0[0-9] ago\\)\n"
      "Last configured: TIME \\(00:00:0[0-9] ago\\) by root\n"
      "[ 1][0-9]:[0-5][0-9][AP]M  up .*, 1 user, load averages: [0-9.]+, [0-9.]+, [0-9.]+\n");
  EXPECT_TRUE(std::regex_match(Mask(out), re)) << out;
}

TEST_F(CliTest, RunFromConfigurationMode) {
  Session& s = New();
  Ok(s, "configure");
  EXPECT_EQ(Ok(s, "run show version | match Host"), "Hostname: r1\n");
  EXPECT_EQ(Ok(s, "run show configuration system"), "host-name r1;\n");
}

TEST_F(CliTest, DisplayInheritance) {
  Session& s = New();
  Ok(s, "configure");
  Ok(s, "set groups g1 system domain-name from-group.example");
  Ok(s, "set apply-groups g1");
  Ok(s, "commit");
  std::string out = Ok(s, "run show configuration system | display inheritance");
  EXPECT_EQ(out,
            "host-name r1;\n"
            "##\n"
            "## 'from-group.example' was inherited from group 'g1'\n"
            "##\n"
            "domain-name from-group.example;\n");
  EXPECT_EQ(Ok(s, "show system | display inheritance | match domain"),
            "domain-name from-group.example;\n");
}

TEST_F(CliTest, CompletionOfCommands) {
  Session& s = New();
  CompletionResult c = s.Complete("");
  ASSERT_EQ(c.candidates.size(), 9u);
  EXPECT_EQ(c.candidates[1].word, "configure");
  EXPECT_EQ(c.candidates[1].help, "Manipulate software configuration information");
  c = s.Complete("sh");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "show");
  c = s.Complete("show ");
  ASSERT_EQ(c.candidates.size(), 8u);
  EXPECT_EQ(c.candidates[1].word, "configuration");
  c = s.Complete("show sys");
  ASSERT_EQ(c.candidates.size(), 1u);
  c = s.Complete("show system ");
  ASSERT_EQ(c.candidates.size(), 4u);
  EXPECT_EQ(c.candidates[1].word, "rollback");
  c = s.Complete("xyz");
  EXPECT_TRUE(c.candidates.empty());
  EXPECT_EQ(c.error, "No valid completions");
  c = s.Complete("xyz ");
  EXPECT_EQ(c.error, "unknown command.");
  c = s.Complete("show configuration | ");
  ASSERT_EQ(c.candidates.size(), 7u);
  EXPECT_EQ(c.candidates[0].word, "compare");
  c = s.Complete("show configuration | display ");
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[0].word, "inheritance");
  c = s.Complete("configure ");
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[1].word, "private");
}

TEST_F(CliTest, CompletionOfConfigurationPaths) {
  Session& s = New();
  CompletionResult c = s.Complete("show configuration sys");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "system");
  EXPECT_FALSE(c.candidates[0].help.empty());
  Ok(s, "configure");
  c = s.Complete("com");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "commit");
  c = s.Complete("set system host");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "host-name");
  c = s.Complete("set system host-name ");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_TRUE(c.candidates[0].is_placeholder);
  EXPECT_EQ(c.candidates[0].word.front(), '<');
  // Existing interface names come from the candidate, after the <name> placeholder.
  c = s.Complete("set interfaces ");
  ASSERT_GE(c.candidates.size(), 2u);
  EXPECT_TRUE(c.candidates[0].is_placeholder);
  EXPECT_EQ(c.candidates[1].word, "ge-0/0/0");
  c = s.Complete("delete interfaces ge");
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[1].word, "ge-0/0/0");
  c = s.Complete("set system host-name r1 ");
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "<[Enter]>");
  // Keys from a closed set are listed (syslog facilities), severities too.
  c = s.Complete("set system syslog file messages a");
  ASSERT_GE(c.candidates.size(), 2u);
  bool any = false;
  for (const Completion& x : c.candidates) any |= x.word == "any" && !x.is_placeholder;
  EXPECT_TRUE(any);
  c = s.Complete("set system syslog file messages any ");
  bool notice = false;
  for (const Completion& x : c.candidates) notice |= x.word == "notice";
  EXPECT_TRUE(notice);
  c = s.Complete("set frob ");
  EXPECT_EQ(c.error, "syntax error.");
  c = s.Complete("edit interfaces ge-0/0/0 ");
  bool has_unit = false;
  for (const Completion& x : c.candidates) has_unit |= x.word == "unit";
  EXPECT_TRUE(has_unit);
  c = s.Complete("commit ");
  ASSERT_EQ(c.candidates.size(), 4u);
  EXPECT_EQ(c.candidates[0].word, "and-quit");
  c = s.Complete("load ");
  ASSERT_EQ(c.candidates.size(), 6u);
  c = s.Complete("load merge ");
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[1].word, "terminal");
  c = s.Complete("rollback ");
  ASSERT_GE(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].word, "0");
  EXPECT_NE(c.candidates[0].help.find(" by root via "), std::string::npos);
  c = s.Complete("run show ");
  ASSERT_EQ(c.candidates.size(), 8u);
  c = s.Complete("show | ");
  ASSERT_EQ(c.candidates.size(), 7u);
}

}  // namespace
}  // namespace sabina::mgmt
