#include "io/pcap/pcap_port.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "io/testing/netns.h"

namespace sabina::io {
namespace {

using testing::UdpFrame;

class PcapPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sabina-pcap-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf " + dir_;
    ASSERT_EQ(system(cmd.c_str()), 0);
  }
  void Write(const std::string& path, const std::vector<std::vector<uint8_t>>& frames) {
    pcap_t* dead = pcap_open_dead(DLT_EN10MB, 65535);
    pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
    ASSERT_NE(d, nullptr);
    for (const auto& f : frames) {
      pcap_pkthdr h{};
      h.caplen = h.len = static_cast<uint32_t>(f.size());
      pcap_dump(reinterpret_cast<u_char*>(d), &h, f.data());
    }
    pcap_dump_close(d);
    pcap_close(dead);
  }
  std::vector<std::vector<uint8_t>> Read(const std::string& path) {
    char err[PCAP_ERRBUF_SIZE];
    pcap_t* p = pcap_open_offline(path.c_str(), err);
    std::vector<std::vector<uint8_t>> frames;
    if (p == nullptr) return frames;
    pcap_pkthdr* h;
    const u_char* data;
    while (pcap_next_ex(p, &h, &data) == 1) frames.emplace_back(data, data + h->caplen);
    pcap_close(p);
    return frames;
  }
  std::string dir_;
};

TEST_F(PcapPortTest, ReplaysOnceAndWritesTransmitted) {
  std::vector<std::vector<uint8_t>> frames;
  packet::MacAddr m;
  for (uint16_t i = 0; i < 300; ++i) frames.push_back(UdpFrame(m, m, i, 1, 20 + i % 50));
  frames.insert(frames.begin() + 7, UdpFrame(m, m, 9, 9, packet::kMaxFrameBytes));  // too long
  Write(dir_ + "/in.pcap", frames);
  auto p = OpenPort("pcap:" + dir_ + "/in.pcap:" + dir_ + "/out.pcap", 3);
  ASSERT_TRUE(p.ok()) << p.status().message();
  Port& port = **p;
  EXPECT_STREQ(port.driver(), "pcap");
  EXPECT_EQ(port.WaitFd(0), -1);
  EXPECT_TRUE(Read(dir_ + "/out.pcap").empty());  // valid and empty from the start
  packet::BufferPool pool(512);
  packet::Buffer* bufs[packet::kFrameSize];
  EXPECT_EQ(port.Rx(1, pool, bufs, packet::kFrameSize), 0u);
  std::vector<std::vector<uint8_t>> got;
  for (int i = 0; i < 5; ++i) {
    uint32_t n = port.Rx(0, pool, bufs, packet::kFrameSize);
    for (uint32_t k = 0; k < n; ++k) got.push_back(testing::Bytes(bufs[k]));
    port.Tx(i % 2 == 0 ? 0 : 2, bufs, n, pool);
  }
  ASSERT_EQ(got.size(), 300u);
  frames.erase(frames.begin() + 7);
  EXPECT_EQ(got, frames);
  EXPECT_EQ(port.Stats().rx_errors, 1u);
  EXPECT_EQ(Read(dir_ + "/out.pcap"), frames);  // flushed while the port is open
  EXPECT_EQ(pool.available(), 512u);
  // The MAC comes from the file name, whatever the directory.
  EXPECT_EQ(port.mac().bytes[0], 0x02);
  Write(dir_ + "/other.pcap", {});
  auto q = OpenPort("pcap:" + dir_ + "/in.pcap:mac=02:aa:bb:cc:dd:ee", 2);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_EQ((*q)->mac().ToString(), "02:aa:bb:cc:dd:ee");
  auto r = OpenPort("pcap:" + dir_ + "/other.pcap", 2);
  ASSERT_TRUE(r.ok());
  EXPECT_NE((*r)->mac(), port.mac());
  EXPECT_EQ((*r)->Rx(0, pool, bufs, 8), 0u);
}

TEST_F(PcapPortTest, RefusesNonEthernetCaptures) {
  pcap_t* dead = pcap_open_dead(DLT_RAW, 65535);
  pcap_dumper_t* d = pcap_dump_open(dead, (dir_ + "/raw.pcap").c_str());
  pcap_dump_close(d);
  pcap_close(dead);
  auto p = OpenPort("pcap:" + dir_ + "/raw.pcap", 2);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("not an Ethernet capture"), std::string::npos);
}

}  // namespace
}  // namespace sabina::io
