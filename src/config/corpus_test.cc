// Corpus tests (issue 2, section 7): every file of ../shared/corpus/junos/ through the syntax
// level (schema-free, tests/corpus/junos_syntax.h) and through the product's schema-driven
// parser, loader and printer. Prints `CORPUS syntax N/M` and `CORPUS schema-loaded N/M` for the
// README.
//
// The corpus is found through $SHARED_DIR (the `shared` directory) or, by default,
// SABINA_SOURCE_DIR/../shared. The test is skipped (not failed) when the corpus is absent, so
// that the product builds outside this workspace.
//
// Thread: test main thread only.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "../../tests/corpus/junos_syntax.h"
#include "config/codec.h"
#include "config/schema.h"
#include "config/tree.h"

namespace sabina::config {
namespace {

namespace fs = std::filesystem;
using corpus_test::ParseSyntax;
using corpus_test::PrintSyntax;
using corpus_test::SameSyntax;
using corpus_test::Stmt;
using corpus_test::SyntaxResult;

constexpr std::string_view kBatfishTc =
    "batfish+batfish__projects__batfish__src__test__resources__org__batfish__grammar__juniper__"
    "testconfigs__";
constexpr std::string_view kBatfishMain =
    "batfish+batfish__projects__batfish__src__test__resources__org__batfish__main__testconfigs__";

std::string SharedDir() {
  if (const char* e = std::getenv("SHARED_DIR"); e && *e) return e;
  return std::string(SABINA_SOURCE_DIR) + "/../shared";
}

std::string CorpusDir() { return SharedDir() + "/corpus/junos"; }

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string ShortName(const std::string& name) {
  if (name.starts_with(kBatfishTc)) return "BF-TC:" + name.substr(kBatfishTc.size());
  if (name.starts_with(kBatfishMain)) return "BF-MAIN:" + name.substr(kBatfishMain.size());
  return name;
}

struct CorpusFile {
  std::string name;  // file name
  std::string text;
};

std::vector<CorpusFile> LoadCorpus() {
  std::vector<CorpusFile> out;
  std::error_code ec;
  if (!fs::is_directory(CorpusDir(), ec)) return out;
  for (const auto& e : fs::directory_iterator(CorpusDir())) {
    if (!e.is_regular_file()) continue;
    out.push_back({e.path().filename().string(), ReadFile(e.path())});
  }
  std::sort(out.begin(), out.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.name < b.name; });
  return out;
}

// A curly-format file: has braces somewhere outside comments. (Set files have none.)
bool LooksCurly(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t");
    if (b == std::string::npos || line[b] == '#') continue;
    if (line.find_first_of("{}") != std::string::npos) return true;
  }
  return false;
}

// Files of the corpus that Junos would reject, so we must too, at the given line (the syntax
// test also checks the column where it is given). Most are Batfish error-recovery tests;
// Batfish recovers from them, Junos does not. See docs/decisions/0003-batfish-leniency.md.
struct Malformed {
  std::string_view name_suffix;
  int line, col;  // where the error is (col 0: any column of that line)
  bool syntax;    // also a syntax-level error (else only the schema-level load rejects it)
  std::string_view why;
  int schema_line = 0;  // where the schema-level load stops, if earlier than `line` (a
                        // statement outside the supported schema comes first)
};
constexpr Malformed kMalformed[] = {
    {"BF-TC:misbraced", 1, 9, true, "starts with a stray '}' (Batfish: extra_close_brace)"},
    {"BF-TC:nested-config-with-quote-bug", 6, 24, true,
     "`key foo bar\";` opens a quoted string that never closes on its line", 4},
    {"unit-tests__configs__juniper_trailing_space", 5, 1, true,
     "a `! ...` line: '!' comments are a Batfish (IOS) leniency, not Junos syntax"},
    {"BF-TC:quote-mistakes", 4, 0, false,
     "`set ... description \"foo bar\" unit 0 ip ...`: words after a leaf's value (Batfish's "
     "\"mangled config\" robustness test)"},
    {"BF-MAIN:active_only_flattened", 2, 0, false,
     "Batfish output: `activate` of a statement that is only set on the next line (Junos: "
     "statement not found)"},
    {"BF-MAIN:multiple_tags_flattened", 2, 0, false,
     "Batfish output: `replace <path>` is Batfish's pseudo-command for the replace: tag, not a "
     "Junos command"},
    {"BF-MAIN:preprocess-flat-juniper-activation-before", 6, 0, false,
     "`deactivate` of a statement declared later in the file (Junos: statement not found)"},
};

const Malformed* FindMalformed(const std::string& name) {
  std::string s = ShortName(name);
  for (const auto& m : kMalformed)
    if (s.ends_with(m.name_suffix)) return &m;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Syntax level.

TEST(Corpus, SyntaxLevelParsesAndPrintParsePrintIsAFixedPoint) {
  auto files = LoadCorpus();
  if (files.empty()) GTEST_SKIP() << "no corpus at " << CorpusDir();
  int curly = 0, ok = 0, malformed_as_expected = 0;
  for (const auto& f : files) {
    if (!LooksCurly(f.text)) continue;
    ++curly;
    SyntaxResult r = ParseSyntax(f.text);
    if (const Malformed* m = FindMalformed(f.name); m && m->syntax) {
      EXPECT_FALSE(r.ok) << ShortName(f.name) << " is malformed (" << m->why
                         << ") but parsed at the syntax level";
      if (!r.ok) {
        EXPECT_EQ(r.error.line, m->line) << ShortName(f.name) << ": " << r.error.message;
        if (m->col) {
          EXPECT_EQ(r.error.col, m->col) << ShortName(f.name);
        }
        if (r.error.line == m->line) ++malformed_as_expected;
      }
      continue;
    }
    if (!r.ok) {
      ADD_FAILURE() << ShortName(f.name) << ":" << r.error.line << ":" << r.error.col << ": "
                    << r.error.message;
      continue;
    }
    std::string p1 = PrintSyntax(r.root);
    SyntaxResult r2 = ParseSyntax(p1);
    if (!r2.ok) {
      ADD_FAILURE() << ShortName(f.name) << ": printed text does not parse: " << r2.error.line
                    << ":" << r2.error.col << ": " << r2.error.message << "\n" << p1;
      continue;
    }
    std::string p2 = PrintSyntax(r2.root);
    EXPECT_EQ(p1, p2) << ShortName(f.name) << ": print-parse-print is not a fixed point";
    EXPECT_TRUE(SameSyntax(r.root, r2.root)) << ShortName(f.name) << ": trees differ";
    if (p1 == p2 && SameSyntax(r.root, r2.root)) ++ok;
  }
  std::printf("CORPUS syntax %d/%d (curly-format files; the other %d are malformed on purpose and "
              "rejected at the expected position)\n",
              ok, curly, malformed_as_expected);
  EXPECT_EQ(ok + malformed_as_expected, curly);
}

// The syntax parser itself: the grammar facts it must hold, so that the corpus check above
// means something.
TEST(CorpusSyntax, GrammarFacts) {
  auto r = ParseSyntax(
      "## Last changed: 2019-09-18 09:08:48 UTC\n"
      "version 17.3R2.10;\n"
      "/* note */\n"
      "system {\n"
      "    inactive:\n"
      "    host-name \"a b\"; ## SECRET-DATA\n"
      "    domain-search [ x.net y.net ];\n"
      "    services { ssh }\n"
      "    ;\n"
      "}\n"
      "set system host-name foo\n");
  ASSERT_TRUE(r.ok) << r.error.message;
  ASSERT_EQ(r.root.children.size(), 3u);
  const Stmt& sys = *r.root.children[1];
  EXPECT_EQ(sys.annotation, " note ");
  ASSERT_EQ(sys.children.size(), 3u);
  EXPECT_EQ(sys.children[0]->tags, std::vector<std::string>{"inactive"});
  EXPECT_TRUE(sys.children[0]->words[1].quoted);
  EXPECT_EQ(sys.children[1]->list.size(), 2u);
  EXPECT_TRUE(sys.children[2]->has_block);
  EXPECT_TRUE(r.root.children[2]->is_command);
  EXPECT_EQ(r.root.children[2]->words[3].col, 22);

  EXPECT_FALSE(ParseSyntax("system {\n").ok);
  EXPECT_FALSE(ParseSyntax("}\n").ok);
  EXPECT_FALSE(ParseSyntax("system { host-name \"x; }\n").ok);
  EXPECT_FALSE(ParseSyntax("a [ b c;\n").ok);
  EXPECT_FALSE(ParseSyntax("/* never closed\n").ok);
  auto bad = ParseSyntax("system {\n  host-name x;\n}\n}\n");
  ASSERT_FALSE(bad.ok);
  EXPECT_EQ(bad.error.line, 4);
  EXPECT_EQ(bad.error.col, 1);
}

// ---------------------------------------------------------------------------------------------
// Schema level.

// What word `k` of `path` is at the schema level reached by the words before it.
enum class Fit { kKeyword, kKey, kValue, kUnknown, kUnknownEarlier, kPastEnd };

const char* FitName(Fit f) {
  switch (f) {
    case Fit::kKeyword: return "a keyword of the schema at that level";
    case Fit::kKey: return "a list key";
    case Fit::kValue: return "a value";
    case Fit::kUnknown: return "not in the schema at that level";
    case Fit::kUnknownEarlier: return "after an earlier word that is not in the schema";
    case Fit::kPastEnd: return "past the end of the statement";
  }
  return "?";
}

const SchemaNode* ContentChild(const SchemaNode& level, std::string_view w) {
  for (const SchemaNode* c : level.content())
    if (c->name == w) return c;
  return nullptr;
}

const SchemaNode* FlatListOf(const SchemaNode& level) {
  for (const SchemaNode* c : level.content())
    if (c->is_list() && c->list_style == ListStyle::kFlat) return c;
  return nullptr;
}

// A simplified schema walk (keywords, keys, values, collapsed paths, `[ ]`). It does not
// validate values: the question is only whether word k is a keyword the schema lacks.
Fit FitOf(const SchemaNode& root, const std::vector<std::string>& path, size_t k) {
  const SchemaNode* level = &root;
  size_t i = 0;
  while (i < path.size()) {
    const std::string& w = path[i];
    const SchemaNode* c = ContentChild(*level, w);
    if (!c) {
      if (const SchemaNode* fl = FlatListOf(*level)) {
        if (i == k) return Fit::kKey;
        ++i;
        level = fl;
        continue;
      }
      return i == k ? Fit::kUnknown : Fit::kUnknownEarlier;
    }
    if (i == k) return Fit::kKeyword;
    ++i;
    switch (c->kind) {
      case SchemaKind::kContainer:
        level = c;
        break;
      case SchemaKind::kList:
        if (i < path.size()) {
          if (path[i] == "[") {  // `keyword [ k1 k2 ]` for a block/keyword list of bare keys
            for (; i < path.size(); ++i) {
              if (i == k) return Fit::kKey;
              if (path[i] == "]") break;
            }
            ++i;
            break;
          }
          if (i == k) return Fit::kKey;
          ++i;
        }
        level = c;
        break;
      case SchemaKind::kLeaf:
      case SchemaKind::kLeafList:
        if (c->is_flag()) break;
        if (i < path.size() && path[i] == "[") {
          for (; i < path.size(); ++i) {
            if (i == k) return Fit::kValue;
            if (path[i] == "]") break;
          }
          ++i;
        } else if (i < path.size()) {
          if (i == k) return Fit::kValue;
          ++i;
        }
        break;  // further words continue at the same level (several statements on one line)
    }
  }
  return Fit::kPastEnd;
}

struct Located {
  const Stmt* stmt = nullptr;
  std::vector<std::string> path;  // schema path words (tags and command verbs excluded)
  size_t index = 0;               // of the located word in path
  std::string word;
};

// Builds the schema path of a statement (ancestors' words, then its own words, then its `[ ]`
// list). For command lines the verb (and what follows `to`/`before`/`after`) is excluded.
std::vector<std::string> PathOf(const Stmt& st, std::vector<const corpus_test::Word*>* words) {
  std::vector<const Stmt*> chain;
  for (const Stmt* s = &st; s && s->parent; s = s->parent) chain.push_back(s);
  std::reverse(chain.begin(), chain.end());
  std::vector<std::string> path;
  for (const Stmt* s : chain) {
    size_t from = s->is_command ? 1 : 0;
    for (size_t i = from; i < s->words.size(); ++i) {
      const auto& w = s->words[i];
      if (s->is_command && !w.quoted &&
          (w.text == "to" || w.text == "before" || w.text == "after"))
        break;
      path.push_back(w.text);
      if (words) words->push_back(&w);
    }
    if (s->has_list && s == &st) {
      path.push_back("[");
      if (words) words->push_back(nullptr);
      for (const auto& w : s->list) {
        path.push_back(w.text);
        if (words) words->push_back(&w);
      }
      path.push_back("]");
      if (words) words->push_back(nullptr);
    }
  }
  return path;
}

std::optional<Located> LocateWord(const Stmt& root, int line, int col) {
  std::optional<Located> found;
  corpus_test::ForEachStmt(root, [&](const Stmt& st) {
    if (found) return;
    auto check = [&](const corpus_test::Word& w) {
      if (found || w.line != line || w.col != col) return;
      std::vector<const corpus_test::Word*> ws;
      Located l;
      l.stmt = &st;
      l.path = PathOf(st, &ws);
      l.word = w.text;
      for (size_t i = 0; i < ws.size(); ++i)
        if (ws[i] == &w) l.index = i;
      found = l;
    };
    for (const auto& w : st.words) check(w);
    for (const auto& w : st.list) check(w);
  });
  return found;
}

// The first word of a set-format line that the schema does not have (for messages without a
// column).
std::optional<Located> FirstUnknownOnLine(const SchemaNode& schema, const Stmt& root, int line) {
  std::optional<Located> found;
  corpus_test::ForEachStmt(root, [&](const Stmt& st) {
    if (found || st.words.empty() || st.words[0].line != line) return;
    std::vector<const corpus_test::Word*> ws;
    auto path = PathOf(st, &ws);
    for (size_t k = 0; k < path.size(); ++k) {
      if (FitOf(schema, path, k) == Fit::kUnknown) {
        found = Located{&st, path, k, path[k]};
        return;
      }
    }
  });
  return found;
}

struct ErrorPos {
  int line = 0, col = 0;  // col 0 if the message has none
};

// "source:L:C: ..." or "source:L: ..." (source = the name given to the parser).
std::optional<ErrorPos> ParseErrorPos(const std::string& msg, const std::string& source) {
  size_t p = msg.find(source + ":");
  if (p == std::string::npos) return std::nullopt;
  std::smatch m;
  std::string rest = msg.substr(p + source.size());
  static const std::regex kLc(R"(^:(\d+)(?::(\d+))?)");
  if (!std::regex_search(rest, m, kLc)) return std::nullopt;
  ErrorPos e;
  e.line = std::stoi(m[1]);
  e.col = m[2].matched ? std::stoi(m[2]) : 0;
  return e;
}

std::string JoinPath(const std::vector<std::string>& p, size_t upto) {
  std::string s;
  for (size_t i = 0; i < upto && i < p.size(); ++i) s += (i ? " " : "") + p[i];
  return s;
}

std::unique_ptr<Schema> LoadSchemaOrDie() {
  auto s = Schema::LoadBuiltin();
  if (!s.ok()) {
    ADD_FAILURE() << "schema: " << s.status().message();
    return nullptr;
  }
  return std::move(s).value();
}

void StripAnnotations(Node& n) {
  n.annotation.clear();
  for (const auto& c : n.children()) StripAnnotations(*c);
}

// Round trip of a loaded candidate: print -> parse -> load -> print is stable (curly), and the
// same through `| display set` -> `load set`. Returns "" or what went wrong.
std::string RoundTrip(const Schema& schema, const Node& loaded) {
  std::string p1 = PrintCurly(loaded);
  auto t2 = ParseCurly(schema.root(), p1, "printed");
  if (!t2.ok()) return "printed curly text does not parse: " + t2.status().message() + "\n" + p1;
  Node r2(&schema.root());
  if (Status s = Load(r2, **t2, LoadMode::kMerge); !s.ok())
    return "printed curly text does not load: " + s.message();
  std::string p2 = PrintCurly(r2);
  if (p1 != p2) return "curly print-parse-print differs:\n--- first\n" + p1 + "--- second\n" + p2;
  if (!loaded.Equals(r2)) return "curly round trip changes the tree (Node::Equals)";

  std::string s1 = PrintSet(loaded);
  Node r3(&schema.root());
  std::vector<std::string> warnings;
  if (Status s = LoadSet(r3, {}, s1, "display-set", &warnings); !s.ok())
    return "`| display set` output does not load with `load set`: " + s.message() + "\n" + s1;
  std::string s2 = PrintSet(r3);
  if (s1 != s2) return "display-set round trip differs:\n--- first\n" + s1 + "--- second\n" + s2;
  // `| display set` drops annotations (Junos does too); everything else must survive.
  auto stripped = loaded.Clone();
  StripAnnotations(*stripped);
  if (!stripped->Equals(r3)) return "display-set round trip changes the tree (Node::Equals)";
  return "";
}

TEST(Corpus, SchemaLevelLoadsAndRoundTripsOrFailsOnlyOutsideTheSchema) {
  auto files = LoadCorpus();
  if (files.empty()) GTEST_SKIP() << "no corpus at " << CorpusDir();
  auto schema = LoadSchemaOrDie();
  ASSERT_TRUE(schema);
  int total = 0, loaded = 0, outside = 0, malformed = 0;
  std::map<std::string, int> first_unknown;  // keyword path -> files stopping there
  for (const auto& f : files) {
    ++total;
    const std::string src = f.name;
    SyntaxResult syn = ParseSyntax(f.text);
    bool set_format = syn.ok ? corpus_test::IsSetFormat(syn.root) : !LooksCurly(f.text);
    Node root(&schema->root());
    Status st;
    std::vector<std::string> warnings;
    if (set_format) {
      st = LoadSet(root, {}, f.text, src, &warnings);
    } else {
      auto parsed = ParseCurly(schema->root(), f.text, src);
      st = parsed.ok() ? Load(root, **parsed, LoadMode::kMerge) : parsed.status();
    }
    if (st.ok() && FindMalformed(f.name)) {
      ADD_FAILURE() << ShortName(f.name) << " loaded, but Junos rejects it: "
                    << FindMalformed(f.name)->why;
      continue;
    }
    if (st.ok()) {
      ++loaded;
      std::string why = RoundTrip(*schema, root);
      EXPECT_EQ(why, "") << ShortName(f.name) << ": loads but does not round-trip";
      std::printf("CORPUS loaded %s\n", ShortName(f.name).c_str());
      continue;
    }
    const std::string& msg = st.message();
    if (const Malformed* m = FindMalformed(f.name)) {
      ++malformed;
      auto pos = ParseErrorPos(msg, src);
      int want = m->schema_line ? m->schema_line : m->line;
      EXPECT_TRUE(pos && pos->line == want)
          << ShortName(f.name) << " (" << m->why << "): expected an error on line " << want
          << ", got: " << msg;
      std::printf("CORPUS rejected %s %d:%d (%s)\n", ShortName(f.name).c_str(), pos ? pos->line : 0,
                  pos ? pos->col : 0, std::string(m->why).c_str());
      continue;
    }
    // The failure must be a statement outside the schema, reported where it is.
    auto pos = ParseErrorPos(msg, src);
    if (!pos) {
      ADD_FAILURE() << ShortName(f.name) << ": error without " << src
                    << ":line:col position: " << msg;
      continue;
    }
    if (!syn.ok) {
      ADD_FAILURE() << ShortName(f.name) << ": not syntactically valid ("
                    << syn.error.message << " at " << syn.error.line << ":" << syn.error.col
                    << ") and not listed as malformed; product says: " << msg;
      continue;
    }
    std::optional<Located> at;
    if (pos->col) {
      at = LocateWord(syn.root, pos->line, pos->col);
      if (!at) {
        ADD_FAILURE() << ShortName(f.name) << ": error position " << pos->line << ":" << pos->col
                      << " is not the start of a word of the file: " << msg;
        continue;
      }
    } else {
      at = FirstUnknownOnLine(schema->root(), syn.root, pos->line);
      if (!at) {
        ADD_FAILURE() << ShortName(f.name) << ": error on line " << pos->line
                      << " but every word there is in the schema: " << msg;
        continue;
      }
    }
    Fit fit = FitOf(schema->root(), at->path, at->index);
    if (fit != Fit::kUnknown) {
      ADD_FAILURE() << ShortName(f.name) << ": error at " << pos->line << ":" << pos->col
                    << " names '" << at->word << "' in `" << JoinPath(at->path, at->path.size())
                    << "`, which is " << FitName(fit) << ", so this is not a statement outside "
                    << "the supported schema: " << msg;
      continue;
    }
    if (msg.find(at->word) == std::string::npos) {
      ADD_FAILURE() << ShortName(f.name) << ": the error does not name the offending word '"
                    << at->word << "': " << msg;
      continue;
    }
    ++outside;
    ++first_unknown[JoinPath(at->path, at->index + 1)];
    std::printf("CORPUS outside-schema %s %d:%d '%s' in [edit %s]\n", ShortName(f.name).c_str(),
                pos->line, pos->col, at->word.c_str(), JoinPath(at->path, at->index).c_str());
  }
  for (const auto& [path, n] : first_unknown) std::printf("CORPUS stops-at %3d  %s\n", n, path.c_str());
  std::printf("CORPUS schema-loaded %d/%d (%d stop at a statement outside the supported schema, "
              "%d are rejected as Junos rejects them)\n",
              loaded, total, outside, malformed);
  EXPECT_EQ(loaded + outside + malformed, total);
}

}  // namespace
}  // namespace sabina::config
