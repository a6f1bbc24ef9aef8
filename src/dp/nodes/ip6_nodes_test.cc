#include <gtest/gtest.h>

#include <map>

#include "dp/nodes/ip6/ip6_util.h"
#include "dp/nodes/nodes_test_util.h"

namespace sabina::dp::testing {
namespace {

constexpr size_t kEth = 14;

// Extension headers: each `len8` 8-byte units long, linked in order, the last to UDP.
Bytes Chain(const std::vector<uint8_t>& types) {
  Bytes out;
  for (size_t k = 0; k < types.size(); ++k) {
    uint8_t next = k + 1 < types.size() ? types[k + 1] : packet::kProtoUdp;
    Bytes h(8, 0);
    h[0] = next;
    if (types[k] == packet::kProtoHopByHop || types[k] == packet::kProtoDestOpts) {
      h[2] = 1;  // PadN over the remaining 6 bytes
      h[3] = 4;
    }
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

Ip6Spec WithChain(const std::vector<uint8_t>& types) {
  Ip6Spec s;
  s.next_header = types.empty() ? packet::kProtoUdp : types[0];
  s.extensions = Chain(types);
  return s;
}

TEST(Ip6Nodes, ForwardsAndDecrementsHopLimit) {
  Router r;
  Bytes ip = Ip6({});
  r.Receive(0, FromHost6(ip));
  ASSERT_EQ(r.p1.frames.size(), 1u);
  const Bytes& f = r.p1.frames[0];
  ASSERT_EQ(f.size(), kEth + ip.size());
  EXPECT_EQ(nodes::Load16(f.data() + 12), 0x86dd);
  EXPECT_EQ(uint64_t{nodes::Load32(f.data())} << 16 | nodes::Load16(f.data() + 4), kNeighbor1);
  EXPECT_EQ(f[kEth + 7], 63);
  Bytes expect = ip;
  expect[7] = 63;
  EXPECT_EQ(Bytes(f.begin() + kEth, f.end()), expect);
  EXPECT_EQ(r.events(Event::kIp6Forwarded), 1u);
}

TEST(Ip6Nodes, ExtensionChainsValidForwardedBadDropped) {
  Router r;
  Bytes good = FromHost6(Ip6({}));
  std::vector<Bytes> batch;
  std::map<DropReason, uint64_t> want;
  auto bad = [&](Bytes frame, DropReason reason) {
    batch.push_back(good);
    batch.push_back(std::move(frame));
    ++want[reason];
  };
  // Valid chains: forwarded.
  const std::vector<uint8_t> valid = {packet::kProtoHopByHop, packet::kProtoDestOpts,
                                      packet::kProtoRouting, packet::kProtoFragment,
                                      packet::kProtoDestOpts};
  Bytes routing_ok = FromHost6(Ip6(WithChain(valid)));
  routing_ok[kEth + 40 + 16 + 2] = 4;  // routing type 4 (SRH-like), segments left 0
  batch.push_back(routing_ok);
  // Truncated: the chain claims more bytes than the packet has.
  {
    Ip6Spec s = WithChain({packet::kProtoDestOpts});
    s.extensions[1] = 200;
    bad(FromHost6(Ip6(s)), DropReason::kIp6BadExtensionHeader);
  }
  // Looping: nine destination-options headers.
  bad(FromHost6(Ip6(WithChain(std::vector<uint8_t>(9, packet::kProtoDestOpts)))),
      DropReason::kIp6BadExtensionHeader);
  // Hop-by-hop not first.
  bad(FromHost6(Ip6(WithChain({packet::kProtoDestOpts, packet::kProtoHopByHop}))),
      DropReason::kIp6BadExtensionHeader);
  // Type 0 routing header with segments left.
  {
    Ip6Spec s = WithChain({packet::kProtoRouting});
    s.extensions[3] = 1;
    bad(FromHost6(Ip6(s)), DropReason::kIp6RoutingType0);
  }
  bad(Bytes(good.begin(), good.begin() + kEth + 30), DropReason::kIp6Truncated);
  {
    Bytes f = good;
    f[kEth] = 0x40;
    bad(f, DropReason::kIp6BadVersion);
  }
  {
    Bytes f = good;
    Put16(f, kEth + 4, 500);
    bad(f, DropReason::kIp6BadLength);
  }
  {
    Ip6Spec s;
    s.src = A6(0xff02000000000000ull, 1);
    bad(FromHost6(Ip6(s)), DropReason::kIp6BadAddress);
  }
  {
    Ip6Spec s;
    s.hop_limit = 1;
    bad(FromHost6(Ip6(s)), DropReason::kIp6HopLimitExpired);
  }
  {
    Ip6Spec s;
    s.hop_limit = 0;
    bad(FromHost6(Ip6(s)), DropReason::kIp6HopLimitExpired);
  }
  {
    Ip6Spec s;
    s.dst = A6(0x20010db800040000ull, 1);
    bad(FromHost6(Ip6(s)), DropReason::kIp6DiscardRoute);
  }
  {
    Ip6Spec s;
    s.src = A6(0xfe80000000000000ull, 2);
    bad(FromHost6(Ip6(s)), DropReason::kIp6LinkLocalSource);
  }
  batch.push_back(good);
  r.Receive(0, batch);
  for (uint32_t k = 0; k < kDropReasonCount; ++k) {
    auto d = static_cast<DropReason>(k);
    EXPECT_EQ(r.drops(d), want.count(d) ? want[d] : 0) << DropReasonName(d);
  }
  uint64_t bad_count = 0;
  for (auto& [d, n] : want) bad_count += n;
  EXPECT_EQ(r.p1.frames.size(), bad_count + 2);  // every good one and the valid chain
  EXPECT_EQ(r.p0.frames.size(), 2u);             // the two time-exceeded errors
}

// Checks an ICMPv6 error sent back to the test sender; returns the ICMPv6 message.
Bytes CheckIcmp6Error(const Bytes& f, uint8_t type, uint8_t code, const Bytes& quoted_from) {
  EXPECT_GE(f.size(), kEth + 48);
  const uint8_t* ip = f.data() + kEth;
  auto* hdr = reinterpret_cast<const packet::Ip6Header*>(ip);
  EXPECT_EQ(hdr->next_header, packet::kProtoIcmp6);
  EXPECT_EQ(hdr->hop_limit, 64);
  EXPECT_EQ(nodes::LoadIp6(hdr->src), A6(kDb8_1, 1));
  EXPECT_EQ(nodes::LoadIp6(hdr->dst), A6(kDb8_1, 2));
  uint32_t len = ntohs(hdr->payload_length);
  EXPECT_EQ(len + 40 + kEth, f.size());
  EXPECT_LE(len + 40, 1280u);
  const uint8_t* icmp = ip + 40;
  EXPECT_EQ(packet::Checksum6(*hdr, packet::kProtoIcmp6, icmp, len), 0);
  EXPECT_EQ(icmp[0], type);
  EXPECT_EQ(icmp[1], code);
  size_t quote = len - 8;
  EXPECT_EQ(quote, std::min<size_t>(quoted_from.size(), 1280 - 48));
  EXPECT_TRUE(std::equal(icmp + 8, icmp + 8 + quote, quoted_from.begin()));
  return Bytes(icmp, icmp + len);
}

TEST(Ip6Nodes, IcmpErrors) {
  Router r;
  Ip6Spec expired, none, reject, big;
  expired.hop_limit = 1;
  none.dst = A6(0x20010db8ffff0000ull, 1);
  reject.dst = A6(0x20010db800050000ull, 1);
  big.dst = A6(0x20010db800060000ull, 1);
  big.payload = 1400;
  Bytes a = Ip6(expired), b = Ip6(none), c = Ip6(reject), d = Ip6(big);
  r.Receive(0, {FromHost6(a), FromHost6(b), FromHost6(c), FromHost6(d)});
  ASSERT_EQ(r.p0.frames.size(), 4u);
  // Errors leave in the order their nodes ran: lookup's (a, b, c), then rewrite's (d).
  CheckIcmp6Error(r.p0.frames[0], 3, 0, a);
  CheckIcmp6Error(r.p0.frames[1], 1, 0, b);
  CheckIcmp6Error(r.p0.frames[2], 1, 0, c);
  Bytes too_big = CheckIcmp6Error(r.p0.frames[3], 2, 0, d);
  EXPECT_EQ(nodes::Load32(too_big.data() + 4), 1000u);
  EXPECT_EQ(r.drops(DropReason::kIp6TooBig), 1u);
  EXPECT_EQ(r.drops(DropReason::kIp6NoRoute), 1u);
  EXPECT_EQ(r.drops(DropReason::kIp6RejectRoute), 1u);
  EXPECT_TRUE(r.p2.frames.empty());
}

TEST(Ip6Nodes, NeighborDiscoveryAndLocalPunts) {
  Router r;
  auto icmp6 = [](uint8_t type, uint8_t hop_limit, fib::Ip6 dst) {
    Ip6Spec s;
    s.next_header = packet::kProtoIcmp6;
    s.hop_limit = hop_limit;
    s.dst = dst;
    Bytes b = Ip6(s);
    b[40] = type;
    return FromHost6(b);
  };
  const fib::Ip6 solicited = A6(0xff02000000000000ull, 0x00000001ff000001ull);
  Ip6Spec global_multicast;
  global_multicast.dst = A6(0xff0e000000000000ull, 1);
  r.Receive(0, {icmp6(135, 255, solicited), icmp6(135, 64, solicited),
                icmp6(128, 64, A6(kDb8_1, 1)), FromHost6(Ip6(global_multicast))});
  EXPECT_EQ(r.drops(DropReason::kIp6NdBadHopLimit), 1u);
  EXPECT_EQ(r.drops(DropReason::kIp6MulticastNotRouted), 1u);
  auto slots = r.Punted();
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(slots[0].reason, PuntReason::kNd);
  EXPECT_TRUE(slots[0].v6);
  EXPECT_EQ(slots[1].reason, PuntReason::kHost);
  EXPECT_EQ(slots[1].length, kEth + 58);
  EXPECT_EQ(nodes::Load16(slots[1].data + 12), 0x86dd);
}

TEST(Ip6Nodes, GleanPuntsTheDestination) {
  Router r;
  Ip6Spec s;
  s.src = A6(0x20010db800030000ull, 9);
  s.dst = A6(kDb8_1, 0x77);
  r.Receive(1, Frame(Ether(kMac1, Mac(kNeighbor1), 0x86dd), Ip6(s)));
  auto slots = r.Punted();
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].reason, PuntReason::kResolve);
  EXPECT_EQ(slots[0].interface, 0u);
  EXPECT_EQ(nodes::LoadIp6(slots[0].address), A6(kDb8_1, 0x77));
  EXPECT_EQ(slots[0].data[7], 63);
}

}  // namespace
}  // namespace sabina::dp::testing
