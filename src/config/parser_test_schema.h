// A hand-built schema with every shape the parser handles (keyword, flat and block lists,
// leaf-lists, flags, choices, user-ordered lists, groups with content_of), and a tree dumper for
// structural comparisons, for parser_test.cc, edit_test.cc and load_test.cc. Independent of the
// YANG loader on purpose.
//
// Thread: tests only.
#pragma once

#include <memory>
#include <string>

#include "config/schema.h"
#include "config/tree.h"

namespace sabina::config::ptest {

inline SchemaNode* Add(SchemaNode* parent, SchemaKind kind, std::string name,
                       ValueType type = ValueType::kString) {
  auto n = std::make_unique<SchemaNode>();
  n->kind = kind;
  n->name = std::move(name);
  n->parent = parent;
  if (kind == SchemaKind::kList) {
    n->key_type = type;
    n->key_name = "name";
  } else {
    n->type = type;
  }
  SchemaNode* raw = n.get();
  parent->children.push_back(raw);
  parent->owned_children.push_back(std::move(n));
  return raw;
}

inline void AddApplyGroups(SchemaNode* n) {
  SchemaNode* ag = Add(n, SchemaKind::kLeafList, "apply-groups");
  ag->ordered_by_user = true;
  SchemaNode* age = Add(n, SchemaKind::kLeafList, "apply-groups-except");
  age->ordered_by_user = true;
  n->children.pop_back();
  n->children.pop_back();
  n->children.insert(n->children.begin(), {ag, age});
}

struct PSchema {
  std::unique_ptr<SchemaNode> root_owned = std::make_unique<SchemaNode>();
  SchemaNode* root;
  SchemaNode *version, *groups, *group, *system, *host_name, *domain_name, *name_server,
      *domain_search, *syslog, *file, *contents, *sev_any, *sev_notice, *services, *ssh,
      *interfaces, *interface, *description, *disable, *mtu, *unit, *unit_description, *vlan_id,
      *family, *inet, *address, *routing_options, *static_, *route, *next_hop, *discard,
      *preference, *router_id, *firewall, *filter, *term, *then, *accept;

  PSchema() {
    using K = SchemaKind;
    using T = ValueType;
    root = root_owned.get();
    version = Add(root, K::kLeaf, "version");
    groups = Add(root, K::kContainer, "groups");
    group = Add(groups, K::kList, "group");
    group->list_style = ListStyle::kFlat;
    group->content_of = root;
    system = Add(root, K::kContainer, "system");
    host_name = Add(system, K::kLeaf, "host-name");
    host_name->type_help = "<host-name>";
    domain_name = Add(system, K::kLeaf, "domain-name");
    domain_search = Add(system, K::kLeafList, "domain-search");
    name_server = Add(system, K::kList, "name-server", T::kIpAddress);
    name_server->list_style = ListStyle::kBlock;
    name_server->ordered_by_user = true;
    syslog = Add(system, K::kContainer, "syslog");
    file = Add(syslog, K::kList, "file");
    contents = Add(file, K::kList, "contents");
    contents->list_style = ListStyle::kFlat;
    contents->oneliner = true;
    sev_any = Add(contents, K::kLeaf, "any", T::kEmpty);
    sev_any->choice = "level";
    sev_notice = Add(contents, K::kLeaf, "notice", T::kEmpty);
    sev_notice->choice = "level";
    services = Add(system, K::kContainer, "services");
    ssh = Add(services, K::kContainer, "ssh");
    interfaces = Add(root, K::kContainer, "interfaces");
    interface = Add(interfaces, K::kList, "interface");
    interface->list_style = ListStyle::kFlat;
    description = Add(interface, K::kLeaf, "description");
    disable = Add(interface, K::kLeaf, "disable", T::kEmpty);
    mtu = Add(interface, K::kLeaf, "mtu", T::kUint);
    mtu->min = 256;
    mtu->max = 9192;
    unit = Add(interface, K::kList, "unit", T::kUint);
    unit->max = 16385;
    unit_description = Add(unit, K::kLeaf, "description");
    vlan_id = Add(unit, K::kLeaf, "vlan-id", T::kUint);
    vlan_id->min = 1;
    vlan_id->max = 4094;
    family = Add(unit, K::kContainer, "family");
    inet = Add(family, K::kContainer, "inet");
    address = Add(inet, K::kList, "address", T::kIpv4AddressOrPrefix);
    routing_options = Add(root, K::kContainer, "routing-options");
    router_id = Add(routing_options, K::kLeaf, "router-id", T::kIpv4Address);
    static_ = Add(routing_options, K::kContainer, "static");
    route = Add(static_, K::kList, "route", T::kIpPrefix);
    route->oneliner = true;
    next_hop = Add(route, K::kLeafList, "next-hop", T::kIpAddress);
    next_hop->choice = "type";
    discard = Add(route, K::kLeaf, "discard", T::kEmpty);
    discard->choice = "type";
    preference = Add(route, K::kLeaf, "preference", T::kUint);
    preference->max = 4294967295u;
    firewall = Add(root, K::kContainer, "firewall");
    filter = Add(firewall, K::kList, "filter");
    term = Add(filter, K::kList, "term");
    term->ordered_by_user = true;
    then = Add(term, K::kContainer, "then");
    accept = Add(then, K::kLeaf, "accept", T::kEmpty);
    for (SchemaNode* n : {root, system, interfaces, interface, unit, filter, term})
      AddApplyGroups(n);
    root->Finalize();
  }
};

// One line per node in stored order, indented two spaces per level:
// "unit 0", "host-name r1", with markers " [inactive]", " [protect]", " [op=delete]",
// " /*annotation*/".
inline void DumpTo(const Node& n, int depth, std::string* out) {
  for (const auto& c : n.children()) {
    out->append(static_cast<size_t>(depth) * 2, ' ');
    std::string words;
    for (const auto& w : NodeWords(*c)) {
      if (!words.empty()) words += ' ';
      words += w;
    }
    *out += words;
    if (c->inactive) *out += " [inactive]";
    if (c->protect) *out += " [protect]";
    if (c->op == Node::Op::kDelete) *out += " [op=delete]";
    if (c->op == Node::Op::kReplace) *out += " [op=replace]";
    if (c->op == Node::Op::kActive) *out += " [op=active]";
    if (!c->annotation.empty()) *out += " /*" + c->annotation + "*/";
    *out += '\n';
    DumpTo(*c, depth + 1, out);
  }
}

inline std::string Dump(const Node& n) {
  std::string out;
  DumpTo(n, 0, &out);
  return out;
}

}  // namespace sabina::config::ptest
