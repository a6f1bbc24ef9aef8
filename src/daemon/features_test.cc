#include "daemon/features.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace sabina::daemon {
namespace {

TEST(Features, EverySnapshotIsPublishedByTheInitialApply) {
  std::string tmpl = ::testing::TempDir() + "sabina-features-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  auto schema = config::Schema::LoadBuiltin();
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  FeatureContext ctx;
  ctx.state_dir = tmpl + "/state";
  auto engine = config::CommitEngine::Open(**schema, tmpl + "/sabina.conf", ctx.state_dir);
  ASSERT_TRUE(engine.ok()) << engine.status().message();
  RegisterFeatures(**engine, ctx);
  EXPECT_EQ(ctx.identity.Get(), nullptr);
  ASSERT_TRUE((*engine)->ApplyInitial().ok());
  ASSERT_NE(ctx.identity.Get(), nullptr);
  EXPECT_EQ(ctx.identity.Get()->host_name, "sabina");
  EXPECT_NE(ctx.syslog.Get(), nullptr);
  EXPECT_NE(ctx.interfaces.Get(), nullptr);
  EXPECT_NE(ctx.routing.Get(), nullptr);
}

}  // namespace
}  // namespace sabina::daemon
