// Binding of [edit interfaces]: records of physical interfaces, their units and addresses,
// published for the forwarding code (which brings them alive in a later issue).
//
// Config path: interfaces { NAME { description; disable; vlan-tagging; mtu N;
//              unit N { description; disable; vlan-id N; family inet|inet6 { address A/L; } } } }
// Checks (Junos-like messages naming the statement):
//   - an address is a valid unicast host address with a prefix length;
//   - the same address appears at most once on a physical interface (any unit, any family);
//   - vlan-id requires vlan-tagging on the physical interface;
//   - mtu within 256..9216.
//
// Thread: mgmt (Feature calls); the published snapshot is read from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/bindings/published.h"
#include "config/commit.h"

namespace sabina::config {

struct InterfaceAddress {
  std::string address;  // as configured, "192.0.2.1/24"
  bool v6 = false;
  int prefix_length = 0;
  bool primary = false;
  bool preferred = false;
};

struct LogicalUnit {
  uint32_t unit = 0;
  std::string description;
  bool disable = false;
  std::optional<uint16_t> vlan_id;
  std::vector<InterfaceAddress> inet;
  std::vector<InterfaceAddress> inet6;
};

struct PhysicalInterface {
  std::string name;
  std::string description;
  bool disable = false;
  bool vlan_tagging = false;
  std::optional<uint32_t> mtu;
  std::vector<LogicalUnit> units;  // configuration order
};

struct InterfaceTable {
  std::vector<PhysicalInterface> interfaces;  // configuration order
  const PhysicalInterface* Find(std::string_view name) const;
};

class InterfacesFeature : public Feature {
 public:
  static constexpr uint32_t kMinMtu = 256, kMaxMtu = 9216;
  static constexpr uint32_t kMinIpv6Mtu = 1280;

  explicit InterfacesFeature(Published<InterfaceTable>& out) : out_(out) {}
  const char* name() const override { return "interfaces"; }
  Status Validate(const Node& effective) override;
  Status Prepare(const Node* old_effective, const Node& effective) override;
  void Apply() override;
  void Abort() override { next_.reset(); }

 private:
  Published<InterfaceTable>& out_;
  std::shared_ptr<const InterfaceTable> next_;
};

}  // namespace sabina::config
