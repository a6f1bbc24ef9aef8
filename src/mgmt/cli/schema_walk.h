// Walks configuration path words against the schema (and, where it exists, the data tree) for
// the CLI: expands unique keyword prefixes (`sys host` -> `system host-name`), finds where a
// path ends (container, list key, leaf value), and lists completions with their help text
// (keywords with descriptions, existing list keys, `<value>`-style placeholders).
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <vector>

#include "config/schema.h"
#include "config/tree.h"
#include "mgmt/cli/session.h"

namespace sabina::mgmt::cli {

struct PathWalk {
  enum class State {
    kContainer,  // at a container or list entry: keywords (or flat-list keys) may follow
    kNeedKey,    // after a list keyword
    kNeedValue,  // after a leaf/leaf-list keyword
    kLeafDone,   // after a flag or a leaf value
  };
  State state = State::kContainer;
  // Container/list (entry) for kContainer; the list for kNeedKey; the leaf for
  // kNeedValue/kLeafDone.
  const config::SchemaNode* schema = nullptr;
  // kContainer: the node for `schema` in the data tree, if present. kNeedKey, kNeedValue,
  // kLeafDone: the node of the enclosing container or entry, if present.
  const config::Node* data = nullptr;
  std::vector<std::string> words;  // expanded words
  // Number of words at the end of each complete statement level (container or entry), so
  // `up` can drop a whole "unit 0".
  std::vector<size_t> level_ends;
  // Error: the index of the bad word, and the Junos message.
  bool ok = true;
  size_t error_index = 0;
  std::string error;
};

// Walks `words` from the root schema/data. `data` may be null.
PathWalk WalkPath(const config::SchemaNode& root, const config::Node* data,
                  const std::vector<std::string>& words);

// Completions for `partial` at the end of `walk` (which must be ok).
std::vector<Completion> PathCompletions(const PathWalk& walk, const std::string& partial);

}  // namespace sabina::mgmt::cli
