// Control: life cycle, the event loop and requests from the mgmt thread. The configuration
// work is in control_config.cc, the packet work in control_io.cc.
#include "routing/control.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "base/log.h"
#include "platform/netlink.h"
#include "routing/control_impl.h"

namespace sabina::routing {
namespace {

constexpr int64_t kTickMs = 100;
// Without a link watcher, link state is read from the kernel this often (a netlink round trip
// per kernel-backed port).
constexpr int64_t kLinkPollMs = 500;
// How long the mgmt thread waits for a request before logging that the control thread is slow
// (it keeps waiting: the request holds references into the caller's frame).
constexpr auto kSlowRequest = std::chrono::seconds(5);

// epoll user data: the kind in the high half, a unit index in the low half for taps.
enum : uint64_t {
  kEventPunt = 1,
  kEventTimer = 2,
  kEventRequest = 3,
  kEventTap = 4,
  kEventLink = 5
};
uint64_t EventData(uint64_t kind, uint32_t index = 0) { return kind << 32 | index; }

// The Linux device behind a --port spec ("" for pcap and memory ports).
std::string DeviceOf(const std::string& spec) {
  if (spec == "memory" || spec.starts_with("memory:") || spec.starts_with("pcap:")) return "";
  for (std::string_view driver : {"af_packet:", "af_xdp:"}) {
    if (spec.starts_with(driver)) return spec.substr(driver.size());
  }
  return spec;
}

}  // namespace

Control::Impl::Impl() = default;

Control::Impl::~Impl() {
  for (int fd : {epoll_fd, timer_fd, request_fd}) {
    if (fd >= 0) close(fd);
  }
}

int64_t Control::Impl::NowMs() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

Control::Control() : impl_(std::make_unique<Impl>()) {}

Control::~Control() {
  Stop();
  Impl& im = *impl_;
  im.neighbors.reset();
  for (ControlUnit& u : im.units) u.tap.reset();
  if (im.kernel_routes) (void)im.kernel_routes->RemoveAll();
  im.dataplane.reset();  // closes the ports
  for (const ControlPort& p : im.port_info) {
    if (p.device.empty()) continue;
    if (Status s = platform::Release(p.device); !s.ok()) {
      SABINA_LOG(kWarning) << "releasing " << p.device << ": " << s.message();
    }
  }
}

StatusOr<std::unique_ptr<Control>> Control::Create(const Options& options) {
  std::unique_ptr<Control> control(new Control());
  Impl& im = *control->impl_;
  for (const dp::PortBinding& binding : options.ports) {
    ControlPort port;
    port.device = DeviceOf(binding.spec);
    if (!port.device.empty()) {
      if (Status s = platform::TakeOver(port.device); !s.ok()) {
        return Status::Error("port " + binding.name + " (" + binding.spec +
                             "): cannot take the device over: " + s.message() +
                             (getuid() != 0 ? " (sabinad needs root or CAP_NET_ADMIN)" : ""));
      }
    }
    // Recorded at once so that the destructor releases it if a later port fails.
    im.port_info.push_back(port);
  }
  // Opened before the ports' link state is read below, so a change after that read is queued.
  if (StatusOr<platform::LinkWatcher> watcher = platform::LinkWatcher::Open(); watcher.ok()) {
    im.link_watcher.emplace(std::move(*watcher));
  } else {
    SABINA_LOG(kWarning) << "link events unavailable (" << watcher.status().message()
                         << "); polling link state every " << kLinkPollMs << " ms";
  }
  StatusOr<std::unique_ptr<dp::Dataplane>> dataplane =
      dp::Dataplane::Create(options.ports, options.workers);
  if (!dataplane.ok()) return dataplane.status();
  im.dataplane = std::move(*dataplane);
  for (uint32_t i = 0; i < im.dataplane->port_count(); ++i) {
    io::Port& port = im.dataplane->port(i);
    PortState state;
    state.name = im.dataplane->port_name(i);
    state.device = options.ports[i].spec;
    state.port = i;
    state.mac = port.mac();
    state.link_up = im.port_info[i].device.empty();  // memory and pcap ports are always up
    if (!im.port_info[i].device.empty()) {
      if (StatusOr<platform::LinkInfo> link = platform::GetLink(im.port_info[i].device);
          link.ok()) {
        state.link_up = link->carrier;
        im.port_info[i].original_mtu = im.port_info[i].device_mtu = link->mtu;
      }
    }
    state.flapped = time(nullptr);
    im.ports.push_back(std::move(state));
  }
  im.units.emplace_back();  // index 0: never a unit
  im.fib = std::make_unique<FibBuilder>(im.dataplane->tables());
  im.neighbors = std::make_unique<Neighbors>(im, Neighbors::Timers::FromEnvironment());
  StatusOr<platform::KernelRoutes> kernel_routes = platform::KernelRoutes::Create();
  if (!kernel_routes.ok()) return kernel_routes.status();
  // Routes a previous run left are adopted by Create and removed by the first Sync.
  im.kernel_routes.emplace(std::move(*kernel_routes));

  im.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  im.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  im.request_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (im.epoll_fd < 0 || im.timer_fd < 0 || im.request_fd < 0) {
    return Status::Error(std::string("control thread descriptors: ") + std::strerror(errno));
  }
  itimerspec period{};
  period.it_interval.tv_nsec = kTickMs * 1000000;
  period.it_value.tv_nsec = kTickMs * 1000000;
  timerfd_settime(im.timer_fd, 0, &period, nullptr);
  auto watch = [&](int fd, uint64_t kind) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = EventData(kind);
    return epoll_ctl(im.epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
  };
  if (!watch(im.dataplane->punt_eventfd(), kEventPunt) || !watch(im.timer_fd, kEventTimer) ||
      !watch(im.request_fd, kEventRequest)) {
    return Status::Error(std::string("epoll: ") + std::strerror(errno));
  }
  if (im.link_watcher && !watch(im.link_watcher->fd(), kEventLink)) {
    return Status::Error(std::string("epoll: ") + std::strerror(errno));
  }
  return control;
}

Status Control::Start() {
  Impl& im = *impl_;
  if (im.running) return Status::Ok();
  // Workers need an interface table to look at; before the first configuration it knows the
  // ports and no unit, so everything received is dropped as for no one.
  if (im.dataplane->tables().interfaces() == nullptr) im.PublishInterfaces();
  im.dataplane->Start();
  im.stop = false;
  im.running = true;
  im.thread = std::thread([&im] { im.Loop(); });
  return Status::Ok();
}

void Control::Stop() {
  Impl& im = *impl_;
  if (!im.running) return;
  {
    std::lock_guard lock(im.mu);
    im.stop = true;
  }
  uint64_t one = 1;
  (void)!write(im.request_fd, &one, sizeof(one));
  im.thread.join();
  im.running = false;
  im.dataplane->Stop();
  SABINA_LOG(kInfo) << "data plane stopped";
}

void Control::ApplyConfig(std::shared_ptr<const config::InterfaceTable> interfaces,
                          std::shared_ptr<const config::RoutingConfig> routing) {
  Impl& im = *impl_;
  auto started = std::chrono::steady_clock::now();
  Call([&] { im.Apply(std::move(interfaces), std::move(routing)); });
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  SABINA_LOG(kDebug) << "forwarding configuration applied in " << ms << " ms";
}

void Control::Call(const std::function<void()>& fn) {
  Impl& im = *impl_;
  if (!im.running) {
    fn();
    return;
  }
  im.Post(fn);
}

void Control::Impl::Post(const std::function<void()>& fn) {
  Request request{&fn};
  std::unique_lock lock(mu);
  requests.push_back(&request);
  uint64_t one = 1;
  (void)!write(request_fd, &one, sizeof(one));
  auto started = std::chrono::steady_clock::now();
  while (!cv.wait_for(lock, kSlowRequest, [&] { return request.done; })) {
    auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    SABINA_LOG(kWarning) << "control thread busy: a request has waited " << seconds << " s";
  }
}

void Control::Impl::DrainRequests() {
  uint64_t n;
  (void)!read(request_fd, &n, sizeof(n));
  while (true) {
    Request* request;
    {
      std::lock_guard lock(mu);
      if (requests.empty()) return;
      request = requests.front();
      requests.pop_front();
    }
    (*request->fn)();
    {
      std::lock_guard lock(mu);
      request->done = true;
    }
    cv.notify_all();
  }
}

void Control::Impl::OnTimer() {
  uint64_t expirations;
  (void)!read(timer_fd, &expirations, sizeof(expirations));
  int64_t now = NowMs();
  neighbors->Tick(now);
  if (!link_watcher && now - links_read_ms >= kLinkPollMs) {
    links_read_ms = now;
    ReadLinks();
  }
}

void Control::Impl::Loop() {
  SABINA_LOG(kInfo) << "control thread running";
  epoll_event events[64];
  while (true) {
    {
      std::lock_guard lock(mu);
      if (stop) break;
    }
    int n = epoll_wait(epoll_fd, events, 64, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      SABINA_LOG(kError) << "control thread: epoll_wait: " << std::strerror(errno);
      break;
    }
    for (int i = 0; i < n; ++i) {
      uint64_t data = events[i].data.u64;
      switch (data >> 32) {
        case kEventPunt:
          DrainPunts();
          break;
        case kEventTimer:
          OnTimer();
          break;
        case kEventRequest:
          DrainRequests();
          break;
        case kEventLink:
          OnLinkEvents();
          break;
        case kEventTap:
          ReadTap(static_cast<uint32_t>(data));
          break;
        default:
          break;
      }
    }
  }
  // Requests that raced with Stop() still complete (their callers are waiting).
  DrainRequests();
}

void Control::Impl::WatchTap(uint32_t index, bool watch) {
  const ControlUnit& unit = units[index];
  if (!unit.tap) return;
  if (!watch) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, unit.tap->fd(), nullptr);
    return;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = EventData(kEventTap, index);
  if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, unit.tap->fd(), &ev) != 0) {
    SABINA_LOG(kError) << "epoll on tap " << unit.host_name << ": " << std::strerror(errno);
  }
}

dp::Dataplane& Control::dataplane() { return *impl_->dataplane; }
const Rib& Control::rib() const { return impl_->rib; }
Neighbors& Control::neighbors() { return *impl_->neighbors; }
const FibBuilder& Control::fib() const { return *impl_->fib; }
const std::vector<PortState>& Control::ports() const { return impl_->ports; }
const ControlCounters& Control::counters() const { return impl_->counters; }

std::string Control::InterfaceName(uint32_t dp_index) const {
  return dp_index < impl_->units.size() ? impl_->units[dp_index].name : std::string();
}

UnitTraffic Control::Traffic(uint32_t dp_index) {
  UnitTraffic t;
  if (dp_index >= impl_->units.size()) return t;
  const ControlUnit& u = impl_->units[dp_index];
  t.out_packets = u.host_tx_packets;
  t.out_bytes = u.host_tx_bytes;
  if (impl_->dataplane && dp_index < dp::kMaxCountedUnits) {
    for (uint32_t w = 0; w < impl_->dataplane->worker_count(); ++w) {
      const dp::UnitCounters& c = impl_->dataplane->worker(w).unit_counters(dp_index);
      t.in_packets += c.rx_packets.load(std::memory_order_relaxed);
      t.in_bytes += c.rx_bytes.load(std::memory_order_relaxed);
      t.out_packets += c.tx_packets.load(std::memory_order_relaxed);
      t.out_bytes += c.tx_bytes.load(std::memory_order_relaxed);
    }
  }
  t.in_packets -= u.cleared.in_packets;
  t.in_bytes -= u.cleared.in_bytes;
  t.out_packets -= u.cleared.out_packets;
  t.out_bytes -= u.cleared.out_bytes;
  return t;
}

void Control::ClearTraffic(uint32_t dp_index) {
  if (dp_index >= impl_->units.size()) return;
  UnitTraffic now = Traffic(dp_index);
  UnitTraffic& cleared = impl_->units[dp_index].cleared;
  cleared.in_packets += now.in_packets;
  cleared.in_bytes += now.in_bytes;
  cleared.out_packets += now.out_packets;
  cleared.out_bytes += now.out_bytes;
}

}  // namespace sabina::routing
