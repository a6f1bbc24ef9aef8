// Control against real devices in a private network namespace: a veth pair whose one end is
// the router's port and whose other end plays the neighbour through a packet socket.
#include "routing/control.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "platform/host_name.h"
#include "platform/netns_test_util.h"
#include "routing/neighbor.h"
#include "routing/rib.h"

namespace sabina::routing {
namespace {

using platform::testing::CreateVethPair;
using platform::testing::RunInNewNetns;

std::shared_ptr<const config::InterfaceTable> OneUnit(bool with_unit) {
  auto table = std::make_shared<config::InterfaceTable>();
  config::PhysicalInterface phys;
  phys.name = "ge-0/0/0";
  if (with_unit) {
    config::LogicalUnit unit;
    unit.inet.push_back({"192.0.2.1/24", false, 24});
    unit.inet6.push_back({"2001:db8::1/64", true, 64});
    phys.units.push_back(unit);
  }
  table->interfaces.push_back(phys);
  return table;
}

// The neighbour's side: a packet socket on the peer device. ETH_P_ALL, because the kernel
// clears the VLAN tag of a frame for a VLAN it has no device for before protocol-specific
// sockets see it.
class Peer {
 public:
  explicit Peer(const std::string& dev) {
    fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    int one = 1;
    setsockopt(fd_, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one));
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
    bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof(sll));
    auto link = platform::GetLink(dev);
    if (link.ok()) mac_ = link->mac;
  }
  ~Peer() { close(fd_); }
  const packet::MacAddr& mac() const { return mac_; }

  // An ARP request, 802.1Q-tagged when `vlan` is not 0.
  void SendArpRequest(uint32_t sender, uint32_t target, uint16_t vlan = 0) {
    uint8_t frame[64] = {};
    std::memset(frame, 0xff, 6);
    std::memcpy(frame + 6, mac_.bytes.data(), 6);
    size_t l2 = 14;
    if (vlan != 0) {
      frame[12] = 0x81;
      frame[14] = static_cast<uint8_t>(vlan >> 8);
      frame[15] = static_cast<uint8_t>(vlan);
      l2 = 18;
    }
    frame[l2 - 2] = 0x08;
    frame[l2 - 1] = 0x06;
    BuildArp(frame + l2, kArpRequest, mac_, sender, packet::MacAddr{}, target);
    send(fd_, frame, l2 + 46, 0);
  }
  struct Reply {
    ArpInfo arp;
    uint16_t vlan = 0;  // the 802.1Q VID it carried (the kernel moves tags to aux data)
  };
  // The next ARP reply received within `ms`, or nullopt.
  std::optional<Reply> ReceiveArpReply(int ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      uint8_t frame[2048];
      alignas(cmsghdr) uint8_t control[256];
      iovec iov{frame, sizeof(frame)};
      msghdr msg{};
      msg.msg_iov = &iov;
      msg.msg_iovlen = 1;
      msg.msg_control = control;
      msg.msg_controllen = sizeof(control);
      ssize_t n = recvmsg(fd_, &msg, 0);
      if (n < 14 + 28 || frame[12] != 0x08 || frame[13] != 0x06) continue;
      auto arp = ParseArp(frame + 14, static_cast<size_t>(n) - 14);
      if (!arp || arp->op != kArpReply) continue;
      Reply reply{*arp};
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
        tpacket_auxdata aux;
        std::memcpy(&aux, CMSG_DATA(c), sizeof(aux));
        if (aux.tp_status & TP_STATUS_VLAN_VALID) reply.vlan = aux.tp_vlan_tci & 0xfff;
      }
      return reply;
    }
    return std::nullopt;
  }

 private:
  int fd_ = -1;
  packet::MacAddr mac_;
};

TEST(Control, UnitsTapsAndArpInAPrivateNamespace) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    ASSERT_TRUE(CreateVethPair("r0", "p0").ok());
    auto p0 = platform::GetLink("p0");
    ASSERT_TRUE(p0.ok());
    ASSERT_TRUE(platform::SetLinkUp(p0->ifindex, true).ok());

    Control::Options options;
    options.ports.push_back({"ge-0/0/0", "r0"});
    auto control = Control::Create(options);
    ASSERT_TRUE(control.ok()) << control.status().message();
    Control& c = **control;
    // Before Start, the first configuration applies on the caller's thread.
    c.ApplyConfig(OneUnit(true), std::make_shared<const config::RoutingConfig>());
    ASSERT_TRUE(c.Start().ok());

    std::string tap = platform::HostIfName("ge-0/0/0.0");
    auto tap_link = platform::GetLink(tap);
    ASSERT_TRUE(tap_link.ok()) << tap_link.status().message();
    EXPECT_EQ(tap_link->mtu, 1500u);
    c.Call([&] {
      ASSERT_EQ(c.ports().size(), 1u);
      ASSERT_EQ(c.ports()[0].units.size(), 1u);
      EXPECT_EQ(c.ports()[0].units[0].name, "ge-0/0/0.0");
      EXPECT_EQ(c.ports()[0].units[0].host_name, tap);
      EXPECT_EQ(c.InterfaceName(c.ports()[0].units[0].dp_index), "ge-0/0/0.0");
      EXPECT_NE(c.rib().Find(*Prefix::Parse("192.0.2.0/24")), nullptr);
    });

    // The kernel answers ARP for the router's address through the tap, and the router learns
    // the asker (a request for one of our addresses).
    Peer peer("p0");
    const uint32_t kRouter = 0xc0000201, kPeer = 0xc0000202;
    std::optional<Peer::Reply> reply;
    for (int attempt = 0; attempt < 5 && !reply; ++attempt) {
      peer.SendArpRequest(kPeer, kRouter);
      reply = peer.ReceiveArpReply(1000);
    }
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->arp.spa, kRouter);
    EXPECT_EQ(reply->arp.sha, tap_link->mac);
    EXPECT_EQ(reply->vlan, 0);
    uint32_t index = 0;
    c.Call([&] {
      index = c.ports()[0].units[0].dp_index;
      const NeighborEntry* e = c.neighbors().Find(index, Address::FromV4(kPeer));
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->mac, peer.mac());
      EXPECT_EQ(e->state, NeighborState::kReachable);
    });

    // The unit goes away: its tap and neighbours go too; the same unit back gets its index.
    c.ApplyConfig(OneUnit(false), std::make_shared<const config::RoutingConfig>());
    EXPECT_FALSE(platform::GetLink(tap).ok());
    c.Call([&] {
      EXPECT_TRUE(c.ports()[0].units.empty());
      EXPECT_TRUE(c.neighbors().Entries().empty());
      EXPECT_EQ(c.rib().Find(*Prefix::Parse("192.0.2.0/24")), nullptr);
    });
    c.ApplyConfig(OneUnit(true), std::make_shared<const config::RoutingConfig>());
    c.Call([&] { EXPECT_EQ(c.ports()[0].units.at(0).dp_index, index); });
    EXPECT_TRUE(platform::GetLink(tap).ok());
    c.Stop();
  });
}

TEST(Control, VlanUnitsAnswerTaggedOnTheirVlanOnly) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    ASSERT_TRUE(CreateVethPair("r0", "p0").ok());
    auto p0 = platform::GetLink("p0");
    ASSERT_TRUE(p0.ok());
    ASSERT_TRUE(platform::SetLinkUp(p0->ifindex, true).ok());
    auto table = std::make_shared<config::InterfaceTable>();
    config::PhysicalInterface phys;
    phys.name = "ge-0/0/0";
    phys.vlan_tagging = true;
    for (uint16_t vlan : {10, 20}) {
      config::LogicalUnit unit;
      unit.unit = vlan;
      unit.vlan_id = vlan;
      unit.inet.push_back({"198.51." + std::to_string(vlan) + ".1/24", false, 24});
      phys.units.push_back(unit);
    }
    table->interfaces.push_back(phys);

    Control::Options options;
    options.ports.push_back({"ge-0/0/0", "r0"});
    auto control = Control::Create(options);
    ASSERT_TRUE(control.ok()) << control.status().message();
    Control& c = **control;
    ASSERT_TRUE(c.Start().ok());
    c.ApplyConfig(table, std::make_shared<const config::RoutingConfig>());
    auto tap = platform::GetLink(platform::HostIfName("ge-0/0/0.20"));
    ASSERT_TRUE(tap.ok());
    EXPECT_EQ(tap->mtu, 1500u);  // Junos media MTU 1518 with vlan-tagging: IP MTU 1500

    Peer peer("p0");
    const uint32_t kRouter20 = 0xc6331401, kPeer20 = 0xc6331402;  // 198.51.20.1, .2
    // Untagged, or on the other unit's VLAN: nobody answers.
    peer.SendArpRequest(kPeer20, kRouter20);
    peer.SendArpRequest(kPeer20, kRouter20, 10);
    EXPECT_FALSE(peer.ReceiveArpReply(500));
    std::optional<Peer::Reply> reply;
    for (int attempt = 0; attempt < 5 && !reply; ++attempt) {
      peer.SendArpRequest(kPeer20, kRouter20, 20);
      reply = peer.ReceiveArpReply(1000);
    }
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->arp.spa, kRouter20);
    EXPECT_EQ(reply->vlan, 20);  // the tap's frame left with the unit's tag
    c.Stop();
  });
}

}  // namespace
}  // namespace sabina::routing
