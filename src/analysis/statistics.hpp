#pragma once
// Statistics for comparing decisions under uncertainty from paired ensemble samples: member m
// of every strategy faced the same parameter draws and shocks (common random numbers), so
// strategies are compared member by member where that matters (probability of beating,
// regret, being best) and as distributions where it does not (stochastic dominance).
// Non-finite values are left out: a pair or a member with one is skipped and counted.
#include <cstddef>
#include <vector>

namespace latwin::analysis {

struct Distribution {
  std::size_t count = 0;       // finite values used
  std::size_t non_finite = 0;  // values left out
  // NaN when count is 0. Quantiles interpolate linearly between order statistics (Hyndman
  // and Fan's type 7, as R and NumPy by default); sd divides by count - 1 (0 for one value).
  double mean = 0, sd = 0, p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

Distribution describe(std::vector<double> values);
// The q-quantile (0..1) of sorted finite values, type 7.
double quantile_sorted(const std::vector<double>& sorted, double q);

// Share of members in which a > b; ties count half. Pairs with a non-finite value are left
// out; NaN when none is left. a and b must have the same length.
double prob_greater(const std::vector<double>& a, const std::vector<double>& b);

// values[s][m]: outcome of strategy s in member m (higher is better). Members in which any
// strategy is non-finite are left out of the next two.
// Mean over members of (the best strategy's value - strategy s's value).
std::vector<double> expected_regret(const std::vector<std::vector<double>>& values);
// Share of members in which strategy s is best; a tie shares the member equally.
std::vector<double> prob_best(const std::vector<std::vector<double>>& values);

// First-order stochastic dominance of a over b (higher is better) on the empirical
// distributions of their finite values: for every x, P(a <= x) <= P(b <= x), strictly for some
// x. False when either has no finite value.
bool first_order_dominates(std::vector<double> a, std::vector<double> b);

}  // namespace latwin::analysis
