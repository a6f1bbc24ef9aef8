// The CLI wire protocol's pure parts: framing, request/response codecs, `-c` splitting and
// the client's completion helpers. The socket loop itself is exercised end to end by
// tests/cli through the real binaries.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "base/log.h"
#include "mgmt/protocol.h"

namespace sabina::mgmt::protocol {
namespace {

TEST(Protocol, RequestRoundTrip) {
  for (Op op : {Op::kHello, Op::kExec, Op::kTerminal, Op::kComplete}) {
    Request in{op, op == Op::kHello ? "" : "set system host-name \"a b\"\n\t\\"};
    std::string wire = EncodeRequest(in);
    ASSERT_FALSE(wire.empty());
    EXPECT_EQ(wire.back(), '\n');
    EXPECT_EQ(wire.find('\n'), wire.size() - 1) << "a request must be exactly one line";
    StatusOr<Request> out = DecodeRequest(std::string_view(wire).substr(0, wire.size() - 1));
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->op, op);
    EXPECT_EQ(out->text, in.text);
  }
}

TEST(Protocol, RequestWireFormatIsDocumented) {
  EXPECT_EQ(EncodeRequest({Op::kExec, "show version"}),
            "{\"line\":\"show version\",\"op\":\"exec\"}\n");
  EXPECT_EQ(EncodeRequest({Op::kTerminal, "x"}), "{\"op\":\"terminal\",\"text\":\"x\"}\n");
  EXPECT_EQ(EncodeRequest({Op::kHello, ""}), "{\"op\":\"hello\"}\n");
  EXPECT_EQ(EncodeRequest({Op::kHello, "", true}), "{\"interactive\":true,\"op\":\"hello\"}\n");
  StatusOr<Request> hello = DecodeRequest("{\"op\":\"hello\",\"interactive\":true}");
  ASSERT_TRUE(hello.ok());
  EXPECT_TRUE(hello->interactive);
  hello = DecodeRequest("{\"op\":\"hello\"}");
  ASSERT_TRUE(hello.ok());
  EXPECT_FALSE(hello->interactive);
  StatusOr<Request> r = DecodeRequest("{\"op\":\"complete\",\"line\":\"sh\"}\r");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->op, Op::kComplete);
  EXPECT_EQ(r->text, "sh");
}

TEST(Protocol, BadRequestsAreErrorsNotCrashes) {
  const char* bad[] = {
      "",
      "garbage",
      "{",
      "[1,2]",
      "\"exec\"",
      "{}",
      "{\"op\":1}",
      "{\"op\":\"exec\"}",
      "{\"op\":\"exec\",\"line\":5}",
      "{\"op\":\"terminal\",\"line\":\"x\"}",
      "{\"op\":\"format-disk\"}",
      "{\"op\":\"hello\",\"interactive\":\"yes\"}",
      "{\"op\":\"exec\",\"line\":\"\xff\xfe\"}",
  };
  for (const char* line : bad) {
    StatusOr<Request> r = DecodeRequest(line);
    EXPECT_FALSE(r.ok()) << line;
    EXPECT_FALSE(r.status().message().empty());
  }
}

TEST(Protocol, ExecResponseRoundTrip) {
  Response in;
  in.output = "Entering configuration mode\n";
  in.ok = false;
  in.quit = true;
  in.wants_terminal = true;
  in.prompt = "root@sabina# ";
  in.banner = "[edit]";
  std::string wire = EncodeResponse(Op::kExec, in);
  EXPECT_EQ(wire.find('\n'), wire.size() - 1);
  StatusOr<Response> out = DecodeResponse(wire);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->output, in.output);
  EXPECT_FALSE(out->ok);
  EXPECT_TRUE(out->quit);
  EXPECT_TRUE(out->wants_terminal);
  EXPECT_EQ(out->prompt, "root@sabina# ");
  EXPECT_EQ(out->banner, "[edit]");
}

TEST(Protocol, CompleteResponseRoundTrip) {
  Response in;
  in.candidates = {{"show", "Show system information", false}, {"<value>", "A name", true}};
  in.error = "";
  std::string wire = EncodeResponse(Op::kComplete, in);
  EXPECT_EQ(wire,
            "{\"candidates\":[{\"help\":\"Show system information\",\"placeholder\":false,"
            "\"word\":\"show\"},{\"help\":\"A name\",\"placeholder\":true,\"word\":\"<value>\"}],"
            "\"error\":\"\"}\n");
  StatusOr<Response> out = DecodeResponse(wire);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->candidates.size(), 2u);
  EXPECT_EQ(out->candidates[1].word, "<value>");
  EXPECT_TRUE(out->candidates[1].placeholder);
  EXPECT_EQ(out->candidates[0].help, "Show system information");
}

TEST(Protocol, InvalidUtf8IsReplacedNotFatal) {
  Response in;
  in.output = std::string("bad \xff\xfe byte\n");
  std::string wire = EncodeResponse(Op::kExec, in);
  StatusOr<Response> out = DecodeResponse(wire);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->output, "bad \xEF\xBF\xBD\xEF\xBF\xBD byte\n");
}

TEST(Protocol, ErrorResponse) {
  StatusOr<Response> out = DecodeResponse(EncodeError("bad request: malformed JSON"));
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->ok);
  EXPECT_EQ(out->error, "bad request: malformed JSON");
  EXPECT_FALSE(DecodeResponse("not json").ok());
}

TEST(LineSplitter, SplitsAcrossChunks) {
  LineSplitter s;
  s.Append("ab");
  EXPECT_FALSE(s.Next());
  s.Append("c\nde");
  EXPECT_EQ(s.Next().value_or("?"), "abc");
  EXPECT_FALSE(s.Next());
  s.Append("f\n\ng\n");
  EXPECT_EQ(s.Next().value_or("?"), "def");
  EXPECT_EQ(s.Next().value_or("?"), "");
  EXPECT_EQ(s.Next().value_or("?"), "g");
  EXPECT_FALSE(s.Next());
  EXPECT_EQ(s.buffered(), 0u);
  EXPECT_FALSE(s.overflow());
}

TEST(LineSplitter, OverflowWithoutNewline) {
  LineSplitter s(8);
  s.Append("12345678");
  EXPECT_FALSE(s.Next());
  EXPECT_FALSE(s.overflow());
  s.Append("9");
  EXPECT_FALSE(s.Next());
  EXPECT_TRUE(s.overflow());
  s.Append("\n");
  EXPECT_FALSE(s.Next()) << "an overflowed stream is never resynchronised";
}

TEST(LineSplitter, OverflowOfCompleteLine) {
  LineSplitter s(4);
  s.Append("1234\n123456789\nok\n");
  EXPECT_EQ(s.Next().value_or("?"), "1234");
  EXPECT_FALSE(s.Next());
  EXPECT_TRUE(s.overflow());
}

TEST(LineSplitter, ManySmallChunksOfABigLine) {
  LineSplitter s;
  std::string chunk(4096, 'x');
  for (int i = 0; i < 4096; ++i) {  // 16 MiB
    s.Append(chunk);
    ASSERT_FALSE(s.Next());
  }
  s.Append("\nnext\n");
  std::optional<std::string> line = s.Next();
  ASSERT_TRUE(line);
  EXPECT_EQ(line->size(), size_t{4096} * 4096);
  EXPECT_EQ(s.Next().value_or("?"), "next");
}

TEST(SplitCommands, SemicolonsOutsideQuotes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(SplitCommands("configure; set system host-name r1 ;commit"),
            (V{"configure", "set system host-name r1", "commit"}));
  EXPECT_EQ(SplitCommands("set system login message \"a; b\"; show"),
            (V{"set system login message \"a; b\"", "show"}));
  EXPECT_EQ(SplitCommands("set x \"q\\\";\"; y"), (V{"set x \"q\\\";\"", "y"}));
  EXPECT_EQ(SplitCommands(" ; ;; "), V{});
  EXPECT_EQ(SplitCommands(""), V{});
  EXPECT_EQ(SplitCommands("show | match \"a|b\""), (V{"show | match \"a|b\""}));
  EXPECT_EQ(SplitCommands("set x \"unterminated; y"), (V{"set x \"unterminated; y"}));
}

TEST(Completion, LastWordAndQuotes) {
  EXPECT_EQ(LastWord("sh"), "sh");
  EXPECT_EQ(LastWord("show conf"), "conf");
  EXPECT_EQ(LastWord("show "), "");
  EXPECT_EQ(LastWord(""), "");
  EXPECT_EQ(LastWord("set x \"a b"), "\"a b");
  EXPECT_FALSE(InsideQuotes("set x \"a b\" "));
  EXPECT_TRUE(InsideQuotes("set x \"a b"));
  EXPECT_TRUE(InsideQuotes("set x \"a \\\" b"));
}

TEST(Completion, CommonPrefixIgnoresPlaceholders) {
  EXPECT_EQ(CommonPrefix({{"commit", "", false}, {"compare", "", false}, {"<x>", "", true}}),
            "com");
  EXPECT_EQ(CommonPrefix({{"show", "", false}}), "show");
  EXPECT_EQ(CommonPrefix({{"<value>", "", true}}), "");
  EXPECT_EQ(CommonPrefix({}), "");
}

TEST(Completion, HelpLayoutMatchesJunos) {
  EXPECT_EQ(FormatHelp({{"accounting", "Show accounting profiles", false},
                        {"<[Enter]>", "Execute this command", true},
                        {"a-very-long-keyword-name", "Long", false},
                        {"bare", "", false}}),
            "Possible completions:\n"
            "  accounting           Show accounting profiles\n"
            "  <[Enter]>            Execute this command\n"
            "  a-very-long-keyword-name Long\n"
            "  bare\n");
}

}  // namespace
}  // namespace sabina::mgmt::protocol

namespace sabina::log {
namespace {

TEST(Log, FormatLine) {
  // 2026-11-23T15:52:21.123Z
  EXPECT_EQ(FormatLine(Level::kWarning, "disk full", 1795449141123LL),
            "2026-11-23T15:52:21.123Z WARNING disk full\n");
  EXPECT_EQ(FormatLine(Level::kInfo, "x\n", 5), "1970-01-01T00:00:00.005Z INFO x\n");
}

TEST(Log, LevelsAndParsing) {
  Level saved = GetLevel();
  Level l = Level::kInfo;
  EXPECT_TRUE(ParseLevel("debug", &l));
  EXPECT_EQ(l, Level::kDebug);
  EXPECT_TRUE(ParseLevel("error", &l));
  EXPECT_EQ(l, Level::kError);
  EXPECT_FALSE(ParseLevel("loud", &l));
  SetLevel(Level::kWarning);
  EXPECT_FALSE(Enabled(Level::kInfo));
  EXPECT_TRUE(Enabled(Level::kError));
  SetLevel(saved);
}

}  // namespace
}  // namespace sabina::log

namespace sabina::log {
namespace {

TEST(Log, SelectorsFollowJunosSyslogRules) {
  std::vector<Selector> s = {{"any", 5 /* notice */}, {"interactive-commands", 6 /* info */}};
  EXPECT_TRUE(Selected(s, "daemon", 3));
  EXPECT_TRUE(Selected(s, "daemon", 5));
  EXPECT_FALSE(Selected(s, "daemon", 6));
  EXPECT_TRUE(Selected(s, "interactive-commands", 6));
  // An explicit facility wins over `any`, also to exclude it (`daemon none`).
  s.push_back({"daemon", -1});
  EXPECT_FALSE(Selected(s, "daemon", 0));
  EXPECT_FALSE(Selected({}, "daemon", 0));
}

TEST(Log, FileTargetGetsSelectedMessagesInSyslogFormat) {
  char dir_template[] = "/tmp/sabina-log-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string path = std::string(dir_template) + "/messages";
  Targets targets;
  targets.host_name = "r1";
  targets.files.push_back({path, {{"any", 5}}});
  targets.files.push_back({"/nonexistent-dir/x", {{"any", 7}}});
  std::vector<std::string> problems = SetTargets(targets);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("/nonexistent-dir/x"), std::string::npos);
  SetStderr(false);
  Write(Level::kWarning, "disk almost full");
  Write(Level::kInfo, "not selected: info > notice");
  Write(kInteractiveCommands, Level::kNotice, "selected by any");
  EXPECT_TRUE(SetTargets({}).empty());
  Write(Level::kError, "after the targets were removed");
  SetStderr(true);

  std::FILE* f = std::fopen(path.c_str(), "r");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), f)) > 0) text.append(buffer, n);
  std::fclose(f);
  std::remove(path.c_str());
  rmdir(dir_template);
  ASSERT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  // "Nov 23 16:25:01  r1 sabinad[123]: disk almost full"
  EXPECT_EQ(text.substr(15, 13), "  r1 sabinad[") << text;
  EXPECT_NE(text.find("]: disk almost full\n"), std::string::npos) << text;
  EXPECT_NE(text.find("]: selected by any\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("not selected"), std::string::npos) << text;
  EXPECT_EQ(text.find("after the targets"), std::string::npos) << text;
}

}  // namespace
}  // namespace sabina::log
