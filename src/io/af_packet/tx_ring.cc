#include "io/af_packet/tx_ring.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "io/linux_device.h"

namespace sabina::io {
namespace {

// 16 KiB slots hold a jumbo frame after the tpacket2 header; 512 of them are two full
// worker frames in flight.
constexpr uint32_t kTxFrameSize = 16384;
constexpr uint32_t kTxBlockSize = 1 << 16;
constexpr uint32_t kTxFrames = 512;
constexpr uint32_t kTxDataOffset = TPACKET_ALIGN(sizeof(tpacket2_hdr));

Status Errno(const std::string& device, const char* what) {
  return Status::Error("device " + device + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

PacketTxRing::~PacketTxRing() {
  if (ring_ != nullptr) munmap(ring_, ring_bytes_);
  if (fd_ >= 0) close(fd_);
}

Status PacketTxRing::Open(int ifindex, const std::string& device, uint32_t mtu) {
  device_ = device;
  max_frame_ = std::min(mtu + 18, kTxFrameSize - kTxDataOffset);
  mtu_read_ns_ = MonotonicNs();
  fd_ = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return Errno(device, "AF_PACKET socket (needs CAP_NET_RAW)");
  int version = TPACKET_V2;
  if (setsockopt(fd_, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0) {
    return Errno(device, "PACKET_VERSION");
  }
  int one = 1;
  // Malformed frames are skipped by the kernel instead of stopping the ring.
  if (setsockopt(fd_, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) != 0) {
    return Errno(device, "PACKET_LOSS");
  }
  if (setsockopt(fd_, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0) {
    return Errno(device, "PACKET_QDISC_BYPASS");
  }
  tpacket_req req{};
  req.tp_block_size = kTxBlockSize;
  req.tp_frame_size = kTxFrameSize;
  req.tp_frame_nr = kTxFrames;
  req.tp_block_nr = kTxFrames * kTxFrameSize / kTxBlockSize;
  if (setsockopt(fd_, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) != 0) {
    return Errno(device, "PACKET_TX_RING");
  }
  ring_bytes_ = static_cast<size_t>(req.tp_block_size) * req.tp_block_nr;
  void* map = mmap(nullptr, ring_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
  if (map == MAP_FAILED) return Errno(device, "mmap of the TX ring");
  ring_ = static_cast<uint8_t*>(map);
  frame_size_ = kTxFrameSize;
  frame_count_ = kTxFrames;
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = 0;  // transmit only
  sll.sll_ifindex = ifindex;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0) {
    return Errno(device, "bind of the TX socket");
  }
  return Status::Ok();
}

void PacketTxRing::Send(packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool,
                        QueueCounters& counters) {
  uint32_t sent = 0, dropped = 0, errors = 0;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < n; ++i) {
    packet::Buffer* b = buffers[i];
    if (b->length > max_frame_) {
      uint64_t now = MonotonicNs();
      if (now - mtu_read_ns_ > kMtuRefreshNs) {
        mtu_read_ns_ = now;
        if (uint32_t mtu = DeviceMtu(fd_, device_); mtu != 0) {
          max_frame_ = std::min(mtu + 18, kTxFrameSize - kTxDataOffset);
        }
      }
    }
    if (b->length > max_frame_ || b->length < 14) {
      ++errors;
      continue;
    }
    auto* hdr = reinterpret_cast<tpacket2_hdr*>(ring_ + static_cast<size_t>(head_) * frame_size_);
    std::atomic_ref<uint32_t> status(hdr->tp_status);
    uint32_t st = status.load(std::memory_order_acquire);
    if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_WRONG_FORMAT) {
      dropped += n - i;  // the kernel still owns the slot: the ring is full
      break;
    }
    std::memcpy(reinterpret_cast<uint8_t*>(hdr) + kTxDataOffset, b->data(), b->length);
    hdr->tp_len = b->length;
    status.store(TP_STATUS_SEND_REQUEST, std::memory_order_release);
    head_ = head_ + 1 == frame_count_ ? 0 : head_ + 1;
    ++sent;
    bytes += b->length;
  }
  if (sent != 0) {
    // Non-blocking: the kernel sends every queued slot now; on a transient error (ENOBUFS)
    // the slots stay queued and go with the next kick.
    if (send(fd_, nullptr, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENOBUFS &&
        errno != EINTR) {
      counters.Add(counters.tx_errors, 1);
    }
  }
  pool.FreeBulk(buffers, n);
  if (sent) {
    counters.Add(counters.tx_packets, sent);
    counters.Add(counters.tx_bytes, bytes);
  }
  if (dropped) counters.Add(counters.tx_drops, dropped);
  if (errors) counters.Add(counters.tx_errors, errors);
}

}  // namespace sabina::io
