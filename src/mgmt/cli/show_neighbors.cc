#include "mgmt/cli/show_neighbors.h"

#include "mgmt/cli/show_common.h"

namespace sabina::mgmt::cli {

namespace {

std::string RTrim(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::string FormatArp(const std::vector<ArpEntryView>& entries, bool no_resolve) {
  std::string out = no_resolve
                        ? "MAC Address       Address         Interface               Flags\n"
                        : "MAC Address       Address         Name                      Interface"
                          "               Flags\n";
  for (const ArpEntryView& e : entries) {
    std::string mac = e.mac.empty() ? "(incomplete)" : e.mac;
    if (no_resolve) {
      out += RTrim(Printf("%-17s %-15s %-23s %s", mac.c_str(), e.address.c_str(),
                          e.interface.c_str(), e.flags.c_str())) +
             "\n";
    } else {
      out += RTrim(Printf("%-17s %-15s %-25s %-23s %s", mac.c_str(), e.address.c_str(),
                          e.address.c_str(), e.interface.c_str(), e.flags.c_str())) +
             "\n";
    }
  }
  out += "Total entries: " + std::to_string(entries.size()) + "\n";
  return out;
}

std::string FormatIpv6Neighbors(const std::vector<Ipv6NeighborView>& entries) {
  std::string out = Printf("%-40s%-17s  %-11s %-5s %-4s %-7s %s\n", "IPv6 Address",
                           "Linklayer Address", "State", "Exp", "Rtr", "Secure", "Interface");
  for (const Ipv6NeighborView& e : entries) {
    std::string lead;
    if (e.address.size() > 40) {
      out += e.address + "\n";
      lead = std::string(41, ' ');
    } else {
      lead = Printf("%-40s ", e.address.c_str());
    }
    std::string mac = e.mac.empty() ? "(incomplete)" : e.mac;
    out += RTrim(lead + Printf("%-17s  %-11s %-5lld %-4s %-7s %s", mac.c_str(), e.state.c_str(),
                               static_cast<long long>(e.expires), e.router ? "yes" : "no", "no",
                               e.interface.c_str())) +
           "\n";
  }
  out += "Total entries: " + std::to_string(entries.size()) + "\n";
  return out;
}

}  // namespace sabina::mgmt::cli
