// Junos configuration-group inheritance.
//
// At every node T of the target tree the "sources" are nodes of groups that sit at T's place:
// first the groups T itself applies (in `apply-groups` order), then those inherited from T's
// parent (children of the parent's sources that match T), minus T's `apply-groups-except`.
// Groups applied lower in the tree therefore win over groups applied higher up, and within one
// `apply-groups` the first group wins (Batfish's preprocess-apply-groups-except-and-priority
// golden file shows the same order). From its sources T gains what it lacks: leaves it does not
// set (direct configuration wins; also for the other members of a YANG choice), leaf-list
// elements (union), containers, and list entries
// with literal keys. Entries with wildcard keys (`<ge-*>`) never create anything; they only
// lend their contents to existing entries they match ("all objects that match the wildcard
// expression inherit the group configuration data", Junos CLI guide, configuration groups).
//
// Groups that apply other groups are expanded first (memoised, cycles are errors), so a chain
// G -> H behaves as G's contents followed by H's.
#include "config/groups.h"

#include <algorithm>
#include <unordered_set>

namespace sabina::config {
namespace {

bool IsApplyGroups(const SchemaNode* s) {
  return s->is_leaf_list() && (s->name == "apply-groups" || s->name == "apply-groups-except");
}

// The `groups` statement: a container holding the group list, or (hand-built schemas) the
// group list itself at the root.
bool IsGroupsSchema(const SchemaNode* s) {
  if (s->content_of) return true;
  if (s->kind != SchemaKind::kContainer) return false;
  const SchemaNode* flat = s->FlatList();
  return flat && flat->content_of;
}

void StripGroupStatements(Node* n) {
  std::vector<const Node*> dead;
  for (const auto& c : n->children()) {
    if (IsApplyGroups(c->schema())) {
      dead.push_back(c.get());
    } else if (!c->empty()) {
      StripGroupStatements(c.get());
    }
  }
  for (const Node* d : dead) n->Remove(d);
}

struct Source {
  const Node* node;
  const std::string* group;
};

// Thread: one call of Effective()/ExpandForDisplay().
class Expander {
 public:
  Expander(bool keep_inactive, std::unordered_map<const Node*, std::string>* origin)
      : keep_inactive_(keep_inactive), origin_(origin) {}

  StatusOr<std::unique_ptr<Node>> Run(const Node& root) {
    // Groups are read in place from the input; only the rest of the tree is copied.
    auto out = std::make_unique<Node>(root.schema(), root.value());
    for (const auto& c : root.children()) {
      if (IsGroupsSchema(c->schema())) {
        CollectGroups(*c);
      } else if (keep_inactive_ || !c->inactive) {
        out->Append(Copy(*c));
      }
    }
    if (!copied_apply_groups_) return out;  // nothing to inherit, nothing to strip
    SABINA_RETURN_IF_ERROR(Apply(out.get(), {}, "", origin_));
    StripGroupStatements(out.get());
    return out;
  }

 private:
  // Like Node::Clone(), but without inactive statements unless they are kept.
  std::unique_ptr<Node> Copy(const Node& n) {
    if (IsApplyGroups(n.schema())) copied_apply_groups_ = true;
    auto out = std::make_unique<Node>(n.schema(), n.value());
    out->inactive = n.inactive;
    out->protect = n.protect;
    out->annotation = n.annotation;
    for (const auto& c : n.children()) {
      if (keep_inactive_ || !c->inactive) out->Append(Copy(*c));
    }
    return out;
  }

  void CollectGroups(const Node& n) {
    auto add = [&](const Node& e, bool inactive) {
      defined_.insert(e.value());
      if (!inactive && !e.inactive) active_[e.value()] = &e;
    };
    if (n.schema()->content_of) {
      add(n, false);
      return;
    }
    for (const auto& e : n.children()) {
      if (e->schema()->content_of) add(*e, n.inactive);
    }
  }

  bool HasApplyGroups(const Node& n) const {
    for (const auto& c : n.children()) {
      if (!keep_inactive_ && c->inactive) continue;
      if (IsApplyGroups(c->schema()) || HasApplyGroups(*c)) return true;
    }
    return false;
  }

  static std::string Banner(const Node& t, std::string_view prefix) {
    std::string out = "[edit";
    if (!prefix.empty()) {
      out += ' ';
      out += prefix;
    }
    for (const auto& w : t.PathWords()) {
      out += ' ';
      out += w;
    }
    return out + "]";
  }

  // The group `name` with its own apply-groups resolved; null if it is inactive.
  StatusOr<const Node*> Expanded(const std::string& name, const Node& at, std::string_view prefix) {
    if (auto it = expanded_.find(name); it != expanded_.end()) {
      if (!it->second) {
        return Status::Error(Banner(at, prefix) + " 'apply-groups " + name +
                             "': group applies itself (directly or through other groups)");
      }
      return it->second;
    }
    if (!defined_.count(name)) {
      return Status::Error(Banner(at, prefix) + " 'apply-groups " + name + "': group not defined");
    }
    auto act = active_.find(name);
    if (act == active_.end()) return static_cast<const Node*>(nullptr);
    if (!HasApplyGroups(*act->second)) {
      expanded_[name] = act->second;
      return act->second;
    }
    expanded_[name] = nullptr;  // in progress: a nested reference back to it is a cycle
    std::unique_ptr<Node> copy = Copy(*act->second);
    SABINA_RETURN_IF_ERROR(Apply(copy.get(), {}, "groups " + name, &group_origin_));
    StripGroupStatements(copy.get());
    const Node* result = copy.get();
    owned_.push_back(std::move(copy));
    expanded_[name] = result;
    return result;
  }

  // The nodes of group `g` at the place of `t` (whose ancestors up to the tree's top are
  // walked), literal matches first, then wildcard entries matching t's keys.
  std::vector<const Node*> AtPlaceOf(const Node* g, const Node& t) {
    std::vector<const Node*> chain;
    for (const Node* n = &t; n->parent(); n = n->parent()) chain.push_back(n);
    std::vector<const Node*> cur = {g}, next;
    for (auto it = chain.rbegin(); it != chain.rend() && !cur.empty(); ++it) {
      next.clear();
      for (const Node* x : cur) Matching(*x, **it, &next);
      cur.swap(next);
    }
    return cur;
  }

  // Children of source node `s` that apply to target node `k`.
  void Matching(const Node& s, const Node& k, std::vector<const Node*>* out) {
    const SchemaNode* schema = k.schema();
    auto take = [&](const Node* c) {
      if (c && (keep_inactive_ || !c->inactive)) out->push_back(c);
    };
    if (!schema->is_list()) {
      take(s.Find(schema));
      return;
    }
    take(s.Find(schema, k.value()));
    if (IsWildcard(k.value())) return;  // a wildcard target only takes the identical pattern
    for (const Node* w : Wildcards(s, schema)) {
      if (WildcardMatches(w->value(), k.value())) take(w);
    }
  }

  const std::vector<const Node*>& Wildcards(const Node& s, const SchemaNode* schema) {
    auto [it, fresh] = wildcards_.try_emplace({&s, schema});
    if (fresh) {
      for (const auto& c : s.children()) {
        if (c->schema() == schema && IsWildcard(c->value())) it->second.push_back(c.get());
      }
    }
    return it->second;
  }

  void Record(std::unordered_map<const Node*, std::string>* origin, const Node* created,
              const Node& from, const std::string& group) {
    if (!origin) return;
    auto it = group_origin_.find(&from);
    (*origin)[created] = it != group_origin_.end() ? it->second : group;
  }

  Status Apply(Node* t, const std::vector<Source>& inherited, std::string_view prefix,
               std::unordered_map<const Node*, std::string>* origin) {
    std::vector<Source> srcs;
    std::vector<std::string_view> except;
    for (const auto& c : t->children()) {
      const SchemaNode* s = c->schema();
      if (!IsApplyGroups(s) || c->inactive) continue;
      if (s->name == "apply-groups-except") {
        except.push_back(c->value());
        continue;
      }
      StatusOr<const Node*> g = Expanded(c->value(), *t, prefix);
      if (!g.ok()) return g.status();
      if (!*g) continue;
      const std::string* name = &c->value();
      for (const Node* m : AtPlaceOf(*g, *t)) srcs.push_back({m, name});
    }
    for (const Source& s : inherited) {
      if (std::find(except.begin(), except.end(), *s.group) == except.end()) srcs.push_back(s);
    }

    if (!srcs.empty()) Inherit(t, srcs, origin);

    for (size_t i = 0; i < t->children().size(); ++i) {
      Node* k = t->children()[i].get();
      const SchemaNode* s = k->schema();
      if (!s->has_children() || IsGroupsSchema(s)) continue;
      std::vector<Source> child_srcs;
      std::vector<const Node*> found;
      for (const Source& src : srcs) {
        found.clear();
        Matching(*src.node, *k, &found);
        for (const Node* f : found) child_srcs.push_back({f, src.group});
      }
      SABINA_RETURN_IF_ERROR(Apply(k, child_srcs, prefix, origin));
    }
    return Status::Ok();
  }

  // Adds to `t` what its sources have and it lacks (see the file comment).
  void Inherit(Node* t, const std::vector<Source>& srcs,
               std::unordered_map<const Node*, std::string>* origin) {
    // Inherited list entries go before the directly configured ones (Junos shows inherited
    // name servers first); remember, per list, the first entry that was there before.
    std::unordered_map<const SchemaNode*, const Node*> anchors;
    std::unordered_set<const SchemaNode*> anchored;
    for (const Source& src : srcs) {
      for (const auto& cp : src.node->children()) {
        const Node& c = *cp;
        const SchemaNode* s = c.schema();
        if (IsApplyGroups(s) || IsGroupsSchema(s)) continue;
        if (!keep_inactive_ && c.inactive) continue;
        if (s->is_list() && IsWildcard(c.value()) && !InGroupTree(*t)) continue;
        if (t->Find(s, c.value())) continue;
        if (!s->choice.empty() && HasOtherChoice(*t, s)) continue;
        auto n = std::make_unique<Node>(s, c.value());
        n->inactive = c.inactive;
        Node* created;
        if (s->is_list()) {
          if (anchored.insert(s).second) {
            const Node* first = nullptr;
            for (const auto& e : t->children()) {
              if (e->schema() == s) {
                first = e.get();
                break;
              }
            }
            anchors[s] = first;
          }
          created = t->InsertBefore(std::move(n), anchors[s]);
        } else {
          created = t->Append(std::move(n));
        }
        Record(origin, created, c, *src.group);
      }
    }
  }

  // A member of a YANG choice is not inherited next to another member of the same choice
  // (direct `any info;` keeps a group's `any notice;` out, as does a direct next-hop a group's
  // `discard;`).
  static bool HasOtherChoice(const Node& t, const SchemaNode* s) {
    for (const auto& c : t.children()) {
      const SchemaNode* o = c->schema();
      if (o != s && o->choice == s->choice && o->parent == s->parent) return true;
    }
    return false;
  }

  // Inside a group being expanded, wildcard entries are group content like any other.
  static bool InGroupTree(const Node& t) {
    const Node* n = &t;
    while (n->parent()) n = n->parent();
    return n->schema() && n->schema()->content_of;
  }

  const bool keep_inactive_;
  bool copied_apply_groups_ = false;
  std::unordered_map<const Node*, std::string>* origin_;
  std::unordered_set<std::string> defined_;
  std::unordered_map<std::string, const Node*> active_;  // group entries of the input
  // Groups ready to apply: the input's entry, or an owned copy with nested groups applied.
  // Null while being expanded.
  std::unordered_map<std::string, const Node*> expanded_;
  std::vector<std::unique_ptr<Node>> owned_;
  std::unordered_map<const Node*, std::string> group_origin_;  // nodes of expanded groups
  struct PairHash {
    size_t operator()(const std::pair<const Node*, const SchemaNode*>& p) const {
      return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
    }
  };
  std::unordered_map<std::pair<const Node*, const SchemaNode*>, std::vector<const Node*>, PairHash>
      wildcards_;
};

}  // namespace

StatusOr<std::unique_ptr<Node>> Effective(const Node& root) {
  return Expander(false, nullptr).Run(root);
}

StatusOr<std::unique_ptr<Node>> ExpandForDisplay(
    const Node& root, std::unordered_map<const Node*, std::string>* origin) {
  return Expander(true, origin).Run(root);
}

}  // namespace sabina::config
