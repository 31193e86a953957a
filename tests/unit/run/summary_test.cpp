#include "engine/run/summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/distributions.hpp"
#include "core/random.hpp"

namespace latwin::engine {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

QuantileSketch sketch_of(const std::vector<double>& values) {
  QuantileSketch s;
  for (double v : values) s.add(v);
  return s;
}

TEST(QuantileSketch, ExactQuantilesMatchNumpyType7) {
  QuantileSketch s = sketch_of({4, 1, 3, 2});
  EXPECT_TRUE(s.exact());
  EXPECT_DOUBLE_EQ(s.quantile(0.25), 1.75);
  EXPECT_DOUBLE_EQ(s.quantile(0.5), 2.5);
  EXPECT_DOUBLE_EQ(s.quantile(0.75), 3.25);
  EXPECT_EQ(s.quantile(0), 1.0);
  EXPECT_EQ(s.quantile(1), 4.0);

  // numpy.percentile([10, 20, 30, 40, 50], [10, 95]) == [14, 48]
  QuantileSketch t = sketch_of({50, 10, 40, 20, 30});
  EXPECT_DOUBLE_EQ(t.quantile(0.10), 14.0);
  EXPECT_DOUBLE_EQ(t.quantile(0.95), 48.0);

  // numpy.percentile(range(1, 11), [5, 95]) == [1.45, 9.55]
  QuantileSketch u = sketch_of({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  EXPECT_DOUBLE_EQ(u.quantile(0.05), 1.45);
  EXPECT_DOUBLE_EQ(u.quantile(0.95), 9.55);
}

TEST(QuantileSketch, SingleValueIsEveryQuantile) {
  QuantileSketch s = sketch_of({7.5});
  EXPECT_EQ(s.quantile(0), 7.5);
  EXPECT_EQ(s.quantile(0.3), 7.5);
  EXPECT_EQ(s.quantile(1), 7.5);
}

TEST(QuantileSketch, EmptyIsNaN) {
  QuantileSketch s;
  EXPECT_TRUE(std::isnan(s.quantile(0.5)));
  EXPECT_EQ(s.count(), 0u);
}

TEST(QuantileSketch, NaNIsIgnored) {
  QuantileSketch s = sketch_of({kNaN, 1, kNaN, 2, 3, 4, kNaN});
  EXPECT_EQ(s.count(), 4u);
  EXPECT_DOUBLE_EQ(s.quantile(0.25), 1.75);
  QuantileSketch only_nan = sketch_of({kNaN, kNaN});
  EXPECT_EQ(only_nan.count(), 0u);
  EXPECT_TRUE(std::isnan(only_nan.quantile(0.5)));
}

TEST(QuantileSketch, QuantileClampsProbability) {
  QuantileSketch s = sketch_of({1, 2, 3});
  EXPECT_EQ(s.quantile(-0.5), 1.0);
  EXPECT_EQ(s.quantile(1.5), 3.0);
  EXPECT_TRUE(std::isnan(s.quantile(kNaN)));
}

TEST(QuantileSketch, StaysExactUpToExactCapacity) {
  QuantileSketch s;
  for (std::size_t i = 0; i < QuantileSketch::kExactCapacity; ++i) s.add(static_cast<double>(i));
  EXPECT_TRUE(s.exact());
  EXPECT_DOUBLE_EQ(s.quantile(0.5), (QuantileSketch::kExactCapacity - 1) / 2.0);
  s.add(1000);
  EXPECT_FALSE(s.exact());
  EXPECT_EQ(s.count(), QuantileSketch::kExactCapacity + 1);
}

// Fraction of the data at or below v.
double empirical_rank(const std::vector<double>& sorted, double v) {
  const auto it = std::upper_bound(sorted.begin(), sorted.end(), v);
  return static_cast<double>(it - sorted.begin()) / static_cast<double>(sorted.size());
}

void expect_rank_error_below(const std::vector<double>& data, double max_error) {
  QuantileSketch s = sketch_of(data);
  ASSERT_FALSE(s.exact());
  std::vector<double> sorted = data;
  std::sort(sorted.begin(), sorted.end());
  for (double q : {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95}) {
    const double rank = empirical_rank(sorted, s.quantile(q));
    EXPECT_LT(std::fabs(rank - q), max_error) << "q=" << q;
  }
}

std::vector<double> uniform_data(std::size_t n, std::uint32_t stream_id) {
  DrawKey key;
  key.seed = 77;
  key.stream = stream_id;
  UniformStream stream(key);
  std::vector<double> data(n);
  for (double& v : data) v = stream.next();
  return data;
}

TEST(QuantileSketch, UniformDataRankErrorBelowTwoPercent) {
  expect_rank_error_below(uniform_data(16384, 1), 0.02);
}

TEST(QuantileSketch, NormalDataRankErrorBelowTwoPercent) {
  std::vector<double> data = uniform_data(16384, 2);
  for (double& v : data) v = dist::normal_quantile(v, 100, 15);
  expect_rank_error_below(data, 0.02);
}

TEST(QuantileSketch, SortedInputRankErrorBelowTwoPercent) {
  // Ascending and descending input are the adversarial orders for compacting sketches.
  std::vector<double> data = uniform_data(16384, 3);
  std::sort(data.begin(), data.end());
  expect_rank_error_below(data, 0.02);
  std::reverse(data.begin(), data.end());
  expect_rank_error_below(data, 0.02);
}

TEST(QuantileSketch, MemoryStaysBoundedAfterAMillionValues) {
  QuantileSketch s;
  DrawKey key;
  key.seed = 5;
  UniformStream stream(key);
  for (int i = 0; i < 1000000; ++i) s.add(stream.next());
  EXPECT_EQ(s.count(), 1000000u);
  EXPECT_LT(s.stored(), 2000u);
  // Still a useful estimate at this size.
  EXPECT_NEAR(s.quantile(0.5), 0.5, 0.02);
}

TEST(QuantileSketch, SameSequenceGivesBitwiseEqualQuantiles) {
  std::vector<double> data = uniform_data(50000, 4);
  QuantileSketch a = sketch_of(data);
  QuantileSketch b = sketch_of(data);
  for (double q : {0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0}) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.quantile(q)),
              std::bit_cast<std::uint64_t>(b.quantile(q)))
        << "q=" << q;
  }
}

TEST(RunningMoments, MatchesTwoPassMeanAndVariance) {
  // Mean / sd of about 3000: the naive sum-of-squares formula loses about 1e-9 relative
  // here (ratio^2 * eps), Welford about 1e-14.
  std::vector<double> data = uniform_data(10000, 5);
  for (double& v : data) v = 1e4 + dist::normal_quantile(v, 0, 3);
  RunningMoments m;
  for (double v : data) m.add(v);
  double mean = 0;
  for (double v : data) mean += v;
  mean /= static_cast<double>(data.size());
  double ss = 0;
  for (double v : data) ss += (v - mean) * (v - mean);
  const double variance = ss / static_cast<double>(data.size() - 1);
  EXPECT_EQ(m.count, data.size());
  EXPECT_NEAR(m.mean, mean, 1e-12 * std::fabs(mean));
  EXPECT_NEAR(m.variance(), variance, 1e-12 * variance);
}

TEST(RunningMoments, VarianceIsNaNBelowTwoValues) {
  RunningMoments m;
  EXPECT_TRUE(std::isnan(m.variance()));
  m.add(3);
  EXPECT_TRUE(std::isnan(m.variance()));
  m.add(5);
  EXPECT_DOUBLE_EQ(m.variance(), 2.0);
}

TEST(SummaryAccumulator, CountsNonFiniteValuesSeparately) {
  SummaryAccumulator acc(2);
  for (double v : {1.0, kNaN, 2.0, kInf, 3.0, -kInf, 4.0}) acc.add(0, v);
  const CellSummary c = acc.summary(0);
  EXPECT_EQ(c.count, 4u);
  EXPECT_EQ(c.non_finite, 3u);
  EXPECT_DOUBLE_EQ(c.mean, 2.5);
  EXPECT_DOUBLE_EQ(c.sd, std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(c.p5, 1.15);
  EXPECT_DOUBLE_EQ(c.p25, 1.75);
  EXPECT_DOUBLE_EQ(c.p50, 2.5);
  EXPECT_DOUBLE_EQ(c.p75, 3.25);
  EXPECT_DOUBLE_EQ(c.p95, 3.85);
}

TEST(SummaryAccumulator, CellsAreIndependent) {
  SummaryAccumulator acc(3);
  EXPECT_EQ(acc.cell_count(), 3u);
  acc.add(0, 10);
  acc.add(2, 20);
  acc.add(2, 30);
  EXPECT_EQ(acc.summary(0).count, 1u);
  EXPECT_EQ(acc.summary(1).count, 0u);
  EXPECT_EQ(acc.summary(2).count, 2u);
  EXPECT_DOUBLE_EQ(acc.summary(2).mean, 25.0);
}

TEST(SummaryAccumulator, SdIsNaNBelowTwoAndQuantilesNaNWhenEmpty) {
  SummaryAccumulator acc(2);
  acc.add(0, 42);
  acc.add(1, kNaN);
  const CellSummary one = acc.summary(0);
  EXPECT_EQ(one.mean, 42.0);
  EXPECT_TRUE(std::isnan(one.sd));
  EXPECT_EQ(one.p5, 42.0);
  EXPECT_EQ(one.p95, 42.0);
  const CellSummary none = acc.summary(1);
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.non_finite, 1u);
  EXPECT_TRUE(std::isnan(none.mean));
  EXPECT_TRUE(std::isnan(none.sd));
  EXPECT_TRUE(std::isnan(none.p5));
  EXPECT_TRUE(std::isnan(none.p50));
  EXPECT_TRUE(std::isnan(none.p95));
}

}  // namespace
}  // namespace latwin::engine
