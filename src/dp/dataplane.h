// The data plane as a whole: the ports bound with `--port`, the tables workers read, the
// workers and their threads, and the punt rings to the control thread.
//
// Start-up order (daemon): Create (opens ports; stop-the-world by definition), the control
// thread publishes a first IfTable, Start() (worker threads), ... Stop() (joins workers),
// destruction (closes ports).
//
// Thread: Create/Start/Stop on the main thread. tables(), ports and ControlTransmit() on the
// control thread (ControlTransmit uses each port's last, transmit-only queue). Stats readers
// (workers' counters, port stats) on any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/status.h"
#include "dp/punt.h"
#include "dp/tables.h"
#include "dp/worker.h"
#include "io/port.h"
#include "packet/buffer.h"

namespace sabina::dp {

struct PortBinding {
  std::string name;  // Junos physical interface, "ge-0/0/0"
  std::string spec;  // io::OpenPort spec: "veth-a", "af_xdp:veth-a", "pcap:in.pcap:out.pcap"
};

class Dataplane {
 public:
  static StatusOr<std::unique_ptr<Dataplane>> Create(const std::vector<PortBinding>& ports,
                                                     uint32_t workers);
  ~Dataplane();

  void Start();
  void Stop();

  Tables& tables() { return tables_; }
  uint32_t port_count() const { return static_cast<uint32_t>(ports_.size()); }
  io::Port& port(uint32_t i) { return *ports_[i]; }
  const std::string& port_name(uint32_t i) const { return names_[i]; }
  std::optional<uint32_t> FindPort(std::string_view junos_name) const;

  uint32_t worker_count() const { return static_cast<uint32_t>(workers_.size()); }
  Worker& worker(uint32_t i) { return *workers_[i]; }
  PuntRing& punt(uint32_t i) { return *punts_[i]; }
  // Readable when some worker punted; the control thread reads (drains) it, then every ring.
  int punt_eventfd() const { return punt_eventfd_; }

  // Control thread: a buffer from its own pool, sent out of `port` on the control queue.
  packet::BufferPool& control_pool() { return control_pool_; }
  void ControlTransmit(uint32_t port, packet::Buffer* b);

 private:
  Dataplane();

  Tables tables_;
  std::vector<std::unique_ptr<io::Port>> ports_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<PuntRing>> punts_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
  int punt_eventfd_ = -1;
  packet::BufferPool control_pool_;
};

}  // namespace sabina::dp
