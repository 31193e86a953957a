#pragma once
// Finds the allocation of a budget that serves the index best (latwin optimize): the
// decision variables are spending weights per (instrument, group of countries, phase), the
// budget is always spent in full (up to the countries' caps), and each candidate is
// evaluated as an ensemble on the same members (common random numbers across candidates, so
// the optimiser compares strategies, not luck). Pressure instruments are kept as the base
// strategy sets them. optimize() maximises one objective; optimize_pareto() the index's
// components together, giving the Pareto front.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/optimizer.hpp"
#include "engine/compile/plan.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/constraints.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"

namespace latwin::study {

enum class ObjectiveKind { kExpected, kCvar, kRegret };

// Levels of every (instrument, country) by year: a strategy's inputs.
using AllocationLevels = std::map<std::pair<std::string, std::string>, engine::Series>;

struct DecisionUnit {
  std::string instrument;
  std::string group;                   // e.g. "Andean" or "COL"
  std::vector<std::string> countries;  // those the instrument may reach
  int first_year = 0, last_year = 0;   // the phase
};

struct OptimizationRequest {
  std::shared_ptr<const engine::Plan> plan;
  const policy::ModelInterface* model = nullptr;
  const policy::Scenario* scenario = nullptr;
  const policy::Strategy* base = nullptr;  // its pressure instruments are kept
  const policy::Constraints* constraints = nullptr;
  // Optional: its money mix is the first candidate, and its split between the countries of a
  // unit is kept.
  const policy::Strategy* start = nullptr;
  double budget = 0;                            // USD per year
  std::vector<std::string> instruments;         // money instruments to allocate
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // name -> countries
  int phases = 1;
  ObjectiveKind objective = ObjectiveKind::kExpected;
  double cvar_alpha = 0.1;                      // the worst share of members, for kCvar
  std::vector<std::vector<double>> regret_against;  // [strategy][member] index at the horizon
  std::string index = "latin_win_index";
  std::string components_prefix = "component_";  // the index's components, for optimize_pareto
  std::uint64_t members = 200;
  std::uint64_t seed = 1;
  int threads = 0;
  analysis::OptimizerOptions optimizer;
  engine::ParameterSets parameter_sets;  // e.g. a posterior (--params); empty: priors
};

struct OptimizationOutcome {
  std::vector<DecisionUnit> units;
  analysis::OptimizerResult result;
  AllocationLevels levels;            // the best strategy's
  std::vector<double> unit_spending;  // USD per year per unit, at the best point
};

// One allocation of the Pareto front.
struct FrontPoint {
  std::vector<double> x;
  std::vector<double> components;  // mean over members at the horizon, one per objective
  double index = 0;                // mean of request.index over members, from the same runs
  AllocationLevels levels;
  std::vector<double> unit_spending;  // USD per year per unit
};

struct ParetoOutcome {
  std::vector<DecisionUnit> units;
  std::vector<std::string> components;  // the objectives: variable names, model order
  std::vector<FrontPoint> front;        // highest index first
  std::size_t evaluations = 0;
  // After each generation, the highest mean index of any candidate so far; the front always
  // holds that candidate (or one at least as good on every component).
  std::vector<analysis::OptimizerStep> history;
};

// The decision units of a request (instrument x group x phase), leaving out countries the
// constraints forbid for an instrument and units left with no country.
std::vector<DecisionUnit> decision_units(const OptimizationRequest& request);

// Levels of every (instrument, country) by year for decision vector x in [0, 1]^units: per
// phase, the budget is shared between units by weight, each unit's share split among its
// countries as the starting strategy splits it (by population where it spends nothing on
// the unit, or without a start), and no country above its cap
// (what a capped country cannot take goes to the others in proportion). Pressure levels
// come from the base strategy.
AllocationLevels levels_for(const OptimizationRequest& request,
                            const std::vector<DecisionUnit>& units, const std::vector<double>& x);

// The values at the horizon of scalar variables, [variable][member], of a strategy given as
// levels: one ensemble run on the request's members. Throws ModelError naming a variable
// that is missing or not a scalar.
std::vector<std::vector<double>> outcomes_at_horizon(const OptimizationRequest& request,
                                                     const AllocationLevels& levels,
                                                     const std::vector<std::string>& variables);

// The index at the horizon, per member, of a strategy given as levels.
std::vector<double> index_at_horizon(const OptimizationRequest& request,
                                     const AllocationLevels& levels);

// The objective's value (higher is better) from a candidate's index per member.
double objective_value(const OptimizationRequest& request, const std::vector<double>& index);

// The decision vector that reproduces request.start (empty without one).
std::vector<double> start_point(const OptimizationRequest& request,
                                const std::vector<DecisionUnit>& units);

// USD per year spent on each unit in its first year, from a candidate's levels.
std::vector<double> unit_spending(const OptimizationRequest& request,
                                  const std::vector<DecisionUnit>& units,
                                  const AllocationLevels& levels);

// Maximises request.objective (CMA-ES or differential evolution, request.optimizer).
OptimizationOutcome optimize(const OptimizationRequest& request,
                             const std::function<void(const analysis::OptimizerStep&)>& progress = {});

// Maximises the mean over members of every component of the index at the horizon together
// (NSGA-II; request.objective is not used) and returns the non-dominated allocations: the
// trade-offs between the components. request.optimizer.evaluations bounds the evaluations;
// a population of 0 becomes 40, or fewer so that there are two generations or more. The
// front always holds a point at least as good as request.start on every component, and the
// candidate with the highest mean index found. progress gets the highest mean index so far.
// Throws ModelError when the model has fewer than two components, InputError when the
// evaluations do not make one population (8).
ParetoOutcome optimize_pareto(
    const OptimizationRequest& request,
    const std::function<void(const analysis::OptimizerStep&)>& progress = {});

// A strategy given as levels, as a strategy file (docs/strategies-and-scenarios.md), which
// latwin compare reads back: one rule per (instrument, country, phase), and the base
// strategy's pressure.
std::string strategy_yaml(const OptimizationRequest& request, const AllocationLevels& levels,
                          const std::string& name, const std::string& description);

}  // namespace latwin::study
