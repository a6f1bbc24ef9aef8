// Control: frames between the data plane and the host interfaces, and the neighbour manager's
// I/O. Punted frames for the router go to the receiving unit's tap (the kernel answers ping,
// ARP and NS for our addresses); frames the kernel writes to a tap leave by the unit's port on
// the control queue with the unit's VLAN tag; ARP and ND are also learned from, and the
// neighbour manager's requests and queued packets are sent from here.
#include <arpa/inet.h>
#include <unistd.h>

#include <cstring>

#include "base/log.h"
#include "routing/control_impl.h"

namespace sabina::routing {
namespace {

constexpr uint32_t kEthernetHeader = 14;
// Frames read from one tap per wake-up, so one busy tap cannot starve the punt rings.
constexpr int kTapBurst = 64;

uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return ntohs(v);
}

}  // namespace

void Control::Impl::DrainPunts() {
  uint64_t n;
  (void)!read(dataplane->punt_eventfd(), &n, sizeof(n));
  for (uint32_t w = 0; w < dataplane->worker_count(); ++w) {
    dp::PuntRing& ring = dataplane->punt(w);
    while (const dp::PuntSlot* slot = ring.Peek()) {
      HandlePunt(*slot);
      ring.Release();
    }
  }
}

void Control::Impl::HandlePunt(const dp::PuntSlot& slot) {
  ControlUnit* unit = slot.interface < units.size() && units[slot.interface].active
                          ? &units[slot.interface]
                          : nullptr;
  if (slot.reason == dp::PuntReason::kResolve) {
    if (unit == nullptr || !unit->up) {
      ++counters.resolve_drops;
      return;
    }
    Address address;
    address.v6 = slot.v6;
    std::memcpy(address.bytes.data(), slot.address, slot.v6 ? 16 : 4);
    neighbors->Resolve(NowMs(), slot.interface, address, slot.data, slot.length);
    return;
  }
  if (unit == nullptr) {
    ++counters.host_drops;
    return;
  }
  if (slot.reason == dp::PuntReason::kArp) HandleArp(*unit, slot);
  if (slot.reason == dp::PuntReason::kNd) HandleNd(*unit, slot);
  // Everything punted also goes to the kernel: it answers for our addresses and keeps its own
  // neighbour cache for the traffic it originates.
  if (!unit->tap || !unit->up || !unit->tap->Write(slot.data, slot.length)) {
    ++counters.host_drops;
    return;
  }
  ++counters.host_packets;
}

void Control::Impl::HandleArp(ControlUnit& unit, const dp::PuntSlot& slot) {
  if (slot.length < kEthernetHeader || Load16(slot.data + 12) != packet::kEtherTypeArp) return;
  std::optional<ArpInfo> arp = ParseArp(slot.data + kEthernetHeader, slot.length - kEthernetHeader);
  if (!arp || arp->spa == 0) return;  // probes (RFC 5227) teach nothing
  uint32_t index = static_cast<uint32_t>(&unit - units.data());
  Address sender = Address::FromV4(arp->spa);
  Neighbors::Evidence evidence;
  if (arp->op == kArpReply) {
    evidence = Neighbors::Evidence::kReply;
  } else if (arp->op == kArpRequest && IsOurAddress(unit, Address::FromV4(arp->tpa))) {
    evidence = Neighbors::Evidence::kRequestForUs;
  } else if (arp->op == kArpRequest && arp->spa == arp->tpa) {
    evidence = Neighbors::Evidence::kUnsolicited;
  } else {
    return;
  }
  if (IsOurAddress(unit, sender)) return;  // someone else claims our address: not a neighbour
  // Only neighbours on one of the unit's subnets become entries (as VPP does): a flood of
  // requests from random senders must not fill the tables.
  if (!IsOnLink(unit, sender)) return;
  neighbors->Learn(NowMs(), index, sender, arp->sha, evidence);
}

void Control::Impl::HandleNd(ControlUnit& unit, const dp::PuntSlot& slot) {
  if (slot.length < kEthernetHeader || Load16(slot.data + 12) != packet::kEtherTypeIp6) return;
  std::optional<NdInfo> nd = ParseNd(slot.data + kEthernetHeader, slot.length - kEthernetHeader);
  if (!nd) return;
  uint32_t index = static_cast<uint32_t>(&unit - units.data());
  int64_t now = NowMs();
  if (nd->type == kIcmp6NeighborSolicit) {
    static constexpr std::array<uint8_t, 16> kUnspecified{};
    if (nd->source == kUnspecified || !nd->link_layer) return;  // DAD
    Address target;
    target.v6 = true;
    target.bytes = nd->target;
    if (!IsOurAddress(unit, target)) return;
    Address source;
    source.v6 = true;
    source.bytes = nd->source;
    if (!IsOnLink(unit, source)) return;
    neighbors->Learn(now, index, source, *nd->link_layer, Neighbors::Evidence::kRequestForUs);
  } else if (nd->type == kIcmp6NeighborAdvert) {
    Address target;
    target.v6 = true;
    target.bytes = nd->target;
    std::optional<packet::MacAddr> mac = nd->link_layer;
    if (!mac) {
      // A solicited NA may omit the option (RFC 4861 7.2.4): it confirms the MAC we have.
      const NeighborEntry* e = neighbors->Find(index, target);
      if (e == nullptr || e->state == NeighborState::kIncomplete) return;
      mac = e->mac;
    }
    if (nd->solicited) {
      neighbors->Learn(now, index, target, *mac, Neighbors::Evidence::kReply, nd->router);
    } else if (nd->override_flag) {
      neighbors->Learn(now, index, target, *mac, Neighbors::Evidence::kUnsolicited, nd->router);
    }
  }
}

void Control::Impl::ReadTap(uint32_t index) {
  if (index >= units.size() || !units[index].tap) return;
  ControlUnit& unit = units[index];
  uint8_t frame[packet::kMaxFrameBytes];
  for (int i = 0; i < kTapBurst; ++i) {
    ssize_t n = unit.tap->Read(frame, sizeof(frame));
    if (n <= 0) return;
    uint32_t length = static_cast<uint32_t>(n);
    if (length < kEthernetHeader || length > unit.mtu + kEthernetHeader) {
      ++counters.tap_drops;
      continue;
    }
    packet::MacAddr dst;
    std::memcpy(dst.bytes.data(), frame, 6);
    if (SendFrame(unit, dst, Load16(frame + 12), frame + kEthernetHeader,
                  length - kEthernetHeader)) {
      ++counters.tap_packets;
    } else {
      ++counters.tap_drops;
    }
  }
}

bool Control::Impl::SendFrame(ControlUnit& unit, const packet::MacAddr& dst,
                              uint16_t ether_type, const uint8_t* payload, uint32_t length) {
  if (!unit.active || !unit.up || length > unit.mtu) return false;
  packet::Buffer* b = dataplane->control_pool().Alloc();
  if (b == nullptr) return false;
  uint32_t l2 = unit.vlan != 0 ? 18 : 14;
  uint8_t* p = b->data();
  std::memcpy(p, dst.bytes.data(), 6);
  std::memcpy(p + 6, unit.mac.bytes.data(), 6);
  uint16_t type = htons(ether_type);
  if (unit.vlan != 0) {
    uint16_t tpid = htons(packet::kEtherTypeVlan), tci = htons(unit.vlan);
    std::memcpy(p + 12, &tpid, 2);
    std::memcpy(p + 14, &tci, 2);
    std::memcpy(p + 16, &type, 2);
  } else {
    std::memcpy(p + 12, &type, 2);
  }
  std::memcpy(p + l2, payload, length);
  b->length = l2 + length;
  // Ethernet's minimum frame (60 bytes without FCS): pad short ARP frames.
  if (b->length < 60) {
    std::memset(p + b->length, 0, 60 - b->length);
    b->length = 60;
  }
  ++unit.host_tx_packets;
  unit.host_tx_bytes += b->length;
  dataplane->ControlTransmit(unit.port, b);
  return true;
}

bool Control::Impl::IsOurAddress(const ControlUnit& unit, const Address& a) const {
  for (const auto& [address, length] : unit.addresses) {
    if (address == a) return true;
  }
  return false;
}

bool Control::Impl::IsOnLink(const ControlUnit& unit, const Address& a) const {
  if (a.v6 && a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80) return true;  // fe80::/10
  for (const auto& [address, length] : unit.addresses) {
    if (address.v6 == a.v6 && Prefix::Make(address, length).Contains(a)) return true;
  }
  return false;
}

std::optional<Address> Control::Impl::SourceFor(const ControlUnit& unit,
                                                const Address& target) const {
  std::optional<Address> first;
  for (const auto& [address, length] : unit.addresses) {
    if (address.v6 != target.v6) continue;
    if (Prefix::Make(address, length).Contains(target)) return address;
    if (!first) first = address;
  }
  if (first || !target.v6) return first;
  // The kernel's EUI-64 link-local of the tap (same MAC), which is the unit's link-local.
  Address ll;
  ll.v6 = true;
  ll.bytes = {0xfe,
              0x80,
              0,
              0,
              0,
              0,
              0,
              0,
              static_cast<uint8_t>(unit.mac.bytes[0] ^ 0x02),
              unit.mac.bytes[1],
              unit.mac.bytes[2],
              0xff,
              0xfe,
              unit.mac.bytes[3],
              unit.mac.bytes[4],
              unit.mac.bytes[5]};
  return ll;
}

void Control::Impl::Solicit(uint32_t interface, const Address& target) {
  if (interface >= units.size()) return;
  ControlUnit& unit = units[interface];
  std::optional<Address> source = SourceFor(unit, target);
  if (!source) return;
  uint8_t payload[128];
  if (!target.v6) {
    packet::MacAddr broadcast;
    broadcast.bytes.fill(0xff);
    BuildArp(payload, kArpRequest, unit.mac, source->v4(), packet::MacAddr{}, target.v4());
    SendFrame(unit, broadcast, packet::kEtherTypeArp, payload, 28);
    return;
  }
  size_t n = BuildNeighborSolicit(payload, source->bytes.data(), target.bytes.data(), unit.mac);
  // The NS goes to the target's solicited-node group (IPv6 destination at offset 24).
  SendFrame(unit, Ip6MulticastMac(payload + 24), packet::kEtherTypeIp6, payload,
            static_cast<uint32_t>(n));
}

void Control::Impl::Resolved(uint32_t interface, const Address& address,
                             const packet::MacAddr& mac) {
  auto key = std::make_pair(interface, address);
  auto it = neighbor_adjacencies.find(key);
  if (it == neighbor_adjacencies.end()) {
    uint32_t adj = fib->AdjacencyFor(interface, address);
    if (adj == fib::kNoAdjacency) {
      SABINA_LOG(kWarning) << "adjacency table full: " << address.ToString() << " not installed";
      return;
    }
    it = neighbor_adjacencies.emplace(key, adj).first;
  }
  dataplane->tables()
      .adjacencies.mutable_entry(it->second)
      .mac.store(fib::kMacValid | mac.ToU64(), std::memory_order_release);
  fib->SetNeighborRoute(interface, address, true);
}

void Control::Impl::Removed(uint32_t interface, const Address& address) {
  auto it = neighbor_adjacencies.find(std::make_pair(interface, address));
  if (it == neighbor_adjacencies.end()) return;
  fib->SetNeighborRoute(interface, address, false);
  // Routes through this neighbour (static next hops) keep the adjacency; unresolved, their
  // packets are punted for resolution again.
  dataplane->tables().adjacencies.mutable_entry(it->second).mac.store(0, std::memory_order_release);
  fib->ReleaseAdjacency(it->second);
  neighbor_adjacencies.erase(it);
}

void Control::Impl::Send(uint32_t interface, const packet::MacAddr& mac, bool v6,
                         const std::vector<uint8_t>& packet) {
  if (interface >= units.size()) return;
  if (!SendFrame(units[interface], mac, v6 ? packet::kEtherTypeIp6 : packet::kEtherTypeIp4,
                 packet.data(), static_cast<uint32_t>(packet.size()))) {
    ++counters.resolve_drops;
  }
}

}  // namespace sabina::routing
