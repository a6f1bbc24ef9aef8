// Control's private state (routing/control.h), shared by control.cc (life cycle, event loop,
// requests from mgmt), control_config.cc (ApplyConfig: units, taps, IfTable, RIB, kernel
// routes) and control_io.cc (punts, tap frames, the neighbour manager's I/O).
//
// Thread: control (or the main thread before Start / after Stop, when no control thread runs).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/bindings/interfaces.h"
#include "config/bindings/routing_options.h"
#include "dp/dataplane.h"
#include "platform/kernel_routes.h"
#include "platform/tap.h"
#include "routing/control.h"
#include "routing/fib_builder.h"
#include "routing/neighbor.h"
#include "routing/prefix.h"
#include "routing/rib.h"

namespace sabina::routing {

// A logical unit the control thread knows. Indexes (dp::Interface::index) are never reused for
// another name: a unit deleted and re-added gets its old index back, so in-flight packets and
// FIB entries never point at a different unit.
struct ControlUnit {
  std::string name;       // "ge-0/0/0.0"
  std::string host_name;  // its tap
  uint32_t port = packet::kInvalidIndex;
  bool active = false;    // configured on a bound port
  bool admin_up = false;  // neither the unit nor its physical interface disabled
  bool up = false;        // admin_up and link up
  uint16_t vlan = 0;
  uint32_t mtu = 1500;  // IP MTU
  packet::MacAddr mac;
  std::vector<std::string> inet, inet6;                // "192.0.2.1/24" as configured
  std::vector<std::pair<Address, uint8_t>> addresses;  // parsed, both families
  std::optional<platform::Tap> tap;
  // What the tap was last set to: setting them again would make the kernel routes stale.
  uint32_t tap_mtu = 0;
  bool tap_up = false;
  std::vector<Address> announced;  // addresses a gratuitous ARP / unsolicited NA announced
  uint64_t host_tx_packets = 0, host_tx_bytes = 0;  // frames SendFrame sent for the router
  UnitTraffic cleared;                               // Traffic() at the last clear
};

struct ControlPort {
  std::string device;  // Linux device, "" for pcap/memory ports
  uint32_t original_mtu = 0;  // the device's MTU at start-up
  uint32_t device_mtu = 0;    // its MTU now
};

struct Control::Impl : public Neighbors::Io {
  Impl();
  ~Impl() override;

  // --- control.cc ---
  void Loop();
  void Post(const std::function<void()>& fn);  // runs fn on the control thread, waits
  void DrainRequests();
  void OnTimer();
  int64_t NowMs() const;

  // --- control_config.cc ---
  void Apply(std::shared_ptr<const config::InterfaceTable> interfaces,
             std::shared_ptr<const config::RoutingConfig> routing);
  // Recomputes everything from the current snapshots (after a link change).
  void Reapply() { Apply(interfaces, routing); }
  // Link state: netlink events as they happen (OnLinkEvents); every port device is read
  // again (ReadLinks) when events were lost, and every kLinkPollMs if the watcher could not
  // be opened.
  void OnLinkEvents();
  void ReadLinks();
  // Records port `p`'s link state; true when it changed.
  bool SetLink(uint32_t p, bool up);
  void PublishInterfaces();
  void SyncRoutes();
  void SyncKernelRoutes();
  void Announce(ControlUnit& unit);
  uint32_t UnitIndex(const std::string& name);
  void WatchTap(uint32_t index, bool watch);

  // --- control_io.cc ---
  void DrainPunts();
  void HandlePunt(const dp::PuntSlot& slot);
  void HandleArp(ControlUnit& unit, const dp::PuntSlot& slot);
  void HandleNd(ControlUnit& unit, const dp::PuntSlot& slot);
  void ReadTap(uint32_t index);
  // Sends `payload` (an L3 packet or ARP message) in an Ethernet frame from the unit's MAC
  // with its VLAN tag. False (counted) when the unit is down or the pool is empty.
  bool SendFrame(ControlUnit& unit, const packet::MacAddr& dst, uint16_t ether_type,
                 const uint8_t* payload, uint32_t length);
  bool IsOurAddress(const ControlUnit& unit, const Address& a) const;
  // `a` is on one of the unit's subnets (or IPv6 link-local).
  bool IsOnLink(const ControlUnit& unit, const Address& a) const;
  // The unit's address to source a request for `target` from: one whose subnet holds it, else
  // the first of the family; nullopt when the unit has none (IPv6: the EUI-64 link-local).
  std::optional<Address> SourceFor(const ControlUnit& unit, const Address& target) const;

  // Neighbors::Io
  void Solicit(uint32_t interface, const Address& target) override;
  void Resolved(uint32_t interface, const Address& address, const packet::MacAddr& mac) override;
  void Removed(uint32_t interface, const Address& address) override;
  void Send(uint32_t interface, const packet::MacAddr& mac, bool v6,
            const std::vector<uint8_t>& packet) override;

  std::unique_ptr<dp::Dataplane> dataplane;
  std::vector<ControlPort> port_info;
  std::vector<PortState> ports;    // for show, by dp port index
  std::vector<ControlUnit> units;  // by dp interface index; 0 is a placeholder, never used
  std::map<std::string, uint32_t> unit_index;
  std::shared_ptr<const config::InterfaceTable> interfaces;
  std::shared_ptr<const config::RoutingConfig> routing;
  Rib rib;
  std::unique_ptr<FibBuilder> fib;
  std::unique_ptr<Neighbors> neighbors;
  std::map<std::pair<uint32_t, Address>, uint32_t> neighbor_adjacencies;  // our references
  std::optional<platform::KernelRoutes> kernel_routes;
  ControlCounters counters;

  // Event loop.
  int epoll_fd = -1;
  int timer_fd = -1;
  int request_fd = -1;
  std::optional<platform::LinkWatcher> link_watcher;
  int64_t links_read_ms = 0;  // the last ReadLinks (polling without a watcher)
  std::thread thread;
  bool running = false;  // the control thread runs (set/cleared by Start/Stop)
  bool stop = false;     // asks the loop to end (control thread)

  struct Request {
    const std::function<void()>* fn;
    bool done = false;
  };
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Request*> requests;
};

}  // namespace sabina::routing
