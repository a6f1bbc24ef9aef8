#include "io/af_xdp/af_xdp_port.h"

#include <gtest/gtest.h>

#include <set>

#include "io/testing/netns.h"

namespace sabina::io {
namespace {

using testing::IsRoot;
using testing::RawSocket;
using testing::RunInNetns;
using testing::RxFrames;
using testing::Sh;
using testing::TxFrame;
using testing::UdpFrame;

TEST(AfXdpPort, ReceiveAndTransmitOnVeth) {
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)";
  RunInNetns([] {
    Sh("ip link add va type veth peer name vb");
    Sh("ip link set va up && ip link set vb up");
    Sh("sysctl -qw net.ipv6.conf.va.disable_ipv6=1 net.ipv6.conf.vb.disable_ipv6=1");
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

}  // namespace
}  // namespace sabina::io
