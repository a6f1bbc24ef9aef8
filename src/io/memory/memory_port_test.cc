#include "io/memory/memory_port.h"

#include <gtest/gtest.h>

#include "io/port.h"
#include "io/testing/netns.h"

namespace sabina::io {
namespace {

using testing::UdpFrame;

TEST(MemoryPort, ReceivesEnqueuedFramesOnceAndKeepsTransmitted) {
  MemoryPort port("mem0", 3);
  port.set_index(4);
  packet::BufferPool pool(64);
  auto a = UdpFrame(port.mac(), port.mac(), 1, 2, 10);
  auto b = UdpFrame(port.mac(), port.mac(), 3, 4, 20);
  port.Enqueue(1, a);
  port.Enqueue(1, b);
  EXPECT_EQ(port.pending(1), 2u);
  packet::Buffer* bufs[8];
  EXPECT_EQ(port.Rx(0, pool, bufs, 8), 0u);
  ASSERT_EQ(port.Rx(1, pool, bufs, 8), 2u);
  EXPECT_EQ(testing::Bytes(bufs[0]), a);
  EXPECT_EQ(testing::Bytes(bufs[1]), b);
  EXPECT_EQ(bufs[0]->rx_port, 4u);
  EXPECT_EQ(port.Rx(1, pool, bufs, 8), 0u);
  port.Tx(2, bufs, 2, pool);
  EXPECT_EQ(pool.available(), 64u);
  EXPECT_EQ(port.transmitted(2), 2u);
  auto sent = port.TakeTransmitted();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], a);
  EXPECT_TRUE(port.Transmitted().empty());
  PortStats s = port.Stats();
  EXPECT_EQ(s.rx_packets, 2u);
  EXPECT_EQ(s.tx_packets, 2u);
  EXPECT_EQ(s.tx_bytes, a.size() + b.size());
  port.ClearStats();
  EXPECT_EQ(port.Stats().rx_packets, 0u);
  EXPECT_EQ(port.mac().bytes[0], 0x02);
}

// Found by graph_fuzz: an empty frame went to memcpy as a null pointer (UBSan).
TEST(MemoryPort, ReceivesAnEmptyFrame) {
  MemoryPort port("mem0", 1);
  packet::BufferPool pool(4);
  port.Enqueue(0, std::vector<uint8_t>{});
  packet::Buffer* b;
  ASSERT_EQ(port.Rx(0, pool, &b, 1), 1u);
  EXPECT_EQ(b->length, 0u);
  pool.Free(b);
  port.SetReplay(0, {std::vector<uint8_t>{}});
  ASSERT_EQ(port.Rx(0, pool, &b, 1), 1u);
  EXPECT_EQ(b->length, 0u);
  pool.Free(b);
}

TEST(MemoryPort, ReplayFillsEveryVectorAndSinkOnlyCounts) {
  MemoryPort::Options options;
  options.sink = true;
  MemoryPort port("bench", 2, options);
  packet::BufferPool pool(512);
  port.SetReplay(
      0, {UdpFrame(port.mac(), port.mac(), 1, 2, 10), UdpFrame(port.mac(), port.mac(), 1, 3, 10)});
  packet::Buffer* bufs[packet::kFrameSize];
  for (int round = 0; round < 3; ++round) {
    ASSERT_EQ(port.Rx(0, pool, bufs, packet::kFrameSize), packet::kFrameSize);
    EXPECT_EQ(bufs[1]->data()[37], 3);
    port.Tx(0, bufs, packet::kFrameSize, pool);
  }
  EXPECT_EQ(port.transmitted(0), 3 * packet::kFrameSize);
  EXPECT_TRUE(port.Transmitted().empty());
  EXPECT_EQ(pool.available(), 512u);
}

TEST(MemoryPort, KeepsOnlyTheLastFrames) {
  MemoryPort::Options options;
  options.keep = 2;
  MemoryPort port("k", 1, options);
  packet::BufferPool pool(8);
  for (uint16_t i = 0; i < 5; ++i) {
    testing::TxFrame(port, 0, pool, UdpFrame(port.mac(), port.mac(), i, 0, 1));
  }
  auto kept = port.Transmitted();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0][35], 3);
  EXPECT_EQ(kept[1][35], 4);
  EXPECT_EQ(port.transmitted(0), 5u);
}

TEST(OpenPort, ParsesSpecs) {
  auto m = OpenPort("memory", 2);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_STREQ((*m)->driver(), "memory");
  EXPECT_EQ((*m)->queues(), 2u);
  auto named = OpenPort("memory:lan0:sink", 2);
  ASSERT_TRUE(named.ok()) << named.status().message();
  EXPECT_EQ((*named)->device(), "lan0");
  EXPECT_NE((*m)->mac(), (*named)->mac());

  auto bad = OpenPort("foo:bar", 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown driver"), std::string::npos);
  EXPECT_FALSE(OpenPort("", 2).ok());
  EXPECT_FALSE(OpenPort("af_packet:", 2).ok());
  EXPECT_FALSE(OpenPort("af_xdp:a:b", 2).ok());
  EXPECT_FALSE(OpenPort("memory:a:b", 2).ok());
  auto nofile = OpenPort("pcap:/nonexistent/in.pcap", 2);
  ASSERT_FALSE(nofile.ok());
  EXPECT_NE(nofile.status().message().find("/nonexistent/in.pcap"), std::string::npos);
  auto badmac = OpenPort("pcap:/nonexistent/in.pcap:mac=zz", 2);
  ASSERT_FALSE(badmac.ok());
  EXPECT_NE(badmac.status().message().find("MAC"), std::string::npos);
}

}  // namespace
}  // namespace sabina::io
