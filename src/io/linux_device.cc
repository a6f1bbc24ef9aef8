#include "io/linux_device.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <time.h>

#include <cerrno>
#include <cstring>

namespace sabina::io {
namespace {

bool FillName(ifreq* ifr, const std::string& name) {
  std::memset(ifr, 0, sizeof(*ifr));
  if (name.empty() || name.size() >= IFNAMSIZ) return false;
  std::memcpy(ifr->ifr_name, name.data(), name.size());
  return true;
}

}  // namespace

StatusOr<DeviceInfo> QueryDevice(int fd, const std::string& name) {
  ifreq ifr;
  if (!FillName(&ifr, name)) return Status::Error("bad device name '" + name + "'");
  DeviceInfo info;
  if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0) {
    if (errno == ENODEV) return Status::Error("device " + name + " does not exist");
    return Status::Error("device " + name + ": SIOCGIFINDEX: " + std::strerror(errno));
  }
  info.ifindex = ifr.ifr_ifindex;
  FillName(&ifr, name);
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0) {
    return Status::Error("device " + name + ": SIOCGIFHWADDR: " + std::strerror(errno));
  }
  if (ifr.ifr_hwaddr.sa_family != 1 /* ARPHRD_ETHER */) {
    return Status::Error("device " + name + " is not an Ethernet device");
  }
  std::memcpy(info.mac.bytes.data(), ifr.ifr_hwaddr.sa_data, 6);
  FillName(&ifr, name);
  if (ioctl(fd, SIOCGIFMTU, &ifr) != 0) {
    return Status::Error("device " + name + ": SIOCGIFMTU: " + std::strerror(errno));
  }
  info.mtu = static_cast<uint32_t>(ifr.ifr_mtu);
  return info;
}

uint32_t DeviceMtu(int fd, const std::string& name) {
  ifreq ifr;
  if (!FillName(&ifr, name) || ioctl(fd, SIOCGIFMTU, &ifr) != 0) return 0;
  return static_cast<uint32_t>(ifr.ifr_mtu);
}

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

uint32_t ChecksumAdd(const uint8_t* data, uint32_t n, uint32_t sum) {
  uint64_t s = sum;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, data, 8);
    s += (w & 0xffffffffu) + (w >> 32);
    data += 8;
    n -= 8;
  }
  while (n >= 2) {
    uint16_t w;
    std::memcpy(&w, data, 2);
    s += w;
    data += 2;
    n -= 2;
  }
  if (n != 0) {
    uint16_t w = 0;
    std::memcpy(&w, data, 1);
    s += w;
  }
  while (s >> 32) s = (s & 0xffffffffu) + (s >> 32);
  return static_cast<uint32_t>(s);
}

uint16_t ChecksumFold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

}  // namespace sabina::io
