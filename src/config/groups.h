// Configuration groups: `apply-groups` / `apply-groups-except` inheritance at any level, with
// wildcards (`<*>`, `<ge-*>`, `"<ge-1/2/[5-8]>"`), first-listed-group-wins priority, values set
// directly overriding inherited ones, leaf-lists inheriting the union, and groups applying
// other groups; and the pruning of inactive statements. Features only ever see the result.
//
// Thread: pure functions, any thread.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "base/status.h"
#include "config/tree.h"

namespace sabina::config {

// The configuration daemons act on: groups applied, `groups` and apply-groups statements
// removed, inactive statements removed. Error (with the `[edit ...]` path) if an apply-groups
// names a group that does not exist.
StatusOr<std::unique_ptr<Node>> Effective(const Node& root);

// For `show configuration | display inheritance`: groups applied, inactive statements kept,
// `groups` and apply-groups statements removed; `origin` receives, for every node that came
// from a group, the group's name.
StatusOr<std::unique_ptr<Node>> ExpandForDisplay(const Node& root,
                                                 std::unordered_map<const Node*, std::string>* origin);

}  // namespace sabina::config
