#include "mgmt/cli/show_interfaces.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mgmt/cli/show_test_util.h"

namespace sabina::mgmt::cli {
namespace {

std::vector<InterfaceView> Sample() {
  InterfaceView a;
  a.name = "ge-0/0/0";
  a.index = 0;
  a.link_up = true;
  a.mac = "02:00:00:00:00:01";
  a.driver = "af_packet";
  a.device = "veth-a";
  a.flapped = 1795000000;
  a.in_packets = 10;
  a.in_bytes = 1000;
  a.out_packets = 20;
  a.out_bytes = 2000;
  a.in_bps = 8000;
  a.in_pps = 10;
  UnitView u;
  u.name = "ge-0/0/0.0";
  u.index = 1;
  u.inet = {"10.0.1.1/24"};
  u.inet6 = {"2001:db8::1/64", "fe80::ff:fe00:1/64"};
  a.units.push_back(u);
  InterfaceView b;
  b.name = "ge-0/0/2";
  b.index = 1;
  b.link_up = false;
  b.mac = "02:00:00:00:00:02";
  UnitView v;
  v.name = "ge-0/0/2.100";
  v.index = 2;
  v.vlan = 100;
  b.vlan_tagging = true;
  b.mtu = 1518;
  b.units.push_back(v);
  return {a, b};
}

TEST(ShowInterfaces, Terse) {
  EXPECT_EQ(FormatInterfacesTerse(Sample(), ""),
            "Interface               Admin Link Proto    Local                 Remote\n"
            "ge-0/0/0                up    up\n"
            "ge-0/0/0.0              up    up   inet     10.0.1.1/24\n"
            "                                   inet6    2001:db8::1/64\n"
            "                                            fe80::ff:fe00:1/64\n"
            "ge-0/0/2                up    down\n"
            "ge-0/0/2.100            up    down\n");
  EXPECT_EQ(FormatInterfacesTerse(Sample(), "ge-0/0/2.100"),
            "Interface               Admin Link Proto    Local                 Remote\n"
            "ge-0/0/2.100            up    down\n");
}

// The lines Junos prints for the same state are in the captured output, byte for byte.
TEST(ShowInterfaces, TerseLinesAsInTheCorpus) {
  std::vector<std::string> corpus = CorpusLines("ShowInterfacesTerse__cli__equal__golden_output");
  if (corpus.empty()) GTEST_SKIP() << "corpus not found";
  std::string mine = FormatInterfacesTerse(Sample(), "");
  for (const char* line :
       {"Interface               Admin Link Proto    Local                 Remote",
        "ge-0/0/0                up    up",
        "ge-0/0/0.0              up    up   inet     10.0.1.1/24",
        "ge-0/0/2                up    down"}) {
    EXPECT_NE(mine.find(std::string(line) + "\n"), std::string::npos) << line;
    EXPECT_TRUE(Contains(corpus, line)) << line;
  }
}

TEST(ShowInterfaces, Brief) {
  EXPECT_EQ(FormatInterfaces(Sample(), "ge-0/0/0", InterfaceDetail::kBrief, 1795000062),
            "Physical interface: ge-0/0/0, Enabled, Physical link is Up\n"
            "  Interface index: 0\n"
            "  Link-level type: Ethernet, MTU: 1514\n"
            "  Device: veth-a, Driver: af_packet\n"
            "  Device flags   : Present Running\n"
            "  Interface flags: SNMP-Traps\n"
            "  Current address: 02:00:00:00:00:01, Hardware address: 02:00:00:00:00:01\n"
            "  Last flapped   : 2026-11-18 11:06:40 UTC (00:01:02 ago)\n"
            "  Input rate     : 8000 bps (10 pps)\n"
            "  Output rate    : 0 bps (0 pps)\n"
            "\n"
            "  Logical interface ge-0/0/0.0 (Index 1)\n"
            "    Flags: Up SNMP-Traps 0x4000 Encapsulation: ENET2\n"
            "    Protocol inet, MTU: 1500\n"
            "      Flags: Sendbcast-pkt-to-re\n"
            "      Addresses, Flags: Is-Preferred Is-Primary\n"
            "        Destination: 10.0.1.0/24, Local: 10.0.1.1, Broadcast: 10.0.1.255\n"
            "    Protocol inet6, MTU: 1500\n"
            "      Addresses, Flags: Is-Preferred Is-Primary\n"
            "        Destination: 2001:db8::/64, Local: 2001:db8::1\n"
            "      Addresses, Flags: Is-Preferred\n"
            "        Destination: fe80::/64, Local: fe80::ff:fe00:1\n");
}

TEST(ShowInterfaces, ExtensiveAndUnit) {
  std::string out = FormatInterfaces(Sample(), "ge-0/0/2", InterfaceDetail::kExtensive, 0);
  EXPECT_EQ(out,
            "Physical interface: ge-0/0/2, Enabled, Physical link is Down\n"
            "  Interface index: 1\n"
            "  Link-level type: Ethernet, MTU: 1518\n"
            "  Device flags   : Present Running Down\n"
            "  Interface flags: SNMP-Traps VLAN-Tagging\n"
            "  Current address: 02:00:00:00:00:02, Hardware address: 02:00:00:00:00:02\n"
            "  Last flapped   : Never\n"
            "  Traffic statistics:\n"
            "   Input  bytes  :                    0                    0 bps\n"
            "   Output bytes  :                    0                    0 bps\n"
            "   Input  packets:                    0                    0 pps\n"
            "   Output packets:                    0                    0 pps\n"
            "  Input errors:\n"
            "    Errors: 0, Drops: 0\n"
            "  Output errors:\n"
            "    Errors: 0, Drops: 0\n"
            "\n"
            "  Logical interface ge-0/0/2.100 (Index 2)\n"
            "    Flags: Down Device-Down SNMP-Traps 0x4000 VLAN-Tag [ 0x8100.100 ]  "
            "Encapsulation: ENET2\n");
  EXPECT_EQ(FormatInterfaces(Sample(), "ge-0/0/2.100", InterfaceDetail::kBrief, 0),
            "  Logical interface ge-0/0/2.100 (Index 2)\n"
            "    Flags: Down Device-Down SNMP-Traps 0x4000 VLAN-Tag [ 0x8100.100 ]  "
            "Encapsulation: ENET2\n");
  EXPECT_TRUE(HasInterface(Sample(), "ge-0/0/2.100"));
  EXPECT_FALSE(HasInterface(Sample(), "ge-0/0/9"));
}

}  // namespace
}  // namespace sabina::mgmt::cli
