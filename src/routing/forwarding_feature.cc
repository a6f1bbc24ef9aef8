#include "routing/forwarding_feature.h"

#include <memory>

#include "routing/control.h"

namespace sabina::routing {

void ForwardingFeature::Apply() {
  std::shared_ptr<const config::InterfaceTable> interfaces = interfaces_.Get();
  std::shared_ptr<const config::RoutingConfig> routing = routing_.Get();
  if (!interfaces) interfaces = std::make_shared<const config::InterfaceTable>();
  if (!routing) routing = std::make_shared<const config::RoutingConfig>();
  control_.ApplyConfig(std::move(interfaces), std::move(routing));
}

}  // namespace sabina::routing
