#include "config/commit.h"

#include <cstdlib>
#include <ctime>
#include <thread>
#include <utility>

#include "config/codec.h"
#include "config/groups.h"
#include "config/store.h"

namespace sabina::config {
namespace {

// Written to FILE when it is missing: the smallest configuration that is still valid.
constexpr std::string_view kDefaultConfig =
    "system {\n"
    "    host-name sabina;\n"
    "}\n";

constexpr char kCheckOutFailed[] = "error: configuration check-out failed";

int64_t Now() { return static_cast<int64_t>(::time(nullptr)); }

StatusOr<std::unique_ptr<Node>> ParseConfig(const Schema& schema, std::string_view text,
                                            std::string_view source) {
  auto parsed = ParseCurly(schema.root(), text, source);
  if (!parsed.ok()) return parsed.status();
  auto root = std::make_unique<Node>(&schema.root());
  SABINA_RETURN_IF_ERROR(Load(*root, **parsed, LoadMode::kOverride));
  return root;
}

// "[edit system]\n  'host-name x'\n    message" — the way Junos reports a statement that fails
// a check at commit time.
std::string StatementError(const Node& n, const std::string& message) {
  std::string words;
  for (const std::string& w : NodeWords(n)) {
    if (!words.empty()) words += ' ';
    words += w;
  }
  std::string banner = n.parent() ? n.parent()->EditBanner() : "[edit]";
  return banner + "\n  '" + words + "'\n    " + message;
}

// Values reach the candidate through the parser, which validates them; this guards against
// trees built by other means (NETCONF later, or code) so that no feature sees a bad value.
void CheckValues(const Node& n, std::vector<std::string>* errors) {
  for (const auto& c : n.children()) {
    const SchemaNode* s = c->schema();
    if (!s) continue;
    bool has_value = s->is_list() || s->is_leaf_list() || (s->is_leaf() && !s->is_flag());
    if (has_value) {
      Status st = ValidateValue(*s, c->value());
      if (!st.ok()) {
        errors->push_back(StatementError(*c, st.message()));
        if (errors->size() >= 100) return;
      }
    }
    if (!c->empty()) CheckValues(*c, errors);
  }
}

Status Failure(const std::vector<std::string>& errors) {
  std::string text;
  for (const std::string& e : errors) text += e + "\n";
  return Status::Error(text + kCheckOutFailed);
}

}  // namespace

struct CommitEngine::Impl {
  const Schema& schema;
  std::unique_ptr<Store> store;
  std::vector<std::unique_ptr<Feature>> features;
  std::unique_ptr<Node> running;
  std::unique_ptr<Node> effective;
  std::vector<CommitInfo> history;
  std::optional<PendingConfirm> pending;

  // Frees replaced trees off the commit's critical path (a 100k-line tree takes longer to
  // free than to print). At most one runs; the next commit or the destructor joins it.
  std::thread reaper;

  explicit Impl(const Schema& s) : schema(s) {}
  ~Impl() {
    if (reaper.joinable()) reaper.join();
  }

  void Reap(std::unique_ptr<Node> a, std::unique_ptr<Node> b) {
    if (reaper.joinable()) reaper.join();
    reaper = std::thread([a = std::move(a), b = std::move(b)]() mutable {
      a.reset();
      b.reset();
    });
  }

  void RefreshHistory() {
    history.clear();
    for (const StoredCommit& c : store->history()) history.push_back(c.info);
  }

  void SetPending(std::optional<PendingConfirm> p) {
    pending = p;
    store->Pin(p ? std::optional<uint64_t>(p->restore_seq) : std::nullopt);
  }

  // The pipeline. `forced` is the automatic rollback of an unconfirmed commit.
  StatusOr<std::vector<std::string>> Run(const Node& candidate, const CommitRequest& req,
                                         CommitInfo info);
  Status RollbackUnconfirmed(int64_t now);
};

CommitEngine::CommitEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CommitEngine::~CommitEngine() = default;

int CommitEngine::MinuteSeconds() {
  if (const char* v = std::getenv("SABINA_TEST_MINUTE_SECONDS")) {
    char* end = nullptr;
    long n = std::strtol(v, &end, 10);
    if (end != v && *end == '\0' && n > 0 && n <= 3600) return static_cast<int>(n);
  }
  return 60;
}

StatusOr<std::unique_ptr<CommitEngine>> CommitEngine::Open(const Schema& schema,
                                                           const std::string& config_file,
                                                           const std::string& state_dir) {
  auto store = Store::Open(config_file, state_dir);
  if (!store.ok()) return store.status();
  auto impl = std::make_unique<Impl>(schema);
  impl->store = std::move(*store);
  auto canonical = [&](std::string_view text) -> StatusOr<std::string> {
    auto tree = ParseConfig(schema, text, config_file);
    if (!tree.ok()) return tree.status();
    // An empty (or blank, or comment-only) FILE without our header is a truncated copy,
    // never something sabinad wrote (an empty committed configuration keeps its header).
    // Starting on it would commit "nothing" over the history; the operator decides instead.
    if ((*tree)->empty() && !Store::ParseHeader(text)) {
      return Status::Error(config_file +
                           ": no configuration statements (an empty or truncated file?); fix "
                           "it, or remove it to start from the default configuration");
    }
    return PrintCurly(**tree);
  };
  const int64_t now = Now();
  auto text = impl->store->Recover(kDefaultConfig, canonical, now);
  if (!text.ok()) return text.status();
  auto running = ParseConfig(schema, *text, config_file);
  if (!running.ok()) return running.status();
  auto effective = Effective(**running);
  if (!effective.ok()) return effective.status().WithContext(config_file);
  impl->running = std::move(*running);
  impl->effective = std::move(*effective);
  impl->RefreshHistory();

  // Re-arm or settle a pending `commit confirmed` (the cases are in
  // docs/decisions/0001-commit-storage.md).
  if (std::optional<PendingConfirm> p = impl->store->ReadPending()) {
    const uint64_t current = impl->store->current_seq();
    bool keep = false;
    if (p->commit_seq == current) {
      keep = true;
    } else if (p->commit_seq > current && p->restore_seq != current) {
      // A re-issued `commit confirmed` was killed before FILE: the one before it still waits.
      p->commit_seq = current;
      keep = true;
    }
    if (keep && impl->store->HasEntry(p->restore_seq)) {
      impl->SetPending(*p);
      // On failure the record stays armed and Tick() retries once the features are present.
      if (p->deadline <= now) (void)impl->RollbackUnconfirmed(now);
    } else {
      SABINA_RETURN_IF_ERROR(impl->store->ClearPending());
    }
  }
  return std::unique_ptr<CommitEngine>(new CommitEngine(std::move(impl)));
}

void CommitEngine::AddFeature(std::unique_ptr<Feature> feature) {
  impl_->features.push_back(std::move(feature));
}

Status CommitEngine::ApplyInitial() {
  std::vector<std::string> errors;
  for (auto& f : impl_->features) {
    Status st = f->Validate(*impl_->effective);
    if (!st.ok()) errors.push_back(st.message());
  }
  if (!errors.empty()) return Failure(errors);
  for (size_t i = 0; i < impl_->features.size(); ++i) {
    Status st = impl_->features[i]->Prepare(nullptr, *impl_->effective);
    if (!st.ok()) {
      for (size_t j = i; j-- > 0;) impl_->features[j]->Abort();
      return Failure({st.message()});
    }
  }
  for (auto& f : impl_->features) f->Apply();
  return Status::Ok();
}

const Node& CommitEngine::running() const { return *impl_->running; }
const Node& CommitEngine::effective() const { return *impl_->effective; }
const std::vector<CommitInfo>& CommitEngine::History() const { return impl_->history; }

std::optional<int64_t> CommitEngine::ConfirmDeadline() const {
  if (!impl_->pending) return std::nullopt;
  return impl_->pending->deadline;
}

StatusOr<std::vector<std::string>> CommitEngine::Commit(const Node& candidate,
                                                        const CommitRequest& request) {
  if (request.confirmed_minutes &&
      (*request.confirmed_minutes < 1 || *request.confirmed_minutes > 65535)) {
    return Status::Error("error: commit confirmed: value " +
                         std::to_string(*request.confirmed_minutes) +
                         " is not within range (1..65535)");
  }
  CommitInfo info{Now(), request.user, request.client, request.comment,
                  request.confirmed_minutes.has_value()};
  return impl_->Run(candidate, request, std::move(info));
}

StatusOr<std::vector<std::string>> CommitEngine::Impl::Run(const Node& candidate,
                                                           const CommitRequest& req,
                                                           CommitInfo info) {
  auto eff = Effective(candidate);
  if (!eff.ok()) return Failure({eff.status().message()});
  std::vector<std::string> errors;
  CheckValues(**eff, &errors);
  if (!errors.empty()) return Failure(errors);
  for (auto& f : features) {
    Status st = f->Validate(**eff);
    if (!st.ok()) errors.push_back(st.message());
  }
  if (!errors.empty()) return Failure(errors);

  size_t prepared = 0;
  auto abort_prepared = [&] {
    while (prepared > 0) features[--prepared]->Abort();
  };
  for (; prepared < features.size(); ++prepared) {
    Status st = features[prepared]->Prepare(effective.get(), **eff);
    if (!st.ok()) {
      abort_prepared();
      return Failure({st.message()});
    }
  }

  if (req.check_only) {
    abort_prepared();
    // Junos: `commit check` also confirms a pending `commit confirmed`.
    if (pending) {
      Status st = store->ClearPending();
      if (!st.ok()) return Status::Error("error: " + st.message());
      SetPending(std::nullopt);
    }
    return std::vector<std::string>{"configuration check succeeds"};
  }

  std::optional<PendingConfirm> next_pending;
  std::function<Status(uint64_t)> before_file;
  if (req.confirmed_minutes) {
    next_pending = PendingConfirm{
        info.time + static_cast<int64_t>(*req.confirmed_minutes) * MinuteSeconds(),
        pending ? pending->restore_seq : store->current_seq(), 0};
    // The record goes down before FILE so that no instant exists where the confirmed
    // configuration is committed without its rollback armed.
    before_file = [&](uint64_t seq) {
      next_pending->commit_seq = seq;
      return store->WritePending(*next_pending);
    };
  }
  // Printed once; the same bytes go to the history entry and to FILE.
  const std::string body = PrintCurly(candidate);
  auto seq = store->Persist(info, body, before_file);
  if (!seq.ok()) {
    abort_prepared();
    return Status::Error("error: could not save the configuration: " + seq.status().message() +
                         "\n" + kCheckOutFailed);
  }
  for (auto& f : features) f->Apply();
  std::unique_ptr<Node> old_running = std::exchange(running, candidate.Clone());
  std::unique_ptr<Node> old_effective = std::exchange(effective, std::move(*eff));
  Reap(std::move(old_running), std::move(old_effective));

  std::vector<std::string> lines;
  if (next_pending) {
    SetPending(next_pending);
    lines.push_back("commit confirmed will be automatically rolled back in " +
                    std::to_string(*req.confirmed_minutes) + " minutes unless confirmed");
  } else if (pending) {
    // The commit is durable; a failure to remove the record only means the next start
    // discards it (its commit is no longer the newest).
    (void)store->ClearPending();
    SetPending(std::nullopt);
  }
  RefreshHistory();
  lines.push_back("commit complete");
  return lines;
}

Status CommitEngine::Impl::RollbackUnconfirmed(int64_t now) {
  auto text = store->ReadEntry(pending->restore_seq);
  if (!text.ok()) return text.status();
  auto tree = ParseConfig(schema, Store::Body(*text), store->EntryPath(pending->restore_seq));
  if (!tree.ok()) return tree.status();
  CommitRequest req;
  req.user = "root";
  req.client = "other";
  req.comment = "automatic rollback: commit confirmed was not confirmed";
  auto lines = Run(**tree, req, CommitInfo{now, req.user, req.client, req.comment, false});
  return lines.status();
}

bool CommitEngine::Tick(int64_t now) {
  if (!impl_->pending || now < impl_->pending->deadline) return false;
  return impl_->RollbackUnconfirmed(now).ok();
}

StatusOr<std::unique_ptr<Node>> CommitEngine::Rollback(int n) const {
  if (n < 0 || n > static_cast<int>(Store::kHistorySize) - 1) {
    return Status::Error("error: invalid rollback number " + std::to_string(n) +
                         " (expected 0..49)");
  }
  if (n == 0) return impl_->running->Clone();
  const auto& hist = impl_->store->history();
  if (n >= static_cast<int>(hist.size())) {
    return Status::Error("error: rollback " + std::to_string(n) + " not found");
  }
  auto text = impl_->store->ReadEntry(hist[static_cast<size_t>(n)].seq);
  if (!text.ok()) return Status::Error("error: " + text.status().message());
  return ParseConfig(impl_->schema, Store::Body(*text),
                     "rollback " + std::to_string(n));
}

}  // namespace sabina::config
