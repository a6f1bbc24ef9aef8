// interface-output: the end node of the egress arc: queues the frame on the io port of its
// egress unit (Worker::Transmit; the worker sends each port's batch once per graph run, or
// when it holds a full vector).
//
// Next nodes: none (the port's transmit queue of this worker).
// Drops: tx-error (a unit without a port: a control-thread table bug, never a packet's fault).
// Example: frame for ge-0/0/1.0 (port 1) -> port 1's transmit batch.
//
// Thread: the owning worker.
#pragma once

#include "dp/node.h"

namespace sabina::dp {

class InterfaceOutputNode final : public Node {
 public:
  void Process(Worker& w, packet::Buffer** v, uint32_t n) override;
};

}  // namespace sabina::dp
