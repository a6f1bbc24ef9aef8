// Internals shared by schema.cc (lookups, validation) and schema_loader.cc (libyang walk).
//
// Thread: built once at start-up, then immutable.
#pragma once

#include <cstdint>
#include <string_view>

#include "config/schema.h"

struct ly_ctx;

namespace sabina::config {

// The libyang context the schema was compiled in; SchemaNode::yang points into it, and kYang
// values are validated against it.
struct Schema::Yang {
  ly_ctx* ctx = nullptr;
  ~Yang();
};

namespace internal {

bool ParseUint(std::string_view v, uint64_t* out);
bool IsIpv4(std::string_view v);
bool IsIpv6(std::string_view v);
// The allocation-free validators; false for types that need the node's restrictions (kInt,
// kEnum, kYang).
bool FastValid(ValueType t, std::string_view v);

}  // namespace internal
}  // namespace sabina::config
