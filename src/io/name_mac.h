// MacFromName: the MAC of a port without hardware (memory, pcap): 02:00 (locally administered,
// unicast) followed by 32 bits of the FNV-1a hash of the name, so the same file or port name
// always gets the same address and two names almost never share one.
//
// Thread: any.
#pragma once

#include <cstdint>
#include <string_view>

#include "packet/headers.h"

namespace sabina::io {

inline packet::MacAddr MacFromName(std::string_view name) {
  uint32_t h = 2166136261u;
  for (char ch : name) {
    h ^= static_cast<uint8_t>(ch);
    h *= 16777619u;
  }
  packet::MacAddr mac;
  mac.bytes = {0x02,
               0x00,
               static_cast<uint8_t>(h >> 24),
               static_cast<uint8_t>(h >> 16),
               static_cast<uint8_t>(h >> 8),
               static_cast<uint8_t>(h)};
  return mac;
}

}  // namespace sabina::io
