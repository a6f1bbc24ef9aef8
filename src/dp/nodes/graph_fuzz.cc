// libFuzzer target for the forwarding graph: every node that parses received bytes (ethernet,
// ARP, IPv4/IPv6 input and their extension headers, lookup, rewrite, fragmentation, ICMP errors,
// punt) runs on fuzzed frames in a small but complete data plane, and the target checks what a
// router must never do whatever arrives:
//   - crash or read/write out of bounds (ASan/UBSan);
//   - lose a buffer: after each run the pool is full again (every packet was transmitted,
//     punted or dropped);
//   - miscount: rx-packets is the frames received; every buffer's end (drop, punt, transmit,
//     replaced by its fragments) is counted once, ICMP errors aside (worker.h: CountDrop);
//     tx-packets and punted match what the ports and the punt ring got;
//   - send a malformed frame: a wrong source MAC or VLAN tag, a packet over the unit's MTU, an
//     IPv4 header with a bad checksum or length, an IPv6 payload length that lies;
//   - answer an ICMP error with an ICMP error (RFC 1812 4.3.2.7, RFC 4443 2.4(e)).
//
// Input: byte 0 is a set of flags (kFlag*), then frames, each [port][length: 2 bytes, big
// endian][bytes] (a short last frame takes what is left), so that one run is a burst of up to
// kMaxFrames frames in one vector. Seeds: tests/fuzz/graph_fuzz/ (scripts/fuzz copies them).
//
// Data plane (one worker, fresh per run so that the ICMP rate limiter and counters start over):
//   port 0 untagged: ge-0/0/0.0 (if 0) 192.0.2.1/24 2001:db8:1::1/64, mtu 1500; sender
//                    192.0.2.2 / 2001:db8:1::2 at kHostMac (so ICMP errors go back out);
//   port 1 VLAN 10:  ge-0/0/1.10 (if 1) 198.51.100.1/24 2001:db8:2::1/64, mtu 1280;
//   port 1 VLAN 20:  ge-0/0/1.20 (if 2) 203.0.113.1/28 203.0.113.17/28 2001:db8:3::1/64, mtu 576;
//   port 3 does not exist (a frame from it is the driver's bug, still counted).
// IPv4 routes: local /32s, glean /24 /24 /28 /28, 203.0.113.64/26 ECMP over if 1 and if 2,
// .128/26 discard, .192/27 reject, .224/27 unresolved adjacency, .32/28 a unit the interface
// snapshot does not have (the FIB ahead of the snapshot). IPv6 alike under 2001:db8:10::/44.
//
// Thread: libFuzzer's single thread.
#include <arpa/inet.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "dp/counters.h"
#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/node_util.h"
#include "dp/punt.h"
#include "dp/tables.h"
#include "dp/testing/fib_slots.h"
#include "dp/worker.h"
#include "io/memory/memory_port.h"
#include "packet/buffer.h"
#include "packet/headers.h"

namespace {

using namespace sabina;
using dp::DropReason;
using dp::Event;
using dp::NodeId;
using dp::testing::SetAdjacency4;
using dp::testing::SetAdjacency6;
using dp::testing::SetNextHop;

constexpr uint32_t kPorts = 3;
constexpr uint32_t kInterfaces = 3;
constexpr uint32_t kMaxFrames = 300;  // more than one vector (packet::kFrameSize)
constexpr uint32_t kPoolBuffers = 640;
constexpr uint32_t kPuntSlots = 64;  // fewer than a burst: punt-queue-full is reachable

// Input flags (byte 0).
constexpr uint8_t kFlagUnresolvedPath = 1 << 0;  // one ECMP path of 203.0.113.64/26 unresolved
constexpr uint8_t kFlagPoll = 1 << 1;  // receive through the ports (Poll) with the trace armed
// Recompute each IPv4 header checksum first, so that mutated headers get past ip4-input.
constexpr uint8_t kFlagFixChecksums = 1 << 2;

constexpr uint64_t kHostMac = 0x0200000000aa;
constexpr uint64_t kPeerMac = 0x020000000202;
constexpr uint32_t kMtu[kInterfaces] = {1500, 1280, 576};

constexpr uint32_t A4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}
constexpr uint64_t kDb8 = 0x20010db800000000ull;  // 2001:db8::/32, the high 64 bits
constexpr fib::Ip6 A6(uint64_t net, uint64_t lo) { return {kDb8 | net << 16, lo}; }

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "graph_fuzz: %s\n", what);
  std::abort();
}

struct Plane {
  Plane() {
    auto ifs = std::make_unique<dp::IfTable>();
    ifs->interfaces.resize(kInterfaces);
    const uint16_t vlan[kInterfaces] = {0, 10, 20};
    const uint32_t port[kInterfaces] = {0, 1, 1};
    const uint32_t v4[kInterfaces] = {A4(192, 0, 2, 1), A4(198, 51, 100, 1), A4(203, 0, 113, 1)};
    const uint8_t v4_len[kInterfaces] = {24, 24, 28};
    for (uint32_t i = 0; i < kInterfaces; ++i) {
      dp::Interface& itf = ifs->interfaces[i];
      itf.index = i;
      itf.port = port[i];
      itf.vlan = vlan[i];
      itf.up = true;
      itf.mtu = kMtu[i];
      itf.mac = packet::MacAddr::FromU64(0x020000000001 + (uint64_t{port[i]} << 8));
      itf.ip4_address = v4[i];
      itf.ip4_addresses[0] = {v4[i], v4_len[i]};
      itf.ip4_address_count = 1;
      itf.ip6_address = A6(i + 1, 1);
      itf.ip6_addresses[0] = {itf.ip6_address, 64};
      itf.ip6_address_count = 1;
      itf.has_ip6 = true;
    }
    ifs->interfaces[2].ip4_addresses[1] = {A4(203, 0, 113, 17), 28};
    ifs->interfaces[2].ip4_address_count = 2;
    ifs->ports.resize(kPorts);
    ifs->ports[0].untagged = 0;
    ifs->ports[1].by_vlan.assign(4096, packet::kInvalidIndex);
    ifs->ports[1].by_vlan[10] = 1;
    ifs->ports[1].by_vlan[20] = 2;
    for (uint32_t i = 0; i < kInterfaces; ++i) interfaces[i] = ifs->interfaces[i];
    tables.PublishInterfaces(std::move(ifs));

    // Adjacencies (0 is kNoAdjacency).
    SetAdjacency4(tables, 1, 0, A4(192, 0, 2, 2), kHostMac);
    SetAdjacency4(tables, 2, 1, A4(198, 51, 100, 2), kPeerMac);
    SetAdjacency4(tables, 3, 2, A4(203, 0, 113, 2), kPeerMac + 1);
    SetAdjacency4(tables, 4, 1, A4(198, 51, 100, 3), 0);
    // A unit the interface snapshot does not have.
    SetAdjacency4(tables, 5, 7, A4(198, 51, 100, 4), kPeerMac + 2);
    SetAdjacency6(tables, 6, 0, A6(1, 2), kHostMac);
    SetAdjacency6(tables, 7, 1, A6(2, 2), kPeerMac);
    SetAdjacency6(tables, 8, 2, A6(3, 2), kPeerMac + 1);
    SetAdjacency6(tables, 9, 1, A6(2, 3), 0);

    using K = fib::NextHopKind;
    SetNextHop(tables, 1, K::kLocal, 0, {});
    SetNextHop(tables, 2, K::kGlean, 0, {});
    SetNextHop(tables, 3, K::kGlean, 1, {});
    SetNextHop(tables, 4, K::kGlean, 2, {});
    SetNextHop(tables, 5, K::kForward, 0, {1});
    SetNextHop(tables, 6, K::kForward, 0, {2, 3});
    SetNextHop(tables, 7, K::kDiscard, 0, {});
    SetNextHop(tables, 8, K::kReject, 0, {});
    SetNextHop(tables, 9, K::kForward, 0, {4});
    SetNextHop(tables, 10, K::kForward, 0, {5});
    SetNextHop(tables, 11, K::kForward, 0, {6});
    SetNextHop(tables, 12, K::kForward, 0, {7, 8});
    SetNextHop(tables, 13, K::kForward, 0, {9});

    auto& f4 = tables.fib4;
    f4.Set(A4(192, 0, 2, 1), 32, 1);
    f4.Set(A4(198, 51, 100, 1), 32, 1);
    f4.Set(A4(203, 0, 113, 1), 32, 1);
    f4.Set(A4(203, 0, 113, 17), 32, 1);
    f4.Set(A4(192, 0, 2, 0), 24, 2);
    f4.Set(A4(198, 51, 100, 0), 24, 3);
    f4.Set(A4(203, 0, 113, 0), 28, 4);
    f4.Set(A4(203, 0, 113, 16), 28, 4);
    f4.Set(A4(192, 0, 2, 2), 32, 5);
    f4.Set(A4(203, 0, 113, 64), 26, 6);
    f4.Set(A4(203, 0, 113, 128), 26, 7);
    f4.Set(A4(203, 0, 113, 192), 27, 8);
    f4.Set(A4(203, 0, 113, 224), 27, 9);
    f4.Set(A4(203, 0, 113, 32), 28, 10);
    f4.Commit();
    auto& f6 = tables.fib6;
    for (uint32_t i = 0; i < kInterfaces; ++i) {
      f6.Set(A6(i + 1, 1), 128, 1);
      f6.Set(A6(i + 1, 0), 64, 2 + i);
    }
    f6.Set(A6(1, 2), 128, 11);
    f6.Set(A6(0x10, 0), 48, 12);
    f6.Set(A6(0x11, 0), 48, 7);
    f6.Set(A6(0x12, 0), 48, 8);
    f6.Set(A6(0x13, 0), 48, 13);
    f6.Commit();

    for (uint32_t p = 0; p < kPorts; ++p) {
      io::MemoryPort::Options o;
      o.mtu = 9216;
      o.keep = 1u << 16;
      ports[p] = std::make_unique<io::MemoryPort>("fz" + std::to_string(p), 2, o);
      ports[p]->set_index(p);
    }
  }

  bool IsOurs4(const uint8_t* a) const {
    uint32_t v = dp::nodes::Load32(a);
    for (const dp::Interface& itf : interfaces) {
      for (uint32_t k = 0; k < itf.ip4_address_count; ++k) {
        if (itf.ip4_addresses[k].address == v) return true;
      }
    }
    return false;
  }
  bool IsOurs6(const uint8_t* a) const {
    fib::Ip6 v = dp::nodes::LoadIp6(a);
    for (const dp::Interface& itf : interfaces) {
      if (itf.ip6_address.hi == v.hi && itf.ip6_address.lo == v.lo) return true;
    }
    return false;
  }

  dp::Tables tables;
  dp::Interface interfaces[kInterfaces];  // copies, for the checks
  std::unique_ptr<io::MemoryPort> ports[kPorts];
  dp::PuntRing punt{kPuntSlots};
};

Plane& GetPlane() {
  static Plane* plane = new Plane;
  return *plane;
}

struct Input {
  uint32_t port;
  const uint8_t* data;
  uint32_t length;
};

// The L3 header of a frame and its ether type; false for anything but IPv4/IPv6.
bool L3Of(const uint8_t* f, uint32_t n, uint16_t* type, uint32_t* l2) {
  if (n < 14) return false;
  *type = dp::nodes::Load16(f + 12);
  *l2 = 14;
  if (*type == packet::kEtherTypeVlan) {
    if (n < 18) return false;
    *type = dp::nodes::Load16(f + 16);
    *l2 = 18;
  }
  return *type == packet::kEtherTypeIp4 || *type == packet::kEtherTypeIp6;
}

// A frame whose IP source is one of the router's addresses: a transit ICMP error forged that
// way is indistinguishable from one the router made, so such runs skip the ICMP check.
bool ClaimsOurSource(const Plane& plane, const Input& in) {
  uint16_t type;
  uint32_t l2;
  if (!L3Of(in.data, in.length, &type, &l2)) return false;
  const uint8_t* ip = in.data + l2;
  const uint32_t n = in.length - l2;
  if (type == packet::kEtherTypeIp4) return n >= 20 && plane.IsOurs4(ip + 12);
  return n >= 40 && plane.IsOurs6(ip + 8);
}

bool IsIcmp4ErrorType(uint8_t t) { return t == 3 || t == 4 || t == 5 || t == 11 || t == 12; }

// An ICMPv4 error this router originated about an ICMPv4 error.
bool ErrorAboutError4(const Plane& plane, const uint8_t* ip, uint32_t n) {
  const uint32_t ihl = (ip[0] & 0xfu) * 4;
  if (ip[9] != packet::kProtoIcmp || (dp::nodes::Load16(ip + 6) & packet::kIp4OffsetMask) != 0 ||
      n < ihl + 8 || !IsIcmp4ErrorType(ip[ihl]) || !plane.IsOurs4(ip + 12)) {
    return false;
  }
  const uint8_t* in = ip + ihl + 8;
  const uint32_t m = n - ihl - 8;
  if (m < 20 || (in[0] >> 4) != 4) return false;
  const uint32_t in_ihl = (in[0] & 0xfu) * 4;
  return in[9] == packet::kProtoIcmp &&
         (dp::nodes::Load16(in + 6) & packet::kIp4OffsetMask) == 0 && in_ihl >= 20 &&
         m > in_ihl && IsIcmp4ErrorType(in[in_ihl]);
}

bool ErrorAboutError6(const Plane& plane, const uint8_t* ip, uint32_t n) {
  if (n < 48 || ip[6] != packet::kProtoIcmp6 || ip[40] >= 128 || !plane.IsOurs6(ip + 8)) {
    return false;
  }
  const uint8_t* in = ip + 48;
  const uint32_t m = n - 48;
  if (m < 40 || (in[0] >> 4) != 6) return false;
  dp::nodes::Ip6Chain chain;
  if (dp::nodes::WalkIp6Chain(in, m, &chain) != dp::nodes::Ip6ChainResult::kOk) return false;
  return chain.upper == packet::kProtoIcmp6 && !chain.later_fragment && chain.l4 < m &&
         in[chain.l4] < 128;
}

void CheckTransmitted(const Plane& plane, uint32_t port, const std::vector<uint8_t>& f,
                      bool check_icmp) {
  uint16_t type;
  uint32_t l2;
  if (!L3Of(f.data(), static_cast<uint32_t>(f.size()), &type, &l2)) {
    Fail("transmitted a frame that is not IPv4/IPv6");
  }
  const uint16_t vlan = l2 == 18 ? dp::nodes::Load16(f.data() + 14) & 0x0fff : 0;
  const dp::Interface* out = nullptr;
  for (const dp::Interface& itf : plane.interfaces) {
    if (itf.port == port && itf.vlan == vlan) out = &itf;
  }
  if (out == nullptr) Fail("transmitted with a VLAN tag the port has no unit for");
  if (!dp::nodes::MacEquals(f.data() + 6, out->mac)) Fail("transmitted with a foreign source MAC");
  const uint8_t* ip = f.data() + l2;
  const uint32_t n = static_cast<uint32_t>(f.size()) - l2;
  if (n > out->mtu) Fail("transmitted a packet over the unit's MTU");
  if (type == packet::kEtherTypeIp4) {
    if (n < 20 || (ip[0] >> 4) != 4 || (ip[0] & 0xf) < 5 || (ip[0] & 0xfu) * 4 > n) {
      Fail("transmitted a malformed IPv4 header");
    }
    if (dp::nodes::Ip4HeaderSum(ip, (ip[0] & 0xfu) * 4) != 0xffff) {
      Fail("transmitted an IPv4 header with a bad checksum");
    }
    if (dp::nodes::Load16(ip + 2) != n) Fail("transmitted IPv4 total length != packet length");
    if (ip[8] == 0) Fail("transmitted an IPv4 packet with TTL 0");
    if (check_icmp && ErrorAboutError4(plane, ip, n)) Fail("ICMP error about an ICMP error");
  } else {
    if (n < 40 || (ip[0] >> 4) != 6) Fail("transmitted a malformed IPv6 header");
    if (40u + dp::nodes::Load16(ip + 4) != n) Fail("transmitted IPv6 payload length is wrong");
    if (ip[7] == 0) Fail("transmitted an IPv6 packet with hop limit 0");
    if (check_icmp && ErrorAboutError6(plane, ip, n)) Fail("ICMPv6 error about an ICMPv6 error");
  }
}

void CheckPunt(const dp::PuntSlot& s) {
  if (s.length > packet::kMaxFrameBytes) Fail("punt slot longer than a frame");
  if (s.interface >= kInterfaces) Fail("punt for an interface that does not exist");
  switch (s.reason) {
    case dp::PuntReason::kArp:
      if (s.length < 14 + sizeof(packet::ArpHeader) ||
          dp::nodes::Load16(s.data + 12) != packet::kEtherTypeArp) {
        Fail("punted as ARP what is not an ARP frame");
      }
      break;
    case dp::PuntReason::kNd:
      // ip6-input punts on the ICMPv6 type byte alone; control (ParseNd) checks the rest.
      if (s.length < 14 + 40 + 1 || dp::nodes::Load16(s.data + 12) != packet::kEtherTypeIp6 ||
          !s.v6) {
        Fail("punted as ND what is not an IPv6 frame");
      }
      break;
    case dp::PuntReason::kHost:
      if (s.length < 14) Fail("punted to the host less than an Ethernet header");
      break;
    case dp::PuntReason::kResolve:
      if (s.length < (s.v6 ? 40u : 20u)) Fail("punted for resolution less than an IP header");
      break;
    default:
      Fail("punt with an unknown reason");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  Plane& plane = GetPlane();
  const uint8_t flags = data[0];
  std::vector<Input> frames;
  for (size_t at = 1; at + 3 <= size && frames.size() < kMaxFrames;) {
    Input in;
    in.port = data[at] & 3;
    uint32_t want = static_cast<uint32_t>(data[at + 1]) << 8 | data[at + 2];
    at += 3;
    in.data = data + at;
    in.length = static_cast<uint32_t>(std::min<size_t>(want, size - at));
    in.length = std::min(in.length, packet::kMaxFrameBytes);
    at += in.length;
    frames.push_back(in);
  }
  if (frames.empty()) return 0;
  std::vector<std::vector<uint8_t>> fixed;
  if (flags & kFlagFixChecksums) {
    fixed.reserve(frames.size());
    for (Input& in : frames) {
      fixed.emplace_back(in.data, in.data + in.length);
      std::vector<uint8_t>& f = fixed.back();
      uint16_t type;
      uint32_t l2;
      if (L3Of(f.data(), in.length, &type, &l2) && type == packet::kEtherTypeIp4 &&
          in.length >= l2 + 20) {
        uint8_t* ip = f.data() + l2;
        const uint32_t ihl = (ip[0] & 0xfu) * 4;
        if (ihl >= 20 && l2 + ihl <= in.length) {
          ip[10] = ip[11] = 0;
          dp::nodes::Ip4SetChecksum(ip, ihl);
        }
      }
      if (!f.empty()) in.data = f.data();
    }
  }

  bool check_icmp = true;
  for (const Input& in : frames) check_icmp = check_icmp && !ClaimsOurSource(plane, in);

  // Adjacency 2 is one of the two ECMP paths of 203.0.113.64/26.
  fib::Adjacency& path = plane.tables.adjacencies.mutable_entry(2);
  const uint64_t resolved = path.mac.load();
  if (flags & kFlagUnresolvedPath) path.mac.store(0);

  uint64_t tx_before[kPorts];
  for (uint32_t p = 0; p < kPorts; ++p) tx_before[p] = plane.ports[p]->transmitted(0);
  uint32_t received = 0;
  {
    std::vector<io::Port*> ports;
    for (auto& p : plane.ports) ports.push_back(p.get());
    dp::Worker w(0, plane.tables, ports, plane.punt, -1, kPoolBuffers);
    if (flags & kFlagPoll) {
      // The ports' receive path, with the packet trace on (it records every node visited).
      w.trace().Arm(8);
      for (const Input& in : frames) {
        if (in.port < kPorts) plane.ports[in.port]->Enqueue(0, in.data, in.length);
      }
      while (uint32_t n = w.Poll()) received += n;
    } else {
      std::vector<packet::Buffer*> v;
      for (const Input& in : frames) {
        packet::Buffer* b = w.pool().Alloc();
        b->Assign(in.data, in.length);
        b->rx_port = in.port;  // 3: no such port
        v.push_back(b);
      }
      received = static_cast<uint32_t>(v.size());
      w.Inject(v.data(), received);
    }

    uint64_t punted = 0;
    while (const dp::PuntSlot* s = plane.punt.Peek()) {
      CheckPunt(*s);
      ++punted;
      plane.punt.Release();
    }
    uint64_t transmitted = 0;
    for (uint32_t p = 0; p < kPorts; ++p) {
      std::vector<std::vector<uint8_t>> sent = plane.ports[p]->TakeTransmitted();
      if (sent.size() != plane.ports[p]->transmitted(0) - tx_before[p]) {
        Fail("port transmitted count and kept frames differ");
      }
      for (const auto& f : sent) CheckTransmitted(plane, p, f, check_icmp);
      transmitted += sent.size();
    }

    if (w.pool().available() != w.pool().capacity()) Fail("buffers leaked (pool not full)");
    const dp::Counters& c = w.counters();
    auto ev = [&](Event e) { return c.events[static_cast<uint32_t>(e)].load(); };
    auto drop = [&](DropReason r) { return c.drops[static_cast<uint32_t>(r)].load(); };
    auto stat = [&](NodeId id) { return w.node_stats(id).packets.load(); };
    if (ev(Event::kRxPackets) != received) Fail("rx-packets != frames received");
    if (ev(Event::kTxPackets) != transmitted) Fail("tx-packets != frames the ports got");
    if (ev(Event::kPunted) != punted) Fail("punted != slots in the punt ring");
    uint64_t drops = 0;
    for (uint32_t r = 0; r < dp::kDropReasonCount; ++r) drops += c.drops[r].load();
    // A packet sent to icmp*-error had its reason counted already (CountDrop); there it is
    // either turned into the error or dropped (counted again).
    const uint64_t to_icmp = stat(NodeId::kIcmp4Error) + stat(NodeId::kIcmp6Error);
    if (drops < to_icmp) Fail("fewer drops than packets turned into ICMP errors");
    const uint64_t ends = drops - to_icmp + punted + transmitted;
    // Each packet ip4-fragment replaced (not dropped there) ends as its fragments.
    const uint64_t fragmented = stat(NodeId::kIp4Fragment) - drop(DropReason::kIp4FragmentFailed) -
                                drop(DropReason::kBufferExhausted);
    if (ends + fragmented != received + ev(Event::kIp4Fragments)) {
      std::fprintf(stderr,
                   "graph_fuzz: rx %u + fragments %lu != drops %lu - to icmp %lu + punted %lu + "
                   "tx %lu + fragmented %lu\n",
                   received, static_cast<unsigned long>(ev(Event::kIp4Fragments)),
                   static_cast<unsigned long>(drops), static_cast<unsigned long>(to_icmp),
                   static_cast<unsigned long>(punted), static_cast<unsigned long>(transmitted),
                   static_cast<unsigned long>(fragmented));
      Fail("counters do not add up");
    }
  }
  path.mac.store(resolved);
  return 0;
}
