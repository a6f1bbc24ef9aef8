#include "platform/host_name.h"

#include <cstdint>
#include <cstdio>

namespace sabina::platform {

namespace {

uint32_t Fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  return h;
}

bool Allowed(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

}  // namespace

std::string HostIfName(std::string_view junos_unit) {
  std::string name;
  name.reserve(junos_unit.size());
  for (char c : junos_unit) name.push_back(c == '/' ? '-' : Allowed(c) ? c : '_');
  // "", "." and ".." are not valid device names either; the hashed form is.
  if (name.size() <= kMaxIfNameLength && name != "" && name != "." && name != "..") return name;
  constexpr size_t kHead = kMaxIfNameLength - 6;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "-%05x", Fnv1a(junos_unit) & 0xfffffu);
  if (name.size() > kHead) name.resize(kHead);
  if (name.empty() || name == "." || name == "..") name = "if";
  return name + suffix;
}

}  // namespace sabina::platform
