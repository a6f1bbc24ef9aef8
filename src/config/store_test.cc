#include "config/store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/file.h"

namespace sabina::config {
namespace {

std::string TestDir() {
  std::string tmpl = ::testing::TempDir() + "sabina-store-XXXXXX";
  EXPECT_NE(::mkdtemp(tmpl.data()), nullptr);
  return tmpl;
}

// Stands in for parse + print: the canonical form of a hand-written FILE is its body with a
// trailing newline.
StatusOr<std::string> Canon(std::string_view text) {
  std::string body(Store::Body(text));
  if (body.find("garbage") != std::string::npos) return Status::Error("juniper.conf:1:1: bad");
  if (body.empty() || body.back() != '\n') body += '\n';
  return body;
}

CommitInfo Info(int64_t t, std::string comment = {}) { return {t, "alice", "cli", comment, false}; }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TestDir();
    file_ = dir_ + "/etc/sabina.conf";
    state_ = dir_ + "/state";
  }
  std::unique_ptr<Store> OpenStore() {
    auto s = Store::Open(file_, state_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::string Recovered(Store& s) {
    auto text = s.Recover("system { host-name sabina; }\n", Canon, 1000);
    EXPECT_TRUE(text.ok()) << text.status().message();
    return text.ok() ? *text : "";
  }
  std::string dir_, file_, state_;
};

TEST_F(StoreTest, MissingFileIsCreatedFromTheDefaultAsRollbackZero) {
  auto s = OpenStore();
  std::string text = Recovered(*s);
  EXPECT_EQ(Store::Body(text), "system { host-name sabina; }\n");
  EXPECT_TRUE(text.starts_with("## Last commit: 1970-01-01 00:16:40 UTC by root via other\n"));
  EXPECT_EQ(*ReadFile(file_), text);
  ASSERT_EQ(s->history().size(), 1u);
  EXPECT_EQ(*s->ReadEntry(s->current_seq()), text);
}

TEST_F(StoreTest, HeaderRoundTripsMetadataIncludingAwkwardComments) {
  CommitInfo info{1795446274, "bob", "netconf", "line1\nline2 \"quoted\"", true};
  std::string h = Store::Header(7, info);
  EXPECT_TRUE(h.starts_with("## Last commit: 2026-11-23 "));
  EXPECT_EQ(std::count(h.begin(), h.end(), '\n'), 2);
  auto parsed = Store::ParseHeader(h + "system;\n");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->seq, 7u);
  EXPECT_EQ(parsed->info.time, info.time);
  EXPECT_EQ(parsed->info.user, "bob");
  EXPECT_EQ(parsed->info.client, "netconf");
  EXPECT_EQ(parsed->info.comment, info.comment);
  EXPECT_TRUE(parsed->info.confirmed);
  EXPECT_EQ(Store::Body(h + "system;\n"), "system;\n");
  EXPECT_FALSE(Store::ParseHeader("system;\n"));
  EXPECT_FALSE(Store::ParseHeader("## Last commit: x\n## sabina-commit: {\"seq\": \"x\"}\n"));
}

TEST_F(StoreTest, HistoryIsNewestFirstAndPrunedToFifty) {
  auto s = OpenStore();
  Recovered(*s);
  for (int i = 1; i <= 60; ++i) {
    auto seq = s->Persist(Info(2000 + i, "c" + std::to_string(i)), "v " + std::to_string(i) + ";\n");
    ASSERT_TRUE(seq.ok()) << seq.status().message();
  }
  ASSERT_EQ(s->history().size(), 50u);
  EXPECT_EQ(s->history()[0].info.comment, "c60");
  EXPECT_EQ(s->history()[49].info.comment, "c11");
  EXPECT_EQ(Store::Body(*s->ReadEntry(s->history()[3].seq)), "v 57;\n");
  EXPECT_EQ(ListDir(state_ + "/rollback")->size(), 50u);
  // Reopening sees the same history.
  s.reset();
  auto again = OpenStore();
  EXPECT_EQ(Store::Body(Recovered(*again)), "v 60;\n");
  ASSERT_EQ(again->history().size(), 50u);
  EXPECT_EQ(again->history()[49].info.comment, "c11");
  EXPECT_EQ(again->history()[0].info.user, "alice");
}

TEST_F(StoreTest, PinnedEntrySurvivesPruning) {
  auto s = OpenStore();
  Recovered(*s);
  uint64_t first = s->current_seq();
  s->Pin(first);
  for (int i = 0; i < 55; ++i) ASSERT_TRUE(s->Persist(Info(2000 + i), "x;\n").ok());
  EXPECT_EQ(s->history().size(), 50u);
  EXPECT_TRUE(s->HasEntry(first));
  EXPECT_EQ(Store::Body(*s->ReadEntry(first)), "system { host-name sabina; }\n");
}

// Crash after the new history entry was renamed but before FILE was: the commit never took
// effect, so the entry is dropped and the old configuration is served.
TEST_F(StoreTest, CrashBetweenEntryAndFileKeepsOldConfiguration) {
  auto s = OpenStore();
  Recovered(*s);
  ASSERT_TRUE(s->Persist(Info(3000), "old;\n").ok());
  uint64_t old_seq = s->current_seq();
  std::string old_text = *ReadFile(file_);
  ASSERT_TRUE(WriteFileAtomic(s->EntryPath(old_seq + 1),
                              Store::Header(old_seq + 1, Info(3001)) + "new;\n")
                  .ok());
  // ... and a half-written temporary of FILE.
  ASSERT_TRUE(WriteFileAtomic(TempPathPrefix(file_) + "999", "## Last commit: 20").ok());
  s.reset();
  auto r = OpenStore();
  EXPECT_EQ(Recovered(*r), old_text);
  EXPECT_EQ(r->current_seq(), old_seq);
  EXPECT_FALSE(FileExists(r->EntryPath(old_seq + 1)));
  EXPECT_FALSE(FileExists(TempPathPrefix(file_) + "999"));
  // The next commit gets a fresh number and both files agree.
  auto next = r->Persist(Info(3002), "next;\n");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*ReadFile(file_), *r->ReadEntry(*next));
}

// Crash while the history entry's temporary was being written: stale temp removed.
TEST_F(StoreTest, CrashWhileWritingEntryLeavesOnlyAStaleTemp) {
  auto s = OpenStore();
  Recovered(*s);
  std::string before = *ReadFile(file_);
  std::string stale = TempPathPrefix(s->EntryPath(s->current_seq() + 1)) + "4242";
  ASSERT_TRUE(WriteFileAtomic(stale, "## Last commit: 2026-11-23 15:0").ok());
  s.reset();
  auto r = OpenStore();
  EXPECT_EQ(Recovered(*r), before);
  EXPECT_FALSE(FileExists(stale));
  EXPECT_EQ(r->history().size(), 1u);
}

// Crash after FILE was renamed but before old entries were pruned.
TEST_F(StoreTest, CrashBeforePruneIsPrunedAtOpen) {
  auto s = OpenStore();
  Recovered(*s);
  for (int i = 0; i < 49; ++i) ASSERT_TRUE(s->Persist(Info(4000 + i), "p;\n").ok());
  ASSERT_EQ(s->history().size(), 50u);
  uint64_t oldest = s->history().back().seq;
  uint64_t next = s->current_seq() + 1;
  std::string text = Store::Header(next, Info(5000)) + "newest;\n";
  ASSERT_TRUE(WriteFileAtomic(s->EntryPath(next), text).ok());
  ASSERT_TRUE(WriteFileAtomic(file_, text).ok());
  s.reset();
  auto r = OpenStore();
  EXPECT_EQ(Recovered(*r), text);
  EXPECT_EQ(r->history().size(), 50u);
  EXPECT_FALSE(FileExists(r->EntryPath(oldest)));
}

TEST_F(StoreTest, HandEditedFileIsRecordedAsANewCommit) {
  auto s = OpenStore();
  Recovered(*s);
  uint64_t seq = s->current_seq();
  s.reset();
  ASSERT_TRUE(WriteFileAtomic(file_, "system { host-name edited; }").ok());
  auto r = OpenStore();
  std::string text = Recovered(*r);
  EXPECT_EQ(Store::Body(text), "system { host-name edited; }\n");
  EXPECT_GT(r->current_seq(), seq);
  EXPECT_EQ(r->history().size(), 2u);
  EXPECT_EQ(r->history()[0].info.client, "other");
  EXPECT_EQ(*ReadFile(file_), text);
  // Stable: a second start records nothing new.
  r.reset();
  auto again = OpenStore();
  EXPECT_EQ(Recovered(*again), text);
  EXPECT_EQ(again->history().size(), 2u);
}

TEST_F(StoreTest, UnparsableFileIsAnErrorAndIsNotReplaced) {
  ASSERT_TRUE(MakeDirs(DirName(file_)).ok());
  ASSERT_TRUE(WriteFileAtomic(file_, "garbage {").ok());
  auto s = OpenStore();
  auto text = s->Recover("system;\n", Canon, 1000);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("juniper.conf:1:1"), std::string::npos);
  EXPECT_EQ(*ReadFile(file_), "garbage {");
}

TEST_F(StoreTest, PendingRecordRoundTripsAndClears) {
  auto s = OpenStore();
  EXPECT_FALSE(s->ReadPending());
  ASSERT_TRUE(s->WritePending({12345, 3, 4}).ok());
  s.reset();
  auto r = OpenStore();
  auto p = r->ReadPending();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->deadline, 12345);
  EXPECT_EQ(p->restore_seq, 3u);
  EXPECT_EQ(p->commit_seq, 4u);
  ASSERT_TRUE(r->ClearPending().ok());
  EXPECT_FALSE(r->ReadPending());
}

TEST_F(StoreTest, SecondOpenOfTheSameStateDirIsRefused) {
  auto s = OpenStore();
  auto t = Store::Open(file_, state_, /*lock_wait_ms=*/100);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("in use"), std::string::npos);
}

TEST_F(StoreTest, FailureBeforeFileLeavesNoEntry) {
  auto s = OpenStore();
  std::string before = Recovered(*s);
  auto seq = s->Persist(Info(6000), "new;\n",
                        [](uint64_t) { return Status::Error("disk full"); });
  ASSERT_FALSE(seq.ok());
  EXPECT_EQ(*ReadFile(file_), before);
  EXPECT_EQ(s->history().size(), 1u);
  EXPECT_EQ(ListDir(state_ + "/rollback")->size(), 1u);
}

}  // namespace
}  // namespace sabina::config
