#include "routing/prefix.h"

#include <arpa/inet.h>

#include <charconv>

namespace sabina::routing {

std::optional<Address> Address::Parse(std::string_view text) {
  if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  Address a;
  if (s.find(':') != std::string::npos) {
    a.v6 = true;
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  } else if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) {
    return std::nullopt;
  }
  return a;
}

Address Address::FromV4(uint32_t host_order) {
  Address a;
  for (int i = 0; i < 4; ++i) a.bytes[i] = static_cast<uint8_t>(host_order >> (24 - 8 * i));
  return a;
}

Address Address::FromV6(const fib::Ip6& words) {
  Address a;
  a.v6 = true;
  for (int i = 0; i < 8; ++i) {
    a.bytes[i] = static_cast<uint8_t>(words.hi >> (56 - 8 * i));
    a.bytes[8 + i] = static_cast<uint8_t>(words.lo >> (56 - 8 * i));
  }
  return a;
}

std::string Address::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf);
  return buf;
}

uint32_t Address::v4() const {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3];
}

fib::Ip6 Address::v6_words() const {
  fib::Ip6 w;
  for (int i = 0; i < 8; ++i) {
    w.hi = w.hi << 8 | bytes[i];
    w.lo = w.lo << 8 | bytes[8 + i];
  }
  return w;
}

std::optional<Prefix> Prefix::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto address = Address::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  if (slash == std::string_view::npos) return Host(*address);
  const std::string_view len = text.substr(slash + 1);
  unsigned length = 0;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), length);
  if (len.empty() || ec != std::errc() || end != len.data() + len.size() ||
      length > address->max_length()) {
    return std::nullopt;
  }
  return Make(*address, static_cast<uint8_t>(length));
}

Prefix Prefix::Make(const Address& address, uint8_t length) {
  Prefix p{address, length};
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned first_bit = i * 8;
    if (first_bit >= length) {
      p.address.bytes[i] = 0;
    } else if (first_bit + 8 > length) {
      p.address.bytes[i] &= static_cast<uint8_t>(0xff00 >> (length - first_bit));
    }
  }
  return p;
}

std::string Prefix::ToString() const { return address.ToString() + "/" + std::to_string(length); }

bool Prefix::Contains(const Address& a) const {
  return a.v6 == address.v6 && Make(a, length).address == address;
}

}  // namespace sabina::routing
