// sabinad — the Sabina daemon. Runs in the foreground: takes the --port devices over and
// starts the data plane (workers and the control thread, routing/control.h) when it has ports,
// loads the committed configuration, serves the CLI socket on the mgmt thread (this thread),
// stops cleanly on SIGTERM/SIGINT. The command line is a contract: docs/cli.md.
#include <errno.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/status.h"
#include "config/bindings/syslog.h"
#include "config/bindings/system.h"
#include "mgmt/mgmt.h"
#include "mgmt/server.h"
#include "routing/control.h"

namespace sabina::daemon {
namespace {

constexpr const char* kVersion = "sabinad 0.1.0";
constexpr const char* kDefaultSocket = "/run/sabina/sabina.sock";
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr uint32_t kMaxWorkers = 64;

struct Args {
  mgmt::MgmtOptions mgmt;
  uint32_t workers = 1;
  std::string socket_path;
  bool syslog = false;
  log::Level level = log::Level::kInfo;
};

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: sabinad --config FILE --state-dir DIR [--socket PATH]\n"
               "               [--port JUNOS_IFNAME=PORT_SPEC]... [--workers N] [--syslog]\n"
               "               [--log-level debug|info|notice|warning|error]\n"
               "\n"
               "The Sabina daemon. Runs in the foreground, logs to stderr, stops on SIGTERM.\n"
               "\n"
               "  --config FILE    committed configuration (Junos curly text); created from a\n"
               "                   minimal default when missing\n"
               "  --state-dir DIR  rollbacks, commit log and runtime state; created if missing\n"
               "  --socket PATH    the CLI socket (default: $SABINA_SOCKET, else %s)\n"
               "  --port N=SPEC    bind Junos interface N (e.g. ge-0/0/0) to a port: a Linux\n"
               "                   device DEV or af_packet:DEV (AF_PACKET), af_xdp:DEV (AF_XDP),\n"
               "                   pcap:IN[:OUT] (pcap files), memory; repeatable\n"
               "  --workers N      data-plane worker threads, 1..%u (default 1)\n"
               "  --syslog         also log to syslog(3) (facility daemon)\n"
               "  --log-level L    minimum level logged (default info)\n"
               "  --help, --version\n",
               kDefaultSocket, kMaxWorkers);
}

// A Linux interface name: 1..15 bytes (IFNAMSIZ - 1), no '/', no blanks, not "." or "..".
bool ValidLinuxDevice(std::string_view dev) {
  if (dev.empty() || dev.size() > 15 || dev == "." || dev == "..") return false;
  for (char c : dev) {
    if (c == '/' || c == ':' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

// The part of a --port spec that names a Linux device ("" for memory and pcap ports, which
// use none), or an error for a malformed spec. Plain names keep the historical message.
StatusOr<std::string> PortDevice(const std::string& option, std::string_view spec) {
  if (spec == "memory" || spec.starts_with("memory:")) return std::string();
  if (spec.starts_with("pcap:")) {
    std::string_view files = spec.substr(5);
    if (files.empty() || files.front() == ':') {
      return Status::Error("bad --port " + option + ": pcap needs an input file (pcap:IN[:OUT])");
    }
    return std::string();
  }
  std::string_view dev = spec;
  for (std::string_view driver : {"af_packet:", "af_xdp:"}) {
    if (spec.starts_with(driver)) dev = spec.substr(driver.size());
  }
  if (!ValidLinuxDevice(dev)) {
    return Status::Error("bad --port " + option + ": invalid Linux device name '" +
                         std::string(dev) + "' (1-15 characters, no '/', ':' or blanks)");
  }
  return std::string(dev);
}

bool ValidJunosName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f || c == '"' || c == ';' || c == '{' ||
        c == '}') {
      return false;
    }
  }
  return true;
}

// Empty optional = not an error but "exit 0 now" (--help/--version).
StatusOr<std::optional<Args>> ParseArgs(int argc, char** argv) {
  Args args;
  const char* env_socket = std::getenv("SABINA_SOCKET");
  args.socket_path = env_socket != nullptr && *env_socket != '\0' ? env_socket : kDefaultSocket;
  std::set<std::string> names, devices;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      Usage(stdout);
      return std::optional<Args>();
    }
    if (arg == "--version") {
      std::printf("%s\n", kVersion);
      return std::optional<Args>();
    }
    if (arg == "--syslog") {
      args.syslog = true;
      continue;
    }
    // Every other option takes a value: "--opt VALUE" or "--opt=VALUE".
    std::string_view name = arg;
    std::optional<std::string> value;
    if (size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = std::string(arg.substr(eq + 1));
    }
    if (name != "--config" && name != "--state-dir" && name != "--socket" && name != "--port" &&
        name != "--log-level" && name != "--workers") {
      return Status::Error("unknown argument: " + std::string(arg));
    }
    if (!value) {
      if (i + 1 >= argc) return Status::Error(std::string(name) + " needs a value");
      value = argv[++i];
    }
    if (value->empty()) return Status::Error(std::string(name) + " needs a non-empty value");
    if (name == "--config") {
      args.mgmt.config_file = *value;
    } else if (name == "--state-dir") {
      args.mgmt.state_dir = *value;
    } else if (name == "--socket") {
      args.socket_path = *value;
    } else if (name == "--workers") {
      bool digits = value->size() <= 2 && std::all_of(value->begin(), value->end(), [](char c) {
                      return c >= '0' && c <= '9';
                    });
      unsigned long n = digits ? std::strtoul(value->c_str(), nullptr, 10) : 0;
      if (n < 1 || n > kMaxWorkers) {
        return Status::Error("bad --workers " + *value + " (want 1.." +
                             std::to_string(kMaxWorkers) + ")");
      }
      args.workers = static_cast<uint32_t>(n);
    } else if (name == "--log-level") {
      if (!log::ParseLevel(*value, &args.level)) {
        return Status::Error("bad --log-level " + *value +
                             " (want debug, info, notice, warning or error)");
      }
    } else {  // --port
      size_t eq = value->find('=');
      if (eq == std::string::npos || value->find('=', eq + 1) != std::string::npos) {
        return Status::Error("bad --port " + *value + " (want JUNOS_IFNAME=PORT_SPEC)");
      }
      std::string junos = value->substr(0, eq), spec = value->substr(eq + 1);
      if (!ValidJunosName(junos)) {
        return Status::Error("bad --port " + *value + ": invalid interface name '" + junos + "'");
      }
      StatusOr<std::string> dev = PortDevice(*value, spec);
      if (!dev.ok()) return dev.status();
      if (!names.insert(junos).second) {
        return Status::Error("--port: interface " + junos + " given twice");
      }
      if (!dev->empty() && !devices.insert(*dev).second) {
        return Status::Error("--port: device " + *dev + " given twice");
      }
      args.mgmt.ports.emplace_back(std::move(junos), std::move(spec));
    }
  }
  if (args.mgmt.config_file.empty()) return Status::Error("--config FILE is required");
  if (args.mgmt.state_dir.empty()) return Status::Error("--state-dir DIR is required");
  return std::optional<Args>(std::move(args));
}

Status MakeDirs(const std::string& dir, mode_t mode) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), mode) != 0 && errno != EEXIST) {
      return Status::Error("cannot create directory " + prefix + ": " + std::strerror(errno));
    }
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::Error(dir + " is not a directory");
  }
  return Status::Ok();
}

// Signals become readable events on a signalfd: blocked before any thread exists, so no
// thread ever runs a handler and the mgmt loop sees them in its poll().
StatusOr<int> SignalFd() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  if (sigprocmask(SIG_BLOCK, &set, nullptr) != 0) {
    return Status::Error(std::string("sigprocmask: ") + std::strerror(errno));
  }
  int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (fd < 0) return Status::Error(std::string("signalfd: ") + std::strerror(errno));
  return fd;
}

// Follows the committed `system syslog` (and host-name) into the logger's destinations.
// Thread: mgmt.
class SyslogFollower {
 public:
  explicit SyslogFollower(const mgmt::Mgmt& mgmt) : mgmt_(mgmt) {}

  void Sync() {
    std::shared_ptr<const config::SyslogConfig> syslog = mgmt_.PublishedSyslog();
    std::shared_ptr<const config::SystemIdentity> identity = mgmt_.PublishedIdentity();
    if (syslog == syslog_ && identity == identity_) return;
    syslog_ = syslog;
    identity_ = identity;
    log::Targets targets;
    if (identity) targets.host_name = identity->host_name;
    if (syslog) {
      for (const config::SyslogConfig::File& f : syslog->files) {
        targets.files.push_back({f.path, Selectors(f.selectors)});
      }
      for (const config::SyslogConfig::Host& h : syslog->hosts) {
        targets.hosts.push_back({h.host, h.port, Selectors(h.selectors)});
      }
    }
    for (const std::string& problem : log::SetTargets(targets)) {
      SABINA_LOG(kWarning) << problem;
    }
  }

 private:
  static std::vector<log::Selector> Selectors(const std::vector<config::SyslogSelector>& in) {
    std::vector<log::Selector> out;
    for (const config::SyslogSelector& s : in) out.push_back({s.facility, s.level});
    return out;
  }

  const mgmt::Mgmt& mgmt_;
  std::shared_ptr<const config::SyslogConfig> syslog_;
  std::shared_ptr<const config::SystemIdentity> identity_;
};

int Run(const Args& args) {
  log::SetLevel(args.level);
  if (args.syslog) log::EnableSyslog("sabinad", LOG_DAEMON);
  // Peers that disconnect mid-reply must give EPIPE, not kill the daemon.
  signal(SIGPIPE, SIG_IGN);
  StatusOr<int> signal_fd = SignalFd();
  if (!signal_fd.ok()) {
    SABINA_LOG(kError) << signal_fd.status().message();
    return kExitFailure;
  }
  SABINA_LOG(kInfo) << kVersion << " starting (pid " << getpid() << "): config "
                    << args.mgmt.config_file << ", state " << args.mgmt.state_dir;
  if (Status s = MakeDirs(args.mgmt.state_dir, 0750); !s.ok()) {
    SABINA_LOG(kError) << s.message();
    return kExitFailure;
  }
  // Before loading anything: a second daemon on the same socket would also share the state
  // directory, and must not touch it.
  if (Status s = mgmt::ClaimSocketPath(args.socket_path); !s.ok()) {
    SABINA_LOG(kError) << s.message();
    return kExitFailure;
  }
  // With ports, the data plane exists before the first commit so that commit reaches it; it
  // starts forwarding once the configuration is loaded. Without ports: config only.
  std::unique_ptr<routing::Control> control;
  if (!args.mgmt.ports.empty()) {
    routing::Control::Options options;
    options.workers = args.workers;
    for (const auto& [junos, spec] : args.mgmt.ports) options.ports.push_back({junos, spec});
    StatusOr<std::unique_ptr<routing::Control>> c = routing::Control::Create(options);
    if (!c.ok()) {
      SABINA_LOG(kError) << "cannot start: " << c.status().message();
      return kExitFailure;
    }
    control = std::move(*c);
  }
  mgmt::MgmtOptions mgmt_options = args.mgmt;
  mgmt_options.control = control.get();
  StatusOr<std::unique_ptr<mgmt::Mgmt>> m = mgmt::Mgmt::Create(mgmt_options);
  if (!m.ok()) {
    SABINA_LOG(kError) << "cannot start: " << m.status().message();
    return kExitFailure;
  }
  if (control) {
    if (Status s = control->Start(); !s.ok()) {
      SABINA_LOG(kError) << "cannot start: " << s.message();
      return kExitFailure;
    }
  }
  SyslogFollower syslog(**m);
  syslog.Sync();
  mgmt::ServerOptions options;
  options.socket_path = args.socket_path;
  options.stop_fd = *signal_fd;
  options.after_change = [&syslog] { syslog.Sync(); };
  StatusOr<std::unique_ptr<mgmt::Server>> server = mgmt::Server::Create(**m, options);
  if (!server.ok()) {
    SABINA_LOG(kError) << server.status().message();
    return kExitFailure;
  }
  Status run = (*server)->Run();
  server->reset();  // sessions end (locks released) before the state they point into
  if (control) control->Stop();
  m->reset();
  control.reset();
  ::close(*signal_fd);
  if (!run.ok()) {
    SABINA_LOG(kError) << run.message();
    return kExitFailure;
  }
  SABINA_LOG(kInfo) << "stopped";
  return 0;
}

}  // namespace
}  // namespace sabina::daemon

int main(int argc, char** argv) {
  using namespace sabina::daemon;
  sabina::StatusOr<std::optional<Args>> args = ParseArgs(argc, argv);
  if (!args.ok()) {
    std::fprintf(stderr, "sabinad: %s\nTry 'sabinad --help'.\n", args.status().message().c_str());
    return kExitUsage;
  }
  if (!args->has_value()) return 0;
  return Run(**args);
}
