#include "mgmt/cli/pipes.h"

#include <gtest/gtest.h>

#include "mgmt/cli/show_system.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {
namespace {

Pipe Parse(std::string_view text) {
  Pipe p;
  PipeError err;
  EXPECT_TRUE(ParsePipe(text, &p, &err)) << text << ": " << err.message;
  return p;
}

std::string Filter(std::string text, std::vector<std::string> pipes) {
  std::vector<Pipe> parsed;
  for (const std::string& p : pipes) parsed.push_back(Parse(p));
  StatusOr<std::string> out = FilterOutput(std::move(text), parsed);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return out.ok() ? *out : "";
}

const char* kText =
    "system {\n"
    "    host-name r1;\n"
    "}\n"
    "interfaces {\n"
    "    ge-0/0/0 {\n"
    "        description \"Uplink A\";\n"
    "    }\n"
    "}\n";

TEST(Pipes, MatchIsCaseInsensitiveExtendedRegex) {
  EXPECT_EQ(Filter(kText, {"match UPLINK|host"}),
            "    host-name r1;\n        description \"Uplink A\";\n");
  EXPECT_EQ(Filter(kText, {"m ge-[0-9]"}), "    ge-0/0/0 {\n");
}

TEST(Pipes, ExceptCountLastChained) {
  EXPECT_EQ(Filter(kText, {"except \"[{}]\""}),
            "    host-name r1;\n        description \"Uplink A\";\n");
  EXPECT_EQ(Filter(kText, {"count"}), "Count: 8 lines\n");
  EXPECT_EQ(Filter(kText, {"except }", "count"}), "Count: 5 lines\n");
  EXPECT_EQ(Filter(kText, {"last 2"}), "    }\n}\n");
  EXPECT_EQ(Filter(kText, {"last 100"}), kText);
  EXPECT_EQ(Filter(kText, {"no-more"}), kText);
  EXPECT_EQ(Filter("", {"count"}), "Count: 0 lines\n");
}

TEST(Pipes, DisplayAndCompareParse) {
  EXPECT_EQ(Parse("display set").kind, Pipe::Kind::kDisplaySet);
  EXPECT_EQ(Parse("d i").kind, Pipe::Kind::kDisplayInheritance);
  Pipe c = Parse("compare");
  EXPECT_EQ(c.kind, Pipe::Kind::kCompare);
  EXPECT_EQ(c.number, -1);
  c = Parse("compare rollback 3");
  EXPECT_EQ(c.number, 3);
  // display/compare leave the text alone; the show command renders them.
  EXPECT_EQ(Filter(kText, {"display set"}), kText);
}

TEST(Pipes, Errors) {
  Pipe p;
  PipeError err;
  EXPECT_FALSE(ParsePipe("c", &p, &err));  // compare, count
  EXPECT_EQ(err.message, "'c' is ambiguous.");
  EXPECT_FALSE(ParsePipe("frobnicate", &p, &err));
  EXPECT_EQ(err.message, "syntax error, expecting <command>: frobnicate");
  EXPECT_EQ(err.pos, 0u);
  EXPECT_FALSE(ParsePipe("last x", &p, &err));
  EXPECT_EQ(err.pos, 5u);
  EXPECT_FALSE(ParsePipe("match", &p, &err));
  EXPECT_EQ(err.message, "syntax error, expecting <pattern>.");
  EXPECT_FALSE(ParsePipe("display xml", &p, &err));
  EXPECT_FALSE(ParsePipe("compare rollback 50", &p, &err));
  StatusOr<std::string> bad = FilterOutput("x\n", {Parse("match (")});
  EXPECT_FALSE(bad.ok());
}

TEST(Text, TokenizeKeepsPositionsAndQuotes) {
  Tokens t = Tokenize("set description \"a \\\"b\\\" c\" x ");
  ASSERT_EQ(t.words.size(), 4u);
  EXPECT_EQ(t.words[2].text, "a \"b\" c");
  EXPECT_TRUE(t.words[2].quoted);
  EXPECT_EQ(t.words[3].pos, 28u);
  EXPECT_TRUE(t.trailing_space);
  EXPECT_TRUE(Tokenize("set x \"abc").unterminated_quote);
}

TEST(Text, SplitPipesIgnoresQuotedBars) {
  std::vector<size_t> off;
  std::vector<std::string> parts = SplitPipes("show | match \"a|b\" | count", &off);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "show");
  EXPECT_EQ(parts[1], "match \"a|b\"");
  EXPECT_EQ(parts[2], "count");
  EXPECT_EQ(off[1], 7u);
}

TEST(Text, MatchWordPrefixes) {
  std::vector<Word> words = {{"show", ""}, {"set", ""}, {"configure", ""}};
  EXPECT_EQ(MatchWord("sh", words), 0);
  EXPECT_EQ(MatchWord("s", words), -2);
  EXPECT_EQ(MatchWord("conf", words), 2);
  EXPECT_EQ(MatchWord("x", words), -1);
}

TEST(Text, JunosTimeFormats) {
  EXPECT_EQ(FormatTime(1795964674), "2026-11-29 15:04:34 UTC");
  EXPECT_EQ(FormatAgo(297), "00:04:57");
  EXPECT_EQ(FormatAgo(5 * 86400 + 15 * 3600 + 52 * 60 + 7), "5d 15:52");
  EXPECT_EQ(FormatAgo(6 * 7 * 86400 + 86400 + 21 * 3600 + 28 * 60), "6w1d 21:28");
}

TEST(ShowSystem, CommitHistoryLayout) {
  std::vector<config::CommitInfo> h(11);
  for (size_t i = 0; i < h.size(); ++i) {
    h[i].time = 1583424274 - static_cast<int64_t>(i) * 60;
    h[i].user = "cisco";
    h[i].client = "cli";
  }
  h[0].comment = "new uplink";
  std::string out = FormatSystemCommit(h, std::nullopt, 0, 60);
  EXPECT_EQ(out.substr(0, out.find('\n', out.find('\n') + 1) + 1),
            "0   2020-03-05 16:04:34 UTC by cisco via cli\n"
            "    new uplink\n");
  EXPECT_NE(out.find("\n10  2020-03-05 15:54:34 UTC by cisco via cli\n"), std::string::npos);
  out = FormatSystemCommit(h, 1583424274 + 250, 1583424274, 60);
  EXPECT_EQ(out.substr(0, out.find('\n') + 1),
            "0   2020-03-05 16:04:34 UTC by cisco via cli commit confirmed, rollback in 5mins\n");
}

TEST(ShowSystem, UptimeLayout) {
  UptimeInput in;
  in.now = 1585210601;  // 2020-03-26 08:16:41
  in.booted = in.now - (209 * 86400 + 23 * 3600 + 14 * 60 + 19);
  in.protocols_started = in.now - (2 * 3600 + 5);
  config::CommitInfo last;
  last.time = in.now - 297;
  last.user = "kddi";
  in.last_commit = &last;
  in.users = 5;
  in.load[0] = 0.43;
  in.load[1] = 0.43;
  in.load[2] = 0.42;
  EXPECT_EQ(FormatUptime(in),
            "Current time: 2020-03-26 08:16:41 UTC\n"
            "Time Source:  LOCAL CLOCK \n"
            "System booted: 2019-08-29 09:02:22 UTC (29w6d 23:14 ago)\n"
            "Protocols started: 2020-03-26 06:16:36 UTC (02:00:05 ago)\n"
            "Last configured: 2020-03-26 08:11:44 UTC (00:04:57 ago) by kddi\n"
            " 8:16AM  up 209 days, 23:14, 5 users, load averages: 0.43, 0.43, 0.42\n");
  in.booted = in.now - 300;
  in.users = 1;
  std::string out = FormatUptime(in);
  EXPECT_NE(out.find(" 8:16AM  up 5 mins, 1 user, load"), std::string::npos) << out;
}

TEST(ShowSystem, Version) {
  EXPECT_EQ(FormatVersion("r1"), "Hostname: r1\nModel: sabina\nSabina version 0.1.0\n");
}

}  // namespace
}  // namespace sabina::mgmt::cli
