#include "io/af_packet/af_packet_port.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "io/linux_device.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

namespace sabina::io {
namespace {

constexpr uint32_t kBlockSize = 256 * 1024;
constexpr uint32_t kBlockCount = 64;
// TPACKET_V3 stores frames back to back in a block; the frame size only has to satisfy the
// kernel's bookkeeping (block_size / frame_size * blocks == frames).
constexpr uint32_t kNominalFrame = 2048;
constexpr uint32_t kRetireMs = 1;
constexpr uint32_t kStatsEvery = 4096;
// <linux/virtio_net.h> does not compile as C++ (a member named `class`): its layout here.
struct VnetHeader {
  uint8_t flags;
  uint8_t gso_type;
  uint16_t hdr_len;
  uint16_t gso_size;
  uint16_t csum_start;
  uint16_t csum_offset;
};
constexpr uint32_t kVnetLen = sizeof(VnetHeader);
constexpr uint8_t kVnetNeedsCsum = 1;
constexpr uint8_t kGsoNone = 0;
constexpr uint8_t kGsoTcp4 = 1;
constexpr uint8_t kGsoTcp6 = 4;
constexpr uint8_t kGsoUdpL4 = 5;
constexpr uint8_t kGsoEcn = 0x80;
// A GSO super-packet is at most 64 KiB plus headers (or a big-TCP one, which we refuse).
constexpr uint32_t kScratchBytes = 65536 + 256;

Status Errno(const std::string& device, const std::string& what) {
  return Status::Error("device " + device + ": " + what + ": " + std::strerror(errno));
}

uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return ntohs(v);
}
void Store16(uint8_t* p, uint16_t v) {
  v = htons(v);
  std::memcpy(p, &v, 2);
}
uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return ntohl(v);
}
void Store32(uint8_t* p, uint32_t v) {
  v = htonl(v);
  std::memcpy(p, &v, 4);
}

// Offset of the L3 header after the Ethernet header and any 802.1Q/802.1ad tags.
uint32_t L3Offset(const uint8_t* frame, uint32_t len) {
  uint32_t off = 12;
  while (off + 2 <= len) {
    uint16_t type = Load16(frame + off);
    if (type != 0x8100 && type != 0x88a8) return off + 2;
    off += 4;
  }
  return len;
}

// Completes a CHECKSUM_PARTIAL L4 checksum: the field holds the pseudo-header sum.
void CompleteChecksum(uint8_t* frame, uint32_t len, uint32_t start, uint32_t offset) {
  if (start >= len || start + offset + 2 > len) return;
  uint16_t sum = static_cast<uint16_t>(~ChecksumFold(ChecksumAdd(frame + start, len - start, 0)));
  if (sum == 0 && offset == 6) sum = 0xffff;  // UDP: 0 means "no checksum"
  std::memcpy(frame + start + offset, &sum, 2);
}

}  // namespace

StatusOr<std::unique_ptr<AfPacketPort>> AfPacketPort::Open(const std::string& device,
                                                           uint32_t queues) {
  if (queues < 1) return Status::Error("a port needs at least one queue");
  std::unique_ptr<AfPacketPort> port(new AfPacketPort(device, queues));
  // The control queue's socket first: it also serves the ioctls.
  port->tx_.resize(queues);
  for (auto& t : port->tx_) t = std::make_unique<PacketTxRing>();
  {
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) return Errno(device, "AF_PACKET socket (needs CAP_NET_RAW)");
    auto info = QueryDevice(fd, device);
    close(fd);
    if (!info.ok()) return info.status();
    port->ifindex_ = info->ifindex;
    port->mac_ = info->mac;
    port->max_frame_ = info->mtu + 18;
  }
  port->rx_.resize(queues - 1);
  for (uint32_t q = 0; q + 1 < queues; ++q) {
    SABINA_RETURN_IF_ERROR(port->OpenRx(port->rx_[q], port->ifindex_));
  }
  for (uint32_t q = 0; q < queues; ++q) {
    SABINA_RETURN_IF_ERROR(port->tx_[q]->Open(port->ifindex_, device, port->max_frame_ - 18));
  }
  // One fanout group over the receive sockets. Group ids are per network namespace: ask the
  // kernel for a free one with the first socket, then join it with the others.
  if (!port->rx_.empty()) {
    int arg = (PACKET_FANOUT_HASH | PACKET_FANOUT_FLAG_UNIQUEID) << 16;
    if (setsockopt(port->rx_[0].fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) != 0) {
      return Errno(device, "PACKET_FANOUT");
    }
    int got = 0;
    socklen_t len = sizeof(got);
    if (getsockopt(port->rx_[0].fd, SOL_PACKET, PACKET_FANOUT, &got, &len) != 0) {
      return Errno(device, "PACKET_FANOUT (read back)");
    }
    port->fanout_id_ = static_cast<uint16_t>(got & 0xffff);
    for (size_t q = 1; q < port->rx_.size(); ++q) {
      int join = port->fanout_id_ | (PACKET_FANOUT_HASH << 16);  // UNIQUEID is ephemeral
      if (setsockopt(port->rx_[q].fd, SOL_PACKET, PACKET_FANOUT, &join, sizeof(join)) != 0) {
        return Errno(device, "PACKET_FANOUT (join)");
      }
    }
  }
  return port;
}

Status AfPacketPort::OpenRx(RxQueue& q, int ifindex) {
  q.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);  // receives nothing until bound
  if (q.fd < 0) return Errno(device_, "AF_PACKET socket (needs CAP_NET_RAW)");
  int version = TPACKET_V3;
  if (setsockopt(q.fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) != 0) {
    return Errno(device_, "PACKET_VERSION");
  }
  int one = 1;
  if (setsockopt(q.fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) != 0) {
    return Errno(device_, "PACKET_VNET_HDR");
  }
  // Older kernels lack it; the per-frame PACKET_OUTGOING check covers them.
  (void)setsockopt(q.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
  tpacket_req3 req{};
  req.tp_block_size = kBlockSize;
  req.tp_block_nr = kBlockCount;
  req.tp_frame_size = kNominalFrame;
  req.tp_frame_nr = kBlockSize / kNominalFrame * kBlockCount;
  req.tp_retire_blk_tov = kRetireMs;
  if (setsockopt(q.fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0) {
    return Errno(device_, "PACKET_RX_RING");
  }
  q.ring_bytes = static_cast<size_t>(kBlockSize) * kBlockCount;
  void* map =
      mmap(nullptr, q.ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, q.fd, 0);
  if (map == MAP_FAILED) return Errno(device_, "mmap of the RX ring");
  q.ring = static_cast<uint8_t*>(map);
  q.scratch = std::make_unique<uint8_t[]>(kScratchBytes);
  sockaddr_ll sll{};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ALL);
  sll.sll_ifindex = ifindex;
  if (bind(q.fd, reinterpret_cast<sockaddr*>(&sll), sizeof(sll)) != 0) {
    return Errno(device_, "bind of the RX socket");
  }
  return Status::Ok();
}

AfPacketPort::~AfPacketPort() {
  for (RxQueue& q : rx_) {
    if (q.ring != nullptr) munmap(q.ring, q.ring_bytes);
    if (q.fd >= 0) close(q.fd);
  }
}

int AfPacketPort::WaitFd(uint32_t queue) const { return queue < rx_.size() ? rx_[queue].fd : -1; }

void AfPacketPort::Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n,
                      packet::BufferPool& pool) {
  tx_[queue]->Send(buffers, n, pool, counters(queue));
}

void AfPacketPort::ReadKernelDrops(RxQueue& q, QueueCounters& c) {
  tpacket_stats_v3 st{};
  socklen_t len = sizeof(st);
  if (getsockopt(q.fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0 && st.tp_drops != 0) {
    c.Add(c.rx_drops, st.tp_drops);
  }
}

uint32_t AfPacketPort::Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
                          uint32_t max) {
  if (queue >= rx_.size()) return 0;
  RxQueue& q = rx_[queue];
  QueueCounters& c = counters(queue);
  if (++q.polls == kStatsEvery) {
    q.polls = 0;
    ReadKernelDrops(q, c);
  }
  uint32_t n = 0;
  while (n < max) {
    auto* block =
        reinterpret_cast<tpacket_block_desc*>(q.ring + static_cast<size_t>(q.block) * kBlockSize);
    std::atomic_ref<uint32_t> status(block->hdr.bh1.block_status);
    if (!q.in_block) {
      if ((status.load(std::memory_order_acquire) & TP_STATUS_USER) == 0) break;
      q.in_block = true;
      q.left = block->hdr.bh1.num_pkts;
      q.next = reinterpret_cast<uint8_t*>(block) + block->hdr.bh1.offset_to_first_pkt;
    }
    if (q.left == 0) {
      status.store(TP_STATUS_KERNEL, std::memory_order_release);
      q.in_block = false;
      q.block = q.block + 1 == kBlockCount ? 0 : q.block + 1;
      continue;
    }
    auto* h = reinterpret_cast<const tpacket3_hdr*>(q.next);
    uint32_t got = Receive(h, pool, out + n, max - n, n == 0, q, c);
    if (got == UINT32_MAX) break;  // a GSO packet that needs a fresh batch
    n += got;
    --q.left;
    q.next += h->tp_next_offset;
  }
  if (n != 0) {
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < n; ++i) {
      out[i]->rx_port = index();
      bytes += out[i]->length;
    }
    c.Add(c.rx_packets, n);
    c.Add(c.rx_bytes, bytes);
  }
  return n;
}

uint32_t AfPacketPort::Receive(const tpacket3_hdr* h, packet::BufferPool& pool,
                               packet::Buffer** out, uint32_t room, bool batch_empty, RxQueue& q,
                               QueueCounters& c) {
  const auto* sll = reinterpret_cast<const sockaddr_ll*>(reinterpret_cast<const uint8_t*>(h) +
                                                         TPACKET_ALIGN(sizeof(tpacket3_hdr)));
  if (sll->sll_pkttype == PACKET_OUTGOING) return 0;
  const uint8_t* data = reinterpret_cast<const uint8_t*>(h) + h->tp_mac;
  uint32_t len = h->tp_snaplen;
  if (len < h->tp_len || len < 14) {
    c.Add(c.rx_errors, 1);
    return 0;
  }
  VnetHeader vnet;
  std::memcpy(&vnet, data - kVnetLen, sizeof(vnet));
  bool tagged = (h->tp_status & TP_STATUS_VLAN_VALID) != 0;
  uint32_t tag_len = tagged ? 4 : 0;
  uint32_t total = len + tag_len;
  uint8_t tag[4];
  if (tagged) {
    uint16_t tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ? h->hv1.tp_vlan_tpid : 0x8100;
    Store16(tag, tpid);
    Store16(tag + 2, h->hv1.tp_vlan_tci);
  }
  uint8_t gso = vnet.gso_type & ~kGsoEcn;
  if (gso == kGsoNone) {
    if (total > packet::kMaxFrameBytes) {
      c.Add(c.rx_errors, 1);
      return 0;
    }
    packet::Buffer* b = pool.Alloc();
    if (b == nullptr) {
      c.Add(c.rx_drops, 1);
      return 0;
    }
    b->offset = packet::kHeadroom;
    b->length = total;
    uint8_t* dst = b->data();
    if (tagged) {
      std::memcpy(dst, data, 12);
      std::memcpy(dst + 12, tag, 4);
      std::memcpy(dst + 16, data + 12, len - 12);
    } else {
      std::memcpy(dst, data, len);
    }
    if (vnet.flags & kVnetNeedsCsum) {
      CompleteChecksum(dst, total, vnet.csum_start + tag_len, vnet.csum_offset);
    }
    out[0] = b;
    return 1;
  }
  // A super-packet: rebuild the wire frame in scratch, then cut it into gso_size pieces. A
  // local sender's (TSO) comes with csum_start at its L4 header; a GRO-merged one (checksums
  // already verified) does not, and its L4 header follows a plain IPv4/IPv6 header.
  if (total > kScratchBytes || vnet.gso_size == 0) {
    c.Add(c.rx_errors, 1);
    return 0;
  }
  uint8_t* frame = q.scratch.get();
  if (tagged) {
    std::memcpy(frame, data, 12);
    std::memcpy(frame + 12, tag, 4);
    std::memcpy(frame + 16, data + 12, len - 12);
  } else {
    std::memcpy(frame, data, len);
  }
  uint32_t l3 = L3Offset(frame, total);
  uint32_t l4 = 0;
  if (vnet.flags & kVnetNeedsCsum) {
    l4 = vnet.csum_start + tag_len;
  } else if (l3 + 40 <= total && (frame[l3] >> 4) == 4) {
    l4 = l3 + (frame[l3] & 0xf) * 4u;
  } else if (l3 + 40 <= total && (frame[l3] >> 4) == 6 &&
             (frame[l3 + 6] == 6 || frame[l3 + 6] == 17)) {
    l4 = l3 + 40;
  }
  if (l4 <= l3 || l4 + 8 > total) {
    c.Add(c.rx_errors, 1);
    return 0;
  }
  uint32_t l4_len = gso == kGsoUdpL4 ? 8 : (frame[l4 + 12] >> 4) * 4u;
  if (l4 + l4_len > total) {
    c.Add(c.rx_errors, 1);
    return 0;
  }
  uint32_t payload = total - l4 - l4_len;
  uint32_t segments = (payload + vnet.gso_size - 1) / vnet.gso_size;
  if (segments > room && !batch_empty) return UINT32_MAX;
  return Segment(frame, total, l3, l4, gso, vnet.gso_size, pool, out, room, c);
}

uint32_t AfPacketPort::Segment(const uint8_t* frame, uint32_t len, uint32_t l3, uint32_t l4,
                               uint8_t gso_type, uint32_t gso_size, packet::BufferPool& pool,
                               packet::Buffer** out, uint32_t room, QueueCounters& c) {
  bool v4, tcp;
  switch (gso_type) {
    case kGsoTcp4:
      v4 = true;
      tcp = true;
      break;
    case kGsoTcp6:
      v4 = false;
      tcp = true;
      break;
    case kGsoUdpL4:
      v4 = (frame[l3] >> 4) == 4;
      tcp = false;
      break;
    default:
      c.Add(c.rx_errors, 1);
      return 0;
  }
  uint32_t l4_len = tcp ? (frame[l4 + 12] >> 4) * 4u : 8;
  uint32_t headers = l4 + l4_len;
  uint32_t payload = len - headers;
  uint32_t n = 0;
  uint16_t ip_id = v4 ? Load16(frame + l3 + 4) : 0;
  uint32_t seq = tcp ? Load32(frame + l4 + 4) : 0;
  for (uint32_t done = 0, i = 0; done < payload; done += gso_size, ++i) {
    uint32_t chunk = payload - done < gso_size ? payload - done : gso_size;
    bool last = done + chunk == payload;
    if (n == room || headers + chunk > packet::kMaxFrameBytes) {
      c.Add(c.rx_drops, 1);
      continue;
    }
    packet::Buffer* b = pool.Alloc();
    if (b == nullptr) {
      c.Add(c.rx_drops, 1);
      continue;
    }
    b->offset = packet::kHeadroom;
    b->length = headers + chunk;
    uint8_t* p = b->data();
    std::memcpy(p, frame, headers);
    std::memcpy(p + headers, frame + headers + done, chunk);
    uint32_t l4_bytes = l4_len + chunk;
    uint32_t sum;
    if (v4) {
      uint8_t* ip = p + l3;
      Store16(ip + 2, static_cast<uint16_t>(l4 - l3 + l4_bytes));
      if (tcp) Store16(ip + 4, static_cast<uint16_t>(ip_id + i));
      Store16(ip + 10, 0);
      uint32_t ihl = (ip[0] & 0xf) * 4u;
      uint16_t ip_sum = static_cast<uint16_t>(~ChecksumFold(ChecksumAdd(ip, ihl, 0)));
      std::memcpy(ip + 10, &ip_sum, 2);
      sum = ChecksumAdd(ip + 12, 8, 0);
    } else {
      uint8_t* ip = p + l3;
      Store16(ip + 4, static_cast<uint16_t>(l4 - l3 - 40 + l4_bytes));
      sum = ChecksumAdd(ip + 8, 32, 0);
    }
    uint8_t pseudo[4];
    Store16(pseudo, tcp ? 6 : 17);
    Store16(pseudo + 2, static_cast<uint16_t>(l4_bytes));
    sum = ChecksumAdd(pseudo, 4, sum);
    uint8_t* l4p = p + l4;
    if (tcp) {
      Store32(l4p + 4, seq + done);
      uint8_t flags = l4p[13];
      if (!last) flags &= static_cast<uint8_t>(~0x09);   // FIN, PSH only on the last
      if (i != 0) flags &= static_cast<uint8_t>(~0x80);  // CWR only on the first
      l4p[13] = flags;
      Store16(l4p + 16, 0);
    } else {
      Store16(l4p + 4, static_cast<uint16_t>(l4_bytes));
      Store16(l4p + 6, 0);
    }
    uint16_t l4_sum = static_cast<uint16_t>(~ChecksumFold(ChecksumAdd(l4p, l4_bytes, sum)));
    if (!tcp && l4_sum == 0) l4_sum = 0xffff;
    std::memcpy(l4p + (tcp ? 16 : 6), &l4_sum, 2);
    out[n++] = b;
  }
  return n;
}

}  // namespace sabina::io
