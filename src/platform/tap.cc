#include "platform/tap.h"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "platform/kernel_routes.h"

namespace sabina::platform {

namespace {

struct Setting {
  bool ipv6;
  const char* key;
  const char* value;
};

// Applied while the device is still down: DAD, RA and address generation act at up.
constexpr Setting kSettings[] = {
    {false, "forwarding", "0"},
    {false, "arp_ignore", "1"},
    {false, "arp_announce", "2"},
    {false, "rp_filter", "0"},
    {false, "accept_redirects", "0"},
    {false, "send_redirects", "0"},
    {false, "promote_secondaries", "1"},
    {true, "disable_ipv6", "0"},
    {true, "forwarding", "0"},
    {true, "accept_dad", "0"},
    {true, "accept_ra", "0"},
    {true, "accept_redirects", "0"},
    {true, "addr_gen_mode", "0"},
    {true, "keep_addr_on_down", "1"},
};

// The address the kernel generates for the tap (addr_gen_mode 0): fe80::/64 + EUI-64(MAC).
IpPrefix Eui64LinkLocal(const packet::MacAddr& mac) {
  IpPrefix p;
  p.address.family = AF_INET6;
  p.address.bytes[0] = 0xfe;
  p.address.bytes[1] = 0x80;
  p.address.bytes[8] = mac.bytes[0] ^ 0x02;
  p.address.bytes[9] = mac.bytes[1];
  p.address.bytes[10] = mac.bytes[2];
  p.address.bytes[11] = 0xff;
  p.address.bytes[12] = 0xfe;
  p.address.bytes[13] = mac.bytes[3];
  p.address.bytes[14] = mac.bytes[4];
  p.address.bytes[15] = mac.bytes[5];
  p.length = 64;
  return p;
}

}  // namespace

StatusOr<Tap> Tap::Create(std::string_view name, const packet::MacAddr& mac, uint32_t mtu) {
  std::string context = "host interface " + std::string(name);
  // '%' would make the kernel pick a name ("tap%d").
  if (name.empty() || name.size() >= IFNAMSIZ || name.find_first_of("/: %\t\n") != name.npos) {
    return Status::Error(context + ": invalid name");
  }
  if (GetLink(name).ok()) return Status::Error(context + ": exists already");
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return Status::Error(context + ": /dev/net/tun: " + std::strerror(errno));
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
    int err = errno;
    close(fd);
    return Status::Error(context + ": TUNSETIFF: " + std::strerror(err));
  }
  Tap tap(fd, std::string(name));  // from here on, failures delete the device
  tap.mac_ = mac;
  auto link = GetLink(name);
  if (!link.ok()) return link.status();
  tap.ifindex_ = link->ifindex;
  bool ipv6 = KernelHasIpv6();
  for (const Setting& s : kSettings) {
    if (s.ipv6 && !ipv6) continue;
    SABINA_RETURN_IF_ERROR(SetDeviceSysctl(s.ipv6, name, s.key, s.value).WithContext(context));
  }
  SABINA_RETURN_IF_ERROR(SetMac(tap.ifindex_, mac).WithContext(context));
  SABINA_RETURN_IF_ERROR(platform::SetMtu(tap.ifindex_, mtu).WithContext(context));
  SABINA_RETURN_IF_ERROR(SetLinkUp(tap.ifindex_, true).WithContext(context));
  return tap;
}

Tap::Tap(Tap&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ifindex_(std::exchange(other.ifindex_, 0)),
      name_(std::move(other.name_)),
      mac_(other.mac_),
      counters_(other.counters_) {}

Tap& Tap::operator=(Tap&& other) noexcept {
  if (this != &other) {
    Destroy();
    fd_ = std::exchange(other.fd_, -1);
    ifindex_ = std::exchange(other.ifindex_, 0);
    name_ = std::move(other.name_);
    mac_ = other.mac_;
    counters_ = other.counters_;
  }
  return *this;
}

Tap::~Tap() { Destroy(); }

void Tap::Destroy() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  if (ifindex_ == 0) return;
  // Still there when another process holds a copy of the descriptor; the ifindex and name check
  // guards against deleting a device that took the index since.
  auto link = GetLink(ifindex_);
  if (link.ok() && link->name == name_) (void)DeleteLink(ifindex_);
  ifindex_ = 0;
  MarkKernelRoutesStale();
}

ssize_t Tap::Read(uint8_t* buf, size_t cap) {
  ssize_t n = read(fd_, buf, cap);
  if (n > 0) {
    ++counters_.rx_packets;
    counters_.rx_bytes += static_cast<uint64_t>(n);
    return n;
  }
  if (n == 0 || errno == EAGAIN || errno == EINTR) return 0;
  return -errno;
}

bool Tap::Write(const uint8_t* frame, size_t len) {
  ssize_t n = write(fd_, frame, len);
  if (n != static_cast<ssize_t>(len)) {
    ++counters_.tx_drops;
    return false;
  }
  ++counters_.tx_packets;
  counters_.tx_bytes += len;
  return true;
}

Status Tap::SetAddresses(const std::vector<std::string>& prefixes) {
  std::string context = "host interface " + name_;
  std::vector<IpPrefix> want;
  for (const std::string& text : prefixes) {
    auto p = IpPrefix::Parse(text);
    if (!p.ok()) return p.status().WithContext(context);
    want.push_back(*p);
  }
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  auto have = ListAddresses(ifindex_);
  if (!have.ok()) return have.status().WithContext(context);
  const IpPrefix link_local = Eui64LinkLocal(mac_);
  for (const InterfaceAddress& a : *have) {
    if (a.prefix == link_local || std::binary_search(want.begin(), want.end(), a.prefix)) continue;
    MarkKernelRoutesStale();
    SABINA_RETURN_IF_ERROR(DeleteAddress(ifindex_, a.prefix).WithContext(context));
  }
  for (const IpPrefix& p : want) {
    bool present = std::any_of(have->begin(), have->end(),
                               [&](const InterfaceAddress& a) { return a.prefix == p; });
    if (!present) SABINA_RETURN_IF_ERROR(AddAddress(ifindex_, p).WithContext(context));
  }
  return Status::Ok();
}

Status Tap::SetMtu(uint32_t mtu) {
  MarkKernelRoutesStale();  // below 1280 the kernel turns IPv6, and its routes, off
  return platform::SetMtu(ifindex_, mtu).WithContext("host interface " + name_);
}

Status Tap::SetUp(bool up) {
  if (!up) MarkKernelRoutesStale();
  return SetLinkUp(ifindex_, up).WithContext("host interface " + name_);
}

}  // namespace sabina::platform
