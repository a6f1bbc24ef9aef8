// libFuzzer target for neighbour resolution: the ARP and ND parsers (ParseArp, ParseNd) on
// punted bytes, and the Neighbors state machine fed the way the control thread feeds it
// (control_io.cc HandleArp/HandleNd: the same evidence rules), interleaved with packets waiting
// for resolution, timer ticks and clears. Checks, besides ASan/UBSan:
//   - Resolved/Removed are consistent: Removed only for an address announced by Resolved and
//     not removed since; every announced entry exists, with the announced MAC;
//   - no entry is learned with a zero or multicast MAC, or for one of our addresses;
//   - the table stays bounded: entries never outnumber the distinct addresses the run named;
//     at most kMaxQueued packets wait per entry (Send never delivers more);
//   - what BuildArp/BuildNeighborSolicit/BuildNeighborAdvert write parses back.
//
// Input: records [kind][length: 2 bytes, big endian][bytes] (a short last record takes what is
// left). kind & 7: 0 ARP payload, 1 IPv6 ND packet (bit 7: fix its ICMPv6 checksum first so
// the option parser is reached), 2 resolve (4 or 16 address bytes, then the packet), 3 tick
// (the first two bytes: milliseconds to advance), 4 clear. (kind >> 3) % 3 is the interface.
// Seeds: tests/fuzz/neighbor_fuzz/.
//
// Thread: libFuzzer's single thread.
#include <arpa/inet.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "packet/headers.h"
#include "routing/neighbor.h"
#include "routing/prefix.h"

namespace {

using namespace sabina;
using routing::Address;
using routing::Neighbors;

constexpr uint32_t kInterfaces = 3;
constexpr uint32_t kRecords = 256;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "neighbor_fuzz: %s\n", what);
  std::abort();
}

// Our addresses per interface (IsOurAddress in control_io.cc).
const Address& Ours(uint32_t itf, bool v6) {
  static const Address v4s[kInterfaces] = {*Address::Parse("192.0.2.1"),
                                           *Address::Parse("198.51.100.1"),
                                           *Address::Parse("203.0.113.1")};
  static const Address v6s[kInterfaces] = {*Address::Parse("2001:db8:1::1"),
                                           *Address::Parse("2001:db8:2::1"),
                                           *Address::Parse("2001:db8:3::1")};
  return v6 ? v6s[itf] : v4s[itf];
}
bool IsOurs(uint32_t itf, const Address& a) { return a == Ours(itf, a.v6); }

class RecordingIo : public Neighbors::Io {
 public:
  void Solicit(uint32_t interface, const Address&) override {
    if (interface >= kInterfaces) Fail("solicit on an unknown interface");
  }
  void Resolved(uint32_t interface, const Address& address,
                const packet::MacAddr& mac) override {
    if (mac.IsZero() || mac.IsMulticast()) Fail("resolved to a zero or multicast MAC");
    if (IsOurs(interface, address)) Fail("resolved one of our own addresses");
    announced[{interface, address}] = mac;
  }
  void Removed(uint32_t interface, const Address& address) override {
    if (announced.erase({interface, address}) == 0) Fail("removed what was never resolved");
  }
  void Send(uint32_t interface, const packet::MacAddr& mac, bool,
            const std::vector<uint8_t>&) override {
    if (interface >= kInterfaces || mac.IsZero() || mac.IsMulticast()) Fail("bad send");
    ++sent;
  }
  std::map<std::pair<uint32_t, Address>, packet::MacAddr> announced;
  uint64_t sent = 0;
};

void HandleArp(Neighbors& n, int64_t now, uint32_t itf, const uint8_t* p, size_t len) {
  std::optional<routing::ArpInfo> arp = routing::ParseArp(p, len);
  if (!arp || arp->spa == 0) return;
  // A parsed message builds back to the same bytes.
  uint8_t again[sizeof(packet::ArpHeader)];
  routing::BuildArp(again, arp->op, arp->sha, arp->spa, arp->tha, arp->tpa);
  if (std::memcmp(again, p, sizeof(again)) != 0) Fail("BuildArp(ParseArp(x)) != x");
  const Address sender = Address::FromV4(arp->spa);
  Neighbors::Evidence evidence;
  if (arp->op == routing::kArpReply) {
    evidence = Neighbors::Evidence::kReply;
  } else if (arp->op == routing::kArpRequest && IsOurs(itf, Address::FromV4(arp->tpa))) {
    evidence = Neighbors::Evidence::kRequestForUs;
  } else if (arp->op == routing::kArpRequest && arp->spa == arp->tpa) {
    evidence = Neighbors::Evidence::kUnsolicited;
  } else {
    return;
  }
  if (IsOurs(itf, sender)) return;
  n.Learn(now, itf, sender, arp->sha, evidence);
}

void FixNdChecksum(uint8_t* p, size_t len) {
  if (len < sizeof(packet::Ip6Header) + 4) return;
  packet::Ip6Header ip;
  std::memcpy(&ip, p, sizeof(ip));
  size_t payload = std::min<size_t>(ntohs(ip.payload_length), len - sizeof(ip));
  if (payload < 4) return;
  uint8_t* icmp = p + sizeof(ip);
  icmp[2] = icmp[3] = 0;
  uint16_t sum = packet::Checksum6(ip, packet::kProtoIcmp6, icmp, static_cast<uint32_t>(payload));
  std::memcpy(icmp + 2, &sum, 2);
}

void HandleNd(Neighbors& n, int64_t now, uint32_t itf, const uint8_t* p, size_t len) {
  std::optional<routing::NdInfo> nd = routing::ParseNd(p, len);
  if (!nd) return;
  if (nd->type < routing::kIcmp6RouterSolicit || nd->type > routing::kIcmp6Redirect) {
    Fail("ParseNd accepted a type that is not ND");
  }
  Address target;
  target.v6 = true;
  target.bytes = nd->target;
  if (nd->type == routing::kIcmp6NeighborSolicit) {
    static constexpr std::array<uint8_t, 16> kUnspecified{};
    if (nd->source == kUnspecified || !nd->link_layer || !IsOurs(itf, target)) return;
    Address source;
    source.v6 = true;
    source.bytes = nd->source;
    // control_io.cc does not check this; Neighbors must stay consistent anyway.
    if (IsOurs(itf, source)) return;
    n.Learn(now, itf, source, *nd->link_layer, Neighbors::Evidence::kRequestForUs);
  } else if (nd->type == routing::kIcmp6NeighborAdvert) {
    std::optional<packet::MacAddr> mac = nd->link_layer;
    if (!mac) {
      const routing::NeighborEntry* e = n.Find(itf, target);
      if (e == nullptr || e->state == routing::NeighborState::kIncomplete) return;
      mac = e->mac;
    }
    if (IsOurs(itf, target)) return;
    if (nd->solicited) {
      n.Learn(now, itf, target, *mac, Neighbors::Evidence::kReply, nd->router);
    } else if (nd->override_flag) {
      n.Learn(now, itf, target, *mac, Neighbors::Evidence::kUnsolicited, nd->router);
    }
  }
}

// The builders' output parses back to what was built.
void CheckBuilders(const uint8_t* d, size_t size) {
  if (size < 32) return;
  packet::MacAddr mac;
  std::memcpy(mac.bytes.data(), d, 6);
  uint8_t src[16], target[16], out[128];
  std::memcpy(src, d + 6, 16);
  std::memcpy(target, d + 16, 16);
  size_t n = routing::BuildNeighborSolicit(out, src, target, mac);
  auto ns = routing::ParseNd(out, n);
  if (!ns || ns->type != routing::kIcmp6NeighborSolicit || !ns->link_layer ||
      *ns->link_layer != mac || std::memcmp(ns->target.data(), target, 16) != 0) {
    Fail("BuildNeighborSolicit does not parse back");
  }
  n = routing::BuildNeighborAdvert(out, target, mac, d[0] & 1);
  auto na = routing::ParseNd(out, n);
  if (!na || na->type != routing::kIcmp6NeighborAdvert || !na->link_layer ||
      *na->link_layer != mac || na->router != (d[0] & 1) || !na->override_flag) {
    Fail("BuildNeighborAdvert does not parse back");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckBuilders(data, size);
  RecordingIo io;
  Neighbors n(io, Neighbors::Timers{});
  int64_t now = 1000;
  uint64_t resolves = 0;
  std::set<std::pair<uint32_t, Address>> named;  // every (interface, address) the run mentions
  std::vector<uint8_t> buf;
  uint32_t records = 0;
  for (size_t at = 0; at + 3 <= size && records < kRecords; ++records) {
    const uint8_t kind = data[at];
    const size_t want = static_cast<size_t>(data[at + 1]) << 8 | data[at + 2];
    at += 3;
    const size_t len = std::min(want, size - at);
    buf.assign(data + at, data + at + len);
    at += len;
    const uint32_t itf = (kind >> 3) % kInterfaces;
    switch (kind & 7) {
      case 0:
        if (len >= 28) {
          uint32_t spa;
          std::memcpy(&spa, buf.data() + 14, 4);
          named.insert({itf, Address::FromV4(ntohl(spa))});
        }
        HandleArp(n, now, itf, buf.data(), len);
        break;
      case 1: {
        if (kind & 0x80) FixNdChecksum(buf.data(), len);
        if (len >= 40) {
          Address a;
          a.v6 = true;
          std::memcpy(a.bytes.data(), buf.data() + 8, 16);
          named.insert({itf, a});
        }
        if (len >= 64) {
          Address a;
          a.v6 = true;
          std::memcpy(a.bytes.data(), buf.data() + 48, 16);
          named.insert({itf, a});
        }
        HandleNd(n, now, itf, buf.data(), len);
        break;
      }
      case 2: {
        Address a;
        a.v6 = (kind & 0x80) != 0;
        const size_t alen = a.v6 ? 16 : 4;
        if (len < alen) break;
        std::memcpy(a.bytes.data(), buf.data(), alen);
        if (IsOurs(itf, a)) break;  // the FIB has a local route there: never punted to resolve
        named.insert({itf, a});
        ++resolves;
        n.Resolve(now, itf, a, buf.data() + alen, static_cast<uint32_t>(len - alen));
        break;
      }
      case 3: {
        int64_t step = len >= 2 ? (buf[0] << 8 | buf[1]) : 100;
        now += step;
        n.Tick(now);
        break;
      }
      case 4: {
        std::optional<bool> v6;
        if (len >= 1 && (buf[0] & 1)) v6 = (buf[0] & 2) != 0;
        std::optional<uint32_t> which;
        if (len >= 1 && (buf[0] & 4)) which = itf;
        n.Clear(v6, which, std::nullopt);
        break;
      }
      default:
        now += 50;
        n.Tick(now);
        break;
    }

    std::vector<routing::NeighborEntry> entries = n.Entries();
    if (entries.size() > named.size()) Fail("more entries than addresses named");
    for (const auto& e : entries) {
      if (e.interface >= kInterfaces) Fail("entry on an unknown interface");
      if (n.Find(e.interface, e.address) == nullptr) Fail("Entries() lists what Find misses");
      auto it = io.announced.find({e.interface, e.address});
      if (e.state == routing::NeighborState::kIncomplete) {
        if (it != io.announced.end()) Fail("an incomplete entry is still announced resolved");
      } else if (it == io.announced.end() || it->second != e.mac) {
        Fail("a resolved entry's MAC was not announced");
      }
    }
    if (io.announced.size() > entries.size()) Fail("announced entries that no longer exist");
  }
  // Each resolve queues at most one packet, so no more than that many can be sent.
  if (io.sent > resolves) Fail("sent more queued packets than were queued");
  if (n.counters().queued > resolves) Fail("queued more than were resolved");
  return 0;
}
