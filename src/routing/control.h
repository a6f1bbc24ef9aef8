// The control thread (architecture section 1): owns the ports' takeover, the host (TAP)
// interfaces, the neighbour tables (ARP/ND), the RIB and the FIB builder, and the data plane's
// workers. Everything that changes data-plane tables happens here.
//
// Event loop: punt rings (Dataplane::punt_eventfd), tap descriptors, a timer (neighbour aging,
// retries, link state), and requests from the mgmt thread (ApplyConfig, Call).
//
// Thread: Create/Start/Stop on the main thread; ApplyConfig and Call from the mgmt thread
// (they block until the control thread has done the work); the accessors below only on the
// control thread, i.e. inside a function passed to Call().
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "config/bindings/interfaces.h"
#include "config/bindings/routing_options.h"
#include "dp/dataplane.h"
#include "packet/headers.h"

namespace sabina::routing {

class Rib;
class Neighbors;
class FibBuilder;

// A logical interface (unit) as the control thread sees it, for `show interfaces`.
struct UnitState {
  std::string name;       // "ge-0/0/0.0"
  std::string host_name;  // its tap, "ge-0-0-0.0"
  uint32_t dp_index = 0;  // dp::Interface index
  uint16_t vlan = 0;
  bool admin_up = false;                 // unit not disabled
  std::vector<std::string> inet, inet6;  // configured addresses "192.0.2.1/24"
};
struct PortState {
  std::string name;         // "ge-0/0/0"
  std::string device;       // Linux device / spec
  uint32_t port = 0;        // io port index
  bool configured = false;  // present under [edit interfaces]
  bool admin_up = false;    // not disabled
  bool link_up = false;
  uint32_t mtu = 1514;  // media MTU (Junos shows the link-level MTU)
  packet::MacAddr mac;
  std::string description;
  int64_t flapped = 0;  // unix time of the last link state change
  std::vector<UnitState> units;
};

// Traffic of one logical interface since the last `clear interfaces statistics`: what the
// workers received on it and sent on it, plus the frames the router itself sent (from its
// host interface).
struct UnitTraffic {
  uint64_t in_packets = 0, in_bytes = 0, out_packets = 0, out_bytes = 0;
};

// Frames the control thread moved or dropped (show dataplane / system statistics).
struct ControlCounters {
  uint64_t host_packets = 0;   // punted frames written to a tap (kHost, kArp, kNd)
  uint64_t host_drops = 0;     // punted frames for no unit, no tap, or refused by the kernel
  uint64_t tap_packets = 0;    // frames read from taps and sent out of a port
  uint64_t tap_drops = 0;      // tap frames for a down unit, too big, or no buffer
  uint64_t resolve_drops = 0;  // kResolve punts for an unknown or down unit
  uint64_t announcements = 0;  // gratuitous ARPs and unsolicited NAs sent
};

class Control {
 public:
  struct Options {
    std::vector<dp::PortBinding> ports;
    uint32_t workers = 1;
  };
  // Takes the ports' devices over and opens them; starts nothing yet.
  static StatusOr<std::unique_ptr<Control>> Create(const Options& options);
  ~Control();

  // Starts the workers and the control thread.
  Status Start();
  void Stop();

  // mgmt thread (the forwarding feature's Apply): makes interfaces, addresses and routes match
  // these snapshots; returns when the data plane uses them. A configured interface without a
  // --port is kept but inactive (like Junos for absent hardware).
  void ApplyConfig(std::shared_ptr<const config::InterfaceTable> interfaces,
                   std::shared_ptr<const config::RoutingConfig> routing);
  // mgmt thread: runs `fn` on the control thread and waits for it. Before Start() and after
  // Stop() (no control thread), runs it on the caller's thread.
  void Call(const std::function<void()>& fn);

  // --- control thread only (inside Call) ---
  // Neighbour times (NeighborEntry::expires_ms, confirmed_ms) are CLOCK_MONOTONIC milliseconds.
  dp::Dataplane& dataplane();
  const Rib& rib() const;
  Neighbors& neighbors();
  const FibBuilder& fib() const;
  const std::vector<PortState>& ports() const;
  const ControlCounters& counters() const;
  // The unit name of a dp::Interface index ("" when unknown).
  std::string InterfaceName(uint32_t dp_index) const;
  UnitTraffic Traffic(uint32_t dp_index);
  void ClearTraffic(uint32_t dp_index);

 private:
  Control();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sabina::routing
