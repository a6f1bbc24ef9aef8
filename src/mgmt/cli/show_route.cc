#include "mgmt/cli/show_route.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

#include "mgmt/cli/show_common.h"

namespace sabina::mgmt::cli {

namespace {

// The routes of one destination, in the table's order (active first).
struct Destination {
  PrefixText prefix;
  std::string text;
  std::vector<const RouteView*> routes;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<Destination> Destinations(const RouteTableView& table) {
  std::vector<Destination> out;
  std::map<std::string, size_t> index;
  for (const RouteView& r : table.routes) {
    std::optional<PrefixText> p = PrefixText::Parse(r.prefix);
    if (!p) continue;
    std::string key = p->Network().ToString();
    auto [it, inserted] = index.emplace(key, out.size());
    if (inserted) out.push_back({p->Network(), key, {}});
    out[it->second].routes.push_back(&r);
  }
  std::sort(out.begin(), out.end(), [](const Destination& a, const Destination& b) {
    return PrefixLess(a.prefix, b.prefix);
  });
  for (Destination& d : out) {
    std::stable_sort(d.routes.begin(), d.routes.end(), [](const RouteView* a, const RouteView* b) {
      if (a->active != b->active) return a->active;
      return a->preference < b->preference;
    });
  }
  return out;
}

std::string TableHeader(const RouteTableView& table, const std::vector<Destination>& all) {
  size_t active = 0, hidden = 0;
  for (const RouteView& r : table.routes) {
    active += r.active ? 1 : 0;
    hidden += r.hidden ? 1 : 0;
  }
  return Printf("%s: %zu destinations, %zu routes (%zu active, 0 holddown, %zu hidden)\n",
                table.name.c_str(), all.size(), table.routes.size(), active, hidden);
}

// The destinations (and their routes) the query selects.
std::vector<Destination> Select(const std::vector<Destination>& all, const RouteQuery& q) {
  std::vector<Destination> out;
  for (const Destination& d : all) {
    Destination kept = d;
    std::erase_if(kept.routes, [&](const RouteView* r) {
      return r->hidden || (!q.protocol.empty() && Lower(r->protocol) != q.protocol);
    });
    if (!kept.routes.empty()) out.push_back(std::move(kept));
  }
  if (q.prefix.empty()) return out;
  std::optional<PrefixText> p = PrefixText::Parse(q.prefix);
  if (!p) return {};
  PrefixText want = p->Network();
  std::vector<Destination> chosen;
  for (const Destination& d : out) {
    bool equal =
        d.prefix.v6 == want.v6 && d.prefix.length == want.length && d.prefix.bytes == want.bytes;
    bool within = want.Contains(d.prefix);
    if ((q.match == RouteMatch::kExact && equal) ||
        (q.match == RouteMatch::kLonger && within && !equal) ||
        (q.match == RouteMatch::kDefault && within)) {
      chosen.push_back(d);
    }
  }
  if (q.match == RouteMatch::kDefault && chosen.empty()) {
    const Destination* best = nullptr;
    for (const Destination& d : out) {
      if (d.prefix.Contains(want) && (!best || d.prefix.length > best->prefix.length)) best = &d;
    }
    if (best) chosen.push_back(*best);
  }
  return chosen;
}

const char* Task(const RouteView& r) { return r.protocol == "Static" ? "RT" : "IF"; }

void BriefNextHops(const RouteView& r, std::string* out) {
  for (const NextHopView& nh : r.next_hops) {
    std::string mark = std::string(20, ' ') + (nh.selected ? ">" : " ") + "  ";
    switch (nh.kind) {
      case NextHopView::Kind::kInterface:
        *out += mark + "via " + nh.interface + "\n";
        break;
      case NextHopView::Kind::kGateway:
        *out += mark + "to " + nh.address + " via " + nh.interface + "\n";
        break;
      case NextHopView::Kind::kLocal:
        *out += std::string(23, ' ') + "Local via " + nh.interface + "\n";
        break;
      case NextHopView::Kind::kDiscard:
        *out += std::string(23, ' ') + "Discard\n";
        break;
      case NextHopView::Kind::kReject:
        *out += std::string(23, ' ') + "Reject\n";
        break;
      case NextHopView::Kind::kReceive:
        *out += std::string(23, ' ') + "Receive\n";
        break;
    }
  }
}

void Brief(const Destination& d, std::string* out) {
  bool first = true;
  for (const RouteView* r : d.routes) {
    std::string lead;
    if (first && d.text.size() <= 18) {
      lead = Printf("%-18s ", d.text.c_str());
    } else {
      if (first) *out += d.text + "\n";
      lead = std::string(19, ' ');
    }
    first = false;
    *out += lead + (r->active ? "*" : " ") + "[" + r->protocol + "/" +
            std::to_string(r->preference) + "] " + FormatRouteAge(r->age) +
            (r->metric ? ", metric " + std::to_string(*r->metric) : "") + "\n";
    BriefNextHops(*r, out);
  }
}

const char* NextHopType(NextHopView::Kind k) {
  switch (k) {
    case NextHopView::Kind::kInterface:
      return "Interface";
    case NextHopView::Kind::kGateway:
      return "Router";
    case NextHopView::Kind::kLocal:
      return "Local";
    case NextHopView::Kind::kDiscard:
      return "Discard";
    case NextHopView::Kind::kReject:
      return "Reject";
    case NextHopView::Kind::kReceive:
      return "Receive";
  }
  return "";
}

void Detail(const Destination& d, bool extensive, std::string* out) {
  size_t active = 0;
  for (const RouteView* r : d.routes) active += r->active ? 1 : 0;
  *out += Printf("%s (%zu %s, %zu announced)\n", d.text.c_str(), d.routes.size(),
                 d.routes.size() == 1 ? "entry" : "entries", active);
  const std::string in(16, ' ');
  for (const RouteView* r : d.routes) {
    *out += std::string(8, ' ') + (r->active ? "*" : " ") + r->protocol +
            " Preference: " + std::to_string(r->preference) + "\n";
    for (const NextHopView& nh : r->next_hops) {
      *out += in + "Next hop type: " + NextHopType(nh.kind) + "\n";
      switch (nh.kind) {
        case NextHopView::Kind::kInterface:
          *out += in + "Next hop: via " + nh.interface + (nh.selected ? ", selected" : "") + "\n";
          break;
        case NextHopView::Kind::kGateway:
          *out += in + "Next hop: " + nh.address + " via " + nh.interface +
                  (nh.selected ? ", selected" : "") + "\n";
          if (!nh.protocol_next_hop.empty()) {
            *out += in + "Protocol next hop: " + nh.protocol_next_hop + "\n";
          }
          break;
        case NextHopView::Kind::kLocal:
          *out += in + "Interface: " + nh.interface + "\n";
          break;
        default:
          break;
      }
    }
    bool is_static = r->protocol == "Static";
    *out +=
        in + "State: <" + (r->active ? "Active " : "") + "Int" + (is_static ? " Ext" : "") + ">\n";
    if (!r->active) *out += in + "Inactive reason: Route Preference\n";
    *out += in + "Age: " + FormatRouteAge(r->age) + "\n";
    *out += in + "Task: " + Task(*r) + "\n";
    if (extensive && r->active) *out += in + "Announcement bits (1): 0-KRT\n";
    *out += in + "AS path: I\n";
  }
  *out += "\n";
}

char ProtocolLetter(const std::string& protocol) {
  if (protocol == "Local") return 'L';
  return protocol.empty() ? '?' : protocol[0];
}

std::string TerseNextHop(const NextHopView& nh) {
  switch (nh.kind) {
    case NextHopView::Kind::kInterface:
      return nh.interface;
    case NextHopView::Kind::kGateway:
      return nh.address;
    case NextHopView::Kind::kLocal:
      return "Local";
    case NextHopView::Kind::kDiscard:
      return "Discard";
    case NextHopView::Kind::kReject:
      return "Reject";
    case NextHopView::Kind::kReceive:
      return "Receive";
  }
  return "";
}

void Terse(const Destination& d, std::string* out) {
  bool first = true;
  for (const RouteView* r : d.routes) {
    std::string metric = r->metric ? std::to_string(*r->metric) : "";
    std::string head =
        Printf("%c ? %-18s %c %3u %10s %10s ", r->active ? '*' : ' ', first ? d.text.c_str() : "",
               ProtocolLetter(r->protocol), r->preference, metric.c_str(), "");
    first = false;
    if (r->next_hops.empty()) {
      *out += head + "\n";
      continue;
    }
    for (size_t k = 0; k < r->next_hops.size(); ++k) {
      const NextHopView& nh = r->next_hops[k];
      std::string lead = k == 0 ? head : std::string(51, ' ');
      *out += lead + (nh.selected ? ">" : " ") + TerseNextHop(nh) + "\n";
    }
  }
}

int ProtocolRank(const std::string& p) {
  static const char* kOrder[] = {"Direct", "Local", "OSPF", "OSPF3", "BGP", "Static"};
  for (int i = 0; i < 6; ++i) {
    if (p == kOrder[i]) return i;
  }
  return 6;
}

}  // namespace

std::string FormatRoutes(const std::vector<RouteTableView>& tables, const RouteQuery& q) {
  std::optional<PrefixText> want;
  if (!q.prefix.empty()) want = PrefixText::Parse(q.prefix);
  bool filtered = !q.prefix.empty() || !q.protocol.empty();
  std::string out;
  for (const RouteTableView& t : tables) {
    if (!q.table.empty() && t.name != q.table) continue;
    if (t.routes.empty()) continue;
    bool v6 = t.name.find("inet6") != std::string::npos;
    if (want && want->v6 != v6) continue;
    std::vector<Destination> all = Destinations(t);
    std::vector<Destination> chosen = Select(all, q);
    out += "\n" + TableHeader(t, all);
    if (chosen.empty() && filtered) continue;
    if (q.detail == RouteDetail::kBrief || q.detail == RouteDetail::kTerse) {
      out += "+ = Active Route, - = Last Active, * = Both\n\n";
    }
    if (q.detail == RouteDetail::kTerse) {
      out += "A V Destination        P Prf   Metric 1   Metric 2  Next hop        AS path\n";
    }
    for (const Destination& d : chosen) {
      switch (q.detail) {
        case RouteDetail::kBrief:
          Brief(d, &out);
          break;
        case RouteDetail::kTerse:
          Terse(d, &out);
          break;
        case RouteDetail::kDetail:
        case RouteDetail::kExtensive:
          Detail(d, q.detail == RouteDetail::kExtensive, &out);
          break;
      }
    }
  }
  return out;
}

std::string FormatRouteSummary(const std::vector<RouteTableView>& tables,
                               const std::string& router_id) {
  std::string out;
  if (!router_id.empty()) out += "Router ID: " + router_id + "\n";
  for (const RouteTableView& t : tables) {
    if (t.routes.empty()) continue;
    std::vector<Destination> all = Destinations(t);
    out += "\n" + TableHeader(t, all);
    struct Count {
      size_t routes = 0, active = 0;
    };
    std::map<std::pair<int, std::string>, Count> by_protocol;
    for (const RouteView& r : t.routes) {
      if (r.hidden) continue;
      Count& c = by_protocol[{ProtocolRank(r.protocol), r.protocol}];
      ++c.routes;
      c.active += r.active ? 1 : 0;
    }
    for (const auto& [key, c] : by_protocol) {
      out += Printf("%20s: %6zu routes, %6zu active\n", key.second.c_str(), c.routes, c.active);
    }
  }
  return out;
}

std::string FormatForwardingTable(const std::vector<ForwardingTableView>& tables,
                                  const std::string& destination) {
  std::optional<PrefixText> want;
  if (!destination.empty()) want = PrefixText::Parse(destination);
  std::string out;
  for (const ForwardingTableView& t : tables) {
    if (want && want->v6 != t.v6) continue;
    // Entries with an empty destination continue the one above (members of a unilist).
    std::vector<std::pair<size_t, size_t>> groups;  // [begin, end)
    for (size_t i = 0; i < t.entries.size(); ++i) {
      if (t.entries[i].destination.empty() && !groups.empty()) {
        groups.back().second = i + 1;
      } else {
        groups.push_back({i, i + 1});
      }
    }
    if (want) {
      std::vector<std::pair<size_t, size_t>> kept;
      int best_len = -1;
      for (const auto& g : groups) {
        const std::string& d = t.entries[g.first].destination;
        std::optional<PrefixText> p =
            PrefixText::Parse(d == "default" ? (t.v6 ? "::/0" : "0.0.0.0/0") : d);
        if (!p || !p->has_length) continue;
        if (want->has_length) {
          if (p->length == want->length && p->Network().bytes == want->Network().bytes) {
            kept.push_back(g);
          }
        } else if (p->Contains(*want) && p->length > best_len) {
          best_len = p->length;
          kept.assign(1, g);
        }
      }
      groups = kept;
    }
    if (!out.empty()) out += "\n";
    out += t.v6 ? "Routing table: default.inet6\nInternet6:\n"
                : "Routing table: default.inet\nInternet:\n";
    out += "Destination        Type RtRef Next hop           Type Index    NhRef Netif\n";
    for (const auto& [begin, end] : groups) {
      for (size_t i = begin; i < end; ++i) {
        const ForwardingEntryView& e = t.entries[i];
        std::string lead;
        if (e.destination.size() > 18) {
          out += e.destination + "\n";
          lead = std::string(19, ' ');
        } else {
          lead = Printf("%-18s ", e.destination.c_str());
        }
        std::string rtref = e.type.empty() ? "" : "0";
        std::string line = lead + Printf("%-4s %5s %-18s %-4s %8u %5u %s", e.type.c_str(),
                                         rtref.c_str(), e.next_hop.c_str(), e.nh_type.c_str(),
                                         e.index, e.nh_ref, e.netif.c_str());
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
      }
    }
  }
  return out;
}

}  // namespace sabina::mgmt::cli
