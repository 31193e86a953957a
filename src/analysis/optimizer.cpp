#include "analysis/optimizer.hpp"

#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/cmaes.hpp>
#include <pagmo/algorithms/de.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace latwin::analysis {

namespace {

// pagmo minimises; the worst value a failed evaluation can have.
constexpr double kWorst = 1e300;

struct SingleObjectiveProblem {
  std::size_t dims = 0;
  Objective objective;

  pagmo::vector_double fitness(const pagmo::vector_double& x) const {
    double value = objective(x);
    return {std::isfinite(value) ? -value : kWorst};
  }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    return {pagmo::vector_double(dims, 0.0), pagmo::vector_double(dims, 1.0)};
  }
};

struct MultiObjectiveProblem {
  std::size_t dims = 0, objectives = 0;
  MultiObjective objective;

  pagmo::vector_double fitness(const pagmo::vector_double& x) const {
    std::vector<double> values = objective(x);
    if (values.size() != objectives) {
      throw std::invalid_argument("pareto_front: the objective returned the wrong number of values");
    }
    for (double& v : values) v = std::isfinite(v) ? -v : kWorst;
    return values;
  }
  pagmo::vector_double::size_type get_nobj() const { return objectives; }
  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    return {pagmo::vector_double(dims, 0.0), pagmo::vector_double(dims, 1.0)};
  }
};

unsigned seed32(std::uint64_t seed) { return static_cast<unsigned>(seed ^ (seed >> 32)); }

}  // namespace

OptimizerResult maximise(std::size_t dims, const Objective& objective,
                         const OptimizerOptions& options,
                         const std::function<void(const OptimizerStep&)>& progress,
                         const std::vector<double>& start) {
  if (dims == 0) throw std::invalid_argument("maximise: no decision variable");
  if (!start.empty() && start.size() != dims) {
    throw std::invalid_argument("maximise: the starting point has the wrong size");
  }
  std::size_t size = options.population;
  if (size == 0) {
    size = options.algorithm == OptimizerAlgorithm::kCmaes
               ? 4 + static_cast<std::size_t>(std::floor(3 * std::log(static_cast<double>(dims))))
               : std::max<std::size_t>(10 * dims, 20);
  }
  size = std::max<std::size_t>(size, 5);  // the least either algorithm accepts
  if (options.evaluations < size) {
    throw std::invalid_argument("maximise: fewer evaluations than one population");
  }
  pagmo::problem problem{SingleObjectiveProblem{dims, objective}};
  pagmo::population population{problem, size, seed32(options.seed)};
  if (!start.empty()) {
    // Replace the worst random individual: the start competes from the first generation.
    population.set_x(population.worst_idx(), start);
  }
  OptimizerResult result;
  result.evaluations = size;
  auto record = [&] {
    OptimizerStep step{result.evaluations, -population.champion_f()[0]};
    if (population.champion_f()[0] >= kWorst) step.best = -std::numeric_limits<double>::infinity();
    result.history.push_back(step);
    if (progress) progress(step);
  };
  record();
  // One generation per evolve() call so progress and history see each one; CMA-ES keeps its
  // adapted state between calls (memory = true).
  pagmo::algorithm algorithm =
      options.algorithm == OptimizerAlgorithm::kCmaes
          ? pagmo::algorithm{pagmo::cmaes(1, -1, -1, -1, -1, options.initial_step, 0, 0, true, true,
                                          seed32(options.seed + 1))}
          : pagmo::algorithm{pagmo::de(1, 0.8, 0.9, 2, 0, 0, seed32(options.seed + 1))};
  while (result.evaluations + size <= options.evaluations) {
    population = algorithm.evolve(population);
    result.evaluations += size;
    record();
  }
  result.best_x = population.champion_x();
  result.best_value = result.history.back().best;
  return result;
}

std::vector<ParetoPoint> pareto_front(std::size_t dims, std::size_t objectives,
                                      const MultiObjective& objective,
                                      const OptimizerOptions& options,
                                      const std::function<void(const OptimizerStep&)>& progress,
                                      const std::vector<double>& start) {
  if (dims == 0 || objectives < 2) {
    throw std::invalid_argument("pareto_front: needs decision variables and two objectives or more");
  }
  if (!start.empty() && start.size() != dims) {
    throw std::invalid_argument("pareto_front: the starting point has the wrong size");
  }
  std::size_t size = options.population == 0 ? 40 : options.population;
  size = std::max<std::size_t>((size + 3) / 4 * 4, 8);  // NSGA-II pairs parents in fours
  if (options.evaluations < size) {
    throw std::invalid_argument("pareto_front: fewer evaluations than one population");
  }
  pagmo::problem problem{MultiObjectiveProblem{dims, objectives, objective}};
  // The start takes the place of the last random individual, so it costs no extra evaluation.
  pagmo::population population{problem, start.empty() ? size : size - 1, seed32(options.seed)};
  auto values_of = [](const pagmo::vector_double& f) {
    std::vector<double> values;
    for (double v : f) values.push_back(v >= kWorst ? -INFINITY : -v);
    return values;
  };
  std::vector<ParetoPoint> candidates;
  if (!start.empty()) {
    population.push_back(start);
    candidates.push_back({start, values_of(population.get_f().back())});
  }
  pagmo::algorithm algorithm{pagmo::nsga2(1, 0.95, 10., 0.01, 50., seed32(options.seed + 1))};
  std::size_t evaluations = size;
  auto report = [&] {
    if (!progress) return;
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& f : population.get_f()) best = std::max(best, values_of(f)[0]);
    progress({evaluations, best});
  };
  report();
  while (evaluations + size <= options.evaluations) {
    population = algorithm.evolve(population);
    evaluations += size;
    report();
  }
  for (std::size_t idx = 0; idx < population.size(); ++idx) {
    candidates.push_back({population.get_x()[idx], values_of(population.get_f()[idx])});
  }
  std::vector<ParetoPoint> front = non_dominated(candidates);
  std::sort(front.begin(), front.end(), [](const ParetoPoint& a, const ParetoPoint& b) {
    if (a.values[0] != b.values[0]) return a.values[0] > b.values[0];
    return a.x < b.x;
  });
  return front;
}

bool dominates(const std::vector<double>& a, const std::vector<double>& b) {
  bool better = false;
  for (std::size_t idx = 0; idx < a.size(); ++idx) {
    if (a[idx] < b[idx]) return false;
    if (a[idx] > b[idx]) better = true;
  }
  return better;
}

std::vector<ParetoPoint> non_dominated(const std::vector<ParetoPoint>& points) {
  std::vector<ParetoPoint> front;
  for (std::size_t idx = 0; idx < points.size(); ++idx) {
    bool keep = true;
    for (std::size_t other = 0; other < points.size() && keep; ++other) {
      if (dominates(points[other].values, points[idx].values)) keep = false;
      // A repeated x: the first one stands for all.
      if (other < idx && points[other].x == points[idx].x) keep = false;
    }
    if (keep) front.push_back(points[idx]);
  }
  return front;
}

std::vector<double> allocate_budget(const std::vector<double>& weights, double budget,
                                    const std::vector<double>& caps) {
  const std::size_t n = weights.size();
  if (caps.size() != n) throw std::invalid_argument("allocate_budget: one cap per weight");
  std::vector<double> out(n, 0.0);
  std::vector<bool> capped(n, false);
  double left = budget;
  // Each round caps at least one unit or ends, so at most n rounds.
  for (std::size_t round = 0; round <= n && left > 0; ++round) {
    double total = 0;
    std::size_t open = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      total += std::max(weights[i], 0.0);
      ++open;
    }
    if (open == 0) break;
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      double share = total > 0 ? std::max(weights[i], 0.0) / total : 1.0 / static_cast<double>(open);
      if (left * share >= caps[i]) {
        out[i] = caps[i];
        capped[i] = true;
        changed = true;
      }
    }
    if (changed) {
      left = budget;
      for (std::size_t i = 0; i < n; ++i) left -= capped[i] ? out[i] : 0.0;
      continue;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      out[i] = total > 0 ? left * std::max(weights[i], 0.0) / total : left / static_cast<double>(open);
    }
    break;
  }
  return out;
}

}  // namespace latwin::analysis
