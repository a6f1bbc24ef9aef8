#include <gtest/gtest.h>

#include "dp/nodes/nodes_test_util.h"

namespace sabina::dp::testing {
namespace {

Bytes Arp(uint16_t op, uint32_t sender, uint32_t target) {
  Bytes b(28, 0);
  Put16(b, 0, 1);
  Put16(b, 2, 0x0800);
  b[4] = 6;
  b[5] = 4;
  Put16(b, 6, op);
  std::copy(kHostMac.bytes.begin(), kHostMac.bytes.end(), b.begin() + 8);
  Put32(b, 14, sender);
  Put32(b, 24, target);
  return b;
}

TEST(L2Nodes, ArpRequestsForUsAndRepliesArePunted) {
  Router r;
  const packet::MacAddr bcast = Mac(0xffffffffffff);
  Bytes request = Frame(Ether(bcast, kHostMac, 0x0806), Arp(1, A4(192, 0, 2, 2), A4(192, 0, 2, 1)));
  request.resize(60, 0);  // Ethernet padding
  Bytes other = Frame(Ether(bcast, kHostMac, 0x0806), Arp(1, A4(192, 0, 2, 2), A4(192, 0, 2, 9)));
  Bytes gratuitous =
      Frame(Ether(bcast, kHostMac, 0x0806), Arp(1, A4(192, 0, 2, 2), A4(192, 0, 2, 2)));
  Bytes reply = Frame(Ether(kMac0, kHostMac, 0x0806), Arp(2, A4(192, 0, 2, 2), A4(192, 0, 2, 1)));
  Bytes bad_op = Frame(Ether(kMac0, kHostMac, 0x0806), Arp(7, A4(192, 0, 2, 2), A4(192, 0, 2, 1)));
  Bytes truncated(request.begin(), request.begin() + 14 + 20);
  r.Receive(0, {request, other, gratuitous, reply, bad_op, truncated});
  EXPECT_EQ(r.drops(DropReason::kArpNotForUs), 1u);
  EXPECT_EQ(r.drops(DropReason::kArpMalformed), 2u);
  auto slots = r.Punted();
  ASSERT_EQ(slots.size(), 3u);
  for (const PuntSlot& s : slots) {
    EXPECT_EQ(s.reason, PuntReason::kArp);
    EXPECT_EQ(s.interface, 0u);
    EXPECT_FALSE(s.v6);
  }
  EXPECT_EQ(slots[0].length, 60u);  // the whole received frame, padding included
  EXPECT_TRUE(std::equal(request.begin(), request.end(), slots[0].data));
  EXPECT_EQ(r.events(Event::kPunted), 3u);
}

TEST(L2Nodes, TaggedFramesArePuntedUntagged) {
  Router r;
  Bytes arp = Arp(1, A4(203, 0, 113, 226), A4(203, 0, 113, 225));
  Bytes tagged = Frame(Ether(Mac(0xffffffffffff), Mac(kNeighborVlan), 0x0806, 10), arp);
  r.Receive(1, tagged);
  auto slots = r.Punted();
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(slots[0].interface, 2u);
  EXPECT_EQ(slots[0].vlan, 10);
  Bytes untagged = Frame(Ether(Mac(0xffffffffffff), Mac(kNeighborVlan), 0x0806), arp);
  ASSERT_EQ(slots[0].length, untagged.size());
  EXPECT_TRUE(std::equal(untagged.begin(), untagged.end(), slots[0].data));
}

TEST(L2Nodes, PriorityTaggedFramesBelongToTheUntaggedUnit) {
  Router r;
  r.Receive(0, Frame(Ether(kMac0, kHostMac, 0x0800, 0), Ip4({})));
  // VID 0 with the tag: Ether() leaves vlan 0 untagged, so build the tag by hand.
  Bytes f = Ether(kMac0, kHostMac, 0x8100);
  f.insert(f.end(), {0xe0, 0x00, 0x08, 0x00});
  Bytes ip = Ip4({});
  f.insert(f.end(), ip.begin(), ip.end());
  r.Receive(0, f);
  EXPECT_EQ(r.p1.frames.size(), 2u);
  EXPECT_EQ(r.total_drops(), 0u);
}

TEST(L2Nodes, TruncatedTagAndStackedTagsDropped) {
  Router r;
  Bytes short_tag = Ether(kMac0, kHostMac, 0x8100);
  short_tag.push_back(0);
  Bytes qinq = Ether(kMac0, kHostMac, 0x8100);
  qinq.insert(qinq.end(), {0x00, 0x0a, 0x81, 0x00, 0x00, 0x14, 0x08, 0x00});
  r.Receive(1, {short_tag, qinq});
  EXPECT_EQ(r.drops(DropReason::kEthernetTruncated), 1u);
  EXPECT_EQ(r.drops(DropReason::kEthernetUnknownVlan), 1u);
}

}  // namespace
}  // namespace sabina::dp::testing

namespace sabina::dp::testing {
namespace {

// Untrusted input never reaches an assertion: mutated and truncated frames of every kind go
// through the graph, and every packet is either sent, punted or dropped with a reason.
TEST(L2Nodes, MutatedFramesAreAllAccountedFor) {
  Router r;
  Ip6Spec chain;
  chain.next_header = packet::kProtoHopByHop;
  chain.extensions = {packet::kProtoFragment, 0, 1, 4, 0, 0, 0, 0,
                      packet::kProtoUdp,      0, 0, 0, 0, 0, 0, 0};
  Ip4Spec options;
  options.options = {7, 7, 4, 0, 0, 0, 0, 0};
  options.ttl = 2;
  const std::vector<Bytes> seeds = {FromHost4(Ip4({})),
                                    FromHost4(Ip4(options)),
                                    FromHost6(Ip6({})),
                                    FromHost6(Ip6(chain)),
                                    Frame(Ether(Mac(0xffffffffffff), kHostMac, 0x0806),
                                          Arp(1, A4(192, 0, 2, 2), A4(192, 0, 2, 1))),
                                    Frame(Ether(kMac1, kHostMac, 0x0800, 10), Ip4({}))};
  uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(state >> 33);
  };
  uint64_t sent = 0;
  for (int round = 0; round < 200; ++round) {
    std::vector<Bytes> batch;
    for (int k = 0; k < 64; ++k) {
      Bytes f = seeds[next() % seeds.size()];
      for (uint32_t m = next() % 4; m > 0; --m) f[next() % f.size()] = static_cast<uint8_t>(next());
      if (next() % 4 == 0) f.resize(next() % f.size());
      batch.push_back(f);
    }
    r.Receive(next() % 2, batch);
    sent += batch.size();
    r.Punted();
  }
  uint64_t out = r.p0.frames.size() + r.p1.frames.size() + r.p2.frames.size() +
                 r.events(Event::kPunted) + r.total_drops();
  // ICMP errors are new packets whose originals were counted as drops too.
  uint64_t errors = r.events(Event::kIcmp4ErrorsSent) + r.events(Event::kIcmp6ErrorsSent);
  EXPECT_GE(out, sent);
  EXPECT_LE(out, sent + 2 * errors + r.drops(DropReason::kIcmpErrorSuppressed) +
                     r.drops(DropReason::kIcmpRateLimited));
  EXPECT_EQ(r.worker->pool().available(), r.worker->pool().capacity());
}

}  // namespace
}  // namespace sabina::dp::testing
