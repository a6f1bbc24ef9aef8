// The one explicit list of Sabina's features (architecture section 7: no static-initialiser
// registration). Adding a feature = one binding under src/config/bindings/ (or its own
// directory) + one line in RegisterFeatures() + its snapshot here if others read it.
//
// Thread: mgmt. FeatureContext must outlive the CommitEngine the features are added to (the
// features publish into it); readers on other threads call the Published<T>::Get()s.
#pragma once

#include <string>

#include "config/bindings/interfaces.h"
#include "config/bindings/published.h"
#include "config/bindings/routing_options.h"
#include "config/bindings/syslog.h"
#include "config/bindings/system.h"
#include "config/commit.h"

namespace sabina::routing {
class Control;
}  // namespace sabina::routing

namespace sabina::daemon {

struct FeatureContext {
  std::string state_dir;  // sabinad --state-dir; syslog files go to <state_dir>/log/

  // What the committed configuration means, as immutable snapshots (null before the first
  // apply). identity: prompt and logger host name; syslog: the logger; interfaces and
  // routing: the forwarding issue.
  config::Published<config::SystemIdentity> identity;
  config::Published<config::SyslogConfig> syslog;
  config::Published<config::InterfaceTable> interfaces;
  config::Published<config::RoutingConfig> routing;

  // The data plane's control thread when sabinad has ports (--port), else null: the
  // configuration is then only recorded (config-only daemon).
  routing::Control* control = nullptr;
};

// Adds every feature to `engine`, in the order they validate, prepare and apply.
// Call before CommitEngine::ApplyInitial().
void RegisterFeatures(config::CommitEngine& engine, FeatureContext& context);

}  // namespace sabina::daemon
