#include "platform/netlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

namespace sabina::platform {

namespace {

constexpr size_t kReceiveBuffer = 64 * 1024;
// Room for the errors of a whole pipelined chunk (each error is its own skb, about 1 KiB of
// receive-buffer accounting) so none is lost to ENOBUFS.
constexpr int kSocketBuffer = 4 * 1024 * 1024;
constexpr int kReceiveTimeoutSeconds = 10;

std::string Errno(std::string_view what, int err) {
  return std::string(what) + ": " + std::strerror(err);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Addresses

StatusOr<IpAddress> IpAddress::Parse(std::string_view text) {
  IpAddress a;
  if (text.size() >= INET6_ADDRSTRLEN)
    return Status::Error("invalid address '" + std::string(text) + "'");
  std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
  } else if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
  } else {
    return Status::Error("invalid address '" + s + "'");
  }
  return a;
}

IpAddress IpAddress::V4(uint32_t host_order) {
  IpAddress a;
  a.family = AF_INET;
  uint32_t n = htonl(host_order);
  std::memcpy(a.bytes.data(), &n, 4);
  return a;
}

IpAddress IpAddress::V6(const uint8_t network_order[16]) {
  IpAddress a;
  a.family = AF_INET6;
  std::memcpy(a.bytes.data(), network_order, 16);
  return a;
}

bool IpAddress::v6() const { return family == AF_INET6; }

std::string IpAddress::ToString() const {
  if (family != AF_INET && family != AF_INET6) return "-";
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(family, bytes.data(), buf, sizeof buf);
  return buf;
}

StatusOr<IpPrefix> IpPrefix::Parse(std::string_view text) {
  size_t slash = text.find('/');
  auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address.ok()) return Status::Error("invalid prefix '" + std::string(text) + "'");
  IpPrefix p{*address, static_cast<uint8_t>(address->size() * 8)};
  if (slash != std::string_view::npos) {
    std::string_view len = text.substr(slash + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), value);
    if (len.empty() || ec != std::errc() || end != len.data() + len.size() ||
        value > address->size() * 8) {
      return Status::Error("invalid prefix '" + std::string(text) + "'");
    }
    p.length = static_cast<uint8_t>(value);
  }
  return p;
}

IpPrefix IpPrefix::Masked() const {
  IpPrefix p = *this;
  for (size_t i = 0; i < p.address.bytes.size(); ++i) {
    size_t bit = i * 8;
    if (bit >= length) {
      p.address.bytes[i] = 0;
    } else if (bit + 8 > length) {
      p.address.bytes[i] &= static_cast<uint8_t>(0xff00u >> (length - bit));
    }
  }
  return p;
}

std::string IpPrefix::ToString() const { return address.ToString() + "/" + std::to_string(length); }

// ---------------------------------------------------------------------------------------------
// NetlinkSocket

StatusOr<NetlinkSocket> NetlinkSocket::Open(int protocol) {
  mnl_socket* sock = mnl_socket_open2(protocol, SOCK_CLOEXEC);
  if (sock == nullptr) return Status::Error(Errno("netlink socket", errno));
  NetlinkSocket s(sock);
  if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
    return Status::Error(Errno("netlink bind", errno));
  }
  int one = 1;
  // Extended acks carry the kernel's reason ("Nexthop has invalid gateway"); capped acks keep
  // error messages small by not echoing the request. Both are optional (older kernels).
  mnl_socket_setsockopt(sock, NETLINK_EXT_ACK, &one, sizeof one);
  mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof one);
  int fd = mnl_socket_get_fd(sock);
  int size = kSocketBuffer;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  timeval timeout{kReceiveTimeoutSeconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  s.rx_.resize(kReceiveBuffer);
  return s;
}

NetlinkSocket::NetlinkSocket(NetlinkSocket&& other) noexcept
    : sock_(other.sock_), seq_(other.seq_), rx_(std::move(other.rx_)) {
  other.sock_ = nullptr;
}

NetlinkSocket& NetlinkSocket::operator=(NetlinkSocket&& other) noexcept {
  if (this != &other) {
    if (sock_ != nullptr) mnl_socket_close(sock_);
    sock_ = other.sock_;
    seq_ = other.seq_;
    rx_ = std::move(other.rx_);
    other.sock_ = nullptr;
  }
  return *this;
}

NetlinkSocket::~NetlinkSocket() {
  if (sock_ != nullptr) mnl_socket_close(sock_);
}

Status NetlinkSocket::Send(const void* buf, size_t len) {
  for (;;) {
    if (mnl_socket_sendto(sock_, buf, len) >= 0) return Status::Ok();
    if (errno != EINTR) return Status::Error(Errno("netlink send", errno));
  }
}

Status NetlinkSocket::Receive(
    const std::function<Status(const nlmsghdr*, bool* done)>& on_message) {
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_, rx_.data(), rx_.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return Status::Error("netlink: no answer from the kernel");
      return Status::Error(Errno("netlink receive", errno));
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(rx_.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      bool done = false;
      SABINA_RETURN_IF_ERROR(on_message(nlh, &done));
      if (done) return Status::Ok();
    }
  }
}

std::string NetlinkSocket::ErrorText(const nlmsghdr* nlh) {
  const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(nlh));
  std::string text = std::strerror(-err->error);
  if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) == 0) return text;
  size_t payload = mnl_nlmsg_get_payload_len(nlh);
  size_t offset = sizeof(nlmsgerr);
  if ((nlh->nlmsg_flags & NLM_F_CAPPED) == 0) offset += err->msg.nlmsg_len - sizeof(nlmsghdr);
  if (offset >= payload) return text;
  const char* message = nullptr;
  auto* attr_base = reinterpret_cast<const char*>(err) + offset;
  mnl_attr_parse_payload(
      attr_base, payload - offset,
      [](const nlattr* attr, void* data) {
        if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
            mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0) {
          *static_cast<const char**>(data) = mnl_attr_get_str(attr);
        }
        return MNL_CB_OK;
      },
      &message);
  if (message != nullptr && *message != '\0') text += std::string(" (") + message + ")";
  return text;
}

Status NetlinkSocket::Request(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& on_reply) {
  nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
  uint32_t seq = nlh->nlmsg_seq = NextSeq();
  SABINA_RETURN_IF_ERROR(Send(nlh, nlh->nlmsg_len));
  return Receive([&](const nlmsghdr* m, bool* done) -> Status {
    if (m->nlmsg_seq != seq) return Status::Ok();  // a late answer to an abandoned request
    if (m->nlmsg_type == NLMSG_ERROR) {
      *done = true;
      const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(m));
      return err->error == 0 ? Status::Ok() : Status::Error(ErrorText(m));
    }
    if (m->nlmsg_type == NLMSG_DONE) {
      *done = true;
      return Status::Ok();
    }
    if (on_reply) on_reply(m);
    return Status::Ok();
  });
}

Status NetlinkSocket::Dump(nlmsghdr* nlh, const std::function<void(const nlmsghdr*)>& on_reply) {
  nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
  uint32_t seq = nlh->nlmsg_seq = NextSeq();
  SABINA_RETURN_IF_ERROR(Send(nlh, nlh->nlmsg_len));
  bool interrupted = false;
  Status st = Receive([&](const nlmsghdr* m, bool* done) -> Status {
    if (m->nlmsg_seq != seq) return Status::Ok();
    if (m->nlmsg_flags & NLM_F_DUMP_INTR) interrupted = true;
    if (m->nlmsg_type == NLMSG_ERROR) {
      *done = true;
      return Status::Error(ErrorText(m));
    }
    if (m->nlmsg_type == NLMSG_DONE) {
      *done = true;
      // A dump that fails midway reports its errno in the DONE payload.
      if (mnl_nlmsg_get_payload_len(m) >= sizeof(int)) {
        int err = *static_cast<const int*>(mnl_nlmsg_get_payload(m));
        if (err < 0) return Status::Error(Errno("netlink dump", -err));
      }
      return Status::Ok();
    }
    on_reply(m);
    return Status::Ok();
  });
  SABINA_RETURN_IF_ERROR(std::move(st));
  // The table changed during the dump; the caller's view may be inconsistent.
  if (interrupted) return Status::Error("netlink dump interrupted by a concurrent change");
  return Status::Ok();
}

Status NetlinkSocket::SendPipelined(
    const uint8_t* buf, size_t len, uint32_t first_seq, size_t count,
    const std::function<void(size_t, int, const std::string&)>& on_error) {
  if (count == 0) return Status::Ok();
  SABINA_RETURN_IF_ERROR(Send(buf, len));
  const uint32_t last_seq = first_seq + static_cast<uint32_t>(count - 1);
  return Receive([&](const nlmsghdr* m, bool* done) -> Status {
    if (m->nlmsg_type != NLMSG_ERROR) return Status::Ok();
    uint32_t index = m->nlmsg_seq - first_seq;
    if (index >= count) return Status::Ok();
    const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(m));
    if (err->error != 0) on_error(index, -err->error, ErrorText(m));
    if (m->nlmsg_seq == last_seq) *done = true;
    return Status::Ok();
  });
}

// ---------------------------------------------------------------------------------------------
// Links

namespace {

bool ValidDeviceName(std::string_view dev) {
  if (dev.empty() || dev.size() >= IFNAMSIZ || dev == "." || dev == "..") return false;
  for (char c : dev) {
    if (c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\0') return false;
  }
  return true;
}

Status CheckDeviceName(std::string_view dev) {
  if (ValidDeviceName(dev)) return Status::Ok();
  return Status::Error("invalid device name '" + std::string(dev) + "'");
}

void ParseLink(const nlmsghdr* nlh, LinkInfo* out) {
  const auto* ifm = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(nlh));
  out->ifindex = ifm->ifi_index;
  out->admin_up = (ifm->ifi_flags & IFF_UP) != 0;
  out->carrier = (ifm->ifi_flags & IFF_LOWER_UP) != 0;
  out->promiscuous = (ifm->ifi_flags & IFF_PROMISC) != 0;
  mnl_attr_parse(
      nlh, sizeof(ifinfomsg),
      [](const nlattr* attr, void* data) {
        auto* link = static_cast<LinkInfo*>(data);
        switch (mnl_attr_get_type(attr)) {
          case IFLA_IFNAME:
            if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0) {
              link->name = mnl_attr_get_str(attr);
            }
            break;
          case IFLA_ADDRESS:
            if (mnl_attr_get_payload_len(attr) == 6) {
              std::memcpy(link->mac.bytes.data(), mnl_attr_get_payload(attr), 6);
            }
            break;
          case IFLA_MTU:
            if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) link->mtu = mnl_attr_get_u32(attr);
            break;
          case IFLA_OPERSTATE:
            if (mnl_attr_validate(attr, MNL_TYPE_U8) >= 0) {
              link->oper_state = mnl_attr_get_u8(attr);
            }
            break;
          case IFLA_LINKINFO:
            mnl_attr_parse_nested(
                attr,
                [](const nlattr* nested, void* d) {
                  if (mnl_attr_get_type(nested) == IFLA_INFO_KIND &&
                      mnl_attr_validate(nested, MNL_TYPE_STRING) >= 0) {
                    static_cast<LinkInfo*>(d)->kind = mnl_attr_get_str(nested);
                  }
                  return MNL_CB_OK;
                },
                link);
            break;
          default:
            break;
        }
        return MNL_CB_OK;
      },
      out);
}

StatusOr<LinkInfo> GetLinkBy(int ifindex, std::string_view dev) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[512];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_GETLINK;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  if (ifindex == 0) mnl_attr_put_strz(nlh, IFLA_IFNAME, std::string(dev).c_str());
  mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  LinkInfo link;
  Status st = sock->Request(nlh, [&](const nlmsghdr* m) {
    if (m->nlmsg_type == RTM_NEWLINK) ParseLink(m, &link);
  });
  std::string what = ifindex == 0 ? std::string(dev) : "ifindex " + std::to_string(ifindex);
  if (!st.ok()) return std::move(st).WithContext("interface " + what);
  if (link.ifindex == 0) return Status::Error("interface " + what + ": no answer");
  return link;
}

Status ChangeLink(int ifindex, unsigned flags_mask, unsigned flags,
                  const std::function<void(nlmsghdr*)>& add_attributes = {}) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[512];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_NEWLINK;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  ifm->ifi_change = flags_mask;
  ifm->ifi_flags = flags;
  if (add_attributes) add_attributes(nlh);
  return sock->Request(nlh).WithContext("interface ifindex " + std::to_string(ifindex));
}

// The ingress drop of a taken-over port: an nftables base chain "port-DEV" in table netdev
// "sabina", hooked at the device's ingress with policy drop and no rules. Netfilter's ingress
// hook runs after the packet taps (AF_PACKET ETH_P_ALL sockets) and generic XDP, so the data
// plane still receives every frame while the kernel's own stack receives none.
constexpr char kNftTable[] = "sabina";

std::string NftChain(std::string_view dev) { return "port-" + std::string(dev); }

nlmsghdr* PutNft(uint8_t* at, uint16_t type, uint16_t flags, uint8_t family, uint32_t seq) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(at);
  bool batch = type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END;
  nlh->nlmsg_type = batch ? type : static_cast<uint16_t>((NFNL_SUBSYS_NFTABLES << 8) | type);
  nlh->nlmsg_flags = NLM_F_REQUEST | flags;
  nlh->nlmsg_seq = seq;
  auto* g = static_cast<nfgenmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(nfgenmsg)));
  g->nfgen_family = family;
  g->version = NFNETLINK_V0;
  g->res_id = htons(batch ? NFNL_SUBSYS_NFTABLES : 0);
  return nlh;
}

// Sends one nftables transaction: batch begin, `build`'s messages (each with NLM_F_ACK, numbered
// from 2 by `build` through its counter), batch end. `ignore_errno` counts as success (ENOENT
// when deleting what is not there).
Status NftTransaction(const std::function<void(uint8_t*, size_t*, uint32_t*)>& build,
                      int ignore_errno = 0) {
  auto sock = NetlinkSocket::Open(NETLINK_NETFILTER);
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[4096];
  constexpr uint32_t kBeginSeq = 1;
  size_t len = PutNft(buf, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, kBeginSeq)->nlmsg_len;
  uint32_t last_seq = kBeginSeq;
  build(buf, &len, &last_seq);
  len += PutNft(buf + len, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, last_seq + 1)->nlmsg_len;
  SABINA_RETURN_IF_ERROR(sock->Send(buf, len));
  Status result;
  SABINA_RETURN_IF_ERROR(sock->Receive([&](const nlmsghdr* m, bool* done) -> Status {
    if (m->nlmsg_type != NLMSG_ERROR || m->nlmsg_seq < kBeginSeq || m->nlmsg_seq > last_seq) {
      return Status::Ok();
    }
    const auto* err = static_cast<const nlmsgerr*>(mnl_nlmsg_get_payload(m));
    if (err->error != 0 && -err->error != ignore_errno && result.ok()) {
      result = Status::Error("nftables: " + NetlinkSocket::ErrorText(m));
    }
    // A failed batch begin (no nf_tables in this kernel) is the only answer there will be.
    if (m->nlmsg_seq == last_seq || m->nlmsg_seq == kBeginSeq) *done = true;
    return Status::Ok();
  }));
  return result;
}

Status InstallIngressDrop(std::string_view dev) {
  std::string chain = NftChain(dev);
  std::string device(dev);
  return NftTransaction([&](uint8_t* buf, size_t* len, uint32_t* seq) {
    nlmsghdr* t =
        PutNft(buf + *len, NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_ACK, NFPROTO_NETDEV, ++*seq);
    mnl_attr_put_strz(t, NFTA_TABLE_NAME, kNftTable);
    *len += t->nlmsg_len;
    nlmsghdr* c =
        PutNft(buf + *len, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_ACK, NFPROTO_NETDEV, ++*seq);
    mnl_attr_put_strz(c, NFTA_CHAIN_TABLE, kNftTable);
    mnl_attr_put_strz(c, NFTA_CHAIN_NAME, chain.c_str());
    nlattr* hook = mnl_attr_nest_start(c, NFTA_CHAIN_HOOK);
    mnl_attr_put_u32(c, NFTA_HOOK_HOOKNUM, htonl(NF_NETDEV_INGRESS));
    mnl_attr_put_u32(c, NFTA_HOOK_PRIORITY, htonl(0));
    mnl_attr_put_strz(c, NFTA_HOOK_DEV, device.c_str());
    mnl_attr_nest_end(c, hook);
    mnl_attr_put_u32(c, NFTA_CHAIN_POLICY, htonl(NF_DROP));
    mnl_attr_put_strz(c, NFTA_CHAIN_TYPE, "filter");
    *len += c->nlmsg_len;
  });
}

Status RemoveIngressDrop(std::string_view dev) {
  std::string chain = NftChain(dev);
  SABINA_RETURN_IF_ERROR(NftTransaction(
      [&](uint8_t* buf, size_t* len, uint32_t* seq) {
        nlmsghdr* c = PutNft(buf + *len, NFT_MSG_DELCHAIN, NLM_F_ACK, NFPROTO_NETDEV, ++*seq);
        mnl_attr_put_strz(c, NFTA_CHAIN_TABLE, kNftTable);
        mnl_attr_put_strz(c, NFTA_CHAIN_NAME, chain.c_str());
        *len += c->nlmsg_len;
      },
      ENOENT));
  // The table goes with its last chain; EBUSY means other ports still have theirs.
  Status table = NftTransaction(
      [&](uint8_t* buf, size_t* len, uint32_t* seq) {
        nlmsghdr* t = PutNft(buf + *len, NFT_MSG_DELTABLE, NLM_F_ACK, NFPROTO_NETDEV, ++*seq);
        mnl_attr_put_strz(t, NFTA_TABLE_NAME, kNftTable);
        *len += t->nlmsg_len;
      },
      EBUSY);
  (void)table;  // best effort: an empty table is harmless
  return Status::Ok();
}

}  // namespace

StatusOr<LinkInfo> GetLink(std::string_view dev) {
  SABINA_RETURN_IF_ERROR(CheckDeviceName(dev));
  return GetLinkBy(0, dev);
}

StatusOr<LinkInfo> GetLink(int ifindex) {
  if (ifindex <= 0) return Status::Error("invalid ifindex " + std::to_string(ifindex));
  return GetLinkBy(ifindex, {});
}

StatusOr<LinkWatcher> LinkWatcher::Open() {
  mnl_socket* sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (sock == nullptr) return Status::Error(Errno("netlink socket", errno));
  LinkWatcher w(sock);
  if (mnl_socket_bind(sock, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
    return Status::Error(Errno("netlink bind", errno));
  }
  w.rx_.resize(kReceiveBuffer);
  return w;
}

LinkWatcher::LinkWatcher(LinkWatcher&& other) noexcept
    : sock_(std::exchange(other.sock_, nullptr)), rx_(std::move(other.rx_)) {}

LinkWatcher& LinkWatcher::operator=(LinkWatcher&& other) noexcept {
  if (this != &other) {
    if (sock_ != nullptr) mnl_socket_close(sock_);
    sock_ = std::exchange(other.sock_, nullptr);
    rx_ = std::move(other.rx_);
  }
  return *this;
}

LinkWatcher::~LinkWatcher() {
  if (sock_ != nullptr) mnl_socket_close(sock_);
}

int LinkWatcher::fd() const { return mnl_socket_get_fd(sock_); }

Status LinkWatcher::Drain(const std::function<void(const LinkInfo&, bool removed)>& on_change) {
  for (;;) {
    ssize_t n = mnl_socket_recvfrom(sock_, rx_.data(), rx_.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return Status::Ok();
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) return Status::Error("link watcher: events lost (socket overflow)");
      return Status::Error(Errno("link watcher", errno));
    }
    int len = static_cast<int>(n);
    for (auto* nlh = reinterpret_cast<const nlmsghdr*>(rx_.data()); mnl_nlmsg_ok(nlh, len);
         nlh = mnl_nlmsg_next(nlh, &len)) {
      if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) continue;
      LinkInfo link;
      ParseLink(nlh, &link);
      on_change(link, nlh->nlmsg_type == RTM_DELLINK);
    }
  }
}

Status SetLinkUp(int ifindex, bool up) { return ChangeLink(ifindex, IFF_UP, up ? IFF_UP : 0); }

Status SetMac(int ifindex, const packet::MacAddr& mac) {
  return ChangeLink(ifindex, 0, 0, [&mac](nlmsghdr* nlh) {
    mnl_attr_put(nlh, IFLA_ADDRESS, mac.bytes.size(), mac.bytes.data());
  });
}

Status DeleteLink(int ifindex) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[256];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_DELLINK;
  auto* ifm = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifm->ifi_family = AF_UNSPEC;
  ifm->ifi_index = ifindex;
  return sock->Request(nlh).WithContext("delete interface ifindex " + std::to_string(ifindex));
}

Status SetMtu(int ifindex, uint32_t mtu) {
  return ChangeLink(ifindex, 0, 0, [mtu](nlmsghdr* nlh) { mnl_attr_put_u32(nlh, IFLA_MTU, mtu); });
}

Status SetMtu(std::string_view dev, uint32_t mtu) {
  auto link = GetLink(dev);
  if (!link.ok()) return link.status();
  return SetMtu(link->ifindex, mtu);
}

Status TakeOver(std::string_view dev) {
  auto link = GetLink(dev);
  if (!link.ok()) return link.status();
  std::string context = "take over " + std::string(dev);
  // The drop first, so the kernel's stack sees nothing from the port once it is up.
  SABINA_RETURN_IF_ERROR(InstallIngressDrop(dev).WithContext(context));
  SABINA_RETURN_IF_ERROR(
      ChangeLink(link->ifindex, IFF_UP | IFF_PROMISC, IFF_UP | IFF_PROMISC).WithContext(context));
  if (KernelHasIpv6()) {
    // Also removes every IPv6 address, link-local included, and stops autoconfiguration.
    SABINA_RETURN_IF_ERROR(SetDeviceSysctl(true, dev, "disable_ipv6", "1").WithContext(context));
  }
  // Deleting a primary IPv4 address may take its secondaries with it, so individual failures
  // are expected; what counts is that none is left.
  auto addresses = ListAddresses(link->ifindex);
  if (!addresses.ok()) return addresses.status().WithContext(context);
  for (const InterfaceAddress& a : *addresses) (void)DeleteAddress(link->ifindex, a.prefix);
  addresses = ListAddresses(link->ifindex);
  if (!addresses.ok()) return addresses.status().WithContext(context);
  if (!addresses->empty()) {
    return Status::Error(context + ": cannot remove address " +
                         addresses->front().prefix.ToString());
  }
  return Status::Ok();
}

Status Release(std::string_view dev) {
  auto link = GetLink(dev);
  if (!link.ok()) return link.status();
  std::string context = "release " + std::string(dev);
  Status promisc = ChangeLink(link->ifindex, IFF_PROMISC, 0).WithContext(context);
  SABINA_RETURN_IF_ERROR(RemoveIngressDrop(dev).WithContext(context));
  return promisc;
}

// ---------------------------------------------------------------------------------------------
// Addresses on interfaces

StatusOr<std::vector<InterfaceAddress>> ListAddresses(int ifindex) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[256];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = RTM_GETADDR;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_UNSPEC;
  std::vector<InterfaceAddress> out;
  Status st = sock->Dump(nlh, [&](const nlmsghdr* m) {
    if (m->nlmsg_type != RTM_NEWADDR) return;
    const auto* msg = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(m));
    if (static_cast<int>(msg->ifa_index) != ifindex) return;
    if (msg->ifa_family != AF_INET && msg->ifa_family != AF_INET6) return;
    struct Attrs {
      const nlattr* address = nullptr;
      const nlattr* local = nullptr;
      const nlattr* flags = nullptr;
    } attrs;
    mnl_attr_parse(
        m, sizeof(ifaddrmsg),
        [](const nlattr* attr, void* data) {
          auto* a = static_cast<Attrs*>(data);
          switch (mnl_attr_get_type(attr)) {
            case IFA_ADDRESS:
              a->address = attr;
              break;
            case IFA_LOCAL:
              a->local = attr;
              break;
            case IFA_FLAGS:
              a->flags = attr;
              break;
            default:
              break;
          }
          return MNL_CB_OK;
        },
        &attrs);
    // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point
    // links, and the only one IPv6 reports otherwise.
    const nlattr* attr = attrs.local != nullptr ? attrs.local : attrs.address;
    size_t size = msg->ifa_family == AF_INET ? 4 : 16;
    if (attr == nullptr || mnl_attr_get_payload_len(attr) != size) return;
    InterfaceAddress a;
    a.prefix.address.family = msg->ifa_family;
    std::memcpy(a.prefix.address.bytes.data(), mnl_attr_get_payload(attr), size);
    a.prefix.length = msg->ifa_prefixlen;
    a.flags = msg->ifa_flags;
    if (attrs.flags != nullptr && mnl_attr_validate(attrs.flags, MNL_TYPE_U32) >= 0) {
      a.flags = mnl_attr_get_u32(attrs.flags);
    }
    a.scope = msg->ifa_scope;
    out.push_back(a);
  });
  if (!st.ok()) return std::move(st).WithContext("addresses of ifindex " + std::to_string(ifindex));
  return out;
}

namespace {

Status ChangeAddress(uint16_t type, uint16_t flags, int ifindex, const IpPrefix& prefix) {
  auto sock = NetlinkSocket::Open();
  if (!sock.ok()) return sock.status();
  alignas(nlmsghdr) uint8_t buf[256];
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = flags;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  const IpAddress& a = prefix.address;
  ifa->ifa_family = a.family;
  ifa->ifa_prefixlen = prefix.length;
  ifa->ifa_index = static_cast<uint32_t>(ifindex);
  mnl_attr_put(nlh, IFA_LOCAL, a.size(), a.bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, a.size(), a.bytes.data());
  if (type == RTM_NEWADDR) {
    if (a.v6()) {
      mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
    } else if (prefix.length < 31) {
      IpPrefix broadcast = prefix.Masked();
      uint32_t host;
      std::memcpy(&host, broadcast.address.bytes.data(), 4);
      host |= htonl(0xffffffffu >> prefix.length);
      mnl_attr_put_u32(nlh, IFA_BROADCAST, host);
    }
  }
  std::string what = type == RTM_NEWADDR ? "add address " : "delete address ";
  return sock->Request(nlh).WithContext(what + prefix.ToString() + " on ifindex " +
                                        std::to_string(ifindex));
}

}  // namespace

Status AddAddress(int ifindex, const IpPrefix& prefix) {
  return ChangeAddress(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, prefix);
}

Status DeleteAddress(int ifindex, const IpPrefix& prefix) {
  return ChangeAddress(RTM_DELADDR, 0, ifindex, prefix);
}

// ---------------------------------------------------------------------------------------------
// Sysctls

bool KernelHasIpv6() { return access("/proc/sys/net/ipv6", F_OK) == 0; }

Status SetDeviceSysctl(bool ipv6, std::string_view dev, std::string_view key,
                       std::string_view value) {
  SABINA_RETURN_IF_ERROR(CheckDeviceName(dev));
  std::string path = std::string(ipv6 ? "/proc/sys/net/ipv6/conf/" : "/proc/sys/net/ipv4/conf/") +
                     std::string(dev) + "/" + std::string(key);
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error(Errno(path, errno));
  ssize_t n = write(fd, value.data(), value.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(value.size())) return Status::Error(Errno(path, n < 0 ? err : EIO));
  return Status::Ok();
}

}  // namespace sabina::platform
