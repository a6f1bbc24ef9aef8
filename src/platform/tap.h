// Host (mirror) interface of one logical unit: a Linux TAP device named HostIfName(unit) that
// carries the unit's addresses in the kernel (VPP linux-cp model; see netlink.h for how the
// control thread moves frames between taps and ports).
//
// The tap has the port's MAC, so frames the kernel writes carry the router's source MAC and
// the kernel accepts frames addressed to it. Its kernel settings make it a host, not a router:
// IPv4/IPv6 forwarding off, no DAD (IFA_F_NODAD; the data plane owns the wire), no router
// advertisements or redirects accepted, arp_ignore=1 and arp_announce=2 (answer and source ARP
// only for addresses on this tap), rp_filter=0 (the reverse path of a punted packet may be
// another unit), promote_secondaries=1 and keep_addr_on_down=1 (addresses survive primary
// removal and admin down, so SetAddresses stays the only writer). The kernel's EUI-64 IPv6
// link-local address (from the MAC) is kept, and is the unit's link-local for the data plane
// too. rp_filter follows max(conf/all, conf/DEV): a namespace with all.rp_filter=1 may drop
// punted packets whose source route points at another tap.
//
// Thread: control. Owns the descriptor; destroying the Tap deletes the device (closing a
// non-persistent tap's last descriptor does; the destructor makes sure with RTM_DELLINK when a
// descriptor was duplicated, e.g. by fork()).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "packet/headers.h"
#include "platform/netlink.h"

namespace sabina::platform {

class Tap {
 public:
  struct Counters {
    uint64_t rx_packets = 0, rx_bytes = 0;  // frames the kernel sent (read from the tap)
    uint64_t tx_packets = 0, tx_bytes = 0;  // frames given to the kernel (written to the tap)
    uint64_t tx_drops = 0;                  // writes the kernel refused (queue full, link down)
  };

  // Creates the device (IFF_TAP|IFF_NO_PI, non-blocking descriptor), applies the settings
  // above, sets `mac` and `mtu` and brings it up. Fails if `name` exists already.
  static StatusOr<Tap> Create(std::string_view name, const packet::MacAddr& mac, uint32_t mtu);

  Tap(Tap&& other) noexcept;
  Tap& operator=(Tap&& other) noexcept;
  Tap(const Tap&) = delete;
  Tap& operator=(const Tap&) = delete;
  ~Tap();

  const std::string& name() const { return name_; }
  int ifindex() const { return ifindex_; }
  // Readable when the kernel has frames for the port (poll/epoll from the control loop).
  int fd() const { return fd_; }

  // One frame into `buf` (Ethernet header first, no VLAN tag, at most MTU + 14 bytes; a
  // larger frame is truncated to `cap`): its length, 0 when none is waiting, -errno on error.
  ssize_t Read(uint8_t* buf, size_t cap);
  // Gives one Ethernet frame to the kernel as if received on the tap. Never blocks: a frame the
  // kernel does not take is dropped and counted (tx_drops). True when taken.
  bool Write(const uint8_t* frame, size_t len);

  // Makes the kernel addresses of the tap exactly `prefixes` ("192.0.2.1/24",
  // "2001:db8::1/64"; host bits kept), IPv4 and IPv6, plus the kernel's own EUI-64 link-local.
  // Addresses already right are left untouched (no flap of connected routes or sockets).
  Status SetAddresses(const std::vector<std::string>& prefixes);
  Status SetMtu(uint32_t mtu);
  // Admin state, following the unit's `disable` and the port's carrier. While down the kernel
  // refuses writes and drops the routes through the tap (KernelRoutes' next Sync() re-reads).
  Status SetUp(bool up);

  const Counters& counters() const { return counters_; }

 private:
  Tap(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  void Destroy();

  int fd_ = -1;
  int ifindex_ = 0;
  std::string name_;
  packet::MacAddr mac_;
  Counters counters_;
};

}  // namespace sabina::platform
