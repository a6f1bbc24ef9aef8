#include "mgmt/cli/show_system.h"

#include <cstdio>
#include <ctime>

#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

std::string FormatSystemCommit(const std::vector<config::CommitInfo>& history,
                               std::optional<int64_t> confirm_deadline, int64_t now,
                               int minute_seconds) {
  std::string out;
  for (size_t i = 0; i < history.size(); ++i) {
    const config::CommitInfo& c = history[i];
    char num[32];
    snprintf(num, sizeof num, "%-4zu", i);
    out += num;
    out += FormatTime(c.time) + " by " + c.user + " via " + c.client;
    if (i == 0 && confirm_deadline) {
      int64_t left = *confirm_deadline - now;
      if (left < 0) left = 0;
      int64_t unit = minute_seconds > 0 ? minute_seconds : 60;
      int64_t mins = (left + unit - 1) / unit;
      out += " commit confirmed, rollback in " + std::to_string(mins) + "mins";
    }
    out += '\n';
    if (!c.comment.empty()) out += "    " + c.comment + '\n';
  }
  return out;
}

namespace {

// FreeBSD w(1)'s uptime phrase, which Junos prints.
std::string UpPhrase(int64_t uptime) {
  if (uptime > 60) uptime += 30;
  int64_t days = uptime / 86400;
  uptime %= 86400;
  int64_t hrs = uptime / 3600;
  uptime %= 3600;
  int64_t mins = uptime / 60;
  int64_t secs = uptime % 60;
  char buf[96];
  std::string out = " up";
  if (days > 0) {
    snprintf(buf, sizeof buf, " %lld %s,", static_cast<long long>(days),
             days > 1 ? "days" : "day");
    out += buf;
  }
  if (hrs > 0 && mins > 0) {
    snprintf(buf, sizeof buf, " %2lld:%02lld,", static_cast<long long>(hrs),
             static_cast<long long>(mins));
  } else if (hrs > 0) {
    snprintf(buf, sizeof buf, " %lld %s,", static_cast<long long>(hrs), hrs > 1 ? "hrs" : "hr");
  } else if (mins > 0) {
    snprintf(buf, sizeof buf, " %lld %s,", static_cast<long long>(mins),
             mins > 1 ? "mins" : "min");
  } else {
    snprintf(buf, sizeof buf, " %lld %s,", static_cast<long long>(secs),
             secs == 1 ? "sec" : "secs");
  }
  out += buf;
  return out;
}

}  // namespace

std::string FormatUptime(const UptimeInput& in) {
  std::string out;
  out += "Current time: " + FormatTime(in.now) + "\n";
  out += "Time Source:  LOCAL CLOCK \n";
  out += "System booted: " + FormatTime(in.booted) + " (" + FormatAgo(in.now - in.booted) +
         " ago)\n";
  out += "Protocols started: " + FormatTime(in.protocols_started) + " (" +
         FormatAgo(in.now - in.protocols_started) + " ago)\n";
  if (in.last_commit) {
    out += "Last configured: " + FormatTime(in.last_commit->time) + " (" +
           FormatAgo(in.now - in.last_commit->time) + " ago) by " + in.last_commit->user + "\n";
  }
  time_t tt = static_cast<time_t>(in.now);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char clock[32];
  strftime(clock, sizeof clock, "%l:%M%p", &tm);
  char tail[128];
  snprintf(tail, sizeof tail, " %zu %s, load averages: %.2f, %.2f, %.2f\n", in.users,
           in.users == 1 ? "user" : "users", in.load[0], in.load[1], in.load[2]);
  out += std::string(clock) + " " + UpPhrase(in.now - in.booted) + tail;
  return out;
}

std::string FormatVersion(const std::string& host_name) {
  return "Hostname: " + host_name + "\nModel: sabina\nSabina version " + kSabinaVersion + "\n";
}

}  // namespace sabina::mgmt::cli
