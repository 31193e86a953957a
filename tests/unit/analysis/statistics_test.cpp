// The comparison statistics on synthetic cases with known answers, and their properties on
// random samples (rapidcheck).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>

#include "analysis/comparison.hpp"
#include "analysis/statistics.hpp"

namespace latwin::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Describe, QuantilesAreType7AndSdIsTheSampleSd) {
  Distribution d = describe({5, 1, 4, 2, 3});
  EXPECT_EQ(d.count, 5u);
  EXPECT_EQ(d.mean, 3);
  EXPECT_DOUBLE_EQ(d.sd, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(d.p5, 1.2);   // 1 + 0.05 x 4 x (2 - 1)
  EXPECT_EQ(d.p25, 2);
  EXPECT_EQ(d.p50, 3);
  EXPECT_EQ(d.p75, 4);
  EXPECT_DOUBLE_EQ(d.p95, 4.8);
}

TEST(Describe, LeavesOutAndCountsNonFiniteValues) {
  Distribution d = describe({1, kNaN, 3, INFINITY});
  EXPECT_EQ(d.count, 2u);
  EXPECT_EQ(d.non_finite, 2u);
  EXPECT_EQ(d.mean, 2);
  Distribution none = describe({kNaN});
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.p50));
  EXPECT_EQ(describe({7}).sd, 0);
}

TEST(ProbGreater, CountsTiesHalfAndSkipsNonFinitePairs) {
  EXPECT_DOUBLE_EQ(prob_greater({1, 2, 3}, {0, 2, 4}), 0.5);  // win, tie, loss
  EXPECT_DOUBLE_EQ(prob_greater({1, 2, 3, 9}, {0, 1, 2, kNaN}), 1.0);
  EXPECT_DOUBLE_EQ(prob_greater({1, 1, 1, 1}, {0, 0, 0, 2}), 0.75);
  EXPECT_TRUE(std::isnan(prob_greater({kNaN}, {1})));
}

TEST(Regret, IsTheMeanShortfallFromEachMembersBest) {
  // Member 0: A best (A 1, B 0, C 0.5); member 1: B best (A 0, B 2, C 1).
  std::vector<std::vector<double>> values = {{1, 0}, {0, 2}, {0.5, 1}};
  std::vector<double> regret = expected_regret(values);
  EXPECT_DOUBLE_EQ(regret[0], (0 + 2) / 2.0);
  EXPECT_DOUBLE_EQ(regret[1], (1 + 0) / 2.0);
  EXPECT_DOUBLE_EQ(regret[2], (0.5 + 1) / 2.0);
  std::vector<double> best = prob_best(values);
  EXPECT_DOUBLE_EQ(best[0], 0.5);
  EXPECT_DOUBLE_EQ(best[1], 0.5);
  EXPECT_DOUBLE_EQ(best[2], 0.0);
}

TEST(Regret, TiesShareTheMemberAndIncompleteMembersAreLeftOut) {
  std::vector<std::vector<double>> values = {{1, 5, 1}, {1, kNaN, 0}};
  std::vector<double> best = prob_best(values);
  EXPECT_DOUBLE_EQ(best[0], 0.75);  // member 0 tied (half each), member 2 won; member 1 left out
  EXPECT_DOUBLE_EQ(best[1], 0.25);
  std::vector<double> regret = expected_regret(values);
  EXPECT_DOUBLE_EQ(regret[0], 0);
  EXPECT_DOUBLE_EQ(regret[1], 0.5);
}

TEST(Dominance, ShiftedUpDominatesCrossingDoesNotIdenticalDoesNot) {
  std::vector<double> a = {1, 2, 3, 4};
  EXPECT_TRUE(first_order_dominates({2, 3, 4, 5}, a));
  EXPECT_FALSE(first_order_dominates(a, {2, 3, 4, 5}));
  EXPECT_FALSE(first_order_dominates(a, a));                 // not strictly anywhere
  EXPECT_FALSE(first_order_dominates({0, 10}, {4, 5}));      // crossing CDFs
  EXPECT_FALSE(first_order_dominates({4, 5}, {0, 10}));
  EXPECT_TRUE(first_order_dominates({1, 2, 3, 5}, a));       // equal but for the top
  // Different sample sizes: {3} against {1, 3}: F_a <= F_b everywhere, below at 1.
  EXPECT_TRUE(first_order_dominates({3}, {1, 3}));
  EXPECT_FALSE(first_order_dominates({kNaN}, a));
}

RC_GTEST_PROP(StatisticsProperties, ProbGreaterIsComplementary, (const std::vector<int>& raw)) {
  RC_PRE(raw.size() >= 2);
  std::vector<double> a, b;
  for (std::size_t i = 0; i + 1 < raw.size(); i += 2) {
    a.push_back(raw[i] % 7);
    b.push_back(raw[i + 1] % 7);
  }
  RC_ASSERT(std::fabs(prob_greater(a, b) + prob_greater(b, a) - 1) < 1e-12);
}

RC_GTEST_PROP(StatisticsProperties, RegretIsNonNegativeAndBestSharesAddToOne, ()) {
  const auto strategies = *rc::gen::inRange<std::size_t>(2, 6);
  const auto members = *rc::gen::inRange<std::size_t>(1, 40);
  std::vector<std::vector<double>> values;
  for (std::size_t s = 0; s < strategies; ++s) {
    // Few distinct values, so ties are common.
    auto column = *rc::gen::container<std::vector<int>>(members, rc::gen::inRange(-3, 4));
    values.emplace_back(column.begin(), column.end());
  }
  std::vector<double> regret = expected_regret(values);
  std::vector<double> best = prob_best(values);
  double total = 0, min_regret = INFINITY;
  for (std::size_t s = 0; s < values.size(); ++s) {
    RC_ASSERT(regret[s] >= 0);
    min_regret = std::min(min_regret, regret[s]);
    total += best[s];
  }
  RC_ASSERT(std::fabs(total - 1) < 1e-12);
  // A strategy with regret 0 is best (possibly tied) in every member.
  for (std::size_t s = 0; s < values.size(); ++s) {
    if (regret[s] == 0) RC_ASSERT(best[s] > 0);
  }
}

RC_GTEST_PROP(StatisticsProperties, DominanceIsAntisymmetricAndShiftsDominate,
              (const std::vector<int>& raw, unsigned shift)) {
  RC_PRE(!raw.empty());
  std::vector<double> a(raw.begin(), raw.end());
  std::vector<double> shifted = a;
  for (double& v : shifted) v += 1 + shift % 100;
  RC_ASSERT(first_order_dominates(shifted, a));
  RC_ASSERT(!first_order_dominates(a, shifted));
  std::vector<double> b(a.rbegin(), a.rend());
  for (double& v : b) v = static_cast<double>(static_cast<long>(v) % 5);
  RC_ASSERT(!(first_order_dominates(a, b) && first_order_dominates(b, a)));
}

// ---- the comparison document on a synthetic case with known answers

TEST(Comparison, BuildsTheDocumentWithKnownAnswers) {
  ComparisonSetup setup;
  setup.header["format"] = "latwin-compare/1";
  setup.header["answer"] = "";
  setup.scenario_label = "test";
  setup.years = {2024, 2025};
  setup.index = {"index", "Index", ""};
  setup.components = {{"component_a", "A", ""}};
  setup.country_outcome = {"country_index", "Country", ""};
  setup.countries = {{"AAA", "A-land", "North", 1, 2}};
  setup.reference = "ref";
  auto strategy = [](std::string name, std::vector<double> final_index) {
    StrategySamples s;
    s.name = std::move(name);
    std::vector<double> zeros(final_index.size(), 0.0);
    s.outcomes = {{zeros, final_index}, {zeros, final_index}};
    s.countries = {final_index};
    return s;
  };
  // Four members. "better" is "ref" + 0.1 in every member but the last, where it loses.
  std::vector<StrategySamples> samples = {strategy("ref", {0.0, 0.1, 0.2, 0.3}),
                                          strategy("better", {0.1, 0.2, 0.3, 0.2})};
  Comparison result = compare_strategies(setup, samples);
  const auto& doc = result.document;
  EXPECT_EQ(doc["reference"], "ref");
  EXPECT_EQ(doc["horizon"], 2025);
  const auto& better = doc["results"][1];
  EXPECT_DOUBLE_EQ(better["prob_beats_reference"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(doc["results"][0]["prob_beats_reference"].get<double>(), 0.5);  // itself: ties
  EXPECT_NEAR(better["expected_regret"].get<double>(), 0.1 / 4, 1e-12);
  EXPECT_NEAR(doc["results"][0]["expected_regret"].get<double>(), 0.3 / 4, 1e-12);
  EXPECT_DOUBLE_EQ(better["prob_best"].get<double>(), 0.75);
  EXPECT_NEAR(better["horizon"]["index"]["p50"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(better["trajectories"]["component_a"]["p50"].size(), 2u);
  EXPECT_NEAR(better["countries"]["AAA"]["mean"].get<double>(), 0.2, 1e-12);
  EXPECT_EQ(better["index_at_horizon"].size(), 4u);
  EXPECT_TRUE(doc["pairwise"]["prob_beats"][0][0].is_null());
  EXPECT_DOUBLE_EQ(doc["pairwise"]["prob_beats"][1][0].get<double>(), 0.75);
  // {0.1, 0.2, 0.2, 0.3} against {0, 0.1, 0.2, 0.3}: dominates.
  EXPECT_TRUE(doc["pairwise"]["dominates"][1][0].get<bool>());
  EXPECT_FALSE(doc["pairwise"]["dominates"][0][1].get<bool>());
  std::string answer = doc["answer"];
  EXPECT_NE(answer.find("better gives the highest median Index in 2025: +0.200"), std::string::npos)
      << answer;
  EXPECT_NE(answer.find("It beats ref in 75% of members"), std::string::npos) << answer;
  // Summaries: 2 strategies x 2 outcomes x 2 years + 2 x 1 country.
  EXPECT_EQ(result.summaries.size(), 10u);
  // The answer keeps its place in the header.
  EXPECT_EQ(doc.begin().key(), "format");
  EXPECT_EQ(std::next(doc.begin()).key(), "answer");
}

TEST(Comparison, NonFiniteStatisticsAreNull) {
  ComparisonSetup setup;
  setup.years = {2024};
  setup.index = {"index", "Index", ""};
  setup.reference = "a";
  StrategySamples a;
  a.name = "a";
  a.outcomes = {{{kNaN, kNaN}}};
  Comparison result = compare_strategies(setup, {a});
  EXPECT_TRUE(result.document["results"][0]["horizon"]["index"]["mean"].is_null());
  EXPECT_EQ(result.document["results"][0]["non_finite_members"], 2);
}

}  // namespace
}  // namespace latwin::analysis
