// `show interfaces terse [NAME]` and `show interfaces [NAME] [detail|extensive]` in Junos
// layout, from InterfaceView (show_views.h).
//
// NAME selects a physical interface (with its units) or one unit ("ge-0/0/0.0"). Rates are
// what the view carries (show_glue.cc computes them between two samples).
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mgmt/cli/show_views.h"

namespace sabina::mgmt::cli {

// Interface               Admin Link Proto    Local                 Remote
// ge-0/0/0                up    up
// ge-0/0/0.0              up    up   inet     192.0.2.1/24
//                                    inet6    2001:db8::1/64
std::string FormatInterfacesTerse(const std::vector<InterfaceView>& interfaces,
                                  const std::string& name);

// Physical interface: ge-0/0/0, Enabled, Physical link is Up ...
std::string FormatInterfaces(const std::vector<InterfaceView>& interfaces, const std::string& name,
                             InterfaceDetail detail, int64_t now);

// True if `name` is an interface or unit of `interfaces`.
bool HasInterface(const std::vector<InterfaceView>& interfaces, const std::string& name);

}  // namespace sabina::mgmt::cli
