#include "config/tree.h"

#include <algorithm>
#include <functional>

namespace sabina::config {

size_t Node::KeyHash::operator()(const std::pair<const SchemaNode*, std::string_view>& k) const {
  return std::hash<std::string_view>()(k.second) * 31 + std::hash<const void*>()(k.first);
}

void Node::Index(Node* child) {
  std::string_view key = Keyed(child->schema_) ? std::string_view(child->value_) : "";
  index_[{child->schema_, key}] = child;
}

void Node::Unindex(const Node* child) {
  std::string_view key = Keyed(child->schema_) ? std::string_view(child->value_) : "";
  auto it = index_.find({child->schema_, key});
  if (it != index_.end() && it->second == child) index_.erase(it);
}

void Node::set_value(std::string v) {
  if (parent_) parent_->Unindex(this);
  value_ = std::move(v);
  if (parent_) parent_->Index(this);
}

Node* Node::Find(const SchemaNode* schema, std::string_view value) const {
  auto it = index_.find({schema, Keyed(schema) ? value : std::string_view()});
  return it == index_.end() ? nullptr : it->second;
}

Node* Node::Ensure(const SchemaNode* schema, std::string_view value) {
  if (Node* n = Find(schema, value)) {
    if (schema->is_leaf() && n->value_ != value) n->value_ = std::string(value);
    return n;
  }
  return Append(std::make_unique<Node>(schema, std::string(value)));
}

Node* Node::Append(std::unique_ptr<Node> child) { return InsertBefore(std::move(child), nullptr); }

Node* Node::InsertBefore(std::unique_ptr<Node> child, const Node* pos) {
  Node* raw = child.get();
  raw->parent_ = this;
  auto it = children_.end();
  if (pos) {
    it = std::find_if(children_.begin(), children_.end(),
                      [pos](const std::unique_ptr<Node>& c) { return c.get() == pos; });
  }
  children_.insert(it, std::move(child));
  Index(raw);
  return raw;
}

std::unique_ptr<Node> Node::Remove(const Node* child) {
  // Search from the back: bulk deletes usually remove recent or trailing entries.
  for (auto it = children_.rbegin(); it != children_.rend(); ++it) {
    if (it->get() != child) continue;
    Unindex(child);
    std::unique_ptr<Node> out = std::move(*it);
    children_.erase(std::next(it).base());
    out->parent_ = nullptr;
    return out;
  }
  return nullptr;
}

void Node::Clear() {
  children_.clear();
  index_.clear();
}

std::vector<Node*> Node::All(const SchemaNode* schema) const {
  std::vector<Node*> out;
  for (const auto& c : children_)
    if (c->schema_ == schema) out.push_back(c.get());
  return out;
}

std::unique_ptr<Node> Node::Clone() const {
  auto n = std::make_unique<Node>(schema_, value_);
  n->inactive = inactive;
  n->protect = protect;
  n->annotation = annotation;
  n->children_.reserve(children_.size());
  n->index_.reserve(children_.size());
  for (const auto& c : children_) n->Append(c->Clone());
  return n;
}

bool Node::Equals(const Node& other) const {
  if (schema_ != other.schema_ || value_ != other.value_ || inactive != other.inactive ||
      protect != other.protect || annotation != other.annotation ||
      children_.size() != other.children_.size()) {
    return false;
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    const Node& c = *children_[i];
    const Node* o = other.Find(c.schema_, c.value_);
    if (!o || !c.Equals(*o)) return false;
  }
  // Order matters only among the entries of one ordered-by-user list or leaf-list; how the
  // entries of different lists interleave in storage is not part of the configuration.
  auto ordered = [](const Node& n) {
    return n.schema_->is_leaf_list() || (n.schema_->is_list() && n.schema_->ordered_by_user);
  };
  std::unordered_map<const SchemaNode*, std::vector<const Node*>> theirs;
  for (const auto& c : other.children_)
    if (ordered(*c)) theirs[c->schema_].push_back(c.get());
  std::unordered_map<const SchemaNode*, size_t> next;
  for (const auto& c : children_) {
    if (!ordered(*c)) continue;
    const Node* o = theirs[c->schema_][next[c->schema_]++];
    if (o->value_ != c->value_) return false;
  }
  return true;
}

std::vector<std::string> NodeWords(const Node& n) {
  const SchemaNode* s = n.schema();
  if (s->is_list()) {
    if (s->list_style == ListStyle::kFlat) return {n.value()};
    return {s->name, n.value()};
  }
  if (s->is_leaf_list() || (s->is_leaf() && !s->is_flag())) return {s->name, n.value()};
  return {s->name};
}

std::vector<std::string> Node::PathWords() const {
  std::vector<const Node*> chain;
  for (const Node* n = this; n && n->parent_; n = n->parent_) chain.push_back(n);
  std::vector<std::string> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (auto& w : NodeWords(**it)) out.push_back(std::move(w));
  }
  return out;
}

std::string Node::EditBanner() const {
  std::string out = "[edit";
  for (const auto& w : PathWords()) {
    out += ' ';
    out += w;
  }
  return out + "]";
}

size_t Node::CountNodes() const {
  size_t n = 1;
  for (const auto& c : children_) n += c->CountNodes();
  return n;
}

bool NaturalLess(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && a[i2] == '0') ++i2;
      while (j2 < b.size() && b[j2] == '0') ++j2;
      size_t ie = i2, je = j2;
      while (ie < a.size() && digit(a[ie])) ++ie;
      while (je < b.size() && digit(b[je])) ++je;
      if (ie - i2 != je - j2) return ie - i2 < je - j2;
      int c = a.substr(i2, ie - i2).compare(b.substr(j2, je - j2));
      if (c != 0) return c < 0;
      i = ie;
      j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

}  // namespace sabina::config
