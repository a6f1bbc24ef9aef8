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

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace sabina::log {

enum class Level { kDebug = 0, kInfo = 1, kNotice = 2, kWarning = 3, kError = 4 };

// Messages below `level` are dropped everywhere (default kInfo).
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

// Destinations from the configuration (`system syslog file|host`), replaced whole at each
// commit. A message of facility F and level L goes to a destination if its selector for F
// (else its `any` selector) has a level >= L; level -1 (`none`) selects nothing.
struct Selector {
  std::string facility;  // Junos name: "daemon", "interactive-commands", ..., or "any"
  int level = -1;        // syslog(3) level (LOG_ERR, ...); -1 = none
};
struct FileTarget {
  std::string path;
  std::vector<Selector> selectors;
};
struct HostTarget {
  std::string host;  // address or DNS name (resolved when the targets are set)
  uint16_t port = 514;
  std::vector<Selector> selectors;
};
struct Targets {
  std::vector<FileTarget> files;
  std::vector<HostTarget> hosts;
  std::string host_name;  // shown in file lines and sent to hosts; "" = gethostname()
};
// Opens the files and resolves the hosts; a destination that fails is skipped and reported
// in the returned list of problems (logging must never stop a commit).
std::vector<std::string> SetTargets(const Targets& targets);
// True if `selectors` pick a message of `facility` at syslog(3) `level` (exposed for tests).
bool Selected(const std::vector<Selector>& selectors, std::string_view facility, int level);

inline constexpr std::string_view kDaemon = "daemon";
inline constexpr std::string_view kInteractiveCommands = "interactive-commands";

void Write(Level level, std::string_view message);
void Write(std::string_view facility, Level level, std::string_view message);

// "2026-11-23T15:52:21.123Z WARNING message" (UTC, millisecond precision).
std::string FormatLine(Level level, std::string_view message, long long unix_millis);

// Collects one message and writes it when destroyed; built by SABINA_LOG.
class Message {
 public:
  explicit Message(Level level, std::string_view facility = kDaemon)
      : level_(level), facility_(facility) {}
  ~Message() { Write(facility_, level_, stream_.str()); }
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  std::ostream& stream() { return stream_; }

 private:
  Level level_;
  std::string_view facility_;
  std::ostringstream stream_;
};

}  // namespace sabina::log

// The condition keeps disabled levels from formatting their arguments at all.
#define SABINA_LOG(level)                                     \
  if (!::sabina::log::Enabled(::sabina::log::Level::level)) { \
  } else                                                      \
    ::sabina::log::Message(::sabina::log::Level::level).stream()

// The same for a facility other than "daemon" (a string that outlives the statement).
#define SABINA_LOG_TO(facility, level)                        \
  if (!::sabina::log::Enabled(::sabina::log::Level::level)) { \
  } else                                                      \
    ::sabina::log::Message(::sabina::log::Level::level, facility).stream()
