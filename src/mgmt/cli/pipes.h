// Output pipes: `| match REGEX`, `| except REGEX`, `| count`, `| last N`, `| no-more`,
// `| display set`, `| display inheritance`, `| compare [rollback N]`, chained in any order.
// match/except use POSIX extended regular expressions, case-insensitive, like Junos.
// The display and compare pipes change what a `show` produces; the others filter text.
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

struct Pipe {
  enum class Kind { kMatch, kExcept, kCount, kLast, kNoMore, kDisplaySet, kDisplayInheritance,
                    kCompare };
  Kind kind = Kind::kNoMore;
  std::string pattern;  // match/except
  int number = -1;      // last N; compare rollback N (-1: compare with running/none)
};

struct PipeError {
  size_t pos = 0;  // offset in the pipe text of the word the caret goes under
  std::string message;
};

// Parses one pipe command ("match foo", "display set"). Unique prefixes accepted.
// On error returns false and fills `error`.
bool ParsePipe(std::string_view text, Pipe* pipe, PipeError* error);

// Applies the text filters (match, except, count, last) in order; other kinds pass through.
// Returns an error for an invalid regular expression.
StatusOr<std::string> FilterOutput(std::string text, const std::vector<Pipe>& pipes);

// Pipe command words for completion and `?` help.
const std::vector<Word>& PipeWords();
const std::vector<Word>& DisplayWords();

}  // namespace sabina::mgmt::cli
