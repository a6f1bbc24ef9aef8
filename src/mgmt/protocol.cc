#include "mgmt/protocol.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

namespace sabina::mgmt::protocol {
namespace {

using Json = nlohmann::json;

std::string Dump(const Json& j) {
  // error_handler_t::replace: a stray invalid byte must not turn into an exception.
  std::string out = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  out += '\n';
  return out;
}

// Parses without exceptions; a discarded value means malformed JSON.
StatusOr<Json> ParseObject(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Error("malformed JSON");
  if (!j.is_object()) return Status::Error("expected a JSON object");
  return j;
}

const Json* Field(const Json& j, const char* name) {
  auto it = j.find(name);
  return it == j.end() ? nullptr : &*it;
}

void ReadString(const Json& j, const char* name, std::string* out) {
  const Json* f = Field(j, name);
  if (f != nullptr && f->is_string()) *out = f->get<std::string>();
}

void ReadBool(const Json& j, const char* name, bool* out) {
  const Json* f = Field(j, name);
  if (f != nullptr && f->is_boolean()) *out = f->get<bool>();
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

const char* OpName(Op op) {
  switch (op) {
    case Op::kHello:
      return "hello";
    case Op::kExec:
      return "exec";
    case Op::kTerminal:
      return "terminal";
    case Op::kComplete:
      return "complete";
  }
  return "hello";
}

std::string EncodeRequest(const Request& request) {
  Json j = Json::object();
  j["op"] = OpName(request.op);
  switch (request.op) {
    case Op::kHello:
      if (request.interactive) j["interactive"] = true;
      break;
    case Op::kExec:
    case Op::kComplete:
      j["line"] = request.text;
      break;
    case Op::kTerminal:
      j["text"] = request.text;
      break;
  }
  return Dump(j);
}

StatusOr<Request> DecodeRequest(std::string_view line) {
  StatusOr<Json> parsed = ParseObject(line);
  if (!parsed.ok()) return parsed.status();
  const Json& j = *parsed;
  const Json* op = Field(j, "op");
  if (op == nullptr || !op->is_string()) return Status::Error("missing \"op\"");
  const std::string& name = op->get_ref<const std::string&>();
  Request request;
  const char* text_field = nullptr;
  if (name == "hello") {
    request.op = Op::kHello;
    if (const Json* interactive = Field(j, "interactive")) {
      if (!interactive->is_boolean()) {
        return Status::Error("op \"hello\" needs a boolean \"interactive\"");
      }
      request.interactive = interactive->get<bool>();
    }
  } else if (name == "exec") {
    request.op = Op::kExec;
    text_field = "line";
  } else if (name == "complete") {
    request.op = Op::kComplete;
    text_field = "line";
  } else if (name == "terminal") {
    request.op = Op::kTerminal;
    text_field = "text";
  } else {
    return Status::Error("unknown op \"" + name + "\"");
  }
  if (text_field != nullptr) {
    const Json* text = Field(j, text_field);
    if (text == nullptr || !text->is_string()) {
      return Status::Error(std::string("op \"") + name + "\" needs a string \"" + text_field +
                           "\"");
    }
    request.text = text->get<std::string>();
  }
  return request;
}

std::string EncodeResponse(Op op, const Response& response) {
  Json j = Json::object();
  switch (op) {
    case Op::kComplete: {
      Json list = Json::array();
      for (const CompletionItem& c : response.candidates) {
        list.push_back({{"word", c.word}, {"help", c.help}, {"placeholder", c.placeholder}});
      }
      j["candidates"] = std::move(list);
      j["error"] = response.error;
      break;
    }
    case Op::kHello:
      j["ok"] = response.ok;
      j["prompt"] = response.prompt;
      j["banner"] = response.banner;
      break;
    case Op::kExec:
    case Op::kTerminal:
      j["output"] = response.output;
      j["ok"] = response.ok;
      j["quit"] = response.quit;
      j["wants_terminal"] = response.wants_terminal;
      j["prompt"] = response.prompt;
      j["banner"] = response.banner;
      break;
  }
  return Dump(j);
}

std::string EncodeError(std::string_view message) {
  Json j = Json::object();
  j["ok"] = false;
  j["error"] = std::string(message);
  return Dump(j);
}

StatusOr<Response> DecodeResponse(std::string_view line) {
  StatusOr<Json> parsed = ParseObject(line);
  if (!parsed.ok()) return parsed.status();
  const Json& j = *parsed;
  Response r;
  ReadString(j, "output", &r.output);
  ReadBool(j, "ok", &r.ok);
  ReadBool(j, "quit", &r.quit);
  ReadBool(j, "wants_terminal", &r.wants_terminal);
  ReadString(j, "prompt", &r.prompt);
  ReadString(j, "banner", &r.banner);
  ReadString(j, "error", &r.error);
  if (const Json* list = Field(j, "candidates"); list != nullptr && list->is_array()) {
    for (const Json& c : *list) {
      if (!c.is_object()) continue;
      CompletionItem item;
      ReadString(c, "word", &item.word);
      ReadString(c, "help", &item.help);
      ReadBool(c, "placeholder", &item.placeholder);
      r.candidates.push_back(std::move(item));
    }
  }
  return r;
}

void LineSplitter::Append(std::string_view data) {
  if (overflow_) return;
  // Compact lazily: only when the consumed prefix dominates, so each byte moves O(1) times.
  if (start_ > 0 && start_ >= buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  buffer_.append(data);
}

std::optional<std::string> LineSplitter::Next() {
  if (overflow_) return std::nullopt;
  size_t from = start_ + scan_;
  const void* hit = from < buffer_.size()
                        ? std::memchr(buffer_.data() + from, '\n', buffer_.size() - from)
                        : nullptr;
  if (hit == nullptr) {
    scan_ = buffered();
    if (scan_ > max_line_) {
      overflow_ = true;
      buffer_.clear();
      start_ = scan_ = 0;
    }
    return std::nullopt;
  }
  size_t end = static_cast<size_t>(static_cast<const char*>(hit) - buffer_.data());
  if (end - start_ > max_line_) {
    overflow_ = true;
    buffer_.clear();
    start_ = scan_ = 0;
    return std::nullopt;
  }
  std::string line = buffer_.substr(start_, end - start_);
  start_ = end + 1;
  scan_ = 0;
  if (start_ == buffer_.size()) {
    buffer_.clear();
    start_ = 0;
  }
  return line;
}

namespace {

// Calls on_unquoted(i) for every character of `text` outside double quotes (a backslash inside
// quotes escapes the next character). Returns whether `text` ends inside quotes.
template <typename F>
bool ScanUnquoted(std::string_view text, F on_unquoted) {
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else {
      on_unquoted(i);
    }
  }
  return quoted;
}

}  // namespace

std::vector<std::string> SplitCommands(std::string_view text) {
  std::vector<std::string> commands;
  size_t begin = 0;
  auto add = [&](size_t end) {
    std::string command = Trim(text.substr(begin, end - begin));
    if (!command.empty()) commands.push_back(std::move(command));
    begin = end + 1;
  };
  ScanUnquoted(text, [&](size_t i) {
    if (text[i] == ';') add(i);
  });
  if (begin < text.size()) add(text.size());
  return commands;
}

bool InsideQuotes(std::string_view line) {
  return ScanUnquoted(line, [](size_t) {});
}

std::string_view LastWord(std::string_view line) {
  size_t word_start = 0;
  ScanUnquoted(line, [&](size_t i) {
    if (line[i] == ' ' || line[i] == '\t') word_start = i + 1;
  });
  return line.substr(std::min(word_start, line.size()));
}

std::string CommonPrefix(const std::vector<CompletionItem>& candidates) {
  std::optional<std::string> prefix;
  for (const CompletionItem& c : candidates) {
    if (c.placeholder) continue;
    if (!prefix) {
      prefix = c.word;
      continue;
    }
    size_t n = 0;
    while (n < prefix->size() && n < c.word.size() && (*prefix)[n] == c.word[n]) ++n;
    prefix->resize(n);
  }
  return prefix.value_or("");
}

std::string FormatHelp(const std::vector<CompletionItem>& candidates) {
  std::string out = "Possible completions:\n";
  for (const CompletionItem& c : candidates) {
    out += "  ";
    out += c.word;
    if (!c.help.empty()) {
      // Junos pads the word to 20 columns and always leaves at least one blank.
      out.append(c.word.size() < 20 ? 21 - c.word.size() : 1, ' ');
      out += c.help;
    }
    out += '\n';
  }
  return out;
}

}  // namespace sabina::mgmt::protocol
