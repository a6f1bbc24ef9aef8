#include "config/commit.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

#include "base/file.h"
#include "config/codec.h"
#include "config/store.h"
#include "daemon/features.h"

namespace sabina::config {
namespace {

const Schema& TheSchema() {
  static const Schema* schema = [] {
    auto s = Schema::LoadBuiltin();
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s->release() : nullptr;
  }();
  return *schema;
}

std::unique_ptr<Node> Parse(std::string_view text) {
  auto parsed = ParseCurly(TheSchema().root(), text, "test");
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  auto root = std::make_unique<Node>(&TheSchema().root());
  if (parsed.ok()) {
    EXPECT_TRUE(Load(*root, **parsed, LoadMode::kOverride).ok());
  }
  return root;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

constexpr char kBase[] = R"(system {
    host-name r1;
}
interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 192.0.2.1/24;
            }
        }
    }
}
)";

class CommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "sabina-commit-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    file_ = dir_ + "/sabina.conf";
    state_ = dir_ + "/state";
    ::unsetenv("SABINA_TEST_MINUTE_SECONDS");
  }
  void TearDown() override { ::unsetenv("SABINA_TEST_MINUTE_SECONDS"); }

  // Opens the engine with every real feature registered, like sabinad does.
  std::unique_ptr<CommitEngine> OpenEngine() {
    engine_.reset();
    ctx_ = std::make_unique<daemon::FeatureContext>();
    ctx_->state_dir = state_;
    auto e = CommitEngine::Open(TheSchema(), file_, state_);
    EXPECT_TRUE(e.ok()) << e.status().message();
    if (!e.ok()) return nullptr;
    daemon::RegisterFeatures(**e, *ctx_);
    Status st = (*e)->ApplyInitial();
    EXPECT_TRUE(st.ok()) << st.message();
    return std::move(*e);
  }

  StatusOr<std::vector<std::string>> Commit(CommitEngine& e, std::string_view text,
                                            CommitRequest req = {}) {
    return e.Commit(*Parse(text), req);
  }

  // Commit must fail with exactly `expected` and leave running, FILE and history alone.
  void ExpectRejected(CommitEngine& e, std::string_view text, const std::string& expected) {
    std::string file_before = *ReadFile(file_);
    size_t history_before = e.History().size();
    auto running_before = e.running().Clone();
    auto r = Commit(e, text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), expected);
    EXPECT_EQ(*ReadFile(file_), file_before);
    EXPECT_EQ(e.History().size(), history_before);
    EXPECT_TRUE(e.running().Equals(*running_before));
  }

  // Where the store keeps history entry `seq` (layout in store.h).
  std::string EntryFile(uint64_t seq) const {
    char name[32];
    snprintf(name, sizeof(name), "/rollback/%010llu.conf", static_cast<unsigned long long>(seq));
    return state_ + name;
  }

  std::string dir_, file_, state_;
  std::unique_ptr<daemon::FeatureContext> ctx_;
  std::unique_ptr<CommitEngine> engine_;
};

TEST_F(CommitTest, MissingFileBecomesTheDefaultConfiguration) {
  auto e = OpenEngine();
  ASSERT_TRUE(e);
  EXPECT_EQ(PrintCurly(e->running()), "system {\n    host-name sabina;\n}\n");
  std::string text = *ReadFile(file_);
  EXPECT_TRUE(text.starts_with("## Last commit: ")) << text;
  EXPECT_TRUE(text.find(" by root via other\n") != std::string::npos);
  ASSERT_EQ(e->History().size(), 1u);
  EXPECT_EQ(ctx_->identity.Get()->host_name, "sabina");
}

// An existing FILE without statements (0 bytes, blanks, comments) is a truncated copy: Open
// refuses it, names it and leaves it alone. A committed empty configuration (FILE written by
// us, with its header) still opens.
TEST_F(CommitTest, EmptyFileIsRefusedButAnEmptyCommitIsNot) {
  ASSERT_TRUE(::mkdir(state_.c_str(), 0700) == 0 || errno == EEXIST);
  for (std::string_view text : {"", "\n  \n", "# nothing here\n/* */\n"}) {
    ASSERT_TRUE(WriteFileAtomic(file_, text).ok());
    auto e = CommitEngine::Open(TheSchema(), file_, state_);
    ASSERT_FALSE(e.ok()) << "opened an empty FILE: '" << text << "'";
    EXPECT_EQ(e.status().message().rfind(file_ + ": no configuration statements", 0), 0u)
        << e.status().message();
    EXPECT_EQ(*ReadFile(file_), text);
  }
  ASSERT_EQ(::unlink(file_.c_str()), 0);
  auto e = OpenEngine();
  ASSERT_TRUE(e);
  ASSERT_TRUE(Commit(*e, "").ok());
  e.reset();
  auto again = OpenEngine();
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->running().empty());
}

TEST_F(CommitTest, CommitPersistsAndSurvivesRestart) {
  auto e = OpenEngine();
  CommitRequest req;
  req.user = "alice";
  req.comment = "first change";
  auto r = Commit(*e, kBase, req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Join(*r), "commit complete\n");
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
  ASSERT_EQ(e->History().size(), 2u);
  EXPECT_EQ(e->History()[0].user, "alice");
  EXPECT_EQ(e->History()[0].client, "cli");
  EXPECT_EQ(e->History()[0].comment, "first change");
  EXPECT_NEAR(static_cast<double>(e->History()[0].time), static_cast<double>(::time(nullptr)), 5);
  std::string text = *ReadFile(file_);
  EXPECT_TRUE(text.find("by alice via cli\n") != std::string::npos);
  EXPECT_TRUE(text.find("host-name r1;") != std::string::npos);

  auto before = e->running().Clone();
  e.reset();
  auto again = OpenEngine();
  EXPECT_TRUE(again->running().Equals(*before));
  ASSERT_EQ(again->History().size(), 2u);
  EXPECT_EQ(again->History()[0].comment, "first change");
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
}

TEST_F(CommitTest, CommitCheckChangesNothing) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  std::string file_before = *ReadFile(file_);
  auto identity_before = ctx_->identity.Get();
  CommitRequest req;
  req.check_only = true;
  auto r = Commit(*e, "system { host-name r2; }", req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Join(*r), "configuration check succeeds\n");
  EXPECT_EQ(*ReadFile(file_), file_before);
  EXPECT_EQ(e->History().size(), 2u);
  EXPECT_EQ(ctx_->identity.Get(), identity_before);
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
  // A failing check reports like a failing commit.
  req.check_only = true;
  auto bad = e->Commit(*Parse("interfaces { ge-0/0/1 { unit 5 { vlan-id 5; } } }"), req);
  EXPECT_FALSE(bad.ok());
}

TEST_F(CommitTest, DuplicateAddressOnAnInterfaceIsRejected) {
  auto e = OpenEngine();
  ExpectRejected(*e, R"(interfaces {
    ge-0/0/0 {
        unit 0 {
            family inet {
                address 192.0.2.1/24;
            }
        }
        unit 1 {
            family inet {
                address 192.0.2.1/25;
            }
        }
    }
})",
                 "[edit interfaces ge-0/0/0 unit 1 family inet]\n"
                 "  'address 192.0.2.1/25'\n"
                 "    duplicate address 192.0.2.1 on ge-0/0/0 (also on unit 0)\n"
                 "error: configuration check-out failed");
  // The same address on two interfaces is a different matter (not checked here).
  EXPECT_TRUE(Commit(*e, "interfaces { ge-0/0/0 { unit 0 { family inet { address 192.0.2.1/24; } } }"
                         " ge-0/0/1 { unit 0 { family inet6 { address 2001:db8::1/64; } } } }")
                  .ok());
}

TEST_F(CommitTest, DuplicateIpv6AddressInAnotherSpellingIsRejected) {
  auto e = OpenEngine();
  auto r = Commit(*e, "interfaces { ge-0/0/0 { unit 0 { family inet6 { address 2001:db8::1/64;"
                      " address 2001:DB8:0::1/128; } } } }");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("duplicate address 2001:db8::1"), std::string::npos)
      << r.status().message();
}

TEST_F(CommitTest, VlanIdNeedsVlanTagging) {
  auto e = OpenEngine();
  ExpectRejected(*e, "interfaces { ge-0/0/0 { unit 10 { vlan-id 10; } } }",
                 "[edit interfaces ge-0/0/0 unit 10]\n"
                 "  'vlan-id 10'\n"
                 "    VLAN-ID can only be specified on tagged ethernet interfaces\n"
                 "error: configuration check-out failed");
  auto ok = Commit(*e, "interfaces { ge-0/0/0 { vlan-tagging; unit 10 { vlan-id 10; } } }");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  auto table = ctx_->interfaces.Get();
  ASSERT_EQ(table->interfaces.size(), 1u);
  EXPECT_TRUE(table->interfaces[0].vlan_tagging);
  EXPECT_EQ(table->interfaces[0].units[0].vlan_id, 10);
}

TEST_F(CommitTest, InvalidInterfaceAddressesAreRejected) {
  auto e = OpenEngine();
  // Valid for the schema type, not as an interface address.
  auto r = Commit(*e, "interfaces { ge-0/0/0 { unit 0 { family inet { address 224.0.0.1/24; } } } }");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "[edit interfaces ge-0/0/0 unit 0 family inet]\n"
            "  'address 224.0.0.1/24'\n"
            "    Invalid address (multicast or reserved): 224.0.0.1/24\n"
            "error: configuration check-out failed");
}

TEST_F(CommitTest, StaticRouteNextHopChecks) {
  auto e = OpenEngine();
  ExpectRejected(*e, "routing-options { static { route 10.0.0.0/8 next-hop 2001:db8::1; } }",
                 "[edit routing-options static route 10.0.0.0/8]\n"
                 "  'next-hop 2001:db8::1'\n"
                 "    next-hop 2001:db8::1 is not an IPv4 address\n"
                 "error: configuration check-out failed");
  ExpectRejected(*e, "routing-options { rib inet6.0 { static { route 10.0.0.0/8 discard; } } }",
                 "[edit routing-options rib inet6.0 static]\n"
                 "  'route 10.0.0.0/8'\n"
                 "    IPv4 route is not allowed in table inet6.0\n"
                 "error: configuration check-out failed");
  ExpectRejected(*e, "routing-options { static { route 10.0.0.0/8 preference 7; } }",
                 "[edit routing-options static route 10.0.0.0/8]\n"
                 "  Missing next-hop, qualified-next-hop, discard or reject\n"
                 "error: configuration check-out failed");
  auto ok = Commit(*e, R"(routing-options {
    router-id 192.0.2.1;
    autonomous-system 65001;
    static {
        route 0.0.0.0/0 {
            next-hop [ 192.0.2.254 ge-0/0/0.0 ];
            preference 7;
        }
        route 10.0.0.0/8 {
            qualified-next-hop 192.0.2.9 {
                preference 20;
            }
        }
        route 10.99.0.0/16 reject;
    }
    rib inet6.0 {
        static {
            route ::/0 next-hop 2001:db8::1;
        }
    }
})");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  auto rc = ctx_->routing.Get();
  ASSERT_EQ(rc->routes.size(), 4u);
  EXPECT_EQ(*rc->router_id, "192.0.2.1");
  EXPECT_EQ(*rc->autonomous_system, 65001u);
  const StaticRoute& def = rc->routes[0];
  EXPECT_EQ(def.prefix, "0.0.0.0/0");
  EXPECT_EQ(def.preference, 7u);
  ASSERT_EQ(def.next_hops.size(), 2u);
  EXPECT_FALSE(def.next_hops[0].is_interface);
  EXPECT_TRUE(def.next_hops[1].is_interface);
  EXPECT_EQ(rc->routes[1].qualified[0].preference, 20u);
  EXPECT_EQ(rc->routes[1].preference, 5u);
  EXPECT_EQ(rc->routes[2].action, StaticRoute::Action::kReject);
  EXPECT_EQ(rc->routes[3].table, "inet6.0");
}

TEST_F(CommitTest, DiscardWithNextHopIsRejected) {
  auto e = OpenEngine();
  // The schema's choice keeps the parser from building this; a tree from elsewhere may.
  auto tree = Parse("routing-options { static { route 10.0.0.0/8 next-hop 192.0.2.1; } }");
  Node* ro = tree->Find(TheSchema().root().Child("routing-options"));
  Node* st = ro->Find(ro->schema()->Child("static"));
  Node* route = st->children()[0].get();
  route->Ensure(route->schema()->Child("discard"));
  auto r = e->Commit(*tree, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "[edit routing-options static route 10.0.0.0/8]\n"
            "  'discard'\n"
            "    next-hop and discard are mutually exclusive\n"
            "error: configuration check-out failed");
}

TEST_F(CommitTest, UnknownGroupAbortsTheCommit) {
  auto e = OpenEngine();
  auto r = Commit(*e, "apply-groups missing; system { host-name x; }");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("missing"), std::string::npos) << r.status().message();
  EXPECT_TRUE(r.status().message().ends_with("error: configuration check-out failed"));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "sabina");
}

TEST_F(CommitTest, FeaturesSeeGroupsApplied) {
  auto e = OpenEngine();
  auto r = Commit(*e, "groups { g { system { host-name from-group; } } } apply-groups g;");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ctx_->identity.Get()->host_name, "from-group");
}

TEST_F(CommitTest, SystemAndSyslogBindings) {
  auto e = OpenEngine();
  ExpectRejected(*e, "system { time-zone Mars/Olympus_Mons; }",
                 "[edit system]\n"
                 "  'time-zone Mars/Olympus_Mons'\n"
                 "    Invalid time zone: Mars/Olympus_Mons\n"
                 "error: configuration check-out failed");
  auto r = Commit(*e, R"(system {
    host-name r9;
    domain-name example.net;
    time-zone UTC;
    syslog {
        host 127.0.0.1 {
            any notice;
            port 5514;
        }
        file messages {
            any notice;
            authorization info;
        }
    }
})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(ctx_->identity.Get()->domain_name, "example.net");
  auto sl = ctx_->syslog.Get();
  ASSERT_EQ(sl->files.size(), 1u);
  EXPECT_EQ(sl->files[0].path, state_ + "/log/messages");
  EXPECT_TRUE(FileExists(state_ + "/log"));
  ASSERT_EQ(sl->files[0].selectors.size(), 2u);
  EXPECT_EQ(sl->files[0].selectors[1].facility, "authorization");
  EXPECT_EQ(sl->files[0].selectors[1].severity, "info");
  EXPECT_EQ(sl->files[0].selectors[1].level, 6);
  EXPECT_EQ(sl->files[0].selectors[1].facility_code, 4);
  ASSERT_EQ(sl->hosts.size(), 1u);
  EXPECT_EQ(sl->hosts[0].port, 5514);
  EXPECT_EQ(sl->hosts[0].selectors[0].level, 5);
}

TEST_F(CommitTest, RollbackReturnsOlderConfigurations) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, "system { host-name a; }").ok());
  ASSERT_TRUE(Commit(*e, "system { host-name b; }").ok());
  auto r0 = e->Rollback(0);
  ASSERT_TRUE(r0.ok());
  EXPECT_TRUE((*r0)->Equals(e->running()));
  auto r1 = e->Rollback(1);
  ASSERT_TRUE(r1.ok()) << r1.status().message();
  EXPECT_EQ(PrintCurly(**r1), "system {\n    host-name a;\n}\n");
  auto r2 = e->Rollback(2);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(PrintCurly(**r2), "system {\n    host-name sabina;\n}\n");
  EXPECT_EQ(e->Rollback(3).status().message(), "error: rollback 3 not found");
  EXPECT_EQ(e->Rollback(50).status().message(), "error: invalid rollback number 50 (expected 0..49)");
  EXPECT_FALSE(e->Rollback(-1).ok());
}

TEST_F(CommitTest, HistoryKeepsFiftyNewestFirst) {
  auto e = OpenEngine();
  for (int i = 1; i <= 55; ++i) {
    CommitRequest req;
    req.comment = "c" + std::to_string(i);
    ASSERT_TRUE(Commit(*e, "system { host-name h" + std::to_string(i) + "; }", req).ok());
  }
  ASSERT_EQ(e->History().size(), 50u);
  EXPECT_EQ(e->History()[0].comment, "c55");
  EXPECT_EQ(e->History()[49].comment, "c6");
  EXPECT_EQ(PrintCurly(**e->Rollback(49)), "system {\n    host-name h6;\n}\n");
  EXPECT_EQ(ListDir(state_ + "/rollback")->size(), 50u);
}

TEST_F(CommitTest, ConfirmedCommitRollsBackAtTheDeadline) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  CommitRequest req;
  req.confirmed_minutes = 2;
  auto r = Commit(*e, "system { host-name risky; }", req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Join(*r),
            "commit confirmed will be automatically rolled back in 2 minutes unless confirmed\n"
            "commit complete\n");
  EXPECT_TRUE(e->History()[0].confirmed);
  ASSERT_TRUE(e->ConfirmDeadline());
  int64_t deadline = *e->ConfirmDeadline();
  EXPECT_NEAR(static_cast<double>(deadline), static_cast<double>(::time(nullptr) + 120), 5);
  EXPECT_EQ(ctx_->identity.Get()->host_name, "risky");
  EXPECT_FALSE(e->Tick(deadline - 1));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "risky");
  EXPECT_TRUE(e->Tick(deadline));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
  EXPECT_TRUE(e->running().Equals(*Parse(kBase)));
  EXPECT_FALSE(e->ConfirmDeadline());
  ASSERT_EQ(e->History().size(), 4u);
  EXPECT_EQ(e->History()[0].client, "other");
  EXPECT_EQ(e->History()[0].comment, "automatic rollback: commit confirmed was not confirmed");
  EXPECT_FALSE(e->Tick(deadline + 100));
  EXPECT_FALSE(FileExists(state_ + "/commit-confirmed"));
  // FILE holds the restored configuration.
  e.reset();
  auto again = OpenEngine();
  EXPECT_TRUE(again->running().Equals(*Parse(kBase)));
}

TEST_F(CommitTest, CommitOrCommitCheckConfirms) {
  for (bool check : {false, true}) {
    SetUp();
    auto e = OpenEngine();
    CommitRequest req;
    req.confirmed_minutes = 1;
    ASSERT_TRUE(Commit(*e, "system { host-name risky; }", req).ok());
    int64_t deadline = *e->ConfirmDeadline();
    CommitRequest confirm;
    confirm.check_only = check;
    ASSERT_TRUE(Commit(*e, "system { host-name risky; }", confirm).ok());
    EXPECT_FALSE(e->ConfirmDeadline());
    EXPECT_FALSE(e->Tick(deadline + 1));
    EXPECT_EQ(ctx_->identity.Get()->host_name, "risky");
    EXPECT_EQ(e->History().size(), check ? 2u : 3u);
  }
}

TEST_F(CommitTest, ReissuedConfirmedExtendsAndRestoresTheConfigurationBeforeTheFirst) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  CommitRequest req;
  req.confirmed_minutes = 1;
  ASSERT_TRUE(Commit(*e, "system { host-name try1; }", req).ok());
  int64_t first = *e->ConfirmDeadline();
  req.confirmed_minutes = 5;
  ASSERT_TRUE(Commit(*e, "system { host-name try2; }", req).ok());
  int64_t second = *e->ConfirmDeadline();
  EXPECT_GE(second, first + 4 * 60);
  EXPECT_FALSE(e->Tick(first + 1));
  EXPECT_TRUE(e->Tick(second));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
}

TEST_F(CommitTest, PendingConfirmedSurvivesRestart) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  CommitRequest req;
  req.confirmed_minutes = 10;
  ASSERT_TRUE(Commit(*e, "system { host-name risky; }", req).ok());
  int64_t deadline = *e->ConfirmDeadline();
  e.reset();
  auto again = OpenEngine();
  ASSERT_TRUE(again->ConfirmDeadline());
  EXPECT_EQ(*again->ConfirmDeadline(), deadline);
  EXPECT_EQ(ctx_->identity.Get()->host_name, "risky");
  EXPECT_TRUE(again->Tick(deadline));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
}

TEST_F(CommitTest, DeadlinePassedWhileDownRollsBackAtOpen) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  CommitRequest req;
  req.confirmed_minutes = 10;
  ASSERT_TRUE(Commit(*e, "system { host-name risky; }", req).ok());
  e.reset();
  // The daemon was down past the deadline.
  std::string pending = *ReadFile(state_ + "/commit-confirmed");
  size_t at = pending.find("\"deadline\":");
  ASSERT_NE(at, std::string::npos);
  size_t end = pending.find(',', at);
  pending.replace(at, end - at, "\"deadline\":1000");
  ASSERT_TRUE(WriteFileAtomic(state_ + "/commit-confirmed", pending).ok());
  auto again = OpenEngine();
  EXPECT_FALSE(again->ConfirmDeadline());
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
  EXPECT_EQ(again->History()[0].client, "other");
  EXPECT_NE(ReadFile(file_)->find("host-name r1;"), std::string::npos);
}

// Killed after the entry and the pending record of a first `commit confirmed` were written,
// before FILE: the commit never happened, nothing is pending.
TEST_F(CommitTest, CrashInsideFirstConfirmedCommitLeavesNothingPending) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  std::string before = *ReadFile(file_);
  uint64_t seq = Store::ParseHeader(before)->seq;
  e.reset();
  CommitInfo info{::time(nullptr), "root", "cli", "", true};
  ASSERT_TRUE(WriteFileAtomic(EntryFile(seq + 1),
                              Store::Header(seq + 1, info) + "system {\n    host-name risky;\n}\n")
                  .ok());
  ASSERT_TRUE(WriteFileAtomic(state_ + "/commit-confirmed",
                              "{\"deadline\":1000,\"restore_seq\":" + std::to_string(seq) +
                                  ",\"commit_seq\":" + std::to_string(seq + 1) + "}\n")
                  .ok());
  auto again = OpenEngine();
  EXPECT_FALSE(again->ConfirmDeadline());
  EXPECT_EQ(*ReadFile(file_), before);
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
  EXPECT_EQ(again->History().size(), 2u);
}

// Killed inside a re-issued `commit confirmed` before FILE: the earlier one still waits.
TEST_F(CommitTest, CrashInsideReissuedConfirmedKeepsTheEarlierOnePending) {
  auto e = OpenEngine();
  ASSERT_TRUE(Commit(*e, kBase).ok());
  uint64_t base_seq = Store::ParseHeader(*ReadFile(file_))->seq;
  CommitRequest req;
  req.confirmed_minutes = 10;
  ASSERT_TRUE(Commit(*e, "system { host-name try1; }", req).ok());
  uint64_t try1 = Store::ParseHeader(*ReadFile(file_))->seq;
  e.reset();
  CommitInfo info{::time(nullptr), "root", "cli", "", true};
  std::string entry = EntryFile(try1 + 1);
  ASSERT_TRUE(WriteFileAtomic(entry, Store::Header(try1 + 1, info) + "system {\n    host-name try2;\n}\n").ok());
  ASSERT_TRUE(WriteFileAtomic(state_ + "/commit-confirmed",
                              "{\"deadline\":" + std::to_string(::time(nullptr) + 900) +
                                  ",\"restore_seq\":" + std::to_string(base_seq) +
                                  ",\"commit_seq\":" + std::to_string(try1 + 1) + "}\n")
                  .ok());
  auto again = OpenEngine();
  EXPECT_FALSE(FileExists(entry));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "try1");
  ASSERT_TRUE(again->ConfirmDeadline());
  EXPECT_TRUE(again->Tick(*again->ConfirmDeadline()));
  EXPECT_EQ(ctx_->identity.Get()->host_name, "r1");
}

TEST_F(CommitTest, ConfirmedMinutesOutOfRange) {
  auto e = OpenEngine();
  CommitRequest req;
  req.confirmed_minutes = 0;
  EXPECT_EQ(Commit(*e, kBase, req).status().message(),
            "error: commit confirmed: value 0 is not within range (1..65535)");
  req.confirmed_minutes = 65536;
  EXPECT_FALSE(Commit(*e, kBase, req).ok());
  EXPECT_EQ(e->History().size(), 1u);
}

TEST_F(CommitTest, MinuteSecondsKnob) {
  EXPECT_EQ(CommitEngine::MinuteSeconds(), 60);
  ::setenv("SABINA_TEST_MINUTE_SECONDS", "2", 1);
  EXPECT_EQ(CommitEngine::MinuteSeconds(), 2);
  ::setenv("SABINA_TEST_MINUTE_SECONDS", "junk", 1);
  EXPECT_EQ(CommitEngine::MinuteSeconds(), 60);
  ::setenv("SABINA_TEST_MINUTE_SECONDS", "1", 1);
  auto e = OpenEngine();
  CommitRequest req;
  req.confirmed_minutes = 3;
  ASSERT_TRUE(Commit(*e, kBase, req).ok());
  EXPECT_NEAR(static_cast<double>(*e->ConfirmDeadline()), static_cast<double>(::time(nullptr) + 3),
              2);
}

// Order of the pipeline: validate all, prepare in order, abort in reverse on failure,
// nothing applied or persisted.
class Recorder : public Feature {
 public:
  Recorder(std::string name, std::vector<std::string>* log, bool fail_prepare)
      : name_(std::move(name)), log_(log), fail_prepare_(fail_prepare) {}
  const char* name() const override { return name_.c_str(); }
  Status Validate(const Node&) override {
    log_->push_back("validate " + name_);
    return Status::Ok();
  }
  Status Prepare(const Node*, const Node&) override {
    log_->push_back("prepare " + name_);
    return fail_prepare_ ? Status::Error("[edit]\n  " + name_ + " failed") : Status::Ok();
  }
  void Apply() override { log_->push_back("apply " + name_); }
  void Abort() override { log_->push_back("abort " + name_); }

 private:
  std::string name_;
  std::vector<std::string>* log_;
  bool fail_prepare_;
};

TEST_F(CommitTest, PrepareFailureAbortsInReverseAndChangesNothing) {
  auto opened = CommitEngine::Open(TheSchema(), file_, state_);
  ASSERT_TRUE(opened.ok());
  auto& e = **opened;
  std::vector<std::string> log;
  e.AddFeature(std::make_unique<Recorder>("a", &log, false));
  e.AddFeature(std::make_unique<Recorder>("b", &log, false));
  e.AddFeature(std::make_unique<Recorder>("c", &log, true));
  std::string before = *ReadFile(file_);
  auto r = Commit(e, kBase);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "[edit]\n  c failed\nerror: configuration check-out failed");
  EXPECT_EQ(log, (std::vector<std::string>{"validate a", "validate b", "validate c", "prepare a",
                                           "prepare b", "prepare c", "abort b", "abort a"}));
  EXPECT_EQ(*ReadFile(file_), before);
  EXPECT_EQ(e.History().size(), 1u);
}

}  // namespace
}  // namespace sabina::config
