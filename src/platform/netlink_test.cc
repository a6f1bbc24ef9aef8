#include "platform/netlink.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstring>

#include "platform/netns_test_util.h"

namespace sabina::platform {
namespace {

using testing::CreateVethPair;
using testing::ReadDeviceSysctl;
using testing::RunInNewNetns;

TEST(NetlinkPrefix, ParseAndFormat) {
  auto p = IpPrefix::Parse("192.0.2.1/24");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ToString(), "192.0.2.1/24");
  EXPECT_EQ(p->Masked().ToString(), "192.0.2.0/24");
  EXPECT_EQ(IpPrefix::Parse("2001:db8::1:2/33")->Masked().ToString(), "2001:db8::/33");
  EXPECT_EQ(IpPrefix::Parse("198.51.100.7")->ToString(), "198.51.100.7/32");
  EXPECT_EQ(IpPrefix::Parse("2001:db8::1")->length, 128);
  EXPECT_EQ(IpPrefix::Parse("203.0.113.255/25")->Masked().ToString(), "203.0.113.128/25");
  EXPECT_EQ(IpPrefix::Parse("0.0.0.0/0")->ToString(), "0.0.0.0/0");
  for (const char* bad : {"", "/24", "192.0.2.1/", "192.0.2.1/33", "2001:db8::/129", "x/1",
                          "192.0.2.1/2x", "192.0.2.256"}) {
    EXPECT_FALSE(IpPrefix::Parse(bad).ok()) << bad;
  }
  EXPECT_EQ(IpAddress::V4(0xc0000201).ToString(), "192.0.2.1");
  EXPECT_LT(*IpPrefix::Parse("192.0.2.0/24"), *IpPrefix::Parse("192.0.2.0/25"));
}

TEST(NetlinkLink, UnknownDeviceAndBadNamesFail) {
  EXPECT_FALSE(GetLink("sabina-no-such").ok());
  EXPECT_FALSE(GetLink("a/b").ok());
  EXPECT_FALSE(GetLink("../../etc").ok());
  EXPECT_FALSE(SetDeviceSysctl(false, "../x", "forwarding", "1").ok());
}

// An AF_PACKET socket on one device, to send ARP requests and watch for replies.
class PacketSocket {
 public:
  explicit PacketSocket(int ifindex) : ifindex_(ifindex) {
    fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof sll) != 0) {
      close(fd_);
      fd_ = -1;
    }
  }
  ~PacketSocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  // Joins a fanout group, as the AF_PACKET port driver's receive sockets do.
  bool JoinFanout() {
    int arg = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
    return setsockopt(fd_, SOL_PACKET, PACKET_FANOUT, &arg, sizeof arg) == 0;
  }

  void SendArpRequest(const packet::MacAddr& from, const char* sender_ip, const char* target_ip) {
    uint8_t f[42] = {};
    std::memset(f, 0xff, 6);
    std::memcpy(f + 6, from.bytes.data(), 6);
    f[12] = 0x08, f[13] = 0x06;                        // ARP
    f[14] = 0, f[15] = 1, f[16] = 0x08, f[17] = 0x00;  // Ethernet, IPv4
    f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1;        // request
    std::memcpy(f + 22, from.bytes.data(), 6);
    inet_pton(AF_INET, sender_ip, f + 28);
    inet_pton(AF_INET, target_ip, f + 38);
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = ifindex_;
    sll.sll_halen = 6;
    std::memset(sll.sll_addr, 0xff, 6);
    EXPECT_EQ(sendto(fd_, f, sizeof f, 0, reinterpret_cast<sockaddr*>(&sll), sizeof sll),
              static_cast<ssize_t>(sizeof f));
  }

  // Counts received (not outgoing) ARP frames with opcode `op` within `ms` milliseconds.
  int CountArp(int op, int ms) {
    int count = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      poll(&p, 1, 20);
      uint8_t buf[2048];
      sockaddr_ll from{};
      socklen_t len = sizeof from;
      ssize_t n;
      while ((n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len)) >
             0) {
        if (from.sll_pkttype == PACKET_OUTGOING || n < 42) continue;
        if (buf[12] == 0x08 && buf[13] == 0x06 && buf[21] == op) ++count;
      }
    }
    return count;
  }

 private:
  int fd_ = -1;
  int ifindex_;
};

TEST(NetlinkTakeOver, PortLosesAddressesAndKernelStaysSilent) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    ASSERT_TRUE(CreateVethPair("port0", "peer0").ok());
    auto port = GetLink("port0");
    auto peer = GetLink("peer0");
    ASSERT_TRUE(port.ok() && peer.ok()) << port.status().message();
    EXPECT_EQ(port->kind, "veth");
    EXPECT_FALSE(port->admin_up);
    EXPECT_FALSE(port->promiscuous);
    EXPECT_EQ(port->mtu, 1500u);
    EXPECT_FALSE(port->mac.IsZero());
    EXPECT_EQ(GetLink(port->ifindex)->name, "port0");

    ASSERT_TRUE(AddAddress(port->ifindex, *IpPrefix::Parse("198.51.100.1/24")).ok());
    ASSERT_TRUE(AddAddress(port->ifindex, *IpPrefix::Parse("198.51.100.9/24")).ok());
    ASSERT_TRUE(AddAddress(port->ifindex, *IpPrefix::Parse("2001:db8::1/64")).ok());
    EXPECT_EQ(ListAddresses(port->ifindex)->size(), 3u);
    // The router's address lives in the kernel elsewhere (on the taps; here on lo).
    ASSERT_TRUE(AddAddress(GetLink("lo")->ifindex, *IpPrefix::Parse("192.0.2.1/32")).ok());
    ASSERT_TRUE(SetLinkUp(port->ifindex, true).ok());
    ASSERT_TRUE(SetLinkUp(peer->ifindex, true).ok());

    PacketSocket on_peer(peer->ifindex), on_port(port->ifindex);
    ASSERT_TRUE(on_peer.ok() && on_port.ok());
    ASSERT_TRUE(on_port.JoinFanout());
    // Control experiment: an ordinary Linux device answers ARP for any local address.
    on_peer.SendArpRequest(peer->mac, "192.0.2.2", "192.0.2.1");
    EXPECT_GE(on_peer.CountArp(2, 300), 1);

    ASSERT_TRUE(TakeOver("port0").ok());
    ASSERT_TRUE(TakeOver("port0").ok()) << "idempotent";
    auto taken = GetLink("port0");
    ASSERT_TRUE(taken.ok());
    EXPECT_TRUE(taken->admin_up);
    EXPECT_TRUE(taken->promiscuous);
    EXPECT_TRUE(taken->carrier);
    EXPECT_EQ(taken->oper_state, IF_OPER_UP);
    EXPECT_TRUE(ListAddresses(port->ifindex)->empty());
    EXPECT_EQ(ReadDeviceSysctl(true, "port0", "disable_ipv6"), "1");

    on_port.CountArp(1, 50);  // drain
    on_peer.SendArpRequest(peer->mac, "192.0.2.2", "192.0.2.1");
    EXPECT_EQ(on_peer.CountArp(2, 300), 0) << "the kernel answered on a data-plane port";
    EXPECT_EQ(on_port.CountArp(1, 50), 1) << "packet sockets must still see every frame";

    ASSERT_TRUE(SetMtu("port0", 9000).ok());
    EXPECT_EQ(GetLink("port0")->mtu, 9000u);
    EXPECT_FALSE(SetMtu("port0", 10).ok());

    ASSERT_TRUE(Release("port0").ok());
    EXPECT_FALSE(GetLink("port0")->promiscuous);
    on_peer.SendArpRequest(peer->mac, "192.0.2.2", "192.0.2.1");
    EXPECT_GE(on_peer.CountArp(2, 300), 1) << "Release must remove the ingress drop";
    EXPECT_TRUE(Release("port0").ok()) << "releasing twice is harmless";
  });
}

TEST(NetlinkLinkWatcher, SeesCarrierAdminAndDeletion) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto watcher = LinkWatcher::Open();
    ASSERT_TRUE(watcher.ok()) << watcher.status().message();
    ASSERT_TRUE(CreateVethPair("w0", "w1").ok());
    int w0 = GetLink("w0")->ifindex, w1 = GetLink("w1")->ifindex;
    ASSERT_TRUE(SetLinkUp(w0, true).ok());
    ASSERT_TRUE(SetLinkUp(w1, true).ok());  // carrier on w0 too

    bool w0_carrier = false, w0_removed = false;
    auto drain = [&] {
      pollfd p{watcher->fd(), POLLIN, 0};
      poll(&p, 1, 100);
      Status st = watcher->Drain([&](const LinkInfo& link, bool removed) {
        if (link.ifindex != w0) return;
        EXPECT_EQ(link.name, "w0");
        if (removed) w0_removed = true;
        w0_carrier = link.carrier;
      });
      EXPECT_TRUE(st.ok()) << st.message();
    };
    for (int i = 0; i < 20 && !w0_carrier; ++i) drain();
    EXPECT_TRUE(w0_carrier);
    ASSERT_TRUE(SetLinkUp(w1, false).ok());  // the peer goes down: w0 loses carrier
    for (int i = 0; i < 20 && w0_carrier; ++i) drain();
    EXPECT_FALSE(w0_carrier);
    ASSERT_TRUE(DeleteLink(w1).ok());  // deletes the pair
    for (int i = 0; i < 20 && !w0_removed; ++i) drain();
    EXPECT_TRUE(w0_removed);
    drain();  // nothing left: returns at once
  });
}

TEST(NetlinkTakeOver, UnknownDeviceFails) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    Status st = TakeOver("nosuchdev");
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("nosuchdev"), std::string::npos) << st.message();
  });
}

}  // namespace
}  // namespace sabina::platform
