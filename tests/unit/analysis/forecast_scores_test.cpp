// Forecast scores on cases with known answers (hand calculations, the closed-form CRPS of a
// normal distribution, exact linear series) and their properties on random ensembles and
// series (rapidcheck): the CRPS's invariances, and that no baseline can see past its origin.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/forecast_scores.hpp"
#include "core/distributions.hpp"

namespace latwin::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The CRPS of N(mu, sigma^2) for y (Gneiting, Raftery, Westveld and Goldman 2005).
double normal_crps(double mu, double sigma, double y) {
  double z = (y - mu) / sigma;
  double pdf = std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi);
  double cdf = 0.5 * std::erfc(-z / std::numbers::sqrt2);
  return sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / std::sqrt(std::numbers::pi));
}

// The definition, straight: E|X - y| - 1/2 E|X - X'| over all m^2 ordered pairs.
double crps_double_sum(const std::vector<double>& members, double y) {
  const double m = static_cast<double>(members.size());
  double to_y = 0, between = 0;
  for (double a : members) {
    to_y += std::fabs(a - y);
    for (double b : members) between += std::fabs(a - b);
  }
  return to_y / m - between / (2 * m * m);
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

// ---- CRPS of one ensemble

TEST(ForecastCrps, OneMemberIsTheAbsoluteError) {
  EXPECT_EQ(crps_ensemble({3.5}, 1.25), 2.25);
  EXPECT_EQ(crps_ensemble({-2}, 4), 6);
  EXPECT_EQ(crps_ensemble({7}, 7), 0);
}

TEST(ForecastCrps, TwoPointEnsembleWorkedByHand) {
  // {0, 2}, y = 0.5: E|X - y| = (0.5 + 1.5) / 2 = 1; 1/2 E|X - X'| = 1/2 (0 + 2 + 2 + 0) / 4
  // = 0.5; CRPS = 0.5. As an integral: F = 1/2 on [0, 2], so (1/2)^2 x 0.5 + (1/2)^2 x 1.5.
  EXPECT_DOUBLE_EQ(crps_ensemble({2, 0}, 0.5), 0.5);
  // y = 3, outside: E|X - y| = (3 + 1) / 2 = 2; CRPS = 2 - 0.5 = 1.5.
  EXPECT_DOUBLE_EQ(crps_ensemble({0, 2}, 3), 1.5);
  // y on a member: E|X - y| = 1, CRPS = 0.5.
  EXPECT_DOUBLE_EQ(crps_ensemble({0, 2}, 0), 0.5);
  // The fair variant divides the pair sum 4 by 2 m (m - 1) = 4 instead of 2 m^2 = 8.
  EXPECT_DOUBLE_EQ(crps_ensemble_fair({0, 2}, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(crps_ensemble_fair({0, 2}, 3), 1.0);
}

TEST(ForecastCrps, ExactNormalQuantilesApproachTheClosedForm) {
  // Members at the mid-quantiles (i - 1/2) / m of N(mu, sigma^2). Measured differences from
  // the closed form for these y: at most 3.4e-4 sigma at m = 100, 6.5e-5 at 500, 2.4e-6 at
  // 2000 and 5.3e-8 at 10000, largest for y far in a tail. At m = 2000, 1e-5 sigma is the
  // bound: four times the measurement, a hundred times below the m = 100 error.
  const double mu = 1.5, sigma = 2.0;
  const std::size_t m = 2000;
  std::vector<double> members;
  for (std::size_t i = 0; i < m; ++i) {
    double p = (static_cast<double>(i) + 0.5) / static_cast<double>(m);
    members.push_back(dist::normal_quantile(p, mu, sigma));
  }
  for (double y : {-4.0, 0.0, 1.5, 2.3, 7.0}) {
    EXPECT_NEAR(crps_ensemble(members, y), normal_crps(mu, sigma, y), 1e-5 * sigma) << "y " << y;
  }
  // The closed form itself: at y = mu it is sigma (2 phi(0) - 1/sqrt(pi)), i.e.
  // sigma (sqrt(2) - 1) / sqrt(pi).
  EXPECT_NEAR(normal_crps(0, 1, 0), (std::sqrt(2.0) - 1) / std::sqrt(std::numbers::pi), 1e-15);
}

TEST(ForecastCrps, LeavesOutNonFiniteMembersAndNeedsAnObservation) {
  EXPECT_DOUBLE_EQ(crps_ensemble({0, kNaN, 2, INFINITY}, 0.5), 0.5);
  EXPECT_TRUE(std::isnan(crps_ensemble({kNaN}, 1)));
  EXPECT_TRUE(std::isnan(crps_ensemble({}, 1)));
  EXPECT_TRUE(std::isnan(crps_ensemble({1, 2}, kNaN)));
  EXPECT_TRUE(std::isnan(crps_ensemble_fair({1}, 1)));  // no pair of members
}

// Members and y on a grid of eighths: every difference, weighted sum and the division by m^2
// below are exact in double, so the invariances can be checked bit for bit.
struct GridEnsemble {
  std::vector<double> members;
  double y = 0;
};

rc::Gen<GridEnsemble> grid_ensemble() {
  return rc::gen::exec([] {
    GridEnsemble e;
    auto size = *rc::gen::inRange<std::size_t>(1, 40);
    // Few distinct values, so ties and members equal to y are common.
    for (int v : *rc::gen::container<std::vector<int>>(size, rc::gen::inRange(-12, 13))) {
      e.members.push_back(v / 8.0);
    }
    e.y = *rc::gen::inRange(-14, 15) / 8.0;
    return e;
  });
}

RC_GTEST_PROP(ForecastCrpsProperties, MatchesTheDoubleSumDefinition, ()) {
  auto size = *rc::gen::inRange<std::size_t>(1, 60);
  auto raw = *rc::gen::container<std::vector<int>>(size, rc::gen::inRange(-100000, 100000));
  std::vector<double> members;
  for (int v : raw) members.push_back(v / 997.0);
  double y = *rc::gen::inRange(-120000, 120000) / 997.0;
  RC_ASSERT(std::fabs(crps_ensemble(members, y) - crps_double_sum(members, y)) < 1e-9);
}

RC_GTEST_PROP(ForecastCrpsProperties, NonNegativeAndZeroExactlyWhenEveryMemberIsTheObservation,
              ()) {
  GridEnsemble e = *grid_ensemble();
  double crps = crps_ensemble(e.members, e.y);
  RC_ASSERT(crps >= 0);
  bool all_equal =
      std::all_of(e.members.begin(), e.members.end(), [&](double x) { return x == e.y; });
  RC_ASSERT((crps == 0) == all_equal);
  std::vector<double> at_y(e.members.size(), e.y);
  RC_ASSERT(crps_ensemble(at_y, e.y) == 0);
  if (e.members.size() >= 2) RC_ASSERT(crps_ensemble_fair(e.members, e.y) >= 0);
}

RC_GTEST_PROP(ForecastCrpsProperties, TranslationInvariant, ()) {
  GridEnsemble e = *grid_ensemble();
  double shift = *rc::gen::inRange(-4000, 4000) / 8.0;
  std::vector<double> shifted = e.members;
  for (double& x : shifted) x += shift;
  RC_ASSERT(crps_ensemble(shifted, e.y + shift) == crps_ensemble(e.members, e.y));
}

RC_GTEST_PROP(ForecastCrpsProperties, SymmetricUnderReflection, ()) {
  GridEnsemble e = *grid_ensemble();
  std::vector<double> reflected = e.members;
  for (double& x : reflected) x = -x;
  RC_ASSERT(crps_ensemble(reflected, -e.y) == crps_ensemble(e.members, e.y));
}

RC_GTEST_PROP(ForecastCrpsProperties, InvariancesHoldToRoundingOffTheGrid, ()) {
  auto size = *rc::gen::inRange<std::size_t>(1, 50);
  auto raw = *rc::gen::container<std::vector<int>>(size, rc::gen::inRange(-100000, 100000));
  std::vector<double> members;
  for (int v : raw) members.push_back(v / 777.7);
  double y = *rc::gen::inRange(-100000, 100000) / 777.7;
  double shift = *rc::gen::inRange(-100000, 100000) / 3.3;
  double crps = crps_ensemble(members, y);
  RC_ASSERT(crps >= 0);
  std::vector<double> moved = members, reflected = members;
  for (double& x : moved) x += shift;
  for (double& x : reflected) x = -x;
  RC_ASSERT(std::fabs(crps_ensemble(moved, y + shift) - crps) < 1e-9);
  RC_ASSERT(std::fabs(crps_ensemble(reflected, -y) - crps) < 1e-12);
}

// ---- the scores of one ensemble

TEST(ForecastScoreEnsemble, MedianErrorsAndType7CentralIntervals) {
  // Members 0..10: the type-7 q-quantile is 10 q, so the central intervals are 50% [2.5, 7.5],
  // 80% [1, 9], 95% [0.25, 9.75].
  std::vector<double> members;
  for (int v = 10; v >= 0; --v) members.push_back(v);
  EnsembleScore s = score_ensemble(members, 8);
  EXPECT_EQ(s.members, 11u);
  EXPECT_EQ(s.median, 5);
  EXPECT_EQ(s.abs_error, 3);
  EXPECT_EQ(s.squared_error, 9);
  EXPECT_DOUBLE_EQ(s.crps, crps_ensemble(members, 8));
  EXPECT_EQ(s.covered, (std::array<bool, 3>{false, true, true}));
  // The intervals are closed.
  EXPECT_EQ(score_ensemble(members, 9).covered, (std::array<bool, 3>{false, true, true}));
  EXPECT_EQ(score_ensemble(members, 7.5).covered, (std::array<bool, 3>{true, true, true}));
  EXPECT_EQ(score_ensemble(members, 0.2).covered, (std::array<bool, 3>{false, false, false}));
  EXPECT_EQ(score_ensemble(members, 0.25).covered, (std::array<bool, 3>{false, false, true}));
  // An even count: the median interpolates between the middle two.
  EXPECT_EQ(score_ensemble({1, 2, 4, 10}, 0).median, 3);
}

TEST(ForecastScoreEnsemble, CountsNonFiniteMembersAndScoresNothingWithoutData) {
  EnsembleScore s = score_ensemble({kNaN, 1, 3, -INFINITY}, 2);
  EXPECT_EQ(s.members, 2u);
  EXPECT_EQ(s.non_finite, 2u);
  EXPECT_EQ(s.median, 2);
  EnsembleScore none = score_ensemble({kNaN}, 2);
  EXPECT_EQ(none.members, 0u);
  EXPECT_TRUE(std::isnan(none.crps));
  EXPECT_TRUE(std::isnan(none.median));
  EnsembleScore unobserved = score_ensemble({1, 2, 3}, kNaN);
  EXPECT_EQ(unobserved.median, 2);
  EXPECT_TRUE(std::isnan(unobserved.abs_error));
  EXPECT_EQ(unobserved.covered, (std::array<bool, 3>{false, false, false}));
}

// ---- baselines

TEST(ForecastBaselines, HistoryKeepsObservedValuesUpToTheOrigin) {
  std::vector<double> series = {1, kNaN, 3, 4, 5};  // 2000..2004
  History h(2000, series, 2003);
  EXPECT_EQ(h.years(), (std::vector<int>{2000, 2002, 2003}));
  EXPECT_EQ(h.values(), (std::vector<double>{1, 3, 4}));
  EXPECT_TRUE(History(2000, series, 1999).values().empty());
  EXPECT_EQ(History(2000, series, 2030).values().size(), 4u);  // an origin past the data
}

TEST(ForecastBaselines, PersistenceIsTheLastObservedValueAcrossGaps) {
  std::vector<double> series = {1, 2, kNaN, kNaN, 7};               // 2000..2004
  EXPECT_EQ(persistence_forecast(History(2000, series, 2003)), 2);  // 2001's, two years old
  EXPECT_EQ(persistence_forecast(History(2000, series, 2004)), 7);
  EXPECT_EQ(persistence_forecast(History(2000, series, 2000)), 1);
  EXPECT_TRUE(std::isnan(persistence_forecast(History(2000, series, 1999))));
  EXPECT_TRUE(
      std::isnan(persistence_forecast(History(2000, std::vector<double>{kNaN, kNaN}, 2001))));
}

TEST(ForecastBaselines, TrendThroughExactLinearDataExtrapolatesExactly) {
  // value = 3 + 0.5 (year - 2000), with gaps; the fit uses the actual years.
  std::vector<double> series;
  for (int year = 2000; year <= 2020; ++year) series.push_back(3 + 0.5 * (year - 2000));
  series[2] = series[9] = series[10] = kNaN;
  History h(2000, series, 2012);
  for (int lead : {0, 1, 5, 30}) {
    EXPECT_NEAR(trend_forecast(h, lead), 3 + 0.5 * (2012 + lead - 2000), 1e-12) << lead;
  }
  // The origin year itself missing: still extrapolated from the origin, not from 2011.
  History gap_at_origin(2000, series, 2010);
  EXPECT_NEAR(trend_forecast(gap_at_origin, 2), 3 + 0.5 * 12, 1e-12);
}

TEST(ForecastBaselines, TrendFitsOnlyTheLastWindowPoints) {
  // Flat at 100 until 2009, then 2t from 2010: a window of 4 sees only the line.
  std::vector<double> series(10, 100.0);
  for (int t = 0; t < 4; ++t) series.push_back(2.0 * t);  // 2010..2013
  History h(2000, series, 2013);
  EXPECT_NEAR(trend_forecast(h, 2, {.window_points = 4}), 2.0 * 5, 1e-12);
  // Least squares by hand on a window of 3 points (2011, 2), (2012, 0), (2013, 4) around
  // 2012: slope = (-1 x 2 + 1 x 4) / 2 = 1, mean 2; at 2014: 2 + 2 = 4.
  std::vector<double> bumpy = {2, 0, 4};  // 2011..2013
  EXPECT_NEAR(trend_forecast(History(2011, bumpy, 2013), 1, {.window_points = 3}), 4, 1e-12);
  // Fewer than two observations: no trend.
  EXPECT_TRUE(std::isnan(trend_forecast(History(2000, std::vector<double>{kNaN, 5}, 2001), 1)));
  EXPECT_THROW(trend_forecast(h, -1), std::invalid_argument);
  EXPECT_THROW(trend_forecast(h, 1, {.window_points = 1}), std::invalid_argument);
}

TEST(ForecastBaselines, HistoricalMeanIsTheMeanOfObservedValuesUpToTheOrigin) {
  std::vector<double> series = {1, kNaN, 3, 8, 100};  // 2000..2004
  EXPECT_DOUBLE_EQ(historical_mean_forecast(History(2000, series, 2003)), 4);
  EXPECT_TRUE(std::isnan(historical_mean_forecast(History(2000, series, 1990))));
  BaselineForecasts b = baseline_forecasts(History(2000, series, 2003), 2);
  EXPECT_EQ(b.persistence, 8);
  EXPECT_DOUBLE_EQ(b.historical_mean, 4);
  EXPECT_NEAR(b.trend, trend_forecast(History(2000, series, 2003), 2), 1e-15);
}

RC_GTEST_PROP(ForecastBaselineProperties, NoValueAfterTheOriginChangesAForecast, ()) {
  auto length = *rc::gen::inRange<std::size_t>(1, 30);
  // Some gaps: code 0 is missing.
  auto codes = *rc::gen::container<std::vector<int>>(length, rc::gen::inRange(0, 50));
  std::vector<double> series;
  for (int c : codes) series.push_back(c == 0 ? kNaN : c * 0.37 - 5);
  const int first_year = 1990;
  int origin = first_year + *rc::gen::inRange(-2, static_cast<int>(length) + 2);
  int lead = *rc::gen::inRange(0, 6);
  TrendOptions options{.window_points = *rc::gen::inRange<std::size_t>(2, 12)};
  BaselineForecasts before = baseline_forecasts(History(first_year, series, origin), lead, options);

  // Rewrite every year after the origin (values, gaps, and years beyond the end).
  std::vector<double> changed = series;
  changed.resize(changed.size() + *rc::gen::inRange<std::size_t>(0, 5), kNaN);
  for (std::size_t idx = 0; idx < changed.size(); ++idx) {
    if (first_year + static_cast<int>(idx) <= origin) continue;
    int code = *rc::gen::inRange(-1000, 1000);
    changed[idx] = code == 0 ? kNaN : code * 1.9;
  }
  BaselineForecasts after = baseline_forecasts(History(first_year, changed, origin), lead, options);
  RC_ASSERT(same(before.persistence, after.persistence));
  RC_ASSERT(same(before.trend, after.trend));
  RC_ASSERT(same(before.historical_mean, after.historical_mean));
}

// ---- the score table

ForecastRecord record(std::string indicator, std::string country, int origin, int lead,
                      double observed, std::vector<double> members, BaselineForecasts baselines) {
  ForecastRecord r;
  r.indicator = std::move(indicator);
  r.country = std::move(country);
  r.origin_year = origin;
  r.lead_years = lead;
  r.observed = observed;
  r.members = std::move(members);
  r.baselines = baselines;
  return r;
}

const MethodScores& method(const ScoreRow& row, ForecastMethod m) {
  return row[m];
}

class ForecastScoreTable : public ::testing::Test {
 protected:
  // gdp in A at lead 1 from two origins (pooled); lead 2 unobserved; B with no ensemble and
  // no trend; "alpha" sorts first and has perfect persistence.
  std::vector<ForecastRecord> records = {
      record("gdp", "A", 2010, 1, 10, {9, 10, 11}, {8, 11, 7}),    // errors 0 | 2, 1, 3
      record("gdp", "A", 2011, 1, 12, {11, 9, 10}, {12, 14, 8}),   // errors 2 | 0, 2, 4
      record("gdp", "A", 2010, 2, kNaN, {1, 2}, {1, 2, 3}),        // missing
      record("gdp", "B", 2010, 1, 5, {kNaN, kNaN}, {4, kNaN, 5}),  // none | 1, none, 0
      record("alpha", "A", 2010, 1, 1, {1}, {1, 1, 1}),
  };
  std::vector<ScoreRow> rows = score_table(records);
};

TEST_F(ForecastScoreTable, RowsComeInIndicatorThenCountryThenLeadOrder) {
  ASSERT_EQ(rows.size(), 9u);
  auto key = [](const ScoreRow& r) {
    return r.indicator + "/" + r.country.value_or("*") + "/" +
           (r.lead_years ? std::to_string(*r.lead_years) : "*");
  };
  std::vector<std::string> keys;
  for (const auto& r : rows) keys.push_back(key(r));
  EXPECT_EQ(keys,
            (std::vector<std::string>{"alpha/A/1", "alpha/*/1", "alpha/*/*", "gdp/A/1", "gdp/A/2",
                                      "gdp/B/1", "gdp/*/1", "gdp/*/2", "gdp/*/*"}));
}

TEST_F(ForecastScoreTable, PoolsOriginsAndScoresEveryMethodByHand) {
  const ScoreRow& a1 = rows[3];
  EXPECT_EQ(a1.outcomes, 2u);
  EXPECT_EQ(a1.missing, 0u);
  const MethodScores& e = method(a1, ForecastMethod::kEnsemble);
  EXPECT_EQ(e.count, 2u);
  EXPECT_DOUBLE_EQ(e.rmse, std::sqrt((0.0 + 4) / 2));
  EXPECT_DOUBLE_EQ(e.mae, 1);
  EXPECT_DOUBLE_EQ(e.crps, (crps_ensemble({9, 10, 11}, 10) + crps_ensemble({9, 10, 11}, 12)) / 2);
  // y = 10 lies in every interval of {9, 10, 11}; y = 12 in none.
  EXPECT_EQ(e.coverage, (std::array<double, 3>{0.5, 0.5, 0.5}));
  const MethodScores& p = method(a1, ForecastMethod::kPersistence);
  EXPECT_DOUBLE_EQ(p.rmse, std::sqrt(2.0));
  EXPECT_EQ(p.rmse_skill, 0);
  EXPECT_EQ(p.crps_skill, 0);
  const MethodScores& t = method(a1, ForecastMethod::kTrend);
  EXPECT_DOUBLE_EQ(t.rmse, std::sqrt(2.5));
  EXPECT_DOUBLE_EQ(t.mae, 1.5);
  EXPECT_DOUBLE_EQ(t.rmse_skill, 1 - std::sqrt(5.0 / 4));
  EXPECT_DOUBLE_EQ(t.crps_skill, 1 - 3.0 / 2);
  const MethodScores& h = method(a1, ForecastMethod::kHistoricalMean);
  EXPECT_DOUBLE_EQ(h.rmse, std::sqrt(12.5));
  // Baselines are point masses: CRPS is the absolute error, and they have no intervals.
  for (ForecastMethod m :
       {ForecastMethod::kPersistence, ForecastMethod::kTrend, ForecastMethod::kHistoricalMean}) {
    EXPECT_EQ(method(a1, m).crps, method(a1, m).mae) << forecast_method_name(m);
    for (double c : method(a1, m).coverage) EXPECT_TRUE(std::isnan(c));
  }
}

TEST_F(ForecastScoreTable, GapsAreCountedMissingAndAbsentForecastsAreNotScored) {
  const ScoreRow& a2 = rows[4];
  EXPECT_EQ(a2.outcomes, 1u);
  EXPECT_EQ(a2.missing, 1u);
  for (const MethodScores& m : a2.methods) {
    EXPECT_EQ(m.count, 0u);
    EXPECT_EQ(m.no_forecast, 0u);  // a missing observation is not a missing forecast
    EXPECT_TRUE(std::isnan(m.rmse));
    EXPECT_TRUE(std::isnan(m.rmse_skill));
  }
  const ScoreRow& b1 = rows[5];
  EXPECT_EQ(method(b1, ForecastMethod::kEnsemble).count, 0u);
  EXPECT_EQ(method(b1, ForecastMethod::kEnsemble).no_forecast, 1u);
  EXPECT_TRUE(std::isnan(method(b1, ForecastMethod::kEnsemble).coverage[0]));
  EXPECT_EQ(method(b1, ForecastMethod::kTrend).no_forecast, 1u);
  EXPECT_EQ(method(b1, ForecastMethod::kHistoricalMean).rmse, 0);
  EXPECT_EQ(method(b1, ForecastMethod::kHistoricalMean).rmse_skill, 1);
  // Persistence exact: its score is 0 and no skill relative to it is defined.
  const ScoreRow& alpha = rows[0];
  EXPECT_EQ(method(alpha, ForecastMethod::kEnsemble).crps, 0);
  EXPECT_TRUE(std::isnan(method(alpha, ForecastMethod::kEnsemble).crps_skill));
}

TEST_F(ForecastScoreTable, PooledRowsPoolOutcomesAndSkillUsesOnlyOutcomesBothScored) {
  const ScoreRow& lead1 = rows[6];  // gdp, every country, lead 1
  EXPECT_EQ(lead1.outcomes, 3u);
  EXPECT_EQ(lead1.missing, 0u);
  const MethodScores& p = method(lead1, ForecastMethod::kPersistence);
  EXPECT_EQ(p.count, 3u);
  EXPECT_DOUBLE_EQ(p.rmse, std::sqrt(5.0 / 3));
  const MethodScores& t = method(lead1, ForecastMethod::kTrend);
  EXPECT_EQ(t.count, 2u);
  EXPECT_EQ(t.no_forecast, 1u);
  // Against persistence on A's two outcomes only (4 + 0), not on all three (4 + 0 + 1).
  EXPECT_EQ(t.skill_count, 2u);
  EXPECT_DOUBLE_EQ(t.rmse_skill, 1 - std::sqrt(5.0 / 4));
  const MethodScores& h = method(lead1, ForecastMethod::kHistoricalMean);
  EXPECT_EQ(h.skill_count, 3u);
  EXPECT_DOUBLE_EQ(h.rmse_skill, 1 - std::sqrt(25.0 / 5));
  EXPECT_DOUBLE_EQ(h.crps_skill, 1 - 7.0 / 3);

  const ScoreRow& total = rows[8];
  EXPECT_EQ(total.outcomes, 4u);
  EXPECT_EQ(total.missing, 1u);
  for (std::size_t m = 0; m < kForecastMethodCount; ++m) {
    EXPECT_EQ(total.methods[m].count, lead1.methods[m].count);
    EXPECT_EQ(total.methods[m].rmse, lead1.methods[m].rmse);
  }
  EXPECT_EQ(method(total, ForecastMethod::kEnsemble).no_forecast, 1u);
}

TEST(ForecastScoreTableInput, RejectsANegativeLeadAndIsEmptyForNoRecords) {
  EXPECT_TRUE(score_table({}).empty());
  EXPECT_THROW(score_table({record("x", "A", 2010, -1, 1, {1}, {1, 1, 1})}), std::invalid_argument);
}

TEST(ForecastScoreTableInput, UnsetBaselinesAreNoForecastNotAForecastOfZero) {
  ForecastRecord r;
  r.indicator = "x";
  r.country = "A";
  r.observed = 0;  // a forecast of 0 would be perfect
  r.members = {1, 2};
  ScoreRow row = score_table({r}).front();
  EXPECT_EQ(row[ForecastMethod::kEnsemble].count, 1u);
  for (ForecastMethod m :
       {ForecastMethod::kPersistence, ForecastMethod::kTrend, ForecastMethod::kHistoricalMean}) {
    EXPECT_EQ(row[m].count, 0u) << forecast_method_name(m);
    EXPECT_EQ(row[m].no_forecast, 1u) << forecast_method_name(m);
  }
}

}  // namespace
}  // namespace latwin::analysis
