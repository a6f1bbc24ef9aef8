#include "routing/fib_builder.h"

#include <algorithm>

#include "base/rcu.h"

namespace sabina::routing {

namespace {

fib::NextHopKind KindOf(FibKind k) {
  switch (k) {
    case FibKind::kForward:
      return fib::NextHopKind::kForward;
    case FibKind::kGlean:
      return fib::NextHopKind::kGlean;
    case FibKind::kLocal:
      return fib::NextHopKind::kLocal;
    case FibKind::kDiscard:
      return fib::NextHopKind::kDiscard;
    case FibKind::kReject:
      return fib::NextHopKind::kReject;
  }
  return fib::NextHopKind::kDiscard;
}

// The dedup key of a next hop: its whole content.
std::vector<uint32_t> KeyOf(const fib::NextHop& nh) {
  std::vector<uint32_t> key = {static_cast<uint32_t>(nh.kind) | (nh.consistent_hash << 8),
                               nh.interface};
  key.insert(key.end(), nh.paths, nh.paths + nh.path_count);
  return key;
}

// Free slots 1..capacity-1, lowest index handed out first (slot 0 is reserved).
std::vector<uint32_t> AllSlots(uint32_t capacity) {
  std::vector<uint32_t> v;
  v.reserve(capacity);
  for (uint32_t i = capacity; i-- > 1;) v.push_back(i);
  return v;
}

}  // namespace

FibBuilder::FibBuilder(dp::Tables& tables)
    : tables_(tables),
      next_hop_refs_(tables.next_hops.capacity()),
      free_next_hops_(AllSlots(tables.next_hops.capacity())),
      adjacency_refs_(tables.adjacencies.capacity()),
      free_adjacencies_(AllSlots(tables.adjacencies.capacity())) {}

void FibBuilder::Apply(const std::vector<FibChange>& changes) {
  for (const FibChange& c : changes) {
    auto old = rib_.find(c.prefix);
    bool glean = (old != rib_.end() && old->second.kind == FibKind::kGlean) ||
                 (c.entry && c.entry->kind == FibKind::kGlean);
    if (c.entry) {
      rib_[c.prefix] = *c.entry;
    } else if (old != rib_.end()) {
      rib_.erase(old);
    }
    Install(c.prefix);
    // A connected subnet came or went: the neighbours in it follow.
    if (!glean) continue;
    for (auto n = neighbors_.lower_bound(Prefix{c.prefix.address, 0});
         n != neighbors_.end() && c.prefix.Contains(n->first.address); ++n) {
      Install(n->first);
    }
  }
  Flush();
}

uint32_t FibBuilder::AdjacencyFor(uint32_t dp_interface, const Address& neighbor) {
  const AdjKey key{dp_interface, neighbor};
  if (auto it = adjacency_index_.find(key); it != adjacency_index_.end()) {
    ++adjacency_refs_[it->second];
    return it->second;
  }
  if (free_adjacencies_.empty()) return fib::kNoAdjacency;
  const uint32_t i = free_adjacencies_.back();
  free_adjacencies_.pop_back();
  // No reader holds this slot (it was free for a grace period): plain writes are safe; the
  // release store of the LPM commit or the MAC store publishes them.
  fib::Adjacency& adj = tables_.adjacencies.mutable_entry(i);
  adj.interface = dp_interface;
  adj.v6 = neighbor.v6;
  std::copy(neighbor.bytes.begin(), neighbor.bytes.end(), adj.address);
  adj.mac.store(0, std::memory_order_release);
  adjacency_refs_[i] = 1;
  adjacency_index_.emplace(key, i);
  return i;
}

void FibBuilder::ReleaseAdjacency(uint32_t index) {
  if (index == fib::kNoAdjacency || adjacency_refs_[index] == 0) return;
  if (--adjacency_refs_[index] > 0) return;
  const fib::Adjacency& adj = tables_.adjacencies[index];
  AdjKey key{adj.interface, {}};
  key.address.v6 = adj.v6;
  std::copy(adj.address, adj.address + 16, key.address.bytes.begin());
  adjacency_index_.erase(key);
  pending_adjacencies_.push_back(index);
}

void FibBuilder::SetNeighborRoute(uint32_t dp_interface, const Address& neighbor, bool present) {
  const Prefix host = Prefix::Host(neighbor);
  if (present) {
    neighbors_[host] = FibEntry{FibKind::kForward, 0, {{dp_interface, neighbor}}};
  } else {
    neighbors_.erase(host);
  }
  Install(host);
  Flush();
}

uint32_t FibBuilder::NextHopRefs(uint32_t index) const {
  return index < next_hop_refs_.size() ? next_hop_refs_[index] : 0;
}

uint32_t FibBuilder::AdjacencyRefs(uint32_t index) const {
  return index < adjacency_refs_.size() ? adjacency_refs_[index] : 0;
}

uint32_t FibBuilder::FindAdjacency(uint32_t dp_interface, const Address& neighbor) const {
  auto it = adjacency_index_.find(AdjKey{dp_interface, neighbor});
  return it == adjacency_index_.end() ? fib::kNoAdjacency : it->second;
}

size_t FibBuilder::next_hops_in_use() const {
  return tables_.next_hops.capacity() - 1 - free_next_hops_.size() - pending_next_hops_.size();
}

size_t FibBuilder::adjacencies_in_use() const {
  return tables_.adjacencies.capacity() - 1 - free_adjacencies_.size() -
         pending_adjacencies_.size();
}

uint32_t FibBuilder::Acquire(const FibEntry& entry) {
  fib::NextHop nh;
  nh.kind = KindOf(entry.kind);
  if (entry.kind == FibKind::kGlean || entry.kind == FibKind::kLocal) {
    nh.interface = entry.interface;
  }
  auto release_paths = [&] {
    for (uint32_t p = 0; p < nh.path_count; ++p) ReleaseAdjacency(nh.paths[p]);
  };
  if (entry.kind == FibKind::kForward) {
    nh.consistent_hash = entry.consistent_hash;
    for (const FibPath& path : entry.paths) {
      if (nh.path_count == fib::kMaxPaths) break;
      const uint32_t adj = AdjacencyFor(path.dp_interface, path.gateway);
      if (adj == fib::kNoAdjacency) {
        release_paths();
        return fib::kNoNextHop;
      }
      nh.paths[nh.path_count++] = adj;
    }
  }
  std::vector<uint32_t> key = KeyOf(nh);
  if (auto it = next_hop_index_.find(key); it != next_hop_index_.end()) {
    release_paths();  // the shared slot already holds its adjacencies
    ++next_hop_refs_[it->second];
    return it->second;
  }
  if (free_next_hops_.empty()) {
    release_paths();
    return fib::kNoNextHop;
  }
  const uint32_t slot = free_next_hops_.back();
  free_next_hops_.pop_back();
  tables_.next_hops.mutable_entry(slot) = nh;
  next_hop_refs_[slot] = 1;
  next_hop_index_.emplace(std::move(key), slot);
  return slot;
}

void FibBuilder::Release(uint32_t slot) {
  if (slot == fib::kNoNextHop || --next_hop_refs_[slot] > 0) return;
  // The entry stays intact until the slot is reused: workers may still read it until the
  // grace period of this batch ends.
  const fib::NextHop& nh = tables_.next_hops[slot];
  next_hop_index_.erase(KeyOf(nh));
  for (uint32_t p = 0; p < nh.path_count; ++p) ReleaseAdjacency(nh.paths[p]);
  pending_next_hops_.push_back(slot);
}

bool FibBuilder::OnLink(const Prefix& host, const FibEntry& route) const {
  const uint32_t dp_interface = route.paths.front().dp_interface;
  for (int len = host.length - 1; len >= 0; --len) {
    auto it = rib_.find(Prefix::Make(host.address, static_cast<uint8_t>(len)));
    if (it != rib_.end() && it->second.kind == FibKind::kGlean &&
        it->second.interface == dp_interface) {
      return true;
    }
  }
  return false;
}

void FibBuilder::Install(const Prefix& prefix) {
  const FibEntry* want = nullptr;
  bool neighbor = false;
  if (auto r = rib_.find(prefix); r != rib_.end()) {
    want = &r->second;
  } else if (auto n = neighbors_.find(prefix);
             n != neighbors_.end() && OnLink(n->first, n->second)) {
    want = &n->second;
    neighbor = true;
  }
  auto cur = installed_.find(prefix);
  if (want && cur != installed_.end() && cur->second.entry == *want &&
      cur->second.neighbor == neighbor) {
    return;
  }
  const uint32_t old_slot = cur == installed_.end() ? fib::kNoNextHop : cur->second.next_hop;
  // A full table leaves the prefix out of the FIB rather than pointing it at a wrong entry.
  const uint32_t slot = want ? Acquire(*want) : fib::kNoNextHop;
  if (want && slot == fib::kNoNextHop) {
    left_out_.insert(prefix);
  } else {
    left_out_.erase(prefix);
  }
  if (slot != fib::kNoNextHop) {
    if (prefix.v6()) {
      tables_.fib6.Set(prefix.address.v6_words(), prefix.length, slot);
    } else {
      tables_.fib4.Set(prefix.address.v4(), prefix.length, slot);
    }
    installed_[prefix] = Installed{*want, neighbor, slot};
  } else if (cur != installed_.end()) {
    if (prefix.v6()) {
      tables_.fib6.Clear(prefix.address.v6_words(), prefix.length);
    } else {
      tables_.fib4.Clear(prefix.address.v4(), prefix.length);
    }
    installed_.erase(cur);
  }
  (prefix.v6() ? dirty6_ : dirty4_) = true;
  Release(old_slot);
}

void FibBuilder::Flush() {
  if (dirty4_) tables_.fib4.Commit();
  if (dirty6_) tables_.fib6.Commit();
  dirty4_ = dirty6_ = false;
  if (pending_next_hops_.empty() && pending_adjacencies_.empty()) return;
  // Every leaf that pointed at a freed slot is gone from the published FIB; once every worker
  // has passed a quiescent state none holds the slot any more.
  rcu::Synchronize();
  free_next_hops_.insert(free_next_hops_.end(), pending_next_hops_.begin(),
                         pending_next_hops_.end());
  free_adjacencies_.insert(free_adjacencies_.end(), pending_adjacencies_.begin(),
                           pending_adjacencies_.end());
  pending_next_hops_.clear();
  pending_adjacencies_.clear();
  // A left-out prefix holds no slot, so a retry frees nothing now; an adjacency a failed retry
  // gives back waits for the next batch's grace period.
  if (left_out_.empty()) return;
  for (const Prefix& p : std::vector<Prefix>(left_out_.begin(), left_out_.end())) Install(p);
  if (dirty4_) tables_.fib4.Commit();
  if (dirty6_) tables_.fib6.Commit();
  dirty4_ = dirty6_ = false;
}

}  // namespace sabina::routing
