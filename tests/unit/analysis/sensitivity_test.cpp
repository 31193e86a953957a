// Sensitivity designs and estimators: the designs' defining properties (strata, nets,
// discrepancy, Morris grid steps), Sobol' indices of the Ishigami function against their
// analytic values, Morris screening of a function of known structure, and properties of
// the indices on random additive functions (rapidcheck).
#include "analysis/sensitivity.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "core/random.hpp"

namespace latwin::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = std::numbers::pi;

// The model outputs at every point of a design.
std::vector<double> evaluate(const Design& design, const std::function<double(const double*)>& f) {
  std::vector<double> y(design.size());
  for (std::size_t i = 0; i < design.size(); ++i) y[i] = f(&design.points[i * design.dims]);
  return y;
}

// The L2-star discrepancy squared of a point set (Warnock 1972): the mean squared difference,
// over boxes [0, t), between the share of points in the box and its volume.
double l2_star_discrepancy_squared(const Design& design) {
  const std::size_t n = design.size(), d = design.dims;
  double single = 0, pairs = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double product = 1;
    for (std::size_t k = 0; k < d; ++k) product *= 1 - design.at(i, k) * design.at(i, k);
    single += product;
    for (std::size_t l = 0; l < n; ++l) {
      double p = 1;
      for (std::size_t k = 0; k < d; ++k) p *= 1 - std::max(design.at(i, k), design.at(l, k));
      pairs += p;
    }
  }
  const auto count = static_cast<double>(n);
  return std::pow(3.0, -static_cast<double>(d)) -
         std::pow(2.0, 1 - static_cast<double>(d)) / count * single + pairs / (count * count);
}

// ---- Latin hypercube

TEST(LatinHypercube, HasOnePointInEachStratumOfEveryDimension) {
  const std::size_t n = 97, dims = 5;
  const Design design = latin_hypercube(n, dims, 11);
  ASSERT_EQ(design.size(), n);
  ASSERT_EQ(design.dims, dims);
  for (std::size_t j = 0; j < dims; ++j) {
    std::vector<int> hits(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const double x = design.at(i, j);
      ASSERT_GT(x, 0.0);
      ASSERT_LT(x, 1.0);
      ++hits[static_cast<std::size_t>(x * static_cast<double>(n))];
    }
    for (std::size_t k = 0; k < n; ++k)
      EXPECT_EQ(hits[k], 1) << "dimension " << j << " stratum " << k;
  }
}

TEST(LatinHypercube, SameSeedSameDesignOtherSeedDifferent) {
  EXPECT_EQ(latin_hypercube(50, 3, 7).points, latin_hypercube(50, 3, 7).points);
  EXPECT_NE(latin_hypercube(50, 3, 7).points, latin_hypercube(50, 3, 8).points);
}

TEST(LatinHypercube, RejectsAnEmptyDesign) {
  EXPECT_THROW(latin_hypercube(0, 3, 1), std::invalid_argument);
  EXPECT_THROW(latin_hypercube(10, 0, 1), std::invalid_argument);
}

// ---- Sobol' sequence

TEST(SobolSequence, PointsAreInsideTheUnitCubeAndBalancedInSixtyFourDimensions) {
  // n = 2^10 scrambled Sobol' points: every coordinate has exactly one point in each
  // interval [k/n, (k+1)/n), so its mean is within 1/(2n) of 1/2.
  const std::size_t n = 1024, dims = 64;
  const Design design = sobol_sequence(n, dims, 3);
  ASSERT_EQ(design.size(), n);
  for (std::size_t j = 0; j < dims; ++j) {
    std::vector<int> hits(n, 0);
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double x = design.at(i, j);
      ASSERT_GT(x, 0.0);
      ASSERT_LT(x, 1.0);
      ++hits[static_cast<std::size_t>(x * static_cast<double>(n))];
      sum += x;
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }))
        << "dimension " << j;
    EXPECT_NEAR(sum / static_cast<double>(n), 0.5, 0.5 / static_cast<double>(n));
  }
}

TEST(SobolSequence, FirstTwoCoordinatesFormAZeroTNet) {
  // The first two Sobol' coordinates are a (0, m, 2)-net in base 2, and Owen scrambling keeps
  // that: each box of 2^a by 2^(m-a) equal parts holds exactly one of the first 2^m points.
  const std::size_t m = 8, n = std::size_t{1} << m;
  const Design design = sobol_sequence(n, 2, 99);
  for (std::size_t a = 0; a <= m; ++a) {
    const std::size_t cols = std::size_t{1} << a, rows = n / cols;
    std::vector<int> hits(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto col = static_cast<std::size_t>(design.at(i, 0) * static_cast<double>(cols));
      const auto row = static_cast<std::size_t>(design.at(i, 1) * static_cast<double>(rows));
      ++hits[col * rows + row];
    }
    EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }))
        << cols << " x " << rows << " boxes";
  }
}

TEST(SobolSequence, HasLowerDiscrepancyThanRandomPoints) {
  const std::size_t n = 256, dims = 4;
  const double sobol = l2_star_discrepancy_squared(sobol_sequence(n, dims, 5));
  Design random{dims, std::vector<double>(n * dims)};
  UniformStream stream(DrawKey{5, 0, 0, 0, 0});
  for (double& x : random.points) x = stream.next();
  const double independent = l2_star_discrepancy_squared(random);
  // Expected value for independent uniform points: (2^-d - 3^-d) / n.
  const double expected = (std::pow(2.0, -4.0) - std::pow(3.0, -4.0)) / static_cast<double>(n);
  EXPECT_LT(sobol, 0.25 * expected);  // about 0.11 here, at most 0.13 over 200 seeds
  EXPECT_LT(sobol, 0.25 * independent);
}

TEST(SobolSequence, SameSeedSameDesignOtherSeedDifferent) {
  EXPECT_EQ(sobol_sequence(64, 5, 1).points, sobol_sequence(64, 5, 1).points);
  EXPECT_NE(sobol_sequence(64, 5, 1).points, sobol_sequence(64, 5, 2).points);
  // A longer sequence starts with the shorter one.
  const Design shorter = sobol_sequence(16, 3, 4), longer = sobol_sequence(32, 3, 4);
  EXPECT_TRUE(std::equal(shorter.points.begin(), shorter.points.end(), longer.points.begin()));
}

TEST(SobolSequence, RejectsSizesItCannotServe) {
  EXPECT_THROW(sobol_sequence(0, 2, 1), std::invalid_argument);
  EXPECT_THROW(sobol_sequence(8, 0, 1), std::invalid_argument);
  EXPECT_THROW(sobol_sequence(8, kMaxSobolDims + 1, 1), std::invalid_argument);
  EXPECT_NO_THROW(sobol_sequence(2, kMaxSobolDims, 1));
}

// ---- Saltelli design

TEST(SaltelliDesign, RowsFollowTheDocumentedOrder) {
  const std::size_t base = 16, dims = 3;
  const SaltelliDesign design = saltelli_design(base, dims, 21);
  ASSERT_EQ(design.points.size(), base * (dims + 2));
  ASSERT_EQ(design.points.dims, dims);
  // A and B are the first and last dims columns of a 2 x dims Sobol' sequence.
  const Design sobol = sobol_sequence(base, 2 * dims, 21);
  for (std::size_t i = 0; i < base; ++i) {
    EXPECT_EQ(design.a_row(i), i * (dims + 2));
    for (std::size_t k = 0; k < dims; ++k) {
      EXPECT_EQ(design.points.at(design.a_row(i), k), sobol.at(i, k));
      EXPECT_EQ(design.points.at(design.b_row(i), k), sobol.at(i, dims + k));
      for (std::size_t j = 0; j < dims; ++j) {
        const std::size_t from = k == j ? design.b_row(i) : design.a_row(i);
        EXPECT_EQ(design.points.at(design.ab_row(i, j), k), design.points.at(from, k));
      }
    }
  }
}

TEST(SaltelliDesign, LargerDesignStartsWithTheSmallerOne) {
  // Doubling N with the same seed keeps the runs already made.
  const SaltelliDesign small = saltelli_design(16, 4, 3), large = saltelli_design(32, 4, 3);
  EXPECT_TRUE(std::equal(small.points.points.begin(), small.points.points.end(),
                         large.points.points.begin()));
}

TEST(SaltelliDesign, RejectsTooFewRowsOrFactors) {
  EXPECT_THROW(saltelli_design(1, 3, 1), std::invalid_argument);
  EXPECT_THROW(saltelli_design(8, 0, 1), std::invalid_argument);
  EXPECT_THROW(saltelli_design(8, kMaxSobolDims / 2 + 1, 1), std::invalid_argument);
}

// ---- Sobol' indices

// Ishigami and Homma (1990) with a = 7, b = 0.1, inputs mapped from [0, 1) to [-pi, pi).
double ishigami(const double* u) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

TEST(SobolIndices, IshigamiMatchesTheAnalyticIndices) {
  // Partial variances from the function's ANOVA decomposition (Homma and Saltelli 1996):
  // S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
  const double a = 7, b = 0.1, pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
  const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5), v2 = a * a / 8,
               v13 = 8 * b * b * pi8 / 225, v = v1 + v2 + v13;
  const double first[] = {v1 / v, v2 / v, 0};
  const double total[] = {(v1 + v13) / v, v2 / v, v13 / v};
  ASSERT_NEAR(first[0], 0.3139, 1e-4);
  ASSERT_NEAR(total[2], 0.2437, 1e-4);

  // N = 2^13 base rows: 40960 evaluations; 1000 bootstrap resamples.
  const SaltelliDesign design = saltelli_design(8192, 3, 2024);
  const std::vector<SobolIndex> indices =
      sobol_indices(design, evaluate(design.points, ishigami), 1000, 7);
  ASSERT_EQ(indices.size(), 3u);
  for (std::size_t j = 0; j < 3; ++j) {
    const SobolIndex& s = indices[j];
    SCOPED_TRACE(testing::Message() << "factor " << j << ": S " << s.first << " [" << s.first_low
                                    << ", " << s.first_high << "], ST " << s.total << " ["
                                    << s.total_low << ", " << s.total_high << "]");
    EXPECT_EQ(s.base_rows, 8192u);
    EXPECT_NEAR(s.first, first[j], 0.03);
    EXPECT_NEAR(s.total, total[j], 0.03);
    EXPECT_LE(s.first_low, first[j]);
    EXPECT_GE(s.first_high, first[j]);
    EXPECT_LE(s.total_low, total[j]);
    EXPECT_GE(s.total_high, total[j]);
  }
}

TEST(SobolIndices, SameSeedSameIntervals) {
  const SaltelliDesign design = saltelli_design(256, 3, 1);
  const std::vector<double> y = evaluate(design.points, ishigami);
  const auto one = sobol_indices(design, y, 200, 5), two = sobol_indices(design, y, 200, 5),
             other = sobol_indices(design, y, 200, 6);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_EQ(one[j].first, two[j].first);
    EXPECT_EQ(one[j].first_low, two[j].first_low);
    EXPECT_EQ(one[j].total_high, two[j].total_high);
    EXPECT_EQ(one[j].first, other[j].first);  // the point estimate uses no random draw
    EXPECT_NE(one[j].first_low, other[j].first_low);
  }
}

TEST(SobolIndices, LeaveOutBaseRowsWithANonFiniteOutput) {
  const std::size_t base = 64, dims = 3;
  const SaltelliDesign design = saltelli_design(base, dims, 8);
  std::vector<double> y = evaluate(design.points, ishigami);
  // Row 5 loses one AB output, row 9 its A output.
  y[design.ab_row(5, 1)] = kNaN;
  y[design.a_row(9)] = INFINITY;
  // The same design without those two rows.
  SaltelliDesign reduced{base - 2, dims, Design{dims, {}}};
  std::vector<double> reduced_y;
  for (std::size_t i = 0; i < base; ++i) {
    if (i == 5 || i == 9) continue;
    for (std::size_t p = design.a_row(i); p < design.a_row(i) + dims + 2; ++p) {
      reduced.points.points.insert(
          reduced.points.points.end(), design.points.points.begin() + static_cast<long>(p * dims),
          design.points.points.begin() + static_cast<long>((p + 1) * dims));
      reduced_y.push_back(y[p]);
    }
  }
  const auto with_gaps = sobol_indices(design, y, 50, 3);
  const auto without = sobol_indices(reduced, reduced_y, 50, 3);
  for (std::size_t j = 0; j < dims; ++j) {
    EXPECT_EQ(with_gaps[j].base_rows, base - 2);
    EXPECT_TRUE(std::isfinite(with_gaps[j].first));
    EXPECT_EQ(with_gaps[j].first, without[j].first);
    EXPECT_EQ(with_gaps[j].total, without[j].total);
    EXPECT_EQ(with_gaps[j].first_low, without[j].first_low);
    EXPECT_EQ(with_gaps[j].total_high, without[j].total_high);
  }
  // With every row broken there is nothing to estimate.
  std::vector<double> broken(y.size(), kNaN);
  const auto none = sobol_indices(design, broken, 10, 3);
  EXPECT_EQ(none[0].base_rows, 0u);
  EXPECT_TRUE(std::isnan(none[0].first));
  EXPECT_TRUE(std::isnan(none[0].total_high));
}

TEST(SobolIndices, ConstantOutputHasNoIndices) {
  const SaltelliDesign design = saltelli_design(32, 2, 1);
  const auto indices = sobol_indices(design, std::vector<double>(design.points.size(), 4.0), 20, 1);
  EXPECT_TRUE(std::isnan(indices[0].first));
  EXPECT_TRUE(std::isnan(indices[1].total));
  EXPECT_TRUE(std::isnan(indices[1].total_low));
}

TEST(SobolIndices, NoResamplesGiveNoIntervals) {
  const SaltelliDesign design = saltelli_design(64, 3, 1);
  const auto indices = sobol_indices(design, evaluate(design.points, ishigami), 0, 1);
  EXPECT_TRUE(std::isfinite(indices[0].first));
  EXPECT_TRUE(std::isnan(indices[0].first_low));
  EXPECT_TRUE(std::isnan(indices[0].total_high));
}

TEST(SobolIndices, RejectOutputsOrDesignsOfTheWrongSize) {
  const SaltelliDesign design = saltelli_design(16, 3, 1);
  const std::vector<double> y(design.points.size(), 1.0);
  EXPECT_THROW(sobol_indices(design, std::vector<double>(y.size() - 1, 1.0), 10, 1),
               std::invalid_argument);
  SaltelliDesign wrong = design;
  wrong.base = 17;
  EXPECT_THROW(sobol_indices(wrong, y, 10, 1), std::invalid_argument);
  wrong = design;
  wrong.points.dims = 2;
  EXPECT_THROW(sobol_indices(wrong, y, 10, 1), std::invalid_argument);
  try {
    sobol_indices(design, std::vector<double>(3, 1.0), 10, 1);
    ADD_FAILURE() << "3 outputs for 80 points were accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "sobol_indices: 3 outputs for a design of 80 points (16 base rows x (3 factors "
                 "+ 2))");
  }
}

// ---- Morris

TEST(MorrisDesign, EachStepMovesOneFactorByDeltaOnTheGrid) {
  const std::size_t trajectories = 30, dims = 5, levels = 4;
  const MorrisDesign design = morris_design(trajectories, dims, levels, 17);
  ASSERT_EQ(design.points.size(), trajectories * (dims + 1));
  const double delta = 4.0 / (2 * 3);
  for (std::size_t t = 0; t < trajectories; ++t) {
    std::vector<int> moved(dims, 0);
    for (std::size_t k = 0; k <= dims; ++k) {
      const std::size_t p = t * (dims + 1) + k;
      for (std::size_t j = 0; j < dims; ++j) {
        const double x = design.points.at(p, j), on_grid = std::round(x * 3) / 3;
        EXPECT_EQ(x, on_grid) << "trajectory " << t << " point " << k;
        EXPECT_GE(x, 0.0);
        EXPECT_LE(x, 1.0);
        if (k == 0) continue;
        const double step = x - design.points.at(p - 1, j);
        if (step != 0) {
          EXPECT_NEAR(std::abs(step), delta, 1e-15);
          ++moved[j];
        }
      }
    }
    EXPECT_TRUE(std::all_of(moved.begin(), moved.end(), [](int m) { return m == 1; }))
        << "trajectory " << t;
  }
}

TEST(MorrisDesign, StartsAtEveryLevelAlike) {
  const std::size_t trajectories = 4000, levels = 6;
  const MorrisDesign design = morris_design(trajectories, 1, levels, 5);
  std::vector<int> count(levels, 0);
  for (std::size_t t = 0; t < trajectories; ++t) {
    ++count[static_cast<std::size_t>(std::lround(design.points.at(t * 2, 0) * (levels - 1)))];
  }
  // 4000 / 6 = 667 per level; binomial sd about 24.
  for (int c : count) EXPECT_NEAR(c, 667, 100);
}

TEST(MorrisDesign, SameSeedSameDesignOtherSeedDifferentAndOddLevelsRejected) {
  EXPECT_EQ(morris_design(10, 4, 4, 1).points.points, morris_design(10, 4, 4, 1).points.points);
  EXPECT_NE(morris_design(10, 4, 4, 1).points.points, morris_design(10, 4, 4, 2).points.points);
  EXPECT_THROW(morris_design(10, 4, 5, 1), std::invalid_argument);
  EXPECT_THROW(morris_design(10, 4, 0, 1), std::invalid_argument);
  EXPECT_THROW(morris_design(0, 4, 4, 1), std::invalid_argument);
  EXPECT_THROW(morris_design(10, 0, 4, 1), std::invalid_argument);
}

TEST(MorrisEffects, RankTheFactorsOfAFunctionOfKnownStructure) {
  // x0 strong with an interaction with x3, x1 quadratic, x2 a dummy, x4 purely linear.
  const auto f = [](const double* x) {
    return 10 * x[0] + 5 * x[1] * x[1] + 0 * x[2] + x[0] * x[3] + 3 * x[4];
  };
  const MorrisDesign design = morris_design(20, 5, 4, 42);
  const std::vector<MorrisEffect> effects = morris_effects(design, evaluate(design.points, f));
  ASSERT_EQ(effects.size(), 5u);
  for (const MorrisEffect& e : effects) EXPECT_EQ(e.effects, 20u);
  // mu* ranks x0 (10 to 11) > x1 (10/3 or 20/3) > x4 (3) > x3 (x0, 0 to 1) > x2 (0).
  EXPECT_GT(effects[0].mu_star, effects[1].mu_star);
  EXPECT_GT(effects[1].mu_star, effects[4].mu_star);
  EXPECT_GT(effects[4].mu_star, effects[3].mu_star);
  EXPECT_GT(effects[3].mu_star, effects[2].mu_star);
  EXPECT_EQ(effects[2].mu_star, 0.0);
  EXPECT_EQ(effects[2].sigma, 0.0);
  EXPECT_NEAR(effects[4].mu, 3, 1e-12);
  EXPECT_NEAR(effects[4].mu_star, 3, 1e-12);
  EXPECT_NEAR(effects[4].sigma, 0, 1e-12);
  // Non-linear and interacting factors spread their effects.
  EXPECT_GT(effects[0].sigma, 0.1);
  EXPECT_GT(effects[1].sigma, 0.1);
  EXPECT_GT(effects[3].sigma, 0.1);
}

TEST(MorrisEffects, MatchAHandComputedDesign) {
  // Two trajectories on a 4-level grid (Delta = 2/3), the second moving down.
  MorrisDesign design{2, 2, 4,
                      Design{2,
                             {0, 1.0 / 3, 2.0 / 3, 1.0 / 3, 2.0 / 3, 1,  //
                              1, 2.0 / 3, 1, 0, 1.0 / 3, 0}}};
  const auto f = [](const double* x) { return x[0] * x[0] + 2 * x[1]; };
  const std::vector<MorrisEffect> effects = morris_effects(design, evaluate(design.points, f));
  // x0: (4/9 - 0) / (2/3) = 2/3 and (1/9 - 1) / (-2/3) = 4/3; x1: 2 twice.
  EXPECT_NEAR(effects[0].mu, 1, 1e-12);
  EXPECT_NEAR(effects[0].mu_star, 1, 1e-12);
  EXPECT_NEAR(effects[0].sigma, std::sqrt(2.0 / 9), 1e-12);
  EXPECT_NEAR(effects[1].mu, 2, 1e-12);
  EXPECT_NEAR(effects[1].sigma, 0, 1e-12);
  // A decreasing factor has negative mu and positive mu*.
  const auto g = [](const double* x) { return -4 * x[1]; };
  const std::vector<MorrisEffect> down = morris_effects(design, evaluate(design.points, g));
  EXPECT_NEAR(down[1].mu, -4, 1e-12);
  EXPECT_NEAR(down[1].mu_star, 4, 1e-12);
  EXPECT_EQ(down[0].mu_star, 0);
}

TEST(MorrisEffects, LeaveOutStepsWithANonFiniteOutput) {
  const MorrisDesign design = morris_design(10, 3, 4, 9);
  std::vector<double> y = evaluate(design.points, [](const double* x) { return x[0] + x[1]; });
  // The first point of trajectory 2 touches only its first step's factor.
  y[2 * 4] = kNaN;
  const std::vector<MorrisEffect> effects = morris_effects(design, y);
  std::size_t used = 0;
  for (const MorrisEffect& e : effects) used += e.effects;
  EXPECT_EQ(used, 29u);
  EXPECT_NEAR(effects[0].mu, 1, 1e-12);
  // A factor left with no effect at all has NaN measures.
  MorrisDesign one = morris_design(1, 2, 4, 1);
  const auto none = morris_effects(one, {1, kNaN, 1});
  EXPECT_EQ(none[0].effects + none[1].effects, 0u);
  EXPECT_TRUE(std::isnan(none[0].mu_star));
  EXPECT_TRUE(std::isnan(none[1].sigma));
}

TEST(MorrisEffects, RejectWrongSizesAndStepsThatMoveSeveralFactors) {
  MorrisDesign design = morris_design(3, 2, 4, 1);
  EXPECT_THROW(morris_effects(design, std::vector<double>(8, 0.0)), std::invalid_argument);
  design.points.points[3] = 0.123456;  // point 1 now differs from a neighbour in both factors
  EXPECT_THROW(morris_effects(design, std::vector<double>(9, 0.0)), std::invalid_argument);
}

// ---- Properties

// One of a few shapes of a single factor: linear, quadratic, periodic, a step.
double shape(int kind, double x) {
  switch (kind) {
    case 0:
      return x;
    case 1:
      return x * x;
    case 2:
      return std::sin(2 * kPi * x);
    default:
      return x < 0.5 ? 0.0 : 1.0;
  }
}

RC_GTEST_PROP(SobolIndicesProperty, AdditiveFunctionFirstOrderSumsToOneAndEqualsTotal, ()) {
  // y = sum_j c_j g_j(x_j) of independent factors: no interaction, so S_j = ST_j and the
  // first-order indices sum to 1.
  const auto dims = *rc::gen::inRange<std::size_t>(1, 7);
  const auto kinds = *rc::gen::container<std::vector<int>>(dims, rc::gen::inRange(0, 4));
  const auto weights = *rc::gen::container<std::vector<int>>(dims, rc::gen::inRange(1, 11));
  const auto signs = *rc::gen::container<std::vector<bool>>(dims, rc::gen::arbitrary<bool>());
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const SaltelliDesign design = saltelli_design(2048, dims, seed);
  const auto f = [&](const double* x) {
    double y = 0;
    for (std::size_t j = 0; j < dims; ++j) {
      y += (signs[j] ? -1 : 1) * weights[j] * shape(kinds[j], x[j]);
    }
    return y;
  };
  const auto indices = sobol_indices(design, evaluate(design.points, f), 0, seed);
  double sum = 0;
  for (const SobolIndex& s : indices) {
    RC_ASSERT(std::abs(s.first - s.total) < 0.03);
    sum += s.first;
  }
  RC_ASSERT(std::abs(sum - 1) < 0.03);
}

RC_GTEST_PROP(SobolIndicesProperty, FunctionOfTheFirstFactorAloneLeavesNothingToTheOthers, ()) {
  const auto dims = *rc::gen::inRange<std::size_t>(1, 7);
  const int kind = *rc::gen::inRange(0, 4);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const SaltelliDesign design = saltelli_design(1024, dims, seed);
  const auto indices = sobol_indices(
      design, evaluate(design.points, [&](const double* x) { return shape(kind, x[0]); }), 0, seed);
  RC_ASSERT(std::abs(indices[0].first - 1) < 0.03);
  RC_ASSERT(std::abs(indices[0].total - 1) < 0.03);
  // The other factors never change the output: their estimates are exactly 0.
  for (std::size_t j = 1; j < dims; ++j) {
    RC_ASSERT(indices[j].first == 0.0);
    RC_ASSERT(indices[j].total == 0.0);
  }
}

RC_GTEST_PROP(MorrisEffectsProperty, LinearFunctionGivesItsCoefficients, ()) {
  const auto dims = *rc::gen::inRange<std::size_t>(1, 8);
  const auto coefficients = *rc::gen::container<std::vector<int>>(dims, rc::gen::inRange(-20, 21));
  const std::size_t levels = 2 * *rc::gen::inRange<std::size_t>(1, 5);
  const auto seed = *rc::gen::arbitrary<std::uint64_t>();
  const MorrisDesign design = morris_design(8, dims, levels, seed);
  const auto linear = [&](const double* x) {
    double y = 1;
    for (std::size_t j = 0; j < dims; ++j) y += coefficients[j] * x[j];
    return y;
  };
  const auto effects = morris_effects(design, evaluate(design.points, linear));
  for (std::size_t j = 0; j < dims; ++j) {
    RC_ASSERT(std::abs(effects[j].mu - coefficients[j]) < 1e-9);
    RC_ASSERT(std::abs(effects[j].mu_star - std::abs(coefficients[j])) < 1e-9);
    RC_ASSERT(effects[j].sigma < 1e-9);
  }
}

}  // namespace
}  // namespace latwin::analysis
