// Small text helpers of the CLI: a tokenizer that remembers where each word started (for the
// Junos caret under a bad word), splitting a line at pipes, unique-prefix matching, and the
// Junos time formats.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sabina::mgmt::cli {

struct Token {
  std::string text;  // unquoted
  size_t pos = 0;    // offset of the word in the line
  bool quoted = false;
};

struct Tokens {
  std::vector<Token> words;
  bool trailing_space = false;  // the line ends in whitespace (completion of a new word)
  bool unterminated_quote = false;
};

// Whitespace-separated words; "..." groups (with \" and \\ escapes).
Tokens Tokenize(std::string_view line);

// Splits at '|' outside quotes. The first element is the command; the rest are pipe commands
// (trimmed). Offsets of each part in the line go to `offsets`.
std::vector<std::string> SplitPipes(std::string_view line, std::vector<size_t>* offsets);

struct Word {
  std::string_view word;
  std::string_view help;
};

// Unique-prefix match of `typed` against `words`: the exact word, else the only word with
// that prefix. Returns its index, -1 if none matches, -2 if several do.
int MatchWord(std::string_view typed, const std::vector<Word>& words);

// "2026-11-23 15:04:34 UTC"
std::string FormatTime(int64_t t);
// Junos "ago" durations: "00:04:57", "5d 15:52", "6w1d 21:28".
std::string FormatAgo(int64_t seconds);
// "00:00:44"
std::string FormatHms(int64_t seconds);

// Lines of `text` (without their newlines); a trailing newline does not make an empty line.
std::vector<std::string_view> Lines(std::string_view text);

}  // namespace sabina::mgmt::cli
