// Operational `show system commit`, `show system uptime` and `show version` in Junos layout.
// The formatters are pure so that tests can pin every byte.
//
// Thread: pure functions, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/commit.h"

namespace sabina::mgmt::cli {

inline constexpr const char* kSabinaVersion = "0.1.0";

// 0   2026-11-23 15:04:34 UTC by root via cli commit confirmed, rollback in 5mins
//     comment text
// 1   2026-11-23 15:01:02 UTC by root via cli
std::string FormatSystemCommit(const std::vector<config::CommitInfo>& history,
                               std::optional<int64_t> confirm_deadline, int64_t now,
                               int minute_seconds);

struct UptimeInput {
  int64_t now = 0;
  int64_t booted = 0;             // the host
  int64_t protocols_started = 0;  // sabinad
  const config::CommitInfo* last_commit = nullptr;
  size_t users = 0;
  double load[3] = {0, 0, 0};
};
// Current time: 2026-11-23 15:04:34 UTC
// Time Source:  LOCAL CLOCK
// System booted: ... (1d 02:04 ago)
// Protocols started: ...
// Last configured: ... (00:04:57 ago) by root
//  3:04PM  up 1 day,  2:04, 1 user, load averages: 0.00, 0.00, 0.00
std::string FormatUptime(const UptimeInput& in);

// Hostname: r1 / Model: sabina / Sabina version 0.1.0
std::string FormatVersion(const std::string& host_name);

}  // namespace sabina::mgmt::cli
