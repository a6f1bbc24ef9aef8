// `show | compare` and `load patch`.
//
// Format decisions and their evidence (Junos output recorded or quoted by public projects):
//   - "[edit interfaces fxp0 unit 0]\n+    description RACECAR;" — recorded Junos session,
//     shared/corpus/junos-show/scrapli+scrapli_cfg__...merge_diff_and_abort_juniper_junos...yaml.
//   - indent after the marker is min(depth + 2, 4): "[edit]\n+  routing-options {",
//     "[edit interfaces]\n+   ge-0/0/0 {", "[edit system syslog]\n+    host 10.1.1.12 {"
//     (Ansible/Salt runs against real devices), and `show system rollback 3 compare 1` in
//     juniper.net .../command-summary/show-system-rollback.html.
//   - a changed statement is "-" old then "+" new, whole (leaf-lists and one-liners too);
//     added/removed subtrees are printed whole in curly form.
//   - a new entry of a user-ordered list follows a context line naming the entry before it
//     ("     file test9 { ... }" then "+    file qflogs {"), and the header is repeated before
//     such a context line (Ansible junos output quoted in public repositories).
//   - metadata: "!    inactive: ge-0/0/0 { ... }" / "!    active: ..." for (de)activation,
//     "!    protect: ..." / "!    unprotect: ..."; annotations as "-"/"+" "/* text */" lines
//     followed by a context line naming the statement. Moves in user-ordered lists: a context
//     line naming the new predecessor (none when moved first), then "!    term t3 { ... }".
//     These follow Junos' conventions as far as public output shows them; not verified on a
//     device.
#include "config/diff.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace sabina::config {
namespace {

using internal::AppendDisplayOrder;
using internal::AppendValue;
using internal::CurlyWriter;

bool HasMeta(const Node& n) { return n.inactive || n.protect || !n.annotation.empty(); }

bool SameMeta(const Node& a, const Node& b) {
  return a.inactive == b.inactive && a.protect == b.protect && a.annotation == b.annotation;
}

bool IsBlock(const SchemaNode* s) {
  return (s->is_list() || s->is_leaf_list()) && s->list_style == ListStyle::kBlock;
}

size_t PosIn(const SchemaNode* parent, const SchemaNode* s) {
  if (!parent) return 0;
  const auto& c = parent->content();
  for (size_t i = 0; i < c.size(); ++i) {
    if (c[i] == s) return i;
  }
  return c.size();
}

std::string QuotedWord(std::string_view w) {
  std::string out;
  AppendValue(&out, w, false);
  return out;
}

// Longest increasing subsequence of `v` (indices into v); O(n log n).
std::vector<bool> InLis(const std::vector<size_t>& v) {
  std::vector<size_t> tails;  // indices into v
  std::vector<size_t> prev(v.size(), SIZE_MAX);
  for (size_t i = 0; i < v.size(); ++i) {
    auto it = std::lower_bound(tails.begin(), tails.end(), v[i],
                               [&](size_t t, size_t x) { return v[t] < x; });
    if (it != tails.begin()) prev[i] = *(it - 1);
    if (it == tails.end()) {
      tails.push_back(i);
    } else {
      *it = i;
    }
  }
  std::vector<bool> keep(v.size(), false);
  for (size_t i = tails.empty() ? SIZE_MAX : tails.back(); i != SIZE_MAX; i = prev[i]) {
    keep[i] = true;
  }
  return keep;
}

class Differ {
 public:
  explicit Differ(const Node& at) {
    for (const auto& w : at.PathWords()) path_.push_back(QuotedWord(w));
    for (const Node* p = &at; p->parent(); p = p->parent()) ++depth_;
  }

  std::string Take() { return std::move(out_); }

  void Children(const Node& o, const Node& n) {
    std::vector<const Node*> ov, nv;
    AppendDisplayOrder(o, &ov);
    AppendDisplayOrder(n, &nv);
    const SchemaNode* ps = n.schema();
    size_t i = 0, j = 0;
    while (i < ov.size() || j < nv.size()) {
      const SchemaNode* so = i < ov.size() ? ov[i]->schema() : nullptr;
      const SchemaNode* sn = j < nv.size() ? nv[j]->schema() : nullptr;
      const SchemaNode* s;
      if (!so) {
        s = sn;
      } else if (!sn || so == sn) {
        s = so;
      } else {
        s = PosIn(ps, sn) < PosIn(ps, so) ? sn : so;
      }
      size_t i2 = i, j2 = j;
      while (i2 < ov.size() && ov[i2]->schema() == s) ++i2;
      while (j2 < nv.size() && nv[j2]->schema() == s) ++j2;
      Group(s, o, n, std::vector<const Node*>(ov.begin() + i, ov.begin() + i2),
            std::vector<const Node*>(nv.begin() + j, nv.begin() + j2));
      i = i2;
      j = j2;
    }
  }

 private:
  void Group(const SchemaNode* s, const Node& o, const Node& n, const std::vector<const Node*>& a,
             const std::vector<const Node*>& b) {
    if (s->is_leaf()) {
      Leaf(a.empty() ? nullptr : a[0], b.empty() ? nullptr : b[0]);
    } else if (IsBlock(s)) {
      path_.push_back(QuotedWord(s->name));
      ++depth_;
      Entries(s, o, n, a, b);
      --depth_;
      path_.pop_back();
    } else if (s->is_leaf_list()) {
      LeafList(a, b);
    } else if (!s->is_list()) {
      const Node* x = a.empty() ? nullptr : a[0];
      const Node* y = b.empty() ? nullptr : b[0];
      if (x && y) {
        Entry(*x, *y);
      } else if (x) {
        Emit('-', *x);
      } else if (y) {
        Emit('+', *y);
      }
    } else {
      Entries(s, o, n, a, b);
    }
  }

  void Leaf(const Node* a, const Node* b) {
    if (a && b && a->value() == b->value()) {
      if (!SameMeta(*a, *b)) Meta(*a, *b);
      return;
    }
    if (a) Emit('-', *a);
    if (b) Emit('+', *b);
  }

  void LeafList(const std::vector<const Node*>& a, const std::vector<const Node*>& b) {
    bool same = a.size() == b.size();
    for (size_t i = 0; same && i < a.size(); ++i) {
      same = a[i]->value() == b[i]->value() && SameMeta(*a[i], *b[i]);
    }
    if (same) return;
    if (!a.empty()) EmitLeafList('-', a);
    if (!b.empty()) EmitLeafList('+', b);
  }

  // Same statement in both trees.
  void Entry(const Node& a, const Node& b) {
    if (a.Equals(b)) return;
    CurlyWriter w(&scratch_, opts_);
    if (w.OneLiner(a) || w.OneLiner(b)) {
      Emit('-', a);
      Emit('+', b);
      return;
    }
    if (!SameMeta(a, b)) Meta(a, b);
    const SchemaNode* s = b.schema();
    if (s->collapse && !HasMeta(a) && !HasMeta(b) && !a.empty() && !b.empty()) {
      // "family inet": the children are shown at this level with the keyword in front.
      const std::string saved = prefix_;
      prefix_ += s->name + " ";
      Children(a, b);
      prefix_ = saved;
      return;
    }
    size_t pushed = 0;
    if (s->is_list() && (s->list_style == ListStyle::kFlat || IsBlock(s))) {
      path_.push_back(QuotedWord(b.value()));
      pushed = 1;
    } else if (s->is_list()) {
      path_.push_back(QuotedWord(s->name));
      path_.push_back(QuotedWord(b.value()));
      pushed = 2;
    } else {
      path_.push_back(QuotedWord(s->name));
      pushed = 1;
    }
    // Below a collapsed container, its keyword is part of the path ("family inet").
    const std::string saved = std::move(prefix_);
    prefix_.clear();
    if (!saved.empty()) {
      std::vector<std::string> words;
      size_t p = 0;
      while (p < saved.size()) {
        size_t e = saved.find(' ', p);
        words.push_back(saved.substr(p, e - p));
        p = e + 1;
      }
      path_.insert(path_.end() - static_cast<ptrdiff_t>(pushed), words.begin(), words.end());
      pushed += words.size();
    }
    ++depth_;
    Children(a, b);
    --depth_;
    path_.resize(path_.size() - pushed);
    prefix_ = saved;
  }

  void Entries(const SchemaNode* s, const Node& o, const Node& n, const std::vector<const Node*>& a,
               const std::vector<const Node*>& b) {
    const bool ordered = s->ordered_by_user || s->is_leaf_list();
    if (!ordered) {
      // Both sides are naturally sorted: merge.
      size_t i = 0, j = 0;
      while (i < a.size() || j < b.size()) {
        const Node* x = i < a.size() ? a[i] : nullptr;
        const Node* y = j < b.size() ? b[j] : nullptr;
        if (x && y && x->value() == y->value()) {
          Pair(*x, *y);
          ++i;
          ++j;
        } else if (y && (!x || NaturalLess(y->value(), x->value()))) {
          if (const Node* ox = o.Find(s, y->value())) {
            Pair(*ox, *y);
          } else {
            Emit('+', *y);
          }
          ++j;
        } else {
          if (!n.Find(s, x->value())) Emit('-', *x);
          ++i;
        }
      }
      return;
    }
    for (const Node* x : a) {
      if (!n.Find(s, x->value())) Emit('-', *x);
    }
    // Entries in both, in new order, with their old positions: the longest increasing run
    // stays, the others moved.
    std::unordered_map<const Node*, size_t> old_index;
    for (size_t i = 0; i < a.size(); ++i) old_index[a[i]] = i;
    std::vector<size_t> seq;
    std::vector<size_t> seq_pos(b.size(), SIZE_MAX);
    for (size_t j = 0; j < b.size(); ++j) {
      if (const Node* x = o.Find(s, b[j]->value())) {
        seq_pos[j] = seq.size();
        seq.push_back(old_index[x]);
      }
    }
    std::vector<bool> stays = InLis(seq);
    const Node* prev = nullptr;  // previous entry of the new order
    bool prev_added = false;
    for (size_t j = 0; j < b.size(); ++j) {
      const Node* y = b[j];
      const Node* x = o.Find(s, y->value());
      if (!x) {
        if (prev && !prev_added) Context(*prev, true);
        Emit('+', *y);
        prev_added = true;
      } else {
        if (!stays[seq_pos[j]]) {
          if (prev) Context(*prev, true);
          Line('!');
          CurlyWriter w(&out_, opts_);
          w.set_prefix(prefix_);
          w.Summary(*y, false);
          out_.push_back('\n');
        }
        Pair(*x, *y);
        prev_added = false;
      }
      prev = y;
    }
  }

  void Pair(const Node& x, const Node& y) {
    if (x.schema()->is_leaf_list()) {
      if (!SameMeta(x, y)) Meta(x, y);
      return;
    }
    Entry(x, y);
  }

  // Metadata changes of one statement whose content is compared separately.
  void Meta(const Node& a, const Node& b) {
    if (a.annotation != b.annotation) {
      if (!a.annotation.empty()) EmitAnnotation('-', a);
      if (!b.annotation.empty()) EmitAnnotation('+', b);
      Context(b, false);
    }
    if (a.inactive != b.inactive) {
      Line('!');
      out_.append(b.inactive ? "inactive: " : "active: ");
      CurlyWriter w(&out_, opts_);
      w.set_prefix(prefix_);
      w.Summary(b, false);
      out_.push_back('\n');
    }
    if (a.protect != b.protect) {
      Line('!');
      out_.append(b.protect ? "protect: " : "unprotect: ");
      CurlyWriter w(&out_, opts_);
      w.set_prefix(prefix_);
      w.Summary(b, false);
      out_.push_back('\n');
    }
  }

  void Header(bool force) {
    std::string h = "[edit";
    for (const auto& w : path_) {
      h.push_back(' ');
      h.append(w);
    }
    h.push_back(']');
    if (h != last_header_ || (force && printed_)) {
      out_.append(h);
      out_.push_back('\n');
      last_header_ = std::move(h);
      printed_ = false;
    }
  }

  void SetLead(char marker) {
    lead_.assign(1, marker);
    lead_.append(static_cast<size_t>(std::min(depth_ + 2, 4)), ' ');
  }

  void Line(char marker) {
    Header(false);
    SetLead(marker);
    out_.append(lead_);
    printed_ = true;
  }

  void Context(const Node& c, bool force_header) {
    Header(force_header);
    Line(' ');
    CurlyWriter w(&out_, opts_);
    w.set_prefix(prefix_);
    w.Summary(c, true);
    out_.push_back('\n');
  }

  void Emit(char marker, const Node& c) {
    Header(false);
    SetLead(marker);
    CurlyWriter w(&out_, opts_);
    w.set_lead(lead_);
    w.set_prefix(prefix_);
    if (c.schema()->is_leaf_list() && !IsBlock(c.schema())) {
      const Node* one = &c;
      w.LeafList(&one, 1, 0);
    } else {
      w.Statement(c, 0);
    }
    printed_ = true;
  }

  void EmitLeafList(char marker, const std::vector<const Node*>& elems) {
    Header(false);
    SetLead(marker);
    CurlyWriter w(&out_, opts_);
    w.set_lead(lead_);
    w.set_prefix(prefix_);
    w.LeafList(elems.data(), elems.size(), 0);
    printed_ = true;
  }

  void EmitAnnotation(char marker, const Node& c) {
    Header(false);
    SetLead(marker);
    CurlyWriter w(&out_, opts_);
    w.set_lead(lead_);
    w.Annotation(c, 0);
    printed_ = true;
  }

  std::string out_;
  std::string scratch_;
  std::string prefix_;  // keywords of collapsed containers above this level ("family ")
  std::string lead_;
  std::vector<std::string> path_;
  int depth_ = 0;
  std::string last_header_;
  bool printed_ = false;
  PrintOptions opts_;
};

}  // namespace

std::string Compare(const Node& old_root, const Node& new_root) {
  // No up-front Equals(): the walk compares each pair of subtrees once and writes nothing for
  // equal trees.
  Differ d(new_root);
  d.Children(old_root, new_root);
  return d.Take();
}

// ---------------------------------------------------------------------------------------------
// load patch

namespace {

struct PatchLine {
  size_t number;
  char marker;
  std::string_view body;  // after the marker and the context's base indent
};

class Patcher {
 public:
  explicit Patcher(Node& root) : root_(root) {}

  Status Run(std::string_view text) {
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t e = text.find('\n', pos);
      if (e == std::string_view::npos) e = text.size();
      std::string_view l = text.substr(pos, e - pos);
      if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
      lines.push_back(l);
      pos = e + 1;
    }
    size_t i = 0;
    while (i < lines.size()) {
      std::string_view l = lines[i];
      const size_t number = i + 1;
      if (l.find_first_not_of(" \t") == std::string_view::npos) {
        ++i;
        continue;
      }
      if (l.substr(0, 5) == "[edit") {
        SABINA_RETURN_IF_ERROR(SetContext(l).WithContext(Where(number)));
        ++i;
        continue;
      }
      const char m = l[0];
      if (m != '+' && m != '-' && m != ' ' && m != '!') {
        return Status::Error(Where(number) + ": expected '[edit ...]', '+', '-', '!' or ' ': " +
                             std::string(l));
      }
      if (!ctx_) return Status::Error(Where(number) + ": change before any [edit ...] line");
      // A run: consecutive lines with the same +/- marker form one fragment.
      // An annotation line starts a new run: it belongs to the statement after it.
      size_t j = i + 1;
      if (m == '+' || m == '-') {
        while (j < lines.size() && !lines[j].empty() && lines[j][0] == m &&
               StripLead(lines[j]).substr(0, 3) != "/* ") {
          ++j;
        }
      }
      std::string body;
      for (size_t k = i; k < j; ++k) {
        if (k > i) body.push_back('\n');
        body.append(StripLead(lines[k]));
      }
      Status st;
      switch (m) {
        case '+':
        case '-':
          st = Fragment(m, body);
          break;
        case ' ':
          st = ContextLine(body);
          break;
        default:
          st = Bang(body);
          break;
      }
      if (!st.ok()) return std::move(st).WithContext(Where(number));
      prev_context_ = m == ' ' ? prev_context_ : nullptr;
      i = j;
    }
    if (pending_) return Status::Error("patch: annotation change without its statement");
    return Status::Ok();
  }

 private:
  static std::string Where(size_t number) { return "patch line " + std::to_string(number); }

  std::string_view StripLead(std::string_view l) const {
    l.remove_prefix(1);
    size_t base = static_cast<size_t>(std::min(depth_ + 2, 4));
    size_t k = 0;
    while (k < base && k < l.size() && l[k] == ' ') ++k;
    l.remove_prefix(k);
    return l;
  }

  Status SetContext(std::string_view l) {
    size_t close = l.rfind(']');
    if (close == std::string_view::npos) return Status::Error("unterminated [edit ...] line");
    std::string_view inner = l.substr(5, close - 5);
    auto words = SplitWords(inner);
    if (!words.ok()) return words.status();
    Node* node = &root_;
    const SchemaNode* block = nullptr;
    int depth = 0;
    const auto& w = *words;
    for (size_t i = 0; i < w.size(); ++i) {
      if (block) return Status::Error("unexpected '" + w[i] + "' after '" + block->name + "'");
      const SchemaNode* ns = node->schema();
      const SchemaNode* cs = nullptr;
      for (const SchemaNode* c : ns->content()) {
        if (c->name == w[i] && c->list_style != ListStyle::kFlat) {
          cs = c;
          break;
        }
      }
      Node* next = nullptr;
      if (cs && cs->kind == SchemaKind::kContainer) {
        next = node->Find(cs);
      } else if (cs && IsBlock(cs) && i + 1 == w.size()) {
        block = cs;
        ++depth;
        continue;
      } else if (cs && cs->is_list()) {
        if (i + 1 >= w.size()) return Status::Error("missing name after '" + w[i] + "'");
        next = node->Find(cs, w[++i]);
      } else if (!cs) {
        for (const SchemaNode* c : ns->content()) {
          if (c->is_list() && c->list_style == ListStyle::kFlat) {
            next = node->Find(c, w[i]);
            cs = c;
            break;
          }
        }
        if (!cs) return Status::Error("syntax error: '" + w[i] + "' in [edit ...] path");
      } else {
        return Status::Error("'" + w[i] + "' is not a hierarchy level");
      }
      if (!next) return Status::Error("statement not found: " + std::string(l));
      node = next;
      ++depth;
    }
    ctx_ = node;
    block_ = block;
    depth_ = depth;
    anchor_ = nullptr;
    prev_context_ = nullptr;
    return Status::Ok();
  }

  StatusOr<std::unique_ptr<Node>> Parse(const std::string& body) {
    std::string text;
    if (block_) {
      text = block_->name + " {\n" + body + "\n}\n";
    } else {
      text = body;
      text.push_back('\n');
    }
    return ParseCurly(*ctx_->schema(), text, "patch");
  }

  // The one statement of a context or "!" line, found in the context node.
  StatusOr<Node*> Identify(std::string body) {
    const std::string_view kElided = " { ... }";
    if (body.size() >= kElided.size() &&
        body.compare(body.size() - kElided.size(), kElided.size(), kElided) == 0) {
      body.resize(body.size() - kElided.size());
      body.push_back(';');
    }
    auto parsed = Parse(body);
    if (!parsed.ok()) return parsed.status();
    const auto& kids = (*parsed)->children();
    if (kids.empty()) return Status::Error("no statement in: " + body);
    const Node& p = *kids[0];
    Node* t = ctx_->Find(p.schema(), p.value());
    if (!t || (p.schema()->is_leaf() && t->value() != p.value())) {
      return Status::Error("statement not found: " + body);
    }
    return t;
  }

  static bool AnnotationOnly(std::string_view body, std::string* text) {
    size_t b = body.find_first_not_of(" \t");
    if (b == std::string_view::npos) return false;
    body.remove_prefix(b);
    if (body.substr(0, 3) != "/* ") return false;
    size_t end = body.find(" */");
    if (end == std::string_view::npos || end + 3 != body.size()) return false;
    *text = std::string(body.substr(3, end - 3));
    return true;
  }

  Status Fragment(char m, const std::string& body) {
    std::string note;
    if (AnnotationOnly(body, &note)) {
      if (!pending_) pending_ = Pending{};
      (m == '-' ? pending_->old_text : pending_->new_text) = std::move(note);
      return Status::Ok();
    }
    auto parsed = Parse(body);
    if (!parsed.ok()) return parsed.status();
    Node& p = **parsed;
    return Apply(m, ctx_, &p, body);
  }

  Status Apply(char m, Node* ctx, Node* from, const std::string& body) {
    std::vector<const Node*> stmts;
    for (const auto& c : from->children()) stmts.push_back(c.get());
    for (const Node* pc : stmts) {
      const SchemaNode* s = pc->schema();
      Node* t = ctx->Find(s, pc->value());
      if (t && s->collapse && !t->Equals(*pc) && !pc->empty()) {
        // "family inet6;" names a child of the existing "family".
        SABINA_RETURN_IF_ERROR(Apply(m, t, const_cast<Node*>(pc), body));
        if (m == '-' && t->empty() && !HasMeta(*t)) ctx->Remove(t);
        continue;
      }
      if (m == '-') {
        if (!t || !t->Equals(*pc)) {
          return Status::Error("statement to delete not found as shown: " +
                               std::string(body.substr(0, body.find('\n'))));
        }
        ctx->Remove(t);
        anchor_ = nullptr;
        continue;
      }
      if (t) {
        return Status::Error("statement to add already exists: " +
                             std::string(body.substr(0, body.find('\n'))));
      }
      std::unique_ptr<Node> owned = from->Remove(pc);
      const bool positional = s->is_leaf_list() || (s->is_list() && s->ordered_by_user);
      if (ctx != ctx_) {
        ctx->Append(std::move(owned));
      } else if (positional && anchor_ && anchor_->schema() == s) {
        anchor_ = InsertAfter(std::move(owned), anchor_);
      } else if (positional) {
        // No context line before it: Compare() writes none for a new first entry.
        anchor_ = ctx_->InsertBefore(std::move(owned), FirstOf(s));
      } else {
        anchor_ = ctx_->Append(std::move(owned));
      }
    }
    return Status::Ok();
  }

  // Where a new first entry of `s` goes: before the current first one, or (none yet) before
  // the first child that displays after `s`, so stored order stays close to display order.
  const Node* FirstOf(const SchemaNode* s) const {
    for (const auto& c : ctx_->children()) {
      if (c->schema() == s) return c.get();
    }
    const SchemaNode* ps = ctx_->schema();
    const size_t pos = PosIn(ps, s);
    for (const auto& c : ctx_->children()) {
      if (PosIn(ps, c->schema()) > pos) return c.get();
    }
    return nullptr;
  }

  Node* InsertAfter(std::unique_ptr<Node> n, const Node* after) {
    const auto& kids = ctx_->children();
    const Node* next = nullptr;
    for (size_t i = 0; i < kids.size(); ++i) {
      if (kids[i].get() == after) {
        next = i + 1 < kids.size() ? kids[i + 1].get() : nullptr;
        break;
      }
    }
    return ctx_->InsertBefore(std::move(n), next);
  }

  Status ContextLine(const std::string& body) {
    std::string text = body;
    // Context lines carry the statement's tags; they identify, they do not change.
    for (std::string_view tag : {"protect: ", "inactive: "}) {
      if (text.compare(0, tag.size(), tag) == 0) text.erase(0, tag.size());
    }
    auto t = Identify(text);
    if (!t.ok()) return t.status();
    Node* node = *t;
    if (pending_) {
      if (node->annotation != pending_->old_text) {
        return Status::Error("annotation of this statement is not as shown: " + body);
      }
      node->annotation = pending_->new_text;
      pending_.reset();
    }
    anchor_ = node;
    prev_context_ = node;
    return Status::Ok();
  }

  Status Bang(const std::string& body) {
    struct Tag {
      std::string_view text;
      bool* (*field)(Node*);
      bool value;
    };
    static const Tag kTags[] = {
        {"inactive: ", [](Node* n) { return &n->inactive; }, true},
        {"active: ", [](Node* n) { return &n->inactive; }, false},
        {"protect: ", [](Node* n) { return &n->protect; }, true},
        {"unprotect: ", [](Node* n) { return &n->protect; }, false},
    };
    for (const Tag& tag : kTags) {
      if (body.compare(0, tag.text.size(), tag.text) != 0) continue;
      auto t = Identify(body.substr(tag.text.size()));
      if (!t.ok()) return t.status();
      bool* f = tag.field(*t);
      if (*f == tag.value) return Status::Error("statement already " + std::string(tag.text));
      *f = tag.value;
      return Status::Ok();
    }
    // A move within a user-ordered list: after the preceding context line's entry, or first.
    auto t = Identify(body);
    if (!t.ok()) return t.status();
    Node* node = *t;
    const SchemaNode* s = node->schema();
    if (!(s->is_leaf_list() || (s->is_list() && s->ordered_by_user))) {
      return Status::Error("not an ordered list entry: " + body);
    }
    const Node* after = prev_context_ && prev_context_->schema() == s ? prev_context_ : nullptr;
    if (after == node) return Status::Error("entry cannot follow itself: " + body);
    std::unique_ptr<Node> owned = ctx_->Remove(node);
    if (after) {
      anchor_ = InsertAfter(std::move(owned), after);
    } else {
      anchor_ = ctx_->InsertBefore(std::move(owned), FirstOf(s));
    }
    return Status::Ok();
  }

  struct Pending {
    std::string old_text, new_text;
  };

  Node& root_;
  Node* ctx_ = nullptr;
  const SchemaNode* block_ = nullptr;
  int depth_ = 0;
  Node* anchor_ = nullptr;
  Node* prev_context_ = nullptr;
  std::optional<Pending> pending_;
};

}  // namespace

Status ApplyPatch(Node& root, std::string_view patch_text) {
  std::unique_ptr<Node> work = root.Clone();
  Patcher p(*work);
  SABINA_RETURN_IF_ERROR(p.Run(patch_text));
  root.Clear();
  std::vector<const Node*> kids;
  for (const auto& c : work->children()) kids.push_back(c.get());
  for (const Node* c : kids) root.Append(work->Remove(c));
  return Status::Ok();
}

}  // namespace sabina::config
