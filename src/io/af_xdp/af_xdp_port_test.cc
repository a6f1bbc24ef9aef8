#include "io/af_xdp/af_xdp_port.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <set>

#include "io/linux_device.h"
#include "io/testing/netns.h"

namespace sabina::io {
namespace {

using testing::IsRoot;
using testing::RawSocket;
using testing::RunInNetns;
using testing::RxFrames;
using testing::SendUdp;
using testing::Sh;
using testing::TxFrame;
using testing::UdpFrame;

TEST(AfXdpPort, ReceiveAndTransmitOnVeth) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va type veth peer name vb");
    Sh("sysctl -qw net.ipv6.conf.va.disable_ipv6=1 net.ipv6.conf.vb.disable_ipv6=1");
    Sh("ip link set va up && ip link set vb up");
    auto p = AfXdpPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    AfXdpPort& port = **p;
    printf("af_xdp attached in %s mode\n", port.xdp_mode());
    EXPECT_EQ(port.max_frame(), 1518u);
    EXPECT_GE(port.WaitFd(0), 0);
    packet::BufferPool pool(1024);
    RawSocket vb("vb");
    std::vector<std::vector<uint8_t>> sent;
    for (uint32_t i = 0; i < 100; ++i) {
      sent.push_back(UdpFrame(port.mac(), testing::MacOf("vb"), 1000, 2000, 18 + i, 0,
                              static_cast<uint8_t>(i)));
      ASSERT_TRUE(vb.Send(sent.back()));
    }
    auto got = RxFrames(port, 0, pool, 100, 3000);
    ASSERT_EQ(got.size(), 100u);
    for (uint32_t i = 0; i < 100; ++i) EXPECT_EQ(got[i], sent[i]) << i;
    auto a = UdpFrame(testing::MacOf("vb"), port.mac(), 1, 2, 100, 0, 1);
    auto b = UdpFrame(testing::MacOf("vb"), port.mac(), 3, 4, 200, 0, 2);
    TxFrame(port, 0, pool, a);
    TxFrame(port, 1, pool, b);
    auto out = vb.Recv(2, 2000);
    ASSERT_EQ(out.size(), 2u);
    std::set<std::vector<uint8_t>> expect{a, b}, seen(out.begin(), out.end());
    EXPECT_EQ(seen, expect);
    PortStats s = port.Stats();
    EXPECT_EQ(s.rx_packets, 100u);
    EXPECT_EQ(s.tx_packets, 2u);
    EXPECT_EQ(pool.available(), 1024u);
  });
}

TEST(AfXdpPort, MoreWorkersThanDeviceQueuesIsAClearError) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va type veth peer name vb");
    Sh("ip link set va up && ip link set vb up");
    auto p = AfXdpPort::Open("va", 3);
    ASSERT_FALSE(p.ok());
    EXPECT_NE(p.status().message().find("rx queue"), std::string::npos) << p.status().message();
  });
}

TEST(AfXdpPort, TwoQueuesOnAMultiQueueVeth) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va numrxqueues 2 numtxqueues 2 type veth peer name vb numrxqueues 2 "
       "numtxqueues 2");
    Sh("ip link set va up && ip link set vb up");
    auto p = AfXdpPort::Open("va", 3);
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_GE((*p)->WaitFd(1), 0);
    EXPECT_EQ((*p)->WaitFd(2), -1);
  });
}

// XDP sees a veth peer's CHECKSUM_PARTIAL packets as raw bytes with only the pseudo-header sum
// in the checksum field and nothing tells the xsk (af_xdp_port.h): a peer that runs a local
// stack needs `ethtool -K PEER tx off`. This checks that the workaround gives wire-correct frames.
TEST(AfXdpPort, PeerWithoutTxChecksumOffloadGivesValidChecksums) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va type veth peer name vb");
    // IPv6 off before the links come up: no MLD/RS frames among the one this test expects.
    Sh("sysctl -qw net.ipv6.conf.va.disable_ipv6=1 net.ipv6.conf.vb.disable_ipv6=1");
    Sh("ip link set va up && ip link set vb up && ip addr add 192.0.2.1/24 dev vb");
    auto p = AfXdpPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    Sh("ip neigh add 192.0.2.2 lladdr " + (*p)->mac().ToString() + " dev vb");
    Sh("ethtool -K vb tx off >/dev/null");
    packet::BufferPool pool(64);
    SendUdp("192.0.2.2", 1000);
    auto got = RxFrames(**p, 0, pool, 1, 2000);
    ASSERT_EQ(got.size(), 1u);
    const uint8_t* ip = got[0].data() + 14;
    const uint8_t* udp = ip + 20;
    uint32_t udp_len = udp[4] << 8 | udp[5];
    uint8_t pseudo[4] = {0, 17, static_cast<uint8_t>(udp_len >> 8), static_cast<uint8_t>(udp_len)};
    uint32_t sum = ChecksumAdd(ip + 12, 8, ChecksumAdd(pseudo, 4, 0));
    EXPECT_EQ(ChecksumFold(ChecksumAdd(udp, udp_len, sum)), 0xffff) << "UDP checksum";
  });
}

// Tagged frames reach the xsk with their tag: written by a packet socket, and sent by a peer's
// VLAN sub-interface (the tag travels out of band over a veth) when the kernel has 802.1Q.
TEST(AfXdpPort, VlanTags) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va type veth peer name vb");
    Sh("sysctl -qw net.ipv6.conf.va.disable_ipv6=1 net.ipv6.conf.vb.disable_ipv6=1");
    Sh("ip link set va up && ip link set vb up");
    auto p = AfXdpPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    packet::BufferPool pool(64);
    // A tagged frame from a packet socket: the tag is in the frame at XDP time.
    RawSocket vb("vb");
    auto tagged = UdpFrame((*p)->mac(), testing::MacOf("vb"), 5, 6, 60, 100, 9);
    ASSERT_TRUE(vb.Send(tagged));
    auto raw = RxFrames(**p, 0, pool, 1, 2000);
    ASSERT_EQ(raw.size(), 1u);
    EXPECT_EQ(raw[0], tagged);
    if (system("ip link add link vb name vb.100 type vlan id 100 2>/dev/null") != 0) {
      printf("no 802.1Q devices in this kernel: sub-interface not tested\n");
      return;
    }
    Sh("ip link set vb.100 up");
    Sh("ip addr add 192.0.2.1/24 dev vb.100 && ethtool -K vb tx off >/dev/null");
    Sh("ip neigh add 192.0.2.2 lladdr " + (*p)->mac().ToString() + " dev vb.100");
    SendUdp("192.0.2.2", 100);
    auto got = RxFrames(**p, 0, pool, 1, 2000);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_GE(got[0].size(), 18u);
    EXPECT_EQ(got[0][12], 0x81);
    EXPECT_EQ(got[0][13], 0x00);
    EXPECT_EQ(got[0][15], 100);
  });
}

}  // namespace
}  // namespace sabina::io
