#include "dp/dataplane.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "base/log.h"

namespace sabina::dp {

Dataplane::Dataplane() : control_pool_(1024) {}

StatusOr<std::unique_ptr<Dataplane>> Dataplane::Create(const std::vector<PortBinding>& ports,
                                                       uint32_t workers) {
  if (workers == 0) return Status::Error("at least one worker is needed");
  std::unique_ptr<Dataplane> dp(new Dataplane());
  dp->punt_eventfd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (dp->punt_eventfd_ < 0) return Status::Error("eventfd failed");
  for (const PortBinding& binding : ports) {
    auto port = io::OpenPort(binding.spec, workers + 1);
    if (!port.ok()) {
      return Status::Error("port " + binding.name + " (" + binding.spec +
                           "): " + port.status().message());
    }
    (*port)->set_index(static_cast<uint32_t>(dp->ports_.size()));
    dp->ports_.push_back(std::move(*port));
    dp->names_.push_back(binding.name);
  }
  std::vector<io::Port*> raw;
  for (auto& p : dp->ports_) raw.push_back(p.get());
  for (uint32_t i = 0; i < workers; ++i) {
    dp->punts_.push_back(std::make_unique<PuntRing>());
    dp->workers_.push_back(
        std::make_unique<Worker>(i, dp->tables_, raw, *dp->punts_.back(), dp->punt_eventfd_));
  }
  return dp;
}

Dataplane::~Dataplane() {
  Stop();
  if (punt_eventfd_ >= 0) close(punt_eventfd_);
}

void Dataplane::Start() {
  for (auto& w : workers_) {
    Worker* worker = w.get();
    threads_.emplace_back([worker] { worker->Run(); });
  }
  SABINA_LOG(kInfo) << "data plane: " << workers_.size() << " worker(s), " << ports_.size()
                    << " port(s)";
}

void Dataplane::Stop() {
  for (auto& w : workers_) w->Stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::optional<uint32_t> Dataplane::FindPort(std::string_view junos_name) const {
  for (uint32_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == junos_name) return i;
  }
  return std::nullopt;
}

void Dataplane::ControlTransmit(uint32_t port, packet::Buffer* b) {
  packet::Buffer* one[1] = {b};
  ports_[port]->Tx(worker_count(), one, 1, control_pool_);
}

}  // namespace sabina::dp
