// Punt: packets a worker hands to the control thread (architecture section 3, host-bound
// traffic). One single-producer single-consumer ring per worker, of fixed slots holding a copy
// of the frame, so no buffer crosses threads and nothing is allocated. A full ring drops and
// counts (punt-queue-full): the control path may lose packets, the data path never waits.
//
// Thread: Push from the owning worker; Pop from the control thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "packet/buffer.h"

namespace sabina::dp {

enum class PuntReason : uint8_t {
  kHost,      // for the router itself: write to the host interface of `interface`
  kArp,       // an ARP packet (control learns; requests/replies also go to the host)
  kNd,        // an ICMPv6 neighbour discovery packet (NS/NA/RS/RA/redirect)
  kResolve,   // needs a neighbour: `address` on `interface` (glean or unresolved adjacency);
              // control resolves it, then sends the packet
};

struct PuntSlot {
  PuntReason reason;
  bool v6;
  uint16_t vlan;
  uint32_t interface;   // kHost/kArp/kNd: the receiving interface; kResolve: the egress one
  uint32_t length;      // frame bytes in data (kResolve: the IP packet without L2 header)
  uint8_t address[16];  // kResolve: the address to resolve, network order
  uint8_t data[packet::kMaxFrameBytes];
};

class PuntRing {
 public:
  explicit PuntRing(uint32_t slots = 256);  // slots: a power of two
  // Producer: a slot to fill, or nullptr when full; Commit() publishes it.
  PuntSlot* Reserve() {
    uint32_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_.load(std::memory_order_acquire) == mask_ + 1) return nullptr;
    return &slots_[head & mask_];
  }
  void Commit() { head_.store(head_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }
  // Consumer: the oldest slot or nullptr; Release() frees it.
  const PuntSlot* Peek() const {
    uint32_t tail = tail_.load(std::memory_order_relaxed);
    if (tail == head_.load(std::memory_order_acquire)) return nullptr;
    return &slots_[tail & mask_];
  }
  void Release() { tail_.store(tail_.load(std::memory_order_relaxed) + 1, std::memory_order_release); }

 private:
  uint32_t mask_;
  std::unique_ptr<PuntSlot[]> slots_;
  alignas(64) std::atomic<uint32_t> head_{0};
  alignas(64) std::atomic<uint32_t> tail_{0};
};

}  // namespace sabina::dp
