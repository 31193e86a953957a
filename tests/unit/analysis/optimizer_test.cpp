// The optimiser against problems with known answers: a budget shared between units with
// concave, separable returns (closed form by water-filling), a Pareto front of two
// conflicting objectives, and the budget allocation with caps.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "analysis/optimizer.hpp"

namespace latwin::analysis {
namespace {

// Returns a_i * log(1 + s_i / c_i) of spending s_i. The optimum under sum(s) = B sets
// a_i / (c_i + s_i) = lambda where s_i > 0: s_i = max(0, a_i / lambda - c_i), with lambda
// found by bisection so that the s_i add up to B.
struct ConcaveReturns {
  std::vector<double> a, c;
  double budget = 0;

  double value(const std::vector<double>& s) const {
    double total = 0;
    for (std::size_t i = 0; i < a.size(); ++i) total += a[i] * std::log1p(s[i] / c[i]);
    return total;
  }
  std::vector<double> optimum() const {
    double lo = 1e-12, hi = 1e12;
    std::vector<double> s(a.size());
    for (int iteration = 0; iteration < 400; ++iteration) {
      double lambda = std::sqrt(lo * hi);
      double spent = 0;
      for (std::size_t i = 0; i < a.size(); ++i) {
        s[i] = std::max(0.0, a[i] / lambda - c[i]);
        spent += s[i];
      }
      (spent > budget ? lo : hi) = lambda;
    }
    return s;
  }
};

TEST(Optimizer, ComesWithinOnePercentOfAClosedFormAllocation) {
  // Ten units; the smallest three should get nothing at the optimum.
  ConcaveReturns problem{{5, 4, 3.5, 3, 2.5, 2, 1.5, 0.6, 0.4, 0.2},
                         {1, 2, 1.5, 1, 3, 1, 2, 4, 3, 5}, 10};
  double best = problem.value(problem.optimum());
  std::vector<double> caps(10, INFINITY);
  for (auto algorithm : {OptimizerAlgorithm::kCmaes, OptimizerAlgorithm::kDifferentialEvolution}) {
    OptimizerOptions options;
    options.algorithm = algorithm;
    options.evaluations = algorithm == OptimizerAlgorithm::kCmaes ? 3000 : 20000;
    options.seed = 7;
    OptimizerResult result = maximise(
        10,
        [&](const std::vector<double>& x) { return problem.value(allocate_budget(x, problem.budget, caps)); },
        options);
    std::printf("%s: %.5f of the optimum %.5f (%.3f%%) in %zu evaluations\n",
                algorithm == OptimizerAlgorithm::kCmaes ? "CMA-ES" : "DE", result.best_value, best,
                100 * (best - result.best_value) / best, result.evaluations);
    EXPECT_GE(result.best_value, 0.99 * best);
    EXPECT_LE(result.best_value, best + 1e-9);
    EXPECT_LE(result.evaluations, options.evaluations);
    ASSERT_FALSE(result.history.empty());
    for (std::size_t i = 1; i < result.history.size(); ++i) {
      EXPECT_GE(result.history[i].best, result.history[i - 1].best);  // the best never gets worse
    }
  }
}

TEST(Optimizer, SameSeedSameResult) {
  auto objective = [](const std::vector<double>& x) {
    return -std::pow(x[0] - 0.3, 2) - std::pow(x[1] - 0.7, 2) - std::fabs(x[2] - 0.5);
  };
  OptimizerOptions options;
  options.evaluations = 400;
  OptimizerResult one = maximise(3, objective, options);
  OptimizerResult two = maximise(3, objective, options);
  EXPECT_EQ(one.best_x, two.best_x);
  EXPECT_EQ(one.best_value, two.best_value);
  options.seed = 2;
  EXPECT_NE(maximise(3, objective, options).best_x, one.best_x);
  EXPECT_NEAR(one.best_x[0], 0.3, 0.02);
  EXPECT_NEAR(one.best_x[1], 0.7, 0.02);
}

TEST(Optimizer, AStartingPointIsNeverLost) {
  // The start is the optimum; a tiny budget of evaluations cannot find anything better.
  auto objective = [](const std::vector<double>& x) { return -std::fabs(x[0] - 0.123) - std::fabs(x[1] - 0.456); };
  OptimizerOptions options;
  options.evaluations = 10;
  options.population = 5;
  OptimizerResult result = maximise(2, objective, options, {}, {0.123, 0.456});
  EXPECT_EQ(result.best_value, 0);
}

TEST(Optimizer, NonFiniteValuesCountAsWorst) {
  auto objective = [](const std::vector<double>& x) { return x[0] < 0.5 ? NAN : x[0]; };
  OptimizerOptions options;
  options.evaluations = 300;
  OptimizerResult result = maximise(1, objective, options);
  EXPECT_GT(result.best_value, 0.9);
}

TEST(Pareto, FindsTheFrontOfTwoConflictingObjectives) {
  // Maximise x0 and 1 - x0 (x1 is noise that should not matter): every point is on the front.
  // With f2 = 1 - x0^2 the front is the curve f2 = 1 - f1^2.
  OptimizerOptions options;
  options.evaluations = 4000;
  options.population = 40;
  auto front = pareto_front(
      2, 2, [](const std::vector<double>& x) { return std::vector<double>{x[0], 1 - x[0] * x[0] - x[1]}; },
      options);
  ASSERT_GE(front.size(), 10u);
  for (const auto& point : front) {
    EXPECT_NEAR(point.values[1], 1 - point.values[0] * point.values[0], 0.02);
  }
  for (std::size_t i = 1; i < front.size(); ++i) EXPECT_LE(front[i].values[0], front[i - 1].values[0]);
  EXPECT_GT(front.front().values[0] - front.back().values[0], 0.5);  // spread along the front
}

TEST(Pareto, TheFrontHoldsAPointAtLeastAsGoodAsTheStart) {
  // Five conflicting objectives, so nearly every point ranks first and NSGA-II's crowding
  // decides which survive: the start (0.5 everywhere, a compromise) may be dropped from the
  // population, but never without a point as good on every objective in the front.
  auto objective = [](const std::vector<double>& x) {
    return std::vector<double>{x[0], x[1], x[2], 1.5 - x[0] - x[1], 1.2 - x[2] - x[1] * x[0]};
  };
  const std::vector<double> start(3, 0.5);
  const std::vector<double> at_start = objective(start);
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    OptimizerOptions options;
    options.evaluations = 96;
    options.population = 8;
    options.seed = seed;
    auto front = pareto_front(3, 5, objective, options, {}, start);
    const bool covered = std::any_of(front.begin(), front.end(), [&](const ParetoPoint& point) {
      return point.values == at_start || dominates(point.values, at_start);
    });
    EXPECT_TRUE(covered) << "seed " << seed;
    for (const auto& a : front) {
      for (const auto& b : front) EXPECT_FALSE(dominates(a.values, b.values)) << "seed " << seed;
    }
    const auto again = pareto_front(3, 5, objective, options, {}, start);
    ASSERT_EQ(again.size(), front.size()) << "seed " << seed << ": not deterministic";
    for (std::size_t idx = 0; idx < front.size(); ++idx) EXPECT_EQ(again[idx].x, front[idx].x);
  }
}

TEST(Pareto, NonDominatedKeepsEachUndominatedPointOnce) {
  const std::vector<ParetoPoint> points = {
      {{0.1}, {1, 0}},     {{0.2}, {0, 1}}, {{0.3}, {0.5, 0.5}}, {{0.4}, {0.4, 0.4}},  // dominated
      {{0.1}, {1, 0}},                                                                 // repeated x
      {{0.5}, {0.5, 0.5}},  // equal values, another x: neither dominates
  };
  const auto front = non_dominated(points);
  ASSERT_EQ(front.size(), 4u);
  EXPECT_EQ(front[0].x, std::vector<double>{0.1});
  EXPECT_EQ(front[1].x, std::vector<double>{0.2});
  EXPECT_EQ(front[2].x, std::vector<double>{0.3});
  EXPECT_EQ(front[3].x, std::vector<double>{0.5});
  EXPECT_TRUE(dominates({1, 1}, {1, 0}));
  EXPECT_FALSE(dominates({1, 0}, {1, 0}));
  EXPECT_FALSE(dominates({1, 0}, {0, 1}));
}

TEST(AllocateBudget, ProportionalCappedAndWaterFilled) {
  EXPECT_EQ(allocate_budget({1, 1, 2}, 100, {1e9, 1e9, 1e9}), (std::vector<double>{25, 25, 50}));
  EXPECT_EQ(allocate_budget({0, 0}, 10, {1e9, 1e9}), (std::vector<double>{5, 5}));
  // The third unit would get 50 but is capped at 20: the 30 left goes to the others, 1:1.
  EXPECT_EQ(allocate_budget({1, 1, 2}, 100, {1e9, 1e9, 20}), (std::vector<double>{40, 40, 20}));
  // Caps below the budget: everyone at the cap, the rest unspent.
  EXPECT_EQ(allocate_budget({1, 2}, 100, {10, 20}), (std::vector<double>{10, 20}));
}

RC_GTEST_PROP(AllocateBudgetProperties, SpendsTheBudgetWithinCaps, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 12);
  auto weights = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 100));
  auto caps = *rc::gen::container<std::vector<int>>(n, rc::gen::inRange(0, 60));
  const double budget = *rc::gen::inRange(0, 400);
  std::vector<double> w(weights.begin(), weights.end()), c(caps.begin(), caps.end());
  std::vector<double> out = allocate_budget(w, budget, c);
  double spent = std::accumulate(out.begin(), out.end(), 0.0);
  double room = std::accumulate(c.begin(), c.end(), 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    RC_ASSERT(out[i] >= 0);
    RC_ASSERT(out[i] <= c[i] + 1e-9);
  }
  RC_ASSERT(std::fabs(spent - std::min(budget, room)) < 1e-6);
}

}  // namespace
}  // namespace latwin::analysis
