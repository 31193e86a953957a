// latwin doc end to end: the three files it writes, byte-identical on a second run, the same
// page as the golden case, and its errors (a model that does not compile, no Graphviz, a
// failing dot, a missing --out).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const fs::path kSourceDir = LATWIN_SOURCE_DIR;
const std::string kLite = (kSourceDir / "models/examples/hemisphere-lite").string();

// Line 2 reads a variable that does not exist.
const char* kBrokenModel = R"(param decay [1/year] = 0.3 source "test"
aux total [1] = decay * missing
)";

class DocCliTest : public TempDirTest {
 protected:
  CliRun cli(const std::string& args, const std::string& env = "") const {
    return run_cli(dir_, args, "", env);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
};

TEST_F(DocCliTest, WritesPageDotAndSvgForHemisphereLite) {
  CliRun result = cli(fmt::format("doc '{}' --out out", kLite));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Wrote out/model.md, out/model-graph.dot, out/model-graph.svg\n");
  EXPECT_EQ(result.err, "");
  std::string page = read(dir_ / "out/model.md");
  EXPECT_THAT(page, StartsWith("# hemisphere-lite: model reference\n"));
  EXPECT_THAT(page, HasSubstr("## setup\n"));
  EXPECT_THAT(page, HasSubstr("![The model's causal graph](model-graph.svg)"));
  EXPECT_THAT(read(dir_ / "out/model-graph.dot"), StartsWith("digraph model {"));
  std::string svg = read(dir_ / "out/model-graph.svg");
  EXPECT_TRUE(svg.rfind("<?xml", 0) == 0 || svg.rfind("<svg", 0) == 0) << svg.substr(0, 80);
  EXPECT_THAT(svg, HasSubstr("</svg>"));
  // Only the three files: no temporary file is left behind.
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "out")) {
    ++files;
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(HasSubstr(".tmp.")));
  }
  EXPECT_EQ(files, 3u);
}

TEST_F(DocCliTest, SecondRunGivesIdenticalBytes) {
  ASSERT_EQ(cli(fmt::format("doc '{}' --out one", kLite)).exit_code, 0);
  ASSERT_EQ(cli(fmt::format("doc '{}' --out two", kLite)).exit_code, 0);
  for (const char* name : {"model.md", "model-graph.dot", "model-graph.svg"}) {
    std::string first = read(dir_ / "one" / name);
    EXPECT_FALSE(first.empty()) << name;
    EXPECT_EQ(first, read(dir_ / "two" / name)) << name;
  }
}

TEST_F(DocCliTest, PageMatchesTheGoldenCase) {
  fs::path golden = kSourceDir / "tests/golden/doc/population-mini";
  CliRun result = cli(fmt::format("doc '{}' --data '{}' --out out", golden.string(),
                                  (kSourceDir / "tests/data/mini").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read(dir_ / "out/model.md"), read(golden / "expected.md"));
}

TEST_F(DocCliTest, ModelThatDoesNotCompileExitsOneWithDiagnosticsAndWritesNothing) {
  write("broken.lw", kBrokenModel);
  CliRun result = cli("doc broken.lw --out out");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("broken.lw:2:"));
  EXPECT_THAT(result.err, HasSubstr("missing"));
  EXPECT_EQ(result.out, "");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(DocCliTest, MissingOutIsABadOption) {
  CliRun result = cli(fmt::format("doc '{}'", kLite));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--out"));
}

TEST_F(DocCliTest, WithoutGraphvizFailsNamingDotAndWritesNothing) {
  fs::create_directories(dir_ / "empty-bin");
  CliRun result = cli(fmt::format("doc '{}' --out out", kLite),
                      fmt::format("PATH='{}'", (dir_ / "empty-bin").string()));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("'dot' command was not found on PATH"));
  EXPECT_THAT(result.err, HasSubstr("install Graphviz"));
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(DocCliTest, FailingDotIsReportedWithItsMessage) {
  // A stand-in for dot that fails the way a broken Graphviz install would.
  fs::create_directories(dir_ / "fake-bin");
  write("fake-bin/dot", "#!/bin/sh\necho 'Error: renderer for svg is unavailable' >&2\nexit 3\n");
  fs::permissions(dir_ / "fake-bin/dot", fs::perms::owner_all);
  CliRun result = cli(fmt::format("doc '{}' --out out", kLite),
                      fmt::format("PATH='{}':\"$PATH\"", (dir_ / "fake-bin").string()));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("'dot -Tsvg' exited with code 3"));
  EXPECT_THAT(result.err, HasSubstr("renderer for svg is unavailable"));
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

}  // namespace
}  // namespace latwin::test
