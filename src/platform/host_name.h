// Linux names of the host (mirror) interfaces: one TAP per configured logical unit, named after
// the Junos unit so `ip addr` in the router's namespace reads like `show interfaces terse`.
//
// Linux device names hold at most 15 bytes and no '/', ':' or blanks (dev_valid_name), while
// Junos unit names contain '/' and may be longer ("ge-10/10/10.1000"), hence this mapping.
//
// Thread: pure function, any thread.
#pragma once

#include <string>
#include <string_view>

namespace sabina::platform {

inline constexpr size_t kMaxIfNameLength = 15;  // IFNAMSIZ - 1

// "ge-0/0/0.0" -> "ge-0-0-0.0": '/' becomes '-', any other byte outside [A-Za-z0-9._-] becomes
// '_'. A result longer than 15 bytes keeps its first 9 bytes and appends '-' and 5 hex digits of
// a hash of the whole Junos name, so the mapping is deterministic across restarts and distinct
// long names stay distinct (with 1 - 2^-20 probability per pair sharing a 9-byte head).
std::string HostIfName(std::string_view junos_unit);

}  // namespace sabina::platform
