#include "daemon/features.h"

#include <memory>

namespace sabina::daemon {

void RegisterFeatures(config::CommitEngine& engine, FeatureContext& context) {
  engine.AddFeature(std::make_unique<config::SystemFeature>(context.identity));
  engine.AddFeature(std::make_unique<config::SyslogFeature>(context.syslog, context.state_dir));
  engine.AddFeature(std::make_unique<config::InterfacesFeature>(context.interfaces));
  engine.AddFeature(std::make_unique<config::RoutingOptionsFeature>(context.routing));
}

}  // namespace sabina::daemon
