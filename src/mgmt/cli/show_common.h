// Helpers shared by the forwarding formatters: address/prefix text parsing and arithmetic
// (for the route filters and the interface address lines) and Junos' route age format.
//
// Thread: pure functions, any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sabina::mgmt::cli {

struct PrefixText {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // network order; the host bits are kept as written
  int length = 0;                   // bits

  // "192.0.2.1/24", "2001:db8::/32"; a bare address is a host prefix (has_length false).
  static std::optional<PrefixText> Parse(std::string_view text);
  bool has_length = true;

  PrefixText Network() const;    // host bits cleared
  PrefixText Broadcast() const;  // host bits set (IPv4)
  std::string AddressString() const;
  std::string ToString() const { return AddressString() + "/" + std::to_string(length); }
  // True if `o` lies within this prefix (o.length >= length and the first `length` bits agree).
  bool Contains(const PrefixText& o) const;
};

// Orders prefixes as Junos lists routes: by address, then a shorter prefix first.
bool PrefixLess(const PrefixText& a, const PrefixText& b);

// snprintf into a std::string (lines of the tables; up to 1 KiB).
std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Route ages: "00:01:02", "1d 02:03:04", "5w2d 15:42:25".
std::string FormatRouteAge(int64_t seconds);

}  // namespace sabina::mgmt::cli
