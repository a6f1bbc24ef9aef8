#include "mgmt/cli/show_dataplane.h"

#include <gtest/gtest.h>

namespace sabina::mgmt::cli {
namespace {

std::vector<uint8_t> Ip4Frame() {
  std::vector<uint8_t> f = {0x02, 0, 0, 0,  0,   0x01, 0x02, 0, 0,  0, 0, 0x02, 0x08,
                            0x00,                                             // Ethernet
                            0x45, 0, 0, 84, 0,   0,    0x40, 0, 64, 1, 0, 0,  // IPv4, ttl 64, icmp
                            192,  0, 2, 2,  198, 51,   100,  2};
  return f;
}

TEST(ShowDataplane, Decode) {
  std::vector<uint8_t> f = Ip4Frame();
  EXPECT_EQ(DecodePacket(f, 98, false),
            "02:00:00:00:00:02 > 02:00:00:00:00:01, IPv4 192.0.2.2 > 198.51.100.2, proto 1 "
            "(icmp), ttl 64");
  std::vector<uint8_t> ip(f.begin() + 14, f.end());
  EXPECT_EQ(DecodePacket(ip, 84, true), "IPv4 192.0.2.2 > 198.51.100.2, proto 1 (icmp), ttl 64");
  std::vector<uint8_t> arp = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0,    0,    0,
                              0,    0x02, 0x81, 0x00, 0x00, 0x64, 0x08, 0x06,  // VLAN 100, ARP
                              0,    1,    8,    0,    6,    4,    0,    1,    0x02, 0,
                              0,    0,    0,    0x02, 192,  0,    2,    2,    0,    0,
                              0,    0,    0,    0,    192,  0,    2,    1};
  EXPECT_EQ(DecodePacket(arp, 46, false),
            "02:00:00:00:00:02 > ff:ff:ff:ff:ff:ff, vlan 100, ARP who-has 192.0.2.1 tell "
            "192.0.2.2");
  EXPECT_EQ(DecodePacket({1, 2, 3}, 3, false), "Ethernet truncated");
  std::vector<uint8_t> v6(54, 0);
  v6[12] = 0x86;
  v6[13] = 0xdd;
  v6[14] = 0x60;
  v6[20] = 58;
  v6[21] = 255;
  v6[22] = 0x20;
  v6[23] = 0x01;
  v6[38] = 0x20;
  v6[39] = 0x01;
  v6[53] = 2;
  EXPECT_EQ(DecodePacket(v6, 54, false),
            "00:00:00:00:00:00 > 00:00:00:00:00:00, IPv6 2001:: > 2001::2, next header 58 "
            "(icmp6), hop limit 255");
}

TEST(ShowDataplane, Trace) {
  std::vector<uint8_t> f = Ip4Frame();
  std::vector<TraceRecordView> records = {
      {0, 7, "ethernet-input", "", 98, f},
      {0, 7, "ip4-input", "", 84, {}},
      {0, 7, "ip4-lookup", "ip4-no-route", 84, {}},
  };
  EXPECT_EQ(FormatTrace(records, false),
            "Packet 7 (worker 0): 02:00:00:00:00:02 > 02:00:00:00:00:01, IPv4 192.0.2.2 > "
            "198.51.100.2, proto 1 (icmp), ttl 64\n"
            "  ethernet-input          98 bytes\n"
            "  ip4-input               84 bytes\n"
            "  ip4-lookup              84 bytes  dropped: ip4-no-route\n");
  EXPECT_EQ(FormatTrace({}, true), "No packets traced yet (tracing is on)\n");
  EXPECT_EQ(FormatTrace({}, false),
            "No packets traced (start with 'request dataplane trace start')\n");
}

TEST(ShowDataplane, Counters) {
  std::vector<CounterView> drops = {{"ethernet-truncated", 0}, {"ip4-no-route", 12}};
  EXPECT_EQ(FormatDrops(drops, false),
            "Drop reason                                Packets\n"
            "ip4-no-route                                    12\n"
            "Total                                           12\n");
  EXPECT_EQ(FormatDrops(drops, true),
            "Drop reason                                Packets\n"
            "ethernet-truncated                               0\n"
            "ip4-no-route                                    12\n"
            "Total                                           12\n");
  EXPECT_EQ(FormatSystemStatistics({{"rx-packets", 100}, {"ip4-forwarded", 88}}, drops),
            "dataplane:\n"
            "        100 rx-packets\n"
            "        88 ip4-forwarded\n"
            "drops:\n"
            "        12 ip4-no-route\n"
            "        12 total\n");
  EXPECT_EQ(FormatNodes({{"ethernet-input", 4, 1000}, {"ip4-fragment", 0, 0}}),
            "Node                            Calls           Packets   Vectors/call\n"
            "ethernet-input                    4              1000         250.00\n"
            "ip4-fragment                      0                 0           0.00\n");
}

TEST(ShowDataplane, Summary) {
  DataplaneView v;
  v.workers = {{0, 1000, 990, 10, 5, 16384}};
  v.ports = {{"ge-0/0/0", "af_packet", "veth-a", true, 500, 490, 1, 2, 10, 20}};
  EXPECT_EQ(FormatDataplane(v),
            "Workers: 1\n"
            "  Worker     Input packets    Output packets          Drops         Punted  "
            "Buffers\n"
            "  0                   1000               990             10              5    "
            "16384\n"
            "Ports: 1 (rates: first sample, shown as 0)\n"
            "  Interface    Driver     Device           Link   Input packets  Output packets"
            "    Input pps   Output pps  Input drops Output drops\n"
            "  ge-0/0/0     af_packet  veth-a           up               500             490"
            "           10           20            1            2\n");
  v.rate_interval = 3;
  EXPECT_NE(FormatDataplane(v).find("Ports: 1 (rates over the last 3 seconds)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace sabina::mgmt::cli
