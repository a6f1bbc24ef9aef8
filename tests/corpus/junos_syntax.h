// A schema-free reader and printer for Junos configuration text, used by the corpus test to
// check the SYNTAX level independently of the product's schema-driven parser: braces, `[ ]`
// lists, quoting, `#` comments, `/* */` annotations, tags, a missing `;` before `}`, empty `;`
// statements and `set`-style command lines mixed into curly text. It also gives every word its
// line:column, so that the test can check where the product's parser says a file went wrong.
//
// Deliberately independent of src/config: two implementations of the grammar facts of
// reference/junos-config.md sections 1-3 that must agree on the corpus.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sabina::corpus_test {

struct Word {
  std::string text;
  bool quoted = false;
  int line = 0;  // 1-based
  int col = 0;   // 1-based, bytes
};

// One statement. `words` is the statement's words (tags excluded); for a `[ ]` list the list
// elements are in `list`; for a block the sub-statements are in `children`. A command line
// (`set ...`, `delete ...`, ... at top level, one per text line) has is_command set and all its
// words (including the verb) in `words`.
struct Stmt {
  std::vector<std::string> tags;  // "inactive", "replace", ...
  std::string annotation;         // text between /* and */, if a comment precedes the statement
  std::vector<Word> words;
  bool has_list = false;
  std::vector<Word> list;
  bool has_block = false;
  std::vector<std::unique_ptr<Stmt>> children;
  bool is_command = false;
  Stmt* parent = nullptr;
  int line = 0;  // first line of the statement: its annotation, first tag or first word
};

struct SyntaxError {
  int line = 0;
  int col = 0;
  std::string message;
};

struct SyntaxResult {
  bool ok = true;
  SyntaxError error;
  Stmt root;  // has_block = true; its children are the top-level statements
  int prompt_noise_lines = 0;  // `{master:0}` style lines that were skipped
};

namespace internal {

inline bool IsWordChar(char c) {
  switch (c) {
    case ' ': case '\t': case '\f': case '\r': case '\n':
    case ';': case '{': case '}': case '[': case ']': case '"': case '#':
    case '(': case ')':
      return false;
    default:
      return true;
  }
}

enum class Tok { kWord, kQuoted, kLBrace, kRBrace, kLBracket, kRBracket, kSemi, kComment, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  int line = 0, col = 0;
  bool first_on_line = false;  // no other token before it on its line
  bool newline_after = false;  // filled lazily by the parser through peek
};

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  // Returns false and fills err on a lexical error.
  bool Next(Token* t, SyntaxError* err) {
    for (;;) {
      SkipBlanks();
      if (i_ >= s_.size()) {
        *t = Token{Tok::kEnd, "", line_, col(), false, false};
        return true;
      }
      char c = s_[i_];
      if (c == '#') {  // comment to end of line (also the trailing `## SECRET-DATA`)
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        continue;
      }
      break;
    }
    t->line = line_;
    t->col = col();
    t->first_on_line = !token_on_line_;
    token_on_line_ = true;
    char c = s_[i_];
    auto single = [&](Tok k) {
      t->kind = k;
      t->text = std::string(1, c);
      ++i_;
      return true;
    };
    switch (c) {
      case '{': return single(Tok::kLBrace);
      case '}': return single(Tok::kRBrace);
      case '[': return single(Tok::kLBracket);
      case ']': return single(Tok::kRBracket);
      case ';': return single(Tok::kSemi);
      case ')':
        *err = {t->line, t->col, "unexpected ')'"};
        return false;
      default: break;
    }
    if (c == '/' && i_ + 1 < s_.size() && s_[i_ + 1] == '*') {
      size_t end = s_.find("*/", i_ + 2);
      if (end == std::string_view::npos) {
        *err = {t->line, t->col, "unterminated comment"};
        return false;
      }
      t->kind = Tok::kComment;
      t->text = std::string(s_.substr(i_ + 2, end - i_ - 2));
      Advance(end + 2);
      return true;
    }
    if (c == '"') {
      std::string v;
      size_t j = i_ + 1;
      for (;;) {
        if (j >= s_.size() || s_[j] == '\n') {
          *err = {t->line, t->col, "unterminated quoted string"};
          return false;
        }
        if (s_[j] == '\\' && j + 1 < s_.size() && s_[j + 1] != '\n') {
          v.push_back(s_[j + 1]);
          j += 2;
          continue;
        }
        if (s_[j] == '"') break;
        v.push_back(s_[j]);
        ++j;
      }
      t->kind = Tok::kQuoted;
      t->text = std::move(v);
      i_ = j + 1;
      return true;
    }
    if (c == '(') {  // parenthesised word: one word up to the matching ')' on this line
      int depth = 0;
      size_t j = i_;
      for (; j < s_.size() && s_[j] != '\n'; ++j) {
        if (s_[j] == '(') ++depth;
        if (s_[j] == ')' && --depth == 0) break;
      }
      if (depth != 0 || j >= s_.size() || s_[j] != ')') {
        *err = {t->line, t->col, "unterminated '('"};
        return false;
      }
      ++j;
      while (j < s_.size() && IsWordChar(s_[j])) ++j;
      t->kind = Tok::kWord;
      t->text = std::string(s_.substr(i_, j - i_));
      i_ = j;
      return true;
    }
    size_t j = i_;
    while (j < s_.size() && IsWordChar(s_[j])) ++j;
    if (j == i_) {
      *err = {t->line, t->col, std::string("unexpected character '") + c + "'"};
      return false;
    }
    t->kind = Tok::kWord;
    t->text = std::string(s_.substr(i_, j - i_));
    i_ = j;
    return true;
  }

  // True if only blanks/comments remain before the next newline (or end of input).
  bool AtLineEnd() const {
    size_t j = i_;
    while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t' || s_[j] == '\f' || s_[j] == '\r'))
      ++j;
    return j >= s_.size() || s_[j] == '\n' || s_[j] == '#';
  }

  // The rest of the current line (for prompt-noise detection).
  std::string_view RestOfLine(int* consumed) const {
    size_t e = s_.find('\n', i_);
    if (e == std::string_view::npos) e = s_.size();
    *consumed = static_cast<int>(e - i_);
    return s_.substr(i_, e - i_);
  }
  void Skip(int n) { i_ += n; }

 private:
  int col() const { return static_cast<int>(i_ - line_start_) + 1; }
  void SkipBlanks() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        ++i_;
        ++line_;
        line_start_ = i_;
        token_on_line_ = false;
      } else if (c == ' ' || c == '\t' || c == '\f' || c == '\r') {
        ++i_;
      } else {
        break;
      }
    }
  }
  void Advance(size_t to) {
    for (; i_ < to; ++i_) {
      if (s_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  bool token_on_line_ = false;
};

inline bool IsCommandVerb(std::string_view w) {
  static constexpr std::string_view kVerbs[] = {
      "set",     "delete",  "deactivate", "activate", "insert", "rename", "annotate",
      "protect", "unprotect", "copy",     "replace"};
  for (auto v : kVerbs)
    if (w == v) return true;
  return false;
}

inline bool TagOf(std::string_view w, std::string* tag) {
  static constexpr std::string_view kTags[] = {"inactive:", "active:", "replace:",
                                               "delete:",   "protect:", "unprotect:"};
  for (auto t : kTags) {
    if (w == t) {
      *tag = std::string(t.substr(0, t.size() - 1));
      return true;
    }
  }
  return false;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lex_(text) {}

  bool Run(SyntaxResult* r) {
    r->root.has_block = true;
    if (!Advance()) return Fail(r);
    if (!Block(&r->root, 0, r)) return Fail(r);
    return true;
  }

 private:
  bool Fail(SyntaxResult* r) {
    r->ok = false;
    r->error = err_;
    return false;
  }
  bool Advance() {
    have_ = true;
    return lex_.Next(&tok_, &err_);
  }
  bool Error(const Token& t, std::string msg) {
    err_ = {t.line, t.col, std::move(msg)};
    return false;
  }

  // Statements until the matching `}` (consumed) or, at depth 0, the end of input.
  bool Block(Stmt* parent, int depth, SyntaxResult* r) {
    std::string annotation;
    bool have_annotation = false;
    std::vector<std::string> tags;
    int first_line = 0;
    for (;;) {
      Token t = tok_;
      if (!first_line) first_line = t.line;
      switch (t.kind) {
        case Tok::kEnd:
          if (depth > 0) return Error(t, "missing '}' (unbalanced braces)");
          if (!tags.empty()) return Error(t, "tag without a statement");
          return true;
        case Tok::kRBrace:
          if (depth == 0) return Error(t, "unbalanced '}'");
          if (!tags.empty()) return Error(t, "tag without a statement");
          if (!Advance()) return false;
          return true;
        case Tok::kSemi:  // empty statement; a comment followed by `;` is not an annotation
          have_annotation = false;
          first_line = 0;
          if (!tags.empty()) return Error(t, "tag without a statement");
          if (!Advance()) return false;
          continue;
        case Tok::kComment:
          annotation = t.text;
          have_annotation = true;
          if (!Advance()) return false;
          continue;
        case Tok::kLBrace: {
          // CLI prompt noise in captures, e.g. "{master:0}" alone on a line.
          if (depth == 0 && t.first_on_line && tags.empty()) {
            int n = 0;
            std::string_view rest = lex_.RestOfLine(&n);
            size_t close = rest.find('}');
            if (close != std::string_view::npos && close > 0 &&
                rest.find_first_of(" \t{;") > close &&
                rest.substr(close + 1).find_first_not_of(" \t\r") == std::string_view::npos) {
              lex_.Skip(n);
              ++r->prompt_noise_lines;
              first_line = 0;
              if (!Advance()) return false;
              continue;
            }
          }
          return Error(t, "unexpected '{' (statement has no name)");
        }
        case Tok::kLBracket:
        case Tok::kRBracket:
          return Error(t, "unexpected '" + t.text + "'");
        case Tok::kWord:
        case Tok::kQuoted:
          break;
      }
      if (t.kind == Tok::kWord && t.first_on_line && t.text[0] == '!')
        return Error(t, "'!' starts no comment in Junos (only '#' and '/* */' do)");
      std::string tag;
      if (t.kind == Tok::kWord && TagOf(t.text, &tag)) {
        tags.push_back(tag);
        if (!Advance()) return false;
        continue;
      }
      auto st = std::make_unique<Stmt>();
      st->parent = parent;
      st->line = first_line;
      first_line = 0;
      st->tags = std::move(tags);
      tags.clear();
      if (have_annotation) st->annotation = annotation;
      have_annotation = false;
      if (depth == 0 && t.kind == Tok::kWord && t.first_on_line && st->tags.empty() &&
          IsCommandVerb(t.text)) {
        if (!Command(st.get())) return false;
      } else {
        if (!Statement(st.get(), depth, r)) return false;
      }
      parent->children.push_back(std::move(st));
    }
  }

  // A set-style command: words up to the end of the line.
  bool Command(Stmt* st) {
    st->is_command = true;
    int line = tok_.line;
    for (;;) {
      const Token& t = tok_;
      if (t.kind == Tok::kEnd || t.line != line) return true;
      if (t.kind == Tok::kWord || t.kind == Tok::kQuoted) {
        st->words.push_back({t.text, t.kind == Tok::kQuoted, t.line, t.col});
      } else if (t.kind == Tok::kLBracket || t.kind == Tok::kRBracket) {
        st->words.push_back({t.text, false, t.line, t.col});
      } else if (t.kind == Tok::kComment) {
        // ignored
      } else {
        return Error(t, "unexpected '" + t.text + "' in a command line");
      }
      bool end_of_line = lex_.AtLineEnd();
      if (!Advance()) return false;
      if (end_of_line) return true;
    }
  }

  bool Statement(Stmt* st, int depth, SyntaxResult* r) {
    for (;;) {
      const Token& t = tok_;
      switch (t.kind) {
        case Tok::kWord:
        case Tok::kQuoted:
          st->words.push_back({t.text, t.kind == Tok::kQuoted, t.line, t.col});
          if (!Advance()) return false;
          continue;
        case Tok::kComment:  // comment inside a statement: ignored
          if (!Advance()) return false;
          continue;
        case Tok::kSemi:
          return Advance();
        case Tok::kRBrace:  // missing `;` before `}`: the `}` closes the enclosing block
          if (depth == 0) return Error(t, "unbalanced '}'");
          return true;
        case Tok::kEnd:
          return Error(t, "missing ';' at end of input");
        case Tok::kLBrace:
          st->has_block = true;
          if (!Advance()) return false;
          return Block(st, depth + 1, r);
        case Tok::kLBracket: {
          st->has_list = true;
          if (!Advance()) return false;
          for (;;) {
            const Token& e = tok_;
            if (e.kind == Tok::kWord || e.kind == Tok::kQuoted) {
              st->list.push_back({e.text, e.kind == Tok::kQuoted, e.line, e.col});
              if (!Advance()) return false;
            } else if (e.kind == Tok::kComment) {
              if (!Advance()) return false;
            } else if (e.kind == Tok::kRBracket) {
              if (!Advance()) return false;
              break;
            } else {
              return Error(e, "missing ']' (unbalanced brackets)");
            }
          }
          if (tok_.kind == Tok::kSemi) return Advance();
          if (tok_.kind == Tok::kRBrace && depth > 0) return true;
          return Error(tok_, "expected ';' after ']'");
        }
        case Tok::kRBracket:
          return Error(t, "unexpected ']'");
      }
    }
  }

  Lexer lex_;
  Token tok_;
  bool have_ = false;
  SyntaxError err_;
};

inline bool NeedsQuotes(std::string_view w) {
  if (w.empty()) return true;
  for (char c : w)
    if (!IsWordChar(c)) return true;
  return false;
}

inline std::string Quote(const Word& w) {
  if (!w.quoted && !NeedsQuotes(w.text)) return w.text;
  std::string out = "\"";
  for (char c : w.text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

inline void Print(const Stmt& st, int depth, std::string* out) {
  std::string ind(depth * 4, ' ');
  if (!st.annotation.empty()) *out += ind + "/*" + st.annotation + "*/\n";
  *out += ind;
  for (const auto& t : st.tags) *out += t + ": ";
  for (size_t i = 0; i < st.words.size(); ++i) {
    if (i) *out += ' ';
    *out += Quote(st.words[i]);
  }
  if (st.is_command) {
    *out += '\n';
    return;
  }
  if (st.has_list) {
    *out += " [";
    for (const auto& w : st.list) *out += " " + Quote(w);
    *out += " ]";
  }
  if (st.has_block) {
    *out += " {\n";
    for (const auto& c : st.children) Print(*c, depth + 1, out);
    *out += ind + "}\n";
  } else {
    *out += ";\n";
  }
}

}  // namespace internal

inline SyntaxResult ParseSyntax(std::string_view text) {
  SyntaxResult r;
  internal::Parser p(text);
  p.Run(&r);
  return r;
}

// Canonical text: 4-space indent, one statement per line, quotes only where needed (or where
// the input had them), annotations kept, empty statements and prompt noise dropped.
inline std::string PrintSyntax(const Stmt& root) {
  std::string out;
  for (const auto& c : root.children) internal::Print(*c, 0, &out);
  return out;
}

// Structural equality ignoring positions.
inline bool SameSyntax(const Stmt& a, const Stmt& b) {
  auto same_words = [](const std::vector<Word>& x, const std::vector<Word>& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].text != y[i].text) return false;
    return true;
  };
  if (a.tags != b.tags || a.annotation != b.annotation || a.has_list != b.has_list ||
      a.has_block != b.has_block || a.is_command != b.is_command ||
      !same_words(a.words, b.words) || !same_words(a.list, b.list) ||
      a.children.size() != b.children.size())
    return false;
  for (size_t i = 0; i < a.children.size(); ++i)
    if (!SameSyntax(*a.children[i], *b.children[i])) return false;
  return true;
}

// Every statement with all of its words, in file order (depth-first).
inline void ForEachStmt(const Stmt& root, const auto& fn) {
  for (const auto& c : root.children) {
    fn(*c);
    ForEachStmt(*c, fn);
  }
}

// True if the file is made only of command lines (a `set`-format file).
inline bool IsSetFormat(const Stmt& root) {
  if (root.children.empty()) return false;
  for (const auto& c : root.children)
    if (!c->is_command) return false;
  return true;
}

}  // namespace sabina::corpus_test
