// IP addresses and prefixes of the control plane (RIB, FIB builder, neighbours, show route):
// one type for both families, parsed from and printed as Junos writes them ("192.0.2.0/24",
// "2001:db8::/32"), ordered as Junos lists routes: IPv4 before IPv6, then by address, then by
// length (a shorter prefix before the longer ones it covers).
//
// Thread: plain values, any thread.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fib/lpm.h"

namespace sabina::routing {

struct Address {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses the first 4 bytes, rest zero

  static std::optional<Address> Parse(std::string_view text);  // "192.0.2.1", "2001:db8::1"
  static Address FromV4(uint32_t host_order);
  static Address FromV6(const fib::Ip6& words);
  std::string ToString() const;
  uint32_t v4() const;        // host order; IPv4 only
  fib::Ip6 v6_words() const;  // IPv6 only
  uint8_t max_length() const { return v6 ? 128 : 32; }

  friend bool operator==(const Address&, const Address&) = default;
  friend auto operator<=>(const Address&, const Address&) = default;
};

struct Prefix {
  Address address;  // bits beyond `length` are zero
  uint8_t length = 0;

  // "192.0.2.0/24"; a bare address is a host prefix. Host bits are cleared ("192.0.2.1/24" ->
  // 192.0.2.0/24).
  static std::optional<Prefix> Parse(std::string_view text);
  static Prefix Make(const Address& address, uint8_t length);  // clears the host bits
  static Prefix Host(const Address& address) { return Make(address, address.max_length()); }
  std::string ToString() const;
  bool v6() const { return address.v6; }
  bool Contains(const Address& a) const;
  bool Contains(const Prefix& p) const { return p.length >= length && Contains(p.address); }

  friend bool operator==(const Prefix&, const Prefix&) = default;
  friend auto operator<=>(const Prefix&, const Prefix&) = default;
};

}  // namespace sabina::routing
