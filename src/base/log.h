// A small leveled logger: timestamped lines on stderr and, when enabled, syslog(3).
//
//   SABINA_LOG(kInfo) << "listening on " << path;
//
// The daemon enables syslog with --syslog; the `system syslog` binding can switch it on or
// off at commit time through EnableSyslog()/DisableSyslog(), which is why that is a runtime
// call and not a startup-only option.
//
// Thread: any. Each message is written with a single write(2) under a mutex, so lines from
// different threads never interleave.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace sabina::log {

enum class Level { kDebug = 0, kInfo = 1, kNotice = 2, kWarning = 3, kError = 4 };

// Messages below `level` are dropped (default kInfo).
void SetLevel(Level level);
Level GetLevel();
bool Enabled(Level level);

// Parses "debug", "info", "notice", "warning", "error".
bool ParseLevel(std::string_view text, Level* level);
const char* LevelName(Level level);

// `facility` is a syslog(3) facility such as LOG_DAEMON. `ident` must stay valid; openlog()
// keeps the pointer, so it is copied into storage owned by the logger.
void EnableSyslog(std::string_view ident, int facility);
void DisableSyslog();
bool SyslogEnabled();

// Set false to silence stderr (e.g. a test that only wants syslog); default true.
void SetStderr(bool enabled);

void Write(Level level, std::string_view message);

// "2026-11-23T15:52:21.123Z WARNING message" (UTC, millisecond precision).
std::string FormatLine(Level level, std::string_view message, long long unix_millis);

// Collects one message and writes it when destroyed; built by SABINA_LOG.
class Message {
 public:
  explicit Message(Level level) : level_(level) {}
  ~Message() { Write(level_, stream_.str()); }
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  std::ostream& stream() { return stream_; }

 private:
  Level level_;
  std::ostringstream stream_;
};

}  // namespace sabina::log

// The condition keeps disabled levels from formatting their arguments at all.
#define SABINA_LOG(level)                                           \
  if (!::sabina::log::Enabled(::sabina::log::Level::level)) {      \
  } else                                                            \
    ::sabina::log::Message(::sabina::log::Level::level).stream()
