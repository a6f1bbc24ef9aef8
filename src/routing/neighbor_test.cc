#include "routing/neighbor.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace sabina::routing {
namespace {

packet::MacAddr Mac(uint8_t last) {
  packet::MacAddr m;
  m.bytes = {0x02, 0, 0, 0, 0, last};
  return m;
}

Address V4(const char* text) { return *Address::Parse(text); }
Address V6(const char* text) { return *Address::Parse(text); }

// Records what the state machine asks for, as readable lines.
class FakeIo : public Neighbors::Io {
 public:
  void Solicit(uint32_t interface, const Address& target) override {
    log.push_back("solicit " + std::to_string(interface) + " " + target.ToString());
  }
  void Resolved(uint32_t interface, const Address& address, const packet::MacAddr& mac) override {
    log.push_back("resolved " + std::to_string(interface) + " " + address.ToString() + " " +
                  mac.ToString());
  }
  void Removed(uint32_t interface, const Address& address) override {
    log.push_back("removed " + std::to_string(interface) + " " + address.ToString());
  }
  void Send(uint32_t interface, const packet::MacAddr& mac, bool,
            const std::vector<uint8_t>& packet) override {
    log.push_back("send " + std::to_string(interface) + " " + mac.ToString() + " " +
                  std::to_string(packet.size()));
  }
  std::vector<std::string> Take() { return std::exchange(log, {}); }
  std::vector<std::string> log;
};

using Lines = std::vector<std::string>;

class NeighborTest : public ::testing::Test {
 protected:
  NeighborTest() : neighbors_(io_, Timers()) {}
  static Neighbors::Timers Timers() {
    Neighbors::Timers t;
    t.arp_aging_ms = 60000;
    return t;
  }
  void Packet(int64_t now, const Address& a, uint32_t size = 100) {
    std::vector<uint8_t> p(size, 0x45);
    neighbors_.Resolve(now, 1, a, p.data(), size);
  }
  FakeIo io_;
  Neighbors neighbors_;
};

TEST_F(NeighborTest, ResolveQueuesPacketsAndSendsThemOnReply) {
  Address a = V4("192.0.2.10");
  for (uint32_t i = 0; i <= Neighbors::kMaxQueued; ++i) Packet(10 * i, a, 60 + i);
  // One request; the packet beyond kMaxQueued is dropped.
  EXPECT_EQ(io_.Take(), Lines{"solicit 1 192.0.2.10"});
  EXPECT_EQ(neighbors_.counters().queue_full_drops, 1u);
  ASSERT_NE(neighbors_.Find(1, a), nullptr);
  EXPECT_EQ(neighbors_.Find(1, a)->state, NeighborState::kIncomplete);

  neighbors_.Learn(500, 1, a, Mac(7), Neighbors::Evidence::kReply);
  Lines expected{"resolved 1 192.0.2.10 02:00:00:00:00:07"};
  for (uint32_t i = 0; i < Neighbors::kMaxQueued; ++i) {
    expected.push_back("send 1 02:00:00:00:00:07 " + std::to_string(60 + i));  // in order
  }
  EXPECT_EQ(io_.Take(), expected);
  EXPECT_EQ(neighbors_.Find(1, a)->state, NeighborState::kReachable);
  // A packet that raced with the host route goes out at once.
  Packet(600, a, 99);
  EXPECT_EQ(io_.Take(), Lines{"send 1 02:00:00:00:00:07 99"});
}

TEST_F(NeighborTest, TableIsCappedForRequestsAndResolutions) {
  // Fill the table with neighbours learned from requests for us, as a flood would.
  for (uint32_t i = 0; i < Neighbors::kMaxEntries; ++i) {
    neighbors_.Learn(0, 1, Address::FromV4(0xc6120000u + i), Mac(1),
                     Neighbors::Evidence::kRequestForUs);
  }
  io_.Take();
  Address extra = V4("203.0.113.9");
  neighbors_.Learn(0, 1, extra, Mac(2), Neighbors::Evidence::kRequestForUs);
  Packet(0, V4("203.0.113.10"));
  EXPECT_EQ(neighbors_.Find(1, extra), nullptr);
  EXPECT_EQ(neighbors_.Find(1, V4("203.0.113.10")), nullptr);
  EXPECT_EQ(io_.Take(), Lines{});
  EXPECT_EQ(neighbors_.counters().table_full_drops, 2u);
  // Known neighbours are still refreshed and used.
  Packet(1, Address::FromV4(0xc6120000u), 70);
  EXPECT_EQ(io_.Take(), Lines{"send 1 02:00:00:00:00:01 70"});
}

TEST_F(NeighborTest, RetransmitsEverySecondAndGivesUpAfterThree) {
  Address a = V4("192.0.2.11");
  Packet(0, a);
  neighbors_.Tick(999);
  EXPECT_EQ(io_.Take(), Lines{"solicit 1 192.0.2.11"});
  neighbors_.Tick(1000);
  neighbors_.Tick(2000);
  EXPECT_EQ(io_.Take(), (Lines{"solicit 1 192.0.2.11", "solicit 1 192.0.2.11"}));
  neighbors_.Tick(3000);
  EXPECT_EQ(io_.Take(), Lines{});  // gone silently: it was never resolved
  EXPECT_EQ(neighbors_.Find(1, a), nullptr);
  EXPECT_EQ(neighbors_.counters().unresolved_drops, 1u);
  EXPECT_EQ(neighbors_.counters().resolution_failures, 1u);
  // The next packet starts over.
  Packet(4000, a);
  EXPECT_EQ(io_.Take(), Lines{"solicit 1 192.0.2.11"});
}

TEST_F(NeighborTest, ArpAgesOutAndTheNextPacketReresolves) {
  Address a = V4("192.0.2.12");
  neighbors_.Learn(0, 1, a, Mac(1), Neighbors::Evidence::kRequestForUs);
  EXPECT_EQ(io_.Take(), Lines{"resolved 1 192.0.2.12 02:00:00:00:00:01"});
  // A confirmation restarts the aging period.
  neighbors_.Learn(100, 1, a, Mac(1), Neighbors::Evidence::kReply);
  neighbors_.Tick(60099);
  EXPECT_EQ(io_.Take(), Lines{});
  EXPECT_EQ(neighbors_.Find(1, a)->expires_ms, 60100);
  neighbors_.Tick(60100);
  EXPECT_EQ(io_.Take(), Lines{"removed 1 192.0.2.12"});
  EXPECT_EQ(neighbors_.Find(1, a), nullptr);
  Packet(61000, a);
  EXPECT_EQ(io_.Take(), Lines{"solicit 1 192.0.2.12"});
}

TEST_F(NeighborTest, LearningRules) {
  Address a = V4("192.0.2.13");
  // Replies and gratuitous ARP do not create entries.
  neighbors_.Learn(0, 1, a, Mac(1), Neighbors::Evidence::kReply);
  neighbors_.Learn(0, 1, a, Mac(1), Neighbors::Evidence::kUnsolicited);
  EXPECT_TRUE(neighbors_.Entries().empty());
  neighbors_.Learn(0, 1, a, Mac(1), Neighbors::Evidence::kRequestForUs);
  // Gratuitous ARP with a new MAC updates the entry; the same MAC changes nothing visible.
  neighbors_.Learn(10, 1, a, Mac(2), Neighbors::Evidence::kUnsolicited);
  neighbors_.Learn(20, 1, a, Mac(2), Neighbors::Evidence::kUnsolicited);
  EXPECT_EQ(io_.Take(), (Lines{"resolved 1 192.0.2.13 02:00:00:00:00:01",
                               "resolved 1 192.0.2.13 02:00:00:00:00:02"}));
  // Multicast or zero sender MACs are ignored.
  packet::MacAddr bad;
  bad.bytes = {0x01, 0, 0x5e, 0, 0, 1};
  neighbors_.Learn(30, 1, a, bad, Neighbors::Evidence::kUnsolicited);
  EXPECT_EQ(neighbors_.Find(1, a)->mac, Mac(2));
}

TEST_F(NeighborTest, Ipv6ReachableThenStaleThenRemoved) {
  Address a = V6("2001:db8::10");
  Packet(0, a);
  EXPECT_EQ(io_.Take(), Lines{"solicit 1 2001:db8::10"});
  neighbors_.Learn(5, 1, a, Mac(3), Neighbors::Evidence::kReply, /*router=*/true);
  io_.Take();
  EXPECT_TRUE(neighbors_.Find(1, a)->router);
  neighbors_.Tick(30005);
  EXPECT_EQ(neighbors_.Find(1, a)->state, NeighborState::kStale);
  EXPECT_EQ(io_.Take(), Lines{});
  neighbors_.Tick(60005);
  EXPECT_EQ(io_.Take(), Lines{"removed 1 2001:db8::10"});
  // An NS from a neighbour (a new entry) does not confirm reachability: stale.
  Address b = V6("2001:db8::11");
  neighbors_.Learn(0, 1, b, Mac(4), Neighbors::Evidence::kRequestForUs);
  EXPECT_EQ(neighbors_.Find(1, b)->state, NeighborState::kStale);
}

TEST_F(NeighborTest, ClearRemovesByFamilyInterfaceAndAddress) {
  neighbors_.Learn(0, 1, V4("192.0.2.1"), Mac(1), Neighbors::Evidence::kRequestForUs);
  neighbors_.Learn(0, 2, V4("192.0.2.2"), Mac(2), Neighbors::Evidence::kRequestForUs);
  neighbors_.Learn(0, 2, V6("2001:db8::2"), Mac(2), Neighbors::Evidence::kRequestForUs);
  Packet(0, V4("192.0.2.3"));
  io_.Take();
  neighbors_.Clear(false, 2, std::nullopt);
  EXPECT_EQ(io_.Take(), Lines{"removed 2 192.0.2.2"});
  neighbors_.Clear(std::nullopt, std::nullopt, V4("192.0.2.1"));
  EXPECT_EQ(io_.Take(), Lines{"removed 1 192.0.2.1"});
  neighbors_.Clear(std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(io_.Take(), Lines{"removed 2 2001:db8::2"});  // the incomplete one leaves silently
  EXPECT_TRUE(neighbors_.Entries().empty());
  EXPECT_EQ(neighbors_.counters().unresolved_drops, 1u);
}

TEST(NeighborWire, ArpRoundTrip) {
  uint8_t buf[28];
  ASSERT_EQ(BuildArp(buf, kArpRequest, Mac(1), 0xc0000201, packet::MacAddr{}, 0xc0000202), 28u);
  auto info = ParseArp(buf, sizeof(buf));
  ASSERT_TRUE(info);
  EXPECT_EQ(info->op, kArpRequest);
  EXPECT_EQ(info->sha, Mac(1));
  EXPECT_EQ(info->spa, 0xc0000201u);
  EXPECT_EQ(info->tpa, 0xc0000202u);
  EXPECT_FALSE(ParseArp(buf, 27));
}

TEST(NeighborWire, SolicitAndAdvertParseBack) {
  uint8_t src[16], target[16];
  inet_pton(AF_INET6, "2001:db8::1", src);
  inet_pton(AF_INET6, "2001:db8::abcd:1234", target);
  uint8_t buf[128];
  size_t n = BuildNeighborSolicit(buf, src, target, Mac(9));
  ASSERT_EQ(n, 72u);
  auto ns = ParseNd(buf, n);
  ASSERT_TRUE(ns);
  EXPECT_EQ(ns->type, kIcmp6NeighborSolicit);
  EXPECT_EQ(std::memcmp(ns->target.data(), target, 16), 0);
  ASSERT_TRUE(ns->link_layer);
  EXPECT_EQ(*ns->link_layer, Mac(9));
  char text[64];
  inet_ntop(AF_INET6, ns->destination.data(), text, sizeof(text));
  EXPECT_STREQ(text, "ff02::1:ffcd:1234");
  EXPECT_EQ(Ip6MulticastMac(ns->destination.data()).ToString(), "33:33:ff:cd:12:34");

  n = BuildNeighborAdvert(buf, target, Mac(8), true);
  auto na = ParseNd(buf, n);
  ASSERT_TRUE(na);
  EXPECT_EQ(na->type, kIcmp6NeighborAdvert);
  EXPECT_TRUE(na->router && na->override_flag && !na->solicited);
  EXPECT_EQ(*na->link_layer, Mac(8));
  // A corrupted checksum, a forwarded (hop limit != 255) packet and a truncation are refused.
  buf[50] ^= 1;
  EXPECT_FALSE(ParseNd(buf, n));
  buf[50] ^= 1;
  buf[7] = 254;
  EXPECT_FALSE(ParseNd(buf, n));
  buf[7] = 255;
  EXPECT_FALSE(ParseNd(buf, n - 1));
  EXPECT_TRUE(ParseNd(buf, n));
}

}  // namespace
}  // namespace sabina::routing
