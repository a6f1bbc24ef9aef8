// A worker: one run-to-completion loop (architecture sections 1 and 3). Each turn it receives
// a vector from its queue of every port, pushes it through the node graph (node.h), transmits
// what the nodes queued per port, passes an RCU quiescent point and, when idle for a while,
// sleeps in poll() on its queues' descriptors (offline for RCU) so an idle router costs no CPU.
//
// Worker-local state: the buffer pool, the pending frame of every node, per-port transmit
// batches, counters, the packet trace. Shared read-only: Tables (tables.h). Output to control:
// the punt ring (punt.h) plus an eventfd poke once per turn that punted anything.
//
// Thread: everything here runs on the worker's own thread, except Stop(), counters(),
// node_stats(), trace() readers and SetTrace(), which any thread may call.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dp/counters.h"
#include "dp/node.h"
#include "dp/punt.h"
#include "dp/tables.h"
#include "io/port.h"
#include "packet/buffer.h"

namespace sabina::dp {

struct NodeStats {
  std::atomic<uint64_t> calls{0}, packets{0};
};

// `monitor`-style packet trace: off by default; when armed with a budget of N packets, the
// next N packets received are marked and every node they visit is recorded.
struct TraceRecord {
  uint64_t packet;  // sequence number of the traced packet
  NodeId node;
  uint16_t drop;    // DropReason + 1 when the node dropped it, else 0
  uint32_t length;
  uint8_t bytes[64];  // the packet's first bytes as the node saw them
};

class Trace {
 public:
  void Arm(uint32_t packets);  // any thread; 0 disarms and clears
  std::vector<TraceRecord> Snapshot() const;  // any thread
  // Worker side.
  bool active() const { return budget_.load(std::memory_order_relaxed) != 0; }
  bool TakeOne(uint64_t* seq);
  void Record(const packet::Buffer& b, NodeId node, uint16_t drop);

 private:
  static constexpr size_t kMaxRecords = 4096;
  mutable std::mutex mu_;  // taken only while tracing (off by default)
  std::atomic<uint32_t> budget_{0};
  uint64_t next_seq_ = 0;
  std::vector<TraceRecord> records_;
};

class Worker {
 public:
  Worker(uint32_t index, Tables& tables, std::vector<io::Port*> ports, PuntRing& punt,
         int punt_eventfd, uint32_t pool_buffers = 16384);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // --- for nodes ---
  void Enqueue(NodeId next, packet::Buffer* b) {
    packet::Frame& f = pending_[static_cast<uint32_t>(next)];
    f.buffers[f.count++] = b;
    if (f.count == packet::kFrameSize) RunNode(next);
  }
  void Drop(packet::Buffer* b, DropReason reason) {
    if (b->flags & packet::kFlagTraced) trace_.Record(*b, current_, static_cast<uint16_t>(reason) + 1);
    counters_.Drop(reason);
    pool_.Free(b);
  }
  // Counts a drop reason for a packet the node turns into something else (an ICMP error).
  void CountDrop(DropReason reason) { counters_.Drop(reason); }
  void Count(Event e, uint64_t n = 1) { counters_.Count(e, n); }
  // A frame received on / sent on logical interface `itf` (ethernet-input, interface-output).
  void CountUnitRx(uint32_t itf, uint32_t bytes) {
    if (itf >= kMaxCountedUnits) return;
    UnitCounters::Add(unit_counters_[itf].rx_packets, 1);
    UnitCounters::Add(unit_counters_[itf].rx_bytes, bytes);
  }
  void CountUnitTx(uint32_t itf, uint32_t bytes) {
    if (itf >= kMaxCountedUnits) return;
    UnitCounters::Add(unit_counters_[itf].tx_packets, 1);
    UnitCounters::Add(unit_counters_[itf].tx_bytes, bytes);
  }
  // Queues b for transmission on port `port` (interface-output).
  void Transmit(uint32_t port, packet::Buffer* b) {
    TxBatch& t = tx_[port];
    t.buffers[t.count++] = b;
    if (t.count == packet::kFrameSize) FlushTx(port);
  }
  // Starts/continues b on feature arc `arc` of its interface (rx_if, or tx_if for kEgress).
  void ArcStart(Arc arc, packet::Buffer* b);
  void ArcNext(Arc arc, packet::Buffer* b);
  // Hands b to the control thread (copies it into the punt ring) and frees it.
  void Punt(packet::Buffer* b, PuntReason reason, uint32_t interface, bool v6,
            const uint8_t* address = nullptr);

  const IfTable& interfaces() const { return *ifs_; }  // the snapshot of this turn
  Tables& tables() { return tables_; }
  packet::BufferPool& pool() { return pool_; }
  uint64_t now_ns() const { return now_ns_; }  // CLOCK_MONOTONIC at the start of the turn
  uint32_t index() const { return index_; }

  // --- the loop ---
  // Runs until Stop(); registers with RCU for its lifetime.
  void Run();
  void Stop();
  // One turn without the RCU/idle handling: receive, run the graph, transmit. Returns the
  // packets received. Used by Run() and by tests/benchmarks driving a worker inline.
  uint32_t Poll();
  // Feeds n received buffers (rx_port set) into ethernet-input and runs the graph to the end
  // (benchmarks, tests).
  void Inject(packet::Buffer** buffers, uint32_t n);

  // --- any thread ---
  const Counters& counters() const { return counters_; }
  // itf < kMaxCountedUnits. Never cleared (`clear interfaces statistics` keeps a baseline).
  const UnitCounters& unit_counters(uint32_t itf) const { return unit_counters_[itf]; }
  const NodeStats& node_stats(NodeId id) const { return node_stats_[static_cast<uint32_t>(id)]; }
  Trace& trace() { return trace_; }
  void ClearCounters();

 private:
  struct TxBatch {
    uint32_t count = 0;
    packet::Buffer* buffers[packet::kFrameSize];
  };
  void RunNode(NodeId id);
  void RunGraph();
  void FlushTx(uint32_t port);
  void BeginTurn();

  uint32_t index_;
  Tables& tables_;
  std::vector<io::Port*> ports_;
  PuntRing& punt_;
  int punt_eventfd_;
  bool punted_ = false;
  bool tracing_turn_ = false;  // some packet of this turn is traced
  packet::BufferPool pool_;
  const IfTable* ifs_ = nullptr;
  uint64_t now_ns_ = 0;
  NodeId current_ = NodeId::kEthernetInput;
  std::unique_ptr<Node> nodes_[kNodeCount];
  packet::Frame pending_[kNodeCount];
  std::vector<TxBatch> tx_;
  Counters counters_;
  std::unique_ptr<UnitCounters[]> unit_counters_{new UnitCounters[kMaxCountedUnits]};
  NodeStats node_stats_[kNodeCount];
  Trace trace_;
  std::atomic<bool> stop_{false};
  int wake_fd_ = -1;  // eventfd: Stop() wakes a sleeping worker
};

}  // namespace sabina::dp
