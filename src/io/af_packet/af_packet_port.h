// AfPacketPort: the af_packet driver (architecture section 3). Works on any Linux Ethernet
// device, veth included.
//
// Per worker queue: one receive socket with a TPACKET_V3 ring (64 blocks of 256 KiB, blocks
// retired after 1 ms), all of them in one PACKET_FANOUT_HASH group so a flow (both directions:
// the kernel's hash is symmetric) always reaches the same worker, plus one transmit socket
// (tx_ring.h). The last queue (the control thread's) has only the transmit socket. No
// PACKET_FANOUT_FLAG_DEFRAG: it would reassemble IP fragments in the kernel, and a router
// forwards fragments as they came; the kernel's hash of a fragment (first or not) stops at the
// addresses, so all fragments of a datagram still reach one worker.
//
// Receive copies each frame into a Buffer and gives the data plane the frame as it was on the
// wire: an 802.1Q tag the kernel stripped into the ring header is put back. Packets that only
// exist inside the kernel are turned back into wire frames too, using the virtio-net header
// (PACKET_VNET_HDR): a CHECKSUM_PARTIAL packet (sent by a local stack over a veth) gets its L4
// checksum completed, and a GSO/GRO super-packet (TCPv4/TCPv6/UDP) is segmented into frames of
// its gso_size. Outgoing packets are never received (PACKET_IGNORE_OUTGOING and a check).
// Counters: rx_drops = pool empty or the kernel ring overflowed (PACKET_STATISTICS, read every
// few thousand polls); rx_errors = truncated or oversized frames, unsupported GSO.
//
// Thread: queue q's Rx/Tx on its owner thread only; link_up()/RefreshLink() on any thread.
// Ownership: owns its sockets and ring mappings, closed at destruction.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/af_packet/tx_ring.h"
#include "io/port.h"

struct tpacket3_hdr;

namespace sabina::io {

class AfPacketPort final : public Port {
 public:
  static StatusOr<std::unique_ptr<AfPacketPort>> Open(const std::string& device, uint32_t queues);
  ~AfPacketPort() override;

  const char* driver() const override { return "af_packet"; }
  uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
              uint32_t max) override;
  void Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) override;
  int WaitFd(uint32_t queue) const override;

  // The fanout group id shared by the receive sockets (tests).
  uint16_t fanout_id() const { return fanout_id_; }

 private:
  struct RxQueue {
    int fd = -1;
    uint8_t* ring = nullptr;
    size_t ring_bytes = 0;
    uint32_t block = 0;                  // block being read (or next to check)
    bool in_block = false;               // block `block` belongs to us
    uint32_t left = 0;                   // packets left in the block
    uint8_t* next = nullptr;             // next tpacket3_hdr in the block
    uint32_t polls = 0;                  // Rx calls since the last PACKET_STATISTICS read
    std::unique_ptr<uint8_t[]> scratch;  // a GSO super-packet with its tag restored
  };

  AfPacketPort(std::string device, uint32_t queues) : Port(std::move(device), queues) {}
  Status OpenRx(RxQueue& q, int ifindex);
  // Copies one ring frame into buffers (more than one for GSO). Returns the buffers written,
  // or UINT32_MAX when its segments would not fit in `room` and the batch already has packets
  // (the caller keeps it for the next call; into an empty batch, the excess is dropped).
  uint32_t Receive(const tpacket3_hdr* h, packet::BufferPool& pool, packet::Buffer** out,
                   uint32_t room, bool batch_empty, RxQueue& q, QueueCounters& c);
  uint32_t Segment(const uint8_t* frame, uint32_t len, uint32_t l3, uint32_t l4, uint8_t gso_type,
                   uint32_t gso_size, packet::BufferPool& pool, packet::Buffer** out, uint32_t room,
                   QueueCounters& c);
  void ReadKernelDrops(RxQueue& q, QueueCounters& c);

  int ifindex_ = 0;
  uint16_t fanout_id_ = 0;
  std::vector<RxQueue> rx_;
  std::vector<std::unique_ptr<PacketTxRing>> tx_;
};

}  // namespace sabina::io
