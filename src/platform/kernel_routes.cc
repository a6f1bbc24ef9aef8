#include "platform/kernel_routes.h"

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <unordered_map>

namespace sabina::platform {

namespace {

// Requests per system call: well under the socket's send buffer (default 208 KiB).
constexpr size_t kChunkBytes = 60 * 1024;
constexpr size_t kMaxHops = 64;
// Largest route message: headers, destination, metric, and kMaxHops multipath entries.
constexpr size_t kMaxMessageBytes = 256 + kMaxHops * (sizeof(rtnexthop) + 4 + 16);

using Type = KernelRoute::Type;

// Thread: control in practice; atomic so that a Tap on another thread could not race.
std::atomic<uint64_t> stale_generation{0};

uint8_t RtnType(Type t) {
  switch (t) {
    case Type::kBlackhole:
      return RTN_BLACKHOLE;
    case Type::kUnreachable:
      return RTN_UNREACHABLE;
    case Type::kUnicast:
      break;
  }
  return RTN_UNICAST;
}

std::string Describe(const KernelRoutes::Entry& e) {
  std::string s = e.prefix.ToString();
  if (e.type == Type::kBlackhole) return s + " discard";
  if (e.type == Type::kUnreachable) return s + " reject";
  for (const KernelRoutes::Hop& h : e.hops) {
    if (h.gateway.family != 0) s += " via " + h.gateway.ToString();
    char name[IF_NAMESIZE] = {};
    s += std::string(" dev ") +
         (if_indextoname(static_cast<unsigned>(h.ifindex), name) ? name : "?");
  }
  return s;
}

// Sorts by prefix and folds entries of one prefix into one (their unicast hops together).
void Normalize(std::vector<KernelRoutes::Entry>* entries) {
  std::stable_sort(entries->begin(), entries->end(),
                   [](const auto& a, const auto& b) { return a.prefix < b.prefix; });
  size_t out = 0;
  for (size_t i = 0; i < entries->size(); ++i) {
    KernelRoutes::Entry& e = (*entries)[i];
    if (out > 0 && (*entries)[out - 1].prefix == e.prefix) {
      KernelRoutes::Entry& into = (*entries)[out - 1];
      if (into.type == Type::kUnicast && e.type == Type::kUnicast) {
        into.hops.insert(into.hops.end(), e.hops.begin(), e.hops.end());
      }
      continue;
    }
    if (out != i) (*entries)[out] = std::move(e);
    ++out;
  }
  entries->resize(out);
  for (KernelRoutes::Entry& e : *entries) {
    std::sort(e.hops.begin(), e.hops.end());
    e.hops.erase(std::unique(e.hops.begin(), e.hops.end()), e.hops.end());
    if (e.hops.size() > kMaxHops) e.hops.resize(kMaxHops);
  }
}

size_t PutRoute(uint8_t* at, uint16_t type, uint16_t flags, uint32_t seq,
                const KernelRoutes::Entry& e) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(at);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  nlh->nlmsg_seq = seq;
  auto* r = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  r->rtm_family = e.prefix.address.family;
  r->rtm_dst_len = e.prefix.length;
  r->rtm_table = RT_TABLE_MAIN;
  r->rtm_protocol = KernelRoutes::kProtocol;
  const bool del = type == RTM_DELROUTE;
  if (del) {
    // Any scope and type; the protocol and metric select Sabina's route only.
    r->rtm_scope = RT_SCOPE_NOWHERE;
    r->rtm_type = RTN_UNSPEC;
  } else {
    bool direct = e.type == Type::kUnicast &&
                  std::all_of(e.hops.begin(), e.hops.end(),
                              [](const KernelRoutes::Hop& h) { return h.gateway.family == 0; });
    r->rtm_scope = direct ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
    r->rtm_type = RtnType(e.type);
  }
  mnl_attr_put(nlh, RTA_DST, e.prefix.address.size(), e.prefix.address.bytes.data());
  mnl_attr_put_u32(nlh, RTA_PRIORITY, KernelRoutes::kMetric);
  if (!del && e.type == Type::kUnicast) {
    if (e.hops.size() == 1) {
      const KernelRoutes::Hop& h = e.hops[0];
      mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(h.ifindex));
      if (h.gateway.family != 0) {
        mnl_attr_put(nlh, RTA_GATEWAY, h.gateway.size(), h.gateway.bytes.data());
      }
    } else {
      nlattr* nest = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
      for (const KernelRoutes::Hop& h : e.hops) {
        auto* nh = static_cast<rtnexthop*>(mnl_nlmsg_get_payload_tail(nlh));
        std::memset(nh, 0, sizeof *nh);
        nh->rtnh_ifindex = h.ifindex;
        nlh->nlmsg_len += RTNH_ALIGN(sizeof(rtnexthop));
        if (h.gateway.family != 0) {
          mnl_attr_put(nlh, RTA_GATEWAY, h.gateway.size(), h.gateway.bytes.data());
        }
        nh->rtnh_len =
            static_cast<unsigned short>(static_cast<uint8_t*>(mnl_nlmsg_get_payload_tail(nlh)) -
                                        reinterpret_cast<uint8_t*>(nh));
      }
      mnl_attr_nest_end(nlh, nest);
    }
  }
  return nlh->nlmsg_len;
}

// Parses one RTM_NEWROUTE of a dump; false when it is not a Sabina route of the main table.
bool ParseRoute(const nlmsghdr* nlh, KernelRoutes::Entry* out) {
  const auto* r = static_cast<const rtmsg*>(mnl_nlmsg_get_payload(nlh));
  if (r->rtm_protocol != KernelRoutes::kProtocol) return false;
  if (r->rtm_family != AF_INET && r->rtm_family != AF_INET6) return false;
  struct Attrs {
    const nlattr* a[RTA_MAX + 1] = {};
  } attrs;
  mnl_attr_parse(
      nlh, sizeof(rtmsg),
      [](const nlattr* attr, void* data) {
        uint16_t t = mnl_attr_get_type(attr);
        if (t <= RTA_MAX) static_cast<Attrs*>(data)->a[t] = attr;
        return MNL_CB_OK;
      },
      &attrs);
  uint32_t table = r->rtm_table;
  if (attrs.a[RTA_TABLE] != nullptr) table = mnl_attr_get_u32(attrs.a[RTA_TABLE]);
  if (table != RT_TABLE_MAIN) return false;
  uint32_t metric = attrs.a[RTA_PRIORITY] ? mnl_attr_get_u32(attrs.a[RTA_PRIORITY]) : 0;
  if (metric != KernelRoutes::kMetric) return false;
  const size_t size = r->rtm_family == AF_INET ? 4 : 16;
  auto address = [&](const nlattr* attr, IpAddress* a) {
    if (attr == nullptr || mnl_attr_get_payload_len(attr) != size) return false;
    a->family = r->rtm_family;
    std::memcpy(a->bytes.data(), mnl_attr_get_payload(attr), size);
    return true;
  };
  out->prefix.address.family = r->rtm_family;
  address(attrs.a[RTA_DST], &out->prefix.address);
  out->prefix.length = r->rtm_dst_len;
  out->prefix = out->prefix.Masked();
  switch (r->rtm_type) {
    case RTN_UNICAST:
      out->type = Type::kUnicast;
      break;
    case RTN_BLACKHOLE:
      out->type = Type::kBlackhole;
      return true;
    case RTN_UNREACHABLE:
      out->type = Type::kUnreachable;
      return true;
    default:
      return false;
  }
  if (attrs.a[RTA_MULTIPATH] != nullptr) {
    const auto* nh = static_cast<const rtnexthop*>(mnl_attr_get_payload(attrs.a[RTA_MULTIPATH]));
    int len = static_cast<int>(mnl_attr_get_payload_len(attrs.a[RTA_MULTIPATH]));
    for (; RTNH_OK(nh, len); len -= NLMSG_ALIGN(nh->rtnh_len), nh = RTNH_NEXT(nh)) {
      KernelRoutes::Hop hop;
      hop.ifindex = nh->rtnh_ifindex;
      Attrs nested;
      mnl_attr_parse_payload(
          RTNH_DATA(nh), nh->rtnh_len - RTNH_LENGTH(0),
          [](const nlattr* attr, void* data) {
            uint16_t t = mnl_attr_get_type(attr);
            if (t <= RTA_MAX) static_cast<Attrs*>(data)->a[t] = attr;
            return MNL_CB_OK;
          },
          &nested);
      address(nested.a[RTA_GATEWAY], &hop.gateway);
      out->hops.push_back(hop);
    }
  } else {
    KernelRoutes::Hop hop;
    if (attrs.a[RTA_OIF] != nullptr)
      hop.ifindex = static_cast<int>(mnl_attr_get_u32(attrs.a[RTA_OIF]));
    address(attrs.a[RTA_GATEWAY], &hop.gateway);
    out->hops.push_back(hop);
  }
  return true;
}

}  // namespace

void MarkKernelRoutesStale() { stale_generation.fetch_add(1, std::memory_order_relaxed); }

StatusOr<KernelRoutes> KernelRoutes::Create() {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  KernelRoutes routes(std::move(*sock));
  SABINA_RETURN_IF_ERROR(routes.Reread());
  return routes;
}

Status KernelRoutes::Reread() {
  const uint64_t generation = stale_generation.load(std::memory_order_relaxed);
  std::vector<Entry> found;
  for (uint8_t family : {AF_INET, AF_INET6}) {
    alignas(nlmsghdr) uint8_t buf[256];
    nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETROUTE;
    auto* r = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
    r->rtm_family = family;
    Status st = sock_.Dump(nlh, [&](const nlmsghdr* m) {
      if (m->nlmsg_type != RTM_NEWROUTE) return;
      Entry e;
      if (ParseRoute(m, &e)) found.push_back(std::move(e));
    });
    if (!st.ok()) return std::move(st).WithContext("kernel routes");
  }
  // Kernels that dump IPv6 ECMP routes one next hop per message get them folded here.
  Normalize(&found);
  installed_ = std::move(found);
  stale_generation_ = generation;
  return Status::Ok();
}

StatusOr<std::vector<int>> KernelRoutes::Apply(const std::vector<std::pair<Op, const Entry*>>& ops,
                                               std::string* first_error) {
  std::vector<int> result(ops.size(), 0);
  std::vector<uint8_t> buf(kChunkBytes + kMaxMessageBytes);
  size_t begin = 0;
  while (begin < ops.size()) {
    size_t len = 0, end = begin;
    uint32_t first_seq = 0;
    nlmsghdr* last = nullptr;
    while (end < ops.size() && len < kChunkBytes) {
      const auto& [op, entry] = ops[end];
      uint32_t seq = sock_.NextSeq();
      if (end == begin) first_seq = seq;
      last = reinterpret_cast<nlmsghdr*>(buf.data() + len);
      switch (op) {
        case Op::kAdd:
          len += PutRoute(buf.data() + len, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, seq, *entry);
          break;
        case Op::kReplace:
          len +=
              PutRoute(buf.data() + len, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, seq, *entry);
          break;
        case Op::kDelete:
          len += PutRoute(buf.data() + len, RTM_DELROUTE, 0, seq, *entry);
          break;
      }
      ++end;
    }
    last->nlmsg_flags |= NLM_F_ACK;
    Status st = sock_.SendPipelined(buf.data(), len, first_seq, end - begin,
                                    [&](size_t index, int err, const std::string& text) {
                                      const auto& [op, entry] = ops[begin + index];
                                      result[begin + index] = err;
                                      bool gone =
                                          op == Op::kDelete && (err == ESRCH || err == ENOENT);
                                      if (!gone && first_error->empty()) {
                                        const char* verb = op == Op::kAdd       ? "add "
                                                           : op == Op::kReplace ? "replace "
                                                                                : "delete ";
                                        *first_error = verb + Describe(*entry) + ": " + text;
                                      }
                                    });
    if (!st.ok()) return st;
    begin = end;
  }
  return result;
}

Status KernelRoutes::Sync(const std::vector<KernelRoute>& desired) {
  const auto start = std::chrono::steady_clock::now();
  stats_ = {};
  if (stale_generation_ != stale_generation.load(std::memory_order_relaxed)) {
    SABINA_RETURN_IF_ERROR(Reread());
  }
  std::string first_error;
  auto fail = [&](const std::string& text) {
    ++stats_.failed;
    if (first_error.empty()) first_error = text;
  };

  std::vector<Entry> want;
  want.reserve(desired.size());
  std::unordered_map<std::string, int> ifindexes;
  for (const KernelRoute& route : desired) {
    Entry e;
    e.prefix = route.prefix.Masked();
    e.type = route.type;
    uint8_t family = route.prefix.address.family;
    if (family != AF_INET && family != AF_INET6) {
      fail("route without an address family");
      continue;
    }
    if (route.type == Type::kUnicast) {
      Hop hop;
      if (route.gateway) {
        if (route.gateway->family != family) {
          fail(e.prefix.ToString() + ": gateway " + route.gateway->ToString() +
               " of another address family");
          continue;
        }
        hop.gateway = *route.gateway;
      }
      auto [it, inserted] = ifindexes.try_emplace(route.ifname, 0);
      if (inserted) it->second = static_cast<int>(if_nametoindex(route.ifname.c_str()));
      if (it->second == 0) {
        fail(e.prefix.ToString() + ": no host interface '" + route.ifname + "'");
        continue;
      }
      hop.ifindex = it->second;
      e.hops.push_back(hop);
    }
    want.push_back(std::move(e));
  }
  Normalize(&want);

  // One walk of the two sorted lists gives the changes; a second identical walk after the
  // kernel answered builds the new `installed_`.
  enum class Step : uint8_t { kKeep, kAdd, kReplace, kDelete };
  struct Change {
    Step step;
    size_t want_index, have_index;
  };
  std::vector<Change> changes;
  std::vector<std::pair<Op, const Entry*>> ops;
  size_t i = 0, j = 0;
  while (i < want.size() || j < installed_.size()) {
    if (j == installed_.size() || (i < want.size() && want[i].prefix < installed_[j].prefix)) {
      changes.push_back({Step::kAdd, i, 0});
      ops.emplace_back(Op::kAdd, &want[i++]);
    } else if (i == want.size() || installed_[j].prefix < want[i].prefix) {
      changes.push_back({Step::kDelete, 0, j});
      ops.emplace_back(Op::kDelete, &installed_[j++]);
    } else if (want[i] == installed_[j]) {
      changes.push_back({Step::kKeep, i++, j++});
    } else {
      changes.push_back({Step::kReplace, i, j});
      ops.emplace_back(Op::kReplace, &want[i++]);
      ++j;
    }
  }

  const size_t rejected = stats_.failed;
  auto results = Apply(ops, &first_error);
  if (!results.ok()) {
    // The socket failed midway: what the kernel holds is unknown; learn it.
    Status reread = Reread();
    (void)reread;
    return results.status().WithContext("kernel routes");
  }
  std::vector<Entry> next;
  next.reserve(want.size());
  size_t k = 0;
  for (const Change& c : changes) {
    if (c.step == Step::kKeep) {
      next.push_back(std::move(want[c.want_index]));
      continue;
    }
    int err = (*results)[k++];
    switch (c.step) {
      case Step::kAdd:
        if (err == 0) {
          next.push_back(std::move(want[c.want_index]));
          ++stats_.added;
        } else {
          ++stats_.failed;
        }
        break;
      case Step::kReplace:
        if (err == 0) {
          next.push_back(std::move(want[c.want_index]));
          ++stats_.replaced;
        } else {
          // The old route may still be there: keep it recorded so it is retried or removed.
          next.push_back(std::move(installed_[c.have_index]));
          ++stats_.failed;
        }
        break;
      case Step::kDelete:
        if (err == 0 || err == ESRCH || err == ENOENT) {
          ++stats_.deleted;
        } else {
          next.push_back(std::move(installed_[c.have_index]));
          ++stats_.failed;
        }
        break;
      case Step::kKeep:
        break;
    }
  }
  installed_ = std::move(next);
  stats_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stats_.failed == 0) return Status::Ok();
  return Status::Error("kernel routes: " + std::to_string(stats_.failed) + " of " +
                       std::to_string(ops.size() + rejected) +
                       " changes failed; first: " + first_error);
}

Status KernelRoutes::RemoveAll() {
  SABINA_RETURN_IF_ERROR(Reread());
  return Sync({});
}

}  // namespace sabina::platform
