// Facts about a Linux network device that every kernel-backed driver needs at open time and the
// control thread re-reads later (link state): ifindex, MAC, MTU, flags. All through ioctl(2)
// on a caller-supplied socket, so no extra descriptor is opened per query.
//
// Thread: any (the ioctls are stateless). Not on the per-packet path.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "packet/headers.h"

namespace sabina::io {

struct DeviceInfo {
  int ifindex = 0;
  packet::MacAddr mac;
  uint32_t mtu = 1500;
};

// Reads ifindex, MAC, MTU and flags of `name` using socket `fd` (any AF_PACKET/AF_INET socket).
// A missing device is a clear error ("device veth-x does not exist").
StatusOr<DeviceInfo> QueryDevice(int fd, const std::string& name);
// The MTU of `name`, 0 when the query fails.
uint32_t DeviceMtu(int fd, const std::string& name);
// How often a transmit queue re-reads the device MTU when a frame exceeds what it last saw
// (the control thread raises the MTU of a device after the port is open).
inline constexpr uint64_t kMtuRefreshNs = 100'000'000;

// Monotonic clock in nanoseconds (MTU refresh throttling).
uint64_t MonotonicNs();

// Ones' complement sum helpers for the drivers' offload fix-ups (checksum completion of
// CHECKSUM_PARTIAL packets, software segmentation).
uint32_t ChecksumAdd(const uint8_t* data, uint32_t n, uint32_t sum);
uint16_t ChecksumFold(uint32_t sum);

}  // namespace sabina::io
