#include "config/schema.h"

#include <arpa/inet.h>
#include <libyang/libyang.h>

#include <algorithm>
#include <cstring>

#include "config/schema_internal.h"

namespace sabina::config {

// ---------------------------------------------------------------------------------------------
// SchemaNode

namespace {
// Below this many children a linear scan beats the binary search.
constexpr size_t kLinearLookup = 8;
}  // namespace

// Flat lists have no keyword (they are found through FlatList()), so Child() never returns one.
const SchemaNode* SchemaNode::Child(std::string_view keyword) const {
  const SchemaNode* owner = content_of ? content_of : this;
  const auto& kids = owner->children;
  const auto& index = owner->child_index_;
  if (index.size() == kids.size() && kids.size() > kLinearLookup) {
    auto it = std::lower_bound(index.begin(), index.end(), keyword,
                               [](const auto& e, std::string_view k) { return e.first < k; });
    if (it == index.end() || it->first != keyword) return nullptr;
    const SchemaNode* c = it->second;
    return c->is_list() && c->list_style == ListStyle::kFlat ? nullptr : c;
  }
  for (const SchemaNode* c : kids) {
    if (c->name == keyword && !(c->is_list() && c->list_style == ListStyle::kFlat)) return c;
  }
  return nullptr;
}

const SchemaNode* SchemaNode::FlatList() const {
  for (const SchemaNode* c : content()) {
    if (c->is_list() && c->list_style == ListStyle::kFlat) return c;
  }
  return nullptr;
}

size_t SchemaNode::Position(const SchemaNode* child) const {
  const SchemaNode* owner = content_of ? content_of : this;
  const auto& kids = owner->children;
  if (child && child->parent == owner && child->position_ < kids.size() &&
      kids[child->position_] == child) {
    return child->position_;
  }
  for (size_t i = 0; i < kids.size(); ++i) {
    if (kids[i] == child) return i;
  }
  return kids.size();
}

std::string SchemaNode::Path() const {
  std::vector<const SchemaNode*> chain;
  for (const SchemaNode* n = this; n && n->parent; n = n->parent) chain.push_back(n);
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->is_list() && (*it)->list_style == ListStyle::kFlat) continue;
    if (!out.empty()) out += ' ';
    out += (*it)->name;
  }
  return out;
}

void SchemaNode::Finalize() {
  child_index_.clear();
  for (size_t i = 0; i < children.size(); ++i) {
    SchemaNode* c = const_cast<SchemaNode*>(children[i]);  // we own our children's schema
    c->position_ = i;
    child_index_.emplace_back(c->name, c);  // flat lists too, so that sizes match children
  }
  std::sort(child_index_.begin(), child_index_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& c : owned_children) c->Finalize();
}

// ---------------------------------------------------------------------------------------------
// Wildcards

bool IsWildcard(std::string_view v) { return v.size() >= 3 && v.front() == '<' && v.back() == '>'; }

namespace {

// Matches a `[...]` class at p[0] == '['; sets *len to the class length. Junos writes lists as
// `[0,1]`, so commas separate items.
bool ClassMatches(std::string_view p, char c, size_t* len) {
  size_t i = 1;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negate = true;
    ++i;
  }
  bool hit = false;
  size_t start = i;
  for (; i < p.size() && (p[i] != ']' || i == start); ++i) {
    if (p[i] == ',') continue;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      if (c >= p[i] && c <= p[i + 2]) hit = true;
      i += 2;
    } else if (p[i] == c) {
      hit = true;
    }
  }
  if (i >= p.size()) return false;  // unterminated: treat as no match
  *len = i + 1;
  return hit != negate;
}

bool Glob(std::string_view p, std::string_view v) {
  size_t pi = 0, vi = 0;
  size_t star_p = std::string_view::npos, star_v = 0;
  while (vi < v.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star_p = pi++;
      star_v = vi;
      continue;
    }
    if (pi < p.size()) {
      size_t len = 1;
      bool ok;
      if (p[pi] == '?') {
        ok = true;
      } else if (p[pi] == '[') {
        ok = ClassMatches(p.substr(pi), v[vi], &len);
      } else {
        ok = p[pi] == v[vi];
      }
      if (ok) {
        pi += len;
        ++vi;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    pi = star_p + 1;
    vi = ++star_v;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace

bool WildcardMatches(std::string_view wildcard, std::string_view value) {
  if (!IsWildcard(wildcard)) return wildcard == value;
  return Glob(wildcard.substr(1, wildcard.size() - 2), value);
}

// ---------------------------------------------------------------------------------------------
// Value validation. The common types never allocate: addresses go through inet_pton on a
// stack copy.

namespace internal {

bool ParseUint(std::string_view v, uint64_t* out) {
  if (v.empty() || v.size() > 20) return false;
  uint64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (UINT64_MAX - d) / 10) return false;
    n = n * 10 + d;
  }
  *out = n;
  return true;
}

bool IsIpv4(std::string_view v) {
  char buf[INET_ADDRSTRLEN];
  if (v.empty() || v.size() >= sizeof(buf)) return false;
  memcpy(buf, v.data(), v.size());
  buf[v.size()] = '\0';
  in_addr a;
  return inet_pton(AF_INET, buf, &a) == 1;
}

bool IsIpv6(std::string_view v) {
  char buf[INET6_ADDRSTRLEN];
  if (v.empty() || v.size() >= sizeof(buf)) return false;
  memcpy(buf, v.data(), v.size());
  buf[v.size()] = '\0';
  in6_addr a;
  return inet_pton(AF_INET6, buf, &a) == 1;
}

namespace {

// "A/L" with L <= max_len; the address part checked by `is_addr`. `need_len`: the "/L" part
// is mandatory.
bool IsPrefix(std::string_view v, bool (*is_addr)(std::string_view), uint64_t max_len,
              bool need_len) {
  size_t slash = v.find('/');
  if (slash == std::string_view::npos) return !need_len && is_addr(v);
  uint64_t len;
  if (!ParseUint(v.substr(slash + 1), &len) || len > max_len || slash + 1 >= v.size() ||
      v.size() - slash - 1 > 3) {
    return false;
  }
  return is_addr(v.substr(0, slash));
}

}  // namespace

bool FastValid(ValueType t, std::string_view v) {
  switch (t) {
    case ValueType::kIpv4Address:
      return IsIpv4(v);
    case ValueType::kIpv6Address:
      return IsIpv6(v);
    case ValueType::kIpAddress:
      return IsIpv4(v) || IsIpv6(v);
    case ValueType::kIpv4Prefix:
      return IsPrefix(v, IsIpv4, 32, true);
    case ValueType::kIpv6Prefix:
      return IsPrefix(v, IsIpv6, 128, true);
    case ValueType::kIpPrefix:
      return IsPrefix(v, IsIpv4, 32, true) || IsPrefix(v, IsIpv6, 128, true);
    case ValueType::kIpv4AddressOrPrefix:
      return IsPrefix(v, IsIpv4, 32, false);
    case ValueType::kIpv6AddressOrPrefix:
      return IsPrefix(v, IsIpv6, 128, false);
    case ValueType::kString:
      return true;
    case ValueType::kEmpty:
      return v.empty();
    case ValueType::kUint: {
      uint64_t n;
      return ParseUint(v, &n);
    }
    case ValueType::kInt:
    case ValueType::kEnum:
    case ValueType::kYang:
      return false;  // need the node's restrictions
  }
  return false;
}

}  // namespace internal

namespace {

using internal::FastValid;
using internal::ParseUint;

std::string Quoted(std::string_view v) {
  // Keep messages short and printable whatever the input was.
  std::string out;
  for (char c : v.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += '?';
    } else {
      out += c;
    }
  }
  if (v.size() > 80) out += "...";
  return out;
}

std::string RangeText(const SchemaNode& n, bool is_signed) {
  if (is_signed) {
    return "(" + std::to_string(static_cast<int64_t>(n.min)) + ".." +
           std::to_string(static_cast<int64_t>(n.max)) + ")";
  }
  return "(" + std::to_string(n.min) + ".." + std::to_string(n.max) + ")";
}

bool ParseInt(std::string_view v, int64_t* out) {
  bool neg = !v.empty() && v[0] == '-';
  uint64_t mag;
  if (!ParseUint(neg ? v.substr(1) : v, &mag)) return false;
  if (neg) {
    if (mag > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    *out = static_cast<int64_t>(0 - mag);
  } else {
    if (mag > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(mag);
  }
  return true;
}

Status ValidateYang(const SchemaNode& n, const lysc_node* y, std::string_view v) {
  for (ValueType t : n.union_types) {
    if (FastValid(t, v)) return Status::Ok();
  }
  if (!y) return Status::Ok();  // hand-built schema: nothing more to check
  LY_ERR r = lyd_value_validate(y->module->ctx, y, v.data(), v.size(), nullptr, nullptr, nullptr);
  if (r == LY_SUCCESS || r == LY_EINCOMPLETE) return Status::Ok();
  std::string msg = "invalid value: " + Quoted(v);
  if (!n.type_help.empty()) msg += " (expecting " + n.type_help + ")";
  return Status::Error(msg);
}

}  // namespace

Status ValidateValue(const SchemaNode& node, std::string_view value, bool in_group) {
  if (in_group && node.is_list() && IsWildcard(value)) return Status::Ok();
  return ValidateValue(node, value);
}

Status ValidateValue(const SchemaNode& n, std::string_view v) {
  ValueType t = n.is_list() ? n.key_type : n.type;
  const lysc_node* y = n.is_list() ? n.key_yang : n.yang;
  switch (t) {
    case ValueType::kString:
      if (v.size() < n.min || v.size() > n.max) {
        return Status::Error("value " + Quoted(v) + " has invalid length: must be " +
                             std::to_string(n.min) + ".." + std::to_string(n.max) + " characters");
      }
      return Status::Ok();
    case ValueType::kEmpty:
      if (!v.empty()) return Status::Error("'" + n.name + "' takes no value: " + Quoted(v));
      return Status::Ok();
    case ValueType::kUint: {
      uint64_t x;
      if (!ParseUint(v, &x)) {
        // A digit string too long for 64 bits is out of range, not malformed.
        bool digits = !v.empty() &&
                      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) return Status::Error("invalid numeric value: " + Quoted(v));
        return Status::Error("value " + Quoted(v) + " is not within range " + RangeText(n, false));
      }
      if (x < n.min || x > n.max) {
        return Status::Error("value " + Quoted(v) + " is not within range " + RangeText(n, false));
      }
      return Status::Ok();
    }
    case ValueType::kInt: {
      int64_t x;
      if (!ParseInt(v, &x)) return Status::Error("invalid numeric value: " + Quoted(v));
      if (x < static_cast<int64_t>(n.min) || x > static_cast<int64_t>(n.max)) {
        return Status::Error("value " + Quoted(v) + " is not within range " + RangeText(n, true));
      }
      return Status::Ok();
    }
    case ValueType::kEnum: {
      for (const auto& e : n.enum_values) {
        if (e == v) return Status::Ok();
      }
      std::string msg = "invalid value: " + Quoted(v) + " (expecting one of:";
      for (const auto& e : n.enum_values) msg += " " + e;
      return Status::Error(msg + ")");
    }
    case ValueType::kIpv4Address:
    case ValueType::kIpv6Address:
    case ValueType::kIpAddress:
      if (FastValid(t, v)) return Status::Ok();
      return Status::Error("invalid address: " + Quoted(v));
    case ValueType::kIpv4Prefix:
    case ValueType::kIpv6Prefix:
    case ValueType::kIpPrefix:
      if (FastValid(t, v)) return Status::Ok();
      return Status::Error("invalid prefix: " + Quoted(v));
    case ValueType::kIpv4AddressOrPrefix:
    case ValueType::kIpv6AddressOrPrefix:
      if (FastValid(t, v)) return Status::Ok();
      return Status::Error("invalid address: " + Quoted(v));
    case ValueType::kYang:
      return ValidateYang(n, y, v);
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Schema

Schema::Schema(std::unique_ptr<SchemaNode> root) : root_(std::move(root)) { root_->Finalize(); }

Schema::~Schema() = default;

}  // namespace sabina::config
