#include "config/tree.h"

#include <gtest/gtest.h>

namespace sabina::config {
namespace {

TEST(NaturalLess, NumbersCompareNumerically) {
  EXPECT_TRUE(NaturalLess("ge-0/0/2", "ge-0/0/10"));
  EXPECT_FALSE(NaturalLess("ge-0/0/10", "ge-0/0/2"));
  EXPECT_TRUE(NaturalLess("9.0.0.0/8", "10.0.0.0/8"));
  EXPECT_FALSE(NaturalLess("a", "a"));
  EXPECT_TRUE(NaturalLess("a", "ab"));
}

TEST(Node, IndexFollowsEdits) {
  SchemaNode list;
  list.kind = SchemaKind::kList;
  list.name = "unit";
  Node root(nullptr);
  Node* u0 = root.Ensure(&list, "0");
  EXPECT_EQ(root.Find(&list, "0"), u0);
  u0->set_value("5");
  EXPECT_EQ(root.Find(&list, "0"), nullptr);
  EXPECT_EQ(root.Find(&list, "5"), u0);
  auto removed = root.Remove(u0);
  EXPECT_EQ(root.Find(&list, "5"), nullptr);
  EXPECT_TRUE(root.empty());
}

}  // namespace
}  // namespace sabina::config

namespace sabina::config {
namespace {

TEST(Node, EqualsComparesOrderWithinEachListOnly) {
  SchemaNode a, b;
  a.kind = b.kind = SchemaKind::kLeafList;
  a.name = "apply-groups";
  b.name = "next-hop";
  Node x(nullptr), y(nullptr);
  x.Ensure(&a, "g1");
  x.Ensure(&b, "h1");
  x.Ensure(&a, "g2");
  y.Ensure(&b, "h1");
  y.Ensure(&a, "g1");
  y.Ensure(&a, "g2");
  EXPECT_TRUE(x.Equals(y));  // same per-list order, different interleaving
  Node z(nullptr);
  z.Ensure(&a, "g2");
  z.Ensure(&a, "g1");
  z.Ensure(&b, "h1");
  EXPECT_FALSE(x.Equals(z));  // apply-groups order differs
}

}  // namespace
}  // namespace sabina::config
