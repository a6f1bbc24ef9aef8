// In-process benchmarks that sabina_bench runs besides the configuration stages of
// config_micro.cc (which holds main). A benchmark file registers itself with a static
//   const sabina::bench::Registration kReg("name", &Run);
// and `sabina_bench [RUNS] [NAME...]` runs the named ones (all when none is named; the
// configuration benchmarks are "config").
//
// Thread: registration during static initialisation, runs on the main thread.
#pragma once

#include <vector>

namespace sabina::bench {

using BenchFn = void (*)(int runs);

struct Registered {
  const char* name;
  BenchFn fn;
};

inline std::vector<Registered>& Registry() {
  static std::vector<Registered> registry;
  return registry;
}

struct Registration {
  Registration(const char* name, BenchFn fn) { Registry().push_back({name, fn}); }
};

}  // namespace sabina::bench
