// Test support for src/platform: run a test body inside a private network namespace, so tests
// that create devices, addresses and routes never touch the host's networking.
//
//   TEST(Tap, Something) {
//     SABINA_PLATFORM_REQUIRE_ROOT();
//     RunInNewNetns([] { ... EXPECT_/ASSERT_ as usual ... });
//   }
//
// The body runs in a forked child that unshares CLONE_NEWNET (the namespace, and every device
// in it, disappears when the child exits, even on a crash). GoogleTest in the child prints its
// failures as usual; the child's exit status carries them to the parent's test.
//
// Thread: the test's main thread.
#pragma once

#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

#include "platform/netlink.h"

#define SABINA_PLATFORM_REQUIRE_ROOT() \
  if (geteuid() != 0) GTEST_SKIP() << "needs root for a private network namespace"

namespace sabina::platform::testing {

inline void RunInNewNetns(const std::function<void()>& body) {
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(120);  // a hung child must not hang the suite
    if (unshare(CLONE_NEWNET) != 0) {
      std::perror("unshare(CLONE_NEWNET)");
      _exit(2);
    }
    auto lo = GetLink("lo");
    if (!lo.ok() || !SetLinkUp(lo->ifindex, true).ok()) _exit(3);
    body();
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(::testing::Test::HasFailure() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "the test body in the private namespace failed (its output is above); status " << status;
}

// A veth pair `a` <-> `b`, both down.
inline Status CreateVethPair(const std::string& a, const std::string& b) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[1024];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, a.c_str());
  nlattr* linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  nlattr* peer = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  auto* peer_ifm = static_cast<ifinfomsg*>(mnl_nlmsg_get_payload_tail(nlh));
  *peer_ifm = {};
  nlh->nlmsg_len += MNL_ALIGN(sizeof(ifinfomsg));
  mnl_attr_put_strz(nlh, IFLA_IFNAME, b.c_str());
  mnl_attr_nest_end(nlh, peer);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, linkinfo);
  return sock->Request(nlh);
}

// A route of another protocol (RTPROT_STATIC, metric 0), as an operator would add with `ip`.
inline Status AddForeignRoute(const IpPrefix& prefix, int ifindex) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[512];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWROUTE;
  nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
  auto* r = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  r->rtm_family = prefix.address.family;
  r->rtm_dst_len = prefix.length;
  r->rtm_table = RT_TABLE_MAIN;
  r->rtm_protocol = RTPROT_STATIC;
  r->rtm_scope = RT_SCOPE_LINK;
  r->rtm_type = RTN_UNICAST;
  mnl_attr_put(nlh, RTA_DST, prefix.address.size(), prefix.address.bytes.data());
  mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(ifindex));
  return sock->Request(nlh);
}

// Reads /proc/sys/net/{ipv4,ipv6}/conf/DEV/KEY without its newline ("" when unreadable).
inline std::string ReadDeviceSysctl(bool ipv6, const std::string& dev, const std::string& key) {
  std::string path =
      std::string("/proc/sys/net/") + (ipv6 ? "ipv6" : "ipv4") + "/conf/" + dev + "/" + key;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return "";
  char line[64] = {};
  if (std::fgets(line, sizeof line, f) == nullptr) line[0] = '\0';
  std::fclose(f);
  std::string s(line);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace sabina::platform::testing
