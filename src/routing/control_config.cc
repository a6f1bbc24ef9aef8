// Control: applying a configuration (and link changes) to the data plane, the host interfaces,
// the RIB/FIB and the kernel's routes. Each step changes only what differs, so traffic of
// unrelated units and routes keeps flowing while a commit applies.
#include <time.h>

#include <algorithm>
#include <set>

#include "base/log.h"
#include "platform/host_name.h"
#include "platform/netlink.h"
#include "routing/control_impl.h"

namespace sabina::routing {
namespace {

constexpr uint32_t kEthernetHeader = 14, kVlanTag = 4;
constexpr uint32_t kDefaultIpMtu = 1500;

std::optional<std::pair<Address, uint8_t>> ParseAddress(const std::string& text) {
  size_t slash = text.find('/');
  std::optional<Address> a = Address::Parse(std::string_view(text).substr(0, slash));
  if (!a || slash == std::string::npos) return std::nullopt;
  int length = std::atoi(text.c_str() + slash + 1);
  if (length < 0 || length > a->max_length()) return std::nullopt;
  return std::make_pair(*a, static_cast<uint8_t>(length));
}

StatusOr<platform::IpPrefix> KernelPrefix(const Prefix& p) {
  return platform::IpPrefix::Parse(p.ToString());
}

}  // namespace

uint32_t Control::Impl::UnitIndex(const std::string& name) {
  auto [it, inserted] = unit_index.try_emplace(name, static_cast<uint32_t>(units.size()));
  if (inserted) {
    units.emplace_back();
    units.back().name = name;
    units.back().host_name = platform::HostIfName(name);
  }
  return it->second;
}

void Control::Impl::Apply(std::shared_ptr<const config::InterfaceTable> new_interfaces,
                          std::shared_ptr<const config::RoutingConfig> new_routing) {
  interfaces = std::move(new_interfaces);
  routing = std::move(new_routing);

  // 1. Which units exist now, with what settings.
  std::set<uint32_t> wanted;
  for (uint32_t p = 0; p < ports.size(); ++p) {
    PortState& port = ports[p];
    const config::PhysicalInterface* phys = interfaces->Find(port.name);
    port.configured = phys != nullptr;
    port.admin_up = phys == nullptr || !phys->disable;
    port.description = phys ? phys->description : "";
    bool tagging = phys && phys->vlan_tagging;
    // Junos `mtu` is the media MTU, Ethernet header (and VLAN tag with vlan-tagging) included.
    uint32_t l2 = kEthernetHeader + (tagging ? kVlanTag : 0);
    uint32_t ip_mtu = phys && phys->mtu ? *phys->mtu - l2 : kDefaultIpMtu;
    port.mtu = ip_mtu + l2;
    // The device must take frames of the IP MTU (AF_PACKET refuses larger sends) but is never
    // lowered below its own MTU: the data plane enforces the IP MTU on transmit, and a lower
    // device MTU would make veth drop larger frames the peer sends (Junos receives them).
    ControlPort& info = port_info[p];
    uint32_t device_mtu = std::max(ip_mtu, info.original_mtu);
    if (!info.device.empty() && info.device_mtu != device_mtu) {
      if (Status s = platform::SetMtu(info.device, device_mtu); !s.ok()) {
        SABINA_LOG(kWarning) << port.name << ": setting MTU " << device_mtu << " on " << info.device
                             << ": " << s.message();
      } else {
        info.device_mtu = device_mtu;
      }
    }
    if (!phys) continue;
    std::set<uint16_t> vlans;
    for (const config::LogicalUnit& lu : phys->units) {
      std::string name = port.name + "." + std::to_string(lu.unit);
      uint16_t vlan = tagging && lu.vlan_id ? *lu.vlan_id : 0;
      if (!vlans.insert(vlan).second) {
        SABINA_LOG(kWarning) << name << ": VLAN " << vlan << " already used on " << port.name
                             << "; unit ignored";
        continue;
      }
      uint32_t index = UnitIndex(name);
      wanted.insert(index);
      ControlUnit& u = units[index];
      u.port = p;
      u.vlan = vlan;
      u.mtu = ip_mtu;
      u.mac = port.mac;
      u.admin_up = !phys->disable && !lu.disable;
      u.inet.clear();
      u.inet6.clear();
      u.addresses.clear();
      for (const auto* family : {&lu.inet, &lu.inet6}) {
        for (const config::InterfaceAddress& a : *family) {
          (a.v6 ? u.inet6 : u.inet).push_back(a.address);
          if (auto parsed = ParseAddress(a.address)) u.addresses.push_back(*parsed);
        }
      }
    }
  }

  // 2. Units that went away: their neighbours, tap and routes go.
  for (uint32_t i = 1; i < units.size(); ++i) {
    ControlUnit& u = units[i];
    if (!u.active || wanted.count(i)) continue;
    SABINA_LOG(kInfo) << "interface " << u.name << " removed";
    u.active = false;
    u.up = false;
    neighbors->Clear(std::nullopt, i, std::nullopt);
    WatchTap(i, false);
    u.tap.reset();
    u.announced.clear();
  }

  // 3. Units present: tap, addresses, state.
  for (uint32_t i : wanted) {
    ControlUnit& u = units[i];
    bool was_up = u.active && u.up;
    u.active = true;
    u.up = u.admin_up && ports[u.port].link_up;
    if (!u.tap) {
      StatusOr<platform::Tap> tap = platform::Tap::Create(u.host_name, u.mac, u.mtu);
      if (!tap.ok()) {
        SABINA_LOG(kError) << u.name << ": host interface " << u.host_name << ": "
                           << tap.status().message();
      } else {
        u.tap.emplace(std::move(*tap));
        u.tap_mtu = u.mtu;
        u.tap_up = true;
        WatchTap(i, true);
      }
    }
    if (u.tap) {
      std::vector<std::string> all = u.inet;
      all.insert(all.end(), u.inet6.begin(), u.inet6.end());
      if (u.tap_mtu != u.mtu) {
        if (Status s = u.tap->SetMtu(u.mtu); !s.ok()) {
          SABINA_LOG(kWarning) << u.host_name << ": " << s.message();
        } else {
          u.tap_mtu = u.mtu;
        }
      }
      if (Status s = u.tap->SetAddresses(all); !s.ok()) {
        SABINA_LOG(kWarning) << u.host_name << ": " << s.message();
      }
      if (u.tap_up != u.up) {
        if (Status s = u.tap->SetUp(u.up); !s.ok()) {
          SABINA_LOG(kWarning) << u.host_name << ": " << s.message();
        } else {
          u.tap_up = u.up;
        }
      }
    }
    if (was_up && !u.up) {
      neighbors->Clear(std::nullopt, i, std::nullopt);
      u.announced.clear();
    }
    // Neighbours outside every remaining subnet of the unit are no longer neighbours.
    for (const NeighborEntry& e : neighbors->Entries()) {
      if (e.interface != i) continue;
      bool covered = std::any_of(u.addresses.begin(), u.addresses.end(), [&](const auto& a) {
        return Prefix::Make(a.first, a.second).Contains(e.address);
      });
      if (!covered) neighbors->Clear(std::nullopt, i, e.address);
    }
  }

  // 4. The data plane's view, then the routes that use it.
  PublishInterfaces();
  SyncRoutes();
  for (uint32_t i : wanted) {
    if (units[i].up) Announce(units[i]);
  }

  // 5. For show interfaces.
  for (PortState& port : ports) port.units.clear();
  for (uint32_t i = 1; i < units.size(); ++i) {
    const ControlUnit& u = units[i];
    if (!u.active) continue;
    UnitState s;
    s.name = u.name;
    s.host_name = u.host_name;
    s.dp_index = i;
    s.vlan = u.vlan;
    s.admin_up = u.admin_up;
    s.inet = u.inet;
    s.inet6 = u.inet6;
    ports[u.port].units.push_back(std::move(s));
  }
}

void Control::Impl::PublishInterfaces() {
  auto table = std::make_unique<dp::IfTable>();
  table->interfaces.resize(units.size());
  table->ports.resize(ports.size());
  for (uint32_t i = 0; i < units.size(); ++i) {
    const ControlUnit& u = units[i];
    dp::Interface& d = table->interfaces[i];
    d.index = i;
    d.name = u.name;
    d.host_name = u.host_name;
    if (!u.active) continue;  // kept (down) so in-flight references stay valid
    d.port = u.port;
    d.vlan = u.vlan;
    d.up = u.up;
    d.mtu = u.mtu;
    d.mac = u.mac;
    for (const auto& [address, length] : u.addresses) {
      if (!address.v6 && d.ip4_address_count < dp::kMaxIfAddresses) {
        if (d.ip4_address == 0) d.ip4_address = address.v4();
        d.ip4_addresses[d.ip4_address_count++] = {address.v4(), length};
      } else if (address.v6 && d.ip6_address_count < dp::kMaxIfAddresses) {
        if (!d.has_ip6) {
          d.ip6_address = address.v6_words();
          d.has_ip6 = true;
        }
        d.ip6_addresses[d.ip6_address_count++] = {address.v6_words(), length};
      }
    }
    dp::PortMap& map = table->ports[u.port];
    if (u.vlan == 0) {
      map.untagged = i;
    } else {
      if (map.by_vlan.empty()) map.by_vlan.assign(4096, packet::kInvalidIndex);
      map.by_vlan[u.vlan] = i;
    }
  }
  dataplane->tables().PublishInterfaces(std::move(table));
}

void Control::Impl::SyncRoutes() {
  std::vector<UsableUnit> usable;
  for (uint32_t i = 1; i < units.size(); ++i) {
    const ControlUnit& u = units[i];
    if (!u.active || !u.up) continue;
    UsableUnit uu;
    uu.name = u.name;
    uu.dp_interface = i;
    uu.addresses = u.inet;
    uu.addresses.insert(uu.addresses.end(), u.inet6.begin(), u.inet6.end());
    usable.push_back(std::move(uu));
  }
  std::vector<FibChange> changes = rib.Recompute(usable, *routing, time(nullptr));
  if (!changes.empty()) fib->Apply(changes);
  SyncKernelRoutes();
}

void Control::Impl::SyncKernelRoutes() {
  std::vector<platform::KernelRoute> desired;
  for (Table table : {Table::kInet, Table::kInet6}) {
    for (const auto& [prefix, routes] : rib.routes(table)) {
      for (const Route& r : routes) {
        if (!r.active || r.protocol != Protocol::kStatic) continue;
        StatusOr<platform::IpPrefix> kp = KernelPrefix(prefix);
        if (!kp.ok()) continue;
        platform::KernelRoute kr;
        kr.prefix = *kp;
        if (r.action == RouteAction::kDiscard || r.action == RouteAction::kReject) {
          kr.type = r.action == RouteAction::kDiscard ? platform::KernelRoute::Type::kBlackhole
                                                      : platform::KernelRoute::Type::kUnreachable;
          desired.push_back(kr);
          continue;
        }
        for (const RouteNextHop& nh : r.next_hops) {
          if (!nh.selected || nh.dp_interface >= units.size()) continue;
          kr.ifname = units[nh.dp_interface].host_name;
          kr.gateway.reset();
          if (nh.gateway) {
            StatusOr<platform::IpAddress> gw = platform::IpAddress::Parse(nh.gateway->ToString());
            if (gw.ok()) kr.gateway = *gw;
          }
          desired.push_back(kr);
        }
      }
    }
  }
  // Taps mark the kernel routes stale when they change in ways that make the kernel drop routes
  // silently; Sync re-reads then.
  if (Status s = kernel_routes->Sync(desired); !s.ok()) {
    SABINA_LOG(kWarning) << "kernel routes: " << s.message();
  }
}

void Control::Impl::Announce(ControlUnit& unit) {
  std::vector<Address> now;
  for (const auto& [address, length] : unit.addresses) now.push_back(address);
  for (const Address& a : now) {
    if (std::find(unit.announced.begin(), unit.announced.end(), a) != unit.announced.end()) {
      continue;
    }
    uint8_t payload[128];
    if (!a.v6) {
      // Gratuitous ARP: a request for our own address (RFC 5227 announcement).
      BuildArp(payload, kArpRequest, unit.mac, a.v4(), packet::MacAddr{}, a.v4());
      packet::MacAddr broadcast;
      broadcast.bytes.fill(0xff);
      if (SendFrame(unit, broadcast, packet::kEtherTypeArp, payload, 28)) ++counters.announcements;
    } else {
      size_t n = BuildNeighborAdvert(payload, a.bytes.data(), unit.mac, /*router=*/true);
      static constexpr uint8_t kAllNodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                                0,    0,    0, 0, 0, 0, 0, 1};
      if (SendFrame(unit, Ip6MulticastMac(kAllNodes), packet::kEtherTypeIp6, payload,
                    static_cast<uint32_t>(n))) {
        ++counters.announcements;
      }
    }
  }
  unit.announced = std::move(now);
}

bool Control::Impl::SetLink(uint32_t p, bool up) {
  if (up == ports[p].link_up) return false;
  SABINA_LOG(kInfo) << ports[p].name << " (" << port_info[p].device << "): link "
                    << (up ? "up" : "down");
  ports[p].link_up = up;
  ports[p].flapped = time(nullptr);
  return true;
}

void Control::Impl::ReadLinks() {
  bool changed = false;
  for (uint32_t p = 0; p < ports.size(); ++p) {
    if (port_info[p].device.empty()) continue;
    StatusOr<platform::LinkInfo> link = platform::GetLink(port_info[p].device);
    changed |= SetLink(p, link.ok() && link->carrier);
  }
  if (changed && interfaces && routing) Reapply();
}

void Control::Impl::OnLinkEvents() {
  bool changed = false;
  Status st = link_watcher->Drain([&](const platform::LinkInfo& link, bool removed) {
    for (uint32_t p = 0; p < ports.size(); ++p) {
      if (port_info[p].device == link.name) changed |= SetLink(p, !removed && link.carrier);
    }
  });
  if (changed && interfaces && routing) Reapply();
  if (!st.ok()) {
    SABINA_LOG(kWarning) << "link events: " << st.message() << "; reading every port's link";
    ReadLinks();
  }
}

}  // namespace sabina::routing
