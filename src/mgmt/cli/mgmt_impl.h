// Mgmt::Impl: the state the CLI sessions share — schema, commit engine, the shared candidate
// and its exclusive lock, the sessions in configuration mode — and the helpers that keep the
// shared candidate in step with commits (Junos shared-candidate semantics: one user's changes
// are visible to every `configure` user and are committed together).
//
// Thread: mgmt. Only sessions (session.cc) and Mgmt (mgmt.cc) touch it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/commit.h"
#include "config/schema.h"
#include "config/tree.h"
#include "daemon/features.h"
#include "mgmt/mgmt.h"

namespace sabina::mgmt {

// What `status` and the "Users currently editing the configuration" message show about one
// session in configuration mode.
struct EditorInfo {
  std::string user;
  std::string terminal;   // "p3"
  int64_t since = 0;      // entered configuration mode
  int64_t last_active = 0;
  bool exclusive = false;
  bool private_db = false;
  std::string banner;     // "[edit interfaces]"
};

// Implemented by each session so that Mgmt can list editors without knowing Session's insides.
// Thread: mgmt.
class SessionRegistry {
 public:
  virtual ~SessionRegistry() = default;
  virtual bool InConfigMode() const = 0;
  virtual EditorInfo Editor() const = 0;
};

struct Mgmt::Impl {
  MgmtOptions options;
  std::unique_ptr<config::Schema> schema;
  // What the features publish (host name, syslog, interfaces, routes). Declared before the
  // engine because it must outlive it.
  std::unique_ptr<daemon::FeatureContext> features;
  std::unique_ptr<config::CommitEngine> engine;
  // The shared candidate. Replaced (never mutated behind a session's back) when it is
  // re-cloned from running.
  std::unique_ptr<config::Node> candidate;
  int64_t candidate_changed = 0;  // "## Last changed:" of the shared candidate
  // The session holding `configure exclusive`, or null.
  const SessionRegistry* lock_owner = nullptr;
  std::vector<const SessionRegistry*> sessions;
  int64_t start_time = 0;
  int next_terminal = 0;
  // Bumped whenever running changes (commit, confirmed-commit rollback), so a private
  // session knows whether its base is still current.
  uint64_t generation = 0;

  const config::Node& running() const { return engine->running(); }
  // True if the shared candidate differs from the running configuration.
  bool CandidateModified() const;
  // Makes the shared candidate a fresh copy of running.
  void ResetCandidate();
  // From the committed configuration; "sabina" when not set.
  std::string HostName() const;
  // Sessions other than `self` that are in configuration mode.
  std::vector<EditorInfo> OtherEditors(const SessionRegistry* self) const;
  size_t SessionCount() const { return sessions.size(); }
  // Runs a commit through the engine and, on success, re-clones the shared candidate: it is
  // either the tree committed or (a private commit) it carried no changes of its own.
  StatusOr<std::vector<std::string>> Commit(const config::Node& tree,
                                           const config::CommitRequest& request);
};

// "  root terminal p1 (pid 123) on since 2026-11-23 15:04:34 UTC, idle 00:00:12"
// "      exclusive [edit interfaces]"
std::string FormatEditors(const std::vector<EditorInfo>& editors, int64_t now);

}  // namespace sabina::mgmt
