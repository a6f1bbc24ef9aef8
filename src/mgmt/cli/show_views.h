// Plain input structs of the forwarding operational commands (`show interfaces`, `show route`,
// `show arp`, `show ipv6 neighbors`, `show dataplane ...`). The formatters (show_*.h) read
// only these, so their tests pin every byte without a running data plane; show_glue.cc fills
// them from the control thread's state (routing::Control) inside Control::Call.
//
// Thread: plain values, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sabina::mgmt::cli {

// ---- interfaces ----------------------------------------------------------------------------

struct UnitView {
  std::string name;  // "ge-0/0/0.0"
  uint32_t index = 0;
  uint16_t vlan = 0;  // 0: untagged
  bool admin_up = true;
  std::vector<std::string> inet, inet6;  // "192.0.2.1/24", "2001:db8::1/64", "fe80::.../64"
  uint32_t inet_mtu = 1500, inet6_mtu = 1500;
  // Not tracked per unit by the data plane: the lines are left out when absent.
  std::optional<uint64_t> in_packets, out_packets;
};

struct InterfaceView {
  std::string name;  // "ge-0/0/0"
  uint32_t index = 0;
  bool admin_up = true;
  bool link_up = false;
  bool bound = true;  // false: configured, but no --port binds a device to it
  std::string description;
  uint32_t mtu = 1514;  // link-level (media) MTU
  std::string mac;      // "00:50:56:ff:ba:6f"
  std::string driver, device;
  int64_t flapped = 0;  // unix time, 0 = Never
  bool vlan_tagging = false;
  uint64_t in_packets = 0, in_bytes = 0, out_packets = 0, out_bytes = 0;
  uint64_t in_errors = 0, in_drops = 0, out_errors = 0, out_drops = 0;
  uint64_t in_bps = 0, in_pps = 0, out_bps = 0, out_pps = 0;
  std::vector<UnitView> units;
};

enum class InterfaceDetail { kBrief, kDetail, kExtensive };

// ---- routes ----------------------------------------------------------------------------------

struct NextHopView {
  enum class Kind { kInterface, kGateway, kLocal, kDiscard, kReject, kReceive };
  Kind kind = Kind::kInterface;
  std::string address;    // kGateway: "192.0.2.2"
  std::string interface;  // "ge-0/0/0.0"
  bool selected = false;  // the `>` mark
  std::string protocol_next_hop;  // `resolve`: the configured gateway this hop came from
};

struct RouteView {
  std::string prefix;    // "192.0.2.0/24" (canonical, host bits clear)
  std::string protocol;  // Junos names: "Direct", "Local", "Static"
  uint32_t preference = 0;
  std::optional<uint32_t> metric;
  bool active = false;
  bool hidden = false;  // counted in the table header, not listed
  int64_t age = 0;      // seconds
  std::vector<NextHopView> next_hops;
};

struct RouteTableView {
  std::string name;               // "inet.0", "inet6.0"
  std::vector<RouteView> routes;  // any order; the formatter sorts as Junos lists them
};

enum class RouteMatch { kDefault, kExact, kLonger };
enum class RouteDetail { kBrief, kDetail, kExtensive, kTerse };

struct RouteQuery {
  std::string prefix;  // empty: all; an address without a length is a host prefix
  RouteMatch match = RouteMatch::kDefault;
  std::string table;     // "" = all
  std::string protocol;  // lower case Junos protocol word, "" = all
  RouteDetail detail = RouteDetail::kBrief;
};

struct ForwardingEntryView {
  std::string destination;  // "192.0.2.0/24"; "default" for /0
  std::string type;         // route type: "user", "perm", "intf", "dest", "rslv"
  std::string next_hop;     // MAC or gateway address text, "" when none
  std::string nh_type;      // "ucst", "locl", "dscd", "rjct", "rslv", "ulst", "recv", "bcst"
  uint32_t index = 0;       // next hop index
  uint32_t nh_ref = 0;
  std::string netif;  // "ge-0/0/0.0", "" when none
};

struct ForwardingTableView {
  bool v6 = false;
  std::vector<ForwardingEntryView> entries;  // any order; sorted by destination
};

// ---- neighbours --------------------------------------------------------------------------------

struct ArpEntryView {
  std::string mac;  // "" while incomplete
  std::string address;
  std::string interface;
  std::string flags = "none";  // "none", "permanent", "incomplete"
};

struct Ipv6NeighborView {
  std::string address;
  std::string mac;
  std::string state;    // "reachable", "stale", "delay", "probe", "incomplete"
  int64_t expires = 0;  // seconds
  bool router = false;
  std::string interface;
};

// ---- data plane --------------------------------------------------------------------------------

struct CounterView {
  std::string name;
  uint64_t value = 0;
};

struct WorkerView {
  uint32_t index = 0;
  uint64_t rx_packets = 0, tx_packets = 0, drops = 0, punted = 0;
  // The pool's size. Its free count is the worker's own unsynchronized state, not shown.
  uint32_t buffers_total = 0;
};

struct PortView {
  std::string name, driver, device;
  bool link_up = false;
  uint64_t rx_packets = 0, tx_packets = 0, rx_drops = 0, tx_drops = 0;
  uint64_t rx_pps = 0, tx_pps = 0;
};

struct DataplaneView {
  std::vector<WorkerView> workers;
  std::vector<PortView> ports;
  std::optional<int64_t> rate_interval;  // seconds the rates cover; absent: first sample
};

struct NodeView {
  std::string name;
  uint64_t calls = 0, packets = 0;
};

struct TraceRecordView {
  uint32_t worker = 0;
  uint64_t packet = 0;
  std::string node;
  std::string drop;  // drop reason name, "" when the node passed it on
  uint32_t length = 0;
  std::vector<uint8_t> bytes;  // the first bytes as the node saw them
};

}  // namespace sabina::mgmt::cli
