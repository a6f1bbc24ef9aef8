// `sabina -c "..."` and commands on stdin.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "cli.h"
#include "mgmt/protocol.h"

namespace sabina::client {
namespace {

namespace protocol = mgmt::protocol;

enum class Next { kContinue, kStop, kLost };

// Runs one command, feeding `load ... terminal` from stdin. Sets *failed on a failed
// command.
Next RunOne(Connection& connection, const std::string& line, bool* failed) {
  StatusOr<protocol::Response> r = connection.Call({protocol::Op::kExec, line});
  if (!r.ok()) {
    std::fflush(stdout);
    std::fprintf(stderr, "sabina: %s\n", r.status().message().c_str());
    return Next::kLost;
  }
  if (!r->error.empty()) std::fprintf(stderr, "sabina: %s\n", r->error.c_str());
  PrintOutput(r->output);
  if (r->wants_terminal) {
    if (isatty(STDIN_FILENO) && r->output.find(kTerminalHint) == std::string::npos) {
      std::printf("%s\n", kTerminalHint);
      std::fflush(stdout);
    }
    std::string text = ReadTerminalText(stdin);
    bool load_ok = r->ok;
    r = connection.Call({protocol::Op::kTerminal, text});
    if (!r.ok()) {
      std::fflush(stdout);
      std::fprintf(stderr, "sabina: %s\n", r.status().message().c_str());
      return Next::kLost;
    }
    if (!r->error.empty()) std::fprintf(stderr, "sabina: %s\n", r->error.c_str());
    PrintOutput(r->output);
    if (!load_ok) *failed = true;
  }
  if (!r->ok) *failed = true;
  return r->quit ? Next::kStop : Next::kContinue;
}

}  // namespace

void PrintOutput(const std::string& output) {
  if (output.empty()) return;
  std::fwrite(output.data(), 1, output.size(), stdout);
  if (output.back() != '\n') std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string ReadTerminalText(std::FILE* in) {
  std::string text;
  char* buffer = nullptr;
  size_t capacity = 0;
  ssize_t n;
  while ((n = getline(&buffer, &capacity, in)) > 0) {
    std::string_view line(buffer, static_cast<size_t>(n));
    std::string_view bare = line;
    while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
    if (bare == "\x04") break;
    text.append(line);
  }
  std::free(buffer);
  // On a terminal, ^D only ends this input, not the session.
  std::clearerr(in);
  return text;
}

int RunCommands(Connection& connection, const std::vector<std::string>& commands) {
  bool failed = false;
  for (const std::string& command : commands) {
    Next next = RunOne(connection, command, &failed);
    if (next == Next::kLost) return kExitNoDaemon;
    if (next == Next::kStop) break;
  }
  return failed ? kExitCommandFailed : kExitOk;
}

int RunStdin(Connection& connection) {
  bool failed = false;
  Next next = Next::kContinue;
  char* buffer = nullptr;
  size_t capacity = 0;
  ssize_t n;
  while (next == Next::kContinue && (n = getline(&buffer, &capacity, stdin)) > 0) {
    std::vector<std::string> commands =
        protocol::SplitCommands(std::string_view(buffer, static_cast<size_t>(n)));
    for (size_t i = 0; i < commands.size() && next == Next::kContinue; ++i) {
      next = RunOne(connection, commands[i], &failed);
    }
  }
  std::free(buffer);
  if (next == Next::kLost) return kExitNoDaemon;
  return failed ? kExitCommandFailed : kExitOk;
}

}  // namespace sabina::client
