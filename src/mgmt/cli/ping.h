// `ping` and `traceroute` from the router: Debian's /usr/bin/ping (iputils) and
// /usr/bin/traceroute run in sabinad's network namespace (router-originated packets leave
// through the host (TAP) interfaces, architecture section 3), their output rewritten to the
// BSD layout Junos prints.
//
// Deviations from Junos, because a CLI command runs to completion before its output is sent:
// ping sends 5 packets when no count is given (Junos pings until ^C), and both commands are
// stopped after kMaxRunSeconds (ping with SIGINT, so it still prints its statistics). There
// is no DNS: a host name gives Junos' "cannot resolve" error.
//
// Thread: the Build*/Reformat* functions are pure. RunBounded forks and waits (bounded) on the
// calling thread (mgmt).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sabina::mgmt::cli {

inline constexpr int kMaxRunSeconds = 60;
inline constexpr uint32_t kDefaultPingCount = 5;

struct PingOptions {
  std::string host;
  std::optional<uint32_t> count, size, ttl, wait;
  bool rapid = false;
  bool do_not_fragment = false;
  std::string source;
  std::string interface;  // the host (TAP) device of the unit, already mapped
  int family = 0;         // 0 from the address, 4 inet, 6 inet6
};

struct TracerouteOptions {
  std::string host;
  std::optional<uint32_t> ttl, wait;
  std::string source;
  int family = 0;
};

// argv for /usr/bin/ping, or an error line (Junos wording) when the host is not an address
// or does not match the family.
struct Argv {
  std::vector<std::string> args;
  std::string error;
  bool v6 = false;
};
Argv BuildPingArgv(const PingOptions& options);
Argv BuildTracerouteArgv(const TracerouteOptions& options);

// iputils output -> Junos/BSD output.
std::string ReformatPing(const std::string& raw, const PingOptions& options);
// traceroute output -> Junos layout (header word `traceroute6` for IPv6).
std::string ReformatTraceroute(const std::string& raw, bool v6);

struct RunResult {
  std::string output;  // stdout and stderr, interleaved
  int exit_status = -1;
  bool timed_out = false;
};
// fork + execv(args[0], args) (no shell) in a process group of its own; stdin from /dev/null.
// After `timeout_seconds` sends SIGINT to the group, one second later SIGKILL. Never waits
// longer than about timeout_seconds + 3.
RunResult RunBounded(const std::vector<std::string>& args, int timeout_seconds);

}  // namespace sabina::mgmt::cli
