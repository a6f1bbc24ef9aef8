// The daemon's interface with the Linux kernel's networking (architecture section 3,
// host-bound traffic, VPP linux-cp model), over rtnetlink with libmnl; no `ip` commands.
//
// How the control thread uses src/platform:
//   - Start-up, for each `--port ge-0/0/0=DEV`: GetLink(DEV) gives the ifindex, MAC and MTU the
//     port driver needs; TakeOver(DEV) makes the device the data plane's alone: admin up,
//     promiscuous, no kernel addresses, kernel IPv6 off, and an nftables netdev ingress chain
//     that drops every frame after packet sockets (AF_PACKET with ETH_P_ALL, AF_XDP) have seen
//     it, so the kernel never answers ARP, ICMP or TCP on a data-plane port nor forwards from
//     it, although the router's addresses are local to the kernel through the host interfaces.
//     Shutdown: Release(DEV).
//   - Per configured logical unit (ge-0/0/0.0), a host interface Tap::Create(HostIfName(unit),
//     port MAC, unit MTU) (tap.h) carrying the unit's addresses (Tap::SetAddresses), admin
//     state following the unit's disable flag and the port's carrier (Tap::SetUp).
//   - Punt: workers hand host-bound frames to control (dp/punt.h); control strips the unit's
//     VLAN tag and writes the frame to the unit's tap (Tap::Write). ARP and ND for the router's
//     addresses go to the tap too, so the kernel resolves its own neighbours.
//   - Control polls each Tap::fd() and Tap::Read()s the frames the kernel sends (replies,
//     router-originated ping/traceroute/BGP, the kernel's ARP/ND), adds the unit's VLAN tag and
//     transmits them on the port's control queue (io/port.h).
//   - Routes: KernelRoutes::Sync (kernel_routes.h) mirrors the RIB's active non-direct routes
//     into the kernel's main table through the taps so router-originated traffic finds remote
//     networks; connected routes come from the tap addresses.
//
// Thread: control (every function here does blocking netlink round trips of microseconds;
// none may run on a worker). NetlinkSocket is owned by one thread at a time.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "packet/headers.h"

struct mnl_socket;
struct nlmsghdr;

namespace sabina::platform {

struct IpAddress {
  uint8_t family = 0;               // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network byte order; IPv4 in the first 4 bytes

  static StatusOr<IpAddress> Parse(std::string_view text);
  static IpAddress V4(uint32_t host_order);
  static IpAddress V6(const uint8_t network_order[16]);
  bool v6() const;
  size_t size() const { return v6() ? 16 : 4; }
  std::string ToString() const;
  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;
};

struct IpPrefix {
  IpAddress address;
  uint8_t length = 0;

  // "192.0.2.1/24", "2001:db8::/32"; a bare address is a host prefix (/32, /128).
  static StatusOr<IpPrefix> Parse(std::string_view text);
  // The same prefix with the host bits cleared (route destinations; interface addresses keep
  // them).
  IpPrefix Masked() const;
  std::string ToString() const;
  friend auto operator<=>(const IpPrefix&, const IpPrefix&) = default;
};

// One rtnetlink (or, with `protocol`, another netlink family) socket with its own sequence
// numbers. Requests carry NLM_F_ACK and wait for the kernel's answer; the kernel's extended
// ack text, when it gives one, is part of the error.
class NetlinkSocket {
 public:
  static StatusOr<NetlinkSocket> Open(int protocol = 0 /* NETLINK_ROUTE */);
  NetlinkSocket(NetlinkSocket&& other) noexcept;
  NetlinkSocket& operator=(NetlinkSocket&& other) noexcept;
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;
  ~NetlinkSocket();

  uint32_t NextSeq() { return ++seq_; }
  // Sends `nlh` (seq and NLM_F_ACK set here) and waits for the acknowledgement; messages the
  // kernel answers before it (a GET's reply) go to `on_reply`.
  Status Request(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& on_reply = {});
  // Sends a dump request (NLM_F_DUMP set here) and passes every reply message to `on_reply`.
  Status Dump(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& on_reply);

  // Pipelined requests: `buf` holds `count` messages numbered first_seq, first_seq+1, ...;
  // only the last carries NLM_F_ACK, so the kernel answers only errors and that final ack.
  // `len` must stay below the socket's send buffer (keep chunks <= 64 KiB).
  // `on_error(index, errno, text)` is called for each failed message. Fails as a whole only
  // when the socket does (then which messages took effect is unknown).
  Status SendPipelined(const uint8_t* buf, size_t len, uint32_t first_seq, size_t count,
                       const std::function<void(size_t, int, const std::string&)>& on_error);

  // The building blocks of the above: one datagram out; messages in until `on_message` sets
  // *done (an error it returns ends the wait too).
  Status Send(const void* buf, size_t len);
  Status Receive(const std::function<Status(const nlmsghdr*, bool* done)>& on_message);

  // Error text of an NLMSG_ERROR message: strerror plus the extended ack message.
  static std::string ErrorText(const nlmsghdr* nlh);

 private:
  explicit NetlinkSocket(mnl_socket* sock) : sock_(sock) {}

  mnl_socket* sock_ = nullptr;
  uint32_t seq_ = 0;
  std::vector<uint8_t> rx_;
};

struct LinkInfo {
  int ifindex = 0;
  std::string name;
  std::string kind;  // IFLA_INFO_KIND: "veth", "tun", "dummy", ... ("" for plain NICs)
  packet::MacAddr mac;
  uint32_t mtu = 0;
  bool admin_up = false;     // IFF_UP
  bool carrier = false;      // IFF_LOWER_UP
  bool promiscuous = false;  // IFF_PROMISC
  uint8_t oper_state = 0;    // IF_OPER_* (RFC 2863)
};

StatusOr<LinkInfo> GetLink(std::string_view dev);
StatusOr<LinkInfo> GetLink(int ifindex);

// Link events (carrier, admin state, MTU, deletion) as they happen, for the control loop's
// epoll: an rtnetlink socket subscribed to RTNLGRP_LINK. Polling GetLink() works too; this
// only makes carrier changes visible at once.
class LinkWatcher {
 public:
  static StatusOr<LinkWatcher> Open();
  LinkWatcher(LinkWatcher&& other) noexcept;
  LinkWatcher& operator=(LinkWatcher&& other) noexcept;
  LinkWatcher(const LinkWatcher&) = delete;
  LinkWatcher& operator=(const LinkWatcher&) = delete;
  ~LinkWatcher();

  // Readable when events are waiting.
  int fd() const;
  // Passes every waiting event to `on_change` (`removed` for a deleted device) and returns;
  // never blocks. An error "events lost" (the socket overflowed) means the caller should
  // re-read every link it cares about with GetLink().
  Status Drain(const std::function<void(const LinkInfo&, bool removed)>& on_change);

 private:
  explicit LinkWatcher(mnl_socket* sock) : sock_(sock) {}
  mnl_socket* sock_ = nullptr;
  std::vector<uint8_t> rx_;
};

// Makes `dev` a data-plane port (see the file comment). Idempotent, so a restarted daemon may
// call it again on a device it had taken.
Status TakeOver(std::string_view dev);
// Best effort, for a clean shutdown: promiscuous off and the ingress drop chain removed. Kernel
// IPv6 stays off and addresses stay gone (their old values are not known).
Status Release(std::string_view dev);

Status SetMtu(std::string_view dev, uint32_t mtu);
Status SetMtu(int ifindex, uint32_t mtu);
Status SetLinkUp(int ifindex, bool up);
Status SetMac(int ifindex, const packet::MacAddr& mac);
Status DeleteLink(int ifindex);

struct InterfaceAddress {
  IpPrefix prefix;     // the address with its prefix length (host bits kept)
  uint32_t flags = 0;  // IFA_F_*
  uint8_t scope = 0;   // RT_SCOPE_*
};
// Every IPv4 and IPv6 address on `ifindex`.
StatusOr<std::vector<InterfaceAddress>> ListAddresses(int ifindex);
// IPv6 addresses get IFA_F_NODAD (the data plane owns duplicate detection on the wire), IPv4
// ones a broadcast address below /31.
Status AddAddress(int ifindex, const IpPrefix& prefix);
Status DeleteAddress(int ifindex, const IpPrefix& prefix);

// Writes /proc/sys/net/{ipv4,ipv6}/conf/DEV/KEY. `ipv6` false = ipv4.
Status SetDeviceSysctl(bool ipv6, std::string_view dev, std::string_view key,
                       std::string_view value);
// False when the kernel has no IPv6 (booted with ipv6.disable=1).
bool KernelHasIpv6();

}  // namespace sabina::platform
