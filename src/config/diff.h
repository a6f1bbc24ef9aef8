// `show | compare` and `load patch`: the Junos text diff between two configuration trees, and
// its application back onto a tree.
//
// Output format (evidence: a recorded Junos session,
// shared/corpus/junos-show/scrapli+scrapli_cfg__...merge_diff_and_abort...yaml, and Junos output
// quoted by public projects; see docs/decisions or the printer's report):
//
//   [edit interfaces fxp0 unit 0]        context: the deepest node that exists in both trees
//   +    description RACECAR;            "+" added, "-" removed, " " context, "!" metadata/move
//
// Statements are written in curly layout; the text column after the marker is
// min(depth + 2, 4) spaces (depth = levels below [edit]), plus 4 per nesting level, as Junos
// does ("[edit]\n+  system {", "[edit interfaces]\n+   ge-0/0/0 {",
// "[edit system syslog]\n+    file f {").
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "config/codec.h"
#include "config/tree.h"

namespace sabina::config {

// Junos `show | compare` text turning `old_root` into `new_root`; empty when they are equal.
std::string Compare(const Node& old_root, const Node& new_root);

// `load patch`: applies text in the Compare() format to `root`. On any mismatch (a removed
// statement that is not there, an added one that already is, an unknown path) the error names
// the patch line and `root` is left unchanged.
Status ApplyPatch(Node& root, std::string_view patch_text);

namespace internal {

// Shared by the curly printer and the differ (implemented in printer.cc).

// The children of `n` in display order: grouped by schema position, entries of
// system-ordered lists naturally sorted, everything else in stored order. Appends to `out`.
void AppendDisplayOrder(const Node& n, std::vector<const Node*>* out);

// Writes curly text. Every line starts with `lead` (e.g. "+    " in a diff), then 4 spaces per
// nesting level.
class CurlyWriter {
 public:
  CurlyWriter(std::string* out, const PrintOptions& opts) : out_(out), opts_(opts) {}
  void set_lead(std::string_view lead) { lead_ = lead; }
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }

  // The children of `n` at nesting `level`; `prefix` goes before each child's keyword (the
  // keyword of a sabina:collapse container: "family inet {").
  void Children(const Node& n, int level, const std::string& prefix = {});
  // True when `c` (a sabina:collapse container) is shown only through its children.
  bool Collapsed(const Node& c) const;
  // One statement: a container, list entry or leaf (with its annotation and tags).
  void Statement(const Node& c, int level);
  // A run of sibling leaf-list elements of one schema, written as one statement
  // ("keyword a;" or "keyword [ a b ];").
  void LeafList(const Node* const* elems, size_t count, int level);
  // A whole block-style list ("name-server { a; b; }").
  void Block(const Node* const* entries, size_t count, int level);
  // A one-line summary for context lines, without lead or newline: "ge-0/0/0 { ... }",
  // "host-name foo;", "route 0/0 next-hop 192.0.2.1;" (no annotation).
  void Summary(const Node& c, bool with_tags);
  // True when `c` prints on one line (no children, or a one-liner).
  bool SingleLine(const Node& c) const {
    return !c.schema()->has_children() || c.empty() || OneLiner(c);
  }
  // True when `c` is written "header child-statement;" on one line.
  bool OneLiner(const Node& c) const;
  // Annotation lines only ("/* text */").
  void Annotation(const Node& c, int level);

  // Words introducing a statement: "unit 0", "ge-0/0/0", "host-name foo" (quoted as needed).
  void Header(const Node& c);

 private:
  void Line(int level);
  void ConsumePrefix();
  void Tags(const Node& c);
  void Inherited(const Node& c, int level);
  // " next-hop 192.0.2.1;" after a one-liner's header.
  void OneLinerTail(const Node& c);

  std::string* out_;
  const PrintOptions& opts_;
  std::string_view lead_;
  std::string prefix_;  // written before the next statement's keyword, then cleared
  std::vector<const Node*> order_;  // shared scratch for display order (indices, not iterators)
};

// Appends `v` quoted when Junos would (secrets always).
void AppendValue(std::string* out, std::string_view v, bool force_quote);

}  // namespace internal
}  // namespace sabina::config
