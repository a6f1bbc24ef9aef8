// Junos curly and `set` output. One output buffer, reserved up front; display order is computed
// into a shared scratch vector, so printing allocates almost nothing per line.
//
// Layout facts and their sources:
//   - 4-space indent, `keyword value;`, `[ a b ]` leaf-lists, `inactive:` / `protect:` tags:
//     reference/junos-config.md sections 1-2.
//   - secrets are always quoted and followed by "## SECRET-DATA" (every secret in
//     shared/corpus/junos is quoted, e.g. `authentication-key "abacadd"; ## SECRET-DATA`).
//   - `| display inheritance`: "##" / "## 'X' was inherited from group 'G'" / "##" above the
//     statement; for a leaf-list one line per inherited element
//     (juniper.net .../junos-software-configuration-groups-statement-sets-configuring.html).
//   - `| display set`: `deactivate`/`protect` right after the set lines of the statement they
//     affect (real Junos output in shared/corpus/junos/...srx-testbed__configs__junos-srx-2.cfg).
#include <algorithm>
#include <cstring>

#include "config/codec.h"
#include "config/diff.h"

namespace sabina::config {
namespace internal {
namespace {

constexpr char kSpaces[] = "                                                                ";
constexpr size_t kSpacesLen = sizeof(kSpaces) - 1;

void AppendSpaces(std::string* out, size_t n) {
  while (n > 0) {
    size_t k = std::min(n, kSpacesLen);
    out->append(kSpaces, k);
    n -= k;
  }
}

bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  char prev = 0;
  for (char c : v) {
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\f':
      case '\v':
      case ';':
      case '{':
      case '}':
      case '[':
      case ']':
      case '#':
      case '"':
      case '\'':
      case '\\':
      case '(':
      case ')':
        return true;
      case '*':
        if (prev == '/') return true;  // "/*" would open a comment
        break;
      default:
        break;
    }
    prev = c;
  }
  return false;
}

bool IsSystemOrderedList(const SchemaNode* s) {
  return s && s->is_list() && !s->ordered_by_user;
}

bool IsBlock(const SchemaNode* s) {
  return s && (s->is_list() || s->is_leaf_list()) && s->list_style == ListStyle::kBlock;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// NaturalLess with a fast path: only the digit run (or character) at the first difference
// decides, unless a leading zero is involved (then NaturalLess itself decides).
bool FastNaturalLess(std::string_view a, std::string_view b) {
  const size_t n = std::min(a.size(), b.size());
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  size_t j = i;
  while (j > 0 && IsDigit(a[j - 1])) --j;
  const bool da = i < a.size() && IsDigit(a[i]);
  const bool db = i < b.size() && IsDigit(b[i]);
  if (j < i || (da && db)) {
    if (a[j] == '0' || (j < b.size() && b[j] == '0')) return NaturalLess(a, b);
    size_t ea = i, eb = i;
    while (ea < a.size() && IsDigit(a[ea])) ++ea;
    while (eb < b.size() && IsDigit(b[eb])) ++eb;
    if (ea != eb) return ea < eb;  // same start: the longer number is greater
    if (ea > i) return a[i] < b[i];
    // Both runs end at i: the numbers are equal, the rest decides.
    return NaturalLess(a, b);
  }
  if (i == n) return a.size() < b.size();
  return a[i] < b[i];
}

bool HasMeta(const Node& n) { return n.inactive || n.protect || !n.annotation.empty(); }

}  // namespace

void AppendValue(std::string* out, std::string_view v, bool force_quote) {
  if (!force_quote && !NeedsQuotes(v)) {
    out->append(v);
    return;
  }
  out->push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') out->push_back('\\');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendDisplayOrder(const Node& n, std::vector<const Node*>* out) {
  const auto& kids = n.children();
  if (kids.empty()) return;
  const size_t start = out->size();
  const SchemaNode* ns = n.schema();
  if (!ns) {
    for (const auto& c : kids) out->push_back(c.get());
    return;
  }
  const auto& content = ns->content();
  const uint32_t k = static_cast<uint32_t>(content.size());
  // Positions, with a one-entry cache: siblings of one schema are usually adjacent.
  thread_local std::vector<uint32_t> pos;
  pos.resize(kids.size());
  const SchemaNode* last = nullptr;
  uint32_t last_pos = k;
  bool sorted = true;
  for (size_t i = 0; i < kids.size(); ++i) {
    const SchemaNode* s = kids[i]->schema();
    if (s != last) {
      last = s;
      last_pos = k;
      for (uint32_t p = 0; p < k; ++p) {
        if (content[p] == s) {
          last_pos = p;
          break;
        }
      }
    }
    pos[i] = last_pos;
    if (i > 0 && pos[i] < pos[i - 1]) sorted = false;
  }
  if (sorted) {
    for (const auto& c : kids) out->push_back(c.get());
  } else {
    // Counting sort by position: stable, O(n + k).
    thread_local std::vector<size_t> count;
    count.assign(k + 2, 0);
    for (size_t i = 0; i < kids.size(); ++i) ++count[pos[i] + 1];
    for (size_t p = 1; p < count.size(); ++p) count[p] += count[p - 1];
    out->resize(start + kids.size());
    for (size_t i = 0; i < kids.size(); ++i) (*out)[start + count[pos[i]]++] = kids[i].get();
  }
  // Sort runs of system-ordered list entries (only when not already in order).
  auto less = [](const Node* a, const Node* b) {
    return FastNaturalLess(a->value(), b->value());
  };
  size_t i = start;
  const size_t end = out->size();
  while (i < end) {
    const SchemaNode* s = (*out)[i]->schema();
    size_t j = i + 1;
    while (j < end && (*out)[j]->schema() == s) ++j;
    if (j - i > 1 && IsSystemOrderedList(s)) {
      auto b = out->begin() + static_cast<ptrdiff_t>(i);
      auto e = out->begin() + static_cast<ptrdiff_t>(j);
      if (!std::is_sorted(b, e, less)) std::stable_sort(b, e, less);
    }
    i = j;
  }
}

void CurlyWriter::Line(int level) {
  out_->append(lead_);
  AppendSpaces(out_, static_cast<size_t>(level) * 4);
}

void CurlyWriter::Tags(const Node& c) {
  if (c.protect) out_->append("protect: ");
  if (c.inactive) out_->append("inactive: ");
}

void CurlyWriter::Annotation(const Node& c, int level) {
  if (c.annotation.empty()) return;
  Line(level);
  out_->append("/* ");
  // Continuation lines keep their own text (no added indent) so that print-parse-print is a
  // fixed point whatever indentation the text carries.
  for (char ch : c.annotation) {
    out_->push_back(ch);
    if (ch == '\n') out_->append(lead_);
  }
  out_->append(" */\n");
}

namespace {
void AppendInheritLine(std::string* out, std::string_view label, std::string_view group) {
  out->append("## '");
  out->append(label);
  out->append("' was inherited from group '");
  out->append(group);
  out->append("'\n");
}

std::string_view InheritLabel(const Node& c) {
  const SchemaNode* s = c.schema();
  if (s->is_list() || s->is_leaf_list() || (s->is_leaf() && !s->is_flag())) return c.value();
  return s->name;
}
}  // namespace

void CurlyWriter::Inherited(const Node& c, int level) {
  if (!opts_.inherited_from) return;
  auto it = opts_.inherited_from->find(&c);
  if (it == opts_.inherited_from->end()) return;
  Line(level);
  out_->append("##\n");
  Line(level);
  AppendInheritLine(out_, InheritLabel(c), it->second);
  Line(level);
  out_->append("##\n");
}

void CurlyWriter::Header(const Node& c) {
  ConsumePrefix();
  const SchemaNode* s = c.schema();
  if (s->is_list()) {
    if (s->list_style == ListStyle::kKeyword) {
      out_->append(s->name);
      out_->push_back(' ');
    }
    AppendValue(out_, c.value(), false);
  } else if (s->is_leaf_list()) {
    if (s->list_style != ListStyle::kBlock) {
      out_->append(s->name);
      out_->push_back(' ');
    }
    AppendValue(out_, c.value(), s->secret);
  } else if (s->is_leaf() && !s->is_flag()) {
    out_->append(s->name);
    out_->push_back(' ');
    AppendValue(out_, c.value(), s->secret);
  } else {
    out_->append(s->name);
  }
}

bool CurlyWriter::OneLiner(const Node& c) const {
  const SchemaNode* s = c.schema();
  if (!s->oneliner || c.empty()) return false;
  const auto& kids = c.children();
  const SchemaNode* ks = kids[0]->schema();
  if (!ks->is_leaf() && !(ks->is_leaf_list() && ks->list_style != ListStyle::kBlock)) {
    return false;
  }
  if (ks->is_leaf() && kids.size() != 1) return false;
  for (const auto& k : kids) {
    if (k->schema() != ks || HasMeta(*k)) return false;
    if (opts_.inherited_from && opts_.inherited_from->count(k.get())) return false;
  }
  return true;
}

void CurlyWriter::OneLinerTail(const Node& c) {
  const auto& kids = c.children();
  const SchemaNode* ks = kids[0]->schema();
  out_->push_back(' ');
  out_->append(ks->name);
  if (ks->is_leaf_list() && kids.size() > 1) {
    out_->append(" [");
    for (const auto& k : kids) {
      out_->push_back(' ');
      AppendValue(out_, k->value(), ks->secret);
    }
    out_->append(" ]");
  } else if (!ks->is_flag()) {
    out_->push_back(' ');
    AppendValue(out_, kids[0]->value(), ks->secret);
  }
  out_->push_back(';');
  if (ks->secret && opts_.show_secret_marker) out_->append(" ## SECRET-DATA");
}

bool CurlyWriter::Collapsed(const Node& c) const {
  return c.schema()->collapse && !c.empty() && !HasMeta(c) &&
         !(opts_.inherited_from && opts_.inherited_from->count(&c));
}

void CurlyWriter::ConsumePrefix() {
  if (prefix_.empty()) return;
  out_->append(prefix_);
  prefix_.clear();
}

void CurlyWriter::Statement(const Node& c, int level) {
  if (Collapsed(c)) {
    // "family inet { ... }": each child carries the container's keyword.
    const std::string outer = prefix_;
    Children(c, level, outer + c.schema()->name + " ");
    prefix_.clear();
    return;
  }
  Annotation(c, level);
  Inherited(c, level);
  Line(level);
  Tags(c);
  Header(c);
  const SchemaNode* s = c.schema();
  if (!s->has_children() || c.empty()) {
    out_->push_back(';');
    if (s->secret && opts_.show_secret_marker) out_->append(" ## SECRET-DATA");
    out_->push_back('\n');
    return;
  }
  if (OneLiner(c)) {
    OneLinerTail(c);
    out_->push_back('\n');
    return;
  }
  out_->append(" {\n");
  Children(c, level + 1);
  Line(level);
  out_->append("}\n");
}

void CurlyWriter::LeafList(const Node* const* elems, size_t count, int level) {
  if (count == 0) return;
  const Node& first = *elems[0];
  bool uniform = true;
  for (size_t i = 1; i < count && uniform; ++i) {
    // The parser gives every element of "keyword [ a b ]" the statement's tags and
    // annotation; anything else is written element by element.
    uniform = elems[i]->inactive == first.inactive && elems[i]->protect == first.protect &&
              elems[i]->annotation == first.annotation;
  }
  if (!uniform) {
    for (size_t i = 0; i < count; ++i) Statement(*elems[i], level);
    return;
  }
  const SchemaNode* s = first.schema();
  Annotation(first, level);
  if (opts_.inherited_from) {
    bool any = false;
    for (size_t i = 0; i < count; ++i) {
      auto it = opts_.inherited_from->find(elems[i]);
      if (it == opts_.inherited_from->end()) continue;
      if (!any) {
        Line(level);
        out_->append("##\n");
        any = true;
      }
      Line(level);
      AppendInheritLine(out_, elems[i]->value(), it->second);
    }
    if (any) {
      Line(level);
      out_->append("##\n");
    }
  }
  Line(level);
  Tags(first);
  ConsumePrefix();
  out_->append(s->name);
  if (count == 1) {
    out_->push_back(' ');
    AppendValue(out_, first.value(), s->secret);
  } else {
    out_->append(" [");
    for (size_t i = 0; i < count; ++i) {
      out_->push_back(' ');
      AppendValue(out_, elems[i]->value(), s->secret);
    }
    out_->append(" ]");
  }
  out_->push_back(';');
  if (s->secret && opts_.show_secret_marker) out_->append(" ## SECRET-DATA");
  out_->push_back('\n');
}

void CurlyWriter::Block(const Node* const* entries, size_t count, int level) {
  if (count == 0) return;
  Line(level);
  ConsumePrefix();
  out_->append(entries[0]->schema()->name);
  out_->append(" {\n");
  for (size_t i = 0; i < count; ++i) Statement(*entries[i], level + 1);
  Line(level);
  out_->append("}\n");
}

void CurlyWriter::Summary(const Node& c, bool with_tags) {
  if (with_tags) Tags(c);
  Header(c);
  const SchemaNode* s = c.schema();
  if (!s->has_children() || c.empty()) {
    out_->push_back(';');
  } else if (OneLiner(c)) {
    OneLinerTail(c);
  } else {
    out_->append(" { ... }");
  }
}

void CurlyWriter::Children(const Node& n, int level, const std::string& prefix) {
  const size_t start = order_.size();
  AppendDisplayOrder(n, &order_);
  const size_t end = order_.size();
  size_t i = start;
  while (i < end) {
    const Node* c = order_[i];
    const SchemaNode* s = c->schema();
    if (s->is_leaf_list() || IsBlock(s)) {
      size_t j = i + 1;
      while (j < end && order_[j]->schema() == s) ++j;
      // Copy the run: writing nested statements may grow (and move) order_.
      std::vector<const Node*> run(order_.begin() + static_cast<ptrdiff_t>(i),
                                   order_.begin() + static_cast<ptrdiff_t>(j));
      prefix_ = prefix;
      if (IsBlock(s)) {
        Block(run.data(), run.size(), level);
      } else {
        LeafList(run.data(), run.size(), level);
      }
      i = j;
      continue;
    }
    prefix_ = prefix;
    Statement(*c, level);
    ++i;
  }
  prefix_.clear();
  order_.resize(start);
}

namespace {

// `| display set` writer. `path_` holds the words so far ("interfaces ge-0/0/0 unit 0").
class SetWriter {
 public:
  explicit SetWriter(std::string* out) : out_(out) {}

  void Children(const Node& n) {
    const size_t start = order_.size();
    AppendDisplayOrder(n, &order_);
    const size_t end = order_.size();
    for (size_t i = start; i < end; ++i) Statement(*order_[i]);
    order_.resize(start);
  }

 private:
  void AppendWords(const Node& c, bool with_leaf_value) {
    const SchemaNode* s = c.schema();
    if (!path_.empty()) path_.push_back(' ');
    if (s->is_list()) {
      if (s->list_style != ListStyle::kFlat) {
        path_.append(s->name);
        path_.push_back(' ');
      }
      AppendValue(&path_, c.value(), false);
    } else if (s->is_leaf_list() || (s->is_leaf() && !s->is_flag() && with_leaf_value)) {
      path_.append(s->name);
      path_.push_back(' ');
      AppendValue(&path_, c.value(), s->secret);
    } else {
      path_.append(s->name);
    }
  }

  void Emit(std::string_view verb) {
    out_->append(verb);
    out_->push_back(' ');
    out_->append(path_);
    out_->push_back('\n');
  }

  void Statement(const Node& c) {
    const size_t mark = path_.size();
    const SchemaNode* s = c.schema();
    AppendWords(c, true);
    if (!s->has_children() || c.empty()) {
      Emit("set");
    } else {
      Children(c);
    }
    if (c.inactive || c.protect) {
      // Leaves are deactivated by keyword, without their value.
      if (s->is_leaf() && !s->is_flag()) {
        path_.resize(mark);
        AppendWords(c, false);
      }
      if (c.inactive) Emit("deactivate");
      if (c.protect) Emit("protect");
    }
    path_.resize(mark);
  }

 public:
  std::string path_;

 private:
  std::string* out_;
  std::vector<const Node*> order_;
};

}  // namespace
}  // namespace internal

std::string QuoteIfNeeded(std::string_view v) {
  std::string out;
  out.reserve(v.size() + 2);
  internal::AppendValue(&out, v, false);
  return out;
}

std::string PrintCurly(const Node& n, const PrintOptions& opts) {
  std::string out;
  // A cheap estimate (counting nodes would cost a tree walk); growth is amortized.
  out.reserve(64 * 1024 + n.children().size() * 64);
  internal::CurlyWriter w(&out, opts);
  w.Children(n, 0);
  return out;
}

std::string PrintSet(const Node& n) {
  std::string out;
  std::vector<std::string> words = n.PathWords();
  internal::SetWriter w(&out);
  for (const auto& word : words) {
    if (!w.path_.empty()) w.path_.push_back(' ');
    internal::AppendValue(&w.path_, word, false);
  }
  out.reserve(64 * 1024 + n.children().size() * (64 + w.path_.size()));
  w.Children(n);
  return out;
}

}  // namespace sabina::config
