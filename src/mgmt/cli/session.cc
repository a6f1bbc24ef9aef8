// The CLI session: command dispatch for operational and configuration mode, the three kinds
// of configuration database (shared, private, exclusive), pipes and `?`/TAB completion.
//
// Command words take unique prefixes (`sh conf`, `conf`, `com`); configuration path keywords
// too (`set sys host r1`). Errors of an interactive session follow Junos: a caret line under
// the offending word (offset by the prompt, as on a terminal) and then the message. A script's
// session (`sabina -c`, stdin) has no prompt on screen: no caret, and the message names the
// offending word and what was expected (the parser's wording where the parser decides).
#include "mgmt/cli/session.h"

#include <sys/sysinfo.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>

#include "config/codec.h"
#include "config/diff.h"
#include "config/groups.h"
#include "mgmt/cli/commands.h"
#include "mgmt/cli/mgmt_impl.h"
#include "mgmt/cli/pipes.h"
#include "mgmt/cli/schema_walk.h"
#include "mgmt/cli/show_commands.h"
#include "mgmt/cli/show_glue.h"
#include "mgmt/cli/show_system.h"
#include "mgmt/cli/text.h"
#include "mgmt/mgmt.h"

namespace sabina::mgmt {

using cli::Pipe;
using cli::Token;
using cli::Tokens;
using cli::Word;
using config::Node;

namespace {

int64_t Now() { return static_cast<int64_t>(time(nullptr)); }

bool ParseNumber(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

std::string Join(const std::vector<std::string>& words, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < words.size(); ++i) {
    if (i > from) out += ' ';
    out += words[i];
  }
  return out;
}

std::string EnsureNewline(std::string s) {
  if (!s.empty() && s.back() != '\n') s += '\n';
  return s;
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *ok = false;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *ok = true;
  return ss.str();
}

// Keeps the chunks of a `show | compare` text whose [edit ...] context lies under `path`.
std::string FilterDiff(const std::string& diff, const std::vector<std::string>& path) {
  if (path.empty()) return diff;
  std::string want = "[edit " + Join(path);
  std::string out;
  bool keep = false;
  for (std::string_view line : cli::Lines(diff)) {
    if (line.substr(0, 5) == "[edit") {
      keep = line.substr(0, want.size()) == want &&
             (line.size() == want.size() || line[want.size()] == ' ' ||
              line[want.size()] == ']');
    }
    if (keep) {
      out.append(line);
      out += '\n';
    }
  }
  return out;
}

}  // namespace

// What a command produced. Thread: any (a value).
struct Outcome {
  std::string text;
  bool ok = true;
  bool quit = false;
  bool wants_terminal = false;
  bool filterable = true;  // pipes apply to the text
  // Produces `text` off the mgmt thread (CommandResult::background).
  std::function<std::string()> background;
};

// Thread: mgmt, like the Session that owns it.
struct Session::Impl : SessionRegistry {
  enum class Mode { kOperational, kConfig };
  enum class Db { kShared, kPrivate, kExclusive };

  Impl(Mgmt& mgmt_in, std::string user_in)
      : mgmt(mgmt_in), m(mgmt_in.impl()), user(std::move(user_in)) {
    terminal = "p" + std::to_string(m.next_terminal++);
    m.sessions.push_back(this);
  }
  ~Impl() override {
    if (mode == Mode::kConfig) LeaveConfig(nullptr);
    std::erase(m.sessions, this);
  }

  // SessionRegistry
  bool InConfigMode() const override { return mode == Mode::kConfig; }
  EditorInfo Editor() const override {
    EditorInfo e;
    e.user = user;
    e.terminal = terminal;
    e.since = config_since;
    e.last_active = last_active;
    e.exclusive = db == Db::kExclusive;
    e.private_db = db == Db::kPrivate;
    e.banner = EditBanner();
    return e;
  }

  Mgmt& mgmt;
  Mgmt::Impl& m;
  std::string user;
  std::string terminal;
  Mode mode = Mode::kOperational;
  Db db = Db::kShared;
  std::vector<std::string> edit_path;
  std::vector<std::vector<std::string>> edit_stack;  // for `exit` back to the previous level
  int64_t config_since = 0;
  int64_t last_active = Now();
  // configure private: the running configuration it started from, and the private copy.
  std::unique_ptr<Node> private_base;
  std::unique_ptr<Node> private_candidate;
  uint64_t private_generation = 0;
  int64_t private_changed = 0;
  // load ... terminal, waiting for TerminalInput().
  struct PendingLoad {
    std::string kind;  // merge, override, replace, update, set, patch
    bool relative = false;
  };
  std::optional<PendingLoad> pending_load;
  size_t prompt_len = 0;     // for carets; set per Execute
  bool interactive = false;  // see Session::set_interactive

  // ---- helpers ---------------------------------------------------------------------------

  const config::SchemaNode& root_schema() const { return m.schema->root(); }

  Node& Candidate() { return db == Db::kPrivate ? *private_candidate : *m.candidate; }
  const Node& Candidate() const { return db == Db::kPrivate ? *private_candidate : *m.candidate; }
  bool Modified() const {
    if (db == Db::kPrivate) return !private_candidate->Equals(*private_base);
    return m.CandidateModified();
  }
  void Touched() {
    if (db == Db::kPrivate) {
      private_changed = Now();
    } else {
      m.candidate_changed = Now();
    }
  }

  std::string EditBanner() const {
    if (edit_path.empty()) return "[edit]";
    std::string out = "[edit";
    for (const std::string& w : edit_path) out += " " + config::QuoteIfNeeded(w);
    return out + "]";
  }

  std::string Caret(size_t pos) const { return std::string(prompt_len + pos, ' ') + "^\n"; }
  Outcome Error(std::string text) {
    Outcome o;
    o.text = EnsureNewline(std::move(text));
    o.ok = false;
    o.filterable = false;
    return o;
  }
  Outcome CaretError(size_t pos, const std::string& message) {
    return Error(interactive ? Caret(pos) + message : message);
  }
  Outcome Ambiguous(const Token& t, const std::vector<Word>& words) {
    std::string text = (interactive ? Caret(t.pos) : std::string()) + "'" + t.text +
                       "' is ambiguous.\nPossible completions:\n";
    for (const Word& w : words) {
      if (w.word.substr(0, t.text.size()) == t.text) {
        std::string line = "  " + std::string(w.word);
        if (line.size() < 23) line.resize(23, ' ');
        else line += ' ';
        text += line + std::string(w.help) + "\n";
      }
    }
    return Error(text);
  }
  // Matches a command word; on failure fills `out` with the Junos error.
  int Match(const std::vector<Token>& words, size_t i, size_t end_pos,
            const std::vector<Word>& table, bool top, Outcome* out) {
    if (i >= words.size()) {
      *out = CaretError(end_pos, "syntax error, expecting <command>.");
      return -1;
    }
    int k = cli::MatchWord(words[i].text, table);
    if (k == -2) {
      *out = Ambiguous(words[i], table);
      return -1;
    }
    if (k < 0) {
      if (top) {
        *out = interactive ? CaretError(words[i].pos, "unknown command.")
                           : Error("unknown command: '" + words[i].text + "'");
      } else {
        *out = CaretError(words[i].pos, "syntax error, expecting <command>: " + words[i].text);
      }
      return -1;
    }
    return k;
  }

  // A configuration path that cli::WalkPath rejected. `full` is the edit level's `base` words
  // followed by the typed ones; w[first + i - base] is the token of full[i]. Interactive: the
  // caret and Junos' short message. Otherwise a message naming the word: the parser's (which
  // says what was expected there) or, for an ambiguous prefix, the candidates.
  Outcome PathError(const cli::PathWalk& walk, const std::vector<std::string>& full, size_t base,
                    const std::vector<Token>& w, size_t first) {
    if (walk.error_index < base || walk.error_index >= full.size()) return Error(walk.error);
    if (interactive) return CaretError(w[first + walk.error_index - base].pos, walk.error);
    if (std::optional<std::string> amb = AmbiguousPath(walk, full)) return Error(*amb);
    // The walker's expansion up to the bad word, so the parser stops at the same word.
    std::vector<std::string> words = walk.words;
    words.insert(words.end(), full.begin() + static_cast<ptrdiff_t>(walk.error_index), full.end());
    Node scratch(&root_schema());
    StatusOr<Node*> r = config::Resolve(scratch, words);
    if (!r.ok()) return Error(r.status().message());
    return Error("syntax error: unexpected '" + full[walk.error_index] + "' at " +
                 PathBanner(walk.words));
  }

  // "syntax error: 'h' is ambiguous at [edit system] (possible completions: host-name, ...)"
  // when the walk failed on an ambiguous keyword prefix.
  std::optional<std::string> AmbiguousPath(const cli::PathWalk& walk,
                                           const std::vector<std::string>& full) {
    const std::string& bad = full[walk.error_index];
    if (walk.error != "'" + bad + "' is ambiguous.") return std::nullopt;
    std::string names;
    for (const Completion& c : cli::PathCompletions(walk, bad)) {
      if (c.is_placeholder) continue;
      names += (names.empty() ? "" : ", ") + c.word;
    }
    return "syntax error: '" + bad + "' is ambiguous at " + PathBanner(walk.words) +
           " (possible completions: " + names + ")";
  }

  static std::string PathBanner(const std::vector<std::string>& words) {
    std::string out = "[edit";
    for (const std::string& w : words) out += " " + config::QuoteIfNeeded(w);
    return out + "]";
  }

  std::string EditorsText(bool include_self) const {
    std::vector<EditorInfo> editors = m.OtherEditors(include_self ? nullptr : this);
    return FormatEditors(editors, Now());
  }
  std::string LockedByText() const {
    std::string text = "error: configuration database locked by:\n";
    if (m.lock_owner) text += FormatEditors({m.lock_owner->Editor()}, Now());
    return text;
  }
  // Another session holds `configure exclusive` and this session would touch the shared
  // candidate.
  bool LockedOut() const {
    return db != Db::kPrivate && m.lock_owner != nullptr && m.lock_owner != this;
  }

  // ---- Execute ---------------------------------------------------------------------------

  CommandResult Execute(std::string_view line, size_t prompt) {
    prompt_len = prompt;
    last_active = Now();
    pending_load.reset();
    if (std::optional<Outcome> bad = ControlByte(line)) return Finish(std::move(*bad), {});
    std::vector<size_t> offsets;
    std::vector<std::string> parts = cli::SplitPipes(line, &offsets);
    std::vector<Pipe> pipes;
    for (size_t i = 1; i < parts.size(); ++i) {
      Pipe p;
      cli::PipeError err;
      if (!cli::ParsePipe(parts[i], &p, &err)) {
        return Finish(CaretError(offsets[i] + err.pos, err.message), {});
      }
      pipes.push_back(std::move(p));
    }
    Tokens t = cli::Tokenize(parts[0]);
    for (Token& tok : t.words) tok.pos += offsets[0];
    if (t.unterminated_quote) {
      return Finish(CaretError(offsets[0] + parts[0].size(), "syntax error: unterminated quote"),
                    {});
    }
    if (t.words.empty()) {
      if (!pipes.empty()) return Finish(CaretError(0, "syntax error, expecting <command>."), {});
      return CommandResult{};
    }
    Outcome o = mode == Mode::kOperational
                    ? Operational(t.words, offsets[0] + parts[0].size(), pipes, false)
                    : Configuration(parts[0], offsets[0], t.words, pipes);
    return Finish(std::move(o), pipes);
  }

  // Control bytes are refused in every command line before any word is looked at, as the
  // parser refuses them in configuration text: a NUL or ESC typed into a host-name or a
  // commit comment would reach files, logs and other users' terminals.
  std::optional<Outcome> ControlByte(std::string_view line) {
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      if ((c >= 0x20 && c != 0x7f) || c == '\t' || c == '\r' || c == '\n') continue;
      static const char kHex[] = "0123456789abcdef";
      std::string message = "syntax error: invalid character \\x";
      message += kHex[c >> 4];
      message += kHex[c & 15];
      if (interactive) return CaretError(i, message);
      // The parser's message also names the word around the byte.
      StatusOr<std::vector<std::string>> split = config::SplitWords(line);
      return Error(split.ok() ? message : split.status().message());
    }
    return std::nullopt;
  }

  CommandResult Finish(Outcome o, const std::vector<Pipe>& pipes) {
    if (o.background) {
      CommandResult r;
      r.background = std::move(o.background);
      r.finish = [this, pipes, filterable = o.filterable](std::string text) {
        Outcome done;
        done.text = std::move(text);
        done.filterable = filterable;
        return Finish(std::move(done), pipes);
      };
      return r;
    }
    CommandResult r;
    r.ok = o.ok;
    r.quit = o.quit;
    r.wants_terminal = o.wants_terminal;
    if (o.ok && o.filterable && !pipes.empty()) {
      StatusOr<std::string> filtered = cli::FilterOutput(std::move(o.text), pipes);
      if (!filtered.ok()) {
        r.ok = false;
        r.output = EnsureNewline(filtered.status().message());
        return r;
      }
      r.output = std::move(*filtered);
    } else {
      r.output = std::move(o.text);
    }
    return r;
  }

  static bool HasPipe(const std::vector<Pipe>& pipes, Pipe::Kind kind, const Pipe** found) {
    for (const Pipe& p : pipes) {
      if (p.kind == kind) {
        if (found) *found = &p;
        return true;
      }
    }
    return false;
  }

  // ---- operational mode ------------------------------------------------------------------

  Outcome Operational(const std::vector<Token>& w, size_t end_pos, const std::vector<Pipe>& pipes,
                      bool from_run) {
    Outcome err;
    int k = Match(w, 0, end_pos, cli::OperationalWords(), true, &err);
    if (k < 0) return err;
    std::string_view cmd = cli::OperationalWords()[k].word;
    if (cmd == "exit" || cmd == "quit") {
      if (w.size() > 1) return CaretError(w[1].pos, "syntax error: " + w[1].text);
      if (from_run) return CaretError(w[0].pos, "error: use 'exit configuration-mode'");
      Outcome o;
      o.quit = true;
      return o;
    }
    if (cmd == "configure") {
      if (from_run) return CaretError(w[0].pos, "error: already in configuration mode");
      return Configure(w, end_pos);
    }
    if (cmd == "set") return SetCli(w, end_pos);
    if (const cli::CommandNode* node = cli::ForwardingNode(cmd)) {
      return Forwarding(*node, w, 1, end_pos);
    }
    // show
    k = Match(w, 1, end_pos, cli::ShowWords(), false, &err);
    if (k < 0) return err;
    std::string_view what = cli::ShowWords()[k].word;
    if (const cli::CommandNode* node = cli::ForwardingNode("show", what)) {
      return Forwarding(*node, w, 2, end_pos);
    }
    if (what == "version") {
      if (w.size() > 2) return CaretError(w[2].pos, "syntax error: " + w[2].text);
      Outcome o;
      o.text = cli::FormatVersion(m.HostName());
      return o;
    }
    if (what == "configuration") return ShowConfiguration(w, 2, pipes);
    // show system ...
    k = Match(w, 2, end_pos, cli::ShowSystemWords(), false, &err);
    if (k < 0) return err;
    std::string_view sys = cli::ShowSystemWords()[k].word;
    if (const cli::CommandNode* node = cli::ForwardingNode("system", sys)) {
      return Forwarding(*node, w, 3, end_pos);
    }
    if (sys == "commit") {
      if (w.size() > 3) return CaretError(w[3].pos, "syntax error: " + w[3].text);
      Outcome o;
      o.text = cli::FormatSystemCommit(m.engine->History(), m.engine->ConfirmDeadline(), Now(),
                                       config::CommitEngine::MinuteSeconds());
      return o;
    }
    if (sys == "uptime") {
      if (w.size() > 3) return CaretError(w[3].pos, "syntax error: " + w[3].text);
      return ShowUptime();
    }
    return ShowSystemRollback(w, end_pos, pipes);
  }

  // The forwarding engine's commands (show_commands.h): `node` is the node of w[first - 1].
  Outcome Forwarding(const cli::CommandNode& node, const std::vector<Token>& w, size_t first,
                     size_t end_pos) {
    cli::ParsedCommand cmd;
    cli::ParseError perr;
    if (!cli::ParseForwarding(node, w, first, end_pos, &cmd, &perr)) {
      return CaretError(perr.pos.value_or(end_pos), perr.message);
    }
    cli::ForwardingResult r = cli::RunForwardingCommand(cmd, m.options.control);
    if (!r.ok) return Error(r.text);
    Outcome o;
    o.text = std::move(r.text);
    o.background = std::move(r.background);
    return o;
  }

  Outcome SetCli(const std::vector<Token>& w, size_t end_pos) {
    static const std::vector<Word> kCli = {{"cli", "Set CLI properties"}};
    Outcome err;
    if (Match(w, 1, end_pos, kCli, false, &err) < 0) return err;
    int k = Match(w, 2, end_pos, cli::SetCliWords(), false, &err);
    if (k < 0) return err;
    std::string_view what = cli::SetCliWords()[k].word;
    if (w.size() < 4) return CaretError(end_pos, "syntax error, expecting <value>.");
    if (w.size() > 4) return CaretError(w[4].pos, "syntax error: " + w[4].text);
    Outcome o;
    int n = 0;
    if (what == "complete-on-space") {
      if (w[3].text == "off") {
        o.text = "Disabling complete-on-space\n";
      } else if (w[3].text == "on") {
        o.text = "Enabling complete-on-space\n";
      } else {
        return CaretError(w[3].pos, "syntax error, expecting on or off: " + w[3].text);
      }
      return o;
    }
    if (!ParseNumber(w[3].text, &n)) {
      return CaretError(w[3].pos, "syntax error, expecting <number>: " + w[3].text);
    }
    // There is no pager and the client wraps nothing; accepted for scripts that set them.
    o.text = std::string(what == "screen-length" ? "Screen length" : "Screen width") +
             " set to " + std::to_string(n) + "\n";
    return o;
  }

  Outcome ShowUptime() {
    cli::UptimeInput in;
    in.now = Now();
    struct sysinfo si;
    in.booted = sysinfo(&si) == 0 ? in.now - si.uptime : m.start_time;
    in.protocols_started = m.start_time;
    const auto& history = m.engine->History();
    if (!history.empty()) in.last_commit = &history[0];
    in.users = m.SessionCount();
    double load[3];
    if (getloadavg(load, 3) == 3) {
      for (int i = 0; i < 3; ++i) in.load[i] = load[i];
    }
    Outcome o;
    o.text = cli::FormatUptime(in);
    return o;
  }

  Outcome ShowSystemRollback(const std::vector<Token>& w, size_t end_pos,
                             const std::vector<Pipe>& pipes) {
    int n = 0;
    if (w.size() < 4) return CaretError(end_pos, "syntax error, expecting <number>.");
    if (!ParseNumber(w[3].text, &n) || n > 49) {
      return CaretError(w[3].pos, "syntax error, expecting <number>: " + w[3].text);
    }
    StatusOr<std::unique_ptr<Node>> rb = m.engine->Rollback(n);
    if (!rb.ok()) return Error(rb.status().message());
    if (w.size() > 4) {
      static const std::vector<Word> kCompare = {
          {"compare", "Compare with other rollback file"}};
      Outcome err;
      if (Match(w, 4, end_pos, kCompare, false, &err) < 0) return err;
      int other = 0;
      if (w.size() < 6) return CaretError(end_pos, "syntax error, expecting <number>.");
      if (!ParseNumber(w[5].text, &other) || other > 49) {
        return CaretError(w[5].pos, "syntax error, expecting <number>: " + w[5].text);
      }
      if (w.size() > 6) return CaretError(w[6].pos, "syntax error: " + w[6].text);
      StatusOr<std::unique_ptr<Node>> rb2 = m.engine->Rollback(other);
      if (!rb2.ok()) return Error(rb2.status().message());
      Outcome o;
      o.text = config::Compare(**rb, **rb2);
      return o;
    }
    std::string header;
    const auto& history = m.engine->History();
    if (static_cast<size_t>(n) < history.size()) {
      header = "## Last commit: " + cli::FormatTime(history[n].time) + " by " +
               history[n].user + "\n";
    }
    return RenderConfig(**rb, {}, pipes, header);
  }

  // show configuration [path...] [| display set|inheritance] [| compare rollback N]
  Outcome ShowConfiguration(const std::vector<Token>& w, size_t first,
                            const std::vector<Pipe>& pipes) {
    std::vector<std::string> path;
    for (size_t i = first; i < w.size(); ++i) path.push_back(w[i].text);
    cli::PathWalk walk = cli::WalkPath(root_schema(), &m.running(), path);
    if (!walk.ok) return PathError(walk, path, 0, w, first);
    const Pipe* cmp = nullptr;
    if (HasPipe(pipes, Pipe::Kind::kCompare, &cmp)) {
      int n = cmp->number < 0 ? 1 : cmp->number;
      StatusOr<std::unique_ptr<Node>> rb = m.engine->Rollback(n);
      if (!rb.ok()) return Error(rb.status().message());
      Outcome o;
      o.text = FilterDiff(config::Compare(**rb, m.running()), walk.words);
      return o;
    }
    std::string header;
    const auto& history = m.engine->History();
    if (path.empty() && !history.empty()) {
      header = "## Last commit: " + cli::FormatTime(history[0].time) + " by " + history[0].user +
               "\n";
    }
    return RenderConfig(m.running(), walk.words, pipes, header);
  }

  // Prints `root` or its subtree at `path` (expanded words) in curly or set form.
  Outcome RenderConfig(const Node& root, const std::vector<std::string>& path,
                       const std::vector<Pipe>& pipes, const std::string& header) {
    bool set_form = HasPipe(pipes, Pipe::Kind::kDisplaySet, nullptr);
    bool inheritance = HasPipe(pipes, Pipe::Kind::kDisplayInheritance, nullptr);
    std::unordered_map<const Node*, std::string> origin;
    std::unique_ptr<Node> expanded;
    const Node* tree = &root;
    if (inheritance) {
      StatusOr<std::unique_ptr<Node>> e = config::ExpandForDisplay(root, &origin);
      if (!e.ok()) return Error(e.status().message());
      expanded = std::move(*e);
      tree = expanded.get();
    }
    config::PrintOptions opts;
    if (inheritance) opts.inherited_from = &origin;
    cli::PathWalk walk = cli::WalkPath(root_schema(), tree, path);
    Outcome o;
    if (!walk.ok) return Error(walk.error);
    if (walk.state == cli::PathWalk::State::kNeedKey) {
      return Error("syntax error, expecting <" + walk.schema->key_name + ">.");
    }
    if (walk.state == cli::PathWalk::State::kContainer) {
      if (!walk.data) return o;
      if (set_form) {
        o.text = config::PrintSet(*walk.data);
      } else {
        o.text = (path.empty() ? header : "") + config::PrintCurly(*walk.data, opts);
      }
      return o;
    }
    // A leaf or leaf-list: print the statement itself.
    if (!walk.data) return o;
    std::vector<Node*> items = walk.data->All(walk.schema);
    if (walk.state == cli::PathWalk::State::kLeafDone && walk.schema->is_leaf_list()) {
      // `show ... apply-groups g1`: just that element.
      std::vector<Node*> one;
      for (Node* n : items) {
        if (n->value() == walk.words.back()) one.push_back(n);
      }
      items = one;
    }
    if (items.empty()) return o;
    if (set_form) {
      for (Node* n : items) o.text += config::PrintSet(*n);
      return o;
    }
    Node holder(walk.data->schema(), walk.data->value());
    for (Node* n : items) holder.Append(n->Clone());
    o.text = config::PrintCurly(holder, opts);
    return o;
  }

  // ---- configure / leaving configuration mode ------------------------------------------

  Outcome Configure(const std::vector<Token>& w, size_t end_pos) {
    Db kind = Db::kShared;
    if (w.size() > 1) {
      Outcome err;
      int k = Match(w, 1, end_pos, cli::ConfigureWords(), false, &err);
      if (k < 0) return err;
      kind = cli::ConfigureWords()[k].word == "private" ? Db::kPrivate : Db::kExclusive;
      if (w.size() > 2) return CaretError(w[2].pos, "syntax error: " + w[2].text);
    }
    std::string others = EditorsText(false);
    Outcome o;
    if (kind == Db::kExclusive) {
      if (m.lock_owner) return Error(LockedByText());
      bool others_editing = false;
      for (const SessionRegistry* s : m.sessions) {
        if (s != this && s->InConfigMode() && !s->Editor().private_db) others_editing = true;
      }
      if (others_editing && m.CandidateModified()) {
        return Error("error: configuration database modified\n"
                     "Users currently editing the configuration:\n" + others);
      }
      m.lock_owner = this;
      o.text = "warning: uncommitted changes will be discarded on exit\n";
    } else if (kind == Db::kPrivate) {
      if (m.CandidateModified()) {
        std::string text = "error: shared configuration database modified\n";
        if (!others.empty()) text += "Users currently editing the configuration:\n" + others;
        return Error(text);
      }
      private_base = m.running().Clone();
      private_candidate = m.running().Clone();
      private_generation = m.generation;
      private_changed = Now();
      o.text = "warning: uncommitted changes will be discarded on exit\n";
    }
    o.text += "Entering configuration mode\n";
    if (!others.empty()) o.text += "Users currently editing the configuration:\n" + others;
    if (kind != Db::kPrivate && m.CandidateModified()) {
      o.text += "The configuration has been changed but not committed\n";
    }
    mode = Mode::kConfig;
    db = kind;
    edit_path.clear();
    edit_stack.clear();
    config_since = Now();
    return o;
  }

  // Leaves configuration mode; appends the Junos messages to `text` (may be null).
  void LeaveConfig(std::string* text) {
    std::string out;
    bool modified = Modified();
    if (modified) out += "The configuration has been changed but not committed\n";
    if (db == Db::kExclusive) {
      if (modified) {
        out += "warning: Auto rollback on exiting 'configure exclusive'\n"
               "warning: discarding uncommitted changes\n";
        m.ResetCandidate();
        out += "load complete\n";
      }
      m.lock_owner = nullptr;
    } else if (db == Db::kPrivate) {
      if (modified) out += "warning: discarding uncommitted changes\n";
      private_base.reset();
      private_candidate.reset();
    }
    out += "Exiting configuration mode\n";
    mode = Mode::kOperational;
    db = Db::kShared;
    edit_path.clear();
    edit_stack.clear();
    if (text) *text += out;
  }

  // ---- configuration mode ----------------------------------------------------------------

  Outcome Configuration(const std::string& command, size_t offset, const std::vector<Token>& w,
                        const std::vector<Pipe>& pipes) {
    size_t end_pos = offset + command.size();
    Outcome err;
    int k = Match(w, 0, end_pos, cli::ConfigWords(), true, &err);
    if (k < 0) return err;
    std::string verb(cli::ConfigWords()[k].word);
    if (verb == "run") {
      std::vector<Token> rest(w.begin() + 1, w.end());
      if (rest.empty()) return CaretError(end_pos, "syntax error, expecting <command>.");
      return Operational(rest, end_pos, pipes, true);
    }
    if (verb == "show") return ConfigShow(w, pipes);
    if (verb == "status") {
      Outcome o;
      o.text = "Users currently editing the configuration:\n" + EditorsText(true);
      return o;
    }
    if (verb == "exit" || verb == "quit") {
      if (w.size() > 1) {
        static const std::vector<Word> kExit = {
            {"configuration-mode", "Exit from configuration mode"}};
        if (Match(w, 1, end_pos, kExit, false, &err) < 0) return err;
        if (w.size() > 2) return CaretError(w[2].pos, "syntax error: " + w[2].text);
        Outcome o;
        LeaveConfig(&o.text);
        return o;
      }
      Outcome o;
      if (!edit_stack.empty()) {
        edit_path = edit_stack.back();
        edit_stack.pop_back();
      } else if (!edit_path.empty()) {
        edit_path.clear();
      } else {
        LeaveConfig(&o.text);
      }
      return o;
    }
    if (verb == "top") {
      edit_path.clear();
      edit_stack.clear();
      if (w.size() > 1) {
        // `top set ...`, `top show ...`: run the command at the top level.
        std::vector<Token> rest(w.begin() + 1, w.end());
        size_t at = w[1].pos - offset;
        return Configuration(command.substr(at), w[1].pos, rest, pipes);
      }
      return Outcome{};
    }
    if (verb == "up") return Up(w, end_pos);
    if (verb == "edit") return Edit(w, end_pos);
    if (verb == "commit") return Commit(w, end_pos);
    if (verb == "rollback") return RollbackCmd(w, end_pos);
    if (verb == "load") return LoadCmd(w, end_pos);
    if (verb == "update") return Update(w);
    return EditCommand(verb, command, offset, w);
  }

  // set, delete, activate, deactivate, annotate, insert, rename, copy, protect, unprotect.
  Outcome EditCommand(const std::string& verb, const std::string& command, size_t offset,
                      const std::vector<Token>& tokens) {
    if (LockedOut()) return Error(LockedByText());
    StatusOr<std::vector<std::string>> split = config::SplitWords(command);
    if (!split.ok()) return Error(split.status().message());
    std::vector<std::string> words = std::move(*split);
    if (words.size() < 2) {
      return CaretError(offset + command.size(), "syntax error, expecting <statement>.");
    }
    words[0] = verb;
    // Path commands: expand abbreviated keywords; a walk error gets a caret when the walker
    // and the parser agree on the words, else the parser's own message below.
    bool path_command = verb == "set" || verb == "delete" || verb == "activate" ||
                        verb == "deactivate" || verb == "protect" || verb == "unprotect";
    if (path_command) {
      std::vector<std::string> full = edit_path;
      full.insert(full.end(), words.begin() + 1, words.end());
      cli::PathWalk walk = cli::WalkPath(root_schema(), &Candidate(), full);
      if (walk.ok) {
        std::vector<std::string> expanded = {verb};
        expanded.insert(expanded.end(), walk.words.begin() + edit_path.size(), walk.words.end());
        words = std::move(expanded);
      } else if (walk.error_index >= edit_path.size() && interactive &&
                 tokens.size() == words.size()) {
        return CaretError(tokens[walk.error_index - edit_path.size() + 1].pos, walk.error);
      } else if (walk.error_index >= edit_path.size() && walk.error_index < full.size()) {
        if (std::optional<std::string> amb = AmbiguousPath(walk, full)) return Error(*amb);
        // The parser reports the bad word and what it expected; give it the keywords the
        // walker already expanded so that it stops at the same word.
        std::vector<std::string> expanded = {verb};
        expanded.insert(expanded.end(), walk.words.begin() + edit_path.size(), walk.words.end());
        expanded.insert(expanded.end(), full.begin() + walk.error_index, full.end());
        words = std::move(expanded);
      }
    }
    std::vector<std::string> warnings;
    Status st = config::ExecuteEdit(Candidate(), edit_path, words, &warnings);
    Outcome o;
    for (const std::string& wtext : warnings) o.text += EnsureNewline(wtext);
    if (!st.ok()) {
      o.text += EnsureNewline(st.message());
      o.ok = false;
      o.filterable = false;
      return o;
    }
    Touched();
    return o;
  }

  Outcome Up(const std::vector<Token>& w, size_t end_pos) {
    int n = 1;
    if (w.size() > 1) {
      if (!ParseNumber(w[1].text, &n) || n < 1) {
        return CaretError(w[1].pos, "syntax error, expecting <number>: " + w[1].text);
      }
      if (w.size() > 2) return CaretError(w[2].pos, "syntax error: " + w[2].text);
    }
    (void)end_pos;
    cli::PathWalk walk = cli::WalkPath(root_schema(), &Candidate(), edit_path);
    std::vector<size_t> ends = walk.level_ends;
    size_t levels = ends.size();
    size_t keep = levels > static_cast<size_t>(n) ? ends[levels - n - 1] : 0;
    edit_path.resize(keep);
    return Outcome{};
  }

  Outcome Edit(const std::vector<Token>& w, size_t end_pos) {
    if (w.size() < 2) return CaretError(end_pos, "syntax error, expecting <statement>.");
    std::vector<std::string> full = edit_path;
    for (size_t i = 1; i < w.size(); ++i) full.push_back(w[i].text);
    cli::PathWalk walk = cli::WalkPath(root_schema(), &Candidate(), full);
    if (!walk.ok) return PathError(walk, full, edit_path.size(), w, 1);
    if (walk.state == cli::PathWalk::State::kNeedKey) {
      return CaretError(end_pos, "syntax error, expecting <" +
                                     (walk.schema->key_name.empty() ? std::string("name")
                                                                    : walk.schema->key_name) +
                                     ">.");
    }
    if (walk.state != cli::PathWalk::State::kContainer) {
      return CaretError(w.back().pos, "syntax error: " + w.back().text);
    }
    edit_stack.push_back(edit_path);
    edit_path = walk.words;
    return Outcome{};
  }

  Outcome ConfigShow(const std::vector<Token>& w, const std::vector<Pipe>& pipes) {
    std::vector<std::string> full = edit_path;
    for (size_t i = 1; i < w.size(); ++i) full.push_back(w[i].text);
    cli::PathWalk walk = cli::WalkPath(root_schema(), &Candidate(), full);
    if (!walk.ok) return PathError(walk, full, edit_path.size(), w, 1);
    const Pipe* cmp = nullptr;
    if (HasPipe(pipes, Pipe::Kind::kCompare, &cmp)) {
      std::unique_ptr<Node> old;
      if (cmp->number >= 0) {
        StatusOr<std::unique_ptr<Node>> rb = m.engine->Rollback(cmp->number);
        if (!rb.ok()) return Error(rb.status().message());
        old = std::move(*rb);
      }
      Outcome o;
      o.text = FilterDiff(config::Compare(old ? *old : m.running(), Candidate()), walk.words);
      return o;
    }
    std::string header;
    if (walk.words.empty()) {
      int64_t changed = db == Db::kPrivate ? private_changed : m.candidate_changed;
      if (changed > 0) header = "## Last changed: " + cli::FormatTime(changed) + "\n";
    }
    return RenderConfig(Candidate(), walk.words, pipes, header);
  }

  // ---- commit / rollback / load ----------------------------------------------------------

  Outcome Commit(const std::vector<Token>& w, size_t end_pos) {
    config::CommitRequest req;
    req.user = user;
    req.client = "cli";
    bool and_quit = false;
    for (size_t i = 1; i < w.size(); ++i) {
      Outcome err;
      int k = Match(w, i, end_pos, cli::CommitWords(), false, &err);
      if (k < 0) return err;
      std::string_view opt = cli::CommitWords()[k].word;
      if (opt == "and-quit") {
        and_quit = true;
      } else if (opt == "check") {
        req.check_only = true;
      } else if (opt == "comment") {
        if (i + 1 >= w.size()) return CaretError(end_pos, "syntax error, expecting <comment>.");
        req.comment = w[++i].text;
      } else {  // confirmed [minutes]
        int minutes = 10;
        if (i + 1 < w.size() && ParseNumber(w[i + 1].text, &minutes)) {
          ++i;
          if (minutes < 1 || minutes > 65535) {
            return CaretError(w[i].pos, "error: value is not within range (1..65535)");
          }
        }
        req.confirmed_minutes = minutes;
      }
    }
    if (LockedOut()) return Error(LockedByText());
    StatusOr<std::vector<std::string>> result = Status::Ok();
    if (db == Db::kPrivate) {
      if (!edit_path.empty()) {
        return Error("error: commit must be issued from the top of the configuration in "
                     "private mode");
      }
      if (req.confirmed_minutes) {
        return Error("error: 'commit confirmed' is not supported in private mode");
      }
      if (m.lock_owner) return Error(LockedByText());
      if (m.CandidateModified()) return Error("error: shared configuration database modified");
      std::unique_ptr<Node> merged;
      const Node* tree = private_candidate.get();
      if (private_generation != m.generation) {
        // Someone committed since this private copy was taken: replay our changes on top.
        std::string patch = config::Compare(*private_base, *private_candidate);
        merged = m.running().Clone();
        Status st = config::ApplyPatch(*merged, patch);
        if (!st.ok()) {
          return Error("error: configuration database modified\nmerge conflict: " +
                       st.message() + "\nerror: configuration check-out failed");
        }
        tree = merged.get();
      }
      result = m.Commit(*tree, req);
      if (result.ok() && !req.check_only) {
        private_base = m.running().Clone();
        private_candidate = m.running().Clone();
        private_generation = m.generation;
      }
    } else {
      result = m.Commit(*m.candidate, req);
    }
    if (!result.ok()) {
      std::string msg = EnsureNewline(result.status().message());
      if (msg.find("check-out failed") == std::string::npos) {
        msg += "error: configuration check-out failed\n";
      }
      return Error(msg);
    }
    Outcome o;
    for (const std::string& l : *result) o.text += EnsureNewline(l);
    if (and_quit && !req.check_only) LeaveConfig(&o.text);
    return o;
  }

  Outcome RollbackCmd(const std::vector<Token>& w, size_t end_pos) {
    (void)end_pos;
    int n = 0;
    if (w.size() > 1 && (!ParseNumber(w[1].text, &n) || n > 49)) {
      return CaretError(w[1].pos, "syntax error, expecting <number>: " + w[1].text);
    }
    if (w.size() > 2) return CaretError(w[2].pos, "syntax error: " + w[2].text);
    if (LockedOut()) return Error(LockedByText());
    StatusOr<std::unique_ptr<Node>> rb = m.engine->Rollback(n);
    if (!rb.ok()) return Error(rb.status().message());
    ReplaceCandidate(std::move(*rb));
    Outcome o;
    o.text = "load complete\n";
    return o;
  }

  void ReplaceCandidate(std::unique_ptr<Node> tree) {
    if (db == Db::kPrivate) {
      private_candidate = std::move(tree);
    } else {
      m.candidate = std::move(tree);
    }
    Touched();
  }

  Outcome Update(const std::vector<Token>& w) {
    if (w.size() > 1) return CaretError(w[1].pos, "syntax error: " + w[1].text);
    if (db != Db::kPrivate) return Error("error: update is only valid in private mode");
    std::string patch = config::Compare(*private_base, *private_candidate);
    std::unique_ptr<Node> merged = m.running().Clone();
    Status st = config::ApplyPatch(*merged, patch);
    if (!st.ok()) return Error("error: merge conflict: " + st.message());
    private_base = m.running().Clone();
    private_candidate = std::move(merged);
    private_generation = m.generation;
    Outcome o;
    o.text = "load complete\n";
    return o;
  }

  Outcome LoadCmd(const std::vector<Token>& w, size_t end_pos) {
    Outcome err;
    int k = Match(w, 1, end_pos, cli::LoadWords(), false, &err);
    if (k < 0) return err;
    PendingLoad load;
    load.kind = std::string(cli::LoadWords()[k].word);
    if (w.size() < 3) return CaretError(end_pos, "syntax error, expecting <filename>.");
    size_t i = 3;
    if (i < w.size()) {
      static const std::vector<Word> kRelative = {
          {"relative", "Load configuration relative to current edit level"}};
      if (Match(w, i, end_pos, kRelative, false, &err) < 0) return err;
      load.relative = true;
      ++i;
    }
    if (i < w.size()) return CaretError(w[i].pos, "syntax error: " + w[i].text);
    if (LockedOut()) return Error(LockedByText());
    if (w[2].text == "terminal" && !w[2].quoted) {
      pending_load = load;
      Outcome o;
      o.text = "[Type ^D at a new line to end input]\n";
      o.wants_terminal = true;
      o.filterable = false;
      return o;
    }
    bool ok = false;
    std::string text = ReadFile(w[2].text, &ok);
    if (!ok) return Error("error: could not open configuration file '" + w[2].text + "'");
    return DoLoad(load, text, w[2].text);
  }

  // An empty (or blank, or comment-only) file or paste is almost always a mistake: a
  // truncated copy, the wrong path. Loading it would do nothing for merge but wipe the
  // candidate for override, so every mode refuses it and changes nothing.
  static Outcome NothingToLoad(const std::string& source) {
    Outcome o;
    o.text = "error: " + source + ": no configuration statements; nothing loaded\n";
    o.ok = false;
    o.filterable = false;
    return o;
  }
  static bool HasSetCommands(std::string_view text) {
    bool line_start = true;
    for (char c : text) {
      if (c == '\n') {
        line_start = true;
      } else if (line_start && c != ' ' && c != '\t' && c != '\r') {
        if (c != '#') return true;
        line_start = false;  // a comment: skip to the next line
      }
    }
    return false;
  }

  Outcome DoLoad(const PendingLoad& load, std::string_view text, const std::string& source) {
    if (LockedOut()) return Error(LockedByText());
    if (load.kind == "set" && !HasSetCommands(text)) return NothingToLoad(source);
    std::vector<std::string> level = load.relative ? edit_path : std::vector<std::string>{};
    // A whole-configuration override replaces everything: start from an empty tree rather than
    // copying a candidate that would be thrown away (100k lines: tens of ms).
    const bool whole = level.empty() && (load.kind == "override" || load.kind == "update");
    std::unique_ptr<Node> work = whole ? std::make_unique<Node>(Candidate().schema())
                                       : Candidate().Clone();
    std::vector<std::string> warnings;
    Status st = Status::Ok();
    if (load.kind == "set") {
      st = config::LoadSet(*work, level, text, source, &warnings);
    } else if (load.kind == "patch") {
      st = config::ApplyPatch(*work, text);
    } else {
      Node* target = work.get();
      if (!level.empty()) {
        std::vector<std::string> words = {"set"};
        words.insert(words.end(), level.begin(), level.end());
        st = config::ExecuteEdit(*work, {}, words, &warnings);
        if (st.ok()) {
          StatusOr<Node*> r = config::Resolve(*work, level);
          if (!r.ok()) {
            st = r.status();
          } else if (*r == nullptr) {
            st = Status::Error("error: cannot load relative to " + EditBanner());
          } else {
            target = *r;
          }
        }
      }
      if (st.ok()) {
        StatusOr<std::unique_ptr<Node>> parsed =
            config::ParseCurly(*target->schema(), text, source);
        if (!parsed.ok()) {
          st = parsed.status();
        } else if ((*parsed)->empty()) {
          return NothingToLoad(source);
        } else {
          config::LoadMode mode = load.kind == "merge"      ? config::LoadMode::kMerge
                                  : load.kind == "override" ? config::LoadMode::kOverride
                                  : load.kind == "replace"  ? config::LoadMode::kReplace
                                                            : config::LoadMode::kUpdate;
          st = config::Load(*target, **parsed, mode);
        }
      }
    }
    Outcome o;
    for (const std::string& wtext : warnings) o.text += EnsureNewline(wtext);
    if (!st.ok()) {
      o.text += EnsureNewline(st.message());
      o.ok = false;
      o.filterable = false;
      return o;
    }
    ReplaceCandidate(std::move(work));
    o.text += "load complete\n";
    return o;
  }

  CommandResult TerminalInput(std::string_view text) {
    last_active = Now();
    CommandResult r;
    if (!pending_load || mode != Mode::kConfig) {
      r.ok = false;
      r.output = "error: no load in progress\n";
      return r;
    }
    PendingLoad load = *pending_load;
    pending_load.reset();
    Outcome o = DoLoad(load, text, "terminal");
    r.ok = o.ok;
    r.output = std::move(o.text);
    return r;
  }

  // ---- completion ------------------------------------------------------------------------

  static void AddWords(const std::vector<Word>& table, const std::string& partial,
                       CompletionResult* out) {
    for (const Word& w : table) {
      if (w.word.substr(0, partial.size()) == partial) {
        out->candidates.push_back({std::string(w.word), std::string(w.help), false});
      }
    }
  }

  // Walks `words` (all complete) through a fixed word table; returns the index or sets the
  // error.
  static int Step(const std::vector<std::string>& words, size_t i, const std::vector<Word>& table,
                  CompletionResult* out) {
    int k = cli::MatchWord(words[i], table);
    if (k == -2) {
      out->error = "'" + words[i] + "' is ambiguous.";
    } else if (k < 0) {
      out->error = i == 0 ? "unknown command." : "syntax error, expecting <command>.";
    }
    return k;
  }

  CompletionResult Complete(std::string_view line) {
    last_active = Now();
    CompletionResult out;
    std::vector<std::string> parts = cli::SplitPipes(line, nullptr);
    std::string_view tail = parts.size() > 1 ? std::string_view(parts.back()) : line;
    if (parts.size() > 1) {
      // Re-take the raw tail so a trailing space survives.
      size_t bar = line.rfind('|');
      tail = line.substr(bar + 1);
    }
    Tokens t = cli::Tokenize(tail);
    std::vector<std::string> words;
    for (const Token& tok : t.words) words.push_back(tok.text);
    std::string partial;
    if (!t.trailing_space && !words.empty()) {
      partial = words.back();
      words.pop_back();
    }
    if (parts.size() > 1) {
      CompletePipe(words, partial, &out);
    } else if (mode == Mode::kOperational) {
      CompleteOperational(words, 0, partial, &out);
    } else {
      CompleteConfig(words, partial, &out);
    }
    if (out.error.empty() && out.candidates.empty()) out.error = "No valid completions";
    return out;
  }

  void CompletePipe(const std::vector<std::string>& words, const std::string& partial,
                    CompletionResult* out) {
    if (words.empty()) return AddWords(cli::PipeWords(), partial, out);
    int k = Step(words, 0, cli::PipeWords(), out);
    if (k < 0) return;
    std::string_view cmd = cli::PipeWords()[k].word;
    if (cmd == "display") {
      if (words.size() == 1) return AddWords(cli::DisplayWords(), partial, out);
      return;
    }
    if (cmd == "match" || cmd == "except") {
      if (words.size() == 1) {
        out->candidates.push_back({"<pattern>", "Pattern to match against", true});
      }
      return;
    }
    if (cmd == "last") {
      if (words.size() == 1) {
        out->candidates.push_back({"<lines>", "Number of lines to display", true});
      }
      return;
    }
    if (cmd == "compare") {
      static const std::vector<Word> kRb = {{"rollback", "Compare with a rollback configuration"}};
      if (words.size() == 1) return AddWords(kRb, partial, out);
      if (words.size() == 2) RollbackNumbers(partial, out);
    }
  }

  void RollbackNumbers(const std::string& partial, CompletionResult* out) {
    const auto& history = m.engine->History();
    for (size_t i = 0; i < history.size(); ++i) {
      std::string n = std::to_string(i);
      if (n.compare(0, partial.size(), partial) != 0) continue;
      out->candidates.push_back({n,
                                 cli::FormatTime(history[i].time) + " by " + history[i].user +
                                     " via " + history[i].client,
                                 false});
    }
  }

  void CompleteOperational(const std::vector<std::string>& words, size_t i,
                           const std::string& partial, CompletionResult* out) {
    if (words.size() == i) return AddWords(cli::OperationalWords(), partial, out);
    int k = Step(words, i, cli::OperationalWords(), out);
    if (k < 0) return;
    std::string_view cmd = cli::OperationalWords()[k].word;
    size_t n = words.size() - i;  // words typed including the command
    if (cmd == "configure") {
      if (n == 1) AddWords(cli::ConfigureWords(), partial, out);
      return;
    }
    if (cmd == "set") {
      static const std::vector<Word> kCli = {{"cli", "Set CLI properties"}};
      if (n == 1) return AddWords(kCli, partial, out);
      if (Step(words, i + 1, kCli, out) < 0) return;
      if (n == 2) return AddWords(cli::SetCliWords(), partial, out);
      return;
    }
    if (const cli::CommandNode* node = cli::ForwardingNode(cmd)) {
      return cli::CompleteForwarding(*node, {words.begin() + i + 1, words.end()}, partial, out);
    }
    if (cmd != "show") return;
    if (n == 1) return AddWords(cli::ShowWords(), partial, out);
    k = Step(words, i + 1, cli::ShowWords(), out);
    if (k < 0) return;
    std::string_view what = cli::ShowWords()[k].word;
    if (const cli::CommandNode* node = cli::ForwardingNode("show", what)) {
      return cli::CompleteForwarding(*node, {words.begin() + i + 2, words.end()}, partial, out);
    }
    if (what == "configuration") {
      std::vector<std::string> path(words.begin() + i + 2, words.end());
      cli::PathWalk walk = cli::WalkPath(root_schema(), &m.running(), path);
      if (!walk.ok) {
        out->error = walk.error;
        return;
      }
      out->candidates = cli::PathCompletions(walk, partial);
      return;
    }
    if (what != "system") return;
    if (n == 2) return AddWords(cli::ShowSystemWords(), partial, out);
    k = Step(words, i + 2, cli::ShowSystemWords(), out);
    if (k < 0) return;
    std::string_view sys = cli::ShowSystemWords()[k].word;
    if (const cli::CommandNode* node = cli::ForwardingNode("system", sys)) {
      return cli::CompleteForwarding(*node, {words.begin() + i + 3, words.end()}, partial, out);
    }
    if (cli::ShowSystemWords()[k].word == "rollback") {
      if (n == 3) return RollbackNumbers(partial, out);
      static const std::vector<Word> kCompare = {{"compare", "Compare with other rollback file"}};
      if (n == 4) return AddWords(kCompare, partial, out);
      if (n == 5) return RollbackNumbers(partial, out);
    }
  }

  void CompleteConfig(const std::vector<std::string>& words, const std::string& partial,
                      CompletionResult* out) {
    if (words.empty()) return AddWords(cli::ConfigWords(), partial, out);
    int k = Step(words, 0, cli::ConfigWords(), out);
    if (k < 0) return;
    std::string verb(cli::ConfigWords()[k].word);
    size_t n = words.size();
    if (verb == "run") return CompleteOperational(words, 1, partial, out);
    if (verb == "top") {
      std::vector<std::string> saved = edit_path;
      edit_path.clear();
      std::vector<std::string> rest(words.begin() + 1, words.end());
      CompleteConfig(rest, partial, out);
      edit_path = saved;
      return;
    }
    if (verb == "exit" || verb == "quit") {
      static const std::vector<Word> kExit = {
          {"configuration-mode", "Exit from configuration mode"}};
      if (n == 1) AddWords(kExit, partial, out);
      return;
    }
    if (verb == "up") {
      if (n == 1) out->candidates.push_back({"<number>", "Number of levels to move up", true});
      return;
    }
    if (verb == "rollback") {
      if (n == 1) RollbackNumbers(partial, out);
      return;
    }
    if (verb == "commit") {
      if (words.back() == "comment" || cli::MatchWord(words.back(), cli::CommitWords()) == 2) {
        out->candidates.push_back({"<comment>", "Message to accompany configuration commit", true});
        return;
      }
      AddWords(cli::CommitWords(), partial, out);
      if (cli::MatchWord(words.back(), cli::CommitWords()) == 3) {
        out->candidates.push_back({"<minutes>", "Number of minutes until rollback", true});
      }
      return;
    }
    if (verb == "load") {
      if (n == 1) return AddWords(cli::LoadWords(), partial, out);
      if (Step(words, 1, cli::LoadWords(), out) < 0) return;
      if (n == 2) {
        out->candidates.push_back({"<filename>", "Filename (URL, local, remote, or floppy)", true});
        static const std::vector<Word> kTerm = {{"terminal", "Use login terminal"}};
        return AddWords(kTerm, partial, out);
      }
      static const std::vector<Word> kRel = {
          {"relative", "Load configuration relative to current edit level"}};
      if (n == 3) AddWords(kRel, partial, out);
      return;
    }
    if (verb == "status" || verb == "update") return;
    // Path commands. insert/rename/copy: complete the path up to their keyword.
    std::vector<std::string> path = edit_path;
    for (size_t i = 1; i < n; ++i) {
      if ((verb == "insert" && (words[i] == "before" || words[i] == "after")) ||
          ((verb == "rename" || verb == "copy") && words[i] == "to")) {
        return;
      }
      path.push_back(words[i]);
    }
    cli::PathWalk walk = cli::WalkPath(root_schema(), &Candidate(), path);
    if (!walk.ok) {
      out->error = walk.error;
      return;
    }
    out->candidates = cli::PathCompletions(walk, partial);
  }
};

// ---- Session -----------------------------------------------------------------------------

Session::Session(Mgmt& mgmt, std::string user)
    : impl_(std::make_unique<Impl>(mgmt, std::move(user))) {}

Session::~Session() = default;

CommandResult Session::Execute(std::string_view line) {
  CommandResult r = Start(line);
  if (r.background) r = r.finish(r.background());
  return r;
}

CommandResult Session::Start(std::string_view line) {
  return impl_->Execute(line, Prompt().size());
}

CommandResult Session::TerminalInput(std::string_view text) { return impl_->TerminalInput(text); }

CompletionResult Session::Complete(std::string_view line) { return impl_->Complete(line); }

void Session::set_interactive(bool interactive) { impl_->interactive = interactive; }

std::string Session::Prompt() const {
  return impl_->user + "@" + impl_->m.HostName() +
         (impl_->mode == Impl::Mode::kConfig ? "# " : "> ");
}

std::string Session::Banner() const {
  return impl_->mode == Impl::Mode::kConfig ? impl_->EditBanner() : "";
}

}  // namespace sabina::mgmt
