// The configuration data tree: a Node per container, list entry, leaf and leaf-list element,
// with Junos metadata (inactive:, protect:, annotations) first-class.
//
//   container     value empty, children
//   list entry    value = key ("ge-0/0/0", "0"), children
//   leaf          value = the value ("" for a flag)
//   leaf-list     one Node per element, value = element
//
// children keep insertion order (which *is* the order for ordered-by-user lists); printers sort
// system-ordered lists and order siblings by schema position. Lookup by (schema, value) is
// indexed so that 100k-entry lists stay O(1) per edit.
//
// Thread: a tree is owned by one datastore or session and touched by one thread at a time
// (mgmt). Committed trees are treated as immutable snapshots.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/schema.h"

namespace sabina::config {

class Node {
 public:
  explicit Node(const SchemaNode* schema, std::string value = {})
      : schema_(schema), value_(std::move(value)) {}
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  const SchemaNode* schema() const { return schema_; }
  const std::string& value() const { return value_; }
  void set_value(std::string v);  // keeps the parent's index right
  Node* parent() const { return parent_; }

  bool inactive = false;
  bool protect = false;
  // Tag read from loaded text (`replace:`, `delete:`, `active:`); only in parsed load trees.
  enum class Op : uint8_t { kNone, kReplace, kDelete, kActive };
  Op op = Op::kNone;
  std::string annotation;  // text of /* ... */ shown above the statement, without delimiters

  const std::vector<std::unique_ptr<Node>>& children() const { return children_; }
  bool empty() const { return children_.empty(); }

  // The child with this schema and value (value ignored for containers and leaves).
  Node* Find(const SchemaNode* schema, std::string_view value = {}) const;
  // Finds or appends (at the end). For a leaf, an existing child gets the new value.
  Node* Ensure(const SchemaNode* schema, std::string_view value = {});
  // Appends a new child; the caller guarantees it is not a duplicate.
  Node* Append(std::unique_ptr<Node> child);
  // Inserts before `pos` (nullptr = at the end).
  Node* InsertBefore(std::unique_ptr<Node> child, const Node* pos);
  // Removes and returns the child.
  std::unique_ptr<Node> Remove(const Node* child);
  void Clear();

  // All children with this schema, in stored order.
  std::vector<Node*> All(const SchemaNode* schema) const;

  std::unique_ptr<Node> Clone() const;
  // Same schema, value, metadata and children (children compared as sets per schema, except
  // that ordered-by-user lists and leaf-lists compare in order).
  bool Equals(const Node& other) const;

  // Keywords from the root: {"interfaces", "ge-0/0/0", "unit", "0"}.
  std::vector<std::string> PathWords() const;
  // "[edit interfaces ge-0/0/0 unit 0]" style banner ("[edit]" for the root).
  std::string EditBanner() const;

  size_t CountNodes() const;

 private:
  struct KeyHash {
    size_t operator()(const std::pair<const SchemaNode*, std::string_view>& k) const;
  };
  void Index(Node* child);
  void Unindex(const Node* child);
  static bool Keyed(const SchemaNode* s) { return s->is_list() || s->is_leaf_list(); }

  const SchemaNode* schema_;
  std::string value_;
  Node* parent_ = nullptr;
  std::vector<std::unique_ptr<Node>> children_;
  // (schema, value) -> child. string_views point into the children's value_.
  std::unordered_map<std::pair<const SchemaNode*, std::string_view>, Node*, KeyHash> index_;
};

// Words of a node relative to its parent as they appear in a `set` line:
// container/leaf keyword, "unit 0" for keyword lists, "ge-0/0/0" for flat lists.
std::vector<std::string> NodeWords(const Node& n);

// Natural order for system-ordered keys: digit runs compare numerically ("ge-0/0/2" <
// "ge-0/0/10", "9.0.0.0/8" < "10.0.0.0/8").
bool NaturalLess(std::string_view a, std::string_view b);

}  // namespace sabina::config
