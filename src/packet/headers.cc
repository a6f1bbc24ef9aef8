#include "packet/headers.h"

#include <cstdio>

namespace sabina::packet {

std::string MacAddr::ToString() const {
  char text[18];
  std::snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", bytes[0], bytes[1],
                bytes[2], bytes[3], bytes[4], bytes[5]);
  return text;
}

uint32_t ChecksumPartial(const void* data, size_t n, uint32_t seed) {
  const auto* p = static_cast<const uint8_t*>(data);
  uint64_t sum = seed;
  while (n >= 2) {
    uint16_t word;
    std::memcpy(&word, p, 2);
    sum += word;
    p += 2;
    n -= 2;
  }
  if (n == 1) {
    uint16_t word = 0;
    std::memcpy(&word, p, 1);
    sum += word;
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint32_t>(sum);
}

uint16_t Checksum6(const Ip6Header& ip6, uint8_t next_header, const void* l4, uint32_t l4_len) {
  uint32_t sum = ChecksumPartial(ip6.src, 32);
  uint32_t len = htonl(l4_len);
  sum = ChecksumPartial(&len, 4, sum);
  uint32_t nh = htonl(next_header);
  sum = ChecksumPartial(&nh, 4, sum);
  return ChecksumFold(ChecksumPartial(l4, l4_len, sum));
}

uint16_t Checksum4(const Ip4Header& ip4, const void* l4, uint32_t l4_len) {
  uint32_t sum = ChecksumPartial(&ip4.src, 8);
  uint16_t pseudo[2] = {htons(ip4.protocol), htons(static_cast<uint16_t>(l4_len))};
  sum = ChecksumPartial(pseudo, 4, sum);
  return ChecksumFold(ChecksumPartial(l4, l4_len, sum));
}

}  // namespace sabina::packet
