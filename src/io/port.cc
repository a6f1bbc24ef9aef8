#include "io/port.h"

namespace sabina::io {

PortStats& PortStats::operator+=(const PortStats& o) {
  rx_packets += o.rx_packets;
  rx_bytes += o.rx_bytes;
  rx_drops += o.rx_drops;
  rx_errors += o.rx_errors;
  tx_packets += o.tx_packets;
  tx_bytes += o.tx_bytes;
  tx_drops += o.tx_drops;
  tx_errors += o.tx_errors;
  return *this;
}

PortStats QueueCounters::Read() const {
  PortStats s;
  s.rx_packets = rx_packets.load(std::memory_order_relaxed);
  s.rx_bytes = rx_bytes.load(std::memory_order_relaxed);
  s.rx_drops = rx_drops.load(std::memory_order_relaxed);
  s.rx_errors = rx_errors.load(std::memory_order_relaxed);
  s.tx_packets = tx_packets.load(std::memory_order_relaxed);
  s.tx_bytes = tx_bytes.load(std::memory_order_relaxed);
  s.tx_drops = tx_drops.load(std::memory_order_relaxed);
  s.tx_errors = tx_errors.load(std::memory_order_relaxed);
  return s;
}

Port::Port(std::string device, uint32_t queues)
    : device_(std::move(device)),
      queues_(queues),
      counters_(std::make_unique<QueueCounters[]>(queues)) {}

PortStats Port::Stats() const {
  PortStats total;
  for (uint32_t q = 0; q < queues_; ++q) total += counters_[q].Read();
  PortStats s = total;
  s.rx_packets -= baseline_.rx_packets;
  s.rx_bytes -= baseline_.rx_bytes;
  s.rx_drops -= baseline_.rx_drops;
  s.rx_errors -= baseline_.rx_errors;
  s.tx_packets -= baseline_.tx_packets;
  s.tx_bytes -= baseline_.tx_bytes;
  s.tx_drops -= baseline_.tx_drops;
  s.tx_errors -= baseline_.tx_errors;
  return s;
}

void Port::ClearStats() {
  PortStats total;
  for (uint32_t q = 0; q < queues_; ++q) total += counters_[q].Read();
  baseline_ = total;
}

}  // namespace sabina::io
