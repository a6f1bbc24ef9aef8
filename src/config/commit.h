// The commit engine: committed configuration, rollback history (0..49), commit log and the
// commit pipeline validate -> prepare -> apply -> persist, with abort in reverse order on any
// failure before apply. `commit confirmed` state survives a daemon restart.
//
// Features bind to the configuration through Feature (one per area: system host-name, syslog,
// interfaces, routing-options ...). They see the *effective* configuration: groups applied and
// inactive statements removed.
//
// Thread: mgmt. Tick() must be called by the mgmt loop at least once a second.
#pragma once

#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/schema.h"
#include "config/tree.h"

namespace sabina::config {

class Feature {
 public:
  virtual ~Feature() = default;
  virtual const char* name() const = 0;
  // Semantic checks of the new effective configuration. No side effects. Errors carry the
  // `[edit ...]` path of the offending statement.
  virtual Status Validate(const Node& effective) = 0;
  // Builds the new state off to the side. May fail. `old_effective` is null on first commit.
  virtual Status Prepare(const Node* old_effective, const Node& effective) = 0;
  // Publishes what Prepare built. Cannot fail.
  virtual void Apply() = 0;
  // Drops what Prepare built.
  virtual void Abort() = 0;
};

struct CommitRequest {
  std::string user = "root";
  std::string client = "cli";  // "cli", "netconf", "junoscript", ...
  std::string comment;
  std::optional<int> confirmed_minutes;  // commit confirmed N
  bool check_only = false;               // commit check
};

struct CommitInfo {
  int64_t time = 0;  // seconds since the epoch
  std::string user;
  std::string client;
  std::string comment;
  bool confirmed = false;  // was a `commit confirmed`
};

class CommitEngine {
 public:
  // Reads `config_file` (created from a minimal default when missing) and the rollback history
  // and pending `commit confirmed` in `state_dir`. A confirmed commit whose deadline passed
  // while the daemon was down is rolled back here.
  static StatusOr<std::unique_ptr<CommitEngine>> Open(const Schema& schema,
                                                     const std::string& config_file,
                                                     const std::string& state_dir);
  ~CommitEngine();

  // Features are validated/prepared/applied in the order added; aborted in reverse.
  void AddFeature(std::unique_ptr<Feature> feature);
  // Applies the committed configuration to all features (start-up).
  Status ApplyInitial();

  const Node& running() const;
  const Node& effective() const;  // running with groups applied, inactive removed

  // Commits `candidate`. Returns the lines to print ("commit complete", "configuration check
  // succeeds", "commit confirmed will be automatically rolled back in N minutes unless
  // confirmed"), or the error, in which case nothing changed.
  StatusOr<std::vector<std::string>> Commit(const Node& candidate, const CommitRequest& request);

  // Configuration n of the history (0 = running). Error if n is out of range or absent.
  StatusOr<std::unique_ptr<Node>> Rollback(int n) const;
  // Newest first; index = rollback number.
  const std::vector<CommitInfo>& History() const;

  // Deadline of a pending `commit confirmed`, if any.
  std::optional<int64_t> ConfirmDeadline() const;
  // Rolls back a confirmed commit whose deadline has passed. Returns true if it did.
  bool Tick(int64_t now);

  // Seconds per "minute" of `commit confirmed`: 60, or SABINA_TEST_MINUTE_SECONDS (test knob).
  static int MinuteSeconds();

 private:
  struct Impl;
  explicit CommitEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sabina::config
