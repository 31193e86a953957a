// model_markdown() and leading_comment(): the parts of the reference page that the golden
// case (tests/golden/doc) does not pin down on its own.
#include "engine/doc/model_doc.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "engine/compile/compiler.hpp"

namespace latwin::engine {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Compiles files given as (path, text), in that order.
std::shared_ptr<const Plan> compile_sources(
    const std::vector<std::pair<std::string, std::string>>& files) {
  auto sources = std::make_shared<lang::SourceSet>();
  for (const auto& [path, text] : files) sources->add_text(path, text);
  auto result = compile_model(sources, nullptr);
  EXPECT_TRUE(result.ok()) << result.messages();
  return result.plan;
}

TEST(LeadingComment, StripsTheHashAndOneSpace) {
  EXPECT_EQ(leading_comment("# first line\n#  indented\nparam p [1] = 1\n"),
            "first line\n indented");
}

TEST(LeadingComment, EndsAtTheFirstLineThatIsNotAComment) {
  EXPECT_EQ(leading_comment("# header\n\n# about p\nparam p [1] = 1\n"), "header");
  EXPECT_EQ(leading_comment("# header\nparam p [1] = 1\n# later\n"), "header");
}

TEST(LeadingComment, SkipsBlankLinesBeforeTheBlock) {
  EXPECT_EQ(leading_comment("\n  \r\n# header\r\n"), "header");
}

TEST(LeadingComment, BareHashIsAParagraphBreak) {
  EXPECT_EQ(leading_comment("#\n# one\n#\n# two\n#\n"), "one\n\ntwo");
}

TEST(LeadingComment, EmptyWhenTheFileStartsWithADeclaration) {
  EXPECT_EQ(leading_comment("param p [1] = 1 # not a header\n"), "");
  EXPECT_EQ(leading_comment(""), "");
}

TEST(LeadingComment, ALineOfTwoHashesDoesNotBecomeAHeading) {
  EXPECT_EQ(leading_comment("## Notes\n"), "\\# Notes");
}

TEST(ModelDoc, SectionsFollowTheFilesInTheOrderGiven) {
  auto plan = compile_sources(
      {{"dir/zeta.lw", "param z [1] = 1 source \"s\"\n"}, {"alpha.lw", "aux a [1] = z * 2\n"}});
  ASSERT_TRUE(plan);
  std::string page = model_markdown(*plan, {});
  std::size_t zeta = page.find("## zeta\n");
  std::size_t alpha = page.find("## alpha\n");
  ASSERT_NE(zeta, std::string::npos) << page;
  ASSERT_NE(alpha, std::string::npos) << page;
  EXPECT_LT(zeta, alpha);
  EXPECT_THAT(page, HasSubstr("File `zeta.lw`."));
  EXPECT_THAT(page, HasSubstr("The model is written in 2 files"));
}

TEST(ModelDoc, SaysSoWhenThereAreNoInputsAndEveryParameterHasASource) {
  auto plan = compile_sources({{"m.lw", "param p [1] = 1 source \"a survey\"\naux a [1] = p\n"}});
  ASSERT_TRUE(plan);
  std::string page = model_markdown(*plan, {});
  EXPECT_THAT(page, HasSubstr("The model reads no named inputs"));
  EXPECT_THAT(page, HasSubstr("None: every parameter names its source."));
  EXPECT_THAT(page, Not(HasSubstr("## Causal graph")));  // no graph file given
}

TEST(ModelDoc, ListsEachParameterWithoutASourceWithItsFileAndLine) {
  auto plan = compile_sources({{"m.lw",
                                "param a [1] = 1\nparam b [1] = 2 source \"x\"\n"
                                "param c [1] ~ uniform(0, 1)\n"}});
  ASSERT_TRUE(plan);
  std::string page = model_markdown(*plan, {});
  EXPECT_THAT(page, HasSubstr("- `a` (`m.lw`, line 1)\n- `c` (`m.lw`, line 3)\n"));
  EXPECT_THAT(page, Not(HasSubstr("- `b`")));
}

TEST(ModelDoc, AnchorsStayUniqueWhenAFileIsNamedLikeASection) {
  auto plan = compile_sources({{"inputs.lw", "aux a [1] = scenario(\"s\")\n"}});
  ASSERT_TRUE(plan);
  std::string page = model_markdown(*plan, {});
  // GitHub numbers a repeated anchor: the file's section is #inputs, the page's #inputs-1.
  EXPECT_THAT(page, HasSubstr("[inputs](#inputs) · [Inputs](#inputs-1)"));
}

TEST(ModelDoc, EscapesPipesInTableCells) {
  auto plan = compile_sources({{"m.lw", "aux a [1] = 1 \"low | high\" source \"a|b\"\n"}});
  ASSERT_TRUE(plan);
  std::string page = model_markdown(*plan, {});
  EXPECT_THAT(page, HasSubstr("| low \\| high | a\\|b |"));
}

TEST(ModelDoc, BacktickInAnInputNameGetsALongerCodeFence) {
  auto plan = compile_sources({{"m.lw", "aux a [1] = scenario(\"odd`name\")\n"}});
  ASSERT_TRUE(plan);
  EXPECT_THAT(model_markdown(*plan, {}), HasSubstr("``\"odd`name\"``"));
}

TEST(ModelDoc, ThrowsForAPlanWithoutSources) {
  Plan plan;
  EXPECT_THROW(model_markdown(plan, {}), std::invalid_argument);
}

}  // namespace
}  // namespace latwin::engine
