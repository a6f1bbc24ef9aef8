#include "dp/nodes/ip4/ip4_input_node.h"

#include "dp/nodes/ip4/ip4_util.h"
#include "dp/nodes/node_util.h"
#include "dp/worker.h"

namespace sabina::dp {
namespace {

// Walks the options of a header of `ihl` bytes: false for source routing or a malformed one.
bool OptionsAcceptable(const uint8_t* p, uint32_t ihl) {
  for (uint32_t k = 20; k < ihl;) {
    uint8_t type = p[k];
    if (type == 0) break;  // end of option list
    if (type == 1) {       // no-operation
      ++k;
      continue;
    }
    if (k + 1 >= ihl) return false;
    uint32_t len = p[k + 1];
    if (len < 2 || k + len > ihl) return false;
    if (type == 131 || type == 137) return false;  // LSRR, SSRR
    k += len;
  }
  return true;
}

// A broadcast to one of the unit's subnets (not for /31 and /32, which have none).
bool IsDirectedBroadcast(const Interface& itf, uint32_t dst) {
  for (uint32_t k = 0; k < itf.ip4_address_count; ++k) {
    const IfAddress4& a = itf.ip4_addresses[k];
    if (a.length == 0 || a.length > 30) continue;
    uint32_t host = ~uint32_t{0} >> a.length;
    if ((dst & ~host) == (a.address & ~host) && (dst & host) == host) return true;
  }
  return false;
}

}  // namespace

void Ip4InputNode::Process(Worker& w, packet::Buffer** v, uint32_t n) {
  const IfTable& ifs = w.interfaces();
  for (uint32_t i = 0; i < n; ++i) {
    nodes::PrefetchAhead(v, i, n);
    packet::Buffer* b = v[i];
    uint8_t* p = b->data();
    const auto* ip = reinterpret_cast<const packet::Ip4Header*>(p);
    if (b->length < 20) {
      w.Drop(b, DropReason::kIp4Truncated);
      continue;
    }
    if ((ip->version_ihl >> 4) != 4) {
      w.Drop(b, DropReason::kIp4BadVersion);
      continue;
    }
    uint32_t ihl = ip->ihl_bytes();
    if (ihl < 20) {
      w.Drop(b, DropReason::kIp4BadIhl);
      continue;
    }
    uint32_t total = ntohs(ip->total_length);
    if (total < ihl || total > b->length) {
      w.Drop(b, DropReason::kIp4BadLength);
      continue;
    }
    b->length = total;
    if (nodes::Ip4HeaderSum(p, ihl) != 0xffff) {
      w.Drop(b, DropReason::kIp4BadChecksum);
      continue;
    }
    uint32_t src = ntohl(ip->src), dst = ntohl(ip->dst);
    if (nodes::Ip4IsMartianSource(src) && !(src == 0 && dst == 0xffffffffu)) {
      w.Drop(b, DropReason::kIp4BadAddress);
      continue;
    }
    if (ihl > 20 && !OptionsAcceptable(p, ihl)) {
      w.Drop(b, DropReason::kIp4Options);
      continue;
    }
    if (nodes::Ip4IsMulticastOrBroadcast(dst)) [[unlikely]] {
      const Interface& itf = ifs.interfaces[b->rx_if];
      if (dst != 0xffffffffu && (dst >> 8) != 0xe00000) {
        w.Drop(b, DropReason::kIp4MulticastNotRouted);
      } else if (itf.ip4_address_count == 0) {
        w.Drop(b, DropReason::kIp4BroadcastNotForUs);
      } else {
        w.Enqueue(NodeId::kPunt, b);  // kHost
      }
      continue;
    }
    if (ifs.interfaces[b->rx_if].ip4_address_count != 0 &&
        IsDirectedBroadcast(ifs.interfaces[b->rx_if], dst)) [[unlikely]] {
      w.Enqueue(NodeId::kPunt, b);  // kHost
      continue;
    }
    w.ArcStart(Arc::kIp4Unicast, b);
  }
}

}  // namespace sabina::dp
