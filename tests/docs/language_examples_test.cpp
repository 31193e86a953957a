// The examples of docs/language.md are models, and this test keeps them honest:
//   ```lw          a complete model that must compile without errors;
//   ```lw-warning  a complete model that must compile, with at least one warning;
//   ```lw-error    a model that must fail to compile.
// When an lw-error or lw-warning block is followed by a plain ``` block (only blank lines or
// prose between them, no other fenced block), the compiler's messages for it, with the file
// named "example.lw", must contain that block's text. Every block is compiled with the
// test fixture data folder tests/data/mini, so examples may use table(...) and data(...).
//
// It also runs the example model models/examples/hemisphere-lite and checks that it stays
// an honest illustration: no diagnostics, and every number labelled illustrative.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin {
namespace {

const std::string kDocPath = std::string(LATWIN_SOURCE_DIR) + "/docs/language.md";
const std::string kDataDir = std::string(LATWIN_SOURCE_DIR) + "/tests/data/mini";
const std::string kExampleDir = std::string(LATWIN_SOURCE_DIR) + "/models/examples/hemisphere-lite";

struct Block {
  std::string tag;  // the info string after ```, empty for a plain block
  std::string text;
  int line = 0;             // line of the opening fence, counting from 1
  int expected_block = -1;  // index of the plain block that follows, or -1
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Fenced blocks of a markdown text, in order.
std::vector<Block> fenced_blocks(const std::string& markdown) {
  std::vector<Block> blocks;
  std::istringstream in(markdown);
  std::string line;
  int line_no = 0;
  bool inside = false;
  Block current;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("```", 0) == 0) {
      if (!inside) {
        inside = true;
        current = Block{};
        current.tag = line.substr(3);
        while (!current.tag.empty() && current.tag.back() == ' ') current.tag.pop_back();
        current.line = line_no;
      } else {
        inside = false;
        blocks.push_back(current);
      }
      continue;
    }
    if (inside) current.text += line + "\n";
  }
  EXPECT_FALSE(inside) << "docs/language.md: the block opened at line " << current.line
                       << " is not closed";
  // Pair each example with the plain block right after it.
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    if ((blocks[i].tag == "lw-error" || blocks[i].tag == "lw-warning") &&
        blocks[i + 1].tag.empty()) {
      blocks[i].expected_block = static_cast<int>(i + 1);
    }
  }
  return blocks;
}

class LanguageDoc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new data::PanelDataSource(kDataDir);
    blocks_ = new std::vector<Block>(fenced_blocks(read_text(kDocPath)));
  }
  static void TearDownTestSuite() {
    delete data_;
    delete blocks_;
    data_ = nullptr;
    blocks_ = nullptr;
  }

  static engine::CompileResult compile(const Block& block) {
    return engine::compile_text(block.text, data_, "example.lw");
  }

  static std::size_t warnings(const engine::CompileResult& result) {
    return result.diagnostics.all().size() - result.diagnostics.error_count();
  }

  static std::size_t count(const std::string& tag) {
    std::size_t n = 0;
    for (const auto& block : *blocks_) n += block.tag == tag ? 1 : 0;
    return n;
  }

  static inline data::PanelDataSource* data_ = nullptr;
  static inline std::vector<Block>* blocks_ = nullptr;
};

TEST_F(LanguageDoc, HasExamplesOfEveryKind) {
  // A guard against a broken extractor that would make every other test pass vacuously.
  EXPECT_GE(count("lw"), 40u);
  EXPECT_GE(count("lw-error"), 5u);
  EXPECT_GE(count("lw-warning"), 1u);
}

TEST_F(LanguageDoc, EveryLwBlockCompilesWithoutErrors) {
  for (const auto& block : *blocks_) {
    if (block.tag != "lw") continue;
    auto result = compile(block);
    EXPECT_TRUE(result.ok()) << "docs/language.md:" << block.line
                             << ": this ```lw example does not compile:\n"
                             << result.messages() << "--- the example ---\n"
                             << block.text;
  }
}

TEST_F(LanguageDoc, EveryLwWarningBlockCompilesWithTheWarningShown) {
  for (const auto& block : *blocks_) {
    if (block.tag != "lw-warning") continue;
    auto result = compile(block);
    EXPECT_TRUE(result.ok()) << "docs/language.md:" << block.line
                             << ": this ```lw-warning example does not compile:\n"
                             << result.messages();
    EXPECT_GT(warnings(result), 0u)
        << "docs/language.md:" << block.line << ": this ```lw-warning example gives no warning";
    if (block.expected_block >= 0) {
      const std::string& expected = (*blocks_)[block.expected_block].text;
      EXPECT_NE(result.messages().find(expected), std::string::npos)
          << "docs/language.md:" << block.line << ": the messages are\n"
          << result.messages() << "but the document shows\n"
          << expected;
    }
  }
}

TEST_F(LanguageDoc, EveryLwErrorBlockFailsWithTheMessageShown) {
  for (const auto& block : *blocks_) {
    if (block.tag != "lw-error") continue;
    auto result = compile(block);
    EXPECT_FALSE(result.ok()) << "docs/language.md:" << block.line
                              << ": this ```lw-error example compiles, but should fail";
    if (block.expected_block >= 0) {
      const std::string& expected = (*blocks_)[block.expected_block].text;
      EXPECT_NE(result.messages().find(expected), std::string::npos)
          << "docs/language.md:" << block.line << ": the messages are\n"
          << result.messages() << "but the document shows\n"
          << expected;
    }
  }
}

TEST_F(LanguageDoc, EveryErrorExampleShowsItsMessage) {
  for (const auto& block : *blocks_) {
    if (block.tag != "lw-error") continue;
    EXPECT_GE(block.expected_block, 0)
        << "docs/language.md:" << block.line
        << ": an ```lw-error example should be followed by a plain ``` block with its message";
  }
}

TEST_F(LanguageDoc, NoUnknownModelBlockTags) {
  // A typo such as ```lw-eror would silently skip an example.
  for (const auto& block : *blocks_) {
    if (block.tag.rfind("lw", 0) != 0) continue;
    EXPECT_TRUE(block.tag == "lw" || block.tag == "lw-error" || block.tag == "lw-warning")
        << "docs/language.md:" << block.line << ": unknown block tag '" << block.tag << "'";
  }
}

// ---- the example model ----

engine::CompileResult compile_example() {
  return engine::compile_files({kExampleDir}, nullptr);
}

TEST(HemisphereLiteExample, CompilesWithoutWarnings) {
  auto result = compile_example();
  ASSERT_TRUE(result.ok()) << result.messages();
  EXPECT_TRUE(result.diagnostics.all().empty()) << result.messages();
}

TEST(HemisphereLiteExample, RunsFiftyMembersWithoutDiagnostics) {
  auto result = compile_example();
  ASSERT_TRUE(result.ok()) << result.messages();
  engine::RunSpec spec;
  spec.members = 50;
  spec.threads = 2;
  engine::TrajectoryCollector trajectories;
  auto report = engine::run_ensemble(result.plan, spec, {&trajectories});
  std::string first;
  if (!report.diagnostics.empty()) first = engine::describe(report.diagnostics.front());
  EXPECT_EQ(report.diagnostic_count, 0u) << "first: " << first;
}

TEST(HemisphereLiteExample, RespondsToASecurityCooperationAllocation) {
  auto result = compile_example();
  ASSERT_TRUE(result.ok()) << result.messages();
  const engine::Plan& plan = *result.plan;
  engine::RunSpec spec;
  spec.members = 8;
  spec.threads = 2;
  spec.save = {"crime"};
  engine::TrajectoryCollector without;
  auto report_without = engine::run_ensemble(result.plan, spec, {&without});
  // 50 (million USD a year) for every country over the whole horizon.
  engine::Series budget;
  budget.first_year = static_cast<int>(plan.settings.start);
  budget.values.assign(static_cast<std::size_t>(plan.settings.stop - plan.settings.start) + 1,
                       50.0);
  spec.inputs.allocations[{"security_cooperation", ""}] = budget;
  engine::TrajectoryCollector with;
  auto report_with = engine::run_ensemble(result.plan, spec, {&with});
  EXPECT_EQ(report_without.diagnostic_count, 0u);
  EXPECT_EQ(report_with.diagnostic_count, 0u);
  std::size_t last = without.layout().save_times.size() - 1;
  EXPECT_LT(with.value("crime", "COL", last, 0), without.value("crime", "COL", last, 0));
}

TEST(HemisphereLiteExample, EveryNumberIsLabelledIllustrative) {
  auto result = compile_example();
  ASSERT_TRUE(result.ok()) << result.messages();
  for (const auto& var : result.plan->variables) {
    if (var.hidden) continue;
    bool number = var.role == engine::VarRole::kParam || var.role == engine::VarRole::kLookup;
    // Constants may state facts (which countries share a border), with their source;
    // anything else in them is a placeholder like the parameters.
    if (var.role == engine::VarRole::kConst) {
      EXPECT_FALSE(var.source.empty()) << var.name << ": a constant needs a source";
      number = var.source == "illustrative";
    }
    if (!number) continue;
    EXPECT_EQ(var.source, "illustrative") << var.name;
    EXPECT_NE(var.description.find("illustrative"), std::string::npos)
        << var.name << ": the description should say the number is illustrative";
  }
  std::string readme = read_text(kExampleDir + "/README.md");
  EXPECT_NE(readme.find("illustrative"), std::string::npos);
  EXPECT_NE(readme.find("not estimates"), std::string::npos);
}

}  // namespace
}  // namespace latwin
