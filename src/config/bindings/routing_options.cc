#include "config/bindings/routing_options.h"

#include "config/bindings/util.h"

namespace sabina::config {

using bindings::Child;
using bindings::Children;
using bindings::Has;
using bindings::LevelError;
using bindings::StatementError;
using bindings::UintValue;

namespace {

// (table name, static container) pairs of the effective routing-options.
std::vector<std::pair<std::string, const Node*>> StaticLevels(const Node& ro) {
  std::vector<std::pair<std::string, const Node*>> out;
  if (const Node* st = Child(ro, "static")) out.emplace_back("inet.0", st);
  for (const Node* rib : Children(ro, "rib")) {
    if (const Node* st = Child(*rib, "static")) out.emplace_back(rib->value(), st);
  }
  return out;
}

std::string CheckGateway(const std::string& gw, bool v6) {
  if (bindings::IsInterfaceName(gw)) return {};
  auto ip = bindings::ParseIp(gw);
  if (!ip || ip->length >= 0) return "Invalid next-hop: " + gw;
  if (ip->v6 != v6) {
    return std::string("next-hop ") + gw + " is not an " + (v6 ? "IPv6" : "IPv4") +
           " address";
  }
  return {};
}

PolicyActions ActionsOf(const Node& parent) {
  PolicyActions a;
  const Node* then = Child(parent, "then");
  if (!then) return a;
  const std::string lb = bindings::Value(*then, "load-balance");
  if (lb == "per-packet") a.load_balance = PolicyActions::LoadBalance::kPerPacket;
  if (lb == "consistent-hash") a.load_balance = PolicyActions::LoadBalance::kConsistentHash;
  if (Has(*then, "accept")) a.terminal = PolicyActions::Terminal::kAccept;
  if (Has(*then, "reject")) a.terminal = PolicyActions::Terminal::kReject;
  return a;
}

const Node* FindPolicy(const Node& effective, const std::string& name) {
  const Node* po = Child(effective, "policy-options");
  if (!po) return nullptr;
  for (const Node* p : Children(*po, "policy-statement")) {
    if (p->value() == name) return p;
  }
  return nullptr;
}

}  // namespace

Status RoutingOptionsFeature::Validate(const Node& effective) {
  const Node* ro = Child(effective, "routing-options");
  if (!ro) return Status::Ok();
  std::string errors;
  auto fail = [&](std::string e) {
    if (!errors.empty()) errors += '\n';
    errors += e;
  };
  for (const Node* rib : Children(*ro, "rib")) {
    if (rib->value() != "inet.0" && rib->value() != "inet6.0") {
      fail(StatementError(*rib, "routing table " + rib->value() + " is not supported"));
    }
  }
  if (const Node* ft = Child(*ro, "forwarding-table")) {
    for (const Node* e : Children(*ft, "export")) {
      if (!FindPolicy(effective, e->value())) {
        fail(StatementError(*e, "Policy error: Policy " + e->value() +
                                    " referenced but not defined"));
      }
    }
  }
  for (const auto& [table, st] : StaticLevels(*ro)) {
    const bool want_v6 = table == "inet6.0";
    for (const Node* route : Children(*st, "route")) {
      auto prefix = bindings::ParseIp(route->value());
      if (!prefix) {
        fail(StatementError(*route, "Invalid prefix: " + route->value()));
        continue;
      }
      if (prefix->v6 != want_v6) {
        fail(StatementError(*route, std::string(want_v6 ? "IPv4" : "IPv6") +
                                        " route is not allowed in table " + table));
        continue;
      }
      auto hops = Children(*route, "next-hop");
      auto qualified = Children(*route, "qualified-next-hop");
      const Node* discard = Child(*route, "discard");
      const Node* reject = Child(*route, "reject");
      if (discard && reject) {
        fail(StatementError(*reject, "discard and reject are mutually exclusive"));
      }
      if (const Node* action = discard ? discard : reject;
          action && (!hops.empty() || !qualified.empty())) {
        fail(StatementError(*action, "next-hop and " + action->schema()->name +
                                         " are mutually exclusive"));
      }
      if (!discard && !reject && hops.empty() && qualified.empty()) {
        fail(LevelError(*route, "Missing next-hop, qualified-next-hop, discard or reject"));
      }
      for (const Node* nh : hops) {
        if (std::string bad = CheckGateway(nh->value(), want_v6); !bad.empty()) {
          fail(StatementError(*nh, bad));
        }
      }
      for (const Node* q : qualified) {
        if (std::string bad = CheckGateway(q->value(), want_v6); !bad.empty()) {
          fail(StatementError(*q, bad));
        }
      }
    }
  }
  return errors.empty() ? Status::Ok() : Status::Error(errors);
}

Status RoutingOptionsFeature::Prepare(const Node*, const Node& effective) {
  auto cfg = std::make_shared<RoutingConfig>();
  if (const Node* ro = Child(effective, "routing-options")) {
    if (const Node* rid = Child(*ro, "router-id")) cfg->router_id = rid->value();
    if (auto as = UintValue(*ro, "autonomous-system")) {
      cfg->autonomous_system = static_cast<uint32_t>(*as);
    }
    for (const auto& [table, st] : StaticLevels(*ro)) {
      for (const Node* route : Children(*st, "route")) {
        StaticRoute r;
        r.table = table;
        r.prefix = route->value();
        r.v6 = table == "inet6.0";
        if (Has(*route, "discard")) r.action = StaticRoute::Action::kDiscard;
        if (Has(*route, "reject")) r.action = StaticRoute::Action::kReject;
        for (const Node* nh : Children(*route, "next-hop")) {
          r.next_hops.push_back({nh->value(), bindings::IsInterfaceName(nh->value()), {}, {}});
        }
        for (const Node* q : Children(*route, "qualified-next-hop")) {
          StaticNextHop h{q->value(), bindings::IsInterfaceName(q->value()), {}, {}};
          if (auto p = UintValue(*q, "preference")) h.preference = static_cast<uint32_t>(*p);
          if (auto m = UintValue(*q, "metric")) h.metric = static_cast<uint32_t>(*m);
          r.qualified.push_back(std::move(h));
        }
        if (auto p = UintValue(*route, "preference")) r.preference = static_cast<uint32_t>(*p);
        if (auto m = UintValue(*route, "metric")) r.metric = static_cast<uint32_t>(*m);
        r.no_readvertise = Has(*route, "no-readvertise");
        r.retain = Has(*route, "retain");
        r.resolve = Has(*route, "resolve");
        cfg->routes.push_back(std::move(r));
      }
    }
    if (const Node* ft = Child(*ro, "forwarding-table")) {
      for (const Node* e : Children(*ft, "export")) {
        cfg->forwarding_table_export.push_back(e->value());
        const Node* p = FindPolicy(effective, e->value());
        if (!p) continue;
        PolicyStatement ps{p->value(), {}, ActionsOf(*p)};
        for (const Node* t : Children(*p, "term")) ps.terms.push_back({t->value(), ActionsOf(*t)});
        cfg->policies.push_back(std::move(ps));
      }
    }
  }
  next_ = std::move(cfg);
  return Status::Ok();
}

void RoutingOptionsFeature::Apply() {
  out_.Set(std::move(next_));
  next_.reset();
}

}  // namespace sabina::config
