// PacketTxRing: one transmit-only AF_PACKET socket with a TPACKET_V2 TX ring on one device,
// PACKET_QDISC_BYPASS on. Used for every queue of the af_packet driver and for the control
// queue of the af_xdp driver.
//
// The socket is bound with protocol 0, so it never receives anything. Send() copies a batch of
// buffers into free ring slots and kicks the kernel once with a non-blocking send(); when the
// ring has no free slot (the kernel has not sent the previous frames yet) the rest of the batch
// is dropped and counted. Frames longer than the device takes are counted as errors.
//
// Thread: one thread per ring (the queue's owner). Ownership: owns the socket and the mapping.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "io/port.h"
#include "packet/buffer.h"

namespace sabina::io {

class PacketTxRing {
 public:
  PacketTxRing() = default;
  ~PacketTxRing();
  PacketTxRing(const PacketTxRing&) = delete;
  PacketTxRing& operator=(const PacketTxRing&) = delete;

  // `mtu`: the device's MTU now; frames up to mtu + 18 bytes are sent. A longer frame makes
  // the ring re-read the MTU (at most every kMtuRefreshNs) before it is counted as an error.
  Status Open(int ifindex, const std::string& device, uint32_t mtu);
  // Sends and frees all n buffers into `pool`; counts tx_packets/bytes/drops/errors.
  void Send(packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool,
            QueueCounters& counters);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  uint8_t* ring_ = nullptr;
  size_t ring_bytes_ = 0;
  uint32_t frame_size_ = 0;
  uint32_t frame_count_ = 0;
  uint32_t head_ = 0;  // next slot to fill
  std::string device_;
  uint32_t max_frame_ = 0;  // device MTU + 18, capped by the slot size
  uint64_t mtu_read_ns_ = 0;
};

}  // namespace sabina::io
