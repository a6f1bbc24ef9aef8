// Junos text codecs: the curly-brace format and `set` command lines, both ways.
//
// Parsing walks words against the schema: a container keyword descends, a list keyword takes
// the next word as key, a flat list takes a bare word as key, a leaf takes the next word (or a
// `[ ... ]` list) as value. Statements may collapse paths ("route 0/0 next-hop 192.0.2.1;"),
// and one walker serves both formats. Errors name file:line:column, the offending word and
// what was expected, and parsing never modifies a datastore: it produces a new tree.
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "config/tree.h"

namespace sabina::config {

// Parses curly text (comments, annotations, tags, `[ lists ]`, quotes, missing `;` before `}`,
// `## ...` headers, mixed-in `set` lines as Junos accepts) into a new tree rooted at
// `level` (a root Node, or a node for `load ... relative`). Tags become Node::op / inactive /
// protect. `source` names the input in errors ("juniper.conf", "terminal").
StatusOr<std::unique_ptr<Node>> ParseCurly(const SchemaNode& level, std::string_view text,
                                           std::string_view source);

// Splits one command line into words, honouring quotes and `[ ]`. Error on an unterminated
// quote.
StatusOr<std::vector<std::string>> SplitWords(std::string_view line);

// Executes one configuration edit command against `root` with the current edit level given as
// path words: set, delete, activate, deactivate, annotate, insert, rename, copy, protect,
// unprotect. Junos semantics and messages (e.g. "warning: statement not found").
// On error nothing changes. `warnings` receives non-fatal messages.
Status ExecuteEdit(Node& root, const std::vector<std::string>& edit_path,
                   const std::vector<std::string>& words, std::vector<std::string>* warnings);

// Resolves path words to an existing node (nullptr if absent) or reports a schema error.
StatusOr<Node*> Resolve(Node& root, const std::vector<std::string>& words);

enum class LoadMode { kMerge, kOverride, kReplace, kUpdate };
// Applies a parsed tree (from ParseCurly) to `target` (root or relative level).
Status Load(Node& target, const Node& parsed, LoadMode mode);

// `load set`: each line is an edit command; stops at the first error (line number in it) and
// then changes nothing.
Status LoadSet(Node& root, const std::vector<std::string>& edit_path, std::string_view text,
               std::string_view source, std::vector<std::string>* warnings);

struct PrintOptions {
  bool show_secret_marker = true;  // "## SECRET-DATA"
  // `| display inheritance`: nodes inherited from a group, with the group's name; the printer
  // writes Junos' "## 'X' was inherited from group 'G'" comment above each.
  const std::unordered_map<const Node*, std::string>* inherited_from = nullptr;
};
// Junos curly layout: 4-space indent, quoting only when needed, inactive:/protect:, annotations,
// schema order, system-ordered lists naturally sorted, oneliners, `[ a b ]` leaf-lists.
// Prints the children of `n` (so printing the root gives the whole configuration).
std::string PrintCurly(const Node& n, const PrintOptions& opts = {});
// `| display set`: one line per leaf/element/empty node, then `deactivate`/`protect` lines.
// Paths start with the path of `n` itself.
std::string PrintSet(const Node& n);
// Quotes a value for output when Junos would.
std::string QuoteIfNeeded(std::string_view v);

// Schema-free view of curly text, read by the same lexer as ParseCurly: one statement per
// `...;` or `... { }`, for checking text whose statements the schema does not cover (the
// corpus) and for fuzzing the lexer on its own.
struct SyntaxStatement {
  std::vector<std::string> tags;   // "inactive", "protect", ... (the tag without its ':')
  std::string annotation;          // `/* ... */` above the statement, trimmed
  std::vector<std::string> words;  // unquoted/unescaped; a `set ...` line: all its words
  bool has_block = false;          // `{ ... }` (else `;`)
  bool is_list = false;            // ends with `[ ... ]`, whose elements are `list`
  std::vector<std::string> list;
  bool is_command = false;  // a top-level `set|delete|activate|deactivate ...` line
  std::vector<SyntaxStatement> children;
  bool operator==(const SyntaxStatement&) const = default;
};
// Errors are "source:line:col: syntax error: ..." like ParseCurly's.
StatusOr<std::vector<SyntaxStatement>> ParseSyntax(std::string_view text, std::string_view source);
// Junos layout: 4-space indent, annotations above, tags before words, `[ a b ]`, words quoted
// when needed, `set` lines as they were (no `;`).
std::string PrintSyntax(const std::vector<SyntaxStatement>& statements);

}  // namespace sabina::config
