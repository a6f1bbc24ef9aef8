// The three ways `sabina` runs commands: `-c` text, lines on stdin, and the interactive
// editor. All print command output to stdout; client-side problems go to stderr.
//
// Thread: the client's only thread.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "connection.h"

namespace sabina::client {

// Exit statuses (documented in docs/decisions/0002-cli-protocol.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitCommandFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoDaemon = 3;

inline constexpr const char* kTerminalHint = "[Type ^D at a new line to end input]";

// Text for `load ... terminal` from a non-interactive stream: everything up to EOF or up to
// a line holding only ^D (the byte 0x04), so a script can go on after the loaded text.
std::string ReadTerminalText(std::FILE* in);

// Runs `commands` in order like Junos `cli -c`: all of them, even after a failure (so the
// output shows every error), stopping only when the session ends (`exit`/`quit`).
int RunCommands(Connection& connection, const std::vector<std::string>& commands);

// Reads commands from stdin, one per line (';' separates commands within a line).
int RunStdin(Connection& connection);

// The interactive CLI on a terminal (libedit).
int RunInteractive(Connection& connection);

// Writes `output` to stdout, ending it with a newline if it lacks one.
void PrintOutput(const std::string& output);

}  // namespace sabina::client
