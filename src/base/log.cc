#include "base/log.h"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>

namespace sabina::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<bool> g_stderr{true};
std::atomic<bool> g_syslog{false};
std::mutex g_mutex;
std::string g_ident;  // guarded by g_mutex; openlog() keeps a pointer into it

struct OpenFile {
  int fd = -1;
  std::vector<Selector> selectors;
};
struct OpenHost {
  int fd = -1;  // a connected UDP socket
  std::vector<Selector> selectors;
};
// Guarded by g_mutex.
std::vector<OpenFile> g_files;
std::vector<OpenHost> g_hosts;
std::string g_host_name;
std::atomic<bool> g_have_targets{false};

void CloseTargets() {
  for (OpenFile& f : g_files) ::close(f.fd);
  for (OpenHost& h : g_hosts) ::close(h.fd);
  g_files.clear();
  g_hosts.clear();
}

// Facility codes for the syslog PRI sent to remote hosts.
int FacilityCode(std::string_view facility) {
  if (facility == kDaemon) return LOG_DAEMON >> 3;
  return LOG_USER >> 3;
}

// "Nov 23 16:25:01" in local time, as syslogd and Junos log files write it.
std::string SyslogStamp(long long unix_millis) {
  time_t seconds = static_cast<time_t>(unix_millis / 1000);
  struct tm tm_local;
  localtime_r(&seconds, &tm_local);
  char stamp[32];
  strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm_local);
  return stamp;
}

int SyslogPriority(Level level) {
  switch (level) {
    case Level::kDebug:
      return LOG_DEBUG;
    case Level::kInfo:
      return LOG_INFO;
    case Level::kNotice:
      return LOG_NOTICE;
    case Level::kWarning:
      return LOG_WARNING;
    case Level::kError:
      return LOG_ERR;
  }
  return LOG_INFO;
}

void WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere left to report a failing stderr
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void SetLevel(Level level) { g_level.store(static_cast<int>(level)); }
Level GetLevel() { return static_cast<Level>(g_level.load()); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

bool ParseLevel(std::string_view text, Level* level) {
  static constexpr Level kAll[] = {Level::kDebug, Level::kInfo, Level::kNotice, Level::kWarning,
                                   Level::kError};
  for (Level l : kAll) {
    std::string name = LevelName(l);
    for (char& c : name) c = static_cast<char>(c - 'A' + 'a');
    if (text == name) {
      *level = l;
      return true;
    }
  }
  return false;
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kNotice:
      return "NOTICE";
    case Level::kWarning:
      return "WARNING";
    case Level::kError:
      return "ERROR";
  }
  return "INFO";
}

void EnableSyslog(std::string_view ident, int facility) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_syslog.load()) closelog();
  g_ident.assign(ident);
  openlog(g_ident.c_str(), LOG_PID | LOG_NDELAY, facility);
  g_syslog.store(true);
}

void DisableSyslog() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_syslog.load()) return;
  closelog();
  g_syslog.store(false);
}

bool SyslogEnabled() { return g_syslog.load(); }

void SetStderr(bool enabled) { g_stderr.store(enabled); }

std::string FormatLine(Level level, std::string_view message, long long unix_millis) {
  time_t seconds = static_cast<time_t>(unix_millis / 1000);
  struct tm tm_utc;
  gmtime_r(&seconds, &tm_utc);
  char stamp[64];
  snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm_utc.tm_year + 1900,
           tm_utc.tm_mon + 1, tm_utc.tm_mday, tm_utc.tm_hour, tm_utc.tm_min, tm_utc.tm_sec,
           static_cast<int>(unix_millis % 1000));
  std::string line;
  line.reserve(message.size() + 40);
  line += stamp;
  line += ' ';
  line += LevelName(level);
  line += ' ';
  line += message;
  // A message with embedded newlines stays one logical record; the log must stay line-based.
  if (line.empty() || line.back() != '\n') line += '\n';
  return line;
}

bool Selected(const std::vector<Selector>& selectors, std::string_view facility, int level) {
  const Selector* any = nullptr;
  for (const Selector& s : selectors) {
    if (s.facility == facility) return level <= s.level;
    if (s.facility == "any") any = &s;
  }
  return any != nullptr && level <= any->level;
}

std::vector<std::string> SetTargets(const Targets& targets) {
  std::vector<std::string> problems;
  std::vector<OpenFile> files;
  std::vector<OpenHost> hosts;
  for (const FileTarget& t : targets.files) {
    int fd = ::open(t.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd < 0) {
      problems.push_back("cannot open log file " + t.path + ": " + std::strerror(errno));
      continue;
    }
    files.push_back({fd, t.selectors});
  }
  for (const HostTarget& t : targets.hosts) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* result = nullptr;
    std::string port = std::to_string(t.port);
    int rc = getaddrinfo(t.host.c_str(), port.c_str(), &hints, &result);
    if (rc != 0 || result == nullptr) {
      problems.push_back("cannot resolve syslog host " + t.host + ": " + gai_strerror(rc));
      continue;
    }
    int fd = ::socket(result->ai_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || ::connect(fd, result->ai_addr, result->ai_addrlen) != 0) {
      problems.push_back("cannot reach syslog host " + t.host + ": " + std::strerror(errno));
      if (fd >= 0) ::close(fd);
    } else {
      hosts.push_back({fd, t.selectors});
    }
    freeaddrinfo(result);
  }
  std::string host_name = targets.host_name;
  if (host_name.empty()) {
    char buffer[256] = {};
    ::gethostname(buffer, sizeof(buffer) - 1);
    host_name = buffer;
  }
  std::lock_guard<std::mutex> lock(g_mutex);
  CloseTargets();
  g_files = std::move(files);
  g_hosts = std::move(hosts);
  g_host_name = std::move(host_name);
  g_have_targets.store(!g_files.empty() || !g_hosts.empty());
  return problems;
}

void Write(Level level, std::string_view message) { Write(kDaemon, level, message); }

void Write(std::string_view facility, Level level, std::string_view message) {
  if (!Enabled(level)) return;
  long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_stderr.load()) WriteAll(STDERR_FILENO, FormatLine(level, message, now));
  if (g_syslog.load()) {
    std::string text(message);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    syslog(SyslogPriority(level), "%s", text.c_str());
  }
  if (g_have_targets.load()) {
    std::string text(message);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    std::string tail = SyslogStamp(now) + " " + g_host_name + " sabinad[" +
                       std::to_string(::getpid()) + "]: " + text;
    int priority = SyslogPriority(level);
    for (const OpenFile& f : g_files) {
      // Junos log files put two blanks between the time and the host name.
      if (Selected(f.selectors, facility, priority)) {
        WriteAll(f.fd, tail.substr(0, 15) + " " + tail.substr(15) + "\n");
      }
    }
    for (const OpenHost& h : g_hosts) {
      if (!Selected(h.selectors, facility, priority)) continue;
      std::string packet = "<" + std::to_string(FacilityCode(facility) * 8 + priority) + ">" + tail;
      // UDP syslog is fire-and-forget; a full socket buffer drops the message.
      (void)::send(h.fd, packet.data(), packet.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    }
  }
}

}  // namespace sabina::log
