#include "daemon/features.h"

#include <memory>

#include "routing/forwarding_feature.h"

namespace sabina::daemon {

void RegisterFeatures(config::CommitEngine& engine, FeatureContext& context) {
  engine.AddFeature(std::make_unique<config::SystemFeature>(context.identity));
  engine.AddFeature(std::make_unique<config::SyslogFeature>(context.syslog, context.state_dir));
  engine.AddFeature(std::make_unique<config::InterfacesFeature>(context.interfaces));
  engine.AddFeature(std::make_unique<config::RoutingOptionsFeature>(context.routing));
  // Last: it hands what the features above just published to the data plane.
  if (context.control != nullptr) {
    engine.AddFeature(std::make_unique<routing::ForwardingFeature>(
        *context.control, context.interfaces, context.routing));
  }
}

}  // namespace sabina::daemon
