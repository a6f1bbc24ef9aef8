#include "mgmt/cli/show_glue.h"

#include <time.h>

#include <algorithm>
#include <map>

#include "dp/counters.h"
#include "dp/dataplane.h"
#include "dp/node.h"
#include "mgmt/cli/ping.h"
#include "mgmt/cli/show_common.h"
#include "mgmt/cli/show_dataplane.h"
#include "mgmt/cli/show_interfaces.h"
#include "mgmt/cli/show_neighbors.h"
#include "mgmt/cli/show_route.h"
#include "routing/control.h"
#include "routing/fib_builder.h"
#include "routing/neighbor.h"
#include "routing/rib.h"

namespace sabina::mgmt::cli {

namespace {

constexpr int64_t kRateWindowMs = 5 * 60 * 1000;

int64_t MonotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Counters of a port at a time, for rates between two commands. Mgmt thread only.
struct Sample {
  int64_t ms = 0;
  uint64_t in_bytes = 0, in_packets = 0, out_bytes = 0, out_packets = 0;
};
std::map<std::string, Sample>& Samples() {
  static std::map<std::string, Sample> samples;
  return samples;
}

struct Rates {
  uint64_t in_bps = 0, in_pps = 0, out_bps = 0, out_pps = 0;
  std::optional<int64_t> interval_ms;
};

Rates TakeSample(const std::string& key, const Sample& now) {
  Rates r;
  auto it = Samples().find(key);
  if (it != Samples().end()) {
    const Sample& was = it->second;
    int64_t dt = now.ms - was.ms;
    if (dt >= 500 && dt <= kRateWindowMs && now.in_packets >= was.in_packets &&
        now.out_packets >= was.out_packets) {
      auto per_second = [dt](uint64_t a, uint64_t b) {
        return (a - b) * 1000 / static_cast<uint64_t>(dt);
      };
      r.in_bps = per_second(now.in_bytes, was.in_bytes) * 8;
      r.out_bps = per_second(now.out_bytes, was.out_bytes) * 8;
      r.in_pps = per_second(now.in_packets, was.in_packets);
      r.out_pps = per_second(now.out_packets, was.out_packets);
      r.interval_ms = dt;
    }
  }
  Samples()[key] = now;
  return r;
}

ForwardingResult Error(std::string text) { return {text + "\n", false}; }

// ---- adapters (control thread) ---------------------------------------------------------------

std::string LinkLocal(const packet::MacAddr& mac) {
  const auto& m = mac.bytes;
  return Printf("fe80::%x:%x:%x:%x/64", (m[0] ^ 2) << 8 | m[1], m[2] << 8 | 0xff, 0xfe << 8 | m[3],
                m[4] << 8 | m[5]);
}

struct PortSnapshot {
  InterfaceView view;
  Sample sample;
};

std::vector<PortSnapshot> ReadInterfaces(routing::Control& c) {
  std::vector<PortSnapshot> out;
  dp::Dataplane& dp = c.dataplane();
  for (const routing::PortState& p : c.ports()) {
    PortSnapshot s;
    InterfaceView& v = s.view;
    v.name = p.name;
    v.index = p.port;
    v.admin_up = p.admin_up;
    v.link_up = p.link_up;
    v.description = p.description;
    v.mtu = p.mtu;
    v.mac = p.mac.ToString();
    v.flapped = p.flapped;
    v.bound = !p.device.empty() && p.port < dp.port_count();
    if (v.bound) {
      io::Port& port = dp.port(p.port);
      v.driver = port.driver();
      v.device = port.device();
      io::PortStats st = port.Stats();
      v.in_packets = st.rx_packets;
      v.in_bytes = st.rx_bytes;
      v.out_packets = st.tx_packets;
      v.out_bytes = st.tx_bytes;
      v.in_errors = st.rx_errors;
      v.in_drops = st.rx_drops;
      v.out_errors = st.tx_errors;
      v.out_drops = st.tx_drops;
      s.sample = {MonotonicMs(), st.rx_bytes, st.rx_packets, st.tx_bytes, st.tx_packets};
    } else {
      v.link_up = false;
    }
    for (const routing::UnitState& u : p.units) {
      if (u.vlan != 0) v.vlan_tagging = true;
    }
    uint32_t l3_mtu = p.mtu > 18 ? p.mtu - 14 - (v.vlan_tagging ? 4 : 0) : 0;
    for (const routing::UnitState& u : p.units) {
      UnitView uv;
      uv.name = u.name;
      uv.index = u.dp_index;
      uv.vlan = u.vlan;
      uv.admin_up = u.admin_up;
      uv.inet = u.inet;
      uv.inet6 = u.inet6;
      // The host interface (TAP) carries the port's MAC, so the kernel's EUI-64 link-local
      // address is this one.
      if (!u.inet6.empty() && !p.mac.IsZero()) uv.inet6.push_back(LinkLocal(p.mac));
      uv.inet_mtu = uv.inet6_mtu = l3_mtu;
      if (v.bound) {
        routing::UnitTraffic t = c.Traffic(u.dp_index);
        uv.in_packets = t.in_packets;
        uv.out_packets = t.out_packets;
      }
      v.units.push_back(std::move(uv));
    }
    out.push_back(std::move(s));
  }
  return out;
}

RouteView ToView(const routing::Route& r, int64_t now) {
  RouteView v;
  v.prefix = r.prefix.ToString();
  v.protocol = routing::ProtocolName(r.protocol);
  v.preference = r.preference;
  v.metric = r.metric;
  v.active = r.active;
  v.hidden = r.hidden;
  v.age = now - r.since;
  switch (r.action) {
    case routing::RouteAction::kForward:
      for (const routing::RouteNextHop& nh : r.next_hops) {
        NextHopView n;
        n.kind = nh.gateway ? NextHopView::Kind::kGateway : NextHopView::Kind::kInterface;
        if (nh.gateway) n.address = nh.gateway->ToString();
        n.interface = nh.interface;
        n.selected = nh.selected;
        if (nh.protocol_next_hop) n.protocol_next_hop = nh.protocol_next_hop->ToString();
        v.next_hops.push_back(std::move(n));
      }
      break;
    case routing::RouteAction::kReceive: {
      NextHopView n;
      n.kind = NextHopView::Kind::kLocal;
      if (!r.next_hops.empty()) n.interface = r.next_hops[0].interface;
      v.next_hops.push_back(std::move(n));
      break;
    }
    case routing::RouteAction::kDiscard:
      v.next_hops.push_back({NextHopView::Kind::kDiscard, "", "", false, ""});
      break;
    case routing::RouteAction::kReject:
      v.next_hops.push_back({NextHopView::Kind::kReject, "", "", false, ""});
      break;
  }
  return v;
}

std::vector<RouteTableView> ReadRoutes(routing::Control& c) {
  int64_t now = time(nullptr);
  std::vector<RouteTableView> out;
  for (routing::Table t : {routing::Table::kInet, routing::Table::kInet6}) {
    RouteTableView table;
    table.name = routing::TableName(t);
    for (const auto& [prefix, routes] : c.rib().routes(t)) {
      for (const routing::Route& r : routes) table.routes.push_back(ToView(r, now));
    }
    out.push_back(std::move(table));
  }
  return out;
}

std::vector<ForwardingTableView> ReadForwarding(routing::Control& c) {
  ForwardingTableView v4, v6;
  v6.v6 = true;
  const routing::FibBuilder& fib = c.fib();
  bool have_default[2] = {false, false};
  for (const auto& [prefix, inst] : fib.installed()) {
    ForwardingTableView& t = prefix.v6() ? v6 : v4;
    ForwardingEntryView e;
    e.destination = prefix.length == 0 ? "default" : prefix.ToString();
    if (prefix.length == 0) have_default[prefix.v6() ? 1 : 0] = true;
    e.index = inst.next_hop;
    e.nh_ref = fib.NextHopRefs(inst.next_hop);
    const routing::FibEntry& f = inst.entry;
    auto gateway_text = [&](const routing::FibPath& p) {
      const routing::NeighborEntry* n = c.neighbors().Find(p.dp_interface, p.gateway);
      if (n && n->state != routing::NeighborState::kIncomplete) return n->mac.ToString();
      return p.gateway.ToString();
    };
    switch (f.kind) {
      case routing::FibKind::kForward:
        e.type = inst.neighbor ? "dest" : "user";
        if (f.paths.size() == 1) {
          e.next_hop = gateway_text(f.paths[0]);
          e.nh_type = "ucst";
          e.netif = c.InterfaceName(f.paths[0].dp_interface);
          t.entries.push_back(e);
        } else {
          e.nh_type = "ulst";
          t.entries.push_back(e);
          for (const routing::FibPath& p : f.paths) {
            ForwardingEntryView m;
            m.next_hop = gateway_text(p);
            m.nh_type = "ucst";
            m.netif = c.InterfaceName(p.dp_interface);
            t.entries.push_back(std::move(m));
          }
        }
        break;
      case routing::FibKind::kGlean:
        e.type = "intf";
        e.nh_type = "rslv";
        e.netif = c.InterfaceName(f.interface);
        t.entries.push_back(e);
        break;
      case routing::FibKind::kLocal:
        e.type = "intf";
        e.next_hop = prefix.address.ToString();
        e.nh_type = "locl";
        t.entries.push_back(e);
        break;
      case routing::FibKind::kDiscard:
        e.type = "user";
        e.nh_type = "dscd";
        t.entries.push_back(e);
        break;
      case routing::FibKind::kReject:
        e.type = "user";
        e.nh_type = "rjct";
        t.entries.push_back(e);
        break;
    }
  }
  // Without a default route, lookups that match nothing are rejected: Junos shows this as a
  // permanent default reject entry.
  for (int f = 0; f < 2; ++f) {
    if (have_default[f]) continue;
    ForwardingTableView& t = f ? v6 : v4;
    t.entries.insert(t.entries.begin(), {"default", "perm", "", "rjct", 0, 1, ""});
  }
  return {v4, v6};
}

std::optional<uint32_t> UnitIndex(routing::Control& c, const std::string& name) {
  for (const routing::PortState& p : c.ports()) {
    for (const routing::UnitState& u : p.units) {
      if (u.name == name) return u.dp_index;
    }
  }
  return std::nullopt;
}

std::vector<CounterView> DropCounters(routing::Control& c) {
  dp::Dataplane& dp = c.dataplane();
  std::vector<CounterView> out;
  for (uint32_t r = 0; r < dp::kDropReasonCount; ++r) {
    uint64_t sum = 0;
    for (uint32_t w = 0; w < dp.worker_count(); ++w) {
      sum += dp.worker(w).counters().drops[r].load(std::memory_order_relaxed);
    }
    out.push_back({dp::DropReasonName(static_cast<dp::DropReason>(r)), sum});
  }
  // Drops of the control thread (punted frames it could not deliver, neighbour queues).
  const routing::ControlCounters& cc = c.counters();
  const routing::NeighborCounters& nc = c.neighbors().counters();
  out.push_back({"host-delivery-failed", cc.host_drops});
  out.push_back({"host-transmit-failed", cc.tap_drops});
  out.push_back({"resolve-no-interface", cc.resolve_drops});
  out.push_back({"neighbor-queue-full", nc.queue_full_drops});
  out.push_back({"neighbor-resolution-failed", nc.unresolved_drops});
  return out;
}

std::vector<CounterView> EventCounters(routing::Control& c) {
  dp::Dataplane& dp = c.dataplane();
  std::vector<CounterView> out;
  for (uint32_t e = 0; e < dp::kEventCount; ++e) {
    uint64_t sum = 0;
    for (uint32_t w = 0; w < dp.worker_count(); ++w) {
      sum += dp.worker(w).counters().events[e].load(std::memory_order_relaxed);
    }
    out.push_back({dp::EventName(static_cast<dp::Event>(e)), sum});
  }
  const routing::ControlCounters& cc = c.counters();
  const routing::NeighborCounters& nc = c.neighbors().counters();
  out.push_back({"host-packets", cc.host_packets});
  out.push_back({"host-transmitted", cc.tap_packets});
  out.push_back({"neighbor-requests-sent", nc.requests_sent});
  out.push_back({"neighbor-packets-queued", nc.queued});
  out.push_back({"announcements-sent", cc.announcements});
  return out;
}

// ---- commands ----------------------------------------------------------------------------------

ForwardingResult ShowInterfaces(const ParsedCommand& cmd, routing::Control& c) {
  std::vector<PortSnapshot> snaps;
  c.Call([&] { snaps = ReadInterfaces(c); });
  std::vector<InterfaceView> views;
  for (PortSnapshot& s : snaps) {
    if (s.view.bound) {
      Rates r = TakeSample("if:" + s.view.name, s.sample);
      s.view.in_bps = r.in_bps;
      s.view.in_pps = r.in_pps;
      s.view.out_bps = r.out_bps;
      s.view.out_pps = r.out_pps;
    }
    views.push_back(std::move(s.view));
  }
  if (!cmd.positional.empty() && !HasInterface(views, cmd.positional)) {
    return Error("error: device " + cmd.positional + " not found");
  }
  if (cmd.Has("terse")) return {FormatInterfacesTerse(views, cmd.positional)};
  InterfaceDetail d = cmd.Has("extensive") ? InterfaceDetail::kExtensive
                      : cmd.Has("detail")  ? InterfaceDetail::kDetail
                                           : InterfaceDetail::kBrief;
  return {FormatInterfaces(views, cmd.positional, d, time(nullptr))};
}

ForwardingResult ShowRoute(const ParsedCommand& cmd, routing::Control& c) {
  RouteQuery q;
  if (!cmd.positional.empty()) {
    if (!PrefixText::Parse(cmd.positional)) {
      return Error("error: invalid destination: " + cmd.positional);
    }
    q.prefix = cmd.positional;
  }
  if (cmd.Has("exact")) q.match = RouteMatch::kExact;
  if (cmd.Has("longer")) q.match = RouteMatch::kLonger;
  q.table = cmd.Get("table");
  q.protocol = cmd.Get("protocol");
  if (cmd.Has("terse")) q.detail = RouteDetail::kTerse;
  if (cmd.Has("detail")) q.detail = RouteDetail::kDetail;
  if (cmd.Has("extensive")) q.detail = RouteDetail::kExtensive;
  std::vector<RouteTableView> tables;
  c.Call([&] { tables = ReadRoutes(c); });
  return {FormatRoutes(tables, q)};
}

ForwardingResult ShowDataplane(routing::Control& c) {
  DataplaneView v;
  std::vector<Sample> samples;
  c.Call([&] {
    dp::Dataplane& dp = c.dataplane();
    for (uint32_t w = 0; w < dp.worker_count(); ++w) {
      const dp::Counters& k = dp.worker(w).counters();
      WorkerView wv;
      wv.index = w;
      auto event = [&](dp::Event e) {
        return k.events[static_cast<uint32_t>(e)].load(std::memory_order_relaxed);
      };
      wv.rx_packets = event(dp::Event::kRxPackets);
      wv.tx_packets = event(dp::Event::kTxPackets);
      wv.punted = event(dp::Event::kPunted);
      for (const auto& d : k.drops) wv.drops += d.load(std::memory_order_relaxed);
      // The pool's free count is the worker's own (unsynchronized) state: only its size.
      wv.buffers_total = dp.worker(w).pool().capacity();
      v.workers.push_back(wv);
    }
    for (uint32_t p = 0; p < dp.port_count(); ++p) {
      io::Port& port = dp.port(p);
      io::PortStats st = port.Stats();
      PortView pv;
      pv.name = dp.port_name(p);
      pv.driver = port.driver();
      pv.device = port.device();
      pv.link_up = c.ports()[p].link_up;
      pv.rx_packets = st.rx_packets;
      pv.tx_packets = st.tx_packets;
      pv.rx_drops = st.rx_drops + st.rx_errors;
      pv.tx_drops = st.tx_drops + st.tx_errors;
      v.ports.push_back(pv);
      samples.push_back({MonotonicMs(), st.rx_bytes, st.rx_packets, st.tx_bytes, st.tx_packets});
    }
  });
  for (size_t i = 0; i < v.ports.size(); ++i) {
    Rates r = TakeSample("dp:" + v.ports[i].name, samples[i]);
    v.ports[i].rx_pps = r.in_pps;
    v.ports[i].tx_pps = r.out_pps;
    if (r.interval_ms) v.rate_interval = (*r.interval_ms + 500) / 1000;
  }
  return {FormatDataplane(v)};
}

ForwardingResult Ping(const ParsedCommand& cmd, routing::Control* c) {
  PingOptions o;
  o.host = cmd.positional;
  auto number = [&](const char* w) -> std::optional<uint32_t> {
    if (!cmd.Has(w)) return std::nullopt;
    return static_cast<uint32_t>(std::stoul(cmd.Get(w)));
  };
  o.count = number("count");
  o.size = number("size");
  o.ttl = number("ttl");
  o.wait = number("wait");
  if (o.count && (*o.count < 1 || *o.count > 10000)) {
    return Error("error: count must be 1..10000");
  }
  if (o.size && *o.size > 65468) return Error("error: size must be 0..65468");
  if (o.ttl && (*o.ttl < 1 || *o.ttl > 255)) return Error("error: ttl must be 1..255");
  if (o.wait && (*o.wait < 1 || *o.wait > 60)) return Error("error: wait must be 1..60");
  o.rapid = cmd.Has("rapid");
  o.do_not_fragment = cmd.Has("do-not-fragment");
  o.source = cmd.Get("source");
  if (cmd.Has("inet")) o.family = 4;
  if (cmd.Has("inet6")) o.family = 6;
  if (cmd.Has("interface")) {
    std::string name = cmd.Get("interface");
    std::string host;
    if (c) {
      c->Call([&] {
        for (const routing::PortState& p : c->ports()) {
          for (const routing::UnitState& u : p.units) {
            if (u.name == name) host = u.host_name;
          }
        }
      });
    }
    if (host.empty()) return Error("error: interface " + name + " not found");
    o.interface = host;
  }
  Argv argv = BuildPingArgv(o);
  if (!argv.error.empty()) return Error(argv.error);
  ForwardingResult result;
  result.background = [args = std::move(argv.args), o] {
    return ReformatPing(RunBounded(args, kMaxRunSeconds).output, o);
  };
  return result;
}

ForwardingResult Traceroute(const ParsedCommand& cmd) {
  TracerouteOptions o;
  o.host = cmd.positional;
  if (cmd.Has("ttl")) o.ttl = static_cast<uint32_t>(std::stoul(cmd.Get("ttl")));
  if (cmd.Has("wait")) o.wait = static_cast<uint32_t>(std::stoul(cmd.Get("wait")));
  if (o.ttl && (*o.ttl < 1 || *o.ttl > 255)) return Error("error: ttl must be 1..255");
  if (o.wait && (*o.wait < 1 || *o.wait > 60)) return Error("error: wait must be 1..60");
  o.source = cmd.Get("source");
  if (cmd.Has("inet")) o.family = 4;
  if (cmd.Has("inet6")) o.family = 6;
  Argv argv = BuildTracerouteArgv(o);
  if (!argv.error.empty()) return Error(argv.error);
  ForwardingResult result;
  result.background = [args = std::move(argv.args), v6 = argv.v6] {
    return ReformatTraceroute(RunBounded(args, kMaxRunSeconds).output, v6);
  };
  return result;
}

}  // namespace

ForwardingResult RunForwardingCommand(const ParsedCommand& cmd, routing::Control* control) {
  const std::string& id = cmd.id;
  if (id == "ping") return Ping(cmd, control);
  if (id == "traceroute") return Traceroute(cmd);
  if (!control) return Error("error: the forwarding engine is not running (no --port given)");
  routing::Control& c = *control;
  if (id == "show interfaces") return ShowInterfaces(cmd, c);
  if (id == "show route") return ShowRoute(cmd, c);
  if (id == "show route summary") {
    std::vector<RouteTableView> tables;
    c.Call([&] { tables = ReadRoutes(c); });
    return {FormatRouteSummary(tables, "")};
  }
  if (id == "show route forwarding-table") {
    std::string dest = cmd.Get("destination");
    if (!dest.empty() && !PrefixText::Parse(dest)) {
      return Error("error: invalid destination: " + dest);
    }
    std::vector<ForwardingTableView> tables;
    c.Call([&] { tables = ReadForwarding(c); });
    std::string family = cmd.Get("family");
    if (!family.empty()) {
      std::erase_if(tables,
                    [&](const ForwardingTableView& t) { return t.v6 != (family == "inet6"); });
    }
    return {FormatForwardingTable(tables, dest)};
  }
  if (id == "show arp" || id == "show ipv6 neighbors") {
    bool v6 = id != "show arp";
    std::string ifname = cmd.Get("interface"), host = cmd.Get("hostname");
    std::optional<PrefixText> want;
    if (!host.empty()) {
      want = PrefixText::Parse(host);
      if (!want || want->has_length) return Error("error: invalid hostname: " + host);
    }
    std::vector<ArpEntryView> arp;
    std::vector<Ipv6NeighborView> nd;
    c.Call([&] {
      int64_t now_ms = MonotonicMs();
      for (const routing::NeighborEntry& e : c.neighbors().Entries()) {
        if (e.address.v6 != v6 || e.state == routing::NeighborState::kIncomplete) continue;
        std::string name = c.InterfaceName(e.interface);
        if (!ifname.empty() && name != ifname) continue;
        std::string address = e.address.ToString();
        if (want && PrefixText::Parse(address)->bytes != want->bytes) continue;
        if (v6) {
          int64_t left = std::max<int64_t>(0, (e.expires_ms - now_ms) / 1000);
          nd.push_back({address, e.mac.ToString(), routing::NeighborStateName(e.state), left,
                        e.router, name});
        } else {
          arp.push_back({e.mac.ToString(), address, name, "none"});
        }
      }
    });
    return {v6 ? FormatIpv6Neighbors(nd) : FormatArp(arp, cmd.Has("no-resolve"))};
  }
  if (id == "clear arp" || id == "clear ipv6 neighbors") {
    bool v6 = id != "clear arp";
    std::string ifname = cmd.Get("interface"), host = cmd.Get("hostname");
    std::optional<routing::Address> address;
    if (!host.empty()) {
      address = routing::Address::Parse(host);
      if (!address || address->v6 != v6) return Error("error: invalid hostname: " + host);
    }
    std::string error;
    c.Call([&] {
      std::optional<uint32_t> index;
      if (!ifname.empty()) {
        index = UnitIndex(c, ifname);
        if (!index) {
          error = "error: interface " + ifname + " not found";
          return;
        }
      }
      c.neighbors().Clear(v6, index, address);
    });
    if (!error.empty()) return Error(error);
    return {""};
  }
  if (id == "clear interfaces statistics") {
    std::string name = cmd.positional;
    bool found = false;
    c.Call([&] {
      dp::Dataplane& dp = c.dataplane();
      for (const routing::PortState& p : c.ports()) {
        if (name != "all" && name != p.name) continue;
        found = true;
        if (!p.device.empty() && p.port < dp.port_count()) dp.port(p.port).ClearStats();
        for (const routing::UnitState& u : p.units) c.ClearTraffic(u.dp_index);
      }
    });
    if (!found && name != "all") return Error("error: device " + name + " not found");
    return {""};
  }
  if (id == "clear dataplane statistics") {
    c.Call([&] {
      dp::Dataplane& dp = c.dataplane();
      for (uint32_t w = 0; w < dp.worker_count(); ++w) dp.worker(w).ClearCounters();
    });
    return {""};
  }
  if (id == "show dataplane") return ShowDataplane(c);
  if (id == "show dataplane drops" || id == "show system statistics") {
    std::vector<CounterView> drops, events;
    c.Call([&] {
      drops = DropCounters(c);
      events = EventCounters(c);
    });
    if (id == "show system statistics") return {FormatSystemStatistics(events, drops)};
    return {FormatDrops(drops, cmd.Has("all"))};
  }
  if (id == "show dataplane nodes") {
    std::vector<NodeView> nodes;
    c.Call([&] {
      dp::Dataplane& dp = c.dataplane();
      for (uint32_t n = 0; n < dp::kNodeCount; ++n) {
        NodeView v;
        v.name = dp::NodeName(static_cast<dp::NodeId>(n));
        for (uint32_t w = 0; w < dp.worker_count(); ++w) {
          const dp::NodeStats& s = dp.worker(w).node_stats(static_cast<dp::NodeId>(n));
          v.calls += s.calls.load(std::memory_order_relaxed);
          v.packets += s.packets.load(std::memory_order_relaxed);
        }
        nodes.push_back(std::move(v));
      }
    });
    return {FormatNodes(nodes)};
  }
  if (id == "show dataplane trace") {
    std::vector<TraceRecordView> records;
    bool armed = false;
    c.Call([&] {
      dp::Dataplane& dp = c.dataplane();
      for (uint32_t w = 0; w < dp.worker_count(); ++w) {
        dp::Trace& t = dp.worker(w).trace();
        armed = armed || t.active();
        for (const dp::TraceRecord& r : t.Snapshot()) {
          TraceRecordView v;
          v.worker = w;
          v.packet = r.packet;
          v.node = dp::NodeName(r.node);
          if (r.drop) v.drop = dp::DropReasonName(static_cast<dp::DropReason>(r.drop - 1));
          v.length = r.length;
          v.bytes.assign(r.bytes, r.bytes + std::min<uint32_t>(r.length, sizeof r.bytes));
          records.push_back(std::move(v));
        }
      }
    });
    return {FormatTrace(records, armed)};
  }
  if (id == "request dataplane trace start" || id == "request dataplane trace stop") {
    bool start = id.ends_with("start");
    uint32_t count = 10;
    if (cmd.Has("count")) count = static_cast<uint32_t>(std::stoul(cmd.Get("count")));
    if (start && (count < 1 || count > 1000)) return Error("error: count must be 1..1000");
    uint32_t workers = 0;
    c.Call([&] {
      dp::Dataplane& dp = c.dataplane();
      workers = dp.worker_count();
      for (uint32_t w = 0; w < workers; ++w) {
        dp.worker(w).trace().Arm(0);  // clears the previous trace
        if (start) dp.worker(w).trace().Arm(count);
      }
    });
    if (!start) return {"Packet trace stopped and cleared\n"};
    return {Printf("Tracing the next %u packets received (per worker, %u worker%s)\n", count,
                   workers, workers == 1 ? "" : "s")};
  }
  return Error("error: command not available: " + id);
}

}  // namespace sabina::mgmt::cli
