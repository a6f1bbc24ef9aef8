// PcapPort: the pcap driver, `pcap:IN[:OUT][:mac=02:..]` (architecture section 3). Queue 0
// replays IN once, as fast as its worker takes it (frames longer than kMaxFrameBytes are
// counted as rx_errors and skipped), then receives nothing more; the other queues never
// receive. Transmitted frames of every queue are appended to OUT (pcap, Ethernet), flushed
// after each Tx batch so a test can read the file while the daemon runs; without OUT they are
// counted and discarded.
//
// MAC: `mac=` when given, else MacFromName(basename of IN) (name_mac.h): 02:00 + 32 bits of
// the FNV-1a hash of the file name, stable across runs. max_frame is 1518 (MTU 1500).
//
// Thread: Rx on queue 0's owner only. Tx from any queue's owner: the writer is behind a mutex
// (files are for offline replay, not for speed).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/status.h"
#include "io/port.h"

struct pcap;
struct pcap_dumper;

namespace sabina::io {

class PcapPort final : public Port {
 public:
  // `out` empty: discard. `mac` unset: derived from the name of `in`.
  static StatusOr<std::unique_ptr<PcapPort>> Open(const std::string& in, const std::string& out,
                                                  std::optional<packet::MacAddr> mac,
                                                  uint32_t queues);
  ~PcapPort() override;

  const char* driver() const override { return "pcap"; }
  uint32_t Rx(uint32_t queue, packet::BufferPool& pool, packet::Buffer** out,
              uint32_t max) override;
  void Tx(uint32_t queue, packet::Buffer** buffers, uint32_t n, packet::BufferPool& pool) override;
  int WaitFd(uint32_t) const override { return -1; }

  // True once IN has been read to its end.
  bool replay_done() const { return in_ == nullptr; }

 private:
  PcapPort(std::string device, uint32_t queues) : Port(std::move(device), queues) {}

  pcap* in_ = nullptr;  // queue 0's thread; closed at the end of the file
  std::mutex out_mu_;
  pcap* out_pcap_ = nullptr;
  pcap_dumper* out_ = nullptr;
};

}  // namespace sabina::io
