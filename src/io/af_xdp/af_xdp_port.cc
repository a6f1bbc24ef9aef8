#include "io/af_xdp/af_xdp_port.h"

#include <bpf/libbpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "base/log.h"
#include "io/linux_device.h"

namespace sabina::io {
namespace {

constexpr uint32_t kFrameSize = XSK_UMEM__DEFAULT_FRAME_SIZE;  // 4096
constexpr uint32_t kFrames = 4096;
constexpr uint32_t kRingSize = 2048;                 // fill, completion, rx, tx
constexpr uint32_t kMaxXdpFrame = kFrameSize - 256;  // XDP_PACKET_HEADROOM
constexpr uint32_t kStatsEvery = 4096;

// The device's rx queue count (ETHTOOL_GCHANNELS), or 1 when the driver does not say.
uint32_t RxQueueCount(int fd, const std::string& device) {
  ethtool_channels ch{};
  ch.cmd = ETHTOOL_GCHANNELS;
  ifreq ifr{};
  std::memcpy(ifr.ifr_name, device.data(), std::min<size_t>(device.size(), IFNAMSIZ - 1));
  ifr.ifr_data = reinterpret_cast<char*>(&ch);
  if (ioctl(fd, SIOCETHTOOL, &ifr) != 0) return 1;
  uint32_t n = ch.rx_count + ch.combined_count;
  return n == 0 ? 1 : n;
}

// libbpf/libxdp chatter ("No bpffs found ...", ELF notes) goes to our log at debug level;
// their warnings at info, so a fallback stays visible without flooding the terminal.
void LogLine(bool warning, const char* format, va_list args) {
  char line[512];
  vsnprintf(line, sizeof(line), format, args);
  size_t n = std::strlen(line);
  while (n != 0 && line[n - 1] == '\n') line[--n] = 0;
  if (warning) {
    SABINA_LOG(kInfo) << "af_xdp: " << line;
  } else {
    SABINA_LOG(kDebug) << "af_xdp: " << line;
  }
}
int LibbpfPrint(libbpf_print_level level, const char* format, va_list args) {
  LogLine(level == LIBBPF_WARN, format, args);
  return 0;
}
int LibxdpPrint(libxdp_print_level level, const char* format, va_list args) {
  LogLine(level == LIBXDP_WARN, format, args);
  return 0;
}

}  // namespace

struct AfXdpPort::Xsk {
  void* area = nullptr;
  size_t area_bytes = 0;
  xsk_umem* umem = nullptr;
  xsk_socket* socket = nullptr;
  xsk_ring_prod fill{};
  xsk_ring_cons comp{};
  xsk_ring_cons rx{};
  xsk_ring_prod tx{};
  int fd = -1;
  std::vector<uint64_t> free_tx;  // UMEM frames free for transmit (a stack)
  uint32_t max_frame = 0;         // device MTU + 18, at most kMaxXdpFrame
  uint64_t mtu_read_ns = 0;
  uint32_t polls = 0;         // Rx calls since XDP_STATISTICS was last read
  uint64_t kernel_drops = 0;  // the kernel's cumulative drop count at that read

  ~Xsk() {
    if (socket != nullptr) xsk_socket__delete(socket);
    if (umem != nullptr) xsk_umem__delete(umem);
    if (area != nullptr) munmap(area, area_bytes);
  }
};

AfXdpPort::AfXdpPort(std::string device, uint32_t queues) : Port(std::move(device), queues) {}

AfXdpPort::~AfXdpPort() = default;

StatusOr<std::unique_ptr<AfXdpPort>> AfXdpPort::Open(const std::string& device, uint32_t queues) {
  if (queues < 1) return Status::Error("a port needs at least one queue");
  static std::once_flag print_hooks;
  std::call_once(print_hooks, [] {
    libbpf_set_print(LibbpfPrint);
    libxdp_set_print(LibxdpPrint);
  });
  std::unique_ptr<AfXdpPort> port(new AfXdpPort(device, queues));
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  auto info = QueryDevice(fd, device);
  uint32_t device_queues = info.ok() ? RxQueueCount(fd, device) : 0;
  close(fd);
  if (!info.ok()) return info.status();
  if (device_queues < queues - 1) {
    return Status::Error("device " + device + " has " + std::to_string(device_queues) +
                         " rx queue(s), af_xdp needs one per worker (" +
                         std::to_string(queues - 1) + "); use fewer workers, af_packet, or a " +
                         "device with more queues (veth: numrxqueues)");
  }
  port->mac_ = info->mac;
  port->max_frame_ = std::min(info->mtu + 18, kMaxXdpFrame);
  for (uint32_t q = 0; q + 1 < queues; ++q) SABINA_RETURN_IF_ERROR(port->OpenQueue(q));
  SABINA_RETURN_IF_ERROR(port->control_tx_.Open(info->ifindex, device, info->mtu));
  return port;
}

Status AfXdpPort::OpenQueue(uint32_t queue) {
  auto x = std::make_unique<Xsk>();
  x->area_bytes = static_cast<size_t>(kFrames) * kFrameSize;
  x->area =
      mmap(nullptr, x->area_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (x->area == MAP_FAILED) {
    x->area = nullptr;
    return Status::Error("af_xdp: UMEM allocation failed");
  }
  xsk_umem_config ucfg{};
  ucfg.fill_size = kRingSize;
  ucfg.comp_size = kRingSize;
  ucfg.frame_size = kFrameSize;
  ucfg.frame_headroom = 0;
  int rc = xsk_umem__create(&x->umem, x->area, x->area_bytes, &x->fill, &x->comp, &ucfg);
  if (rc != 0) {
    x->umem = nullptr;
    return Status::Error("device " + device_ + ": af_xdp UMEM: " + std::strerror(-rc));
  }
  xsk_socket_config scfg{};
  scfg.rx_size = kRingSize;
  scfg.tx_size = kRingSize;
  scfg.bind_flags = XDP_USE_NEED_WAKEUP;
  // Native XDP first (copy or zero-copy as the driver allows), then generic XDP; the other
  // queues follow queue 0's mode (one program attachment per device).
  bool generic = std::strcmp(xdp_mode_, "generic") == 0;
  scfg.xdp_flags = generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
  if (generic) scfg.bind_flags |= XDP_COPY;
  rc = xsk_socket__create(&x->socket, device_.c_str(), queue, x->umem, &x->rx, &x->tx, &scfg);
  if (rc != 0 && queue == 0) {
    scfg.xdp_flags = XDP_FLAGS_SKB_MODE;
    scfg.bind_flags = XDP_USE_NEED_WAKEUP | XDP_COPY;
    rc = xsk_socket__create(&x->socket, device_.c_str(), queue, x->umem, &x->rx, &x->tx, &scfg);
    if (rc == 0) xdp_mode_ = "generic";
  }
  if (rc != 0) {
    x->socket = nullptr;
    return Status::Error("device " + device_ + ": af_xdp socket on queue " + std::to_string(queue) +
                         ": " + std::strerror(-rc) + " (kernel or driver without AF_XDP support?)");
  }
  x->fd = xsk_socket__fd(x->socket);
  x->max_frame = max_frame_;
  x->mtu_read_ns = MonotonicNs();
  // Half the frames wait in the fill ring for received packets, half are for transmit.
  uint32_t idx = 0;
  if (xsk_ring_prod__reserve(&x->fill, kRingSize, &idx) != kRingSize) {
    return Status::Error("af_xdp: fill ring reservation failed");
  }
  for (uint32_t i = 0; i < kRingSize; ++i) {
    *xsk_ring_prod__fill_addr(&x->fill, idx + i) = static_cast<uint64_t>(i) * kFrameSize;
  }
  xsk_ring_prod__submit(&x->fill, kRingSize);
  for (uint32_t i = kRingSize; i < kFrames; ++i) {
    x->free_tx.push_back(static_cast<uint64_t>(i) * kFrameSize);
  }
  xsk_.push_back(std::move(x));
  return Status::Ok();
}

int AfXdpPort::WaitFd(uint32_t queue) const { return queue < xsk_.size() ? xsk_[queue]->fd : -1; }

uint32_t AfXdpPort::Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
                       uint32_t max) {
  if (queue >= xsk_.size()) return 0;
  Xsk& x = *xsk_[queue];
  QueueCounters& c = counters(queue);
  if (++x.polls == kStatsEvery) {
    // Frames the kernel dropped for want of ring space: cumulative, so count the growth.
    x.polls = 0;
    xdp_statistics st{};
    socklen_t len = sizeof(st);
    if (getsockopt(x.fd, SOL_XDP, XDP_STATISTICS, &st, &len) == 0) {
      uint64_t drops = st.rx_dropped + st.rx_ring_full;
      if (drops > x.kernel_drops) c.Add(c.rx_drops, drops - x.kernel_drops);
      x.kernel_drops = drops;
    }
  }
  uint32_t idx = 0;
  uint32_t got = xsk_ring_cons__peek(&x.rx, max, &idx);
  if (got == 0) {
    // In copy mode the kernel fills the ring only after a wakeup when it ran dry.
    if (xsk_ring_prod__needs_wakeup(&x.fill)) {
      recvfrom(x.fd, nullptr, 0, MSG_DONTWAIT, nullptr, nullptr);
    }
    return 0;
  }
  uint32_t fidx = 0;
  // The fill ring has room for every frame we consume: it holds all the receive frames.
  xsk_ring_prod__reserve(&x.fill, got, &fidx);
  uint32_t n = 0;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < got; ++i) {
    const xdp_desc* d = xsk_ring_cons__rx_desc(&x.rx, idx + i);
    uint64_t addr = xsk_umem__add_offset_to_addr(d->addr);
    *xsk_ring_prod__fill_addr(&x.fill, fidx + i) =
        xsk_umem__extract_addr(d->addr) & ~static_cast<uint64_t>(kFrameSize - 1);
    if (d->len < 14) {
      c.Add(c.rx_errors, 1);
      continue;
    }
    packet::Buffer* b = pool.Alloc();
    if (b == nullptr) {
      c.Add(c.rx_drops, 1);
      continue;
    }
    b->Assign(static_cast<const uint8_t*>(xsk_umem__get_data(x.area, addr)), d->len);
    b->rx_port = index();
    bytes += d->len;
    out[n++] = b;
  }
  xsk_ring_cons__release(&x.rx, got);
  xsk_ring_prod__submit(&x.fill, got);
  if (n != 0) {
    c.Add(c.rx_packets, n);
    c.Add(c.rx_bytes, bytes);
  }
  return n;
}

void AfXdpPort::Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) {
  QueueCounters& c = counters(queue);
  if (queue >= xsk_.size()) {
    control_tx_.Send(buffers, n, pool, c);
    return;
  }
  Xsk& x = *xsk_[queue];
  uint32_t cidx = 0;
  uint32_t done = xsk_ring_cons__peek(&x.comp, kRingSize, &cidx);
  for (uint32_t i = 0; i < done; ++i) {
    x.free_tx.push_back(*xsk_ring_cons__comp_addr(&x.comp, cidx + i));
  }
  xsk_ring_cons__release(&x.comp, done);
  uint32_t want = std::min<uint32_t>(n, static_cast<uint32_t>(x.free_tx.size()));
  uint32_t tidx = 0;
  uint32_t slots = want == 0 ? 0 : xsk_ring_prod__reserve(&x.tx, want, &tidx);
  uint32_t sent = 0, errors = 0;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < n && sent < slots; ++i) {
    packet::Buffer* b = buffers[i];
    if (b->length > x.max_frame && MonotonicNs() - x.mtu_read_ns > kMtuRefreshNs) {
      // The control thread may have raised the device MTU since.
      x.mtu_read_ns = MonotonicNs();
      if (uint32_t mtu = DeviceMtu(x.fd, device_); mtu != 0) {
        x.max_frame = std::min(mtu + 18, kMaxXdpFrame);
      }
    }
    if (b->length > x.max_frame || b->length < 14) {
      ++errors;
      continue;
    }
    uint64_t addr = x.free_tx.back();
    x.free_tx.pop_back();
    std::memcpy(xsk_umem__get_data(x.area, addr), b->data(), b->length);
    xdp_desc* d = xsk_ring_prod__tx_desc(&x.tx, tidx + sent);
    d->addr = addr;
    d->len = b->length;
    d->options = 0;
    ++sent;
    bytes += b->length;
  }
  if (sent < slots) {
    // Frames refused above left reserved slots: fill them with nothing by giving back the
    // reservation (libxdp has no un-reserve, so rewind the cached producer).
    x.tx.cached_prod -= slots - sent;
  }
  if (sent != 0) {
    xsk_ring_prod__submit(&x.tx, sent);
    if (xsk_ring_prod__needs_wakeup(&x.tx)) {
      sendto(x.fd, nullptr, 0, MSG_DONTWAIT, nullptr, 0);
    }
  }
  uint32_t dropped = n - sent - errors;
  pool.FreeBulk(buffers, n);
  if (sent) {
    c.Add(c.tx_packets, sent);
    c.Add(c.tx_bytes, bytes);
  }
  if (dropped) c.Add(c.tx_drops, dropped);
  if (errors) c.Add(c.tx_errors, errors);
}

}  // namespace sabina::io
