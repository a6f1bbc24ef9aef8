// Test helpers for the bindings: the built-in schema and trees parsed from curly text.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "config/codec.h"
#include "config/groups.h"
#include "config/schema.h"

namespace sabina::config::testing {

inline const Schema& BuiltinSchema() {
  static const Schema* schema = [] {
    auto s = Schema::LoadBuiltin();
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? s->release() : nullptr;
  }();
  return *schema;
}

// The effective tree of `text`, as a feature receives it.
inline std::unique_ptr<Node> EffectiveOf(std::string_view text) {
  auto parsed = ParseCurly(BuiltinSchema().root(), text, "test");
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (!parsed.ok()) return std::make_unique<Node>(&BuiltinSchema().root());
  auto root = std::make_unique<Node>(&BuiltinSchema().root());
  EXPECT_TRUE(Load(*root, **parsed, LoadMode::kOverride).ok());
  auto eff = Effective(*root);
  EXPECT_TRUE(eff.ok()) << eff.status().message();
  return eff.ok() ? std::move(*eff) : std::move(root);
}

}  // namespace sabina::config::testing
