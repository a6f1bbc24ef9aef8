// Small helpers the bindings share: reading the effective tree by Junos keyword, and the
// Junos commit-error layout.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/tree.h"

namespace sabina::config::bindings {

// The first child named `keyword` (container, leaf, or list entry of that list), or null.
const Node* Child(const Node& n, std::string_view keyword);
// Every child named `keyword` (the entries of a list, the elements of a leaf-list).
std::vector<const Node*> Children(const Node& n, std::string_view keyword);
// Value of leaf `keyword` ("" if absent); flags give "" too, so use Has() for them.
std::string Value(const Node& n, std::string_view keyword);
bool Has(const Node& n, std::string_view keyword);
std::optional<uint64_t> UintValue(const Node& n, std::string_view keyword);
// Decimal digits only.
std::optional<uint64_t> ToUint(std::string_view s);

// Junos' commit-time error for one statement:
//   [edit interfaces ge-0/0/0 unit 0 family inet]
//     'address 192.0.2.1/24'
//       duplicate address
std::string StatementError(const Node& statement, std::string_view message);
// Junos' error for a statement missing inside `container`:
//   [edit routing-options static route 10.0.0.0/8]
//     message
std::string LevelError(const Node& container, std::string_view message);

// Address parsing shared by interfaces and routing-options. `text` is "addr" or "addr/len".
struct IpPrefix {
  bool v6 = false;
  unsigned char bytes[16] = {};
  int length = -1;  // -1 when no "/len" was written
  std::string CanonicalAddress() const;  // inet_ntop form of the address
};
std::optional<IpPrefix> ParseIp(std::string_view text);
// Looks like an interface name ("ge-0/0/0", "ge-0/0/0.100", "lo0.0"), not an address.
bool IsInterfaceName(std::string_view text);

}  // namespace sabina::config::bindings
