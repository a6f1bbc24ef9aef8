// The CLI wire protocol between `sabina` and `sabinad` (docs/decisions/0002-cli-protocol.md):
// newline-delimited JSON over a Unix stream socket, one request then one response.
// Pure functions and a line splitter, shared by the server (server.cc) and the client
// (tools/sabina), kept apart from server.cc so the client does not link the daemon.
//
// Thread: any (no shared state).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sabina::mgmt::protocol {

// Requests larger than this close the connection: a configuration pasted through
// `load merge terminal` can be tens of megabytes, but not unbounded.
inline constexpr size_t kMaxLineBytes = size_t{64} << 20;

enum class Op { kHello, kExec, kTerminal, kComplete };

const char* OpName(Op op);

struct Request {
  Op op = Op::kHello;
  std::string text;  // "line" for exec/complete, "text" for terminal; empty for hello
  // hello only: a person at a terminal (the interactive CLI) rather than a script. Sent only
  // when true; absent means false.
  bool interactive = false;
};

struct CompletionItem {
  std::string word;
  std::string help;
  bool placeholder = false;
};

// One response shape for every op; fields an op does not use keep their defaults and are
// not sent. `error` is set for a request the server could not understand and for a
// completion error ("syntax error, expecting <command>.").
struct Response {
  std::string output;
  bool ok = true;
  bool quit = false;
  bool wants_terminal = false;
  std::string prompt;
  std::string banner;
  std::vector<CompletionItem> candidates;
  std::string error;
};

// Encoders return one JSON object followed by '\n'. Invalid UTF-8 in text (binary garbage a
// user typed or loaded) is replaced by U+FFFD rather than failing the whole message.
std::string EncodeRequest(const Request& request);
StatusOr<Request> DecodeRequest(std::string_view line);

std::string EncodeResponse(Op op, const Response& response);
// A server error response ({"ok":false,"error":...}) for a request that could not be decoded.
std::string EncodeError(std::string_view message);
StatusOr<Response> DecodeResponse(std::string_view line);

// Splits a byte stream into '\n'-terminated lines without rescanning bytes already searched,
// so a 64 MiB request arriving in 4 KiB reads costs linear time.
class LineSplitter {
 public:
  explicit LineSplitter(size_t max_line = kMaxLineBytes) : max_line_(max_line) {}

  void Append(std::string_view data);
  // The next complete line without its '\n' (a trailing '\r' is kept), or nullopt.
  std::optional<std::string> Next();
  // True once Next() has seen a line longer than max_line (complete or not); the stream
  // can't be resynchronised, so the owner must drop the connection.
  bool overflow() const { return overflow_; }
  size_t buffered() const { return buffer_.size() - start_; }

 private:
  size_t max_line_;
  std::string buffer_;
  size_t start_ = 0;  // first unconsumed byte
  size_t scan_ = 0;   // bytes before this (from start_) are known to hold no '\n'
  bool overflow_ = false;
};

// Splits `sabina -c` text into commands at ';' outside double quotes (a backslash escapes
// the next character inside quotes, as in Junos strings). Commands are trimmed; empty ones
// are dropped. Unbalanced quotes keep the rest as one command, so the server reports the
// syntax error.
std::vector<std::string> SplitCommands(std::string_view text);

// The word being completed: the text after the last unquoted blank of `line`.
std::string_view LastWord(std::string_view line);

// True if `line` ends inside an open double-quoted string (then `?` is a literal character).
bool InsideQuotes(std::string_view line);

// The longest common prefix of the non-placeholder candidates' words.
std::string CommonPrefix(const std::vector<CompletionItem>& candidates);

// Junos `?` help layout: "Possible completions:" then "  word                 help" rows.
std::string FormatHelp(const std::vector<CompletionItem>& candidates);

}  // namespace sabina::mgmt::protocol
