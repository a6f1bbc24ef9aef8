#include "config/bindings/interfaces.h"

#include <cstring>
#include <string_view>
#include <unordered_map>

#include "config/bindings/util.h"

namespace sabina::config {

using bindings::Child;
using bindings::Children;
using bindings::Has;
using bindings::StatementError;
using bindings::UintValue;
using bindings::Value;

namespace {

// Empty when `text` is a usable interface address, else the reason.
std::string CheckAddress(const std::string& text, bool want_v6) {
  auto ip = bindings::ParseIp(text);
  if (!ip || ip->v6 != want_v6) return "Invalid address: " + text;
  if (ip->length < 0) return "Prefix length missing: " + text;
  const unsigned char* b = ip->bytes;
  if (!want_v6) {
    if (ip->length == 0) return "Invalid prefix length: " + text;
    if (b[0] >= 224) return "Invalid address (multicast or reserved): " + text;
    if (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) return "Invalid address: " + text;
  } else {
    if (ip->length == 0) return "Invalid prefix length: " + text;
    static const unsigned char kZero[16] = {};
    if (b[0] == 0xff) return "Invalid address (multicast): " + text;
    if (std::memcmp(b, kZero, 16) == 0) return "Invalid address: " + text;
  }
  return {};
}

}  // namespace

const PhysicalInterface* InterfaceTable::Find(std::string_view name) const {
  for (const auto& i : interfaces) {
    if (i.name == name) return &i;
  }
  return nullptr;
}

Status InterfacesFeature::Validate(const Node& effective) {
  const Node* ifs = Child(effective, "interfaces");
  if (!ifs) return Status::Ok();
  std::string errors;
  auto fail = [&](std::string e) {
    if (!errors.empty()) errors += '\n';
    errors += e;
  };
  for (const Node* ifd : Children(*ifs, "interface")) {
    if (const Node* mtu = Child(*ifd, "mtu")) {
      auto v = UintValue(*ifd, "mtu");
      if (!v || *v < kMinMtu || *v > kMaxMtu) {
        fail(StatementError(*mtu, "MTU " + mtu->value() + " is not within range (" +
                                      std::to_string(kMinMtu) + ".." + std::to_string(kMaxMtu) +
                                      ")"));
      }
    }
    const bool tagged = Has(*ifd, "vlan-tagging");
    // The IP MTU a unit gets: the media MTU less the Ethernet header (and tag).
    const uint64_t media_mtu = UintValue(*ifd, "mtu").value_or(0);  // 0: unset
    const bool sized = media_mtu >= kMinMtu && media_mtu <= kMaxMtu;
    const uint64_t ip_mtu = sized ? media_mtu - 14 - (tagged ? 4 : 0) : 1500;
    // canonical address -> unit that has it
    std::unordered_map<std::string, std::string> seen;
    for (const Node* unit : Children(*ifd, "unit")) {
      if (const Node* vid = Child(*unit, "vlan-id"); vid && !tagged) {
        fail(StatementError(*vid, "VLAN-ID can only be specified on tagged ethernet interfaces"));
      }
      const Node* family = Child(*unit, "family");
      if (!family) continue;
      for (const char* fam : {"inet", "inet6"}) {
        const Node* f = Child(*family, fam);
        if (!f) continue;
        if (std::string_view(fam) == "inet6" && ip_mtu < kMinIpv6Mtu) {
          fail(StatementError(*f, "family inet6 needs an IP MTU of at least " +
                                      std::to_string(kMinIpv6Mtu) + " (RFC 8200); interface MTU " +
                                      std::to_string(media_mtu) + " leaves " +
                                      std::to_string(ip_mtu)));
        }
        for (const Node* addr : Children(*f, "address")) {
          std::string bad = CheckAddress(addr->value(), std::string_view(fam) == "inet6");
          if (!bad.empty()) {
            fail(StatementError(*addr, bad));
            continue;
          }
          std::string key = bindings::ParseIp(addr->value())->CanonicalAddress();
          auto [it, inserted] = seen.emplace(key, unit->value());
          if (!inserted) {
            fail(StatementError(*addr, "duplicate address " + key + " on " + ifd->value() +
                                           " (also on unit " + it->second + ")"));
          }
        }
      }
    }
  }
  return errors.empty() ? Status::Ok() : Status::Error(errors);
}

Status InterfacesFeature::Prepare(const Node*, const Node& effective) {
  auto table = std::make_shared<InterfaceTable>();
  if (const Node* ifs = Child(effective, "interfaces")) {
    for (const Node* ifd : Children(*ifs, "interface")) {
      PhysicalInterface p;
      p.name = ifd->value();
      p.description = Value(*ifd, "description");
      p.disable = Has(*ifd, "disable");
      p.vlan_tagging = Has(*ifd, "vlan-tagging");
      if (auto mtu = UintValue(*ifd, "mtu")) p.mtu = static_cast<uint32_t>(*mtu);
      for (const Node* unit : Children(*ifd, "unit")) {
        LogicalUnit u;
        u.unit = static_cast<uint32_t>(bindings::ToUint(unit->value()).value_or(0));
        u.description = Value(*unit, "description");
        u.disable = Has(*unit, "disable");
        if (auto vid = UintValue(*unit, "vlan-id")) u.vlan_id = static_cast<uint16_t>(*vid);
        if (const Node* family = Child(*unit, "family")) {
          for (const char* fam : {"inet", "inet6"}) {
            const Node* f = Child(*family, fam);
            if (!f) continue;
            auto& list = std::string_view(fam) == "inet" ? u.inet : u.inet6;
            for (const Node* addr : Children(*f, "address")) {
              InterfaceAddress a;
              a.address = addr->value();
              auto ip = bindings::ParseIp(a.address);
              a.v6 = ip && ip->v6;
              a.prefix_length = ip ? ip->length : 0;
              a.primary = Has(*addr, "primary");
              a.preferred = Has(*addr, "preferred");
              list.push_back(std::move(a));
            }
          }
        }
        p.units.push_back(std::move(u));
      }
      table->interfaces.push_back(std::move(p));
    }
  }
  next_ = std::move(table);
  return Status::Ok();
}

void InterfacesFeature::Apply() {
  out_.Set(std::move(next_));
  next_.reset();
}

}  // namespace sabina::config
