// The on-disk commit store: the committed configuration FILE, the rollback history (one file
// per commit, named by a monotonically increasing sequence number) and the pending
// `commit confirmed` record. Every write is atomic (base/file.h), and the order of writes is
// chosen so that a process killed at any instant leaves a state that Recover() turns back into
// "FILE is the last committed configuration and the newest history entry". The crash points
// are listed in docs/decisions/0001-commit-storage.md.
//
// Layout:
//   FILE                          "## Last commit: ..." + "## sabina-commit: {json}" + curly
//   <state_dir>/lock              flock()ed while a daemon uses the directory
//   <state_dir>/rollback/<seq>.conf   same bytes as FILE had when <seq> was committed
//   <state_dir>/commit-confirmed  JSON {deadline, restore_seq, commit_seq} while one is pending
//
// The store deals in text; parsing and printing belong to the commit engine.
//
// Thread: mgmt.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/commit.h"

namespace sabina::config {

struct StoredCommit {
  uint64_t seq = 0;
  CommitInfo info;
};

struct PendingConfirm {
  int64_t deadline = 0;      // seconds since the epoch
  uint64_t restore_seq = 0;  // the configuration before the confirmed commit(s)
  uint64_t commit_seq = 0;   // the newest confirmed commit waiting for confirmation
};

class Store {
 public:
  static constexpr size_t kHistorySize = 50;

  // Locks `state_dir` (creating it), removes temporaries of killed writers and indexes the
  // history. Does not look at FILE yet: call Recover(). Waits up to `lock_wait_ms` for a
  // daemon that was just killed to release the directory.
  static StatusOr<std::unique_ptr<Store>> Open(const std::string& config_file,
                                               const std::string& state_dir,
                                               int lock_wait_ms = 5000);
  ~Store();

  // Turns FILE into its canonical committed body (parse + print). Errors name FILE.
  using Canonicalize = std::function<StatusOr<std::string>(std::string_view file_text)>;
  // Reconciles FILE with the history after a crash or a hand edit, creating FILE from
  // `default_body` when missing. Returns the committed text (FILE's bytes).
  StatusOr<std::string> Recover(std::string_view default_body, const Canonicalize& canonical,
                                int64_t now);

  // Commits `body`: writes the history entry, runs `before_file` (given the new sequence
  // number; the pending commit-confirmed record is written there), writes FILE with the same
  // bytes and prunes the history. If anything fails before FILE is renamed, the new entry is
  // removed again and FILE is untouched.
  StatusOr<uint64_t> Persist(const CommitInfo& info, std::string_view body,
                             const std::function<Status(uint64_t seq)>& before_file = nullptr);

  // Newest first; index = rollback number; at most kHistorySize.
  const std::vector<StoredCommit>& history() const { return history_; }
  uint64_t current_seq() const { return history_.empty() ? 0 : history_.front().seq; }
  // Whole text of history entry `seq`.
  StatusOr<std::string> ReadEntry(uint64_t seq) const;
  bool HasEntry(uint64_t seq) const;

  std::optional<PendingConfirm> ReadPending() const;
  Status WritePending(const PendingConfirm& pending);
  Status ClearPending();
  // An entry that pruning must keep although it is older than the newest kHistorySize (the
  // configuration a pending `commit confirmed` restores).
  void Pin(std::optional<uint64_t> seq) { pinned_ = seq; }

  // The header lines written before the body in FILE and in history entries.
  static std::string Header(uint64_t seq, const CommitInfo& info);
  // The metadata of a text that starts with Header(); nullopt otherwise.
  static std::optional<StoredCommit> ParseHeader(std::string_view text);
  // `text` without the Header() lines.
  static std::string_view Body(std::string_view text);
  // "2026-11-23 15:04:34 UTC".
  static std::string FormatTime(int64_t t);

  const std::string& config_file() const { return config_file_; }
  const std::string& state_dir() const { return state_dir_; }
  std::string EntryPath(uint64_t seq) const;

 private:
  Store(std::string config_file, std::string state_dir, int lock_fd);
  Status Index();
  Status Prune();
  Status DropNewerThan(uint64_t seq);
  Status WriteCommitted(uint64_t seq, const CommitInfo& info, std::string_view body,
                        const std::function<Status(uint64_t seq)>& before_file);

  std::string config_file_;
  std::string state_dir_;
  std::string rollback_dir_;
  int lock_fd_;
  // Every entry on disk, newest first (may exceed kHistorySize until pruned, plus pinned).
  std::vector<StoredCommit> all_;
  std::vector<StoredCommit> history_;
  uint64_t max_seq_ = 0;
  std::optional<uint64_t> pinned_;
};

}  // namespace sabina::config
