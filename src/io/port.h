// io::Port — one network device as the data plane sees it, whatever the driver (architecture
// section 3): AF_PACKET (TPACKET_V3 rings, fanout), AF_XDP (libxdp), pcap files, memory.
//
// A port has `queues` queues. Queues 0..workers-1 belong to the workers (worker i polls queue
// i; the driver spreads received packets over them by flow, e.g. PACKET_FANOUT_HASH). The last
// queue (index workers) is transmit-only and belongs to the control thread, which sends ARP/ND
// requests, frames the kernel writes to the host (TAP) interfaces and packets that waited for
// address resolution.
//
// Thread: queue q is used by exactly one thread. Stats() may be called from any thread (the
// counters are per queue, relaxed atomics, summed on read). Open/close at start-up and shutdown
// (stop-the-world, logged).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "packet/buffer.h"
#include "packet/headers.h"

namespace sabina::io {

struct PortStats {
  uint64_t rx_packets = 0, rx_bytes = 0, rx_drops = 0, rx_errors = 0;
  uint64_t tx_packets = 0, tx_bytes = 0, tx_drops = 0, tx_errors = 0;
  PortStats& operator+=(const PortStats& o);
};

// Per-queue counters, written by the queue's thread only.
struct QueueCounters {
  std::atomic<uint64_t> rx_packets{0}, rx_bytes{0}, rx_drops{0}, rx_errors{0};
  std::atomic<uint64_t> tx_packets{0}, tx_bytes{0}, tx_drops{0}, tx_errors{0};
  void Add(std::atomic<uint64_t>& c, uint64_t n) {
    c.store(c.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  PortStats Read() const;
};

class Port {
 public:
  virtual ~Port() = default;

  // "af_packet", "af_xdp", "pcap", "memory".
  virtual const char* driver() const = 0;
  // The Linux device (or file, for pcap) the port is bound to.
  const std::string& device() const { return device_; }
  uint32_t queues() const { return queues_; }
  const packet::MacAddr& mac() const { return mac_; }
  // Largest frame the device takes (its MTU + Ethernet/VLAN headers), for the rewrite checks.
  uint32_t max_frame() const { return max_frame_; }

  // Receives up to `max` packets into buffers from `pool`, returns how many. Sets length,
  // offset and rx_port (= index()). Never blocks.
  virtual uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
                      uint32_t max) = 0;
  // Sends n packets and always consumes them: sent ones and ones the device refused (counted
  // as tx_drops) go back to `pool`. Never blocks.
  virtual void Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n,
                  packet::BufferPool& pool) = 0;
  // A descriptor that polls readable when queue `queue` may have packets; -1 when the driver
  // has none (memory, pcap: always ready or never).
  virtual int WaitFd(uint32_t queue) const = 0;

  PortStats Stats() const;
  void ClearStats();  // "clear interfaces statistics": remembers a baseline

  uint32_t index() const { return index_; }
  void set_index(uint32_t index) { index_ = index; }

 protected:
  Port(std::string device, uint32_t queues);
  QueueCounters& counters(uint32_t queue) { return counters_[queue]; }

  std::string device_;
  uint32_t queues_;
  packet::MacAddr mac_;
  uint32_t max_frame_ = 1514;

 private:
  uint32_t index_ = 0;
  std::unique_ptr<QueueCounters[]> counters_;
  PortStats baseline_;
};

// Opens a port from a `--port` device spec:
//   DEV | af_packet:DEV   AF_PACKET on Linux device DEV
//   af_xdp:DEV            AF_XDP on DEV (copy mode on veth)
//   pcap:IN[:OUT]         replay the pcap file IN once (as fast as the worker takes it), write
//                         transmitted frames to OUT (or discard them)
//   memory                an in-memory port (benchmarks, unit tests)
// `queues` = workers + 1 (the last one transmit-only, for the control thread).
StatusOr<std::unique_ptr<Port>> OpenPort(std::string_view spec, uint32_t queues);

}  // namespace sabina::io
