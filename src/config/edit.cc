// Configuration-mode edit commands (set, delete, activate, deactivate, annotate, insert,
// rename, copy, protect, unprotect) and path resolution. Every command validates fully (schema,
// values, existence, protection) before touching the tree, so an error changes nothing.
#include <algorithm>

#include "config/codec.h"
#include "config/parser_internal.h"

namespace sabina::config {
namespace internal {
namespace {

std::vector<Word> ToWords(const std::vector<std::string>& v) {
  std::vector<Word> out;
  out.reserve(v.size());
  for (const auto& s : v) {
    Word w;
    w.text = s;
    if (s == "[") w.kind = Word::kOpen;
    if (s == "]") w.kind = Word::kClose;
    out.push_back(w);
  }
  return out;
}

Status Protected(const Node* n, std::string_view what) {
  return Status::Error("error: " + n->EditBanner() + " is protected, '" + std::string(what) +
                       "' is not allowed");
}

Status NotFound(const std::vector<Step>& steps, size_t upto) {
  std::string path = "[edit";
  for (size_t i = 0; i < upto && i < steps.size(); ++i) {
    const Step& st = steps[i];
    path += ' ';
    if (!(st.schema->is_list() && st.schema->list_style == ListStyle::kFlat)) {
      path += st.schema->name;
      if (st.has_value && !st.schema->is_flag()) path += ' ';
    }
    if (st.has_value) path += Show(st.value);
  }
  return Status::Error("error: statement not found: " + path + "]");
}

// The existing nodes a walked path names. `parent` is the node holding the targets (null when
// the path leaves the tree); `protect` is the first protected node met on the way (targets
// included).
struct Located {
  Node* parent = nullptr;
  std::vector<Node*> targets;
  const Node* protect = nullptr;
  size_t missing_at = 0;  // steps found before the path left the tree
};

Located Locate(Node& root, const WalkResult& r) {
  Located l;
  Node* cur = &root;
  if (cur->protect) l.protect = cur;
  const size_t n = r.steps.size() - (r.pending ? 1 : 0);
  for (size_t i = 0; i < n; ++i) {
    const Step& st = r.steps[i];
    bool last = i + 1 == r.steps.size();
    Node* nx = cur->Find(st.schema, st.value);
    // A leaf given with a value names that value only.
    if (nx && last && st.schema->is_leaf() && st.has_value && nx->value() != st.value) {
      nx = nullptr;
    }
    if (!nx) {
      l.missing_at = i;
      return l;
    }
    if (nx->protect && !l.protect) l.protect = nx;
    if (last) {
      l.parent = cur;
      l.targets.push_back(nx);
      return l;
    }
    cur = nx;
  }
  l.parent = cur;
  l.missing_at = n;
  if (r.pending) {
    const Step& p = r.steps.back();
    if (!r.values.empty()) {
      for (std::string_view v : r.values)
        if (Node* e = cur->Find(p.schema, v)) l.targets.push_back(e);
    } else if (p.schema->is_leaf()) {
      if (Node* e = cur->Find(p.schema)) l.targets.push_back(e);
    } else {
      l.targets = cur->All(p.schema);
    }
    for (Node* t : l.targets)
      if (t->protect && !l.protect) l.protect = t;
  }
  return l;
}

bool HasProtected(const Node& n) {
  if (n.protect) return true;
  for (const auto& c : n.children())
    if (HasProtected(*c)) return true;
  return false;
}

// Deletes `n` from `parent`, except protected descendants (and the nodes leading to them),
// which Junos keeps.
void DeleteKeepingProtected(Node* parent, Node* n) {
  if (!HasProtected(*n)) {
    parent->Remove(n);
    return;
  }
  std::vector<Node*> kids;
  for (const auto& c : n->children()) kids.push_back(c.get());
  for (Node* c : kids)
    if (!c->protect) DeleteKeepingProtected(n, c);
}

Node* NextSibling(const Node* parent, const Node* n) {
  const auto& ch = parent->children();
  for (size_t i = 0; i < ch.size(); ++i)
    if (ch[i].get() == n) return i + 1 < ch.size() ? ch[i + 1].get() : nullptr;
  return nullptr;
}

bool Keyed(const SchemaNode* s) { return s->is_list() || s->is_leaf_list(); }

std::string Joined(std::span<const Word> w) {
  std::string out;
  for (const Word& x : w) {
    if (!out.empty()) out += ' ';
    out += Show(x.text);
  }
  return out;
}

class Editor {
 public:
  Editor(Node& root, std::span<const Word> edit_path, std::span<const Word> words,
         std::vector<std::string>* warnings)
      : root_(root), level_(edit_path), words_(words), warnings_(warnings) {}

  Status Run() {
    if (words_.empty()) return Status::Error("syntax error: missing command");
    std::string_view cmd = words_[0].text;
    args_ = words_.subspan(1);
    if (cmd == "set") return Set();
    if (cmd == "delete") return Delete();
    if (cmd == "activate") return Activate(false);
    if (cmd == "deactivate") return Activate(true);
    if (cmd == "annotate") return Annotate();
    if (cmd == "insert") return Insert();
    if (cmd == "rename") return RenameOrCopy(false);
    if (cmd == "copy") return RenameOrCopy(true);
    if (cmd == "protect") return Protect(true);
    if (cmd == "unprotect") return Protect(false);
    return Status::Error("syntax error: unknown edit command '" + Show(cmd) + "'");
  }

 private:
  // Walks the current level plus `rel`.
  Status WalkRel(std::span<const Word> rel, WalkResult* r) {
    path_.assign(level_.begin(), level_.end());
    path_.insert(path_.end(), rel.begin(), rel.end());
    WalkStart start;
    start.ctx = root_.schema();
    return Walk(start, path_, r);
  }

  Status NeedStatement(const WalkResult& r, std::string_view cmd) {
    if (r.steps.empty())
      return Status::Error("syntax error: missing statement after '" + std::string(cmd) + "'");
    return Status::Ok();
  }

  Status Set() {
    WalkResult r;
    SABINA_RETURN_IF_ERROR(WalkRel(args_, &r));
    SABINA_RETURN_IF_ERROR(NeedStatement(r, "set"));
    if (r.pending && r.values.empty()) {
      const Step& p = r.steps.back();
      const Word* w = p.word;
      return Status::Error(Pos(w) + "syntax error: missing value after '" + p.schema->name +
                           "' (expected " + KeyHelpOf(p.schema) + ")");
    }
    // Protection: no existing node on the path may be protected.
    Node* cur = &root_;
    const size_t n = r.steps.size() - (r.pending ? 1 : 0);
    for (size_t i = 0; i < n && cur; ++i) {
      Node* nx = cur->Find(r.steps[i].schema, r.steps[i].value);
      if (nx && nx->protect) return Protected(nx, "set");
      cur = nx;
    }
    if (cur && r.pending) {
      for (std::string_view v : r.values) {
        Node* e = cur->Find(r.steps.back().schema, v);
        if (e && e->protect) return Protected(e, "set");
      }
    }
    cur = &root_;
    for (size_t i = 0; i < n; ++i) cur = EnsureChild(cur, r.steps[i].schema, r.steps[i].value);
    if (r.pending)
      for (std::string_view v : r.values) EnsureChild(cur, r.steps.back().schema, v);
    return Status::Ok();
  }

  Status Delete() {
    if (args_.empty()) {
      // `delete` alone deletes everything below the current level.
      WalkResult r;
      SABINA_RETURN_IF_ERROR(WalkRel({}, &r));
      if (r.pending) return Status::Error("syntax error: incomplete edit level");
      Located l = r.steps.empty() ? Located{nullptr, {&root_}, nullptr, 0} : Locate(root_, r);
      if (l.targets.empty()) return Warn();
      if (l.protect) return Protected(l.protect, "delete");
      Node* lvl = l.targets[0];
      std::vector<Node*> kids;
      for (const auto& c : lvl->children()) kids.push_back(c.get());
      for (Node* c : kids)
        if (!c->protect) DeleteKeepingProtected(lvl, c);
      return Status::Ok();
    }
    WalkResult r;
    SABINA_RETURN_IF_ERROR(WalkRel(args_, &r));
    Located l = Locate(root_, r);
    if (l.targets.empty()) return Warn();
    if (l.protect) return Protected(l.protect, "delete");
    for (Node* t : l.targets) DeleteKeepingProtected(l.parent, t);
    return Status::Ok();
  }

  Status Warn() {
    if (warnings_) warnings_->push_back("warning: statement not found");
    return Status::Ok();
  }

  // Resolves the relative path `rel` to existing targets; error if there are none.
  Status Targets(std::span<const Word> rel, std::string_view cmd, WalkResult* r, Located* l) {
    SABINA_RETURN_IF_ERROR(WalkRel(rel, r));
    SABINA_RETURN_IF_ERROR(NeedStatement(*r, cmd));
    *l = Locate(root_, *r);
    if (l->targets.empty()) return NotFound(r->steps, l->missing_at + 1);
    return Status::Ok();
  }

  Status Activate(bool deactivate) {
    std::string_view cmd = deactivate ? "deactivate" : "activate";
    if (args_.empty())
      return Status::Error("syntax error: missing statement after '" + std::string(cmd) + "'");
    WalkResult r;
    Located l;
    SABINA_RETURN_IF_ERROR(Targets(args_, cmd, &r, &l));
    if (l.protect) return Protected(l.protect, cmd);
    for (Node* t : l.targets) t->inactive = deactivate;
    return Status::Ok();
  }

  Status Annotate() {
    if (args_.size() < 2) {
      return Status::Error("syntax error: usage: annotate <statement> \"comment\"");
    }
    WalkResult r;
    Located l;
    SABINA_RETURN_IF_ERROR(Targets(args_.first(args_.size() - 1), "annotate", &r, &l));
    if (l.targets.size() != 1) {
      return Status::Error("syntax error: annotate needs one statement, not a whole list");
    }
    if (l.protect) return Protected(l.protect, "annotate");
    l.targets[0]->annotation = std::string(args_.back().text);
    return Status::Ok();
  }

  Status Protect(bool on) {
    std::string_view cmd = on ? "protect" : "unprotect";
    if (args_.empty())
      return Status::Error("syntax error: missing statement after '" + std::string(cmd) + "'");
    WalkResult r;
    Located l;
    SABINA_RETURN_IF_ERROR(Targets(args_, cmd, &r, &l));
    if (!on) {
      // A statement below a protected parent stays protected by the parent.
      for (const Node* p = l.parent; p; p = p->parent())
        if (p->protect) return Protected(p, "unprotect");
    }
    for (Node* t : l.targets) t->protect = on;
    return Status::Ok();
  }

  // Finds the split word (`before`/`after`, or `to`) such that the words before it name one
  // existing keyed node (list entry or leaf-list element).
  struct Split {
    size_t at = 0;
    WalkResult walk;
    Located loc;
  };
  Status FindSplit(std::span<const std::string_view> seps, std::string_view cmd, Split* out) {
    Status first_error = Status::Error(
        "syntax error: usage: " + std::string(cmd) +
        (cmd == "insert" ? " <path> <id> (before|after) <id>" : " <path> <id> to <id>"));
    bool tried = false;
    for (size_t k = 1; k + 1 < args_.size(); ++k) {
      if (args_[k].kind != Word::kWord ||
          std::find(seps.begin(), seps.end(), args_[k].text) == seps.end()) {
        continue;
      }
      WalkResult r;
      Status st = WalkRel(args_.first(k), &r);
      if (st.ok() && (r.pending || r.steps.empty() || !Keyed(r.steps.back().schema))) {
        st = Status::Error("syntax error: '" + std::string(cmd) +
                           "' needs a list entry or list element before '" +
                           std::string(args_[k].text) + "'");
      }
      if (!st.ok()) {
        if (!tried) first_error = st;
        tried = true;
        continue;
      }
      out->at = k;
      out->walk = std::move(r);
      out->loc = Locate(root_, out->walk);
      if (out->loc.targets.empty()) {
        return NotFound(out->walk.steps, out->loc.missing_at + 1);
      }
      return Status::Ok();
    }
    return first_error;
  }

  // The identifier after the split word: "[keyword] id" for the same list.
  Status Identifier(const SchemaNode* s, std::span<const Word> rest, std::string_view* id) {
    if (rest.size() == 2 && rest[0].text == s->name) rest = rest.subspan(1);
    if (rest.size() != 1 || rest[0].kind != Word::kWord) {
      return Status::Error("syntax error: expected " + KeyHelpOf(s) + " of '" + s->name +
                           "' after the keyword, got '" + Joined(rest) + "'");
    }
    *id = rest[0].text;
    return Status::Ok();
  }

  Status Insert() {
    static constexpr std::string_view kSeps[] = {"before", "after"};
    Split sp;
    SABINA_RETURN_IF_ERROR(FindSplit(kSeps, "insert", &sp));
    const SchemaNode* s = sp.walk.steps.back().schema;
    if (s->is_list() && !s->ordered_by_user) {
      return Status::Error("error: '" + s->name +
                           "' is ordered by the system; insert works only in ordered-by-user "
                           "lists");
    }
    std::string_view ref_id;
    SABINA_RETURN_IF_ERROR(Identifier(s, args_.subspan(sp.at + 1), &ref_id));
    Node* parent = sp.loc.parent;
    Node* node = sp.loc.targets[0];
    Node* ref = parent->Find(s, ref_id);
    if (!ref) {
      return Status::Error("error: statement not found: " +
                           parent->EditBanner().substr(0, parent->EditBanner().size() - 1) + " " +
                           (s->list_style == ListStyle::kFlat ? "" : s->name + " ") + Show(ref_id) +
                           "]");
    }
    if (sp.loc.protect) return Protected(sp.loc.protect, "insert");
    for (const Node* p = parent; p; p = p->parent())
      if (p->protect) return Protected(p, "insert");
    if (node == ref) return Status::Ok();
    bool before = args_[sp.at].text == "before";
    std::unique_ptr<Node> owned = parent->Remove(node);
    Node* pos = before ? ref : NextSibling(parent, ref);
    parent->InsertBefore(std::move(owned), pos);
    return Status::Ok();
  }

  Status RenameOrCopy(bool copy) {
    static constexpr std::string_view kSeps[] = {"to"};
    std::string_view cmd = copy ? "copy" : "rename";
    Split sp;
    SABINA_RETURN_IF_ERROR(FindSplit(kSeps, cmd, &sp));
    const SchemaNode* s = sp.walk.steps.back().schema;
    Node* node = sp.loc.targets[0];
    std::span<const Word> rest = args_.subspan(sp.at + 1);
    Node* dest_parent = sp.loc.parent;
    std::string_view id;
    WalkResult dest;
    bool sibling = rest.size() == 1 || (rest.size() == 2 && rest[0].text == s->name);
    if (sibling || !copy) {
      SABINA_RETURN_IF_ERROR(Identifier(s, rest, &id));
      SABINA_RETURN_IF_ERROR(ValidateValue(*s, id, InGroup(dest_parent)));
    } else {
      // `copy <path> to <full relative path>` elsewhere in the hierarchy.
      SABINA_RETURN_IF_ERROR(WalkRel(rest, &dest));
      if (dest.pending || dest.steps.empty() || dest.steps.back().schema != s) {
        return Status::Error("syntax error: the copy destination must be another '" +
                             (s->list_style == ListStyle::kFlat ? s->key_name : s->name) + "'");
      }
      id = dest.steps.back().value;
      dest_parent = nullptr;
    }
    if (!copy && sp.loc.protect) return Protected(sp.loc.protect, cmd);
    // The destination: an existing parent must not be protected and the id must be new.
    Node* p = dest_parent;
    if (!p) {
      Node* cur = &root_;
      for (size_t i = 0; i + 1 < dest.steps.size() && cur; ++i)
        cur = cur->Find(dest.steps[i].schema, dest.steps[i].value);
      p = cur;  // may be null: created below
    }
    for (const Node* q = p; q; q = q->parent())
      if (q->protect) return Protected(q, cmd);
    if (p && p->Find(s, id)) {
      return Status::Error("error: " + std::string(cmd) + ": '" + Show(id) + "' already exists");
    }
    if (!copy) {
      node->set_value(std::string(id));
      return Status::Ok();
    }
    if (!p) {
      p = &root_;
      for (size_t i = 0; i + 1 < dest.steps.size(); ++i)
        p = EnsureChild(p, dest.steps[i].schema, dest.steps[i].value);
    }
    std::unique_ptr<Node> c = node->Clone();
    c->set_value(std::string(id));
    p->Append(std::move(c));
    return Status::Ok();
  }

  Node& root_;
  std::span<const Word> level_;
  std::span<const Word> words_;
  std::span<const Word> args_;
  std::vector<std::string>* warnings_;
  std::vector<Word> path_;
};

}  // namespace

Status ExecuteWords(Node& root, std::span<const Word> edit_path, std::span<const Word> words,
                    std::vector<std::string>* warnings) {
  Editor e(root, edit_path, words, warnings);
  return e.Run();
}

Status Segments(const SchemaNode& root, std::span<const Word> path, std::vector<size_t>* out) {
  WalkStart start;
  start.ctx = &root;
  WalkResult r;
  SABINA_RETURN_IF_ERROR(Walk(start, path, &r));
  if (r.pending) {
    const Step& p = r.steps.back();
    return Status::Error("syntax error: missing value after '" + p.schema->name + "' (expected " +
                         KeyHelpOf(p.schema) + ")");
  }
  out->clear();
  for (const Step& st : r.steps) {
    if (!st.schema->has_children()) {
      return Status::Error("syntax error: '" + st.schema->name + "' is not a container");
    }
    bool two = st.schema->is_list() && st.schema->list_style != ListStyle::kFlat;
    out->push_back(two ? 2 : 1);
  }
  return Status::Ok();
}

}  // namespace internal

Status ExecuteEdit(Node& root, const std::vector<std::string>& edit_path,
                   const std::vector<std::string>& words, std::vector<std::string>* warnings) {
  std::vector<internal::Word> level = internal::ToWords(edit_path);
  std::vector<internal::Word> w = internal::ToWords(words);
  return internal::ExecuteWords(root, level, w, warnings);
}

StatusOr<Node*> Resolve(Node& root, const std::vector<std::string>& words) {
  std::vector<internal::Word> w = internal::ToWords(words);
  internal::WalkStart start;
  start.ctx = root.schema();
  internal::WalkResult r;
  SABINA_RETURN_IF_ERROR(internal::Walk(start, w, &r));
  if (r.pending) {
    const internal::Step& p = r.steps.back();
    if (!p.schema->is_leaf() || !r.values.empty()) {
      return Status::Error("syntax error: missing value after '" + p.schema->name + "' (expected " +
                           internal::KeyHelpOf(p.schema) + ")");
    }
  }
  Node* cur = &root;
  for (const internal::Step& st : r.steps) {
    cur = cur->Find(st.schema, st.value);
    if (!cur) return static_cast<Node*>(nullptr);
  }
  return cur;
}

}  // namespace sabina::config
