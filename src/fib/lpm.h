// Longest-prefix-match tables for IPv4 and IPv6, sized for the Internet (>= 1.2M IPv4 and
// >= 250k IPv6 prefixes), Poptrie-class: a direct-pointing array on the top bits (18 for IPv4,
// 16 for IPv6), then 64-ary nodes with popcount-compressed child and leaf vectors.
//
// Values are 32-bit next-hop indexes (fib/nexthop.h); 0 means "no route" and is what Lookup
// returns when nothing matches. Addresses are in host byte order.
//
// Updates are incremental and never pause readers: Set/Clear stage changes in the control-side
// prefix set; Commit() rebuilds only the units (an IPv4 /18, an IPv6 /24) the staged changes
// touch (a shorter prefix only updates the default of the units it covers, in place), publishes
// each new unit with a release store, waits for a grace period (rcu::Synchronize) and frees the
// old ones. Readers see, per unit, either the old or the new version, never a mixture.
//
// Thread: Set/Clear/Commit/Get/size/MemoryBytes on one writer thread (control); Lookup and
// LookupBatch from any thread (workers: between two rcu::Quiescent() calls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

namespace sabina::fib {

struct Ip6 {
  uint64_t hi = 0, lo = 0;  // host byte order: hi holds bits 0..63 (the first 8 bytes)
  friend bool operator==(const Ip6&, const Ip6&) = default;
};

class Lpm4 {
 public:
  Lpm4();
  ~Lpm4();
  Lpm4(const Lpm4&) = delete;
  Lpm4& operator=(const Lpm4&) = delete;

  static constexpr uint32_t kMaxValue = uint32_t{1} << 31;  // values are below

  // Writer. 0 < `value` < kMaxValue; bits of `prefix` beyond `length` are ignored. Takes effect
  // at Commit().
  void Set(uint32_t prefix, uint8_t length, uint32_t value);
  void Clear(uint32_t prefix, uint8_t length);
  void Commit();
  // Writer: the committed-or-staged value of exactly this prefix.
  std::optional<uint32_t> Get(uint32_t prefix, uint8_t length) const;
  size_t size() const;          // prefixes held (staged included)
  size_t MemoryBytes() const;   // bytes of the lookup structure readers use

  // Readers.
  uint32_t Lookup(uint32_t address) const;
  // out[i] = Lookup(addresses[i]); interleaves the n lookups to hide memory latency.
  void LookupBatch(const uint32_t* addresses, uint32_t* out, size_t n) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Lpm6 {
 public:
  Lpm6();
  ~Lpm6();
  Lpm6(const Lpm6&) = delete;
  Lpm6& operator=(const Lpm6&) = delete;

  void Set(const Ip6& prefix, uint8_t length, uint32_t value);
  void Clear(const Ip6& prefix, uint8_t length);
  void Commit();
  std::optional<uint32_t> Get(const Ip6& prefix, uint8_t length) const;
  size_t size() const;
  size_t MemoryBytes() const;

  uint32_t Lookup(const Ip6& address) const;
  void LookupBatch(const Ip6* addresses, uint32_t* out, size_t n) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sabina::fib
