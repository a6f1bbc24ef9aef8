// The interactive CLI: libedit line editing and history, Junos prompts and banners, TAB
// completion and `?` help answered by the server's Session::Complete.
#include <errno.h>
#include <histedit.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <clocale>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "mgmt/protocol.h"

namespace sabina::client {
namespace {

namespace protocol = mgmt::protocol;

volatile std::sig_atomic_t g_signal = 0;

void OnSignal(int signo) { g_signal = signo; }

// No SA_RESTART: a signal must interrupt libedit's read so el_gets() returns.
void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) sigaction(signo, &sa, nullptr);
}

std::string HistoryPath() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    const passwd* pw = getpwuid(getuid());
    home = pw != nullptr ? pw->pw_dir : nullptr;
  }
  return home != nullptr ? std::string(home) + "/.sabina_history" : "";
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// Thread: the client's only thread. Owns the editor and history for one interactive run.
class Editor {
 public:
  explicit Editor(Connection& connection) : connection_(connection) {}
  ~Editor() {
    if (el_ != nullptr) el_end(el_);
    if (history_ != nullptr) history_end(history_);
  }
  Editor(const Editor&) = delete;
  Editor& operator=(const Editor&) = delete;

  int Run();

 private:
  static Editor& Self(EditLine* el) {
    void* data = nullptr;
    el_get(el, EL_CLIENTDATA, &data);
    return *static_cast<Editor*>(data);
  }
  static char* PromptFn(EditLine* el) { return Self(el).prompt_.data(); }
  static unsigned char TabFn(EditLine* el, int) { return Self(el).OnTab(); }
  static unsigned char HelpFn(EditLine* el, int) { return Self(el).OnHelp(); }
  static unsigned char CtrlDFn(EditLine* el, int) { return Self(el).OnCtrlD(); }
  static unsigned char SpaceFn(EditLine* el, int) { return Self(el).OnSpace(); }

  void Setup();
  std::string LineBeforeCursor() const;
  // Asks the server; nullopt (after printing why) when the daemon is gone.
  std::optional<protocol::Response> Complete(const std::string& line);
  unsigned char ShowList(const protocol::Response& r);
  unsigned char OnTab();
  unsigned char OnHelp();
  unsigned char OnCtrlD();
  unsigned char OnSpace();
  // `load ... terminal` on a tty: raw lines until ^D at the start of a line.
  // `hint`: print the Junos "[Type ^D ...]" line (unless the server's output had it).
  std::string ReadTerminal(bool hint);
  void Remember(const std::string& line);
  void Update(const protocol::Response& r) {
    prompt_ = r.prompt.empty() ? prompt_ : r.prompt;
    banner_ = r.banner;
  }

  Connection& connection_;
  EditLine* el_ = nullptr;
  History* history_ = nullptr;
  std::string history_path_;
  std::string prompt_ = "> ";
  std::string banner_;
  bool lost_ = false;
};

void Editor::Setup() {
  el_ = el_init("sabina", stdin, stdout, stderr);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_PROMPT, &Editor::PromptFn);

  history_ = history_init();
  HistEvent ev;
  history(history_, &ev, H_SETSIZE, 1000);
  history(history_, &ev, H_SETUNIQUE, 1);
  history_path_ = HistoryPath();
  if (!history_path_.empty()) history(history_, &ev, H_LOAD, history_path_.c_str());
  el_set(el_, EL_HIST, history, history_);

  // el_wset, not el_set: the narrow EL_ADDFN copies its strings and never frees them
  // (a libedit leak that LeakSanitizer reports); the wide one keeps these static literals.
  el_wset(el_, EL_ADDFN, L"sabina-complete", L"Complete the current word", &Editor::TabFn);
  el_wset(el_, EL_ADDFN, L"sabina-help", L"Show possible completions", &Editor::HelpFn);
  el_wset(el_, EL_ADDFN, L"sabina-eof", L"Exit on an empty line, else delete", &Editor::CtrlDFn);
  el_wset(el_, EL_ADDFN, L"sabina-space", L"Complete a keyword, then insert a space",
          &Editor::SpaceFn);
  // ~/.editrc first, so that the Junos keys below win over a user's generic bindings.
  el_source(el_, nullptr);
  el_set(el_, EL_BIND, "^I", "sabina-complete", nullptr);
  el_set(el_, EL_BIND, "?", "sabina-help", nullptr);
  el_set(el_, EL_BIND, "^D", "sabina-eof", nullptr);
  el_set(el_, EL_BIND, " ", "sabina-space", nullptr);
}

std::string Editor::LineBeforeCursor() const {
  const LineInfo* li = el_line(el_);
  return std::string(li->buffer, static_cast<size_t>(li->cursor - li->buffer));
}

std::optional<protocol::Response> Editor::Complete(const std::string& line) {
  StatusOr<protocol::Response> r = connection_.Call({protocol::Op::kComplete, line});
  if (!r.ok()) {
    std::fprintf(stdout, "\nsabina: %s\n", r.status().message().c_str());
    lost_ = true;
    return std::nullopt;
  }
  return std::move(r).value();
}

unsigned char Editor::ShowList(const protocol::Response& r) {
  std::string text = r.error.empty() ? protocol::FormatHelp(r.candidates) : r.error + "\n";
  // Junos repeats the banner above the redrawn prompt in configuration mode.
  if (!banner_.empty()) text += banner_ + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
  return CC_REDISPLAY;
}

unsigned char Editor::OnTab() {
  std::string before = LineBeforeCursor();
  if (protocol::InsideQuotes(before)) return CC_ERROR;
  std::optional<protocol::Response> r = Complete(before);
  if (!r) return CC_EOF;
  std::string partial(protocol::LastWord(before));
  std::vector<protocol::CompletionItem> matches;
  for (const protocol::CompletionItem& c : r->candidates) {
    if (!c.placeholder && c.word.compare(0, partial.size(), partial) == 0) matches.push_back(c);
  }
  if (matches.size() == 1) {
    std::string rest = matches[0].word.substr(partial.size()) + " ";
    el_insertstr(el_, rest.c_str());
    return CC_REFRESH;
  }
  if (matches.size() > 1) {
    std::string prefix = protocol::CommonPrefix(matches);
    if (prefix.size() > partial.size()) {
      el_insertstr(el_, prefix.substr(partial.size()).c_str());
      return CC_REFRESH;
    }
  }
  if (r->candidates.empty() && r->error.empty()) return CC_ERROR;
  std::fputc('\n', stdout);
  return ShowList(*r);
}

unsigned char Editor::OnHelp() {
  std::string before = LineBeforeCursor();
  // Inside a quoted string `?` is just a character (e.g. `| match "a?b"`).
  if (protocol::InsideQuotes(before)) {
    el_insertstr(el_, "?");
    return CC_REFRESH;
  }
  std::optional<protocol::Response> r = Complete(before);
  if (!r) return CC_EOF;
  // Echo the `?` the way Junos transcripts show it, without putting it in the line.
  std::fputs("?\n", stdout);
  return ShowList(*r);
}

// Junos completes a unique keyword prefix on space (`sh` + space = `show `), but never a
// value: where the server offers a placeholder (`<host-name>`), the word is left alone.
unsigned char Editor::OnSpace() {
  const LineInfo* li = el_line(el_);
  std::string before = LineBeforeCursor();
  std::string partial(protocol::LastWord(before));
  bool at_word_end = li->cursor == li->lastchar || *li->cursor == ' ';
  if (partial.empty() || !at_word_end || protocol::InsideQuotes(before)) {
    el_insertstr(el_, " ");
    return CC_REFRESH;
  }
  StatusOr<protocol::Response> r = connection_.Call({protocol::Op::kComplete, before});
  std::string insert = " ";
  if (r.ok()) {
    const protocol::CompletionItem* only = nullptr;
    bool placeholder = false;
    int matches = 0;
    for (const protocol::CompletionItem& c : r->candidates) {
      if (c.placeholder) placeholder = true;
      if (!c.placeholder && c.word.compare(0, partial.size(), partial) == 0) {
        only = &c;
        ++matches;
      }
    }
    if (!placeholder && matches == 1) insert = only->word.substr(partial.size()) + " ";
  }
  el_insertstr(el_, insert.c_str());
  return CC_REFRESH;
}

unsigned char Editor::OnCtrlD() {
  const LineInfo* li = el_line(el_);
  if (li->buffer == li->lastchar) return CC_EOF;
  if (li->cursor == li->lastchar) return CC_ERROR;
  el_cursor(el_, 1);
  el_deletestr(el_, 1);
  return CC_REFRESH;
}

std::string Editor::ReadTerminal(bool hint) {
  if (hint) {
    std::printf("%s\n", kTerminalHint);
    std::fflush(stdout);
  }
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof(buffer));
    if (n > 0) {
      text.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      if (g_signal == SIGINT) {
        g_signal = 0;
        // ^C abandons the paste: nothing typed so far is loaded.
        std::printf("\n");
        return "";
      }
      if (g_signal == 0) continue;
      return "";  // SIGTERM/SIGHUP: load nothing; Run() then ends the client
    }
    break;  // ^D at the start of a line (read returns 0), or the terminal went away
  }
  return text;
}

void Editor::Remember(const std::string& line) {
  HistEvent ev;
  history(history_, &ev, H_ENTER, line.c_str());
  if (!history_path_.empty()) history(history_, &ev, H_SAVE, history_path_.c_str());
}

int Editor::Run() {
  // Interactive: the server answers errors with a caret under the bad word of our prompt line.
  StatusOr<protocol::Response> hello =
      connection_.Call({protocol::Op::kHello, "", /*interactive=*/true});
  if (!hello.ok()) {
    std::fprintf(stderr, "sabina: %s\n", hello.status().message().c_str());
    return kExitNoDaemon;
  }
  Update(*hello);
  std::setlocale(LC_CTYPE, "");
  InstallSignalHandlers();
  Setup();

  bool first = true;
  for (;;) {
    if (g_signal == SIGTERM || g_signal == SIGHUP) return kExitOk;
    // Junos leaves a blank line after each command, then the banner, then the prompt.
    if (!first) std::fputc('\n', stdout);
    first = false;
    if (!banner_.empty()) std::printf("%s\n", banner_.c_str());
    std::fflush(stdout);

    int count = 0;
    const char* raw = el_gets(el_, &count);
    if (lost_) return kExitNoDaemon;
    if (raw == nullptr) {
      if (count < 0 && g_signal == SIGINT) {
        g_signal = 0;  // ^C clears the line
        continue;
      }
      std::fputc('\n', stdout);
      return kExitOk;  // ^D on an empty line, or SIGTERM/SIGHUP
    }
    std::string line = Trim(raw);
    if (line.empty()) continue;
    Remember(line);

    StatusOr<protocol::Response> r = connection_.Call({protocol::Op::kExec, line});
    if (!r.ok()) {
      std::fprintf(stderr, "sabina: %s\n", r.status().message().c_str());
      return kExitNoDaemon;
    }
    if (!r->error.empty()) std::fprintf(stderr, "sabina: %s\n", r->error.c_str());
    PrintOutput(r->output);
    if (r->wants_terminal) {
      bool hinted = r->output.find(kTerminalHint) != std::string::npos;
      r = connection_.Call({protocol::Op::kTerminal, ReadTerminal(!hinted)});
      if (!r.ok()) {
        std::fprintf(stderr, "sabina: %s\n", r.status().message().c_str());
        return kExitNoDaemon;
      }
      PrintOutput(r->output);
    }
    Update(*r);
    if (r->quit) return kExitOk;
  }
}

}  // namespace

int RunInteractive(Connection& connection) {
  Editor editor(connection);
  return editor.Run();
}

}  // namespace sabina::client
