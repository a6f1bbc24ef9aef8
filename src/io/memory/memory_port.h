// MemoryPort: the in-memory driver, for unit tests and benchmarks (architecture section 3).
//
// Receive side, per queue: frames handed to Enqueue() are received once, in order; frames
// given to SetReplay() are received forever, round robin (a benchmark's traffic generator:
// every Rx fills the whole vector). Transmit side: every frame is counted; unless the port is
// a sink, copies of the last `keep` frames are kept for Transmitted()/TakeTransmitted().
//
// Thread: Rx/Tx of queue q on its owner thread. Enqueue, SetReplay (before the queue's thread
// runs, or while it is stopped), Transmitted/TakeTransmitted and counts on any thread: the
// per-queue mutexes are taken once per batch, and only when frames are waiting or kept,
// never in sink/replay mode.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/port.h"

namespace sabina::io {

class MemoryPort final : public Port {
 public:
  struct Options {
    bool sink = false;     // Tx only counts and frees
    uint32_t keep = 4096;  // transmitted frames kept (most recent)
    uint32_t mtu = 1500;   // max_frame = mtu + 18
  };
  // `name` names the port (device()); the MAC is 02:00 followed by a hash of it.
  MemoryPort(std::string name, uint32_t queues);
  MemoryPort(std::string name, uint32_t queues, Options options);

  const char* driver() const override { return "memory"; }
  uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
              uint32_t max) override;
  void Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) override;
  int WaitFd(uint32_t) const override { return -1; }

  // Frames to receive once on `queue`.
  void Enqueue(uint32_t queue, const uint8_t* frame, uint32_t length);
  void Enqueue(uint32_t queue, const std::vector<uint8_t>& frame) {
    Enqueue(queue, frame.data(), static_cast<uint32_t>(frame.size()));
  }
  // Frames `queue` receives forever, round robin (empty = stop).
  void SetReplay(uint32_t queue, std::vector<std::vector<uint8_t>> frames);
  // Frames still waiting to be received on `queue`.
  size_t pending(uint32_t queue) const;

  // Copies of the kept transmitted frames of all queues (oldest first per queue), and the
  // same with the kept frames cleared.
  std::vector<std::vector<uint8_t>> Transmitted() const;
  std::vector<std::vector<uint8_t>> TakeTransmitted();
  // Frames transmitted on `queue` (all, kept or not).
  uint64_t transmitted(uint32_t queue) const;

  void set_mac(const packet::MacAddr& mac) { mac_ = mac; }

 private:
  struct Queue {
    mutable std::mutex mu;
    std::deque<std::vector<uint8_t>> rx;       // under mu
    std::atomic<size_t> rx_count{0};           // rx.size(), checked without the lock
    std::vector<std::vector<uint8_t>> replay;  // owner thread (see SetReplay)
    size_t replay_next = 0;
    std::deque<std::vector<uint8_t>> tx;  // under mu
    std::atomic<uint64_t> tx_count{0};
  };
  Options options_;
  std::unique_ptr<Queue[]> q_;
};

}  // namespace sabina::io
