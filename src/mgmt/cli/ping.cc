#include "mgmt/cli/ping.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "mgmt/cli/text.h"

namespace sabina::mgmt::cli {

namespace {

// 4, 6, or 0 when `host` is not an address literal.
int AddressFamily(const std::string& host) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return 4;
  if (inet_pton(AF_INET6, host.c_str(), buf) == 1) return 6;
  return 0;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

int64_t MonotonicMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// The iputils sequence numbers start at 1, BSD's at 0.
std::string RenumberSeq(std::string line, std::set<long>* seen) {
  size_t at = line.find("icmp_seq=");
  if (at == std::string::npos) return line;
  size_t begin = at + 9, end = begin;
  while (end < line.size() && line[end] >= '0' && line[end] <= '9') ++end;
  if (end == begin) return line;
  long seq = std::strtol(line.substr(begin, end - begin).c_str(), nullptr, 10);
  if (seen) seen->insert(seq);
  return line.substr(0, begin) + std::to_string(seq > 0 ? seq - 1 : 0) + line.substr(end);
}

}  // namespace

Argv BuildPingArgv(const PingOptions& o) {
  Argv a;
  int family = AddressFamily(o.host);
  if (family == 0) {
    a.error = "ping: cannot resolve " + o.host + ": Unknown host";
    return a;
  }
  if (o.family != 0 && o.family != family) {
    a.error = "ping: " + o.host + " is not an " + (o.family == 4 ? "inet" : "inet6") + " address";
    return a;
  }
  a.v6 = family == 6;
  uint32_t count = o.count.value_or(kDefaultPingCount);
  a.args = {"/usr/bin/ping", a.v6 ? "-6" : "-4", "-n", "-c", std::to_string(count)};
  if (o.rapid) a.args.insert(a.args.end(), {"-i", "0.05"});
  if (o.size) a.args.insert(a.args.end(), {"-s", std::to_string(*o.size)});
  if (o.ttl) a.args.insert(a.args.end(), {"-t", std::to_string(*o.ttl)});
  if (o.wait) a.args.insert(a.args.end(), {"-W", std::to_string(*o.wait)});
  if (o.do_not_fragment) a.args.insert(a.args.end(), {"-M", "do"});
  if (!o.source.empty()) {
    a.args.insert(a.args.end(), {"-I", o.source});
  } else if (!o.interface.empty()) {
    a.args.insert(a.args.end(), {"-I", o.interface});
  }
  a.args.push_back(o.host);
  return a;
}

Argv BuildTracerouteArgv(const TracerouteOptions& o) {
  Argv a;
  int family = AddressFamily(o.host);
  if (family == 0) {
    a.error = "traceroute: unknown host " + o.host;
    return a;
  }
  if (o.family != 0 && o.family != family) {
    a.error =
        "traceroute: " + o.host + " is not an " + (o.family == 4 ? "inet" : "inet6") + " address";
    return a;
  }
  a.v6 = family == 6;
  a.args = {"/usr/bin/traceroute",
            a.v6 ? "-6" : "-4",
            "-n",
            "-q",
            "3",
            "-w",
            std::to_string(o.wait.value_or(2)),
            "-m",
            std::to_string(o.ttl.value_or(30))};
  if (!o.source.empty()) a.args.insert(a.args.end(), {"-s", o.source});
  a.args.push_back(o.host);
  return a;
}

std::string ReformatPing(const std::string& raw, const PingOptions& o) {
  std::string out;
  size_t marks_at = 0;
  std::set<long> answered;
  bool in_stats = false;
  for (std::string_view view : Lines(raw)) {
    std::string line(view);
    if (StartsWith(line, "/usr/bin/ping: ")) line = line.substr(9);  // argv[0] is a path
    if (StartsWith(line, "PING ")) {
      // "PING 192.0.2.2 (192.0.2.2) 56(84) bytes of data." / "PING ::1(::1) 56 data bytes"
      size_t open = line.find('(');
      size_t close = line.find(')', open);
      std::string target = line.substr(5, open == std::string::npos ? 0 : open - 5);
      while (!target.empty() && target.back() == ' ') target.pop_back();
      std::string addr = open != std::string::npos && close != std::string::npos
                             ? line.substr(open + 1, close - open - 1)
                             : target;
      out += "PING " + target + " (" + addr + "): " + std::to_string(o.size.value_or(56)) +
             " data bytes\n";
      continue;
    }
    if (line.empty()) continue;
    if (StartsWith(line, "--- ")) {
      in_stats = true;
      // Rapid: the '!'/'.' line goes here once the statistics tell how many were sent.
      if (o.rapid) {
        marks_at = out.size();
      } else {
        out += "\n";
      }
      out += line + "\n";
      continue;
    }
    if (in_stats) {
      if (line.find("packets transmitted") != std::string::npos) {
        // "5 packets transmitted, 5 received, +1 errors, 0% packet loss, time 4005ms"
        long sent = 0, received = 0;
        std::sscanf(line.c_str(), "%ld packets transmitted, %ld", &sent, &received);
        size_t pct_end = line.find("% packet loss");
        size_t pct_begin = line.rfind(' ', pct_end);
        std::string pct = pct_end == std::string::npos
                              ? "0"
                              : line.substr(pct_begin + 1, pct_end - pct_begin - 1);
        if (o.rapid) {
          std::string marks;
          for (long s = 1; s <= sent; ++s) marks += answered.count(s) ? '!' : '.';
          out.insert(marks_at, marks + "\n");
        }
        out += std::to_string(sent) + " packets transmitted, " + std::to_string(received) +
               " packets received, " + pct + "% packet loss\n";
      } else if (StartsWith(line, "rtt min/avg/max/mdev = ")) {
        out += "round-trip min/avg/max/stddev = " + line.substr(23) + "\n";
      } else {
        out += line + "\n";
      }
      continue;
    }
    if (line.find(" bytes from ") != std::string::npos) {
      std::string renumbered = RenumberSeq(line, &answered);
      if (!o.rapid) out += renumbered + "\n";
      continue;
    }
    if (StartsWith(line, "From ")) {
      // "From 192.0.2.1 icmp_seq=1 Destination Net Unreachable"
      std::string renumbered = RenumberSeq(line, nullptr);
      size_t sp = renumbered.find(' ', 5);
      if (sp != std::string::npos) renumbered.insert(sp, ":");
      if (!o.rapid) out += renumbered + "\n";
      continue;
    }
    out += line + "\n";
  }
  return out;
}

std::string ReformatTraceroute(const std::string& raw, bool v6) {
  std::string out;
  for (std::string_view view : Lines(raw)) {
    std::string line(view);
    if (v6 && StartsWith(line, "traceroute to ")) line = "traceroute6" + line.substr(10);
    out += line + "\n";
  }
  return out;
}

RunResult RunBounded(const std::vector<std::string>& args, int timeout_seconds) {
  RunResult r;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    r.output = std::string("error: pipe: ") + strerror(errno) + "\n";
    return r;
  }
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    r.output = std::string("error: fork: ") + strerror(errno) + "\n";
    return r;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    // The daemon's sockets, taps and rings without O_CLOEXEC stay out of the tool.
    close_range(3, ~0U, 0);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    execv(argv[0], argv.data());
    static const char kMsg[] = "error: cannot run the command\n";
    ssize_t ignored = write(1, kMsg, sizeof kMsg - 1);
    (void)ignored;
    _exit(127);
  }
  setpgid(pid, pid);  // as the child does, whichever runs first: signals go to its group
  close(fds[1]);
  int64_t deadline = MonotonicMs() + static_cast<int64_t>(timeout_seconds) * 1000;
  bool interrupted = false;
  char buf[4096];
  for (;;) {
    int64_t now = MonotonicMs();
    if (now >= deadline) {
      if (!interrupted) {
        kill(-pid, SIGINT);
        interrupted = true;
        r.timed_out = true;
        deadline = now + 1000;
      } else {
        kill(-pid, SIGKILL);
        break;
      }
    }
    struct pollfd p = {fds[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(deadline - now));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    ssize_t got = read(fds[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    if (r.output.size() < (1u << 20)) r.output.append(buf, static_cast<size_t>(got));
  }
  close(fds[0]);
  int status = 0;
  // The pipe closed (or SIGKILL was sent): the child is gone or going; a bounded wait.
  for (int i = 0; i < 200; ++i) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w < 0 && errno != EINTR) return r;
    if (w == pid) {
      r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return r;
    }
    if (i == 100) kill(-pid, SIGKILL);
    usleep(10000);
  }
  return r;
}

}  // namespace sabina::mgmt::cli
