// `show route ...`, `show route summary` and `show route forwarding-table ...` in Junos layout,
// from RouteTableView / ForwardingTableView (show_views.h).
//
// Route selection (RouteQuery): PREFIX alone lists the routes within PREFIX (it and its more
// specifics) and, when there are none, the longest route covering it, so an address without
// a length gives the route that forwards to it, as on Junos; `exact` only PREFIX itself;
// `longer` only its more specifics. Counts in the table headers are whole-table counts.
//
// Thread: pure functions, any thread.
#pragma once

#include <string>
#include <vector>

#include "mgmt/cli/show_views.h"

namespace sabina::mgmt::cli {

std::string FormatRoutes(const std::vector<RouteTableView>& tables, const RouteQuery& query);

// Router ID line (when not empty), then per table the counts by protocol.
std::string FormatRouteSummary(const std::vector<RouteTableView>& tables,
                               const std::string& router_id);

// `destination` empty: every entry; an address: the longest matching entry; a prefix: that
// entry only.
std::string FormatForwardingTable(const std::vector<ForwardingTableView>& tables,
                                  const std::string& destination);

}  // namespace sabina::mgmt::cli
