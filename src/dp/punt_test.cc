#include "dp/punt.h"

#include <gtest/gtest.h>

#include <thread>

namespace sabina::dp {
namespace {

TEST(PuntRingTest, FullRingRefusesAndOrderIsKept) {
  PuntRing ring(4);
  for (uint32_t i = 0; i < 4; ++i) {
    PuntSlot* s = ring.Reserve();
    ASSERT_NE(s, nullptr);
    s->length = i;
    ring.Commit();
  }
  EXPECT_EQ(ring.Reserve(), nullptr);
  for (uint32_t i = 0; i < 4; ++i) {
    const PuntSlot* s = ring.Peek();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->length, i);
    ring.Release();
  }
  EXPECT_EQ(ring.Peek(), nullptr);
}

TEST(PuntRingTest, ProducerAndConsumerThreadsSeeEverySlotOnce) {
  PuntRing ring(8);
  constexpr uint32_t kCount = 100000;
  std::thread producer([&] {
    for (uint32_t i = 0; i < kCount;) {
      if (PuntSlot* s = ring.Reserve()) {
        s->length = i++;
        ring.Commit();
      }
    }
  });
  uint32_t expected = 0;
  while (expected < kCount) {
    if (const PuntSlot* s = ring.Peek()) {
      ASSERT_EQ(s->length, expected);
      ++expected;
      ring.Release();
    }
  }
  producer.join();
}

}  // namespace
}  // namespace sabina::dp
