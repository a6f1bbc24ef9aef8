// Binding of [edit routing-options]: router-id, autonomous-system, static routes (inet.0
// and `rib inet6.0`) and the forwarding-table export policies, published as records for the
// RIB (routing/rib.h). The policies named by `forwarding-table export` come from
// [edit policy-options] (the subset of docs/decisions/0007-ecmp-policy.md) and travel in the
// same snapshot, so the RIB gets one consistent record.
//
// Config path: routing-options { router-id A; autonomous-system N;
//              static { route P { next-hop [A|IFNAME ...]; | discard; | reject;
//                       qualified-next-hop A { preference N; metric N; } preference N;
//                       metric N; no-readvertise; retain; resolve; } }
//              rib inet6.0 { static { ... } }
//              forwarding-table { export [ POLICY ... ]; } }
//              policy-options { policy-statement NAME { term NAME { then { load-balance
//                       per-packet|consistent-hash; accept|reject; } } then { ... } } }
// Checks: a route's prefix family matches its table; next hops are addresses of that family
// or interface names; a route has next-hop/qualified-next-hop, or discard, or reject, and
// not discard or reject together with next hops; only inet.0 and inet6.0 tables; an exported
// policy is defined ("Policy error: Policy LB referenced but not defined").
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
  bool resolve = false;  // gateways not on a connected subnet resolve through other routes
};

// The `then` of a policy term (or of the policy itself, its unnamed last term).
struct PolicyActions {
  enum class LoadBalance { kNone, kPerPacket, kConsistentHash };
  enum class Terminal { kNone, kAccept, kReject };  // kNone: evaluation goes on
  LoadBalance load_balance = LoadBalance::kNone;
  Terminal terminal = Terminal::kNone;
  friend bool operator==(const PolicyActions&, const PolicyActions&) = default;
};

struct PolicyTerm {
  std::string name;
  PolicyActions then;
  friend bool operator==(const PolicyTerm&, const PolicyTerm&) = default;
};

struct PolicyStatement {
  std::string name;
  std::vector<PolicyTerm> terms;  // configuration order
  PolicyActions then;             // evaluated after the terms
  friend bool operator==(const PolicyStatement&, const PolicyStatement&) = default;
};

struct RoutingConfig {
  std::optional<std::string> router_id;
  std::optional<uint32_t> autonomous_system;
  std::vector<StaticRoute> routes;  // inet.0 first, then inet6.0; configuration order
  std::vector<std::string> forwarding_table_export;  // policy names, in order
  std::vector<PolicyStatement> policies;  // the exported ones, in export order
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
