// Binding of [edit routing-options]: router-id, autonomous-system and static routes (inet.0
// and `rib inet6.0`), published as records for the RIB (a later issue installs them).
//
// Config path: routing-options { router-id A; autonomous-system N;
//              static { route P { next-hop [A|IFNAME ...]; | discard; | reject;
//                       qualified-next-hop A { preference N; metric N; } preference N; } }
//              rib inet6.0 { static { ... } } }
// Checks: a route's prefix family matches its table; next hops are addresses of that family
// or interface names; a route has next-hop/qualified-next-hop, or discard, or reject, and
// not discard or reject together with next hops; only inet.0 and inet6.0 tables.
//
// Thread: mgmt (Feature calls); the published snapshot is read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/bindings/published.h"
#include "config/commit.h"

namespace sabina::config {

struct StaticNextHop {
  std::string gateway;        // address ("192.0.2.1") or interface name ("ge-0/0/0.0")
  bool is_interface = false;
  std::optional<uint32_t> preference;  // qualified-next-hop only
  std::optional<uint32_t> metric;      // qualified-next-hop only
};

struct StaticRoute {
  enum class Action { kForward, kDiscard, kReject };
  std::string table;   // "inet.0" or "inet6.0"
  std::string prefix;  // as configured
  bool v6 = false;
  Action action = Action::kForward;
  std::vector<StaticNextHop> next_hops;  // plain next-hop, in order
  std::vector<StaticNextHop> qualified;  // qualified-next-hop, in order
  uint32_t preference = 5;               // Junos default for static routes
  std::optional<uint32_t> metric;
  bool no_readvertise = false;
  bool retain = false;
};

struct RoutingConfig {
  std::optional<std::string> router_id;
  std::optional<uint32_t> autonomous_system;
  std::vector<StaticRoute> routes;  // inet.0 first, then inet6.0; configuration order
};

class RoutingOptionsFeature : public Feature {
 public:
  explicit RoutingOptionsFeature(Published<RoutingConfig>& out) : out_(out) {}
  const char* name() const override { return "routing-options"; }
  Status Validate(const Node& effective) override;
  Status Prepare(const Node* old_effective, const Node& effective) override;
  void Apply() override;
  void Abort() override { next_.reset(); }

 private:
  Published<RoutingConfig>& out_;
  std::shared_ptr<const RoutingConfig> next_;
};

}  // namespace sabina::config
