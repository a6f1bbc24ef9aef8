#include "mgmt/cli/ping.h"

#include <gtest/gtest.h>
#include <time.h>

namespace sabina::mgmt::cli {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

TEST(Ping, Argv) {
  PingOptions o;
  o.host = "198.51.100.2";
  Argv a = BuildPingArgv(o);
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(Join(a.args), "/usr/bin/ping -4 -n -c 5 198.51.100.2");
  o.count = 3;
  o.rapid = true;
  o.size = 1400;
  o.ttl = 2;
  o.wait = 2;
  o.do_not_fragment = true;
  o.interface = "ge-0-0-0.0";
  EXPECT_EQ(Join(BuildPingArgv(o).args),
            "/usr/bin/ping -4 -n -c 3 -i 0.05 -s 1400 -t 2 -W 2 -M do -I ge-0-0-0.0 198.51.100.2");
  o.source = "192.0.2.1";
  EXPECT_EQ(Join(BuildPingArgv(o).args),
            "/usr/bin/ping -4 -n -c 3 -i 0.05 -s 1400 -t 2 -W 2 -M do -I 192.0.2.1 198.51.100.2");
  PingOptions h;
  h.host = "router.example.net";
  EXPECT_EQ(BuildPingArgv(h).error, "ping: cannot resolve router.example.net: Unknown host");
  h.host = "2001:db8::2";
  h.family = 4;
  EXPECT_EQ(BuildPingArgv(h).error, "ping: 2001:db8::2 is not an inet address");
  h.family = 6;
  Argv v6 = BuildPingArgv(h);
  EXPECT_TRUE(v6.v6);
  EXPECT_EQ(Join(v6.args), "/usr/bin/ping -6 -n -c 5 2001:db8::2");
}

const char* kIputils =
    "PING 198.51.100.2 (198.51.100.2) 56(84) bytes of data.\n"
    "64 bytes from 198.51.100.2: icmp_seq=1 ttl=63 time=0.512 ms\n"
    "64 bytes from 198.51.100.2: icmp_seq=3 ttl=63 time=0.401 ms\n"
    "\n"
    "--- 198.51.100.2 ping statistics ---\n"
    "3 packets transmitted, 2 received, 33.3333% packet loss, time 2003ms\n"
    "rtt min/avg/max/mdev = 0.401/0.456/0.512/0.055 ms\n";

TEST(Ping, ReformatBsdLayout) {
  PingOptions o;
  o.host = "198.51.100.2";
  EXPECT_EQ(ReformatPing(kIputils, o),
            "PING 198.51.100.2 (198.51.100.2): 56 data bytes\n"
            "64 bytes from 198.51.100.2: icmp_seq=0 ttl=63 time=0.512 ms\n"
            "64 bytes from 198.51.100.2: icmp_seq=2 ttl=63 time=0.401 ms\n"
            "\n"
            "--- 198.51.100.2 ping statistics ---\n"
            "3 packets transmitted, 2 packets received, 33.3333% packet loss\n"
            "round-trip min/avg/max/stddev = 0.401/0.456/0.512/0.055 ms\n");
  o.rapid = true;
  EXPECT_EQ(ReformatPing(kIputils, o),
            "PING 198.51.100.2 (198.51.100.2): 56 data bytes\n"
            "!.!\n"
            "--- 198.51.100.2 ping statistics ---\n"
            "3 packets transmitted, 2 packets received, 33.3333% packet loss\n"
            "round-trip min/avg/max/stddev = 0.401/0.456/0.512/0.055 ms\n");
}

TEST(Ping, ReformatErrorsAndIpv6) {
  PingOptions o;
  o.size = 100;
  EXPECT_EQ(ReformatPing("PING 2001:db8::2(2001:db8::2) 100 data bytes\n"
                         "From 2001:db8::1 icmp_seq=1 Destination unreachable: No route\n"
                         "\n"
                         "--- 2001:db8::2 ping statistics ---\n"
                         "1 packets transmitted, 0 received, +1 errors, 100% packet loss, "
                         "time 0ms\n",
                         o),
            "PING 2001:db8::2 (2001:db8::2): 100 data bytes\n"
            "From 2001:db8::1: icmp_seq=0 Destination unreachable: No route\n"
            "\n"
            "--- 2001:db8::2 ping statistics ---\n"
            "1 packets transmitted, 0 packets received, 100% packet loss\n");
  EXPECT_EQ(ReformatPing("/usr/bin/ping: connect: Network is unreachable\n", o),
            "ping: connect: Network is unreachable\n");
}

TEST(Traceroute, ArgvAndReformat) {
  TracerouteOptions o;
  o.host = "198.51.100.2";
  EXPECT_EQ(Join(BuildTracerouteArgv(o).args),
            "/usr/bin/traceroute -4 -n -q 3 -w 2 -m 30 198.51.100.2");
  o.ttl = 5;
  o.wait = 1;
  o.source = "192.0.2.1";
  EXPECT_EQ(Join(BuildTracerouteArgv(o).args),
            "/usr/bin/traceroute -4 -n -q 3 -w 1 -m 5 -s 192.0.2.1 198.51.100.2");
  o.host = "host.example";
  EXPECT_EQ(BuildTracerouteArgv(o).error, "traceroute: unknown host host.example");
  EXPECT_EQ(ReformatTraceroute("traceroute to 2001:db8::2 (2001:db8::2), 30 hops max, 80 byte "
                               "packets\n 1  2001:db8::1  0.100 ms  0.050 ms  0.040 ms\n",
                               true),
            "traceroute6 to 2001:db8::2 (2001:db8::2), 30 hops max, 80 byte packets\n"
            " 1  2001:db8::1  0.100 ms  0.050 ms  0.040 ms\n");
}

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

TEST(RunBounded, OutputStatusAndTimeout) {
  RunResult r = RunBounded({"/bin/echo", "hello", "world"}, 5);
  EXPECT_EQ(r.output, "hello world\n");
  EXPECT_EQ(r.exit_status, 0);
  EXPECT_FALSE(r.timed_out);
  r = RunBounded({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 5);
  EXPECT_EQ(r.output, "out\nerr\n");
  EXPECT_EQ(r.exit_status, 3);
  double start = Now();
  r = RunBounded({"/bin/sleep", "30"}, 1);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(Now() - start, 4.0);
  // A child that ignores SIGINT is killed a second later.
  start = Now();
  r = RunBounded({"/bin/sh", "-c", "trap '' INT; sleep 30"}, 1);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(Now() - start, 5.0);
  r = RunBounded({"/nonexistent/tool"}, 1);
  EXPECT_EQ(r.exit_status, 127);
}

}  // namespace
}  // namespace sabina::mgmt::cli
