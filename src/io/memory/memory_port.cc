#include "io/memory/memory_port.h"

#include "io/name_mac.h"

namespace sabina::io {

MemoryPort::MemoryPort(std::string name, uint32_t queues)
    : MemoryPort(std::move(name), queues, Options{}) {}

MemoryPort::MemoryPort(std::string name, uint32_t queues, Options options)
    : Port(std::move(name), queues), options_(options), q_(new Queue[queues]) {
  mac_ = MacFromName(device_);
  max_frame_ = options_.mtu + 18;
}

void MemoryPort::Enqueue(uint32_t queue, const uint8_t* frame, uint32_t length) {
  Queue& q = q_[queue];
  std::lock_guard lock(q.mu);
  q.rx.emplace_back(frame, frame + length);
  q.rx_count.store(q.rx.size(), std::memory_order_release);
}

void MemoryPort::SetReplay(uint32_t queue, std::vector<std::vector<uint8_t>> frames) {
  q_[queue].replay = std::move(frames);
  q_[queue].replay_next = 0;
}

size_t MemoryPort::pending(uint32_t queue) const {
  return q_[queue].rx_count.load(std::memory_order_acquire);
}

uint32_t MemoryPort::Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
                        uint32_t max) {
  Queue& q = q_[queue];
  QueueCounters& c = counters(queue);
  uint32_t n = 0;
  uint64_t bytes = 0;
  if (!q.replay.empty()) {
    n = pool.AllocBulk(out, max);
    if (n < max) c.Add(c.rx_drops, max - n);
    for (uint32_t i = 0; i < n; ++i) {
      const std::vector<uint8_t>& f = q.replay[q.replay_next];
      if (++q.replay_next == q.replay.size()) q.replay_next = 0;
      // An empty vector's data() may be null, which memcpy must not get even for 0 bytes.
      if (!f.empty()) out[i]->Assign(f.data(), static_cast<uint32_t>(f.size()));
      out[i]->rx_port = index();
      bytes += f.size();
    }
  } else if (q.rx_count.load(std::memory_order_acquire) != 0) {
    std::lock_guard lock(q.mu);
    while (n < max && !q.rx.empty()) {
      std::vector<uint8_t> f = std::move(q.rx.front());
      q.rx.pop_front();
      if (f.size() > packet::kMaxFrameBytes) {
        c.Add(c.rx_errors, 1);
        continue;
      }
      packet::Buffer* b = pool.Alloc();
      if (b == nullptr) {
        c.Add(c.rx_drops, 1);
        continue;
      }
      if (!f.empty()) b->Assign(f.data(), static_cast<uint32_t>(f.size()));
      b->rx_port = index();
      bytes += f.size();
      out[n++] = b;
    }
    q.rx_count.store(q.rx.size(), std::memory_order_release);
  }
  if (n != 0) {
    c.Add(c.rx_packets, n);
    c.Add(c.rx_bytes, bytes);
  }
  return n;
}

void MemoryPort::Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n,
                    packet::BufferPool& pool) {
  Queue& q = q_[queue];
  QueueCounters& c = counters(queue);
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < n; ++i) bytes += buffers[i]->length;
  if (!options_.sink && options_.keep != 0) {
    std::lock_guard lock(q.mu);
    for (uint32_t i = 0; i < n; ++i) {
      const packet::Buffer* b = buffers[i];
      if (q.tx.size() == options_.keep) q.tx.pop_front();
      q.tx.emplace_back(b->data(), b->data() + b->length);
    }
  }
  q.tx_count.fetch_add(n, std::memory_order_relaxed);
  pool.FreeBulk(buffers, n);
  c.Add(c.tx_packets, n);
  c.Add(c.tx_bytes, bytes);
}

std::vector<std::vector<uint8_t>> MemoryPort::Transmitted() const {
  std::vector<std::vector<uint8_t>> all;
  for (uint32_t i = 0; i < queues_; ++i) {
    std::lock_guard lock(q_[i].mu);
    all.insert(all.end(), q_[i].tx.begin(), q_[i].tx.end());
  }
  return all;
}

std::vector<std::vector<uint8_t>> MemoryPort::TakeTransmitted() {
  std::vector<std::vector<uint8_t>> all;
  for (uint32_t i = 0; i < queues_; ++i) {
    std::lock_guard lock(q_[i].mu);
    for (auto& f : q_[i].tx) all.push_back(std::move(f));
    q_[i].tx.clear();
  }
  return all;
}

uint64_t MemoryPort::transmitted(uint32_t queue) const {
  return q_[queue].tx_count.load(std::memory_order_relaxed);
}

}  // namespace sabina::io
