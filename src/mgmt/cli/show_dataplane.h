// `show dataplane`, `show dataplane drops [all]`, `show dataplane nodes`, `show system
// statistics` and `show dataplane trace` (Sabina's own commands; Junos has no data-plane
// equivalent, the layouts follow its tabular style), from the views in show_views.h.
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <vector>

#include "mgmt/cli/show_views.h"

namespace sabina::mgmt::cli {

std::string FormatDataplane(const DataplaneView& view);

// Per-reason drop counters summed over workers, in the reason list's order; zero counters only
// with `all`.
std::string FormatDrops(const std::vector<CounterView>& drops, bool all);

// Event counters, then drop counters (non-zero), in `show system statistics` style.
std::string FormatSystemStatistics(const std::vector<CounterView>& events,
                                   const std::vector<CounterView>& drops);

// Node          Calls     Packets  Vectors/call
std::string FormatNodes(const std::vector<NodeView>& nodes);

// Per traced packet: a header line with a short decode of its first bytes, then the nodes it
// went through (and the drop reason where it was dropped). `armed`: tracing is still on.
std::string FormatTrace(const std::vector<TraceRecordView>& records, bool armed);

// "02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4 192.0.2.2 > 198.51.100.2, proto 1 (icmp), ttl 64"
// `ip`: the bytes start at the IP header (as an ip4-*/ip6-* node sees them).
std::string DecodePacket(const std::vector<uint8_t>& bytes, uint32_t length, bool ip);

}  // namespace sabina::mgmt::cli
