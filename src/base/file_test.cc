#include "base/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace sabina {
namespace {

std::string TestDir() {
  std::string tmpl = ::testing::TempDir() + "sabina-file-XXXXXX";
  char* dir = ::mkdtemp(tmpl.data());
  EXPECT_NE(dir, nullptr);
  return tmpl;
}

TEST(File, WriteAtomicReplacesAndLeavesNoTemp) {
  std::string dir = TestDir();
  std::string path = dir + "/a.conf";
  ASSERT_TRUE(WriteFileAtomic(path, "old\n").ok());
  ASSERT_TRUE(WriteFileAtomic(path, std::vector<std::string_view>{"new ", "text\n"}).ok());
  auto text = ReadFile(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "new text\n");
  auto names = ListDir(dir);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"a.conf"});
}

TEST(File, StaleTempsOfAKilledWriterAreRemovedOnlyForThatFile) {
  std::string dir = TestDir();
  std::string path = dir + "/a.conf";
  ASSERT_TRUE(WriteFileAtomic(path, "committed\n").ok());
  // What a writer killed between open() and rename() leaves behind.
  ASSERT_TRUE(WriteFileAtomic(dir + "/other", "x").ok());
  std::string stale = TempPathPrefix(path) + "12345";
  ASSERT_TRUE(WriteFileAtomic(stale, "half a confi").ok());
  std::string unrelated = TempPathPrefix(dir + "/other") + "1";
  ASSERT_TRUE(WriteFileAtomic(unrelated, "y").ok());
  ASSERT_TRUE(RemoveStaleTemps(path).ok());
  EXPECT_FALSE(FileExists(stale));
  EXPECT_TRUE(FileExists(unrelated));
  EXPECT_EQ(*ReadFile(path), "committed\n");
}

TEST(File, ErrorsNameThePath) {
  auto missing = ReadFile("/nonexistent-dir/x");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent-dir/x"), std::string::npos);
  Status st = WriteFileAtomic("/nonexistent-dir/x", "data");
  EXPECT_FALSE(st.ok());
}

TEST(File, MakeDirsAndNames) {
  std::string dir = TestDir();
  ASSERT_TRUE(MakeDirs(dir + "/a/b/c").ok());
  EXPECT_TRUE(FileExists(dir + "/a/b/c"));
  EXPECT_EQ(DirName("/x/y/z.conf"), "/x/y");
  EXPECT_EQ(DirName("z.conf"), ".");
  EXPECT_EQ(BaseName("/x/y/z.conf"), "z.conf");
  EXPECT_EQ(TempPathPrefix("/x/y/z.conf"), "/x/y/.z.conf.tmp-");
}

}  // namespace
}  // namespace sabina
