// Internals shared by parser.cc (curly text), edit.cc (edit commands) and load.cc (`load set`):
// the word type, the line splitter and the one schema walker both formats use.
//
// Words are string_views into the input (or into an arena for quoted strings with escapes), so
// splitting and walking allocate nothing per word; strings are made only when a Node is created.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/tree.h"

namespace sabina::config::internal {

struct Word {
  enum Kind : uint8_t { kWord, kOpen, kClose };  // kOpen/kClose: `[` and `]`
  std::string_view text;
  Kind kind = kWord;
  bool quoted = false;  // quoted words are never keywords
  uint32_t line = 0;    // 1-based; 0 = no position (interactive commands)
  uint32_t col = 0;
};

// Splits one line into words (quotes with \" and \\ escapes, `[`/`]` as their own words).
// Unescaped copies of quoted strings go to `arena`. `line_no`/`col0` position the words
// (col0 = column of line[0]). Error on an unterminated quote.
Status SplitLine(std::string_view line, uint32_t line_no, uint32_t col0,
                 std::deque<std::string>* arena, std::vector<Word>* out);

// One step of a walked path: a node to find or create.
struct Step {
  const SchemaNode* schema = nullptr;
  std::string_view value;      // key / leaf value / element; empty for containers and flags
  bool has_value = false;      // false for containers, flags and a trailing keyword without value
  const Word* word = nullptr;  // the word that named this step (for positions)
};

struct WalkResult {
  std::vector<Step> steps;
  // The path ended on a list, leaf-list or leaf keyword without its key/value (the last step
  // has has_value == false). `values` then holds the elements of a trailing `[ ... ]`.
  bool pending = false;
  std::vector<std::string_view> values;
  bool in_group = false;  // the path went through a `groups` entry (wildcard keys allowed)
};

// Where a walk starts: the content schema, the `[edit ...]` words for messages, and whether we
// are already inside a group.
struct WalkStart {
  const SchemaNode* ctx = nullptr;
  const Node* at = nullptr;  // the node `ctx` belongs to, for "[edit ...]" in messages
  bool in_group = false;
  // When set, the first word is a key/element of this list or leaf-list (bare values inside
  // `name-server { ... }`).
  const SchemaNode* bare = nullptr;
};

// Walks `words` against the schema. Errors are Junos-like and prefixed with "line:col: " when
// the words carry positions (the caller adds the source name).
Status Walk(const WalkStart& start, std::span<const Word> words, WalkResult* out);

// The content schema below a node of this schema (groups entries: the root's children).
inline bool EntersGroup(const SchemaNode* s) { return s->content_of != nullptr; }

// True when this node or an ancestor is in a group (wildcard keys allowed below it).
bool InGroup(const Node* n);

// Node::Ensure, and a new member of a YANG choice removes its siblings of the other members
// (`discard` replaces `next-hop`, one syslog severity per facility).
Node* EnsureChild(Node* parent, const SchemaNode* s, std::string_view value);

// "<name>" style help for the value of a leaf or key of a list.
std::string KeyHelpOf(const SchemaNode* s);

// "[edit a b c]" for a word list.
std::string EditPath(const std::vector<std::string>& words);

// A word shown in a message: truncated and with control bytes escaped.
std::string Show(std::string_view word);

// "line:col: " for a positioned word, "" otherwise.
std::string Pos(const Word* w);

// Applies one edit command. `edit_path` are the words of the current level. See codec.h.
Status ExecuteWords(Node& root, std::span<const Word> edit_path, std::span<const Word> words,
                    std::vector<std::string>* warnings);

// Number of schema nodes (path segments) the words of `edit_path` make, one entry per node with
// the number of words it takes ("unit 0" = 2). Error if the path is invalid.
Status Segments(const SchemaNode& root, std::span<const Word> path, std::vector<size_t>* out);

}  // namespace sabina::config::internal
