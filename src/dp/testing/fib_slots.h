// Next-hop and adjacency slots of dp::Tables filled by hand, where the daemon's FibBuilder
// would fill them: for node tests, the graph fuzzer and benchmarks.
//
// Thread: the control side of Tables (before workers read the slots, or in tests).
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "dp/nodes/node_util.h"
#include "dp/tables.h"

namespace sabina::dp::testing {

// Adjacency `i`: a neighbour on logical interface `itf`; `mac` 0 means not resolved yet.
inline void SetAdjacency4(Tables& t, uint32_t i, uint32_t itf, uint32_t address, uint64_t mac) {
  fib::Adjacency& a = t.adjacencies.mutable_entry(i);
  a.interface = itf;
  uint32_t be = htonl(address);
  std::memcpy(a.address, &be, 4);
  a.mac.store(mac != 0 ? (mac | fib::kMacValid) : 0);
}

inline void SetAdjacency6(Tables& t, uint32_t i, uint32_t itf, fib::Ip6 address, uint64_t mac) {
  fib::Adjacency& a = t.adjacencies.mutable_entry(i);
  a.interface = itf;
  a.v6 = true;
  nodes::StoreIp6(a.address, address);
  a.mac.store(mac != 0 ? (mac | fib::kMacValid) : 0);
}

// Next hop `i` of `kind` on `itf` over the adjacencies `paths` (at most fib::kMaxPaths).
inline void SetNextHop(Tables& t, uint32_t i, fib::NextHopKind kind, uint32_t itf,
                       const std::vector<uint32_t>& paths) {
  fib::NextHop& h = t.next_hops.mutable_entry(i);
  h.kind = kind;
  h.interface = itf;
  h.path_count = static_cast<uint8_t>(paths.size());
  for (size_t k = 0; k < paths.size(); ++k) h.paths[k] = paths[k];
}

}  // namespace sabina::dp::testing
