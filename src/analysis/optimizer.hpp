#pragma once
// Optimisation over the unit box for decisions under uncertainty (pagmo2): CMA-ES or
// differential evolution for one objective, NSGA-II for a Pareto front. The objective is a
// black box the caller provides (an ensemble run); nothing here knows what it simulates.
// Every algorithm is seeded, so the same seed and objective give the same result.
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace latwin::analysis {

enum class OptimizerAlgorithm { kCmaes, kDifferentialEvolution };

struct OptimizerOptions {
  OptimizerAlgorithm algorithm = OptimizerAlgorithm::kCmaes;
  std::size_t evaluations = 1000;  // of the objective, at most (rounded down to whole generations)
  std::size_t population = 0;      // 0: 4 + 3 ln(dims) for CMA-ES (Hansen's default), 10 dims for DE
  double initial_step = 0.3;       // CMA-ES's sigma0, as a share of the box
  std::uint64_t seed = 1;
};

struct OptimizerStep {
  std::size_t evaluations = 0;  // so far
  double best = 0;              // best objective value so far
};

struct OptimizerResult {
  std::vector<double> best_x;
  double best_value = -std::numeric_limits<double>::infinity();
  std::size_t evaluations = 0;
  std::vector<OptimizerStep> history;  // one step per generation
};

using Objective = std::function<double(const std::vector<double>&)>;
using MultiObjective = std::function<std::vector<double>(const std::vector<double>&)>;

// Maximises objective over [0, 1]^dims. A non-finite value counts as the worst possible.
// progress (may be empty) is called after every generation. start (may be empty) is put
// into the first population, so a known good point is never lost.
OptimizerResult maximise(std::size_t dims, const Objective& objective,
                         const OptimizerOptions& options,
                         const std::function<void(const OptimizerStep&)>& progress = {},
                         const std::vector<double>& start = {});

struct ParetoPoint {
  std::vector<double> x;
  std::vector<double> values;  // one per objective, higher is better
};

// The non-dominated points NSGA-II finds when maximising every objective over [0, 1]^dims
// (population rounded up to a multiple of 4, at least 8), sorted by the first objective.
// A non-finite value counts as the worst possible. progress (may be empty) is called after
// every generation with the best first objective in the population. start (may be empty) is
// put into the first population, and the front always holds a point at least as good as it
// on every objective: NSGA-II's crowding may drop a point of the first rank, so the start is
// checked against the final population. Throws std::invalid_argument on bad sizes.
std::vector<ParetoPoint> pareto_front(
    std::size_t dims, std::size_t objectives, const MultiObjective& objective,
    const OptimizerOptions& options, const std::function<void(const OptimizerStep&)>& progress = {},
    const std::vector<double>& start = {});

// Whether a is at least as good as b on every value and better on one (higher is better).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// The points no other point dominates, each x once, in their given order.
std::vector<ParetoPoint> non_dominated(const std::vector<ParetoPoint>& points);

// Shares a budget between units in proportion to weights, none above its cap: units whose
// proportional share would pass their cap get the cap, and what they leave is shared among
// the others, again in proportion (water-filling). All-zero weights share equally. When the
// caps add up to less than the budget, every unit gets its cap and the rest is not spent.
std::vector<double> allocate_budget(const std::vector<double>& weights, double budget,
                                    const std::vector<double>& caps);

}  // namespace latwin::analysis
