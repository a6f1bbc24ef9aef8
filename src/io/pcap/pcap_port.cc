#include "io/pcap/pcap_port.h"

#include <pcap/pcap.h>
#include <sys/time.h>

#include "io/name_mac.h"

namespace sabina::io {

StatusOr<std::unique_ptr<PcapPort>> PcapPort::Open(const std::string& in, const std::string& out,
                                                   std::optional<packet::MacAddr> mac,
                                                   uint32_t queues) {
  if (queues < 1) return Status::Error("a port needs at least one queue");
  std::unique_ptr<PcapPort> port(new PcapPort(in, queues));
  char err[PCAP_ERRBUF_SIZE] = {};
  port->in_ = pcap_open_offline(in.c_str(), err);
  if (port->in_ == nullptr) return Status::Error("pcap file " + in + ": " + err);
  if (pcap_datalink(port->in_) != DLT_EN10MB) {
    return Status::Error("pcap file " + in + ": not an Ethernet capture (link type " +
                         std::to_string(pcap_datalink(port->in_)) + ")");
  }
  if (!out.empty()) {
    port->out_pcap_ = pcap_open_dead(DLT_EN10MB, 65535);
    if (port->out_pcap_ == nullptr) return Status::Error("pcap: pcap_open_dead failed");
    port->out_ = pcap_dump_open(port->out_pcap_, out.c_str());
    if (port->out_ == nullptr) {
      return Status::Error("pcap file " + out + ": " + pcap_geterr(port->out_pcap_));
    }
    pcap_dump_flush(port->out_);  // the header, so readers see a valid empty file at once
  }
  size_t slash = in.rfind('/');
  port->mac_ = mac ? *mac : MacFromName(slash == std::string::npos ? in : in.substr(slash + 1));
  port->max_frame_ = 1518;
  return port;
}

PcapPort::~PcapPort() {
  if (in_ != nullptr) pcap_close(in_);
  if (out_ != nullptr) pcap_dump_close(out_);
  if (out_pcap_ != nullptr) pcap_close(out_pcap_);
}

uint32_t PcapPort::Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
                      uint32_t max) {
  if (queue != 0 || in_ == nullptr) return 0;
  QueueCounters& c = counters(queue);
  uint32_t n = 0;
  uint64_t bytes = 0;
  while (n < max) {
    pcap_pkthdr* hdr;
    const u_char* data;
    int rc = pcap_next_ex(in_, &hdr, &data);
    if (rc != 1) {
      // End of file (-2) or a damaged file (-1): the replay is over either way.
      if (rc == -1) c.Add(c.rx_errors, 1);
      pcap_close(in_);
      in_ = nullptr;
      break;
    }
    if (hdr->caplen < hdr->len || hdr->caplen > packet::kMaxFrameBytes || hdr->caplen < 14) {
      c.Add(c.rx_errors, 1);
      continue;
    }
    packet::Buffer* b = pool.Alloc();
    if (b == nullptr) {
      c.Add(c.rx_drops, 1);
      continue;
    }
    b->Assign(data, hdr->caplen);
    b->rx_port = index();
    bytes += hdr->caplen;
    out[n++] = b;
  }
  if (n != 0) {
    c.Add(c.rx_packets, n);
    c.Add(c.rx_bytes, bytes);
  }
  return n;
}

void PcapPort::Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) {
  QueueCounters& c = counters(queue);
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < n; ++i) bytes += buffers[i]->length;
  if (out_ != nullptr) {
    timeval now;
    gettimeofday(&now, nullptr);
    std::lock_guard lock(out_mu_);
    for (uint32_t i = 0; i < n; ++i) {
      pcap_pkthdr hdr{};
      hdr.ts = now;
      hdr.caplen = hdr.len = buffers[i]->length;
      pcap_dump(reinterpret_cast<u_char*>(out_), &hdr, buffers[i]->data());
    }
    pcap_dump_flush(out_);
  }
  pool.FreeBulk(buffers, n);
  c.Add(c.tx_packets, n);
  c.Add(c.tx_bytes, bytes);
}

}  // namespace sabina::io
