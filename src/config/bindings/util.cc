#include "config/bindings/util.h"

#include <arpa/inet.h>

#include <charconv>

namespace sabina::config::bindings {

const Node* Child(const Node& n, std::string_view keyword) {
  for (const auto& c : n.children()) {
    if (c->schema() && c->schema()->name == keyword) return c.get();
  }
  return nullptr;
}

std::vector<const Node*> Children(const Node& n, std::string_view keyword) {
  std::vector<const Node*> out;
  for (const auto& c : n.children()) {
    if (c->schema() && c->schema()->name == keyword) out.push_back(c.get());
  }
  return out;
}

std::string Value(const Node& n, std::string_view keyword) {
  const Node* c = Child(n, keyword);
  return c ? c->value() : std::string();
}

bool Has(const Node& n, std::string_view keyword) { return Child(n, keyword) != nullptr; }

std::optional<uint64_t> ToUint(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<uint64_t> UintValue(const Node& n, std::string_view keyword) {
  const Node* c = Child(n, keyword);
  if (!c) return std::nullopt;
  return ToUint(c->value());
}

std::string StatementError(const Node& statement, std::string_view message) {
  std::string words;
  for (const std::string& w : NodeWords(statement)) {
    if (!words.empty()) words += ' ';
    words += w;
  }
  std::string banner = statement.parent() ? statement.parent()->EditBanner() : "[edit]";
  return banner + "\n  '" + words + "'\n    " + std::string(message);
}

std::string LevelError(const Node& container, std::string_view message) {
  return container.EditBanner() + "\n  " + std::string(message);
}

std::string IpPrefix::CanonicalAddress() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof(buf));
  return buf;
}

std::optional<IpPrefix> ParseIp(std::string_view text) {
  IpPrefix p;
  std::string_view addr = text;
  size_t slash = text.find('/');
  if (slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view len = text.substr(slash + 1);
    int v = 0;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), v);
    if (len.empty() || ec != std::errc() || end != len.data() + len.size()) return std::nullopt;
    p.length = v;
  }
  std::string a(addr);
  if (inet_pton(AF_INET, a.c_str(), p.bytes) == 1) {
    p.v6 = false;
  } else if (inet_pton(AF_INET6, a.c_str(), p.bytes) == 1) {
    p.v6 = true;
  } else {
    return std::nullopt;
  }
  if (p.length > (p.v6 ? 128 : 32)) return std::nullopt;
  return p;
}

bool IsInterfaceName(std::string_view text) {
  if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= 'A' && text[0] <= 'Z'))) {
    return false;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '/' || c == '.' || c == '_' || c == ':';
    if (!ok) return false;
  }
  return !ParseIp(text).has_value();
}

}  // namespace sabina::config::bindings
