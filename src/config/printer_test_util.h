// A small hand-built schema with the Junos display conventions the printer and differ must
// honour (flat, block and keyword lists, one-liners, user-ordered lists, leaf-lists, secrets),
// for printer_test.cc and diff_test.cc. Independent of the YANG loader on purpose.
//
// Thread: tests only.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "config/schema.h"
#include "config/tree.h"

namespace sabina::config::testing {

inline SchemaNode* AddSchema(SchemaNode* parent, SchemaKind kind, std::string name) {
  auto n = std::make_unique<SchemaNode>();
  n->kind = kind;
  n->name = std::move(name);
  n->parent = parent;
  SchemaNode* raw = n.get();
  parent->children.push_back(raw);
  parent->owned_children.push_back(std::move(n));
  return raw;
}

struct TestSchema {
  std::unique_ptr<SchemaNode> root = std::make_unique<SchemaNode>();
  SchemaNode *version, *system, *host_name, *name_server, *domain_search, *root_auth, *password;
  SchemaNode *syslog, *file, *contents, *any_notice, *any_any;
  SchemaNode *interfaces, *interface, *if_description, *disable, *mtu, *unit, *unit_description,
      *family, *inet, *inet6, *address;
  SchemaNode *routing_options, *static_, *route, *next_hop, *preference;
  SchemaNode *firewall, *filter, *term, *then, *accept;
  SchemaNode *apply_groups;
  SchemaNode *groups, *group;

  TestSchema() {
    using K = SchemaKind;
    SchemaNode* r = root.get();
    r->kind = K::kContainer;
    version = AddSchema(r, K::kLeaf, "version");
    groups = AddSchema(r, K::kContainer, "groups");
    group = AddSchema(groups, K::kList, "group");
    group->list_style = ListStyle::kFlat;
    group->ordered_by_user = true;
    group->content_of = r;
    system = AddSchema(r, K::kContainer, "system");
    host_name = AddSchema(system, K::kLeaf, "host-name");
    domain_search = AddSchema(system, K::kLeafList, "domain-search");
    name_server = AddSchema(system, K::kList, "name-server");
    name_server->list_style = ListStyle::kBlock;
    name_server->ordered_by_user = true;
    root_auth = AddSchema(system, K::kContainer, "root-authentication");
    password = AddSchema(root_auth, K::kLeaf, "encrypted-password");
    password->secret = true;
    syslog = AddSchema(system, K::kContainer, "syslog");
    file = AddSchema(syslog, K::kList, "file");
    contents = AddSchema(file, K::kList, "contents");
    contents->list_style = ListStyle::kFlat;
    contents->oneliner = true;
    any_any = AddSchema(contents, K::kLeaf, "any");
    any_any->type = ValueType::kEmpty;
    any_notice = AddSchema(contents, K::kLeaf, "notice");
    any_notice->type = ValueType::kEmpty;
    interfaces = AddSchema(r, K::kContainer, "interfaces");
    interface = AddSchema(interfaces, K::kList, "interface");
    interface->list_style = ListStyle::kFlat;
    if_description = AddSchema(interface, K::kLeaf, "description");
    disable = AddSchema(interface, K::kLeaf, "disable");
    disable->type = ValueType::kEmpty;
    mtu = AddSchema(interface, K::kLeaf, "mtu");
    unit = AddSchema(interface, K::kList, "unit");
    unit_description = AddSchema(unit, K::kLeaf, "description");
    family = AddSchema(unit, K::kContainer, "family");
    family->collapse = true;
    inet = AddSchema(family, K::kContainer, "inet");
    inet6 = AddSchema(family, K::kContainer, "inet6");
    address = AddSchema(inet, K::kList, "address");
    routing_options = AddSchema(r, K::kContainer, "routing-options");
    static_ = AddSchema(routing_options, K::kContainer, "static");
    route = AddSchema(static_, K::kList, "route");
    route->oneliner = true;
    next_hop = AddSchema(route, K::kLeafList, "next-hop");
    preference = AddSchema(route, K::kLeaf, "preference");
    firewall = AddSchema(r, K::kContainer, "firewall");
    filter = AddSchema(firewall, K::kList, "filter");
    term = AddSchema(filter, K::kList, "term");
    term->ordered_by_user = true;
    then = AddSchema(term, K::kContainer, "then");
    accept = AddSchema(then, K::kLeaf, "accept");
    accept->type = ValueType::kEmpty;
    apply_groups = AddSchema(r, K::kLeafList, "apply-groups");
  }

  std::unique_ptr<Node> NewRoot() const { return std::make_unique<Node>(root.get()); }
};

// The fastest of `reps` runs of `f`, in milliseconds. Speed tests compare two sizes measured
// this way (growth, not absolute time), so a loaded machine or a sanitizer cannot fail them.
inline double FastestMs(int reps, const std::function<void()>& f) {
  double best = 1e300;
  for (int i = 0; i < reps; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - t0)
                              .count());
  }
  return best;
}

}  // namespace sabina::config::testing
