// libFuzzer target for the configuration text codecs: the bytes go to ParseSyntax (whose print
// must parse back to the same statements), to ParseCurly and to LoadSet against the builtin
// schema (and a successful parse through every load mode and the printer).
// Built by `make fuzz` (clang, -fsanitize=fuzzer,address,undefined); seeded with the corpus.
//
// Thread: libFuzzer's single thread.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "config/codec.h"
#include "config/schema.h"

namespace {

const sabina::config::Schema& BuiltinSchema() {
  static const sabina::config::Schema* schema = [] {
    auto s = sabina::config::Schema::LoadBuiltin();
    if (!s.ok()) {
      std::fprintf(stderr, "parser_fuzz: schema: %s\n", s.status().message().c_str());
      std::abort();
    }
    return s->release();
  }();
  return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sabina::config;
  const Schema& schema = BuiltinSchema();
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // The schema-free reader shares ParseCurly's lexer; its printed form is a fixed point.
  if (auto syn = ParseSyntax(text, "fuzz"); syn.ok()) {
    std::string printed = PrintSyntax(*syn);
    auto again = ParseSyntax(printed, "printed");
    if (!again.ok() || !(*again == *syn) || PrintSyntax(*again) != printed) {
      std::fprintf(stderr, "parser_fuzz: PrintSyntax is not a fixed point:\n%s\n%s\n",
                   printed.c_str(), again.ok() ? "" : again.status().message().c_str());
      std::abort();
    }
  }

  auto parsed = ParseCurly(schema.root(), text, "fuzz");
  if (parsed.ok()) {
    for (LoadMode mode : {LoadMode::kMerge, LoadMode::kReplace, LoadMode::kOverride}) {
      Node root(&schema.root());
      (void)Load(root, **parsed, mode);
      (void)Load(root, **parsed, LoadMode::kReplace);
      (void)PrintCurly(root);
    }
  }

  Node root(&schema.root());
  std::vector<std::string> warnings;
  (void)LoadSet(root, {}, "set system host-name r1\nset interfaces ge-0/0/0 unit 0\n", "seed",
                &warnings);
  std::unique_ptr<Node> before = root.Clone();
  sabina::Status st = LoadSet(root, {}, text, "fuzz", &warnings);
  // On error, nothing may have changed.
  if (!st.ok() && !root.Equals(*before)) std::abort();
  // The same lines at a relative level.
  (void)LoadSet(root, {"interfaces", "ge-0/0/0"}, text, "fuzz", &warnings);
  return 0;
}
