#include "mgmt/cli/show_common.h"

#include <arpa/inet.h>

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace sabina::mgmt::cli {

std::optional<PrefixText> PrefixText::Parse(std::string_view text) {
  PrefixText p;
  std::string addr(text);
  size_t slash = addr.find('/');
  int length = -1;
  if (slash != std::string::npos) {
    std::string_view len = std::string_view(addr).substr(slash + 1);
    if (len.empty() || len.size() > 3) return std::nullopt;
    length = 0;
    for (char c : len) {
      if (c < '0' || c > '9') return std::nullopt;
      length = length * 10 + (c - '0');
    }
    addr.resize(slash);
  }
  if (inet_pton(AF_INET, addr.c_str(), p.bytes.data()) == 1) {
    p.v6 = false;
  } else if (inet_pton(AF_INET6, addr.c_str(), p.bytes.data()) == 1) {
    p.v6 = true;
  } else {
    return std::nullopt;
  }
  int max = p.v6 ? 128 : 32;
  if (length > max) return std::nullopt;
  p.has_length = length >= 0;
  p.length = length >= 0 ? length : max;
  return p;
}

PrefixText PrefixText::Network() const {
  PrefixText p = *this;
  for (int i = 0; i < 16; ++i) {
    int bits = length - i * 8;
    if (bits >= 8) continue;
    p.bytes[i] &= bits <= 0 ? 0 : static_cast<uint8_t>(0xff << (8 - bits));
  }
  return p;
}

PrefixText PrefixText::Broadcast() const {
  PrefixText p = *this;
  int max = v6 ? 16 : 4;
  for (int i = 0; i < max; ++i) {
    int bits = length - i * 8;
    if (bits >= 8) continue;
    p.bytes[i] |= bits <= 0 ? 0xff : static_cast<uint8_t>(0xff >> bits);
  }
  return p;
}

std::string PrefixText::AddressString() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

bool PrefixText::Contains(const PrefixText& o) const {
  if (o.v6 != v6 || o.length < length) return false;
  PrefixText a = Network();
  PrefixText b = o;
  b.length = length;
  return a.bytes == b.Network().bytes;
}

bool PrefixLess(const PrefixText& a, const PrefixText& b) {
  if (a.v6 != b.v6) return !a.v6;
  PrefixText na = a.Network(), nb = b.Network();
  int c = std::memcmp(na.bytes.data(), nb.bytes.data(), 16);
  if (c != 0) return c < 0;
  return a.length < b.length;
}

std::string Printf(const char* format, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(buf, sizeof buf, format, ap);
  va_end(ap);
  return buf;
}

std::string FormatRouteAge(int64_t s) {
  if (s < 0) s = 0;
  long long weeks = s / (7 * 86400), days = s / 86400 % 7;
  long long h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
  char buf[64];
  if (weeks > 0) {
    snprintf(buf, sizeof buf, "%lldw%lldd %02lld:%02lld:%02lld", weeks, days, h, m, sec);
  } else if (days > 0) {
    snprintf(buf, sizeof buf, "%lldd %02lld:%02lld:%02lld", days, h, m, sec);
  } else {
    snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", h, m, sec);
  }
  return buf;
}

}  // namespace sabina::mgmt::cli
