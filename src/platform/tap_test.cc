#include "platform/tap.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_addr.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <set>

#include "platform/netns_test_util.h"

namespace sabina::platform {
namespace {

using testing::ReadDeviceSysctl;
using testing::RunInNewNetns;

const packet::MacAddr kRouterMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
const packet::MacAddr kHostMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};

std::set<std::string> Addresses(int ifindex) {
  std::set<std::string> out;
  auto list = ListAddresses(ifindex);
  EXPECT_TRUE(list.ok()) << list.status().message();
  if (list.ok()) {
    for (const InterfaceAddress& a : *list) out.insert(a.prefix.ToString());
  }
  return out;
}

// Ones' complement sum of `n` bytes (checksum verification: a valid block sums to 0xffff).
uint32_t Sum16(const uint8_t* p, size_t n, uint32_t sum = 0) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += (p[i] << 8) | p[i + 1];
  if (n & 1) sum += p[n - 1] << 8;
  return sum;
}
uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

// Reads frames from the tap for up to one second until `match` accepts one.
template <typename Match>
bool ReadUntil(Tap& tap, Match match, std::vector<uint8_t>* frame) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  uint8_t buf[2048];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{tap.fd(), POLLIN, 0};
    poll(&p, 1, 20);
    ssize_t n;
    while ((n = tap.Read(buf, sizeof buf)) > 0) {
      if (match(buf, static_cast<size_t>(n))) {
        frame->assign(buf, buf + n);
        return true;
      }
    }
    EXPECT_GE(n, 0);
  }
  return false;
}

TEST(TapCreate, KernelSettingsMacMtuAndState) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto tap = Tap::Create("ge-0-0-0.0", kRouterMac, 1400);
    ASSERT_TRUE(tap.ok()) << tap.status().message();
    EXPECT_EQ(tap->name(), "ge-0-0-0.0");
    EXPECT_GE(tap->fd(), 0);
    auto link = GetLink("ge-0-0-0.0");
    ASSERT_TRUE(link.ok());
    EXPECT_EQ(link->ifindex, tap->ifindex());
    EXPECT_EQ(link->kind, "tun");
    EXPECT_EQ(link->mac, kRouterMac);
    EXPECT_EQ(link->mtu, 1400u);
    EXPECT_TRUE(link->admin_up);
    EXPECT_TRUE(link->carrier);
    for (auto [v6, key, value] : {std::tuple{false, "forwarding", "0"},
                                  {false, "arp_ignore", "1"},
                                  {false, "arp_announce", "2"},
                                  {false, "rp_filter", "0"},
                                  {false, "promote_secondaries", "1"},
                                  {true, "forwarding", "0"},
                                  {true, "accept_dad", "0"},
                                  {true, "accept_ra", "0"},
                                  {true, "keep_addr_on_down", "1"},
                                  {true, "disable_ipv6", "0"}}) {
      EXPECT_EQ(ReadDeviceSysctl(v6, "ge-0-0-0.0", key), value) << (v6 ? "ipv6 " : "ipv4 ") << key;
    }
    EXPECT_FALSE(Tap::Create("ge-0-0-0.0", kRouterMac, 1400).ok()) << "name in use";
    EXPECT_FALSE(Tap::Create("ge-0/0/0.0", kRouterMac, 1400).ok()) << "invalid name";
    EXPECT_FALSE(Tap::Create("tap%d", kRouterMac, 1400).ok()) << "kernel-chosen names";

    ASSERT_TRUE(tap->SetMtu(9000).ok());
    EXPECT_EQ(GetLink(tap->ifindex())->mtu, 9000u);
    ASSERT_TRUE(tap->SetUp(false).ok());
    EXPECT_FALSE(GetLink(tap->ifindex())->admin_up);
    ASSERT_TRUE(tap->SetUp(true).ok());
    EXPECT_TRUE(GetLink(tap->ifindex())->admin_up);
  });
}

TEST(TapAddresses, ExactSetKeptAcrossChanges) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto tap = Tap::Create("ge-0-0-1.0", kRouterMac, 1500);
    ASSERT_TRUE(tap.ok()) << tap.status().message();
    const std::string link_local = "fe80::ff:fe00:1/64";  // EUI-64 of 02:00:00:00:00:01
    ASSERT_TRUE(tap->SetAddresses({"192.0.2.1/24", "2001:db8::1/64"}).ok());
    EXPECT_EQ(Addresses(tap->ifindex()),
              (std::set<std::string>{"192.0.2.1/24", "2001:db8::1/64", link_local}));
    auto listed = ListAddresses(tap->ifindex());
    ASSERT_TRUE(listed.ok());
    for (const InterfaceAddress& a : *listed) {
      // The kernel's own link-local is briefly tentative even without DAD (a work item clears
      // it); the configured addresses never are.
      if (a.prefix.ToString() == link_local) continue;
      EXPECT_EQ(a.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED), 0u) << a.prefix.ToString();
      if (a.prefix.ToString() == "2001:db8::1/64") {
        EXPECT_NE(a.flags & IFA_F_NODAD, 0u);
      }
    }

    ASSERT_TRUE(tap->SetAddresses({"192.0.2.1/24", "192.0.2.9/24", "198.51.100.1/24",
                                   "2001:db8::1/64", "2001:db8:1::1/64", "192.0.2.1/24"})
                    .ok());
    EXPECT_EQ(Addresses(tap->ifindex()),
              (std::set<std::string>{"192.0.2.1/24", "192.0.2.9/24", "198.51.100.1/24",
                                     "2001:db8::1/64", "2001:db8:1::1/64", link_local}));

    // Removing the primary IPv4 address keeps its secondary (promote_secondaries).
    ASSERT_TRUE(tap->SetAddresses({"192.0.2.9/24", "2001:db8:1::1/64"}).ok());
    EXPECT_EQ(Addresses(tap->ifindex()),
              (std::set<std::string>{"192.0.2.9/24", "2001:db8:1::1/64", link_local}));

    // A changed prefix length is a different address.
    ASSERT_TRUE(tap->SetAddresses({"192.0.2.9/25", "2001:db8:1::1/48"}).ok());
    EXPECT_EQ(Addresses(tap->ifindex()),
              (std::set<std::string>{"192.0.2.9/25", "2001:db8:1::1/48", link_local}));

    // A bad prefix changes nothing.
    EXPECT_FALSE(tap->SetAddresses({"192.0.2.1/24", "bogus"}).ok());
    EXPECT_EQ(Addresses(tap->ifindex()).size(), 3u);

    // Addresses survive admin down (keep_addr_on_down for IPv6).
    ASSERT_TRUE(tap->SetUp(false).ok());
    ASSERT_TRUE(tap->SetUp(true).ok());
    EXPECT_EQ(Addresses(tap->ifindex()),
              (std::set<std::string>{"192.0.2.9/25", "2001:db8:1::1/48", link_local}));

    ASSERT_TRUE(tap->SetAddresses({}).ok());
    EXPECT_EQ(Addresses(tap->ifindex()), (std::set<std::string>{link_local}));
  });
}

TEST(TapFrames, KernelArpsThenSendsThroughTheTap) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto tap = Tap::Create("ge-0-0-2.0", kRouterMac, 1500);
    ASSERT_TRUE(tap.ok()) << tap.status().message();
    ASSERT_TRUE(tap->SetAddresses({"192.0.2.1/24"}).ok());

    // The router originates a datagram to a host on the unit's subnet.
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(s, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(9);
    inet_pton(AF_INET, "192.0.2.2", &to.sin_addr);
    const char payload[] = "sabina";
    ASSERT_EQ(sendto(s, payload, sizeof payload, 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(sizeof payload));
    close(s);

    // The kernel resolves it first: an ARP request with the router's MAC and address.
    uint8_t host_ip[4], router_ip[4];
    inet_pton(AF_INET, "192.0.2.2", host_ip);
    inet_pton(AF_INET, "192.0.2.1", router_ip);
    std::vector<uint8_t> frame;
    ASSERT_TRUE(ReadUntil(
        *tap,
        [&](const uint8_t* f, size_t n) {
          return n >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 1 &&
                 std::memcmp(f + 38, host_ip, 4) == 0;
        },
        &frame));
    EXPECT_EQ(std::memcmp(frame.data() + 6, kRouterMac.bytes.data(), 6), 0);
    EXPECT_EQ(std::memcmp(frame.data() + 28, router_ip, 4), 0);

    // The host's reply, as the control thread would write it to the tap.
    uint8_t reply[42] = {};
    std::memcpy(reply, kRouterMac.bytes.data(), 6);
    std::memcpy(reply + 6, kHostMac.bytes.data(), 6);
    const uint8_t arp_head[] = {0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2};
    std::memcpy(reply + 12, arp_head, sizeof arp_head);
    std::memcpy(reply + 22, kHostMac.bytes.data(), 6);
    std::memcpy(reply + 28, host_ip, 4);
    std::memcpy(reply + 32, kRouterMac.bytes.data(), 6);
    std::memcpy(reply + 38, router_ip, 4);
    EXPECT_TRUE(tap->Write(reply, sizeof reply));

    // Then the datagram itself, to the host's MAC.
    ASSERT_TRUE(ReadUntil(
        *tap,
        [&](const uint8_t* f, size_t n) {
          return n >= 34 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 17 &&
                 std::memcmp(f + 30, host_ip, 4) == 0;
        },
        &frame));
    EXPECT_EQ(std::memcmp(frame.data(), kHostMac.bytes.data(), 6), 0);
    EXPECT_EQ(std::memcmp(frame.data() + 6, kRouterMac.bytes.data(), 6), 0);
    // Complete checksums (the tap offers no checksum offload), ready for the wire.
    const uint8_t* ip = frame.data() + 14;
    const size_t ihl = (ip[0] & 0xf) * 4u, ip_len = (ip[2] << 8) | ip[3];
    ASSERT_EQ(frame.size(), 14 + ip_len);
    EXPECT_EQ(Fold(Sum16(ip, ihl)), 0xffff);
    const uint32_t pseudo = Sum16(ip + 12, 8) + 17 + (ip_len - ihl);
    EXPECT_EQ(Fold(Sum16(ip + ihl, ip_len - ihl, pseudo)), 0xffff);

    EXPECT_GE(tap->counters().rx_packets, 2u);
    EXPECT_EQ(tap->counters().tx_packets, 1u);
    EXPECT_EQ(tap->counters().tx_bytes, sizeof reply);

    // Nothing waiting: Read returns 0 at once, it never blocks.
    uint8_t buf[2048];
    while (tap->Read(buf, sizeof buf) > 0) {
    }
    EXPECT_EQ(tap->Read(buf, sizeof buf), 0);
    // A frame the kernel refuses is dropped and counted, never retried or blocked on.
    EXPECT_FALSE(tap->Write(reply, 5));
    EXPECT_EQ(tap->counters().tx_drops, 1u);
    ASSERT_TRUE(tap->SetUp(false).ok());  // unit disabled: the kernel refuses frames (EIO)
    EXPECT_FALSE(tap->Write(reply, sizeof reply));
    EXPECT_EQ(tap->counters().tx_drops, 2u);
  });
}

TEST(TapLifetime, DestructorDeletesTheDeviceEvenWithACopiedDescriptor) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    {
      auto tap = Tap::Create("sbt-a", kRouterMac, 1500);
      ASSERT_TRUE(tap.ok());
      Tap moved = std::move(*tap);
      EXPECT_TRUE(GetLink("sbt-a").ok());
      EXPECT_EQ(moved.name(), "sbt-a");
    }
    EXPECT_FALSE(GetLink("sbt-a").ok());

    auto tap = Tap::Create("sbt-b", kRouterMac, 1500);
    ASSERT_TRUE(tap.ok());
    pid_t holder = fork();  // inherits the descriptor: closing ours no longer frees the device
    ASSERT_GE(holder, 0);
    if (holder == 0) {
      pause();
      _exit(0);
    }
    { Tap doomed = std::move(*tap); }
    EXPECT_FALSE(GetLink("sbt-b").ok()) << "tap survived its owner";
    kill(holder, SIGKILL);
    waitpid(holder, nullptr, 0);

    // Re-creating a host interface of the same name works at once (unit re-added).
    auto again = Tap::Create("sbt-b", kRouterMac, 1500);
    EXPECT_TRUE(again.ok()) << again.status().message();
  });
}

}  // namespace
}  // namespace sabina::platform
