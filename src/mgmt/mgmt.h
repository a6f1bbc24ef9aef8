// The daemon's management state: schema, committed configuration and commit engine, the shared
// candidate and its lock, and the list of CLI sessions. Sessions are created here.
//
// Thread: mgmt. Everything here is touched only by the mgmt thread's event loop.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "mgmt/cli/session.h"

namespace sabina::config {
struct SyslogConfig;
struct SystemIdentity;
}  // namespace sabina::config
namespace sabina::routing {
class Control;
}  // namespace sabina::routing

namespace sabina::mgmt {

struct MgmtOptions {
  std::string config_file;
  std::string state_dir;
  std::vector<std::pair<std::string, std::string>> ports;  // Junos name -> port spec
  // The data plane's control thread (sabinad with ports), else null. Commits hand the
  // interfaces and routing configuration to it (routing/forwarding_feature.h).
  routing::Control* control = nullptr;
};

class Mgmt {
 public:
  static StatusOr<std::unique_ptr<Mgmt>> Create(const MgmtOptions& options);
  ~Mgmt();

  std::unique_ptr<Session> NewSession(const std::string& user);
  // Timers (commit confirmed). Called by the event loop at least once a second.
  void Tick();

  // What the committed configuration currently publishes (null before the first apply), for
  // the daemon's logger: its `system syslog` and its host name. Snapshots: a later commit
  // publishes new ones, so compare pointers to notice a change.
  std::shared_ptr<const config::SyslogConfig> PublishedSyslog() const;
  std::shared_ptr<const config::SystemIdentity> PublishedIdentity() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Mgmt(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sabina::mgmt
