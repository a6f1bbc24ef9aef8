// Test fixture of the node unit tests: a small router (tables, a worker, capturing ports) and
// hand-built frames.
//
// Topology: ge-0/0/0.0 (if 0, port 0, 192.0.2.1/24, 2001:db8:1::1/64),
//           ge-0/0/1.0 (if 1, port 1 untagged, 198.51.100.1/24, 2001:db8:2::1/64),
//           ge-0/0/1.10 (if 2, port 1 VLAN 10, 203.0.113.225/28),
//           ge-0/0/2.0 (if 3, port 2, mtu 1000, no address).
// Routes (IPv4): 203.0.113.0/26 -> 198.51.100.2 (adj 1 on if 1); 203.0.113.64/26 -> 16 ECMP
// paths on if 1 (adj 10..25); .128/28 discard; .144/28 reject; .160/28 -> adj 2 on if 2
// (VLAN 10); .176/28 -> adj 3 (unresolved); .192/28 -> adj 4 on if 3 (mtu 1000);
// 192.0.2.1/32 local; 192.0.2.0/24 glean on if 0; 192.0.2.2/32 -> adj 5 on if 0 (the test
// sender, so ICMP errors come back out of port 0).
// IPv6: 2001:db8:1::1/128 local; 2001:db8:1::/64 glean if 0; 2001:db8:1::2/128 -> adj 6 (if 0);
// 2001:db8:3::/48 -> adj 7 (if 1); 2001:db8:4::/48 discard; 2001:db8:5::/48 reject;
// 2001:db8:6::/48 -> adj 8 on if 3 (mtu 1000).
//
// Thread: the test's.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/node_util.h"
#include "dp/punt.h"
#include "dp/tables.h"
#include "dp/testing/fib_slots.h"
#include "dp/worker.h"
#include "io/port.h"
#include "packet/headers.h"

namespace sabina::dp::testing {

using Bytes = std::vector<uint8_t>;

class CapturePort : public io::Port {
 public:
  explicit CapturePort(std::string name) : Port(std::move(name), 2) {}
  const char* driver() const override { return "capture"; }
  // Hands out the frames queued in `inbox` (for Worker::Poll).
  uint32_t Rx(uint32_t, packet::BufferPool& pool, packet::Buffer** b, uint32_t max) override {
    uint32_t n = 0;
    for (; n < max && !inbox.empty(); ++n) {
      b[n] = pool.Alloc();
      b[n]->Assign(inbox.front().data(), static_cast<uint32_t>(inbox.front().size()));
      b[n]->rx_port = rx_port;
      inbox.erase(inbox.begin());
    }
    return n;
  }
  void Tx(uint32_t, packet::Buffer** b, uint32_t n, packet::BufferPool& pool) override {
    for (uint32_t i = 0; i < n; ++i) {
      frames.emplace_back(b[i]->data(), b[i]->data() + b[i]->length);
      pool.Free(b[i]);
    }
  }
  int WaitFd(uint32_t) const override { return -1; }
  std::vector<Bytes> frames;
  std::vector<Bytes> inbox;
  uint32_t rx_port = 0;  // this port's index in the worker
};

inline packet::MacAddr Mac(uint64_t v) { return packet::MacAddr::FromU64(v); }
inline const packet::MacAddr kMac0 = Mac(0x020000000001);     // if 0
inline const packet::MacAddr kMac1 = Mac(0x020000000101);     // if 1 and 2 (port 1)
inline const packet::MacAddr kMac3 = Mac(0x020000000301);     // if 3
inline const packet::MacAddr kHostMac = Mac(0x0200000000aa);  // the test sender on port 0
inline constexpr uint64_t kNeighbor1 = 0x020000000202;        // adj 1
inline constexpr uint64_t kNeighborVlan = 0x020000000203;     // adj 2
inline constexpr uint64_t kNeighborSmall = 0x020000000204;    // adj 4

inline uint32_t A4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}
inline fib::Ip6 A6(uint64_t hi, uint64_t lo) { return {hi, lo}; }
inline constexpr uint64_t kDb8_1 = 0x20010db800010000ull;
inline constexpr uint64_t kDb8_2 = 0x20010db800020000ull;

class Router {
 public:
  Router() {
    auto ifs = std::make_unique<IfTable>();
    ifs->interfaces.resize(4);
    auto unit = [&](uint32_t i, uint32_t port, uint16_t vlan, packet::MacAddr mac, uint32_t mtu) {
      Interface& itf = ifs->interfaces[i];
      itf.index = i;
      itf.port = port;
      itf.vlan = vlan;
      itf.up = true;
      itf.mtu = mtu;
      itf.mac = mac;
      return &itf;
    };
    Interface* i0 = unit(0, 0, 0, kMac0, 1500);
    i0->ip4_address = A4(192, 0, 2, 1);
    i0->ip4_addresses[0] = {A4(192, 0, 2, 1), 24};
    i0->ip4_address_count = 1;
    i0->ip6_address = A6(kDb8_1, 1);
    i0->has_ip6 = true;
    Interface* i1 = unit(1, 1, 0, kMac1, 1500);
    i1->ip4_address = A4(198, 51, 100, 1);
    i1->ip4_addresses[0] = {A4(198, 51, 100, 1), 24};
    i1->ip4_address_count = 1;
    i1->ip6_address = A6(kDb8_2, 1);
    i1->has_ip6 = true;
    Interface* i2 = unit(2, 1, 10, kMac1, 1500);
    i2->ip4_address = A4(203, 0, 113, 225);
    i2->ip4_addresses[0] = {A4(203, 0, 113, 225), 28};
    i2->ip4_address_count = 1;
    unit(3, 2, 0, kMac3, 1000);
    ifs->ports.resize(3);
    ifs->ports[0].untagged = 0;
    ifs->ports[1].untagged = 1;
    ifs->ports[1].by_vlan.assign(4096, packet::kInvalidIndex);
    ifs->ports[1].by_vlan[10] = 2;
    ifs->ports[2].untagged = 3;
    tables.PublishInterfaces(std::move(ifs));

    SetAdjacency4(tables, 1, 1, A4(198, 51, 100, 2), kNeighbor1);
    SetAdjacency4(tables, 2, 2, A4(203, 0, 113, 226), kNeighborVlan);
    SetAdjacency4(tables, 3, 1, A4(198, 51, 100, 3), 0);
    SetAdjacency4(tables, 4, 3, A4(192, 0, 2, 200), kNeighborSmall);
    SetAdjacency4(tables, 5, 0, A4(192, 0, 2, 2), kHostMac.ToU64());
    SetAdjacency6(tables, 6, 0, A6(kDb8_1, 2), kHostMac.ToU64());
    SetAdjacency6(tables, 7, 1, A6(kDb8_2, 2), kNeighbor1);
    SetAdjacency6(tables, 8, 3, A6(kDb8_2, 8), kNeighborSmall);
    for (uint32_t k = 0; k < 16; ++k) {
      SetAdjacency4(tables, 10 + k, 1, A4(198, 51, 100, 10 + k), 0x020000001000 + k);
    }

    SetNextHop(tables, 1, fib::NextHopKind::kForward, 0, {1});
    SetNextHop(tables, 2, fib::NextHopKind::kLocal, 0, {});
    SetNextHop(tables, 3, fib::NextHopKind::kDiscard, 0, {});
    SetNextHop(tables, 4, fib::NextHopKind::kReject, 0, {});
    SetNextHop(tables, 5, fib::NextHopKind::kGlean, 0, {});
    std::vector<uint32_t> ecmp;
    for (uint32_t k = 0; k < 16; ++k) ecmp.push_back(10 + k);
    SetNextHop(tables, 6, fib::NextHopKind::kForward, 0, ecmp);
    SetNextHop(tables, 7, fib::NextHopKind::kForward, 0, {2});
    SetNextHop(tables, 8, fib::NextHopKind::kForward, 0, {3});
    SetNextHop(tables, 9, fib::NextHopKind::kForward, 0, {4});
    SetNextHop(tables, 10, fib::NextHopKind::kForward, 0, {5});
    SetNextHop(tables, 11, fib::NextHopKind::kForward, 0, {6});
    SetNextHop(tables, 12, fib::NextHopKind::kForward, 0, {7});
    SetNextHop(tables, 13, fib::NextHopKind::kForward, 0, {8});

    tables.fib4.Set(A4(203, 0, 113, 0), 26, 1);
    tables.fib4.Set(A4(203, 0, 113, 64), 26, 6);
    tables.fib4.Set(A4(203, 0, 113, 128), 28, 3);
    tables.fib4.Set(A4(203, 0, 113, 144), 28, 4);
    tables.fib4.Set(A4(203, 0, 113, 160), 28, 7);
    tables.fib4.Set(A4(203, 0, 113, 176), 28, 8);
    tables.fib4.Set(A4(203, 0, 113, 192), 28, 9);
    tables.fib4.Set(A4(192, 0, 2, 1), 32, 2);
    tables.fib4.Set(A4(192, 0, 2, 0), 24, 5);
    tables.fib4.Set(A4(192, 0, 2, 2), 32, 10);
    tables.fib4.Commit();
    tables.fib6.Set(A6(kDb8_1, 1), 128, 2);
    tables.fib6.Set(A6(kDb8_1, 0), 64, 5);
    tables.fib6.Set(A6(kDb8_1, 2), 128, 11);
    tables.fib6.Set(A6(0x20010db800030000ull, 0), 48, 12);
    tables.fib6.Set(A6(0x20010db800040000ull, 0), 48, 3);
    tables.fib6.Set(A6(0x20010db800050000ull, 0), 48, 4);
    tables.fib6.Set(A6(0x20010db800060000ull, 0), 48, 13);
    tables.fib6.Commit();

    worker =
        std::make_unique<Worker>(0, tables, std::vector<io::Port*>{&p0, &p1, &p2}, punt, -1, 2048);
  }

  // Injects frames received on `port`, as one vector.
  void Receive(uint32_t port, const std::vector<Bytes>& frames) {
    std::vector<packet::Buffer*> v;
    for (const Bytes& f : frames) {
      packet::Buffer* b = worker->pool().Alloc();
      b->Assign(f.data(), static_cast<uint32_t>(f.size()));
      b->rx_port = port;
      v.push_back(b);
    }
    worker->Inject(v.data(), static_cast<uint32_t>(v.size()));
  }
  void Receive(uint32_t port, const Bytes& frame) { Receive(port, std::vector<Bytes>{frame}); }

  uint64_t drops(DropReason r) const {
    return worker->counters().drops[static_cast<uint32_t>(r)].load();
  }
  uint64_t events(Event e) const {
    return worker->counters().events[static_cast<uint32_t>(e)].load();
  }
  uint64_t total_drops() const {
    uint64_t n = 0;
    for (auto& c : worker->counters().drops) n += c.load();
    return n;
  }
  std::vector<PuntSlot> Punted() {
    std::vector<PuntSlot> out;
    while (const PuntSlot* s = punt.Peek()) {
      out.push_back(*s);
      punt.Release();
    }
    return out;
  }

  Tables tables;
  CapturePort p0{"p0"}, p1{"p1"}, p2{"p2"};
  PuntRing punt{16};
  std::unique_ptr<Worker> worker;

};

// --- frames ---

inline void Put16(Bytes& b, size_t at, uint16_t v) { nodes::Store16(b.data() + at, v); }
inline void Put32(Bytes& b, size_t at, uint32_t v) {
  uint32_t n = htonl(v);
  std::memcpy(b.data() + at, &n, 4);
}

inline Bytes Ether(const packet::MacAddr& dst, const packet::MacAddr& src, uint16_t type,
                   uint16_t vlan = 0) {
  Bytes b(dst.bytes.begin(), dst.bytes.end());
  b.insert(b.end(), src.bytes.begin(), src.bytes.end());
  if (vlan != 0) {
    b.resize(16);
    Put16(b, 12, packet::kEtherTypeVlan);
    Put16(b, 14, vlan);
  }
  b.resize(b.size() + 2);
  Put16(b, b.size() - 2, type);
  return b;
}

struct Ip4Spec {
  uint32_t src = A4(192, 0, 2, 2);
  uint32_t dst = A4(203, 0, 113, 5);
  uint8_t ttl = 64;
  uint8_t protocol = packet::kProtoUdp;
  uint16_t src_port = 1000, dst_port = 2000;
  uint32_t payload = 18;  // bytes after the UDP header
  bool df = false;
  Bytes options;  // a multiple of 4
};

// An IPv4/UDP packet with valid checksums.
inline Bytes Ip4(const Ip4Spec& s) {
  const uint32_t ihl = 20 + static_cast<uint32_t>(s.options.size());
  const uint32_t l4 = 8 + s.payload;
  Bytes b(ihl + l4);
  b[0] = static_cast<uint8_t>(0x40 | ihl / 4);
  Put16(b, 2, static_cast<uint16_t>(ihl + l4));
  Put16(b, 4, 0x1234);
  Put16(b, 6, s.df ? packet::kIp4FlagDf : 0);
  b[8] = s.ttl;
  b[9] = s.protocol;
  Put32(b, 12, s.src);
  Put32(b, 16, s.dst);
  std::copy(s.options.begin(), s.options.end(), b.begin() + 20);
  nodes::Ip4SetChecksum(b.data(), ihl);
  Put16(b, ihl, s.src_port);
  Put16(b, ihl + 2, s.dst_port);
  Put16(b, ihl + 4, static_cast<uint16_t>(l4));
  for (uint32_t k = 0; k < s.payload; ++k) b[ihl + 8 + k] = static_cast<uint8_t>(k * 7 + 3);
  return b;
}

inline Bytes Frame(const Bytes& l2, const Bytes& l3) {
  Bytes f = l2;
  f.insert(f.end(), l3.begin(), l3.end());
  return f;
}

// A frame from the test sender to if 0 carrying `l3`.
inline Bytes FromHost4(const Bytes& l3) { return Frame(Ether(kMac0, kHostMac, 0x0800), l3); }
inline Bytes FromHost6(const Bytes& l3) { return Frame(Ether(kMac0, kHostMac, 0x86dd), l3); }

struct Ip6Spec {
  fib::Ip6 src = A6(kDb8_1, 2);
  fib::Ip6 dst = A6(0x20010db800030000ull, 5);
  uint8_t hop_limit = 64;
  uint8_t next_header = packet::kProtoUdp;  // of the fixed header (first extension, if any)
  Bytes extensions;  // the chain, already linked; the last one's next header is UDP
  uint32_t payload = 10;
};

inline Bytes Ip6(const Ip6Spec& s) {
  const uint32_t l4 = 8 + s.payload;
  Bytes b(40 + s.extensions.size() + l4);
  Put32(b, 0, 6u << 28);
  Put16(b, 4, static_cast<uint16_t>(s.extensions.size() + l4));
  b[6] = s.next_header;
  b[7] = s.hop_limit;
  nodes::StoreIp6(b.data() + 8, s.src);
  nodes::StoreIp6(b.data() + 24, s.dst);
  std::copy(s.extensions.begin(), s.extensions.end(), b.begin() + 40);
  size_t u = 40 + s.extensions.size();
  Put16(b, u, 1000);
  Put16(b, u + 2, 2000);
  Put16(b, u + 4, static_cast<uint16_t>(l4));
  for (uint32_t k = 0; k < s.payload; ++k) b[u + 8 + k] = static_cast<uint8_t>(k);
  return b;
}

inline bool Ip4ChecksumOk(const uint8_t* ip) {
  return nodes::Ip4HeaderSum(ip, (ip[0] & 0xf) * 4u) == 0xffff;
}

}  // namespace sabina::dp::testing
