// OpenPort: the `--port` device spec parser (port.h).
#include <optional>
#include <string>
#include <vector>

#include "io/af_packet/af_packet_port.h"
#include "io/af_xdp/af_xdp_port.h"
#include "io/memory/memory_port.h"
#include "io/pcap/pcap_port.h"
#include "io/port.h"

namespace sabina::io {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    parts.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

std::optional<packet::MacAddr> ParseMac(std::string_view text) {
  packet::MacAddr mac;
  if (text.size() != 17) return std::nullopt;
  for (int i = 0; i < 6; ++i) {
    if (i != 0 && text[i * 3 - 1] != ':') return std::nullopt;
    unsigned v = 0;
    for (int k = 0; k < 2; ++k) {
      char ch = text[i * 3 + k];
      unsigned d = ch >= '0' && ch <= '9'   ? ch - '0'
                   : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                   : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                            : 16;
      if (d == 16) return std::nullopt;
      v = v * 16 + d;
    }
    mac.bytes[i] = static_cast<uint8_t>(v);
  }
  return mac;
}

Status BadSpec(std::string_view spec, const std::string& why) {
  return Status::Error("bad port spec '" + std::string(spec) + "': " + why);
}

}  // namespace

StatusOr<std::unique_ptr<Port>> OpenPort(std::string_view spec, uint32_t queues) {
  if (queues < 1) return Status::Error("a port needs at least one queue");
  if (spec.empty()) return BadSpec(spec, "empty");
  size_t colon = spec.find(':');
  std::string_view driver = colon == std::string_view::npos ? "" : spec.substr(0, colon);
  std::string_view rest = colon == std::string_view::npos ? spec : spec.substr(colon + 1);
  if (driver.empty() && spec != "memory") {
    // A bare device name.
    if (spec.find(':') != std::string_view::npos) return BadSpec(spec, "unknown driver");
    auto p = AfPacketPort::Open(std::string(spec), queues);
    if (!p.ok()) return p.status();
    return std::unique_ptr<Port>(std::move(*p));
  }
  if (driver == "af_packet" || driver == "af_xdp") {
    if (rest.empty() || rest.find(':') != std::string_view::npos) {
      return BadSpec(spec, "expected " + std::string(driver) + ":DEVICE");
    }
    if (driver == "af_packet") {
      auto p = AfPacketPort::Open(std::string(rest), queues);
      if (!p.ok()) return p.status();
      return std::unique_ptr<Port>(std::move(*p));
    }
    auto p = AfXdpPort::Open(std::string(rest), queues);
    if (!p.ok()) return p.status();
    return std::unique_ptr<Port>(std::move(*p));
  }
  if (driver == "pcap") {
    // pcap:IN[:OUT][:mac=02:..] — a MAC contains colons, so it is everything after "mac=".
    std::optional<packet::MacAddr> mac;
    size_t mac_at = rest.find("mac=");
    std::string_view files = rest;
    if (mac_at != std::string_view::npos) {
      if (mac_at != 0 && rest[mac_at - 1] != ':') return BadSpec(spec, "bad mac= option");
      mac = ParseMac(rest.substr(mac_at + 4));
      if (!mac) return BadSpec(spec, "bad MAC address after mac=");
      files = rest.substr(0, mac_at == 0 ? 0 : mac_at - 1);
    }
    std::vector<std::string> parts = Split(files, ':');
    if (parts.empty() || parts[0].empty() || parts.size() > 2) {
      return BadSpec(spec, "expected pcap:IN[:OUT][:mac=MAC]");
    }
    auto p = PcapPort::Open(parts[0], parts.size() == 2 ? parts[1] : "", mac, queues);
    if (!p.ok()) return p.status();
    return std::unique_ptr<Port>(std::move(*p));
  }
  if (driver == "memory" || spec == "memory") {
    // memory[:NAME][:sink]
    std::string name = "memory";
    MemoryPort::Options options;
    if (!driver.empty()) {
      for (const std::string& part : Split(rest, ':')) {
        if (part == "sink") {
          options.sink = true;
        } else if (!part.empty() && name == "memory") {
          name = part;
        } else {
          return BadSpec(spec, "expected memory[:NAME][:sink]");
        }
      }
    }
    return std::unique_ptr<Port>(std::make_unique<MemoryPort>(name, queues, options));
  }
  return BadSpec(spec,
                 "unknown driver '" + std::string(driver) + "' (af_packet, af_xdp, pcap, memory)");
}

}  // namespace sabina::io
