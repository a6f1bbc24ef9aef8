#include "mgmt/mgmt.h"

#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "config/schema.h"
#include "mgmt/cli/mgmt_impl.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt {

namespace {
int64_t Now() { return static_cast<int64_t>(time(nullptr)); }
}  // namespace

bool Mgmt::Impl::CandidateModified() const { return !candidate->Equals(running()); }

void Mgmt::Impl::ResetCandidate() {
  candidate = running().Clone();
  const auto& history = engine->History();
  candidate_changed = history.empty() ? Now() : history[0].time;
}

std::string Mgmt::Impl::HostName() const {
  if (features) {
    std::shared_ptr<const config::SystemIdentity> id = features->identity.Get();
    if (id) return id->host_name.empty() ? "sabina" : id->host_name;
  }
  const config::SchemaNode& root = schema->root();
  const config::SchemaNode* system = root.Child("system");
  if (!system) return "sabina";
  const config::SchemaNode* host = system->Child("host-name");
  if (!host) return "sabina";
  // The effective configuration: a host-name from a group counts, an inactive one does not.
  const config::Node* sys = engine->effective().Find(system);
  const config::Node* name = sys ? sys->Find(host) : nullptr;
  if (!name || name->value().empty()) return "sabina";
  return name->value();
}

std::vector<EditorInfo> Mgmt::Impl::OtherEditors(const SessionRegistry* self) const {
  std::vector<EditorInfo> out;
  for (const SessionRegistry* s : sessions) {
    if (s != self && s->InConfigMode()) out.push_back(s->Editor());
  }
  return out;
}

StatusOr<std::vector<std::string>> Mgmt::Impl::Commit(const config::Node& tree,
                                                      const config::CommitRequest& request) {
  StatusOr<std::vector<std::string>> result = engine->Commit(tree, request);
  if (result.ok() && !request.check_only) {
    ++generation;
    ResetCandidate();
  }
  return result;
}

std::string FormatEditors(const std::vector<EditorInfo>& editors, int64_t now) {
  std::string out;
  std::string pid = std::to_string(getpid());
  for (const EditorInfo& e : editors) {
    out += "  " + e.user + " terminal " + e.terminal + " (pid " + pid + ") on since " +
           cli::FormatTime(e.since) + ", idle " + cli::FormatHms(now - e.last_active) + "\n";
    out += "      ";
    if (e.exclusive) out += "exclusive ";
    if (e.private_db) out += "private ";
    out += e.banner + "\n";
  }
  return out;
}

StatusOr<std::unique_ptr<Mgmt>> Mgmt::Create(const MgmtOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->start_time = Now();
  StatusOr<std::unique_ptr<config::Schema>> schema = config::Schema::LoadBuiltin();
  if (!schema.ok()) return schema.status();
  impl->schema = std::move(*schema);
  StatusOr<std::unique_ptr<config::CommitEngine>> engine =
      config::CommitEngine::Open(*impl->schema, options.config_file, options.state_dir);
  if (!engine.ok()) return engine.status();
  impl->engine = std::move(*engine);
  impl->features = std::make_unique<daemon::FeatureContext>();
  impl->features->state_dir = options.state_dir;
  impl->features->control = options.control;
  daemon::RegisterFeatures(*impl->engine, *impl->features);
  SABINA_RETURN_IF_ERROR(impl->engine->ApplyInitial());
  impl->ResetCandidate();
  return std::unique_ptr<Mgmt>(new Mgmt(std::move(impl)));
}

Mgmt::Mgmt(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Mgmt::~Mgmt() = default;

std::unique_ptr<Session> Mgmt::NewSession(const std::string& user) {
  return std::make_unique<Session>(*this, user);
}

std::shared_ptr<const config::SyslogConfig> Mgmt::PublishedSyslog() const {
  return impl_->features ? impl_->features->syslog.Get() : nullptr;
}

std::shared_ptr<const config::SystemIdentity> Mgmt::PublishedIdentity() const {
  return impl_->features ? impl_->features->identity.Get() : nullptr;
}

void Mgmt::Tick() {
  int64_t now = Now();
  std::optional<int64_t> deadline = impl_->engine->ConfirmDeadline();
  if (!deadline || now < *deadline) {
    impl_->engine->Tick(now);
    return;
  }
  // The confirmed commit is about to be rolled back; the shared candidate follows running
  // only if it carries no uncommitted changes of its own.
  bool modified = impl_->CandidateModified();
  if (impl_->engine->Tick(now)) {
    ++impl_->generation;
    if (!modified) impl_->ResetCandidate();
  }
}

}  // namespace sabina::mgmt
