// One CLI session (a `sabina` client connection): operational mode, configuration mode with
// its edit level and datastore (shared, private or exclusive candidate), pipes, completion and
// `?` help. The transport (socket server, client) lives in src/mgmt/server.* and tools/sabina.
//
// Thread: mgmt. A Session is owned by its connection.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sabina::mgmt {

class Mgmt;  // the daemon's management state: schema, datastores, commit engine (mgmt.h)

struct CommandResult {
  std::string output;   // text to print (already piped)
  bool ok = true;       // false if the command failed (error text is in output)
  bool quit = false;    // the session ended (exit/quit in operational mode)
  // `load ... terminal`: the client must send the text typed until Ctrl-D to
  // Session::TerminalInput().
  bool wants_terminal = false;
  // From Session::Start only: a command that waits on the outside world (ping, traceroute).
  // `background` produces its raw output and may block for seconds: run it off the mgmt thread
  // (it touches no Session or Mgmt state); then call `finish` with that output on the mgmt
  // thread, while the Session is alive, for the final result (pipes applied).
  std::function<std::string()> background;
  std::function<CommandResult(std::string)> finish;
};

struct Completion {
  std::string word;         // the keyword or a placeholder like "<value>"
  std::string help;         // description shown by `?`
  bool is_placeholder = false;
};

struct CompletionResult {
  std::vector<Completion> candidates;
  std::string error;  // e.g. "syntax error, expecting <command>." for `?` on a bad prefix
};

class Session {
 public:
  Session(Mgmt& mgmt, std::string user);
  ~Session();

  // Runs the command to its end (a background part included, on this thread).
  CommandResult Execute(std::string_view line);
  // The same, but a command with a background part returns it unrun (CommandResult), so that
  // the caller can serve other sessions meanwhile.
  CommandResult Start(std::string_view line);
  CommandResult TerminalInput(std::string_view text);
  // Candidates for the last (possibly partial) word of `line`.
  CompletionResult Complete(std::string_view line);
  // "user@host> " or "user@host# ".
  std::string Prompt() const;
  // "[edit interfaces ge-0/0/0]" in configuration mode, "" in operational mode.
  std::string Banner() const;
  // A person typing at the prompt (the interactive client's hello) rather than a script
  // (`sabina -c`, stdin; the default). Interactive errors are Junos' caret under the bad word,
  // positioned for the prompt they follow; otherwise there is no prompt on screen, so there is
  // no caret and the message names the offending word and what was expected instead.
  void set_interactive(bool interactive);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sabina::mgmt
