// Test helpers for the io drivers: run a test body in a private network namespace (a forked
// child that unshares CLONE_NEWNET, so the host's interfaces are never touched and everything
// it creates vanishes with it), a raw AF_PACKET socket, frame builders, Rx with a deadline.
//
// Thread: test thread only. Header-only: used by src/io/*_test.cc and bench/io_bench.cc.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "io/port.h"
#include "packet/buffer.h"

namespace sabina::io::testing {

inline bool IsRoot() { return geteuid() == 0; }

// Runs `body` in a forked child inside a new network namespace (loopback up). GoogleTest
// failures in the child are printed by the child; the parent fails if the child failed, died
// or timed out (`timeout_s`).
inline void RunInNetns(const std::function<void()>& body, unsigned timeout_s = 60) {
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(timeout_s);
    if (unshare(CLONE_NEWNET) != 0) {
      fprintf(stderr, "unshare(CLONE_NEWNET) failed\n");
      _exit(3);
    }
    if (system("ip link set lo up") != 0) _exit(4);
    body();
    fflush(stdout);
    fflush(stderr);
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  if (WIFSIGNALED(status)) FAIL() << "netns child died with signal " << WTERMSIG(status);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "netns child failed (exit " << WEXITSTATUS(status) << ")";
}

inline void Sh(const std::string& cmd) { ASSERT_EQ(system(cmd.c_str()), 0) << cmd; }

// Sends one UDP datagram of `bytes` 0x5a bytes to `ipv4` port 9 through the kernel's stack.
inline void SendUdp(const char* ipv4, size_t bytes) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(9);
  inet_pton(AF_INET, ipv4, &dst.sin_addr);
  std::vector<uint8_t> payload(bytes, 0x5a);
  ssize_t sent =
      sendto(s, payload.data(), bytes, 0, reinterpret_cast<sockaddr*>(&dst), sizeof(dst));
  close(s);
  ASSERT_EQ(sent, static_cast<ssize_t>(bytes));
}

inline packet::MacAddr MacOf(const std::string& dev) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ifreq ifr{};
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", dev.c_str());
  packet::MacAddr mac;
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) std::memcpy(mac.bytes.data(), ifr.ifr_hwaddr.sa_data, 6);
  close(fd);
  return mac;
}

// A raw AF_PACKET socket on one device (sends frames as given; receives untagged frames).
class RawSocket {
 public:
  explicit RawSocket(const std::string& dev) {
    fd_ = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    sockaddr_ll sll{};
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = static_cast<int>(if_nametoindex(dev.c_str()));
    ok_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) == 0;
    int one = 1;
    setsockopt(fd_, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
  }
  ~RawSocket() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return ok_; }
  bool Send(const std::vector<uint8_t>& f) {
    return send(fd_, f.data(), f.size(), 0) == static_cast<ssize_t>(f.size());
  }
  // Frames received within `timeout_ms` (stops early once `want` arrived).
  std::vector<std::vector<uint8_t>> Recv(size_t want, int timeout_ms) {
    std::vector<std::vector<uint8_t>> got;
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::vector<uint8_t> buf(70000);
    while (got.size() < want) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      end - std::chrono::steady_clock::now())
                                      .count());
      if (left <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, left) <= 0) continue;
      ssize_t n = recv(fd_, buf.data(), buf.size(), MSG_DONTWAIT);
      if (n > 0) got.emplace_back(buf.begin(), buf.begin() + n);
    }
    return got;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

// An Ethernet/IPv4/UDP frame; `vlan` != 0 adds an 802.1Q tag. Payload bytes are a pattern
// seeded by `seed`. IP and UDP checksums are left 0 (drivers do not look).
inline std::vector<uint8_t> UdpFrame(const packet::MacAddr& dst, const packet::MacAddr& src,
                                     uint16_t sport, uint16_t dport, uint32_t payload,
                                     uint16_t vlan = 0, uint8_t seed = 0) {
  std::vector<uint8_t> f;
  f.insert(f.end(), dst.bytes.begin(), dst.bytes.end());
  f.insert(f.end(), src.bytes.begin(), src.bytes.end());
  if (vlan != 0)
    f.insert(f.end(), {0x81, 0x00, static_cast<uint8_t>(vlan >> 8), static_cast<uint8_t>(vlan)});
  f.insert(f.end(), {0x08, 0x00});
  uint16_t ip_len = static_cast<uint16_t>(20 + 8 + payload);
  f.insert(f.end(), {0x45,
                     0,
                     static_cast<uint8_t>(ip_len >> 8),
                     static_cast<uint8_t>(ip_len),
                     0,
                     1,
                     0,
                     0,
                     64,
                     17,
                     0,
                     0,
                     192,
                     0,
                     2,
                     1,
                     198,
                     51,
                     100,
                     7});
  uint16_t udp_len = static_cast<uint16_t>(8 + payload);
  f.insert(f.end(), {static_cast<uint8_t>(sport >> 8), static_cast<uint8_t>(sport),
                     static_cast<uint8_t>(dport >> 8), static_cast<uint8_t>(dport),
                     static_cast<uint8_t>(udp_len >> 8), static_cast<uint8_t>(udp_len), 0, 0});
  for (uint32_t i = 0; i < payload; ++i) f.push_back(static_cast<uint8_t>(i * 7 + seed));
  return f;
}

inline std::vector<uint8_t> Bytes(const packet::Buffer* b) {
  return std::vector<uint8_t>(b->data(), b->data() + b->length);
}

// Receives from `queue` until `want` frames arrived or `timeout_ms` passed; frees the buffers.
inline std::vector<std::vector<uint8_t>> RxFrames(Port& port, uint32_t queue,
                                                  packet::BufferPool& pool, size_t want,
                                                  int timeout_ms) {
  std::vector<std::vector<uint8_t>> got;
  packet::Buffer* bufs[packet::kFrameSize];
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (got.size() < want && std::chrono::steady_clock::now() < end) {
    uint32_t n = port.Rx(queue, pool, bufs, packet::kFrameSize);
    for (uint32_t i = 0; i < n; ++i) got.push_back(Bytes(bufs[i]));
    pool.FreeBulk(bufs, n);
    if (n == 0) usleep(200);
  }
  return got;
}

// Copies `frame` into a buffer of `pool` and transmits it on `queue`.
inline void TxFrame(Port& port, uint32_t queue, packet::BufferPool& pool,
                    const std::vector<uint8_t>& frame) {
  packet::Buffer* b = pool.Alloc();
  b->Assign(frame.data(), static_cast<uint32_t>(frame.size()));
  port.Tx(queue, &b, 1, pool);
}

}  // namespace sabina::io::testing
