#include "mgmt/cli/pipes.h"

#include <regex.h>

#include <cstdlib>

namespace sabina::mgmt::cli {

const std::vector<Word>& PipeWords() {
  static const std::vector<Word> kWords = {
      {"compare", "Compare configuration changes with prior version"},
      {"count", "Count occurrences"},
      {"display", "Show additional kinds of information"},
      {"except", "Show only text that does not match a pattern"},
      {"last", "Display end of output only"},
      {"match", "Show only text that matches a pattern"},
      {"no-more", "Don't paginate output"},
  };
  return kWords;
}

const std::vector<Word>& DisplayWords() {
  static const std::vector<Word> kWords = {
      {"inheritance", "Show inherited configuration data and source group"},
      {"set", "Show 'set' commands that create configuration"},
  };
  return kWords;
}

namespace {

bool Fail(PipeError* error, size_t pos, std::string message) {
  error->pos = pos;
  error->message = std::move(message);
  return false;
}

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

// Matches words[i] against a word list; fills error on a bad or ambiguous word.
int Expect(const Tokens& t, size_t i, size_t end_pos, const std::vector<Word>& words,
           PipeError* error) {
  if (i >= t.words.size()) {
    Fail(error, end_pos, "syntax error, expecting <command>.");
    return -1;
  }
  int m = MatchWord(t.words[i].text, words);
  if (m == -2) {
    Fail(error, t.words[i].pos, "'" + t.words[i].text + "' is ambiguous.");
    return -1;
  }
  if (m < 0) {
    Fail(error, t.words[i].pos, "syntax error, expecting <command>: " + t.words[i].text);
    return -1;
  }
  return m;
}

}  // namespace

bool ParsePipe(std::string_view text, Pipe* pipe, PipeError* error) {
  Tokens t = Tokenize(text);
  int m = Expect(t, 0, text.size(), PipeWords(), error);
  if (m < 0) return false;
  std::string_view cmd = PipeWords()[m].word;
  size_t args = t.words.size() - 1;
  auto extra = [&](size_t i) {
    return Fail(error, t.words[i].pos, "syntax error: " + t.words[i].text);
  };
  if (cmd == "match" || cmd == "except") {
    pipe->kind = cmd == "match" ? Pipe::Kind::kMatch : Pipe::Kind::kExcept;
    if (args == 0) return Fail(error, text.size(), "syntax error, expecting <pattern>.");
    if (args > 1) return extra(2);
    pipe->pattern = t.words[1].text;
    return true;
  }
  if (cmd == "count" || cmd == "no-more") {
    pipe->kind = cmd == "count" ? Pipe::Kind::kCount : Pipe::Kind::kNoMore;
    if (args > 0) return extra(1);
    return true;
  }
  if (cmd == "last") {
    pipe->kind = Pipe::Kind::kLast;
    if (args == 0) return Fail(error, text.size(), "syntax error, expecting <number>.");
    if (!ParseNumber(t.words[1].text, &pipe->number)) {
      return Fail(error, t.words[1].pos, "syntax error, expecting <number>: " + t.words[1].text);
    }
    if (args > 1) return extra(2);
    return true;
  }
  if (cmd == "display") {
    int d = Expect(t, 1, text.size(), DisplayWords(), error);
    if (d < 0) return false;
    pipe->kind = DisplayWords()[d].word == "set" ? Pipe::Kind::kDisplaySet
                                                 : Pipe::Kind::kDisplayInheritance;
    if (args > 1) return extra(2);
    return true;
  }
  // compare [rollback N]
  pipe->kind = Pipe::Kind::kCompare;
  pipe->number = -1;
  if (args == 0) return true;
  static const std::vector<Word> kCompareWords = {
      {"rollback", "Compare with a rollback configuration"}};
  if (Expect(t, 1, text.size(), kCompareWords, error) < 0) return false;
  if (args == 1) return Fail(error, text.size(), "syntax error, expecting <number>.");
  if (!ParseNumber(t.words[2].text, &pipe->number) || pipe->number > 49) {
    return Fail(error, t.words[2].pos, "syntax error, expecting <number>: " + t.words[2].text);
  }
  if (args > 2) return extra(3);
  return true;
}

namespace {

class Regex {
 public:
  Regex() = default;
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;
  ~Regex() {
    if (ok_) regfree(&re_);
  }
  Status Compile(const std::string& pattern) {
    int rc = regcomp(&re_, pattern.c_str(), REG_EXTENDED | REG_ICASE | REG_NOSUB);
    if (rc != 0) {
      char buf[256];
      regerror(rc, &re_, buf, sizeof buf);
      return Status::Error("error: invalid regular expression '" + pattern + "': " + buf);
    }
    ok_ = true;
    return Status::Ok();
  }
  bool Matches(std::string_view line) const {
    std::string s(line);
    return regexec(&re_, s.c_str(), 0, nullptr, 0) == 0;
  }

 private:
  regex_t re_;
  bool ok_ = false;
};

}  // namespace

StatusOr<std::string> FilterOutput(std::string text, const std::vector<Pipe>& pipes) {
  for (const Pipe& p : pipes) {
    switch (p.kind) {
      case Pipe::Kind::kMatch:
      case Pipe::Kind::kExcept: {
        Regex re;
        SABINA_RETURN_IF_ERROR(re.Compile(p.pattern));
        bool want = p.kind == Pipe::Kind::kMatch;
        std::string out;
        for (std::string_view line : Lines(text)) {
          if (re.Matches(line) == want) {
            out.append(line);
            out += '\n';
          }
        }
        text = std::move(out);
        break;
      }
      case Pipe::Kind::kCount:
        text = "Count: " + std::to_string(Lines(text).size()) + " lines\n";
        break;
      case Pipe::Kind::kLast: {
        std::vector<std::string_view> lines = Lines(text);
        size_t n = static_cast<size_t>(p.number);
        std::string out;
        for (size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i) {
          out.append(lines[i]);
          out += '\n';
        }
        text = std::move(out);
        break;
      }
      default:
        break;
    }
  }
  return text;
}

}  // namespace sabina::mgmt::cli
