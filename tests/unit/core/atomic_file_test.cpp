// write_file_atomically and AtomicFileWriter: whole files or none, never a half file.
#include "core/atomic_file.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "support/temp_dir.hpp"

namespace latwin {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public test::TempDirTest {};

TEST_F(AtomicFileTest, WritesAndReplacesWholeFiles) {
  write_file_atomically(dir_ / "a.json", "first\n");
  EXPECT_EQ(read(dir_ / "a.json"), "first\n");
  write_file_atomically(dir_ / "a.json", "second\n");
  EXPECT_EQ(read(dir_ / "a.json"), "second\n");
  EXPECT_EQ(file_count(), 1u);
}

TEST_F(AtomicFileTest, LargeStreamsArriveIntact) {
  std::string block(1000, 'x');
  std::string expected;
  AtomicFileWriter writer(dir_ / "big.csv");
  for (int i = 0; i < 3000; ++i) {  // 3 MB: several flushes
    writer.write(block);
    expected += block;
  }
  EXPECT_FALSE(fs::exists(dir_ / "big.csv"));
  writer.commit();
  EXPECT_EQ(read(dir_ / "big.csv"), expected);
}

TEST_F(AtomicFileTest, AbandonedWriterLeavesTheOldFileAndNoTemporary) {
  write_file_atomically(dir_ / "a.csv", "old\n");
  {
    AtomicFileWriter writer(dir_ / "a.csv");
    writer.write("new but never committed\n");
  }
  EXPECT_EQ(read(dir_ / "a.csv"), "old\n");
  EXPECT_EQ(file_count(), 1u);
}

TEST_F(AtomicFileTest, MissingFolderIsAnInputErrorNamingThePath) {
  fs::path path = dir_ / "no-such-folder" / "run.json";
  try {
    write_file_atomically(path, "x");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr(path.string()));
  }
}

}  // namespace
}  // namespace latwin
