// Golden reference pages: each folder under tests/golden/doc holds a model (its .lw files),
// expected.md (the page latwin doc writes for it, reviewed by hand) and a README saying what
// the case covers and how to regenerate expected.md. Models read the synthetic data folder
// tests/data/mini.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/doc/model_doc.hpp"

namespace latwin {
namespace {

namespace fs = std::filesystem;

fs::path doc_cases_dir() {
  return fs::path(LATWIN_SOURCE_DIR) / "tests" / "golden" / "doc";
}

// Every case folder, sorted, so test names and order are stable.
std::vector<std::string> doc_case_names() {
  std::vector<std::string> names;
  if (!fs::is_directory(doc_cases_dir())) return names;
  for (const auto& entry : fs::directory_iterator(doc_cases_dir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The page as latwin doc writes it: titled after the folder, linking the graph files.
std::string page_of(const std::string& name) {
  data::PanelDataSource data((fs::path(LATWIN_SOURCE_DIR) / "tests" / "data" / "mini").string());
  auto result = engine::compile_files({(doc_cases_dir() / name).string()}, &data);
  EXPECT_TRUE(result.ok()) << result.messages();
  if (!result.ok()) return "";
  engine::DocOptions options;
  options.title = name;
  options.graph_svg = "model-graph.svg";
  options.graph_dot = "model-graph.dot";
  return engine::model_markdown(*result.plan, options);
}

class DocGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DocGolden, FolderHasModelExpectedAndReadme) {
  fs::path dir = doc_cases_dir() / GetParam();
  EXPECT_TRUE(fs::is_regular_file(dir / "expected.md"));
  EXPECT_TRUE(fs::is_regular_file(dir / "README.md"));
}

TEST_P(DocGolden, PageMatchesExpected) {
  std::string expected = read_text(doc_cases_dir() / GetParam() / "expected.md");
  ASSERT_FALSE(expected.empty());
  // On a mismatch, see the README of the case for the command that rewrites expected.md.
  EXPECT_EQ(page_of(GetParam()), expected);
}

TEST_P(DocGolden, SamePageEveryTime) {
  EXPECT_EQ(page_of(GetParam()), page_of(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Doc, DocGolden, ::testing::ValuesIn(doc_case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(DocGolden, PopulationMiniCaseIsPresent) {
  auto names = doc_case_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "population-mini"), names.end());
}

}  // namespace
}  // namespace latwin
