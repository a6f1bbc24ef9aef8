#include "platform/kernel_routes.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include <cstdio>
#include <cstring>
#include <optional>

#include "platform/netns_test_util.h"
#include "platform/tap.h"

namespace sabina::platform {
namespace {

using testing::AddForeignRoute;
using testing::RunInNewNetns;
using Type = KernelRoute::Type;

const packet::MacAddr kMac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};

KernelRoute Route(const std::string& prefix, const std::string& gateway, const std::string& dev,
                  Type type = Type::kUnicast) {
  KernelRoute r;
  r.prefix = *IpPrefix::Parse(prefix);
  if (!gateway.empty()) r.gateway = *IpAddress::Parse(gateway);
  r.ifname = dev;
  r.type = type;
  return r;
}

// 10000 IPv6 /64s in 2001:db8:1::/48's neighbourhood and every prefix of 203.0.113.0/24 from
// /24 to /32 (511): documentation space only.
std::vector<KernelRoute> ManyRoutes() {
  std::vector<KernelRoute> routes;
  char text[64];
  for (int i = 0; i < 10000; ++i) {
    std::snprintf(text, sizeof text, "2001:db8:%x:%x::/64", 1 + i / 65536, i % 65536);
    routes.push_back(Route(text, "2001:db8::2", "ge-0-0-0.0"));
  }
  for (int len = 24; len <= 32; ++len) {
    for (int k = 0; k < (1 << (len - 24)); ++k) {
      std::snprintf(text, sizeof text, "203.0.113.%d/%d", k << (32 - len), len);
      routes.push_back(Route(text, "192.0.2.2", "ge-0-0-0.0"));
    }
  }
  return routes;
}

// What the kernel holds, read by an independent object.
std::vector<KernelRoutes::Entry> KernelView() {
  auto view = KernelRoutes::Create();
  EXPECT_TRUE(view.ok()) << view.status().message();
  return view.ok() ? view->installed() : std::vector<KernelRoutes::Entry>{};
}

// Routes of any protocol for `prefix` in the main table, as (protocol, metric) pairs.
std::vector<std::pair<int, uint32_t>> AllRoutesFor(const IpPrefix& prefix) {
  struct Found {
    IpAddress dst;
    uint32_t metric = 0;
  };
  std::vector<std::pair<int, uint32_t>> out;
  auto sock = NetlinkSocket::Open();
  alignas(nlmsghdr) uint8_t buf[256];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_GETROUTE;
  auto* r = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  r->rtm_family = prefix.address.family;
  Status st = sock->Dump(nlh, [&](const nlmsghdr* m) {
    const auto* rt = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(m));
    if (rt->rtm_table != RT_TABLE_MAIN || rt->rtm_dst_len != prefix.length) return;
    Found found;
    found.dst.family = prefix.address.family;
    mnl_attr_parse(
        m, sizeof(rtmsg),
        [](const nlattr* a, void* data) {
          auto* f = static_cast<Found*>(data);
          if (mnl_attr_get_type(a) == RTA_DST && mnl_attr_get_payload_len(a) <= 16) {
            std::memcpy(f->dst.bytes.data(), mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
          } else if (mnl_attr_get_type(a) == RTA_PRIORITY) {
            f->metric = mnl_attr_get_u32(a);
          }
          return MNL_CB_OK;
        },
        &found);
    if (found.dst == prefix.address) out.emplace_back(rt->rtm_protocol, found.metric);
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

struct TwoTaps {
  Tap a, b;
};

std::optional<TwoTaps> MakeTaps() {
  auto a = Tap::Create("ge-0-0-0.0", kMac, 1500);
  auto b = Tap::Create("ge-0-0-1.0", kMac, 1500);
  EXPECT_TRUE(a.ok() && b.ok());
  if (!a.ok() || !b.ok()) return std::nullopt;
  EXPECT_TRUE(a->SetAddresses({"192.0.2.1/24", "2001:db8::1/64"}).ok());
  EXPECT_TRUE(b->SetAddresses({"198.51.100.1/24", "2001:db8:ffff::1/64"}).ok());
  return TwoTaps{std::move(*a), std::move(*b)};
}

TEST(KernelRoutes, TenThousandRoutesAddChangeRemove) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto taps = MakeTaps();
    ASSERT_TRUE(taps);
    auto routes = KernelRoutes::Create();
    ASSERT_TRUE(routes.ok()) << routes.status().message();
    EXPECT_EQ(routes->size(), 0u);

    std::vector<KernelRoute> desired = ManyRoutes();
    Status st = routes->Sync(desired);
    ASSERT_TRUE(st.ok()) << st.message();
    const auto add = routes->last_sync();
    EXPECT_EQ(add.added, desired.size());
    EXPECT_EQ(routes->size(), desired.size());
    std::printf("KernelRoutes: add %zu routes in %.1f ms\n", desired.size(), add.seconds * 1e3);
    EXPECT_LT(add.seconds, 1.0);
    EXPECT_EQ(KernelView(), routes->installed());

    // The same set again: nothing to do.
    ASSERT_TRUE(routes->Sync(desired).ok());
    EXPECT_EQ(
        routes->last_sync().added + routes->last_sync().replaced + routes->last_sync().deleted, 0u);

    // Change some: new gateway, discard, reject, ECMP over both taps, and drop 1000.
    for (int i = 0; i < 100; ++i) desired[i].gateway = *IpAddress::Parse("2001:db8::3");
    for (int i = 10000; i < 10010; ++i) desired[i].type = Type::kBlackhole;
    for (int i = 10010; i < 10020; ++i) desired[i].type = Type::kUnreachable;
    desired.push_back(Route(desired[10030].prefix.ToString(), "198.51.100.2", "ge-0-0-1.0"));
    desired.push_back(Route("2001:db8:1:100::/64", "2001:db8:ffff::2", "ge-0-0-1.0"));
    desired.erase(desired.begin() + 1000, desired.begin() + 2000);
    st = routes->Sync(desired);
    ASSERT_TRUE(st.ok()) << st.message();
    const auto change = routes->last_sync();
    std::printf("KernelRoutes: change %zu, delete %zu in %.1f ms\n", change.replaced,
                change.deleted, change.seconds * 1e3);
    EXPECT_EQ(change.added, 0u);
    EXPECT_EQ(change.deleted, 1000u);
    EXPECT_EQ(change.replaced, 100u + 20u + 2u);
    EXPECT_EQ(KernelView(), routes->installed());
    size_t multipath = 0;
    for (const auto& e : routes->installed()) multipath += e.hops.size() > 1;
    EXPECT_EQ(multipath, 2u);

    // An operator's route for one of the same prefixes is never touched.
    ASSERT_TRUE(AddForeignRoute(*IpPrefix::Parse("203.0.113.0/24"), taps->b.ifindex()).ok());
    st = routes->RemoveAll();
    ASSERT_TRUE(st.ok()) << st.message();
    std::printf("KernelRoutes: remove %zu in %.1f ms\n", routes->last_sync().deleted,
                routes->last_sync().seconds * 1e3);
    EXPECT_LT(routes->last_sync().seconds, 1.0);
    EXPECT_EQ(routes->size(), 0u);
    EXPECT_TRUE(KernelView().empty());
    EXPECT_EQ(AllRoutesFor(*IpPrefix::Parse("203.0.113.0/24")),
              (std::vector<std::pair<int, uint32_t>>{{RTPROT_STATIC, 0}}));
  });
}

TEST(KernelRoutes, EcmpDiscardRejectAndDefaultRoutes) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto taps = MakeTaps();
    ASSERT_TRUE(taps);
    auto routes = KernelRoutes::Create();
    ASSERT_TRUE(routes.ok());
    std::vector<KernelRoute> desired = {
        Route("0.0.0.0/0", "192.0.2.2", "ge-0-0-0.0"),
        Route("0.0.0.0/0", "198.51.100.2", "ge-0-0-1.0"),
        Route("::/0", "2001:db8::2", "ge-0-0-0.0"),
        Route("::/0", "2001:db8:ffff::2", "ge-0-0-1.0"),
        Route("203.0.113.0/25", "", "", Type::kBlackhole),
        Route("203.0.113.128/25", "", "", Type::kUnreachable),
        Route("2001:db8:dead::/48", "", "", Type::kUnreachable),
        Route("198.51.100.128/25", "", "ge-0-0-0.0"),  // directly reachable out of another tap
        Route("203.0.113.7/24", "192.0.2.2", "ge-0-0-0.0"),  // host bits ignored
    };
    Status st = routes->Sync(desired);
    ASSERT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(routes->size(), 7u);
    auto view = KernelView();
    EXPECT_EQ(view, routes->installed());
    for (const auto& e : view) {
      if (e.prefix.length == 0) {
        EXPECT_EQ(e.hops.size(), 2u) << e.prefix.ToString();
      }
    }
    // Dropping one next hop of an ECMP route replaces it.
    desired.erase(desired.begin() + 1);
    ASSERT_TRUE(routes->Sync(desired).ok());
    EXPECT_EQ(routes->last_sync().replaced, 1u);
    EXPECT_EQ(KernelView(), routes->installed());
  });
}

TEST(KernelRoutes, FailuresAreReportedAndRetried) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto taps = MakeTaps();
    ASSERT_TRUE(taps);
    auto routes = KernelRoutes::Create();
    ASSERT_TRUE(routes.ok());
    std::vector<KernelRoute> desired = {
        // The kernel refuses this one (gateway not on that tap's subnet) in the same batch as,
        // and before, a good one: the batch goes on.
        Route("192.0.2.128/25", "198.51.100.2", "ge-0-0-0.0"),
        Route("203.0.113.0/24", "192.0.2.2", "ge-0-0-0.0"),
        Route("203.0.113.0/25", "192.0.2.2", "no-such-tap"),
        // Not on a connected subnet of that tap: refused (yet).
        Route("2001:db8:5::/48", "2001:db8:7::2", "ge-0-0-0.0"),
        Route("2001:db8:6::/48", "192.0.2.2", "ge-0-0-0.0"),  // wrong family
    };
    Status st = routes->Sync(desired);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("4 of 5"), std::string::npos) << st.message();
    EXPECT_EQ(routes->last_sync().added, 1u);
    EXPECT_EQ(routes->last_sync().failed, 4u);
    EXPECT_EQ(routes->size(), 1u);
    EXPECT_EQ(KernelView(), routes->installed());

    // Once the gateway is on a connected subnet, the next Sync installs the route.
    ASSERT_TRUE(taps->a.SetAddresses({"192.0.2.1/24", "2001:db8::1/64", "2001:db8:7::1/64"}).ok());
    desired = {desired[1], desired[3]};
    st = routes->Sync(desired);
    EXPECT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(routes->last_sync().added, 1u);
    EXPECT_EQ(routes->size(), 2u);
  });
}

TEST(KernelRoutes, RereadAfterTheKernelFlushedADownTap) {
  SABINA_PLATFORM_REQUIRE_ROOT();
  RunInNewNetns([] {
    auto taps = MakeTaps();
    ASSERT_TRUE(taps);
    auto routes = KernelRoutes::Create();
    ASSERT_TRUE(routes.ok());
    std::vector<KernelRoute> desired = {
        Route("203.0.113.0/24", "192.0.2.2", "ge-0-0-0.0"),
        Route("2001:db8:5::/48", "2001:db8::2", "ge-0-0-0.0"),
        Route("203.0.113.0/25", "198.51.100.2", "ge-0-0-1.0"),
    };
    ASSERT_TRUE(routes->Sync(desired).ok());
    ASSERT_EQ(routes->size(), 3u);

    // Through the Tap: the next Sync notices by itself.
    ASSERT_TRUE(taps->a.SetUp(false).ok());
    ASSERT_TRUE(taps->a.SetUp(true).ok());
    EXPECT_EQ(KernelView().size(), 1u) << "the kernel drops routes through a down device";
    Status st = routes->Sync(desired);
    EXPECT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(routes->last_sync().added, 2u);
    EXPECT_EQ(KernelView().size(), 3u);

    // Behind Sabina's back: Reread() learns it.
    ASSERT_TRUE(SetLinkUp(taps->a.ifindex(), false).ok());
    ASSERT_TRUE(SetLinkUp(taps->a.ifindex(), true).ok());
    ASSERT_TRUE(routes->Reread().ok());
    EXPECT_EQ(routes->size(), 1u);
    st = routes->Sync(desired);
    EXPECT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(routes->last_sync().added, 2u);

    // Removing the address that covers a gateway flushes the route too.
    ASSERT_TRUE(taps->b.SetAddresses({"2001:db8:ffff::1/64"}).ok());
    ASSERT_TRUE(taps->b.SetAddresses({"198.51.100.1/24", "2001:db8:ffff::1/64"}).ok());
    st = routes->Sync(desired);
    EXPECT_TRUE(st.ok()) << st.message();
    EXPECT_EQ(routes->last_sync().added, 1u);
    EXPECT_EQ(KernelView().size(), 3u);

    // A new instance (daemon restart) adopts the routes and removes the stale ones.
    auto restarted = KernelRoutes::Create();
    ASSERT_TRUE(restarted.ok());
    EXPECT_EQ(restarted->size(), 3u);
    ASSERT_TRUE(restarted->Sync({desired[0]}).ok());
    EXPECT_EQ(restarted->last_sync().deleted, 2u);
    EXPECT_EQ(KernelView().size(), 1u);
  });
}

}  // namespace
}  // namespace sabina::platform
