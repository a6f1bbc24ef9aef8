// The configuration schema: one tree of SchemaNode built from the YANG modules in yang/ (via
// libyang, see schema_loader.cc) or by hand in unit tests. It drives the parser, the printer,
// completion and `?` help, and value validation.
//
// Junos display conventions that YANG cannot say are YANG extensions from yang/sabina-ext.yang:
//   sabina:flat      list entries are written "KEY { ... }" with no keyword (interfaces, groups)
//   sabina:block     list entries are written "keyword { KEY; KEY { ... } }" (name-server)
//   sabina:oneliner  an entry/container whose only child is one leaf prints on one line
//                    ("route 0.0.0.0/0 next-hop 192.0.2.1;", "any notice;")
//   sabina:secret    value is printed followed by "## SECRET-DATA" (on a list: its key)
//   sabina:collapse  a container shown only through its children, each prefixed with the
//                    container's keyword: "family inet { ... }", "family inet6;"
//   sabina:rank N    display rank of a top-level node (the root sorts its children by rank)
//   sabina:help "<x>"  value placeholder for `?` help
//
// Shape of the root: `version`, `groups` (a container holding the kFlat list `group`, whose
// entries have content_of = root), `apply-groups`, `apply-groups-except`, then every module's
// top-level node by rank (system, interfaces, routing-options, ...). `apply-groups` and
// `apply-groups-except` (ordered-by-user leaf-lists of group names) are the first children of
// the root, of every container and of every list entry; the loader adds them, not the YANG.
//
// Thread: built once at start-up, then immutable and shared by every thread.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

struct lysc_node;  // libyang

namespace sabina::config {

enum class SchemaKind { kContainer, kList, kLeaf, kLeafList };

enum class ListStyle { kKeyword, kFlat, kBlock };

// Value types with fast, allocation-free validators. kYang defers to libyang's validation of
// the node's full YANG type (patterns, unions, ...).
enum class ValueType {
  kString,
  kEmpty,  // flag leaf: `disable;`
  kUint,   // with [min, max]
  kInt,
  kEnum,   // one of enum_values
  kIpv4Address,
  kIpv6Address,
  kIpAddress,
  kIpv4Prefix,  // a.b.c.d/len
  kIpv6Prefix,
  kIpPrefix,
  kIpv4AddressOrPrefix,  // interface address: host/len (host bits allowed)
  kIpv6AddressOrPrefix,
  kYang,
};

struct SchemaNode {
  SchemaKind kind = SchemaKind::kContainer;
  std::string name;         // Junos keyword, e.g. "host-name", "unit", "interfaces"
  std::string description;  // for `?` help
  const SchemaNode* parent = nullptr;

  // Containers and list entries. children is in display (schema) order.
  std::vector<std::unique_ptr<SchemaNode>> owned_children;
  std::vector<const SchemaNode*> children;
  // When set, this node's content schema is that node's children (groups: NAME -> root).
  const SchemaNode* content_of = nullptr;

  // Lists.
  std::string key_name;  // YANG key leaf name ("name")
  ValueType key_type = ValueType::kString;
  ListStyle list_style = ListStyle::kKeyword;
  bool ordered_by_user = false;
  bool oneliner = false;
  bool collapse = false;  // containers: sabina:collapse (see above)

  // Leaves and leaf-lists (and list keys, via key_type/key_* fields of the list).
  ValueType type = ValueType::kString;
  uint64_t min = 0, max = UINT64_MAX;
  std::vector<std::string> enum_values;
  std::vector<std::string> enum_help;  // `?` text per enum value, parallel to enum_values
  std::string type_help;  // "<address>", "<name>", "<0..65535>"
  bool secret = false;
  // For kString, min/max bound the length. For kInt, min/max hold int64_t values (bit cast).

  // The YANG choice this node is a member of ("" if none). Setting a node of a choice removes
  // its siblings of the same choice (one syslog severity per facility; next-hop, discard and
  // reject of a static route).
  std::string choice;
  // For kYang unions: fast validators of the members, tried before libyang.
  std::vector<ValueType> union_types;
  // For lists whose key type is kYang: the key leaf, for libyang validation.
  const lysc_node* key_yang = nullptr;
  // Top-level display rank (sabina:rank); 0 elsewhere.
  int rank = 0;

  const lysc_node* yang = nullptr;  // null for hand-built schemas

  bool is_list() const { return kind == SchemaKind::kList; }
  bool is_leaf() const { return kind == SchemaKind::kLeaf; }
  bool is_leaf_list() const { return kind == SchemaKind::kLeafList; }
  bool is_flag() const { return is_leaf() && type == ValueType::kEmpty; }
  bool has_children() const { return kind == SchemaKind::kContainer || kind == SchemaKind::kList; }

  // The children that may appear inside this container or list entry.
  const std::vector<const SchemaNode*>& content() const {
    return content_of ? content_of->children : children;
  }
  // Child by keyword (exact). Null if none.
  const SchemaNode* Child(std::string_view keyword) const;
  // The kFlat list child, if any (its entries appear as bare keys).
  const SchemaNode* FlatList() const;
  // Index of `child` in content() (display order); content().size() if absent.
  size_t Position(const SchemaNode* child) const;

  // "system host-name" style path of keywords from the root (root itself is ""). kFlat lists
  // have no keyword and are left out ("interfaces unit").
  std::string Path() const;

  // Builds the lookup indexes behind Child() and Position() for this subtree. The loader and
  // Schema's constructor call it; a hand-built schema works without it (linear lookups), so
  // call it again after editing a schema by hand.
  void Finalize();

  // Internal lookup state (built by Finalize()).
  std::vector<std::pair<std::string_view, const SchemaNode*>> child_index_;  // sorted by name
  size_t position_ = SIZE_MAX;  // index in parent->children
};

// True for a group wildcard key: `<*>`, `<ge-*>`, `<ge-1/2/[5-8]>` (angle brackets around a
// glob). Such keys are valid only inside `groups`.
bool IsWildcard(std::string_view value);

// Matches a value against a wildcard key (`<ge-*>`): glob with `*`, `?` and `[...]` classes
// (ranges `5-8`, lists `0,1`, negation `!`/`^`); `*` also matches `/`.
bool WildcardMatches(std::string_view wildcard, std::string_view value);

// Validates `value` for a leaf/leaf-list `node` (or the key of list `node`). The error message
// is Junos-like ("invalid prefix: 10.0.0.300/8", "value 70000 is not within range (1..65535)").
Status ValidateValue(const SchemaNode& node, std::string_view value);
// As above; with `in_group`, a wildcard key (IsWildcard) of a list is accepted.
Status ValidateValue(const SchemaNode& node, std::string_view value, bool in_group);

// The whole schema. Owns the root.
class Schema {
 public:
  // Loads the YANG modules compiled into the binary (builtin_yang.h) with libyang.
  static StatusOr<std::unique_ptr<Schema>> LoadBuiltin();
  // Loads every *.yang module in `yang_dir` with libyang.
  static StatusOr<std::unique_ptr<Schema>> Load(const std::string& yang_dir);
  // For tests: takes a hand-built root.
  explicit Schema(std::unique_ptr<SchemaNode> root);
  ~Schema();

  const SchemaNode& root() const { return *root_; }

 private:
  struct Yang;  // libyang context, kept alive for kYang validation
  std::unique_ptr<SchemaNode> root_;
  std::unique_ptr<Yang> yang_;
  friend class SchemaLoader;
};

}  // namespace sabina::config
