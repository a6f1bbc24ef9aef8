// In-process configuration benchmarks: the cost of each stage of `load override` + `commit`
// on generated 10k- and 100k-line configurations (bench/gen_config.py), without the socket
// and client. Prints `BENCH <name> <value> <unit>` lines (median of runs).
//
// usage: sabina_bench [RUNS] [NAME...]   (needs /usr/bin/python3 and bench/gen_config.py)
// NAME: "config" or a benchmark of bench_registry.h; all when none is given.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "bench_registry.h"
#include "config/codec.h"
#include "config/commit.h"
#include "config/diff.h"
#include "config/groups.h"
#include "config/schema.h"

namespace sabina::config {
namespace {

std::string Generate(int lines, int variant) {
  std::string cmd = "/usr/bin/python3 " SABINA_SOURCE_DIR "/bench/gen_config.py " +
                    std::to_string(lines) + " " + std::to_string(variant);
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

double MedianMs(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::unique_ptr<Node> MustLoad(const Schema& schema, const std::string& text) {
  auto parsed = ParseCurly(schema.root(), text, "bench");
  if (!parsed.ok()) {
    std::fprintf(stderr, "parse: %s\n", parsed.status().message().c_str());
    std::exit(1);
  }
  auto root = std::make_unique<Node>(&schema.root());
  Status st = Load(*root, **parsed, LoadMode::kOverride);
  if (!st.ok()) {
    std::fprintf(stderr, "load: %s\n", st.message().c_str());
    std::exit(1);
  }
  return root;
}

void Run(const Schema& schema, int lines, int runs) {
  const std::string label = std::to_string(lines / 1000) + "k";
  const std::string text = Generate(lines, 0);
  const std::string variant = Generate(lines, 1);
  auto root = MustLoad(schema, text);
  auto other = MustLoad(schema, variant);
  auto report = [&](const char* what, double ms) {
    std::printf("BENCH config-%s-%s %.1f ms\n", what, label.c_str(), ms);
  };
  report("parse", MedianMs(runs, [&] { (void)ParseCurly(schema.root(), text, "bench"); }));
  report("parse-load", MedianMs(runs, [&] { MustLoad(schema, text); }));
  report("effective", MedianMs(runs, [&] { (void)Effective(*root); }));
  report("print", MedianMs(runs, [&] { (void)PrintCurly(*root); }));
  report("print-set", MedianMs(runs, [&] { (void)PrintSet(*root); }));
  report("compare-1pct", MedianMs(runs, [&] { (void)Compare(*root, *other); }));

  auto dir = std::filesystem::temp_directory_path() / ("sabina-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto engine = CommitEngine::Open(schema, (dir / "sabina.conf").string(), (dir / "state").string());
  if (!engine.ok()) {
    std::fprintf(stderr, "open: %s\n", engine.status().message().c_str());
    std::exit(1);
  }
  int i = 0;
  report("commit", MedianMs(runs, [&] {
           auto r = (*engine)->Commit(++i % 2 ? *root : *other, CommitRequest{});
           if (!r.ok()) std::fprintf(stderr, "commit: %s\n", r.status().message().c_str());
         }));
  engine->reset();
  std::filesystem::remove_all(dir);
  std::fflush(stdout);
}

}  // namespace
}  // namespace sabina::config

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 5;
  const std::set<std::string> only(argv + std::min(argc, 2), argv + argc);
  auto wanted = [&](const std::string& name) { return only.empty() || only.count(name); };
  if (wanted("config")) {
    auto schema = sabina::config::Schema::LoadBuiltin();
    if (!schema.ok()) {
      std::fprintf(stderr, "schema: %s\n", schema.status().message().c_str());
      return 1;
    }
    for (int lines : {10000, 100000}) sabina::config::Run(**schema, lines, runs);
  }
  for (const auto& b : sabina::bench::Registry()) {
    if (wanted(b.name)) b.fn(runs);
  }
  return 0;
}
