#include "packet/buffer.h"

#include <gtest/gtest.h>

#include <set>

#include "packet/headers.h"

namespace sabina::packet {
namespace {

TEST(BufferPoolTest, AllocFreeIsLifoAndResetsMetadata) {
  BufferPool pool(8);
  EXPECT_EQ(pool.available(), 8u);
  Buffer* a = pool.Alloc();
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->offset, kHeadroom);
  EXPECT_EQ(a->length, 0u);
  a->length = 99;
  a->flags = kFlagTraced;
  pool.Free(a);
  Buffer* b = pool.Alloc();
  EXPECT_EQ(a, b);
  EXPECT_EQ(b->length, 0u);
  EXPECT_EQ(b->flags, 0);
  pool.Free(b);
}

TEST(BufferPoolTest, ExhaustionReturnsNullAndBulkIsBounded) {
  BufferPool pool(4);
  Buffer* out[8];
  EXPECT_EQ(pool.AllocBulk(out, 8), 4u);
  std::set<Buffer*> distinct(out, out + 4);
  EXPECT_EQ(distinct.size(), 4u);
  EXPECT_EQ(pool.Alloc(), nullptr);
  pool.FreeBulk(out, 4);
  EXPECT_EQ(pool.available(), 4u);
}

TEST(BufferTest, PrependAdvanceAndJumboCapacity) {
  BufferPool pool(1);
  Buffer* b = pool.Alloc();
  std::vector<uint8_t> jumbo(kMaxFrameBytes, 0xab);
  b->Assign(jumbo.data(), static_cast<uint32_t>(jumbo.size()));
  EXPECT_EQ(b->length, kMaxFrameBytes);
  b->Advance(14);
  EXPECT_EQ(b->length, kMaxFrameBytes - 14);
  uint8_t* p = b->Prepend(18);
  EXPECT_EQ(p, b->data_ + kHeadroom - 4);
  EXPECT_EQ(b->length, kMaxFrameBytes + 4);
  pool.Free(b);
}

TEST(ChecksumTest, Rfc1071ExampleAndIncrementalUpdateAgree) {
  // An IPv4 header with its checksum field zeroed.
  uint8_t header[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                        0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  uint16_t sum = Checksum(header, sizeof(header));
  EXPECT_EQ(ntohs(sum), 0xb861);
  std::memcpy(header + 10, &sum, 2);
  EXPECT_EQ(Checksum(header, sizeof(header)), 0);
  // Decrement the TTL (byte 8) and update incrementally, as ip4-rewrite does.
  uint16_t old_word, new_word;
  std::memcpy(&old_word, header + 8, 2);
  header[8] -= 1;
  std::memcpy(&new_word, header + 8, 2);
  uint16_t updated = ChecksumUpdate16(sum, old_word, new_word);
  std::memcpy(header + 10, &updated, 2);
  EXPECT_EQ(Checksum(header, sizeof(header)), 0);
}

TEST(MacAddrTest, U64RoundTripAndText) {
  MacAddr m{{0x02, 0x00, 0x5e, 0x10, 0x20, 0xff}};
  EXPECT_EQ(MacAddr::FromU64(m.ToU64()), m);
  EXPECT_EQ(m.ToString(), "02:00:5e:10:20:ff");
  EXPECT_TRUE(MacAddr({{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}).IsBroadcast());
  EXPECT_TRUE(MacAddr({{0x33, 0x33, 0, 0, 0, 1}}).IsMulticast());
}

}  // namespace
}  // namespace sabina::packet
