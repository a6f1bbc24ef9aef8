// The data-plane graph's nodes (architecture section 3). The graph is fixed and listed here
// once, in dispatch order: a worker runs every node with pending packets in this order, and
// repeats while any has packets (icmp errors feed the lookups again).
//
// A node processes a vector of up to packet::kFrameSize buffers per call: one virtual call per
// vector, never per packet. It hands every packet on with Worker::Enqueue(next, b) or drops it
// with Worker::Drop(b, reason). Nodes are created per worker (they may keep worker-local state,
// e.g. the ICMP rate limiter) by CreateNodes() in src/dp/nodes/nodes.cc.
//
// Thread: the owning worker.
#pragma once

#include <cstdint>
#include <memory>

#include "packet/buffer.h"

namespace sabina::dp {

class Worker;

#define SABINA_NODES(X)                          \
  X(kEthernetInput, "ethernet-input")            \
  X(kArpInput, "arp-input")                      \
  X(kIp4Input, "ip4-input")                      \
  X(kIp6Input, "ip6-input")                      \
  X(kIp4Lookup, "ip4-lookup")                    \
  X(kIp6Lookup, "ip6-lookup")                    \
  X(kIp4Local, "ip4-local")                      \
  X(kIp6Local, "ip6-local")                      \
  X(kIp4Rewrite, "ip4-rewrite")                  \
  X(kIp6Rewrite, "ip6-rewrite")                  \
  X(kIp4Fragment, "ip4-fragment")                \
  X(kIcmp4Error, "icmp4-error")                  \
  X(kIcmp6Error, "icmp6-error")                  \
  X(kPunt, "punt")                               \
  X(kInterfaceOutput, "interface-output")

enum class NodeId : uint16_t {
#define SABINA_NODE_ENUM(e, name) e,
  SABINA_NODES(SABINA_NODE_ENUM)
#undef SABINA_NODE_ENUM
      kCount
};
inline constexpr uint32_t kNodeCount = static_cast<uint32_t>(NodeId::kCount);

const char* NodeName(NodeId id);

class Node {
 public:
  virtual ~Node() = default;
  virtual void Process(Worker& worker, packet::Buffer** buffers, uint32_t count) = 0;
};

// Fills nodes[i] for every NodeId i (src/dp/nodes/nodes.cc: the one explicit list).
void CreateNodes(Worker& worker, std::unique_ptr<Node> (&nodes)[kNodeCount]);

}  // namespace sabina::dp
