// The `forwarding` feature: hands the interfaces and routing-options snapshots a commit just
// published to the control thread (routing/control.h), which makes the data plane, the host
// interfaces and the kernel's routes match them. Registered last (src/daemon/features.cc), so
// the snapshots it reads are the ones the interfaces and routing-options features published in
// the same Apply pass; present only when sabinad has ports (a Control exists).
//
// Config path: none of its own (reads [edit interfaces] and [edit routing-options] through the
// published snapshots). Apply blocks until the data plane uses the new configuration.
//
// Thread: mgmt.
#pragma once

#include "config/bindings/interfaces.h"
#include "config/bindings/published.h"
#include "config/bindings/routing_options.h"
#include "config/commit.h"

namespace sabina::routing {

class Control;

class ForwardingFeature : public config::Feature {
 public:
  ForwardingFeature(Control& control, const config::Published<config::InterfaceTable>& interfaces,
                    const config::Published<config::RoutingConfig>& routing)
      : control_(control), interfaces_(interfaces), routing_(routing) {}
  const char* name() const override { return "forwarding"; }
  Status Validate(const config::Node&) override { return Status::Ok(); }
  Status Prepare(const config::Node*, const config::Node&) override { return Status::Ok(); }
  void Apply() override;
  void Abort() override {}

 private:
  Control& control_;
  const config::Published<config::InterfaceTable>& interfaces_;
  const config::Published<config::RoutingConfig>& routing_;
};

}  // namespace sabina::routing
