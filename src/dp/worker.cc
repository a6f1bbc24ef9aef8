#include "dp/worker.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "base/rcu.h"

namespace sabina::dp {
namespace {

uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

// Empty turns before a worker sleeps in poll(), and how long it sleeps at most: it wakes for
// Stop() and for readable queues; ports without a descriptor (memory, pcap) are polled again
// after kSleepNoFdMs.
constexpr uint32_t kIdleTurnsBeforeSleep = 256;
constexpr int kSleepMs = 100;
constexpr int kSleepNoFdMs = 10;

}  // namespace

void Trace::Arm(uint32_t packets) {
  std::lock_guard lock(mu_);
  if (packets == 0) records_.clear();
  budget_.store(packets, std::memory_order_relaxed);
}

std::vector<TraceRecord> Trace::Snapshot() const {
  std::lock_guard lock(mu_);
  return records_;
}

bool Trace::TakeOne(uint64_t* seq) {
  std::lock_guard lock(mu_);
  uint32_t budget = budget_.load(std::memory_order_relaxed);
  if (budget == 0) return false;
  budget_.store(budget - 1, std::memory_order_relaxed);
  *seq = next_seq_++;
  return true;
}

void Trace::Record(const packet::Buffer& b, NodeId node, uint16_t drop) {
  std::lock_guard lock(mu_);
  if (records_.size() >= kMaxRecords) return;
  TraceRecord r{};
  r.packet = b.trace_seq;
  r.node = node;
  r.drop = drop;
  r.length = b.length;
  std::memcpy(r.bytes, b.data(), std::min<uint32_t>(b.length, sizeof(r.bytes)));
  records_.push_back(r);
}

Worker::Worker(uint32_t index, Tables& tables, std::vector<io::Port*> ports, PuntRing& punt,
               int punt_eventfd, uint32_t pool_buffers)
    : index_(index),
      tables_(tables),
      ports_(std::move(ports)),
      punt_(punt),
      punt_eventfd_(punt_eventfd),
      pool_(pool_buffers),
      tx_(ports_.size()) {
  CreateNodes(*this, nodes_);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

Worker::~Worker() {
  if (wake_fd_ >= 0) close(wake_fd_);
}

void Worker::ArcStart(Arc arc, packet::Buffer* b) {
  b->arc_position = 0;
  uint32_t ifx = arc == Arc::kEgress ? b->tx_if : b->rx_if;
  Enqueue(static_cast<NodeId>(ifs_->interfaces[ifx].arcs[static_cast<uint32_t>(arc)][0]), b);
}

void Worker::ArcNext(Arc arc, packet::Buffer* b) {
  uint32_t ifx = arc == Arc::kEgress ? b->tx_if : b->rx_if;
  uint32_t pos = ++b->arc_position;
  Enqueue(static_cast<NodeId>(ifs_->interfaces[ifx].arcs[static_cast<uint32_t>(arc)][pos]), b);
}

void Worker::Punt(packet::Buffer* b, PuntReason reason, uint32_t interface, bool v6,
                  const uint8_t* address) {
  PuntSlot* slot = punt_.Reserve();
  if (slot == nullptr) {
    Drop(b, DropReason::kPuntQueueFull);
    return;
  }
  slot->reason = reason;
  slot->v6 = v6;
  slot->vlan = b->vlan;
  slot->interface = interface;
  slot->length = std::min<uint32_t>(b->length, sizeof(slot->data));
  if (address != nullptr) std::memcpy(slot->address, address, v6 ? 16 : 4);
  std::memcpy(slot->data, b->data(), slot->length);
  punt_.Commit();
  punted_ = true;
  counters_.Count(Event::kPunted);
  pool_.Free(b);
}

void Worker::RunNode(NodeId id) {
  auto i = static_cast<uint32_t>(id);
  packet::Frame& pending = pending_[i];
  uint32_t n = pending.count;
  if (n == 0) return;
  // The node may enqueue to itself (or, through a full frame, recurse into itself): hand it
  // a private copy of the vector.
  packet::Buffer* vector[packet::kFrameSize];
  std::memcpy(vector, pending.buffers, n * sizeof(vector[0]));
  pending.count = 0;
  NodeStats& stats = node_stats_[i];
  stats.calls.store(stats.calls.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  stats.packets.store(stats.packets.load(std::memory_order_relaxed) + n,
                      std::memory_order_relaxed);
  NodeId saved = current_;
  current_ = id;
  if (tracing_turn_) {
    for (uint32_t k = 0; k < n; ++k) {
      if (vector[k]->flags & packet::kFlagTraced) trace_.Record(*vector[k], id, 0);
    }
  }
  nodes_[i]->Process(*this, vector, n);
  current_ = saved;
}

void Worker::RunGraph() {
  bool any = true;
  while (any) {
    any = false;
    for (uint32_t i = 0; i < kNodeCount; ++i) {
      if (pending_[i].count != 0) {
        RunNode(static_cast<NodeId>(i));
        any = true;
      }
    }
  }
  for (uint32_t p = 0; p < tx_.size(); ++p) {
    if (tx_[p].count != 0) FlushTx(p);
  }
  if (punted_) {
    punted_ = false;
    uint64_t one = 1;
    if (punt_eventfd_ >= 0) (void)!write(punt_eventfd_, &one, sizeof(one));
  }
}

void Worker::FlushTx(uint32_t port) {
  TxBatch& t = tx_[port];
  counters_.Count(Event::kTxPackets, t.count);
  ports_[port]->Tx(index_, t.buffers, t.count, pool_);
  t.count = 0;
}

void Worker::BeginTurn() {
  tracing_turn_ = false;
  ifs_ = tables_.interfaces();
  now_ns_ = MonotonicNs();
}

uint32_t Worker::Poll() {
  BeginTurn();
  if (ifs_ == nullptr) return 0;  // not configured yet
  uint32_t total = 0;
  packet::Buffer* rx[packet::kFrameSize];
  for (io::Port* port : ports_) {
    uint32_t n = port->Rx(index_, pool_, rx, packet::kFrameSize);
    if (n == 0) continue;
    total += n;
    bool tracing = trace_.active();
    for (uint32_t k = 0; k < n; ++k) {
      uint64_t seq;
      if (tracing && trace_.TakeOne(&seq)) {
        rx[k]->flags |= packet::kFlagTraced;
        tracing_turn_ = true;
        rx[k]->trace_seq = static_cast<uint32_t>(seq);
      }
    }
    Inject(rx, n);
  }
  return total;
}

void Worker::Inject(packet::Buffer** buffers, uint32_t n) {
  if (ifs_ == nullptr) BeginTurn();
  counters_.Count(Event::kRxPackets, n);
  packet::Frame& f = pending_[static_cast<uint32_t>(NodeId::kEthernetInput)];
  for (uint32_t k = 0; k < n; ++k) {
    f.buffers[f.count++] = buffers[k];
    if (f.count == packet::kFrameSize) RunNode(NodeId::kEthernetInput);
  }
  RunGraph();
}

void Worker::Run() {
  rcu::ReaderScope rcu_reader;
  std::vector<pollfd> fds;
  for (io::Port* port : ports_) {
    int fd = port->WaitFd(index_);
    if (fd >= 0) fds.push_back({fd, POLLIN, 0});
  }
  int sleep_ms = fds.size() == ports_.size() ? kSleepMs : kSleepNoFdMs;
  fds.push_back({wake_fd_, POLLIN, 0});
  uint32_t idle = 0;
  while (!stop_.load(std::memory_order_relaxed)) {
    uint32_t n = Poll();
    rcu::Quiescent();
    if (n != 0) {
      idle = 0;
      continue;
    }
    if (++idle < kIdleTurnsBeforeSleep) continue;
    rcu::Offline();
    poll(fds.data(), fds.size(), sleep_ms);
    rcu::Online();
    idle = 0;
  }
}

void Worker::Stop() {
  stop_.store(true);
  uint64_t one = 1;
  (void)!write(wake_fd_, &one, sizeof(one));
}

void Worker::ClearCounters() {
  for (auto& c : counters_.drops) c.store(0, std::memory_order_relaxed);
  for (auto& c : counters_.events) c.store(0, std::memory_order_relaxed);
}

}  // namespace sabina::dp
