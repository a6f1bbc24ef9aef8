// The curly-text parser, the line splitter and the schema walker shared with the set format.
#include <algorithm>
#include <cstring>

#include "config/codec.h"
#include "config/parser_internal.h"

namespace sabina::config {
namespace internal {

std::string Show(std::string_view word) {
  constexpr size_t kMax = 64;
  std::string out;
  for (size_t i = 0; i < word.size() && i < kMax; ++i) {
    unsigned char c = static_cast<unsigned char>(word[i]);
    if (c < 0x20 || c == 0x7f) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (word.size() > kMax) out += "...";
  return out;
}

std::string Pos(const Word* w) {
  if (!w || w->line == 0) return {};
  return std::to_string(w->line) + ":" + std::to_string(w->col) + ": ";
}

std::string EditPath(const std::vector<std::string>& words) {
  std::string out = "[edit";
  for (const auto& w : words) {
    out += ' ';
    out += Show(w);
  }
  return out + "]";
}

std::string KeyHelpOf(const SchemaNode* s) {
  if (!s->type_help.empty()) return s->type_help;
  return "<" + (s->key_name.empty() ? s->name : s->key_name) + ">";
}

Node* EnsureChild(Node* parent, const SchemaNode* s, std::string_view value) {
  if (!s->choice.empty() && !parent->Find(s, value)) {
    std::vector<const Node*> other;
    for (const auto& c : parent->children()) {
      const SchemaNode* cs = c->schema();
      if (cs != s && cs->choice == s->choice && cs->parent == s->parent) other.push_back(c.get());
    }
    for (const Node* o : other) parent->Remove(o);
  }
  return parent->Ensure(s, value);
}

bool InGroup(const Node* n) {
  for (; n; n = n->parent())
    if (n->schema() && EntersGroup(n->schema())) return true;
  return false;
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Control bytes have no place in configuration text: a NUL or an escape sequence in a
// host-name would reach files, logs and terminals. Tab and LF are layout, and so is a CR
// that ends a line (CRLF files); DEL and every other C0 byte are rejected.
bool BadByteAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c >= 0x20) return c == 0x7f;
  if (c == '\t' || c == '\n') return false;
  return !(c == '\r' && (i + 1 == s.size() || s[i + 1] == '\n'));
}

size_t FindBadByte(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 || c == 0x7f) && BadByteAt(s, i)) return i;
  }
  return std::string_view::npos;
}

// "syntax error: invalid character \x00 in 'a\x00b'" for the byte at s[i], naming the word
// around it (at most 24 bytes either side, so a huge word is not echoed).
std::string BadByteMessage(std::string_view s, size_t i) {
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '{' || c == '}' || c == '"';
  };
  size_t b = i, e = i + 1;
  while (b > 0 && i - b < 24 && !blank(s[b - 1])) --b;
  while (e < s.size() && e - i < 24 && !blank(s[e])) ++e;
  std::string word = std::string(b > 0 && !blank(s[b - 1]) ? "..." : "") +
                     Show(s.substr(b, e - b)) + (e < s.size() && !blank(s[e]) ? "..." : "");
  return "syntax error: invalid character " + Show(s.substr(i, 1)) + " in '" + word + "'";
}

// Characters that end an unquoted word.
bool IsSpecial(char c) {
  return IsSpace(c) || c == '\n' || c == ';' || c == '{' || c == '}' || c == '[' || c == ']' ||
         c == '"' || c == '#';
}

// Scans a quoted string starting at s[i] == '"'. Returns the index of the closing quote or
// npos if the line ends first. Sets *escaped when a backslash escape occurs.
size_t ScanQuoted(std::string_view s, size_t i, bool* escaped) {
  *escaped = false;
  for (size_t j = i + 1; j < s.size(); ++j) {
    char c = s[j];
    if (c == '\n') return std::string_view::npos;
    if (c == '\\' && j + 1 < s.size() && s[j + 1] != '\n') {
      *escaped = true;
      ++j;
      continue;
    }
    if (c == '"') return j;
  }
  return std::string_view::npos;
}

std::string_view Unescape(std::string_view raw, std::deque<std::string>* arena) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
      out += raw[++i];
    } else {
      out += raw[i];
    }
  }
  arena->push_back(std::move(out));
  return arena->back();
}

std::string Expected(const SchemaNode* ctx) {
  std::string out;
  size_t n = 0;
  const SchemaNode* flat = ctx->FlatList();
  for (const SchemaNode* c : ctx->content()) {
    if (c == flat) continue;
    if (n == 24) {
      out += ", ...";
      break;
    }
    if (n) out += ", ";
    out += c->name;
    ++n;
  }
  if (flat) {
    if (n) out += ", ";
    out += KeyHelpOf(flat);
  }
  return out;
}

// Words of the steps walked so far, for "[edit ...]" in messages.
std::vector<std::string> StepWords(const WalkStart& start, const std::vector<Step>& steps) {
  std::vector<std::string> out;
  if (start.at) out = start.at->PathWords();
  if (start.bare && start.bare->list_style != ListStyle::kFlat) out.push_back(start.bare->name);
  for (const Step& st : steps) {
    const SchemaNode* s = st.schema;
    if (s->is_list() && s->list_style == ListStyle::kFlat) {
      out.emplace_back(st.value);
    } else if (s->is_list() && st.word && st.word->text != s->name) {
      // A bare key inside a block list: the keyword was given by the enclosing block.
      if (out.empty() || out.back() != s->name) out.push_back(s->name);
      out.emplace_back(st.value);
    } else {
      out.push_back(s->name);
      if (s->is_list() && st.has_value) out.emplace_back(st.value);
    }
  }
  return out;
}

}  // namespace

Status SplitLine(std::string_view line, uint32_t line_no, uint32_t col0,
                 std::deque<std::string>* arena, std::vector<Word>* out) {
  out->clear();
  if (size_t bad = FindBadByte(line); bad != std::string_view::npos) {
    Word w;
    w.line = line_no;
    w.col = line_no ? col0 + static_cast<uint32_t>(bad) : 0;
    return Status::Error(Pos(&w) + BadByteMessage(line, bad));
  }
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c) || c == '\n') {
      ++i;
      continue;
    }
    Word w;
    w.line = line_no;
    w.col = line_no ? col0 + static_cast<uint32_t>(i) : 0;
    if (c == '[' || c == ']') {
      w.kind = c == '[' ? Word::kOpen : Word::kClose;
      w.text = line.substr(i, 1);
      ++i;
    } else if (c == '"') {
      bool escaped = false;
      size_t end = ScanQuoted(line, i, &escaped);
      if (end == std::string_view::npos) {
        return Status::Error(Pos(&w) + "syntax error: unterminated quoted string");
      }
      std::string_view raw = line.substr(i + 1, end - i - 1);
      w.text = escaped ? Unescape(raw, arena) : raw;
      w.quoted = true;
      i = end + 1;
    } else {
      size_t start = i;
      while (i < line.size() && !IsSpace(line[i]) && line[i] != '\n' && line[i] != '[' &&
             line[i] != ']' && line[i] != '"') {
        ++i;
      }
      w.text = line.substr(start, i - start);
    }
    out->push_back(w);
  }
  return Status::Ok();
}

Status Walk(const WalkStart& start, std::span<const Word> w, WalkResult* r) {
  r->steps.clear();
  r->values.clear();
  r->pending = false;
  r->in_group = start.in_group;
  const SchemaNode* ctx = start.ctx;
  const SchemaNode* want = start.bare;  // the next word is a key/value of this node
  const Word* keyword = nullptr;        // the word that named `want`
  size_t i = 0;
  const size_t n = w.size();

  auto where = [&]() { return EditPath(StepWords(start, r->steps)); };
  auto fail = [&](const Word& at, const std::string& msg) {
    return Status::Error(Pos(&at) + msg + " at " + where());
  };
  auto check = [&](const SchemaNode* s, const Word& v) -> Status {
    // Wildcard keys (`<ge-*>`) are valid inside groups.
    Status st = ValidateValue(*s, v.text, r->in_group);
    if (!st.ok()) return fail(v, st.message());
    return Status::Ok();
  };

  while (true) {
    if (want) {
      if (i == n) {
        r->steps.push_back({want, {}, false, keyword});
        r->pending = true;
        return Status::Ok();
      }
      const Word& v = w[i];
      if (v.kind == Word::kOpen) {
        if (want->is_leaf()) {
          return fail(v, "syntax error: '" + want->name + "' takes a single value, not a list");
        }
        for (++i; i < n && w[i].kind == Word::kWord; ++i) {
          SABINA_RETURN_IF_ERROR(check(want, w[i]));
          r->values.push_back(w[i].text);
        }
        if (i == n) return fail(w[n - 1], "syntax error: missing ']'");
        if (w[i].kind == Word::kOpen) return fail(w[i], "syntax error: unexpected '['");
        ++i;
        if (i != n) return fail(w[i], "syntax error: unexpected '" + Show(w[i].text) + "'");
        r->steps.push_back({want, {}, false, keyword});
        r->pending = true;
        return Status::Ok();
      }
      if (v.kind == Word::kClose) return fail(v, "syntax error: unexpected ']'");
      SABINA_RETURN_IF_ERROR(check(want, v));
      r->steps.push_back({want, v.text, true, keyword ? keyword : &v});
      ++i;
      if (want->is_list()) {
        ctx = want;
        if (EntersGroup(want)) r->in_group = true;
        want = nullptr;
        keyword = nullptr;
        continue;
      }
      // A leaf or leaf-list value ends the statement.
      if (i != n) return fail(w[i], "syntax error: unexpected '" + Show(w[i].text) + "'");
      return Status::Ok();
    }
    if (i == n) return Status::Ok();
    const Word& x = w[i];
    if (x.kind != Word::kWord) {
      return fail(
          x, std::string("syntax error: unexpected '") + (x.kind == Word::kOpen ? '[' : ']') + "'");
    }
    const SchemaNode* s = x.quoted ? nullptr : ctx->Child(x.text);
    if (!s) {
      const SchemaNode* flat = ctx->FlatList();
      if (!flat) {
        return Status::Error(Pos(&x) + "syntax error: unknown statement '" + Show(x.text) +
                             "' at " + where() + " (expected one of: " + Expected(ctx) + ")");
      }
      want = flat;
      keyword = nullptr;
      continue;
    }
    ++i;
    switch (s->kind) {
      case SchemaKind::kContainer:
        r->steps.push_back({s, {}, false, &x});
        ctx = s;
        if (EntersGroup(s)) r->in_group = true;
        continue;
      case SchemaKind::kLeaf:
        if (s->is_flag()) {
          r->steps.push_back({s, {}, false, &x});
          if (i != n) return fail(w[i], "syntax error: unexpected '" + Show(w[i].text) + "'");
          return Status::Ok();
        }
        [[fallthrough]];
      case SchemaKind::kList:
      case SchemaKind::kLeafList:
        want = s;
        keyword = &x;
        continue;
    }
  }
}

}  // namespace internal

using internal::Pos;
using internal::Show;
using internal::Step;
using internal::Walk;
using internal::WalkResult;
using internal::WalkStart;
using internal::Word;

StatusOr<std::vector<std::string>> SplitWords(std::string_view line) {
  std::deque<std::string> arena;
  std::vector<Word> words;
  SABINA_RETURN_IF_ERROR(internal::SplitLine(line, 0, 0, &arena, &words));
  std::vector<std::string> out;
  out.reserve(words.size());
  for (const Word& w : words) out.emplace_back(w.text);
  return out;
}

namespace {

enum Tag : uint8_t {
  kTagInactive = 1,
  kTagActive = 2,
  kTagReplace = 4,
  kTagDelete = 8,
  kTagProtect = 16,
  kTagUnprotect = 32,
};

uint8_t TagOf(std::string_view w) {
  if (w.empty() || w.back() != ':') return 0;
  if (w == "inactive:") return kTagInactive;
  if (w == "active:") return kTagActive;
  if (w == "replace:") return kTagReplace;
  if (w == "delete:") return kTagDelete;
  if (w == "protect:") return kTagProtect;
  if (w == "unprotect:") return kTagUnprotect;
  return 0;
}

void ApplyTags(Node* n, uint8_t tags) {
  if (tags & kTagInactive) n->inactive = true;
  if (tags & kTagProtect) n->protect = true;
  // `unprotect:` has no representation in a load tree: loading never protects by default, so
  // the tag is accepted and has no effect.
  if (tags & kTagDelete) {
    n->op = Node::Op::kDelete;
  } else if (tags & kTagReplace) {
    if (n->op != Node::Op::kDelete) n->op = Node::Op::kReplace;
  } else if (tags & kTagActive) {
    if (n->op == Node::Op::kNone) n->op = Node::Op::kActive;
    n->inactive = false;
  }
}

struct Tok {
  enum Kind : uint8_t { kWord, kLBrace, kRBrace, kSemi, kLBracket, kRBracket, kAnnot, kEof };
  Kind kind = kEof;
  std::string_view text;
  bool quoted = false;
  bool first_on_line = false;
  uint32_t line = 0, col = 0;
  size_t offset = 0;
};

class Lexer {
 public:
  Lexer(std::string_view src, std::deque<std::string>* arena) : s_(src), arena_(arena) {}

  Status Next(Tok* t) {
    SkipBlank();
    t->first_on_line = bol_;
    bol_ = false;
    t->line = line_;
    t->col = static_cast<uint32_t>(pos_ - line_start_ + 1);
    t->offset = pos_;
    t->quoted = false;
    if (pos_ >= s_.size()) {
      t->kind = Tok::kEof;
      t->text = {};
      return Status::Ok();
    }
    char c = s_[pos_];
    switch (c) {
      case '{':
        return Single(t, Tok::kLBrace);
      case '}':
        return Single(t, Tok::kRBrace);
      case ';':
        return Single(t, Tok::kSemi);
      case '[':
        return Single(t, Tok::kLBracket);
      case ']':
        return Single(t, Tok::kRBracket);
      default:
        break;
    }
    if (c == '"') {
      bool escaped = false;
      size_t end = internal::ScanQuoted(s_, pos_, &escaped);
      if (end == std::string_view::npos) {
        return Status::Error(std::to_string(t->line) + ":" + std::to_string(t->col) +
                             ": syntax error: unterminated quoted string");
      }
      std::string_view raw = s_.substr(pos_ + 1, end - pos_ - 1);
      t->kind = Tok::kWord;
      t->text = escaped ? internal::Unescape(raw, arena_) : raw;
      t->quoted = true;
      pos_ = end + 1;
      return Status::Ok();
    }
    if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
      size_t end = s_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) {
        return Status::Error(std::to_string(t->line) + ":" + std::to_string(t->col) +
                             ": syntax error: unterminated comment");
      }
      std::string_view inner = s_.substr(pos_ + 2, end - pos_ - 2);
      for (size_t i = pos_; i < end; ++i) {
        if (s_[i] == '\n') {
          ++line_;
          line_start_ = i + 1;
        }
      }
      pos_ = end + 2;
      size_t b = 0, e = inner.size();
      while (b < e && (internal::IsSpace(inner[b]) || inner[b] == '\n')) ++b;
      while (e > b && (internal::IsSpace(inner[e - 1]) || inner[e - 1] == '\n')) --e;
      t->kind = Tok::kAnnot;
      t->text = inner.substr(b, e - b);
      return Status::Ok();
    }
    size_t start = pos_;
    while (pos_ < s_.size() && !internal::IsSpecial(s_[pos_])) ++pos_;
    t->kind = Tok::kWord;
    t->text = s_.substr(start, pos_ - start);
    return Status::Ok();
  }

  // The rest of the current line from `offset` (for mixed-in set lines); moves past it.
  std::string_view RestOfLine(size_t offset) {
    size_t e = s_.find('\n', offset);
    if (e == std::string_view::npos) e = s_.size();
    pos_ = e;
    return s_.substr(offset, e - offset);
  }

  std::string_view text() const { return s_; }
  uint32_t line() const { return line_; }
  uint32_t col() const { return static_cast<uint32_t>(pos_ - line_start_ + 1); }

 private:
  Status Single(Tok* t, Tok::Kind k) {
    t->kind = k;
    t->text = s_.substr(pos_, 1);
    ++pos_;
    return Status::Ok();
  }

  void SkipLine() {
    while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
  }

  // CLI capture noise on a line of its own: `{master:0}`, `[edit ...]`, `user@host# ...`.
  bool PromptNoise(char c) const {
    if (c != '{' && c != '[') return UserPrompt();
    size_t e = s_.find('\n', pos_);
    if (e == std::string_view::npos) e = s_.size();
    std::string_view line = s_.substr(pos_, e - pos_);
    while (!line.empty() && internal::IsSpace(line.back())) line.remove_suffix(1);
    if (line.size() >= 3 && line.front() == '{' && line.back() == '}') {
      std::string_view in = line.substr(1, line.size() - 2);
      return std::all_of(in.begin(), in.end(), [](char c) {
        return isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_' ||
               c == '.';
      });
    }
    return line.starts_with("[edit") && line.back() == ']' && (line.size() == 6 || line[5] == ' ');
  }

  // `user@host# ...` / `user@host> ...`: the first word has an '@' followed by '#' or '>'.
  bool UserPrompt() const {
    // A prompt never starts with a quote, so a quoted first word is data (PrintSyntax quotes
    // such words for that reason).
    if (s_[pos_] == '"') return false;
    size_t e = pos_;
    while (e < s_.size() && e - pos_ < 128 && !internal::IsSpace(s_[e]) && s_[e] != '\n') ++e;
    std::string_view first = s_.substr(pos_, e - pos_);
    size_t at = first.find('@');
    if (at != std::string_view::npos && at > 0) {
      size_t mark = first.find_first_of("#>", at);
      return mark != std::string_view::npos && mark > at + 1;
    }
    return false;
  }

  void SkipBlank() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
        bol_ = true;
      } else if (internal::IsSpace(c)) {
        ++pos_;
      } else if (c == '#') {
        // `#` comments, `## SECRET-DATA`, `## Last changed: ...`: not data.
        SkipLine();
      } else if (bol_ && PromptNoise(c)) {
        SkipLine();
      } else {
        return;
      }
    }
  }

  std::string_view s_;
  std::deque<std::string>* arena_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  bool bol_ = true;
};

std::string At(uint32_t line, uint32_t col) {
  return std::to_string(line) + ":" + std::to_string(col) + ": ";
}

// Up front, so that no statement before the bad byte is half-applied and the position is
// exact whatever token the byte sits in (word, quoted string, comment, annotation).
Status CheckBytes(std::string_view text) {
  size_t bad = internal::FindBadByte(text);
  if (bad == std::string_view::npos) return Status::Ok();
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = text.find('\n'); i < bad; i = text.find('\n', i + 1)) {
    ++line;
    line_start = i + 1;
  }
  return Status::Error(At(line, static_cast<uint32_t>(bad - line_start + 1)) +
                       internal::BadByteMessage(text, bad));
}

bool IsSetCommand(std::string_view w) {
  return w == "set" || w == "delete" || w == "activate" || w == "deactivate";
}

// The words of a mixed-in `set ...` line whose verb is the token `verb`. The verb is the
// lexer's word (which a `#` ends), so `deactivate#x` is `deactivate` and then `#x`.
Status SplitCommand(Lexer& lex, const Tok& verb, std::deque<std::string>* arena,
                    std::vector<Word>* out) {
  std::string_view line = lex.RestOfLine(verb.offset).substr(verb.text.size());
  std::vector<Word> rest;
  const uint32_t col = verb.col + static_cast<uint32_t>(verb.text.size());
  SABINA_RETURN_IF_ERROR(internal::SplitLine(line, verb.line, col, arena, &rest));
  out->assign(1, Word{verb.text, Word::kWord, false, verb.line, verb.col});
  out->insert(out->end(), rest.begin(), rest.end());
  return Status::Ok();
}

struct Frame {
  Node* node;
  const SchemaNode* bare = nullptr;  // block of bare keys/values of this list/leaf-list
  uint8_t tags = 0;                  // tags of a bare block, applied to each element
  bool in_group = false;
  uint32_t line = 0, col = 0;  // of the `{`
};

class CurlyParser {
 public:
  CurlyParser(const SchemaNode& level, std::string_view text, std::string_view source)
      : level_(level), lex_(text, &arena_), source_(source) {}

  StatusOr<std::unique_ptr<Node>> Run() {
    auto root = std::make_unique<Node>(&level_);
    frames_.push_back({root.get()});
    Status st = CheckBytes(lex_.text());
    if (st.ok()) st = Loop();
    if (!st.ok()) return Status::Error(std::string(source_) + ":" + st.message());
    return root;
  }

 private:
  Status Loop() {
    Tok t;
    while (true) {
      SABINA_RETURN_IF_ERROR(lex_.Next(&t));
      switch (t.kind) {
        case Tok::kAnnot:
          if (words_.empty()) annotation_ = t.text;
          has_annotation_ = words_.empty();
          break;
        case Tok::kWord: {
          if (words_.empty() && !t.quoted) {
            if (uint8_t tag = TagOf(t.text)) {
              tags_ |= tag;
              break;
            }
            if (frames_.size() == 1 && tags_ == 0 && t.first_on_line && IsSetCommand(t.text)) {
              SABINA_RETURN_IF_ERROR(SetLine(t));
              break;
            }
          }
          words_.push_back({t.text, Word::kWord, t.quoted, t.line, t.col});
          break;
        }
        case Tok::kLBracket: {
          words_.push_back({t.text, Word::kOpen, false, t.line, t.col});
          while (true) {
            SABINA_RETURN_IF_ERROR(lex_.Next(&t));
            if (t.kind == Tok::kAnnot) continue;
            if (t.kind == Tok::kWord) {
              words_.push_back({t.text, Word::kWord, t.quoted, t.line, t.col});
              continue;
            }
            if (t.kind == Tok::kRBracket) {
              words_.push_back({t.text, Word::kClose, false, t.line, t.col});
              break;
            }
            return Status::Error(At(t.line, t.col) + "syntax error: missing ']'");
          }
          break;
        }
        case Tok::kRBracket:
          return Status::Error(At(t.line, t.col) + "syntax error: unexpected ']'");
        case Tok::kSemi:
          if (words_.empty()) {
            if (tags_) return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
            has_annotation_ = false;
            break;
          }
          SABINA_RETURN_IF_ERROR(Finish(false, t));
          break;
        case Tok::kLBrace:
          if (words_.empty())
            return Status::Error(At(t.line, t.col) + "syntax error: unexpected '{'");
          SABINA_RETURN_IF_ERROR(Finish(true, t));
          break;
        case Tok::kRBrace:
          // The last statement of a block may omit its `;`.
          if (!words_.empty()) SABINA_RETURN_IF_ERROR(Finish(false, t));
          if (tags_) return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
          if (frames_.size() == 1) {
            return Status::Error(At(t.line, t.col) + "syntax error: unexpected '}'");
          }
          frames_.pop_back();
          has_annotation_ = false;
          break;
        case Tok::kEof:
          // A last top-level statement without `;` at the end of the text is accepted.
          if (!words_.empty()) SABINA_RETURN_IF_ERROR(Finish(false, t));
          if (frames_.size() > 1) {
            const Frame& f = frames_.back();
            return Status::Error(At(t.line, t.col) + "syntax error: missing '}' (for the '{' at " +
                                 std::to_string(f.line) + ":" + std::to_string(f.col) + ")");
          }
          if (tags_) return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
          return Status::Ok();
      }
    }
  }

  void ApplyHead(Node* n, uint8_t tags) {
    ApplyTags(n, tags);
    if (has_annotation_) n->annotation = std::string(annotation_);
  }

  WalkStart StartFor(const Frame& f) const {
    WalkStart s;
    s.ctx = f.node->schema();
    s.at = f.node;
    s.bare = f.bare;
    s.in_group = f.in_group;
    return s;
  }

  // A statement ended with `;` (or `}`/EOF) or `{`.
  Status Finish(bool block, const Tok& term) {
    Frame f = frames_.back();
    SABINA_RETURN_IF_ERROR(Walk(StartFor(f), words_, &walk_));
    uint8_t tags = tags_ | f.tags;
    Node* cur = f.node;
    Node* head = nullptr;
    const size_t n = walk_.steps.size() - (walk_.pending ? 1 : 0);
    for (size_t i = 0; i < n; ++i) {
      const Step& st = walk_.steps[i];
      cur = internal::EnsureChild(cur, st.schema, st.value);
      if (!head) head = cur;
    }
    if (walk_.pending) {
      const Step& p = walk_.steps.back();
      if (!walk_.values.empty()) {
        if (block) return Status::Error(At(term.line, term.col) + "syntax error: unexpected '{'");
        for (std::string_view v : walk_.values) {
          Node* e = internal::EnsureChild(cur, p.schema, v);
          ApplyTags(e, tags);
          if (head == nullptr && has_annotation_) e->annotation = std::string(annotation_);
        }
        if (head) ApplyHead(head, tags);
      } else if (block && !p.schema->is_leaf()) {
        if (head) ApplyHead(head, tags_ | f.tags);
        Frame nf{cur,       p.schema, static_cast<uint8_t>(head ? 0 : tags), walk_.in_group,
                 term.line, term.col};
        frames_.push_back(nf);
      } else if (tags & kTagDelete) {
        // `delete: name-server;` removes every element; `delete: host-name;` the leaf.
        Node* e = cur->Ensure(p.schema, "");
        if (!head) head = e;
        ApplyHead(head, tags);
        if (head != e) ApplyTags(e, kTagDelete);
      } else {
        const Word* w = p.word ? p.word : &words_.back();
        return Status::Error(Pos(w) + "syntax error: missing value after '" + Show(w->text) +
                             "' (expected " + internal::KeyHelpOf(p.schema) + ")");
      }
    } else {
      ApplyHead(head, tags);
      if (block) {
        if (!cur->schema()->has_children()) {
          return Status::Error(At(term.line, term.col) + "syntax error: unexpected '{' after '" +
                               Show(words_.back().text) + "'");
        }
        frames_.push_back({cur, nullptr, 0, walk_.in_group, term.line, term.col});
      }
    }
    words_.clear();
    tags_ = 0;
    has_annotation_ = false;
    return Status::Ok();
  }

  // `set|delete|activate|deactivate ...` on a line of its own at the top level of curly text:
  // Junos `load` only takes one format per file, but Batfish accepts such mixed files and they
  // occur in the corpus, so we accept them too. The command acts on the load tree: `set`
  // merges, `delete` becomes a `delete:` tag, (de)activate become `active:`/`inactive:`.
  Status SetLine(const Tok& t) {
    std::vector<Word> lw;
    SABINA_RETURN_IF_ERROR(SplitCommand(lex_, t, &arena_, &lw));
    std::string_view cmd = lw[0].text;
    WalkStart start{&level_, frames_[0].node, false, nullptr};
    SABINA_RETURN_IF_ERROR(Walk(start, std::span<const Word>(lw).subspan(1), &walk_));
    if (walk_.steps.empty()) {
      return Status::Error(Pos(&lw[0]) + "syntax error: missing statement after '" +
                           std::string(cmd) + "'");
    }
    Node* cur = frames_[0].node;
    const size_t n = walk_.steps.size() - (walk_.pending ? 1 : 0);
    for (size_t i = 0; i < n; ++i) {
      cur = internal::EnsureChild(cur, walk_.steps[i].schema, walk_.steps[i].value);
    }
    std::vector<Node*> targets;
    if (walk_.pending) {
      const Step& p = walk_.steps.back();
      if (!walk_.values.empty()) {
        for (std::string_view v : walk_.values) {
          targets.push_back(internal::EnsureChild(cur, p.schema, v));
        }
      } else if (cmd == "set") {
        const Word* w = p.word ? p.word : &lw.back();
        return Status::Error(Pos(w) + "syntax error: missing value after '" + Show(w->text) +
                             "' (expected " + internal::KeyHelpOf(p.schema) + ")");
      } else if (Node* e = p.schema->is_leaf() ? cur->Find(p.schema) : nullptr) {
        targets.push_back(e);
      } else {
        // No value: the whole leaf or list. Load treats an empty-valued node without `delete:`
        // as metadata for what the target already has.
        targets.push_back(cur->Ensure(p.schema, ""));
      }
    } else {
      targets.push_back(cur);
    }
    for (Node* x : targets) {
      if (cmd == "delete") {
        x->Clear();
        ApplyTags(x, kTagDelete);
      } else if (cmd == "activate") {
        ApplyTags(x, kTagActive);
      } else if (cmd == "deactivate") {
        ApplyTags(x, kTagInactive);
      }
    }
    return Status::Ok();
  }

  const SchemaNode& level_;
  std::deque<std::string> arena_;
  Lexer lex_;
  std::string_view source_;
  std::vector<Frame> frames_;
  std::vector<Word> words_;
  WalkResult walk_;
  uint8_t tags_ = 0;
  std::string_view annotation_;
  bool has_annotation_ = false;
};

// The schema-free reader: the same tokens and statement rules as CurlyParser::Loop, building
// SyntaxStatements instead of walking the schema.
class SyntaxParser {
 public:
  SyntaxParser(std::string_view text, std::string_view source)
      : lex_(text, &arena_), source_(source) {}

  StatusOr<std::vector<SyntaxStatement>> Run() {
    std::vector<SyntaxStatement> top;
    stack_.push_back({&top, 0, 0});
    Status st = CheckBytes(lex_.text());
    if (st.ok()) st = Loop();
    if (!st.ok()) return Status::Error(std::string(source_) + ":" + st.message());
    return top;
  }

 private:
  struct Level {
    std::vector<SyntaxStatement>* out;
    uint32_t line, col;  // of the `{`
  };

  bool Empty() const { return cur_.words.empty(); }

  Status Loop() {
    Tok t;
    while (true) {
      SABINA_RETURN_IF_ERROR(lex_.Next(&t));
      if (cur_.is_list && t.kind != Tok::kSemi && t.kind != Tok::kRBrace && t.kind != Tok::kEof &&
          t.kind != Tok::kAnnot) {
        return Status::Error(At(t.line, t.col) + "syntax error: unexpected '" + Show(t.text) +
                             "' after ']'");
      }
      switch (t.kind) {
        case Tok::kAnnot:
          has_annotation_ = Empty();
          cur_.annotation = Empty() ? std::string(t.text) : std::string();
          break;
        case Tok::kWord:
          if (Empty() && !t.quoted) {
            if (TagOf(t.text)) {
              cur_.tags.emplace_back(t.text.substr(0, t.text.size() - 1));
              break;
            }
            if (stack_.size() == 1 && cur_.tags.empty() && t.first_on_line &&
                IsSetCommand(t.text)) {
              SABINA_RETURN_IF_ERROR(SetLine(t));
              break;
            }
          }
          cur_.words.emplace_back(t.text);
          break;
        case Tok::kLBracket:
          if (Empty()) return Status::Error(At(t.line, t.col) + "syntax error: unexpected '['");
          cur_.is_list = true;
          while (true) {
            SABINA_RETURN_IF_ERROR(lex_.Next(&t));
            if (t.kind == Tok::kAnnot) continue;
            if (t.kind == Tok::kWord) {
              cur_.list.emplace_back(t.text);
              continue;
            }
            if (t.kind == Tok::kRBracket) break;
            return Status::Error(At(t.line, t.col) + "syntax error: missing ']'");
          }
          break;
        case Tok::kRBracket:
          return Status::Error(At(t.line, t.col) + "syntax error: unexpected ']'");
        case Tok::kSemi:
          if (Empty()) {
            if (!cur_.tags.empty()) {
              return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
            }
            Reset();
            break;
          }
          Finish(false, t);
          break;
        case Tok::kLBrace:
          if (Empty() || cur_.is_list) {
            return Status::Error(At(t.line, t.col) + "syntax error: unexpected '{'");
          }
          Finish(true, t);
          break;
        case Tok::kRBrace:
          // The last statement of a block may omit its `;`.
          if (!Empty()) Finish(false, t);
          if (!cur_.tags.empty()) {
            return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
          }
          if (stack_.size() == 1) {
            return Status::Error(At(t.line, t.col) + "syntax error: unexpected '}'");
          }
          stack_.pop_back();
          Reset();
          break;
        case Tok::kEof:
          if (!Empty()) Finish(false, t);
          if (stack_.size() > 1) {
            const Level& l = stack_.back();
            return Status::Error(At(t.line, t.col) + "syntax error: missing '}' (for the '{' at " +
                                 std::to_string(l.line) + ":" + std::to_string(l.col) + ")");
          }
          if (!cur_.tags.empty()) {
            return Status::Error(At(t.line, t.col) + "syntax error: missing statement");
          }
          return Status::Ok();
      }
    }
  }

  void Reset() {
    cur_ = SyntaxStatement();
    has_annotation_ = false;
  }

  void Finish(bool block, const Tok& brace) {
    if (!has_annotation_) cur_.annotation.clear();
    cur_.has_block = block;
    std::vector<SyntaxStatement>* out = stack_.back().out;
    out->push_back(std::move(cur_));
    // Only the innermost level's vector grows, so the pointers to outer ones stay valid.
    if (block) stack_.push_back({&out->back().children, brace.line, brace.col});
    Reset();
  }

  // As in CurlyParser::SetLine, the rest of the line is one command, split like `load set`
  // splits it. `[`/`]` become words of their own.
  Status SetLine(const Tok& t) {
    std::vector<Word> lw;
    SABINA_RETURN_IF_ERROR(SplitCommand(lex_, t, &arena_, &lw));
    cur_.is_command = true;
    for (const Word& w : lw) cur_.words.emplace_back(w.text);
    if (!has_annotation_) cur_.annotation.clear();
    stack_.back().out->push_back(std::move(cur_));
    Reset();
    return Status::Ok();
  }

  std::deque<std::string> arena_;
  Lexer lex_;
  std::string_view source_;
  std::vector<Level> stack_;
  SyntaxStatement cur_;
  bool has_annotation_ = false;
};

void PrintStatements(const std::vector<SyntaxStatement>& list, int depth, std::string* out) {
  const std::string ind(static_cast<size_t>(depth) * 4, ' ');
  for (const SyntaxStatement& st : list) {
    if (!st.annotation.empty()) *out += ind + "/* " + st.annotation + " */\n";
    *out += ind;
    if (st.is_command) {
      for (size_t i = 0; i < st.words.size(); ++i) {
        if (i) *out += ' ';
        const std::string& w = st.words[i];
        // The verb is a bare word by construction (quoted, it would not be a command).
        *out += i == 0 || w == "[" || w == "]" ? w : QuoteIfNeeded(w);
      }
      *out += '\n';
      continue;
    }
    for (const std::string& t : st.tags) *out += t + ": ";
    for (size_t i = 0; i < st.words.size(); ++i) {
      if (i) *out += ' ';
      // A first word that would read as a tag, a command or a `user@host#` prompt line stays
      // a word only when quoted.
      const std::string& w = st.words[i];
      std::string q = QuoteIfNeeded(w);
      bool force = i == 0 && (TagOf(w) || (depth == 0 && st.tags.empty() && IsSetCommand(w)) ||
                              (st.tags.empty() && w.find('@') != std::string::npos));
      *out += force && q == w ? "\"" + q + "\"" : q;
    }
    if (st.is_list) {
      *out += " [";
      for (const std::string& v : st.list) *out += " " + QuoteIfNeeded(v);
      *out += " ]";
    }
    if (st.has_block) {
      *out += " {\n";
      PrintStatements(st.children, depth + 1, out);
      *out += ind + "}\n";
    } else {
      *out += ";\n";
    }
  }
}

}  // namespace

StatusOr<std::vector<SyntaxStatement>> ParseSyntax(std::string_view text, std::string_view source) {
  SyntaxParser p(text, source);
  return p.Run();
}

std::string PrintSyntax(const std::vector<SyntaxStatement>& statements) {
  std::string out;
  PrintStatements(statements, 0, &out);
  return out;
}

StatusOr<std::unique_ptr<Node>> ParseCurly(const SchemaNode& level, std::string_view text,
                                           std::string_view source) {
  CurlyParser p(level, text, source);
  return p.Run();
}

}  // namespace sabina::config
