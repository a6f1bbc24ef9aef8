#include "mgmt/cli/text.h"

#include <cstdio>
#include <ctime>

namespace sabina::mgmt::cli {

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }
}  // namespace

Tokens Tokenize(std::string_view line) {
  Tokens out;
  size_t i = 0;
  while (i < line.size()) {
    if (IsSpace(line[i])) {
      ++i;
      continue;
    }
    Token tok;
    tok.pos = i;
    // A word may mix quoted and bare parts (`"a b"c`); quotes group, they do not split.
    while (i < line.size() && !IsSpace(line[i])) {
      if (line[i] == '"') {
        tok.quoted = true;
        ++i;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '\\' && i + 1 < line.size()) {
            tok.text += line[i + 1];
            i += 2;
            continue;
          }
          if (line[i] == '"') {
            closed = true;
            ++i;
            break;
          }
          tok.text += line[i++];
        }
        if (!closed) out.unterminated_quote = true;
      } else {
        tok.text += line[i++];
      }
    }
    out.words.push_back(std::move(tok));
  }
  out.trailing_space = !line.empty() && IsSpace(line.back()) && !out.unterminated_quote;
  return out;
}

std::vector<std::string> SplitPipes(std::string_view line, std::vector<size_t>* offsets) {
  std::vector<std::string> parts;
  size_t start = 0;
  bool in_quote = false;
  auto push = [&](size_t end) {
    std::string_view part = line.substr(start, end - start);
    size_t b = 0;
    while (b < part.size() && IsSpace(part[b])) ++b;
    size_t e = part.size();
    while (e > b && IsSpace(part[e - 1])) --e;
    parts.emplace_back(part.substr(b, e - b));
    if (offsets) offsets->push_back(start + b);
  };
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '\\' && in_quote && i + 1 < line.size()) {
      ++i;
    } else if (c == '"') {
      in_quote = !in_quote;
    } else if (c == '|' && !in_quote) {
      push(i);
      start = i + 1;
    }
  }
  push(line.size());
  return parts;
}

int MatchWord(std::string_view typed, const std::vector<Word>& words) {
  int found = -1;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].word == typed) return static_cast<int>(i);
  }
  if (typed.empty()) return -1;
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].word.substr(0, typed.size()) == typed) {
      if (found >= 0) return -2;
      found = static_cast<int>(i);
    }
  }
  return found;
}

std::string FormatTime(int64_t t) {
  time_t tt = static_cast<time_t>(t);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[64];
  strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

std::string FormatHms(int64_t s) {
  if (s < 0) s = 0;
  char buf[64];
  snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
           static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

std::string FormatAgo(int64_t s) {
  if (s < 0) s = 0;
  if (s < 86400) return FormatHms(s);
  long long weeks = s / (7 * 86400);
  long long days = s / 86400 % 7;
  long long hours = s / 3600 % 24;
  long long mins = s / 60 % 60;
  char buf[64];
  if (weeks > 0) {
    snprintf(buf, sizeof buf, "%lldw%lldd %02lld:%02lld", weeks, days, hours, mins);
  } else {
    snprintf(buf, sizeof buf, "%lldd %02lld:%02lld", days, hours, mins);
  }
  return buf;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace sabina::mgmt::cli
