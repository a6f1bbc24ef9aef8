// Grammar of the forwarding operational commands (issue 3, section 2): `show interfaces`,
// `show route`, `show arp`, `show ipv6 neighbors`, `show dataplane`, `show system statistics`,
// `clear ...`, `request dataplane trace ...`, `ping`, `traceroute`. Parsing (unique-prefix
// keywords, options with values, one positional argument) and `?`/TAB completion; running a
// parsed command is show_glue.h.
//
// session.cc matches the first word(s) and hands over the node of the last word it matched
// (ForwardingNode) together with the remaining words.
//
// Thread: immutable tables and pure functions, any thread (the session's: mgmt).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mgmt/cli/session.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

struct CommandOption {
  std::string_view word, help;
  std::string_view arg;  // "" for a flag, else its placeholder ("<count>")
  std::string_view arg_help;
  bool number = false;        // the value is a decimal number
  std::vector<Word> choices;  // values offered by completion (and the only ones accepted)
};

struct CommandNode {
  std::string_view word, help;
  std::string_view id;  // "show route", "show route summary", ...; empty: needs a sub-command
  std::vector<CommandNode> children;
  std::vector<CommandOption> options;
  std::string_view positional, positional_help;  // "<destination>"; empty: none
  bool positional_required = false;
  bool positional_first = false;  // a word is tried as the positional before as a keyword
};

// The node for `top` (a word of OperationalWords) or `top second` (`show route`, `show system
// statistics`); null if the forwarding commands do not own it.
const CommandNode* ForwardingNode(std::string_view top, std::string_view second = {});

struct ParsedCommand {
  std::string id;
  std::string positional;
  size_t positional_pos = 0;
  std::map<std::string, std::string> options;  // option word -> value ("" for flags)
  bool Has(const std::string& word) const { return options.count(word) != 0; }
  std::string Get(const std::string& word) const {
    auto it = options.find(word);
    return it == options.end() ? std::string() : it->second;
  }
};

struct ParseError {
  std::optional<size_t> pos;  // caret position (offset in the line); none: at the end
  std::string message;
};

// Parses w[first..] below `node`. `end_pos`: the offset of the line's end (for "expecting").
bool ParseForwarding(const CommandNode& node, const std::vector<Token>& w, size_t first,
                     size_t end_pos, ParsedCommand* out, ParseError* error);

// Candidates for `partial` after `words` (complete words following `node`'s own word).
void CompleteForwarding(const CommandNode& node, const std::vector<std::string>& words,
                        const std::string& partial, CompletionResult* out);

}  // namespace sabina::mgmt::cli
