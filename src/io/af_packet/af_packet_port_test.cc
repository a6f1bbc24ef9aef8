#include "io/af_packet/af_packet_port.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sys/wait.h>

#include <functional>
#include <map>
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

#define SKIP_UNLESS_ROOT() \
  if (!IsRoot()) GTEST_SKIP() << "needs root (network namespaces)"

// Inside the private namespace: a veth pair va (the port) <-> vb (the test's end).
void MakeVeth(uint32_t mtu = 1500) {
  Sh("ip link add va type veth peer name vb");
  // IPv6 off before the links come up: no router solicitations, DAD or MLD reports in the
  // frame counts.
  Sh("sysctl -qw net.ipv6.conf.va.disable_ipv6=1 net.ipv6.conf.vb.disable_ipv6=1");
  Sh("ip link set va mtu " + std::to_string(mtu) + " up");
  Sh("ip link set vb mtu " + std::to_string(mtu) + " up");
}

TEST(AfPacketPort, MissingDevice) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    auto p = AfPacketPort::Open("nosuchdev0", 2);
    ASSERT_FALSE(p.ok());
    EXPECT_NE(p.status().message().find("does not exist"), std::string::npos)
        << p.status().message();
  });
}

TEST(AfPacketPort, ReceiveAndTransmitOnVeth) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth();
    auto p = AfPacketPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    AfPacketPort& port = **p;
    EXPECT_EQ(port.mac(), testing::MacOf("va"));
    EXPECT_EQ(port.max_frame(), 1518u);
    EXPECT_EQ(port.WaitFd(1), -1);
    EXPECT_GE(port.WaitFd(0), 0);
    packet::BufferPool pool(1024);
    RawSocket vb("vb");
    ASSERT_TRUE(vb.ok());
    std::vector<std::vector<uint8_t>> sent;
    for (uint32_t i = 0; i < 100; ++i) {
      sent.push_back(UdpFrame(port.mac(), testing::MacOf("vb"), 1000, 2000, 18 + i, 0,
                              static_cast<uint8_t>(i)));
      ASSERT_TRUE(vb.Send(sent.back()));
    }
    auto got = RxFrames(port, 0, pool, 100, 3000);
    ASSERT_EQ(got.size(), 100u);
    for (uint32_t i = 0; i < 100; ++i) EXPECT_EQ(got[i], sent[i]) << i;
    // The control queue never receives.
    packet::Buffer* bufs[8];
    EXPECT_EQ(port.Rx(1, pool, bufs, 8), 0u);

    // Transmit from the worker queue and from the control queue.
    auto a = UdpFrame(testing::MacOf("vb"), port.mac(), 1, 2, 100, 0, 1);
    auto b = UdpFrame(testing::MacOf("vb"), port.mac(), 3, 4, 200, 0, 2);
    TxFrame(port, 0, pool, a);
    TxFrame(port, 1, pool, b);
    auto out = vb.Recv(2, 2000);
    ASSERT_EQ(out.size(), 2u);
    std::set<std::vector<uint8_t>> expect{a, b}, seen(out.begin(), out.end());
    EXPECT_EQ(seen, expect);
    // Our own transmissions are not received back.
    EXPECT_TRUE(RxFrames(port, 0, pool, 1, 50).empty());
    PortStats s = port.Stats();
    EXPECT_EQ(s.rx_packets, 100u);
    EXPECT_EQ(s.tx_packets, 2u);
    EXPECT_EQ(s.tx_bytes, a.size() + b.size());
    EXPECT_EQ(s.rx_drops, 0u);
    EXPECT_EQ(pool.available(), 1024u);
  });
}

TEST(AfPacketPort, VlanTagsAreKept) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth();
    auto p = AfPacketPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    auto q = AfPacketPort::Open("vb", 2);
    ASSERT_TRUE(q.ok()) << q.status().message();
    packet::BufferPool pool(256);
    RawSocket vb("vb");
    auto tagged = UdpFrame((*p)->mac(), (*q)->mac(), 5, 6, 60, 100, 9);
    auto untagged = UdpFrame((*p)->mac(), (*q)->mac(), 5, 6, 60, 0, 9);
    auto prio = UdpFrame((*p)->mac(), (*q)->mac(), 5, 6, 60, 0x2000 | 7, 3);  // PCP 1, VID 7
    ASSERT_TRUE(vb.Send(tagged));
    ASSERT_TRUE(vb.Send(untagged));
    ASSERT_TRUE(vb.Send(prio));
    auto got = RxFrames(**p, 0, pool, 3, 3000);
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0], tagged);
    EXPECT_EQ(got[1], untagged);
    EXPECT_EQ(got[2], prio);
    // Tagged frames transmitted by a port arrive tagged.
    TxFrame(**p, 0, pool, tagged);
    auto back = RxFrames(**q, 0, pool, 1, 3000);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0], tagged);
  });
}

// The tag of a frame sent by a VLAN sub-interface travels out of band (hardware offload) over
// a veth; the data plane must still see it in the frame.
TEST(AfPacketPort, VlanTagOfAPeerSubInterface) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth();
    if (system("ip link add link vb name vb.100 type vlan id 100 2>/dev/null") != 0) {
      printf("no 802.1Q devices in this kernel: not tested\n");
      return;
    }
    Sh("ip link set vb.100 up");
    Sh("ip addr add 192.0.2.1/24 dev vb.100");
    auto p = AfPacketPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    Sh("ip neigh add 192.0.2.2 lladdr " + (*p)->mac().ToString() + " dev vb.100");
    packet::BufferPool pool(64);
    SendUdp("192.0.2.2", 100);
    auto got = RxFrames(**p, 0, pool, 1, 3000);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].size(), 14u + 4 + 20 + 8 + 100);
    EXPECT_EQ(got[0][12], 0x81);
    EXPECT_EQ(got[0][13], 0x00);
    EXPECT_EQ(got[0][15], 100);
    const uint8_t* udp = got[0].data() + 18 + 20;
    uint8_t pseudo[4] = {0, 17, 0, 108};
    uint32_t sum = ChecksumAdd(got[0].data() + 18 + 12, 8, ChecksumAdd(pseudo, 4, 0));
    EXPECT_EQ(ChecksumFold(ChecksumAdd(udp, 108, sum)), 0xffff) << "UDP checksum";
  });
}

TEST(AfPacketPort, FanoutKeepsFlowsOnOneQueue) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth();
    auto p = AfPacketPort::Open("va", 3);  // two workers
    ASSERT_TRUE(p.ok()) << p.status().message();
    AfPacketPort& port = **p;
    packet::BufferPool pool(2048);
    RawSocket vb("vb");
    constexpr uint32_t kFlows = 16, kPerFlow = 20;
    for (uint32_t k = 0; k < kPerFlow; ++k) {
      for (uint32_t f = 0; f < kFlows; ++f) {
        ASSERT_TRUE(vb.Send(
            UdpFrame(port.mac(), testing::MacOf("vb"), static_cast<uint16_t>(10000 + f), 53, 40)));
      }
    }
    std::map<uint16_t, std::set<uint32_t>> queues_of_flow;
    size_t total = 0;
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    std::vector<size_t> per_queue(2);
    while (total < kFlows * kPerFlow && std::chrono::steady_clock::now() < end) {
      for (uint32_t q = 0; q < 2; ++q) {
        auto got = RxFrames(port, q, pool, 1000, 5);
        for (const auto& f : got) {
          uint16_t sport = static_cast<uint16_t>(f[34] << 8 | f[35]);
          queues_of_flow[sport].insert(q);
        }
        per_queue[q] += got.size();
        total += got.size();
      }
    }
    EXPECT_EQ(total, kFlows * kPerFlow);
    EXPECT_EQ(queues_of_flow.size(), kFlows);
    for (const auto& [sport, qs] : queues_of_flow) EXPECT_EQ(qs.size(), 1u) << sport;
    // 16 flows hashed over 2 queues: both get some (fails with probability 2^-15).
    EXPECT_GT(per_queue[0], 0u);
    EXPECT_GT(per_queue[1], 0u);
  });
}

TEST(AfPacketPort, JumboFrames) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth(9000);
    auto p = AfPacketPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    AfPacketPort& port = **p;
    EXPECT_EQ(port.max_frame(), 9018u);
    packet::BufferPool pool(64);
    RawSocket vb("vb");
    auto big = UdpFrame(port.mac(), testing::MacOf("vb"), 7, 8, 9000 - 28, 0, 5);
    ASSERT_EQ(big.size(), 9014u);
    ASSERT_TRUE(vb.Send(big));
    auto got = RxFrames(port, 0, pool, 1, 3000);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], big);
    TxFrame(port, 0, pool, big);
    auto out = vb.Recv(1, 2000);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], big);
    // The control thread raises the device MTU after the port is open: the port follows.
    Sh("ip link set va mtu 9100 && ip link set vb mtu 9100");
    usleep(150000);  // kMtuRefreshNs
    auto bigger = UdpFrame(testing::MacOf("vb"), port.mac(), 7, 8, 9100 - 28, 0, 6);
    TxFrame(port, 0, pool, bigger);
    auto out2 = vb.Recv(1, 2000);
    ASSERT_EQ(out2.size(), 1u);
    EXPECT_EQ(out2[0], bigger);
    Sh("ip link set va mtu 9000 && ip link set vb mtu 9000");
    usleep(150000);
    // Larger than the device takes: refused and counted.
    auto too_big = UdpFrame(port.mac(), testing::MacOf("vb"), 7, 8, 9100, 0, 5);
    TxFrame(port, 0, pool, too_big);
    EXPECT_EQ(port.Stats().tx_errors, 1u);
    EXPECT_EQ(pool.available(), 64u);
  });
}

// A local UDP socket sending through vb leaves checksums to the "hardware" (CHECKSUM_PARTIAL)
// and, with UDP_SEGMENT, one 64 KiB super-packet: the port must hand the data plane real wire
// frames with valid checksums.
TEST(AfPacketPort, CompletesChecksumsAndSegmentsGso) {
  SKIP_UNLESS_ROOT();
  RunInNetns([] {
    MakeVeth();
    Sh("ip addr add 192.0.2.1/24 dev vb");
    auto p = AfPacketPort::Open("va", 2);
    ASSERT_TRUE(p.ok()) << p.status().message();
    AfPacketPort& port = **p;
    Sh("ip neigh add 192.0.2.2 lladdr " + port.mac().ToString() + " dev vb");
    packet::BufferPool pool(256);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(9);
    inet_pton(AF_INET, "192.0.2.2", &dst.sin_addr);
    std::vector<uint8_t> payload(4000);
    for (size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<uint8_t>(i * 13);
    ASSERT_EQ(sendto(s, payload.data(), 1000, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)),
              1000);
    int gso = 1000;
    ASSERT_EQ(setsockopt(s, SOL_UDP, 103 /* UDP_SEGMENT */, &gso, sizeof(gso)), 0);
    ASSERT_EQ(sendto(s, payload.data(), 3500, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst)),
              3500);
    close(s);
    auto got = RxFrames(port, 0, pool, 5, 3000);
    ASSERT_EQ(got.size(), 5u);
    std::vector<uint32_t> sizes;
    std::vector<uint8_t> joined;
    for (const auto& f : got) {
      ASSERT_GE(f.size(), 42u);
      ASSERT_EQ(f[12], 0x08);
      const uint8_t* ip = f.data() + 14;
      EXPECT_EQ(ChecksumFold(ChecksumAdd(ip, 20, 0)), 0xffff) << "IPv4 header checksum";
      uint32_t ip_len = ip[2] << 8 | ip[3];
      EXPECT_EQ(ip_len + 14, f.size());
      const uint8_t* udp = ip + 20;
      uint32_t udp_len = udp[4] << 8 | udp[5];
      EXPECT_EQ(udp_len, ip_len - 20);
      uint8_t pseudo[4] = {0, 17, static_cast<uint8_t>(udp_len >> 8),
                           static_cast<uint8_t>(udp_len)};
      uint32_t sum = ChecksumAdd(ip + 12, 8, ChecksumAdd(pseudo, 4, 0));
      EXPECT_EQ(ChecksumFold(ChecksumAdd(udp, udp_len, sum)), 0xffff) << "UDP checksum";
      sizes.push_back(udp_len - 8);
      if (sizes.size() > 1) joined.insert(joined.end(), udp + 8, udp + udp_len);
    }
    EXPECT_EQ(sizes, (std::vector<uint32_t>{1000, 1000, 1000, 1000, 500}));
    EXPECT_TRUE(std::equal(joined.begin(), joined.end(), payload.begin()));
  });
}

// A process in its own network namespace: runs `body` after the parent said go.
struct NsProcess {
  pid_t pid = -1;
  int go[2] = {-1, -1};
  int ready[2] = {-1, -1};
};

NsProcess SpawnNs(const std::function<void()>& body) {
  NsProcess p;
  EXPECT_EQ(pipe(p.go), 0);
  EXPECT_EQ(pipe(p.ready), 0);
  p.pid = fork();
  if (p.pid == 0) {
    alarm(60);
    char c = 0;
    if (unshare(CLONE_NEWNET) != 0) _exit(3);
    if (write(p.ready[1], &c, 1) != 1) _exit(3);
    if (read(p.go[0], &c, 1) != 1) _exit(3);
    body();
    _exit(0);
  }
  char c;
  EXPECT_EQ(read(p.ready[0], &c, 1), 1);
  return p;
}

uint8_t Pattern(size_t i) { return static_cast<uint8_t>((i * 2654435761u) >> 13); }

// Two hosts in their own namespaces, wired through two af_packet ports that the test loop
// bridges (Rx on one, Tx on the other). With `gro` false the hosts' TCP stacks hand their
// veths 64 KiB TSO super-packets with partial checksums; with `gro` true the client sends
// MSS-sized segments and the router-side veth merges them (GRO). The receiving host only
// accepts what the ports turned into correct wire frames, so a byte-exact transfer proves
// segmentation and checksums.
void TcpThroughBridge(bool gro) {
  RunInNetns(
      [gro] {
        Sh("ip link add a0 type veth peer name a1");
        Sh("ip link add b0 type veth peer name b1");
        constexpr size_t kBytes = 4 << 20;
        int result[2];
        ASSERT_EQ(pipe(result), 0);
        NsProcess server = SpawnNs([&] {
          int l = socket(AF_INET, SOCK_STREAM, 0);
          sockaddr_in a{};
          a.sin_family = AF_INET;
          a.sin_port = htons(5001);
          int one = 1;
          setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
          if (bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || listen(l, 1) != 0) {
            _exit(5);
          }
          int c = accept(l, nullptr, nullptr);
          std::vector<uint8_t> buf(65536);
          uint64_t total = 0, bad = 0;
          ssize_t n;
          while ((n = read(c, buf.data(), buf.size())) > 0) {
            for (ssize_t i = 0; i < n; ++i) bad += buf[i] != Pattern(total + i);
            total += n;
          }
          uint64_t out[2] = {total, bad};
          (void)!write(result[1], out, sizeof(out));
        });
        NsProcess client = SpawnNs([&] {
          int s = socket(AF_INET, SOCK_STREAM, 0);
          sockaddr_in a{};
          a.sin_family = AF_INET;
          a.sin_port = htons(5001);
          inet_pton(AF_INET, "192.0.2.2", &a.sin_addr);
          for (int i = 0; connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0; ++i) {
            if (i == 100) _exit(6);
            close(s);
            s = socket(AF_INET, SOCK_STREAM, 0);
            usleep(50000);
          }
          std::vector<uint8_t> data(kBytes);
          for (size_t i = 0; i < kBytes; ++i) data[i] = Pattern(i);
          for (size_t off = 0; off < kBytes;) {
            ssize_t n = write(s, data.data() + off, kBytes - off);
            if (n <= 0) _exit(7);
            off += n;
          }
          close(s);
        });
        std::string srv = std::to_string(server.pid), cli = std::to_string(client.pid);
        Sh("ip link set b1 netns " + srv + " && ip link set a1 netns " + cli);
        Sh("nsenter -t " + srv +
           " -n sh -c 'ip link set lo up && ip link set b1 up && "
           "ip addr add 192.0.2.2/24 dev b1'");
        Sh("nsenter -t " + cli +
           " -n sh -c 'ip link set lo up && ip link set a1 up && "
           "ip addr add 192.0.2.1/24 dev a1'");
        Sh("ip link set a0 up && ip link set b0 up");
        if (gro) {
          Sh("nsenter -t " + cli + " -n ethtool -K a1 tso off gso off");
          Sh("ethtool -K a0 gro on");
        } else {
          Sh("nsenter -t " + cli + " -n ethtool -k a1 | grep -q 'tcp-segmentation-offload: on'");
        }
        auto a = AfPacketPort::Open("a0", 2);
        ASSERT_TRUE(a.ok()) << a.status().message();
        auto b = AfPacketPort::Open("b0", 2);
        ASSERT_TRUE(b.ok()) << b.status().message();
        ASSERT_EQ(write(server.go[1], "g", 1), 1);
        ASSERT_EQ(write(client.go[1], "g", 1), 1);
        packet::BufferPool pool(4096);
        packet::Buffer* bufs[packet::kFrameSize];
        uint64_t out[2] = {0, 0};
        auto end = std::chrono::steady_clock::now() + std::chrono::seconds(40);
        while (std::chrono::steady_clock::now() < end) {
          uint32_t n = (*a)->Rx(0, pool, bufs, packet::kFrameSize);
          (*b)->Tx(0, bufs, n, pool);
          uint32_t m = (*b)->Rx(0, pool, bufs, packet::kFrameSize);
          (*a)->Tx(0, bufs, m, pool);
          pollfd p{result[0], POLLIN, 0};
          if (poll(&p, 1, n + m == 0 ? 1 : 0) == 1) {
            ASSERT_EQ(read(result[0], out, sizeof(out)), static_cast<ssize_t>(sizeof(out)));
            break;
          }
        }
        EXPECT_EQ(out[0], kBytes);
        EXPECT_EQ(out[1], 0u);
        int st;
        waitpid(server.pid, &st, 0);
        waitpid(client.pid, &st, 0);
        EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "client exit " << WEXITSTATUS(st);
        PortStats sa = (*a)->Stats(), sb = (*b)->Stats();
        EXPECT_EQ(sa.rx_errors + sb.rx_errors, 0u);
        printf("bridged: a0 rx %lu tx %lu, b0 rx %lu tx %lu, pool %u/4096\n",
               static_cast<unsigned long>(sa.rx_packets), static_cast<unsigned long>(sa.tx_packets),
               static_cast<unsigned long>(sb.rx_packets), static_cast<unsigned long>(sb.tx_packets),
               pool.available());
      },
      90);
}

TEST(AfPacketPort, TcpThroughBridgedPortsWithTsoPeers) {
  SKIP_UNLESS_ROOT();
  TcpThroughBridge(false);
}

TEST(AfPacketPort, TcpThroughBridgedPortsWithGroOnTheRouterSide) {
  SKIP_UNLESS_ROOT();
  TcpThroughBridge(true);
}

}  // namespace
}  // namespace sabina::io
