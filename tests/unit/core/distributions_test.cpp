#include "core/distributions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <numbers>
#include <vector>

#include "core/random.hpp"

namespace latwin::dist {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// p grid covering both tails and the body.
std::vector<double> probability_grid() {
  std::vector<double> ps = {1e-12, 1e-9, 1e-6, 1e-4, 1e-3};
  for (int i = 1; i < 100; ++i) ps.push_back(i / 100.0);
  for (double t : {1e-3, 1e-4, 1e-6}) ps.push_back(1.0 - t);
  return ps;
}

// cdf(quantile(p)) == p: relative in the lower tail, absolute near 1 (where a double cannot
// resolve 1 - p better than about 1e-16).
void expect_cdf_inverts_quantile(const std::function<double(double)>& cdf,
                                 const std::function<double(double)>& quantile,
                                 double rel_tol) {
  for (double p : probability_grid()) {
    const double x = quantile(p);
    ASSERT_TRUE(std::isfinite(x)) << "p=" << p;
    EXPECT_NEAR(cdf(x), p, rel_tol * p + 1e-15) << "p=" << p << " x=" << x;
  }
}

// quantile(cdf(x)) == x on an x grid. The upper tail is skipped: there cdf(x) is 1 - tiny,
// so a double p cannot carry x to 1e-12 (that accuracy is checked by the bracket test).
void expect_quantile_inverts_cdf(const std::function<double(double)>& cdf,
                                 const std::function<double(double)>& quantile, double lo,
                                 double hi, double tol) {
  for (int i = 0; i <= 200; ++i) {
    const double x = lo + (hi - lo) * i / 200.0;
    const double p = cdf(x);
    if (p < 1e-12 || p > 1 - 1e-3) continue;
    EXPECT_NEAR(quantile(p), x, tol * std::max(1.0, std::fabs(x))) << "x=" << x;
  }
}

// The true quantile lies within tol * max(|x|, scale) of the returned x: cdf(x - d) <= p <=
// cdf(x + d). Unlike comparing cdf(x) with p, this holds where the CDF is steep (x cannot
// be closer than an ulp) and stays strict where it is flat.
void expect_quantile_within(const std::function<double(double)>& cdf,
                            const std::function<double(double)>& quantile, double scale,
                            double tol) {
  for (double p : probability_grid()) {
    const double x = quantile(p);
    const double d = tol * std::max(std::fabs(x), scale);
    const double slack = 1e-14 * p;  // rounding of the CDF itself
    EXPECT_LE(cdf(x - d), p + slack) << "p=" << p << " x=" << x;
    EXPECT_GE(cdf(x + d), p - slack) << "p=" << p << " x=" << x;
  }
}

TEST(Distributions, NormalQuantileKnownValue) {
  EXPECT_NEAR(normal_quantile(0.975, 0, 1), 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal_quantile(0.025, 0, 1), -1.959963984540054, 1e-12);
  EXPECT_EQ(normal_quantile(0.5, 0, 1), 0.0);
  EXPECT_NEAR(normal_quantile(0.975, 10, 2), 10 + 2 * 1.959963984540054, 1e-11);
  // Far tail (AS 241's third branch): Phi^-1(1e-20) = -9.262340089798408.
  EXPECT_NEAR(normal_quantile(1e-20, 0, 1), -9.262340089798408, 1e-12);
}

TEST(Distributions, NormalCdfKnownValues) {
  EXPECT_EQ(normal_cdf(0, 0, 1), 0.5);
  EXPECT_NEAR(normal_cdf(1.959963984540054, 0, 1), 0.975, 1e-15);
  EXPECT_NEAR(normal_cdf(-1, 0, 1), 0.15865525393145705, 1e-16);
  EXPECT_NEAR(normal_cdf(13, 10, 3), 0.8413447460685429, 1e-15);
  EXPECT_EQ(normal_cdf(-kInf, 0, 1), 0.0);
  EXPECT_EQ(normal_cdf(kInf, 0, 1), 1.0);
}

TEST(Distributions, NormalQuantileInvertsCdf) {
  auto cdf = [](double x) { return normal_cdf(x, 3, 2); };
  auto q = [](double p) { return normal_quantile(p, 3, 2); };
  expect_cdf_inverts_quantile(cdf, q, 1e-12);
  expect_quantile_inverts_cdf(cdf, q, -10, 16, 1e-12);
  expect_quantile_within(cdf, q, 2, 1e-12);
}

TEST(Distributions, NormalQuantileEdgesAreInfinite) {
  EXPECT_EQ(normal_quantile(0, 0, 1), -kInf);
  EXPECT_EQ(normal_quantile(-0.5, 0, 1), -kInf);
  EXPECT_EQ(normal_quantile(1, 0, 1), kInf);
  EXPECT_EQ(normal_quantile(2, 0, 1), kInf);
  EXPECT_TRUE(std::isnan(normal_quantile(kNaN, 0, 1)));
}

TEST(Distributions, NormalWithNonPositiveSdIsNaN) {
  EXPECT_TRUE(std::isnan(normal_cdf(0, 0, 0)));
  EXPECT_TRUE(std::isnan(normal_cdf(0, 0, -1)));
  EXPECT_TRUE(std::isnan(normal_quantile(0.5, 0, 0)));
  EXPECT_TRUE(std::isnan(normal_quantile(0.5, 0, -1)));
  EXPECT_TRUE(std::isnan(normal_quantile(0.5, 0, kNaN)));
  EXPECT_TRUE(std::isnan(normal_cdf(kNaN, 0, 1)));
}

TEST(Distributions, LognormalMedianIsExpMu) {
  EXPECT_NEAR(lognormal_quantile(0.5, 1.5, 0.7), std::exp(1.5), 1e-13);
  EXPECT_NEAR(lognormal_cdf(std::exp(1.5), 1.5, 0.7), 0.5, 1e-15);
  EXPECT_EQ(lognormal_cdf(0, 0, 1), 0.0);
  EXPECT_EQ(lognormal_cdf(-3, 0, 1), 0.0);
  EXPECT_EQ(lognormal_quantile(0, 0, 1), 0.0);
  EXPECT_EQ(lognormal_quantile(1, 0, 1), kInf);
}

TEST(Distributions, LognormalQuantileInvertsCdf) {
  auto cdf = [](double x) { return lognormal_cdf(x, 0.5, 0.8); };
  auto q = [](double p) { return lognormal_quantile(p, 0.5, 0.8); };
  expect_cdf_inverts_quantile(cdf, q, 1e-12);
  expect_quantile_inverts_cdf(cdf, q, 0.01, 40, 1e-12);
  expect_quantile_within(cdf, q, 0, 1e-12);
}

TEST(Distributions, LognormalWithNonPositiveSigmaIsNaN) {
  EXPECT_TRUE(std::isnan(lognormal_cdf(1, 0, 0)));
  EXPECT_TRUE(std::isnan(lognormal_cdf(1, 0, -2)));
  EXPECT_TRUE(std::isnan(lognormal_quantile(0.5, 0, 0)));
  EXPECT_TRUE(std::isnan(lognormal_quantile(0.5, 0, -2)));
  EXPECT_TRUE(std::isnan(lognormal_quantile(kNaN, 0, 1)));
}

TEST(Distributions, UniformClosedForm) {
  EXPECT_EQ(uniform_cdf(1.5, -2, 5), 0.5);
  EXPECT_EQ(uniform_cdf(-3, -2, 5), 0.0);
  EXPECT_EQ(uniform_cdf(6, -2, 5), 1.0);
  EXPECT_EQ(uniform_quantile(0.5, -2, 5), 1.5);
  EXPECT_EQ(uniform_quantile(0, -2, 5), -2.0);
  EXPECT_EQ(uniform_quantile(1, -2, 5), 5.0);
}

TEST(Distributions, UniformQuantileInvertsCdf) {
  auto cdf = [](double x) { return uniform_cdf(x, -2, 5); };
  auto q = [](double p) { return uniform_quantile(p, -2, 5); };
  expect_cdf_inverts_quantile(cdf, q, 1e-12);
  expect_quantile_inverts_cdf(cdf, q, -2, 5, 1e-14);
  expect_quantile_within(cdf, q, 7, 1e-12);
}

TEST(Distributions, UniformPointMassWhenLowEqualsHigh) {
  EXPECT_EQ(uniform_quantile(0.3, 4, 4), 4.0);
  EXPECT_EQ(uniform_cdf(3.9, 4, 4), 0.0);
  EXPECT_EQ(uniform_cdf(4, 4, 4), 1.0);
}

TEST(Distributions, UniformWithHighBelowLowIsNaN) {
  EXPECT_TRUE(std::isnan(uniform_cdf(0, 1, 0)));
  EXPECT_TRUE(std::isnan(uniform_quantile(0.5, 1, 0)));
  EXPECT_TRUE(std::isnan(uniform_quantile(kNaN, 0, 1)));
  EXPECT_TRUE(std::isnan(uniform_quantile(0.5, 0, kInf)));
}

TEST(Distributions, TriangularCdfAtModeIsModeFraction) {
  EXPECT_NEAR(triangular_cdf(2, 1, 2, 5), (2.0 - 1.0) / (5.0 - 1.0), 1e-15);
  EXPECT_NEAR(triangular_cdf(4, -1, 4, 5), 5.0 / 6.0, 1e-15);
  EXPECT_NEAR(triangular_quantile(0.25, 1, 2, 5), 2.0, 1e-15);
  EXPECT_EQ(triangular_cdf(0, 1, 2, 5), 0.0);
  EXPECT_EQ(triangular_cdf(5, 1, 2, 5), 1.0);
}

TEST(Distributions, TriangularQuantileInvertsCdf) {
  struct Shape { double low, mode, high; };
  for (Shape s : {Shape{1, 2, 5}, Shape{1, 1, 5}, Shape{1, 5, 5}, Shape{-3, 0, 3}}) {
    SCOPED_TRACE(testing::Message() << s.low << "," << s.mode << "," << s.high);
    auto cdf = [s](double x) { return triangular_cdf(x, s.low, s.mode, s.high); };
    auto q = [s](double p) { return triangular_quantile(p, s.low, s.mode, s.high); };
    expect_cdf_inverts_quantile(cdf, q, 1e-12);
    expect_quantile_inverts_cdf(cdf, q, s.low, s.high, 1e-12);
    expect_quantile_within(cdf, q, s.high - s.low, 1e-12);
  }
}

TEST(Distributions, TriangularWithInvalidParametersIsNaN) {
  EXPECT_TRUE(std::isnan(triangular_cdf(1, 1, 6, 5)));    // mode above high
  EXPECT_TRUE(std::isnan(triangular_cdf(1, 1, 0, 5)));    // mode below low
  EXPECT_TRUE(std::isnan(triangular_cdf(1, 5, 3, 1)));    // high below low
  EXPECT_TRUE(std::isnan(triangular_quantile(0.5, 1, 6, 5)));
  EXPECT_TRUE(std::isnan(triangular_quantile(0.5, 5, 3, 1)));
  EXPECT_TRUE(std::isnan(triangular_quantile(kNaN, 1, 2, 5)));
  EXPECT_TRUE(std::isnan(triangular_quantile(0.5, 1, kNaN, 5)));
}

TEST(Distributions, BetaCdfKnownValues) {
  EXPECT_NEAR(beta_cdf(0.5, 2, 3), 0.6875, 1e-12);
  EXPECT_NEAR(beta_cdf(0.3, 0.5, 0.5), 2 / std::numbers::pi * std::asin(std::sqrt(0.3)), 1e-12);
  EXPECT_NEAR(beta_cdf(0.8, 0.5, 0.5), 2 / std::numbers::pi * std::asin(std::sqrt(0.8)), 1e-12);
  EXPECT_NEAR(beta_cdf(0.37, 1, 1), 0.37, 1e-14);
  EXPECT_NEAR(beta_cdf(0.6, 3.5, 1), std::pow(0.6, 3.5), 1e-13);  // Beta(a, 1): x^a
  EXPECT_NEAR(beta_cdf(0.6, 1, 2.5), 1 - std::pow(0.4, 2.5), 1e-13);
  EXPECT_EQ(beta_cdf(0, 2, 3), 0.0);
  EXPECT_EQ(beta_cdf(-1, 2, 3), 0.0);
  EXPECT_EQ(beta_cdf(1, 2, 3), 1.0);
}

TEST(Distributions, BetaQuantileInvertsCdf) {
  struct Shape { double a, b; };
  for (Shape s : {Shape{0.5, 0.5}, Shape{2, 3}, Shape{0.3, 4}, Shape{5, 1.2}, Shape{1, 1},
                  Shape{50, 80}, Shape{0.05, 0.05}, Shape{400, 2}}) {
    SCOPED_TRACE(testing::Message() << "a=" << s.a << " b=" << s.b);
    auto cdf = [s](double x) { return beta_cdf(x, s.a, s.b); };
    auto q = [s](double p) { return beta_quantile(p, s.a, s.b); };
    // Relative in x: lower-tail quantiles of small shapes are far below 1e-12.
    expect_quantile_within(cdf, q, 0, 1e-12);
    expect_quantile_inverts_cdf(cdf, q, 0.001, 0.999, 1e-12);
  }
}

TEST(Distributions, BetaQuantileKnownValues) {
  EXPECT_NEAR(beta_quantile(0.6875, 2, 3), 0.5, 1e-12);
  EXPECT_NEAR(beta_quantile(0.5, 2, 2), 0.5, 1e-12);
  EXPECT_NEAR(beta_quantile(0.3, 3.5, 1), std::pow(0.3, 1 / 3.5), 1e-12);
  EXPECT_EQ(beta_quantile(0, 2, 3), 0.0);
  EXPECT_EQ(beta_quantile(1, 2, 3), 1.0);
  // Beta(a, 1) has quantile p^(1/a): a deep lower tail, 1e-200, reached through log-space
  // bisection, to 1e-12 relative.
  EXPECT_NEAR(beta_quantile(1e-10, 0.05, 1), 1e-200, 1e-212);
  EXPECT_NEAR(beta_quantile(1e-10, 0.5, 0.5), std::pow(std::sin(1e-10 * std::numbers::pi / 2), 2),
              1e-12 * 2.4674011002723395e-20);
}

TEST(Distributions, BetaWithNonPositiveShapeIsNaN) {
  EXPECT_TRUE(std::isnan(beta_cdf(0.5, 0, 1)));
  EXPECT_TRUE(std::isnan(beta_cdf(0.5, 1, -2)));
  EXPECT_TRUE(std::isnan(beta_quantile(0.5, 0, 1)));
  EXPECT_TRUE(std::isnan(beta_quantile(0.5, -1, 1)));
  EXPECT_TRUE(std::isnan(beta_quantile(0.5, 1, kNaN)));
  EXPECT_TRUE(std::isnan(beta_quantile(0.5, kInf, 1)));
  EXPECT_TRUE(std::isnan(beta_quantile(kNaN, 2, 3)));
  EXPECT_TRUE(std::isnan(beta_cdf(kNaN, 2, 3)));
}

TEST(Distributions, BetaQuantileTerminatesOnExtremeShapes) {
  // Shapes far apart put the mean starting guess next to a bound; the bracket must still
  // converge within the iteration budget to a value in [0, 1].
  for (double a : {1e-3, 1e3, 1e6}) {
    for (double b : {1e-3, 1e3, 1e6}) {
      for (double p : {1e-10, 0.5, 1 - 1e-10}) {
        const double x = beta_quantile(p, a, b);
        EXPECT_GE(x, 0.0) << a << " " << b << " " << p;
        EXPECT_LE(x, 1.0) << a << " " << b << " " << p;
      }
    }
  }
}

DrawKey member_key(std::uint32_t member) {
  DrawKey key;
  key.seed = 20240611;
  key.member = member;
  key.stream = 3;
  return key;
}

struct SampleMoments {
  double mean = 0, variance = 0;
};

SampleMoments poisson_moments(double lambda, std::uint32_t draws) {
  double sum = 0, sum_sq = 0;
  for (std::uint32_t i = 0; i < draws; ++i) {
    UniformStream stream(member_key(i));
    const double k = poisson_sample(lambda, stream);
    sum += k;
    sum_sq += k * k;
  }
  SampleMoments m;
  m.mean = sum / draws;
  m.variance = (sum_sq - sum * m.mean) / (draws - 1);
  return m;
}

TEST(Distributions, PoissonSampleMeanAndVarianceMatchLambda) {
  // Covers both inversion (lambda < 10) and PTRS (lambda >= 10). With 200000 draws, 1% is
  // 2.2 to 3.2 standard errors of the sample variance; the draws are fixed by the keys.
  for (double lambda : {0.5, 3.0, 25.0, 400.0}) {
    SCOPED_TRACE(testing::Message() << "lambda=" << lambda);
    const SampleMoments m = poisson_moments(lambda, 200000);
    EXPECT_NEAR(m.mean, lambda, 0.01 * lambda);
    EXPECT_NEAR(m.variance, lambda, 0.01 * lambda);
  }
}

TEST(Distributions, PoissonSmallLambdaZeroFrequencyMatchesPmf) {
  const double lambda = 0.5;
  const std::uint32_t draws = 200000;
  std::uint32_t zeros = 0;
  for (std::uint32_t i = 0; i < draws; ++i) {
    UniformStream stream(member_key(i));
    if (poisson_sample(lambda, stream) == 0) ++zeros;
  }
  EXPECT_NEAR(static_cast<double>(zeros) / draws, std::exp(-lambda), 0.005);
}

TEST(Distributions, PoissonSamplesAreNonNegativeIntegers) {
  for (double lambda : {0.01, 1.0, 9.999, 10.0, 1e4, 1e9}) {
    for (std::uint32_t i = 0; i < 2000; ++i) {
      UniformStream stream(member_key(i));
      const double k = poisson_sample(lambda, stream);
      ASSERT_GE(k, 0.0) << lambda;
      ASSERT_EQ(k, std::floor(k)) << lambda;
    }
  }
}

TEST(Distributions, PoissonSpecialLambdas) {
  UniformStream stream(member_key(0));
  EXPECT_EQ(poisson_sample(0, stream), 0.0);
  EXPECT_TRUE(std::isnan(poisson_sample(-1, stream)));
  EXPECT_TRUE(std::isnan(poisson_sample(kInf, stream)));
  EXPECT_TRUE(std::isnan(poisson_sample(kNaN, stream)));
}

TEST(Distributions, PoissonSameKeyGivesSameValue) {
  for (double lambda : {0.7, 4.0, 37.0, 1234.5}) {
    for (std::uint32_t i = 0; i < 200; ++i) {
      UniformStream a(member_key(i));
      UniformStream b(member_key(i));
      EXPECT_EQ(poisson_sample(lambda, a), poisson_sample(lambda, b));
    }
  }
}

TEST(Distributions, StandardNormalHasUnitMoments) {
  const std::uint32_t draws = 100000;
  double sum = 0, sum_sq = 0;
  for (std::uint32_t i = 0; i < draws; ++i) {
    UniformStream stream(member_key(i));
    const double z = standard_normal(stream);
    sum += z;
    sum_sq += z * z;
  }
  const double mean = sum / draws;
  EXPECT_NEAR(mean, 0.0, 0.015);
  EXPECT_NEAR((sum_sq - sum * mean) / (draws - 1), 1.0, 0.02);
}

TEST(Distributions, StandardNormalIsQuantileOfNextUniform) {
  UniformStream a(member_key(9));
  UniformStream b(member_key(9));
  EXPECT_EQ(standard_normal(a), normal_quantile(b.next(), 0, 1));
  EXPECT_EQ(standard_normal(a), normal_quantile(b.next(), 0, 1));
}

}  // namespace
}  // namespace latwin::dist

namespace latwin {
namespace {

DrawKey key_for(std::uint32_t member) {
  DrawKey key;
  key.seed = 0x123456789abcdefULL;
  key.member = member;
  key.stream = 11;
  key.element = 2;
  key.step = 5;
  return key;
}

TEST(UniformStream, WordsToUnitStaysInsideOpenInterval) {
  // The extreme words: a 0 or 1 here would make quantile functions return infinities.
  EXPECT_GT(words_to_unit(0, 0), 0.0);
  EXPECT_LT(words_to_unit(0xFFFFFFFFu, 0xFFFFFFFFu), 1.0);
  EXPECT_LT(words_to_unit(0xFFFFFFFFu, 0xFFFFF800u), 1.0);
}

TEST(UniformStream, ValuesAreInsideOpenIntervalWithMeanOneHalf) {
  UniformStream stream(key_for(0));
  const int draws = 100000;
  double sum = 0;
  for (int i = 0; i < draws; ++i) {
    const double u = stream.next();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // Standard error of the mean is 0.29 / sqrt(1e5) = 0.0009.
  EXPECT_NEAR(sum / draws, 0.5, 0.005);
}

TEST(UniformStream, SameKeyGivesSameSequence) {
  UniformStream a(key_for(4));
  UniformStream b(key_for(4));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next()) << i;
}

TEST(UniformStream, DifferentMemberGivesDifferentValues) {
  UniformStream a(key_for(4));
  UniformStream b(key_for(5));
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a.next() == b.next() ? 1 : 0;
  EXPECT_EQ(equal, 0);
}

TEST(UniformStream, EveryKeyFieldChangesTheDraw) {
  const double base = UniformStream(key_for(0)).next();
  DrawKey k = key_for(0);
  k.seed ^= std::uint64_t{1} << 40;
  EXPECT_NE(UniformStream(k).next(), base);
  k = key_for(0);
  k.seed ^= 1;
  EXPECT_NE(UniformStream(k).next(), base);
  k = key_for(0);
  k.stream += 1;
  EXPECT_NE(UniformStream(k).next(), base);
  k = key_for(0);
  k.element += 1;
  EXPECT_NE(UniformStream(k).next(), base);
  k = key_for(0);
  k.step += 1;
  EXPECT_NE(UniformStream(k).next(), base);
}

}  // namespace
}  // namespace latwin
