// The tables workers read (architecture section 3, kinds 1 and 2):
//   - IfTable: an immutable snapshot of logical interfaces and the (port, VLAN) -> interface
//     map, built by the control thread and published by an atomic pointer swap;
//   - the FIBs (fib/lpm.h), next hops and adjacencies (fib/nexthop.h): single-writer tables.
//
// Thread: Tables is created before the workers start and outlives them. Workers read; the
// control thread writes (PublishInterfaces, the FIBs, next hops, adjacencies).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dp/node.h"
#include "fib/lpm.h"
#include "fib/nexthop.h"
#include "packet/buffer.h"
#include "packet/headers.h"

namespace sabina::dp {

// Feature arcs (VPP-style): ordered lists of nodes a packet visits at a point of the path,
// per interface. A feature node hands the packet on with Worker::ArcNext(). The last node of
// every arc is the arc's end node (ip4-lookup, ip6-lookup, interface-output).
enum class Arc : uint8_t { kIp4Unicast, kIp6Unicast, kEgress, kCount };
inline constexpr uint32_t kArcCount = static_cast<uint32_t>(Arc::kCount);
inline constexpr uint32_t kMaxArcNodes = 8;

// An address of a logical interface (Junos `family inet|inet6 address A/L`). IPv4 in host
// order. ARP answers only for these; broadcasts are for the router when it has one.
inline constexpr uint32_t kMaxIfAddresses = 8;
struct IfAddress4 {
  uint32_t address = 0;
  uint8_t length = 0;
};
struct IfAddress6 {
  fib::Ip6 address;
  uint8_t length = 0;
};

// A logical interface (Junos unit), e.g. ge-0/0/0.0.
struct Interface {
  uint32_t index = 0;
  uint32_t port = packet::kInvalidIndex;  // io port index
  uint16_t vlan = 0;                      // 802.1Q VID; 0 = untagged
  bool up = false;                        // admin up (device, unit) and link up
  uint32_t mtu = 1500;                    // IP MTU (inet/inet6 payload of the frame)
  packet::MacAddr mac;
  uint32_t ip4_address = 0;  // primary IPv4 address, host order (ICMP error source); 0 = none
  fib::Ip6 ip6_address;      // primary IPv6 global address (ICMPv6 error source)
  bool has_ip6 = false;
  // Every configured address (the primary ones above included); the first *_count are valid.
  std::array<IfAddress4, kMaxIfAddresses> ip4_addresses{};
  std::array<IfAddress6, kMaxIfAddresses> ip6_addresses{};
  uint8_t ip4_address_count = 0;
  uint8_t ip6_address_count = 0;
  // Node ids, end node last. The default is the arcs with no feature enabled (just the end
  // node), so that an interface nobody configured arcs for still forwards.
  std::array<std::array<uint16_t, kMaxArcNodes>, kArcCount> arcs{
      {{static_cast<uint16_t>(NodeId::kIp4Lookup)},
       {static_cast<uint16_t>(NodeId::kIp6Lookup)},
       {static_cast<uint16_t>(NodeId::kInterfaceOutput)}}};
  std::string name;       // "ge-0/0/0.0" (control and show only)
  std::string host_name;  // the host (TAP) interface mirroring it, "ge-0-0-0.0"
};

struct PortMap {
  uint32_t untagged = packet::kInvalidIndex;  // interface for untagged frames
  std::vector<uint32_t> by_vlan;              // 4096 entries when the port has tagged units
};

struct IfTable {
  std::vector<Interface> interfaces;  // by index
  std::vector<PortMap> ports;         // by io port index
};

struct Tables {
  explicit Tables(uint32_t next_hop_capacity = 1u << 16, uint32_t adjacency_capacity = 1u << 16)
      : next_hops(next_hop_capacity), adjacencies(adjacency_capacity) {}

  const IfTable* interfaces() const { return interfaces_.load(std::memory_order_acquire); }
  // Control thread: publishes `next`, waits for a grace period, frees the previous table.
  void PublishInterfaces(std::unique_ptr<const IfTable> next);

  fib::Lpm4 fib4;
  fib::Lpm6 fib6;
  fib::NextHopTable next_hops;
  fib::AdjacencyTable adjacencies;

  ~Tables();

 private:
  std::atomic<const IfTable*> interfaces_{nullptr};
};

}  // namespace sabina::dp
