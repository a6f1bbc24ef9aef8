// `show arp [no-resolve]` and `show ipv6 neighbors` in Junos layout, from ArpEntryView /
// Ipv6NeighborView (show_views.h). There is no DNS: the Name column repeats the address.
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <vector>

#include "mgmt/cli/show_views.h"

namespace sabina::mgmt::cli {

// MAC Address       Address         Name                      Interface               Flags
// 00:50:56:ff:ba:6f 192.0.2.2       192.0.2.2                 ge-0/0/0.0              none
// Total entries: 1
std::string FormatArp(const std::vector<ArpEntryView>& entries, bool no_resolve);

// Columns IPv6 Address / Linklayer Address / State / Exp / Rtr / Secure / Interface, then
// "Total entries: N".
std::string FormatIpv6Neighbors(const std::vector<Ipv6NeighborView>& entries);

}  // namespace sabina::mgmt::cli
