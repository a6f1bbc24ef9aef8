// sabina — the Sabina CLI client. See `sabina --help` and docs/decisions/0002-cli-protocol.md.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "cli.h"
#include "connection.h"
#include "mgmt/protocol.h"

namespace {

constexpr const char* kVersion = "sabina 0.1.0";

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: sabina [--socket PATH] [-c \"command; command; ...\"]\n"
               "\n"
               "The Sabina command-line interface: operational and configuration mode, as on\n"
               "Junos.\n"
               "\n"
               "  -c COMMANDS    run the ';'-separated commands in order (all of them, like\n"
               "                 Junos `cli -c`), print their output, and exit 1 if any failed\n"
               "  --socket PATH  sabinad's socket (default: $SABINA_SOCKET, else %s)\n"
               "  --help         show this help\n"
               "  --version      show the client's version\n"
               "\n"
               "Without -c: an interactive CLI on a terminal, otherwise one command per line\n"
               "from standard input. `load ... terminal` reads the following input up to ^D\n"
               "(end of input, or a line holding only the byte 0x04).\n"
               "Exit status: 0 ok, 1 a command failed, 2 usage error, 3 sabinad unreachable.\n",
               sabina::client::kDefaultSocket);
}

int UsageError(const std::string& message) {
  std::fprintf(stderr, "sabina: %s\nTry 'sabina --help'.\n", message.c_str());
  return sabina::client::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sabina::client;
  std::string socket_path = DefaultSocketPath();
  std::optional<std::string> commands;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string_view name) -> std::optional<std::string> {
      if (arg == name) {
        if (i + 1 >= argc) return std::nullopt;
        return std::string(argv[++i]);
      }
      return std::string(arg.substr(name.size() + 1));  // --name=value
    };
    if (arg == "--help" || arg == "-h") {
      Usage(stdout);
      return kExitOk;
    }
    if (arg == "--version") {
      std::printf("%s\n", kVersion);
      return kExitOk;
    }
    if (arg == "--socket" || arg.starts_with("--socket=")) {
      std::optional<std::string> v = value("--socket");
      if (!v || v->empty()) return UsageError("--socket needs a path");
      socket_path = *v;
    } else if (arg == "-c") {
      std::optional<std::string> v = value("-c");
      if (!v) return UsageError("-c needs commands");
      if (commands) return UsageError("-c given twice");
      commands = *v;
    } else {
      return UsageError("unknown argument: " + std::string(arg));
    }
  }
  // A closed pipe (`sabina -c ... | head`) must end us quietly, not with SIGPIPE noise.
  signal(SIGPIPE, SIG_IGN);

  sabina::StatusOr<std::unique_ptr<Connection>> connection = Connection::Open(socket_path);
  if (!connection.ok()) {
    std::fprintf(stderr, "sabina: %s\n", connection.status().message().c_str());
    return kExitNoDaemon;
  }
  if (commands) {
    return RunCommands(**connection, sabina::mgmt::protocol::SplitCommands(*commands));
  }
  if (isatty(STDIN_FILENO)) return RunInteractive(**connection);
  return RunStdin(**connection);
}
