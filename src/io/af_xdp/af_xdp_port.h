// AfXdpPort: the af_xdp driver (architecture section 3), through libxdp's xsk API.
//
// Worker queue i gets one XDP socket on device rx queue i with its own UMEM (4096 frames of
// 4 KiB: half for the fill ring, half for transmit); libxdp attaches its default redirect
// program (native XDP, or generic/SKB mode when the driver has none). On a veth, or any driver
// without zero-copy support, the kernel copies (XDP copy mode). Frames are copied between UMEM
// and Buffers. The control queue (the last) transmits through a plain AF_PACKET TX ring
// (tx_ring.h), so it needs no UMEM and never receives.
//
// Limits: a device with fewer rx queues than workers is refused with a clear error (a veth has
// one unless created with numrxqueues); frames are at most 3840 bytes (one 4 KiB UMEM frame
// minus XDP headroom), so max_frame is min(MTU + 18, 3840); libxdp wants bpffs at /sys/fs/bpf
// for its multi-program dispatcher and falls back to attaching the program alone without it.
// On a veth, the packets a peer's own stack sends are CHECKSUM_PARTIAL (the L4 checksum field
// holds only the pseudo-header sum) and XDP hands them over as raw bytes with no flag saying
// so: such a peer must run with `ethtool -K PEER tx off` (the kernel already turns the peer's
// GSO off while XDP is attached). af_packet has no such limit (it completes the checksums).
//
// Thread: queue q's Rx/Tx on its owner thread only. Ownership: owns the sockets, UMEMs and the
// XDP program attachment (removed by libxdp when the last socket closes).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "io/af_packet/tx_ring.h"
#include "io/port.h"

namespace sabina::io {

class AfXdpPort final : public Port {
 public:
  static StatusOr<std::unique_ptr<AfXdpPort>> Open(const std::string& device, uint32_t queues);
  ~AfXdpPort() override;

  const char* driver() const override { return "af_xdp"; }
  uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
              uint32_t max) override;
  void Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) override;
  int WaitFd(uint32_t queue) const override;

  // "native" or "generic": how the XDP program is attached (show dataplane).
  const char* xdp_mode() const { return xdp_mode_; }

 private:
  struct Xsk;  // libxdp state of one worker queue (af_xdp_port.cc)

  AfXdpPort(std::string device, uint32_t queues);
  Status OpenQueue(uint32_t queue);

  std::vector<std::unique_ptr<Xsk>> xsk_;
  PacketTxRing control_tx_;
  const char* xdp_mode_ = "native";
};

}  // namespace sabina::io
