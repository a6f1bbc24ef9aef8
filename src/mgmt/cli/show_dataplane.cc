#include "mgmt/cli/show_dataplane.h"

#include <arpa/inet.h>

#include <cinttypes>

#include "mgmt/cli/show_common.h"

namespace sabina::mgmt::cli {

namespace {

std::string Mac(const uint8_t* p) {
  return Printf("%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
}

std::string Ip(const uint8_t* p, bool v6) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(v6 ? AF_INET6 : AF_INET, p, buf, sizeof buf);
  return buf;
}

const char* ProtoName(uint8_t p) {
  switch (p) {
    case 1:
      return " (icmp)";
    case 6:
      return " (tcp)";
    case 17:
      return " (udp)";
    case 58:
      return " (icmp6)";
    default:
      return "";
  }
}

std::string DecodeIp(const uint8_t* p, size_t n) {
  if (n < 1) return "truncated";
  uint8_t version = p[0] >> 4;
  if (version == 4) {
    if (n < 20) return "IPv4 truncated";
    return "IPv4 " + Ip(p + 12, false) + " > " + Ip(p + 16, false) + ", proto " +
           std::to_string(p[9]) + ProtoName(p[9]) + ", ttl " + std::to_string(p[8]);
  }
  if (version == 6) {
    if (n < 40) return "IPv6 truncated";
    return "IPv6 " + Ip(p + 8, true) + " > " + Ip(p + 24, true) + ", next header " +
           std::to_string(p[6]) + ProtoName(p[6]) + ", hop limit " + std::to_string(p[7]);
  }
  return "IP version " + std::to_string(version);
}

}  // namespace

std::string DecodePacket(const std::vector<uint8_t>& bytes, uint32_t length, bool ip) {
  size_t n = std::min<size_t>(bytes.size(), length);
  const uint8_t* p = bytes.data();
  if (ip) return DecodeIp(p, n);
  if (n < 14) return "Ethernet truncated";
  std::string out = Mac(p + 6) + " > " + Mac(p);
  uint16_t type = static_cast<uint16_t>(p[12] << 8 | p[13]);
  size_t off = 14;
  if (type == 0x8100 && n >= 18) {
    out += ", vlan " + std::to_string((p[14] << 8 | p[15]) & 0xfff);
    type = static_cast<uint16_t>(p[16] << 8 | p[17]);
    off = 18;
  }
  if (type == 0x0800 || type == 0x86dd) return out + ", " + DecodeIp(p + off, n - off);
  if (type == 0x0806) {
    if (n < off + 28) return out + ", ARP truncated";
    const uint8_t* a = p + off;
    uint16_t op = static_cast<uint16_t>(a[6] << 8 | a[7]);
    if (op == 1) return out + ", ARP who-has " + Ip(a + 24, false) + " tell " + Ip(a + 14, false);
    if (op == 2) return out + ", ARP reply " + Ip(a + 14, false) + " is-at " + Mac(a + 8);
    return out + ", ARP op " + std::to_string(op);
  }
  return out + Printf(", ethertype 0x%04x", type);
}

std::string FormatDataplane(const DataplaneView& v) {
  std::string out = Printf("Workers: %zu\n", v.workers.size());
  out += "  Worker     Input packets    Output packets          Drops         Punted  Buffers\n";
  for (const WorkerView& w : v.workers) {
    out += Printf("  %-6u %17" PRIu64 " %17" PRIu64 " %14" PRIu64 " %14" PRIu64 " %8u\n", w.index,
                  w.rx_packets, w.tx_packets, w.drops, w.punted, w.buffers_total);
  }
  out += Printf("Ports: %zu", v.ports.size());
  if (v.rate_interval) {
    out += Printf(" (rates over the last %" PRId64 " seconds)", *v.rate_interval);
  } else {
    out += " (rates: first sample, shown as 0)";
  }
  out += "\n";
  out +=
      "  Interface    Driver     Device           Link   Input packets  Output packets"
      "    Input pps   Output pps  Input drops Output drops\n";
  for (const PortView& p : v.ports) {
    out += Printf("  %-12s %-10s %-16s %-4s %15" PRIu64 " %15" PRIu64 " %12" PRIu64 " %12" PRIu64
                  " %12" PRIu64 " %12" PRIu64 "\n",
                  p.name.c_str(), p.driver.c_str(), p.device.c_str(), p.link_up ? "up" : "down",
                  p.rx_packets, p.tx_packets, p.rx_pps, p.tx_pps, p.rx_drops, p.tx_drops);
  }
  return out;
}

std::string FormatDrops(const std::vector<CounterView>& drops, bool all) {
  std::string out = "Drop reason                                Packets\n";
  uint64_t total = 0;
  for (const CounterView& c : drops) {
    total += c.value;
    if (c.value == 0 && !all) continue;
    out += Printf("%-32s %17" PRIu64 "\n", c.name.c_str(), c.value);
  }
  out += Printf("%-32s %17" PRIu64 "\n", "Total", total);
  return out;
}

std::string FormatSystemStatistics(const std::vector<CounterView>& events,
                                   const std::vector<CounterView>& drops) {
  std::string out = "dataplane:\n";
  for (const CounterView& c : events)
    out += Printf("        %" PRIu64 " %s\n", c.value, c.name.c_str());
  out += "drops:\n";
  uint64_t total = 0;
  for (const CounterView& c : drops) {
    total += c.value;
    if (c.value != 0) out += Printf("        %" PRIu64 " %s\n", c.value, c.name.c_str());
  }
  out += Printf("        %" PRIu64 " total\n", total);
  return out;
}

std::string FormatNodes(const std::vector<NodeView>& nodes) {
  std::string out = "Node                            Calls           Packets   Vectors/call\n";
  for (const NodeView& n : nodes) {
    double per_call = n.calls ? static_cast<double>(n.packets) / static_cast<double>(n.calls) : 0;
    out += Printf("%-20s %14" PRIu64 " %17" PRIu64 " %14.2f\n", n.name.c_str(), n.calls, n.packets,
                  per_call);
  }
  return out;
}

std::string FormatTrace(const std::vector<TraceRecordView>& records, bool armed) {
  std::string out;
  if (records.empty()) {
    return armed ? "No packets traced yet (tracing is on)\n"
                 : "No packets traced (start with 'request dataplane trace start')\n";
  }
  bool have = false;
  uint32_t worker = 0;
  uint64_t packet = 0;
  for (const TraceRecordView& r : records) {
    if (!have || r.worker != worker || r.packet != packet) {
      have = true;
      worker = r.worker;
      packet = r.packet;
      bool ip = r.node.rfind("ip4", 0) == 0 || r.node.rfind("ip6", 0) == 0;
      out += Printf("Packet %" PRIu64 " (worker %u): ", packet, worker) +
             DecodePacket(r.bytes, r.length, ip) + "\n";
    }
    out += Printf("  %-20s %5u bytes", r.node.c_str(), r.length);
    if (!r.drop.empty()) out += "  dropped: " + r.drop;
    out += "\n";
  }
  if (armed) out += "(tracing is still on)\n";
  return out;
}

}  // namespace sabina::mgmt::cli
