#include "mgmt/cli/show_interfaces.h"

#include <cinttypes>
#include <cstdio>

#include "mgmt/cli/show_common.h"
#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

namespace {

std::string RTrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

const char* UpDown(bool up) { return up ? "up" : "down"; }

// Logical link: up when the unit is enabled and its physical interface is up and enabled.
bool UnitLinkUp(const InterfaceView& i, const UnitView& u) {
  return i.admin_up && i.link_up && u.admin_up;
}

void TerseUnit(const InterfaceView& i, const UnitView& u, std::string* out) {
  std::string head =
      Printf("%-24s%-6s%-5s", u.name.c_str(), UpDown(u.admin_up), UpDown(UnitLinkUp(i, u)));
  const std::string pad(35, ' ');
  bool first = true;
  auto family = [&](const char* name, const std::vector<std::string>& addresses) {
    std::string line = first ? head : pad;
    first = false;
    line += Printf("%-9s", name);
    if (addresses.empty()) {
      *out += RTrim(line) + "\n";
      return;
    }
    for (size_t k = 0; k < addresses.size(); ++k) {
      if (k > 0) line = pad + std::string(9, ' ');
      *out += line + addresses[k] + "\n";
    }
  };
  if (!u.inet.empty()) family("inet", u.inet);
  if (!u.inet6.empty()) family("inet6", u.inet6);
  if (first) *out += RTrim(head) + "\n";
}

std::string AddressLines(const std::string& address, bool v6) {
  std::optional<PrefixText> p = PrefixText::Parse(address);
  if (!p) return "        Local: " + address + "\n";
  std::string out =
      "        Destination: " + p->Network().ToString() + ", Local: " + p->AddressString();
  if (!v6 && p->length < 31) out += ", Broadcast: " + p->Broadcast().AddressString();
  return out + "\n";
}

bool IsLinkLocal(const std::string& address) {
  return address.size() >= 4 && (address.compare(0, 4, "fe80") == 0);
}

void Traffic(const char* indent, uint64_t in_bytes, uint64_t out_bytes, uint64_t in_packets,
             uint64_t out_packets, uint64_t in_bps, uint64_t out_bps, uint64_t in_pps,
             uint64_t out_pps, std::string* out) {
  *out += std::string(indent) + "Traffic statistics:\n";
  *out += Printf("%s Input  bytes  : %20" PRIu64 " %20" PRIu64 " bps\n", indent, in_bytes, in_bps);
  *out +=
      Printf("%s Output bytes  : %20" PRIu64 " %20" PRIu64 " bps\n", indent, out_bytes, out_bps);
  *out +=
      Printf("%s Input  packets: %20" PRIu64 " %20" PRIu64 " pps\n", indent, in_packets, in_pps);
  *out +=
      Printf("%s Output packets: %20" PRIu64 " %20" PRIu64 " pps\n", indent, out_packets, out_pps);
}

void Unit(const InterfaceView& i, const UnitView& u, InterfaceDetail detail, std::string* out) {
  *out += Printf("  Logical interface %s (Index %u)\n", u.name.c_str(), u.index);
  std::string flags = UnitLinkUp(i, u) ? "Up" : (u.admin_up ? "Down Device-Down" : "Down");
  flags += " SNMP-Traps 0x4000";
  if (u.vlan != 0) flags += Printf(" VLAN-Tag [ 0x8100.%u ] ", u.vlan);
  *out += "    Flags: " + flags + " Encapsulation: ENET2\n";
  if (detail == InterfaceDetail::kBrief) {
    if (u.in_packets) *out += Printf("    Input packets : %" PRIu64 "\n", *u.in_packets);
    if (u.out_packets) *out += Printf("    Output packets: %" PRIu64 "\n", *u.out_packets);
  } else if (u.in_packets && u.out_packets) {
    *out += Printf("    Input packets : %" PRIu64 "\n", *u.in_packets);
    *out += Printf("    Output packets: %" PRIu64 "\n", *u.out_packets);
  }
  auto family = [&](const char* name, uint32_t mtu, const std::vector<std::string>& addresses,
                    bool v6) {
    *out += Printf("    Protocol %s, MTU: %u\n", name, mtu);
    if (!v6) *out += "      Flags: Sendbcast-pkt-to-re\n";
    bool primary = true;
    for (const std::string& a : addresses) {
      // The first global address is the primary one, as Junos picks the lowest by default.
      bool is_primary = primary && !IsLinkLocal(a);
      *out += std::string("      Addresses, Flags: Is-Preferred") +
              (is_primary ? " Is-Primary" : "") + "\n";
      if (is_primary) primary = false;
      *out += AddressLines(a, v6);
    }
  };
  if (!u.inet.empty()) family("inet", u.inet_mtu, u.inet, false);
  if (!u.inet6.empty()) family("inet6", u.inet6_mtu, u.inet6, true);
}

void Physical(const InterfaceView& i, InterfaceDetail detail, int64_t now, std::string* out) {
  *out += "Physical interface: " + i.name + ", " +
          (i.admin_up ? "Enabled" : "Administratively down") + ", Physical link is " +
          (i.link_up ? "Up" : "Down") + "\n";
  *out += Printf("  Interface index: %u\n", i.index);
  if (!i.description.empty()) *out += "  Description: " + i.description + "\n";
  *out += Printf("  Link-level type: Ethernet, MTU: %u\n", i.mtu);
  if (!i.device.empty()) *out += "  Device: " + i.device + ", Driver: " + i.driver + "\n";
  *out += std::string("  Device flags   : Present Running") + (i.link_up ? "" : " Down") + "\n";
  *out += std::string("  Interface flags: ") + (i.admin_up ? "" : "Down ") + "SNMP-Traps" +
          (i.vlan_tagging ? " VLAN-Tagging" : "") + "\n";
  std::string mac = i.mac.empty() ? "00:00:00:00:00:00" : i.mac;
  *out += "  Current address: " + mac + ", Hardware address: " + mac + "\n";
  if (i.flapped == 0) {
    *out += "  Last flapped   : Never\n";
  } else {
    *out += "  Last flapped   : " + FormatTime(i.flapped) + " (" + FormatAgo(now - i.flapped) +
            " ago)\n";
  }
  if (detail == InterfaceDetail::kBrief) {
    *out += Printf("  Input rate     : %" PRIu64 " bps (%" PRIu64 " pps)\n", i.in_bps, i.in_pps);
    *out += Printf("  Output rate    : %" PRIu64 " bps (%" PRIu64 " pps)\n", i.out_bps, i.out_pps);
  } else {
    Traffic("  ", i.in_bytes, i.out_bytes, i.in_packets, i.out_packets, i.in_bps, i.out_bps,
            i.in_pps, i.out_pps, out);
  }
  if (detail == InterfaceDetail::kExtensive) {
    *out += "  Input errors:\n";
    *out += Printf("    Errors: %" PRIu64 ", Drops: %" PRIu64 "\n", i.in_errors, i.in_drops);
    *out += "  Output errors:\n";
    *out += Printf("    Errors: %" PRIu64 ", Drops: %" PRIu64 "\n", i.out_errors, i.out_drops);
  }
  for (const UnitView& u : i.units) {
    *out += "\n";
    Unit(i, u, detail, out);
  }
}

}  // namespace

bool HasInterface(const std::vector<InterfaceView>& interfaces, const std::string& name) {
  for (const InterfaceView& i : interfaces) {
    if (i.name == name) return true;
    for (const UnitView& u : i.units) {
      if (u.name == name) return true;
    }
  }
  return false;
}

std::string FormatInterfacesTerse(const std::vector<InterfaceView>& interfaces,
                                  const std::string& name) {
  std::string out = "Interface               Admin Link Proto    Local                 Remote\n";
  for (const InterfaceView& i : interfaces) {
    bool whole = name.empty() || name == i.name;
    if (whole) {
      out += RTrim(Printf("%-24s%-6s%s", i.name.c_str(), UpDown(i.admin_up), UpDown(i.link_up))) +
             "\n";
    }
    for (const UnitView& u : i.units) {
      if (whole || u.name == name) TerseUnit(i, u, &out);
    }
  }
  return out;
}

std::string FormatInterfaces(const std::vector<InterfaceView>& interfaces, const std::string& name,
                             InterfaceDetail detail, int64_t now) {
  std::string out;
  for (const InterfaceView& i : interfaces) {
    if (name.empty() || name == i.name) {
      if (!out.empty()) out += "\n";
      Physical(i, detail, now, &out);
      continue;
    }
    for (const UnitView& u : i.units) {
      if (u.name == name) Unit(i, u, detail, &out);
    }
  }
  return out;
}

}  // namespace sabina::mgmt::cli
