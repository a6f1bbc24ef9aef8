#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "dp/nodes/nodes_test_util.h"

namespace sabina::dp::testing {
namespace {

constexpr size_t kEth = 14;

Ip4Spec Ttl1() {
  Ip4Spec s;
  s.ttl = 1;
  return s;
}

TEST(Ip4Nodes, ForwardsRewritesAndDecrementsTtl) {
  Router r;
  Bytes ip = Ip4({});
  r.Receive(0, FromHost4(ip));
  ASSERT_EQ(r.p1.frames.size(), 1u);
  const Bytes& f = r.p1.frames[0];
  ASSERT_EQ(f.size(), kEth + ip.size());
  EXPECT_EQ(packet::MacAddr::FromU64(kNeighbor1),
            Mac(nodes::Load32(f.data()) * 0x10000ull + nodes::Load16(f.data() + 4)));
  EXPECT_TRUE(std::equal(kMac1.bytes.begin(), kMac1.bytes.end(), f.begin() + 6));
  EXPECT_EQ(nodes::Load16(f.data() + 12), 0x0800);
  EXPECT_EQ(f[kEth + 8], 63);
  EXPECT_TRUE(Ip4ChecksumOk(f.data() + kEth));
  // Everything but TTL and checksum is unchanged.
  Bytes expect = ip;
  expect[8] = 63;
  Bytes got(f.begin() + kEth, f.end());
  got[10] = got[11] = expect[10] = expect[11] = 0;
  EXPECT_EQ(got, expect);
  EXPECT_EQ(r.total_drops(), 0u);
  EXPECT_EQ(r.events(Event::kIp4Forwarded), 1u);
  // In on unit 0, out on unit 1 (show interfaces' logical counters).
  const UnitCounters& in = r.worker->unit_counters(0);
  const UnitCounters& out = r.worker->unit_counters(1);
  EXPECT_EQ(in.rx_packets.load(), 1u);
  EXPECT_EQ(in.rx_bytes.load(), kEth + ip.size());
  EXPECT_EQ(in.tx_packets.load(), 0u);
  EXPECT_EQ(out.tx_packets.load(), 1u);
  EXPECT_EQ(out.tx_bytes.load(), f.size());
  EXPECT_EQ(out.rx_packets.load(), 0u);
}

TEST(Ip4Nodes, TrimsEthernetPadding) {
  Router r;
  Ip4Spec s;
  s.payload = 0;  // 28-byte packet, padded to a 60-byte frame
  Bytes frame = FromHost4(Ip4(s));
  frame.resize(60, 0xee);
  r.Receive(0, frame);
  ASSERT_EQ(r.p1.frames.size(), 1u);
  EXPECT_EQ(r.p1.frames[0].size(), kEth + 28);
}

TEST(Ip4Nodes, MalformedPacketsDroppedAndCountedValidOnesPass) {
  Router r;
  Bytes good = FromHost4(Ip4({}));
  std::vector<Bytes> batch;
  std::vector<DropReason> expected;
  auto bad = [&](Bytes frame, DropReason reason) {
    batch.push_back(good);
    batch.push_back(std::move(frame));
    expected.push_back(reason);
  };
  bad(Bytes(good.begin(), good.begin() + 10), DropReason::kEthernetTruncated);
  bad(Bytes(good.begin(), good.begin() + kEth + 12), DropReason::kIp4Truncated);
  {
    Bytes f = good;
    f[kEth] = 0x65;  // version 6 in an IPv4 frame
    bad(f, DropReason::kIp4BadVersion);
  }
  {
    Bytes f = good;
    f[kEth] = 0x44;
    nodes::Ip4SetChecksum(f.data() + kEth, 16);
    bad(f, DropReason::kIp4BadIhl);
  }
  {
    Bytes f = good;
    Put16(f, kEth + 2, 1000);  // longer than the frame
    nodes::Ip4SetChecksum(f.data() + kEth, 20);
    bad(f, DropReason::kIp4BadLength);
  }
  {
    Bytes f = good;
    Put16(f, kEth + 2, 16);  // shorter than the header
    nodes::Ip4SetChecksum(f.data() + kEth, 20);
    bad(f, DropReason::kIp4BadLength);
  }
  {
    Bytes f = good;
    f[kEth + 10] ^= 0x55;
    bad(f, DropReason::kIp4BadChecksum);
  }
  {
    Ip4Spec s;
    s.src = A4(127, 0, 0, 1);
    bad(FromHost4(Ip4(s)), DropReason::kIp4BadAddress);
  }
  {
    Ip4Spec s;
    s.src = A4(224, 0, 0, 5);
    bad(FromHost4(Ip4(s)), DropReason::kIp4BadAddress);
  }
  {
    Ip4Spec s;
    s.options = {131, 7, 4, 192, 0, 2, 9, 0};  // LSRR
    bad(FromHost4(Ip4(s)), DropReason::kIp4Options);
  }
  {
    Ip4Spec s;
    s.options = {7, 9, 4, 0};  // record route whose length runs past the header
    bad(FromHost4(Ip4(s)), DropReason::kIp4Options);
  }
  bad(Frame(Ether(Mac(0x02000000dead), kHostMac, 0x0800), Ip4({})), DropReason::kEthernetNotForUs);
  bad(Frame(Ether(kMac0, kHostMac, 0x0800, 99), Ip4({})), DropReason::kEthernetUnknownVlan);
  bad(Frame(Ether(kMac0, kHostMac, 0x88cc), Ip4({})), DropReason::kEthernetUnknownType);
  {
    Ip4Spec s;
    s.ttl = 1;
    bad(FromHost4(Ip4(s)), DropReason::kIp4TtlExpired);
  }
  {
    Ip4Spec s;
    s.ttl = 0;
    bad(FromHost4(Ip4(s)), DropReason::kIp4TtlExpired);
  }
  {
    Ip4Spec s;
    s.dst = A4(203, 0, 113, 130);
    bad(FromHost4(Ip4(s)), DropReason::kIp4DiscardRoute);
  }
  batch.push_back(good);
  r.Receive(0, batch);

  std::map<DropReason, uint64_t> want;
  for (DropReason d : expected) ++want[d];
  for (uint32_t k = 0; k < kDropReasonCount; ++k) {
    auto d = static_cast<DropReason>(k);
    EXPECT_EQ(r.drops(d), want.count(d) ? want[d] : 0) << DropReasonName(d);
  }
  EXPECT_EQ(r.p1.frames.size(), expected.size() + 1);  // every valid packet passed
  EXPECT_EQ(r.p0.frames.size(), 2u);                   // the two time-exceeded errors
}

TEST(Ip4Nodes, ValidOptionsAreForwarded) {
  Router r;
  Ip4Spec s;
  s.options = {7, 7, 4, 0, 0, 0, 0, 0};  // record route, room for one address
  r.Receive(0, FromHost4(Ip4(s)));
  ASSERT_EQ(r.p1.frames.size(), 1u);
  EXPECT_EQ(r.p1.frames[0][kEth] & 0xf, 7);
  EXPECT_TRUE(Ip4ChecksumOk(r.p1.frames[0].data() + kEth));
}

// Checks an ICMP error as sent out of port 0 to the test sender and returns its ICMP part.
Bytes CheckIcmpError(const Bytes& f, uint8_t type, uint8_t code, const Bytes& quoted_from) {
  EXPECT_GE(f.size(), kEth + 28);
  EXPECT_TRUE(std::equal(kHostMac.bytes.begin(), kHostMac.bytes.end(), f.begin()));
  const uint8_t* ip = f.data() + kEth;
  EXPECT_TRUE(Ip4ChecksumOk(ip));
  EXPECT_EQ(ip[9], packet::kProtoIcmp);
  EXPECT_EQ(ip[8], 64);
  EXPECT_EQ(nodes::Load32(ip + 12), A4(192, 0, 2, 1));
  EXPECT_EQ(nodes::Load32(ip + 16), A4(192, 0, 2, 2));
  EXPECT_EQ(nodes::Load16(ip + 2), f.size() - kEth);
  EXPECT_LE(f.size() - kEth, 576u);
  const uint8_t* icmp = ip + 20;
  uint32_t icmp_len = static_cast<uint32_t>(f.size() - kEth - 20);
  EXPECT_EQ(packet::Checksum(icmp, icmp_len), 0);
  EXPECT_EQ(icmp[0], type);
  EXPECT_EQ(icmp[1], code);
  size_t quote = icmp_len - 8;
  EXPECT_EQ(quote, std::min<size_t>(quoted_from.size(), 576 - 28));
  EXPECT_TRUE(std::equal(icmp + 8, icmp + 8 + quote, quoted_from.begin()));
  return Bytes(icmp, icmp + icmp_len);
}

TEST(Ip4Nodes, TimeExceededQuotesTheOriginal) {
  Router r;
  Ip4Spec s;
  s.ttl = 1;
  s.payload = 1000;
  Bytes ip = Ip4(s);
  r.Receive(0, FromHost4(ip));
  ASSERT_EQ(r.p0.frames.size(), 1u);
  CheckIcmpError(r.p0.frames[0], 11, 0, ip);
  EXPECT_EQ(r.drops(DropReason::kIp4TtlExpired), 1u);
  EXPECT_EQ(r.events(Event::kIcmp4ErrorsSent), 1u);
}

TEST(Ip4Nodes, TraceKeepsThePacketNumberThroughAnIcmpError) {
  Router r;
  r.worker->trace().Arm(2);
  r.p0.inbox = {FromHost4(Ip4({})), FromHost4(Ip4(Ttl1()))};  // numbered 0 and 1
  r.worker->Poll();
  ASSERT_EQ(r.p0.frames.size(), 1u);  // the time exceeded
  std::set<NodeId> second;
  for (const TraceRecord& rec : r.worker->trace().Snapshot()) {
    ASSERT_LE(rec.packet, 1u);
    if (rec.packet == 1) second.insert(rec.node);
  }
  EXPECT_TRUE(second.count(NodeId::kIp4Lookup));
  EXPECT_TRUE(second.count(NodeId::kIcmp4Error));  // the ICMP request in aux is not the number
  EXPECT_TRUE(second.count(NodeId::kInterfaceOutput));
}

TEST(Ip4Nodes, UnreachablesForNoRouteAndReject) {
  Router r;
  Ip4Spec none, reject;
  none.dst = A4(198, 18, 0, 1);
  reject.dst = A4(203, 0, 113, 150);
  Bytes a = Ip4(none), b = Ip4(reject);
  r.Receive(0, {FromHost4(a), FromHost4(b)});
  ASSERT_EQ(r.p0.frames.size(), 2u);
  CheckIcmpError(r.p0.frames[0], 3, 0, a);
  CheckIcmpError(r.p0.frames[1], 3, 1, b);
  EXPECT_EQ(r.drops(DropReason::kIp4NoRoute), 1u);
  EXPECT_EQ(r.drops(DropReason::kIp4RejectRoute), 1u);
}

TEST(Ip4Nodes, FragmentationNeededCarriesTheMtu) {
  Router r;
  Ip4Spec s;
  s.dst = A4(203, 0, 113, 200);
  s.df = true;
  s.payload = 1200;
  Bytes ip = Ip4(s);
  r.Receive(0, FromHost4(ip));
  ASSERT_EQ(r.p0.frames.size(), 1u);
  Bytes icmp = CheckIcmpError(r.p0.frames[0], 3, 4, ip);
  EXPECT_EQ(nodes::Load32(icmp.data() + 4), 1000u);
  EXPECT_EQ(r.drops(DropReason::kIp4FragNeeded), 1u);
  EXPECT_TRUE(r.p2.frames.empty());
}

TEST(Ip4Nodes, ErrorsAreNotSentAboutErrorsOrFragmentsAndAreRateLimited) {
  Router r;
  Ip4Spec icmp_error;
  icmp_error.ttl = 1;
  icmp_error.protocol = packet::kProtoIcmp;
  icmp_error.src_port = 0x0300;  // ICMP type 3: an error
  Bytes later_fragment = Ip4(Ttl1());
  Put16(later_fragment, 6, 100);
  nodes::Ip4SetChecksum(later_fragment.data(), 20);
  r.Receive(0, {FromHost4(Ip4(icmp_error)), FromHost4(later_fragment)});
  EXPECT_EQ(r.drops(DropReason::kIcmpErrorSuppressed), 2u);
  EXPECT_TRUE(r.p0.frames.empty());

  std::vector<Bytes> burst(30, FromHost4(Ip4(Ttl1())));
  r.Receive(0, burst);
  EXPECT_EQ(r.p0.frames.size(), nodes::IcmpRateLimiter::kBurst);
  EXPECT_EQ(r.drops(DropReason::kIcmpRateLimited), 30 - nodes::IcmpRateLimiter::kBurst);
}

TEST(Ip4Nodes, FragmentsReassembleToTheOriginal) {
  Router r;
  Ip4Spec s;
  s.dst = A4(203, 0, 113, 200);
  s.payload = 2500;
  s.options = {0x82, 4, 0xaa, 0xbb,               // copied (security-like) option
               7,    7, 4,    0,    0, 0, 0, 0};  // record route: not copied
  Bytes ip = Ip4(s);
  r.Receive(0, FromHost4(ip));
  const auto& frames = r.p2.frames;
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(r.events(Event::kIp4Fragments), 3u);
  const uint32_t ihl = 32;
  Bytes payload(ip.size() - ihl, 0);
  std::set<uint32_t> seen;
  uint32_t covered = 0;
  for (size_t k = 0; k < frames.size(); ++k) {
    const Bytes& f = frames[k];
    EXPECT_EQ(nodes::Load16(f.data() + 12), 0x0800);
    const uint8_t* fip = f.data() + kEth;
    ASSERT_TRUE(Ip4ChecksumOk(fip));
    uint32_t hl = (fip[0] & 0xf) * 4u;
    EXPECT_EQ(hl, k == 0 ? ihl : 24u);  // later: 20 + the 4-byte copied option
    if (k != 0) {
      EXPECT_EQ(fip[20], 0x82);
    }
    uint32_t total = nodes::Load16(fip + 2);
    EXPECT_LE(total, 1000u);
    EXPECT_EQ(total, f.size() - kEth);
    EXPECT_EQ(fip[8], 63);
    uint16_t frag = nodes::Load16(fip + 6);
    uint32_t off = (frag & 0x1fff) * 8u;
    bool mf = frag & 0x2000;
    EXPECT_EQ(mf, k + 1 != frames.size());
    uint32_t len = total - hl;
    if (mf) {
      EXPECT_EQ(len % 8, 0u);
    }
    ASSERT_LE(off + len, payload.size());
    std::copy(fip + hl, fip + hl + len, payload.begin() + off);
    covered += len;
    seen.insert(off);
  }
  EXPECT_EQ(covered, payload.size());
  EXPECT_EQ(payload, Bytes(ip.begin() + ihl, ip.end()));
}

TEST(Ip4Nodes, FragmentationWithoutBuffersDropsWhole) {
  Router r;
  Ip4Spec s;
  s.dst = A4(203, 0, 113, 200);
  s.payload = 2500;
  std::vector<packet::Buffer*> hold;
  packet::Buffer* b = r.worker->pool().Alloc();
  Bytes frame = FromHost4(Ip4(s));
  b->Assign(frame.data(), static_cast<uint32_t>(frame.size()));
  b->rx_port = 0;
  while (r.worker->pool().available() > 1) hold.push_back(r.worker->pool().Alloc());
  r.worker->Inject(&b, 1);
  EXPECT_EQ(r.drops(DropReason::kBufferExhausted), 1u);
  EXPECT_EQ(r.worker->pool().available(), 2u);  // the packet and the one spare are back
  for (auto* h : hold) r.worker->pool().Free(h);
}

// `n` UDP flows (source ports 1024..) to 203.0.113.70, which the Router routes over the
// 16-path next hop 6 (adjacencies 10..25, MACs 02:00:00:00:10:00 + k).
std::vector<Bytes> EcmpFlows(uint32_t n) {
  std::vector<Bytes> batch;
  for (uint32_t k = 0; k < n; ++k) {
    Ip4Spec s;
    s.dst = A4(203, 0, 113, 70);
    s.src_port = static_cast<uint16_t>(1024 + k);
    batch.push_back(FromHost4(Ip4(s)));
  }
  return batch;
}

// Sends `batch` in vectors of 200 and returns the destination MAC each flow (source port) left
// with; fails if a packet was missing or a flow used two paths.
std::map<uint16_t, uint64_t> PathOfEachFlow(Router& r, const std::vector<Bytes>& batch) {
  r.p1.frames.clear();
  for (size_t at = 0; at < batch.size(); at += 200) {
    r.Receive(0, std::vector<Bytes>(batch.begin() + at,
                                    batch.begin() + std::min(at + 200, batch.size())));
  }
  EXPECT_EQ(r.p1.frames.size(), batch.size());
  std::map<uint16_t, uint64_t> path_of_flow;
  for (const Bytes& f : r.p1.frames) {
    uint64_t mac = uint64_t{nodes::Load32(f.data())} << 16 | nodes::Load16(f.data() + 4);
    auto [it, added] = path_of_flow.emplace(nodes::Load16(f.data() + kEth + 20), mac);
    EXPECT_EQ(it->second, mac);
  }
  return path_of_flow;
}

// Every one of the 16 paths carries between half and twice its share of the 1600 flows.
void ExpectSpreadOverSixteenPaths(const std::map<uint16_t, uint64_t>& path_of_flow) {
  std::map<uint64_t, uint32_t> per_path;
  for (auto& [flow, mac] : path_of_flow) ++per_path[mac];
  EXPECT_EQ(per_path.size(), 16u);
  for (auto& [mac, count] : per_path) {
    EXPECT_GT(count, 100u / 2) << std::hex << mac;
    EXPECT_LT(count, 100u * 2) << std::hex << mac;
  }
}

TEST(Ip4Nodes, EcmpSpreadsFlowsAndKeepsEachOnOnePath) {
  Router r;
  std::vector<Bytes> batch = EcmpFlows(1600);
  std::map<uint16_t, uint64_t> path_of_flow = PathOfEachFlow(r, batch);
  ASSERT_EQ(path_of_flow.size(), batch.size());
  ExpectSpreadOverSixteenPaths(path_of_flow);
  // The same flows again take the same paths.
  std::map<uint16_t, uint64_t> first(path_of_flow.begin(), std::next(path_of_flow.begin(), 200));
  EXPECT_EQ(PathOfEachFlow(r, std::vector<Bytes>(batch.begin(), batch.begin() + 200)), first);
}

TEST(Ip4Nodes, ConsistentHashMovesOnlyTheFlowsOfAPathThatLeaves) {
  Router r;
  fib::NextHop& hop = r.tables.next_hops.mutable_entry(6);
  std::vector<uint32_t> all(hop.paths, hop.paths + hop.path_count), without5 = all;
  without5.erase(without5.begin() + 5);
  constexpr uint64_t kMac5 = 0x020000001000 + 5;  // adjacency 15's
  std::vector<Bytes> batch = EcmpFlows(1600);

  // Plain flow hashing: dropping one of 16 paths moves far more than its sixteenth (about 30%).
  std::map<uint16_t, uint64_t> before = PathOfEachFlow(r, batch);
  SetNextHop(r.tables, 6, fib::NextHopKind::kForward, 0, without5);
  std::map<uint16_t, uint64_t> after = PathOfEachFlow(r, batch);
  size_t moved = 0;
  for (auto& [flow, mac] : before) moved += after[flow] != mac;
  EXPECT_GT(moved, batch.size() / 5);

  // Consistent hashing: as evenly spread, and only the flows of the missing path move.
  hop.consistent_hash = true;
  SetNextHop(r.tables, 6, fib::NextHopKind::kForward, 0, all);
  before = PathOfEachFlow(r, batch);
  ExpectSpreadOverSixteenPaths(before);
  SetNextHop(r.tables, 6, fib::NextHopKind::kForward, 0, without5);
  after = PathOfEachFlow(r, batch);
  for (auto& [flow, mac] : before) {
    if (mac == kMac5) {
      EXPECT_NE(after[flow], kMac5) << flow;
    } else {
      EXPECT_EQ(after[flow], mac) << flow;
    }
  }
  // The path comes back (in another position): exactly its flows return to it.
  std::vector<uint32_t> reordered = without5;
  reordered.insert(reordered.begin(), all[5]);
  SetNextHop(r.tables, 6, fib::NextHopKind::kForward, 0, reordered);
  EXPECT_EQ(PathOfEachFlow(r, batch), before);
}

TEST(Ip4Nodes, VlanInAndOut) {
  Router r;
  Ip4Spec s;
  s.src = A4(203, 0, 113, 226);
  s.dst = A4(203, 0, 113, 170);  // routed back out of the same VLAN unit
  r.Receive(1, Frame(Ether(kMac1, Mac(kNeighborVlan), 0x0800, 10), Ip4(s)));
  ASSERT_EQ(r.p1.frames.size(), 1u);
  const Bytes& f = r.p1.frames[0];
  EXPECT_EQ(nodes::Load16(f.data() + 12), packet::kEtherTypeVlan);
  EXPECT_EQ(nodes::Load16(f.data() + 14) & 0xfff, 10);
  EXPECT_EQ(nodes::Load16(f.data() + 16), 0x0800);
  EXPECT_TRUE(Ip4ChecksumOk(f.data() + 18));
}

TEST(Ip4Nodes, InterfaceDownDrops) {
  Router r;
  auto ifs = std::make_unique<IfTable>(*r.tables.interfaces());
  ifs->interfaces[0].up = false;
  r.tables.PublishInterfaces(std::move(ifs));
  r.worker->Poll();  // takes the new snapshot
  r.Receive(0, FromHost4(Ip4({})));
  EXPECT_EQ(r.drops(DropReason::kInterfaceDown), 1u);
}

TEST(Ip4Nodes, LocalBroadcastAndResolvePunts) {
  Router r;
  Ip4Spec ping, bcast, glean, unresolved;
  ping.dst = A4(192, 0, 2, 1);
  bcast.dst = A4(255, 255, 255, 255);
  glean.dst = A4(192, 0, 2, 77);
  unresolved.dst = A4(203, 0, 113, 180);
  r.Receive(0, {FromHost4(Ip4(ping)), FromHost4(Ip4(bcast)), FromHost4(Ip4(glean)),
                FromHost4(Ip4(unresolved))});
  auto slots = r.Punted();
  ASSERT_EQ(slots.size(), 4u);
  std::stable_sort(slots.begin(), slots.end(),
                   [](auto& a, auto& b) { return a.reason < b.reason; });
  for (int k = 0; k < 2; ++k) {
    EXPECT_EQ(slots[k].reason, PuntReason::kHost);
    EXPECT_EQ(slots[k].interface, 0u);
    EXPECT_EQ(slots[k].length, kEth + 46);
    // ip4-input punts the broadcast before ip4-local sees the ping.
    Bytes want = FromHost4(Ip4(k == 0 ? bcast : ping));
    EXPECT_TRUE(std::equal(want.begin(), want.end(), slots[k].data));
  }
  // Glean and unresolved adjacency: the IP packet, TTL already decremented.
  for (int k = 2; k < 4; ++k) {
    EXPECT_EQ(slots[k].reason, PuntReason::kResolve);
    EXPECT_EQ(slots[k].length, 46u);
    EXPECT_EQ(slots[k].data[8], 63);
    EXPECT_TRUE(Ip4ChecksumOk(slots[k].data));
  }
  const PuntSlot& g = slots[2].interface == 0 ? slots[2] : slots[3];
  const PuntSlot& u = slots[2].interface == 0 ? slots[3] : slots[2];
  EXPECT_EQ(nodes::Load32(g.address), A4(192, 0, 2, 77));
  EXPECT_EQ(u.interface, 1u);
  EXPECT_EQ(nodes::Load32(u.address), A4(198, 51, 100, 3));
}

}  // namespace
}  // namespace sabina::dp::testing
