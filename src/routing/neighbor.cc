#include "routing/neighbor.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>

namespace sabina::routing {

const char* NeighborStateName(NeighborState state) {
  switch (state) {
    case NeighborState::kIncomplete:
      return "incomplete";
    case NeighborState::kReachable:
      return "reachable";
    case NeighborState::kStale:
      return "stale";
  }
  return "?";
}

Neighbors::Timers Neighbors::Timers::FromEnvironment() {
  Timers t;
  if (const char* s = std::getenv("SABINA_TEST_ARP_AGING_SECONDS"); s != nullptr && *s != '\0') {
    long seconds = std::strtol(s, nullptr, 10);
    if (seconds > 0) {
      t.arp_aging_ms = seconds * 1000;
      if (t.nd_reachable_ms > t.arp_aging_ms) t.nd_reachable_ms = t.arp_aging_ms;
    }
  }
  return t;
}

void Neighbors::Resolve(int64_t now_ms, uint32_t interface, const Address& address,
                        const uint8_t* packet, uint32_t length) {
  if (entries_.size() >= kMaxEntries && !entries_.contains(Key{interface, address})) {
    ++counters_.table_full_drops;
    return;
  }
  auto [it, inserted] = entries_.try_emplace(Key{interface, address});
  Entry& entry = it->second;
  if (inserted) {
    entry.e.interface = interface;
    entry.e.address = address;
    entry.e.state = NeighborState::kIncomplete;
    entry.e.expires_ms = now_ms + timers_.retransmit_ms;
    entry.requests = 1;
    ++counters_.requests_sent;
    io_.Solicit(interface, address);
  }
  if (entry.e.state != NeighborState::kIncomplete) {
    io_.Send(interface, entry.e.mac, address.v6, std::vector<uint8_t>(packet, packet + length));
    return;
  }
  if (entry.queue.size() >= kMaxQueued || queued_bytes_ + length > kMaxQueuedBytes) {
    ++counters_.queue_full_drops;
    return;
  }
  ++counters_.queued;
  queued_bytes_ += length;
  entry.queue.emplace_back(packet, packet + length);
}

void Neighbors::SetReachable(int64_t now_ms, Entry& entry, bool stale) {
  entry.requests = 0;
  entry.e.confirmed_ms = now_ms;
  if (stale) {
    entry.e.state = NeighborState::kStale;
    entry.e.expires_ms = now_ms + timers_.arp_aging_ms;
  } else {
    entry.e.state = NeighborState::kReachable;
    entry.e.expires_ms =
        now_ms + (entry.e.address.v6 ? timers_.nd_reachable_ms : timers_.arp_aging_ms);
  }
}

void Neighbors::SendQueue(Entry& entry) {
  for (const std::vector<uint8_t>& p : entry.queue) {
    io_.Send(entry.e.interface, entry.e.mac, entry.e.address.v6, p);
    queued_bytes_ -= p.size();
  }
  entry.queue.clear();
}

void Neighbors::Learn(int64_t now_ms, uint32_t interface, const Address& address,
                      const packet::MacAddr& mac, Evidence evidence, bool router) {
  if (mac.IsZero() || mac.IsMulticast()) return;
  auto it = entries_.find(Key{interface, address});
  if (it == entries_.end()) {
    if (evidence != Evidence::kRequestForUs) return;
    if (entries_.size() >= kMaxEntries) {
      ++counters_.table_full_drops;
      return;
    }
    it = entries_.try_emplace(Key{interface, address}).first;
    Entry& entry = it->second;
    entry.e.interface = interface;
    entry.e.address = address;
    entry.e.mac = mac;
    entry.e.router = router;
    // RFC 4861 section 7.2.3: an NS creates a stale entry (unconfirmed reachability); an ARP
    // request is Linux's and Junos' proof enough.
    SetReachable(now_ms, entry, address.v6);
    io_.Resolved(interface, address, mac);
    return;
  }
  Entry& entry = it->second;
  bool was_incomplete = entry.e.state == NeighborState::kIncomplete;
  bool changed = was_incomplete || entry.e.mac != mac;
  entry.e.mac = mac;
  if (address.v6 && evidence != Evidence::kRequestForUs) entry.e.router = router;
  switch (evidence) {
    case Evidence::kReply:
      SetReachable(now_ms, entry, false);
      break;
    case Evidence::kRequestForUs:
    case Evidence::kUnsolicited:
      // IPv4: the neighbour spoke, so it is there. IPv6: only a solicited NA confirms
      // reachability; other evidence makes a new or changed entry stale (RFC 4861 7.2.3/7.2.5).
      if (!address.v6) {
        SetReachable(now_ms, entry, false);
      } else if (changed) {
        SetReachable(now_ms, entry, true);
      }
      break;
  }
  if (changed) io_.Resolved(interface, address, mac);
  if (was_incomplete) SendQueue(entry);
}

Neighbors::Map::iterator Neighbors::Erase(Map::iterator it) {
  Entry& entry = it->second;
  for (const std::vector<uint8_t>& p : entry.queue) queued_bytes_ -= p.size();
  if (entry.e.state == NeighborState::kIncomplete) {
    counters_.unresolved_drops += entry.queue.size();
  } else {
    io_.Removed(entry.e.interface, entry.e.address);
  }
  return entries_.erase(it);
}

void Neighbors::Tick(int64_t now_ms) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    Entry& entry = it->second;
    NeighborEntry& e = entry.e;
    if (e.expires_ms > now_ms) {
      ++it;
      continue;
    }
    switch (e.state) {
      case NeighborState::kIncomplete:
        if (entry.requests >= timers_.max_requests) {
          ++counters_.resolution_failures;
          it = Erase(it);
          continue;
        }
        ++entry.requests;
        ++counters_.requests_sent;
        io_.Solicit(e.interface, e.address);
        e.expires_ms = now_ms + timers_.retransmit_ms;
        break;
      case NeighborState::kReachable:
        if (e.address.v6) {
          e.state = NeighborState::kStale;
          e.expires_ms = e.confirmed_ms + timers_.arp_aging_ms;
          if (e.expires_ms > now_ms) break;
        }
        it = Erase(it);
        continue;
      case NeighborState::kStale:
        it = Erase(it);
        continue;
    }
    ++it;
  }
}

void Neighbors::Clear(std::optional<bool> v6, std::optional<uint32_t> interface,
                      std::optional<Address> address) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    const NeighborEntry& e = it->second.e;
    bool match = (!v6 || e.address.v6 == *v6) && (!interface || e.interface == *interface) &&
                 (!address || e.address == *address);
    it = match ? Erase(it) : std::next(it);
  }
}

std::vector<NeighborEntry> Neighbors::Entries() const {
  std::vector<NeighborEntry> out;
  out.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) out.push_back(entry.e);
  return out;
}

const NeighborEntry* Neighbors::Find(uint32_t interface, const Address& address) const {
  auto it = entries_.find(Key{interface, address});
  return it == entries_.end() ? nullptr : &it->second.e;
}

// --- wire formats --------------------------------------------------------------------------

size_t BuildArp(uint8_t* out, uint16_t op, const packet::MacAddr& sha, uint32_t spa,
                const packet::MacAddr& tha, uint32_t tpa) {
  packet::ArpHeader arp;
  arp.htype = htons(1);
  arp.ptype = htons(packet::kEtherTypeIp4);
  arp.hlen = 6;
  arp.plen = 4;
  arp.op = htons(op);
  std::memcpy(arp.sha, sha.bytes.data(), 6);
  uint32_t n = htonl(spa);
  std::memcpy(arp.spa, &n, 4);
  std::memcpy(arp.tha, tha.bytes.data(), 6);
  n = htonl(tpa);
  std::memcpy(arp.tpa, &n, 4);
  std::memcpy(out, &arp, sizeof(arp));
  return sizeof(arp);
}

std::optional<ArpInfo> ParseArp(const uint8_t* data, size_t length) {
  packet::ArpHeader arp;
  if (length < sizeof(arp)) return std::nullopt;
  std::memcpy(&arp, data, sizeof(arp));
  if (ntohs(arp.htype) != 1 || ntohs(arp.ptype) != packet::kEtherTypeIp4 || arp.hlen != 6 ||
      arp.plen != 4) {
    return std::nullopt;
  }
  ArpInfo info;
  info.op = ntohs(arp.op);
  std::memcpy(info.sha.bytes.data(), arp.sha, 6);
  std::memcpy(info.tha.bytes.data(), arp.tha, 6);
  uint32_t n;
  std::memcpy(&n, arp.spa, 4);
  info.spa = ntohl(n);
  std::memcpy(&n, arp.tpa, 4);
  info.tpa = ntohl(n);
  return info;
}

packet::MacAddr Ip6MulticastMac(const uint8_t group[16]) {
  packet::MacAddr m;
  m.bytes = {0x33, 0x33, group[12], group[13], group[14], group[15]};
  return m;
}

namespace {

// An IPv6 header + 32 bytes of ICMPv6 (NS/NA: type, code, checksum, flags/reserved, target,
// one 8-byte link-layer address option).
constexpr size_t kNdLength = sizeof(packet::Ip6Header) + 32;

size_t BuildNd(uint8_t* out, uint8_t type, uint32_t flags, const uint8_t source[16],
               const uint8_t destination[16], const uint8_t target[16],
               const packet::MacAddr& mac) {
  packet::Ip6Header ip6{};
  ip6.vtc_flow = htonl(6u << 28);
  ip6.payload_length = htons(32);
  ip6.next_header = packet::kProtoIcmp6;
  ip6.hop_limit = 255;
  std::memcpy(ip6.src, source, 16);
  std::memcpy(ip6.dst, destination, 16);
  uint8_t icmp[32] = {};
  icmp[0] = type;
  uint32_t f = htonl(flags);
  std::memcpy(icmp + 4, &f, 4);
  std::memcpy(icmp + 8, target, 16);
  icmp[24] = type == kIcmp6NeighborSolicit ? 1 : 2;  // source / target link-layer address
  icmp[25] = 1;                                      // length in units of 8 bytes
  std::memcpy(icmp + 26, mac.bytes.data(), 6);
  uint16_t sum = packet::Checksum6(ip6, packet::kProtoIcmp6, icmp, sizeof(icmp));
  std::memcpy(icmp + 2, &sum, 2);
  std::memcpy(out, &ip6, sizeof(ip6));
  std::memcpy(out + sizeof(ip6), icmp, sizeof(icmp));
  return kNdLength;
}

}  // namespace

size_t BuildNeighborSolicit(uint8_t* out, const uint8_t source[16], const uint8_t target[16],
                            const packet::MacAddr& mac) {
  uint8_t destination[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
  std::memcpy(destination + 13, target + 13, 3);
  return BuildNd(out, kIcmp6NeighborSolicit, 0, source, destination, target, mac);
}

size_t BuildNeighborAdvert(uint8_t* out, const uint8_t target[16], const packet::MacAddr& mac,
                           bool router) {
  static constexpr uint8_t kAllNodes[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  uint32_t flags = (router ? 0x80000000u : 0) | 0x20000000u;  // R, O
  return BuildNd(out, kIcmp6NeighborAdvert, flags, target, kAllNodes, target, mac);
}

std::optional<NdInfo> ParseNd(const uint8_t* data, size_t length) {
  packet::Ip6Header ip6;
  if (length < sizeof(ip6) + 8) return std::nullopt;
  std::memcpy(&ip6, data, sizeof(ip6));
  if ((ntohl(ip6.vtc_flow) >> 28) != 6 || ip6.next_header != packet::kProtoIcmp6 ||
      ip6.hop_limit != 255) {
    return std::nullopt;
  }
  size_t payload = ntohs(ip6.payload_length);
  if (payload < 8 || sizeof(ip6) + payload > length) return std::nullopt;
  const uint8_t* icmp = data + sizeof(ip6);
  if (packet::Checksum6(ip6, packet::kProtoIcmp6, icmp, static_cast<uint32_t>(payload)) != 0) {
    return std::nullopt;
  }
  NdInfo info;
  info.type = icmp[0];
  if (info.type < kIcmp6RouterSolicit || info.type > kIcmp6Redirect || icmp[1] != 0) {
    return std::nullopt;
  }
  std::memcpy(info.source.data(), ip6.src, 16);
  std::memcpy(info.destination.data(), ip6.dst, 16);
  size_t options = 8;  // RS: type, code, checksum, reserved
  switch (info.type) {
    case kIcmp6RouterAdvert:
      options = 16;
      break;
    case kIcmp6NeighborSolicit:
    case kIcmp6NeighborAdvert:
      options = 24;
      break;
    case kIcmp6Redirect:
      options = 40;
      break;
    default:
      break;
  }
  if (payload < options) return std::nullopt;
  if (info.type == kIcmp6NeighborSolicit || info.type == kIcmp6NeighborAdvert ||
      info.type == kIcmp6Redirect) {
    std::memcpy(info.target.data(), icmp + 8, 16);
  }
  if (info.type == kIcmp6NeighborAdvert) {
    info.router = (icmp[4] & 0x80) != 0;
    info.solicited = (icmp[4] & 0x40) != 0;
    info.override_flag = (icmp[4] & 0x20) != 0;
  }
  uint8_t wanted = info.type == kIcmp6NeighborAdvert || info.type == kIcmp6Redirect ? 2 : 1;
  for (size_t off = options; off + 2 <= payload;) {
    size_t len = icmp[off + 1] * 8u;
    if (len == 0 || off + len > payload) return std::nullopt;  // RFC 4861 4.6: drop
    if (icmp[off] == wanted && len >= 8) {
      packet::MacAddr mac;
      std::memcpy(mac.bytes.data(), icmp + off + 2, 6);
      info.link_layer = mac;
    }
    off += len;
  }
  return info;
}

}  // namespace sabina::routing
