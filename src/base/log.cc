#include "base/log.h"

#include <syslog.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace sabina::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<bool> g_stderr{true};
std::atomic<bool> g_syslog{false};
std::mutex g_mutex;
std::string g_ident;  // guarded by g_mutex; openlog() keeps a pointer into it

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

void Write(Level level, std::string_view message) {
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
}

}  // namespace sabina::log
