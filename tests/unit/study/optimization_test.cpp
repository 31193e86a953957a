// The optimiser's decision space on the hemisphere model: units respect the constraints, any
// decision spends the budget within the caps, and the starting strategy is reproduced; the
// Pareto front of the index's components is non-dominated and every point spends the budget.
#include "study/optimization.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "policy/constraints.hpp"
#include "study/comparison_run.hpp"

namespace latwin::study {
namespace {

const std::string kRoot = LATWIN_SOURCE_DIR;

struct Setup {
  data::PanelDataSource data{kRoot + "/data"};
  engine::CompileResult compiled = engine::compile_files(
      lang::expand_model_paths({kRoot + "/models/hemisphere"}), &data);
  policy::ModelInterface model = policy::describe_model(*compiled.plan, &data.panel());
  policy::Scenario scenario = policy::load_scenario(kRoot + "/scenarios/baseline.yaml", model);
  policy::Strategy status_quo =
      policy::load_strategy(kRoot + "/strategies/status-quo.yaml", model, scenario);
  policy::Strategy security_first =
      policy::load_strategy(kRoot + "/strategies/security-first.yaml", model, scenario);
  policy::Constraints constraints =
      policy::load_constraints(kRoot + "/constraints/default.yaml", model);

  OptimizationRequest request(int phases) const {
    OptimizationRequest r;
    r.plan = compiled.plan;
    r.model = &model;
    r.scenario = &scenario;
    r.base = &status_quo;
    r.constraints = &constraints;
    r.budget = 1.729e9;
    for (const auto& item : model.instruments) {
      if (!item.intensity) r.instruments.push_back(item.name);
    }
    for (const auto& [group, members] : model.groups) {
      if (group != "all") r.groups.emplace_back(group, members);
    }
    r.phases = phases;
    return r;
  }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

double total_in(const std::map<std::pair<std::string, std::string>, engine::Series>& levels,
                const policy::ModelInterface& model, std::size_t year_index) {
  double total = 0;
  for (const auto& [key, series] : levels) {
    if (!model.instrument(key.first)->intensity) total += series.values[year_index];
  }
  return total;
}

TEST(OptimizationSpace, UnitsLeaveOutWhatTheConstraintsForbid) {
  OptimizationRequest request = setup().request(2);
  std::vector<DecisionUnit> units = decision_units(request);
  // 8 instruments x 6 groups x 2 phases; the Andean group keeps VEN only where allowed.
  EXPECT_EQ(units.size(), 8u * 6u * 2u);
  for (const auto& unit : units) {
    if (unit.group == "Andean" && unit.instrument == "security_cooperation") {
      EXPECT_EQ(std::count(unit.countries.begin(), unit.countries.end(), "VEN"), 0);
    }
    if (unit.group == "Andean" && unit.instrument == "exchanges") {
      EXPECT_EQ(std::count(unit.countries.begin(), unit.countries.end(), "VEN"), 1);
    }
  }
  EXPECT_EQ(units.front().first_year, 2024);
  EXPECT_EQ(units.back().last_year, 2040);
}

TEST(OptimizationSpace, AnyDecisionSpendsTheBudgetWithinTheCaps) {
  OptimizationRequest request = setup().request(1);
  std::vector<DecisionUnit> units = decision_units(request);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<double> x(units.size());
    for (std::size_t u = 0; u < x.size(); ++u) x[u] = std::fmod(0.37 * static_cast<double>(u * (trial + 3)), 1.0);
    if (trial == 4) x.assign(units.size(), 0.0), x[0] = 1.0;  // everything on one unit: caps bind
    auto levels = levels_for(request, units, x);
    EXPECT_NEAR(total_in(levels, *request.model, 0), request.budget, 1e-3 * request.budget) << trial;
    std::map<std::string, double> by_country;
    for (const auto& [key, series] : levels) {
      if (!request.model->instrument(key.first)->intensity) by_country[key.second] += series.values[0];
      EXPECT_TRUE(request.constraints->allows(key.first, key.second) ||
                  request.model->instrument(key.first)->intensity)
          << key.first << " " << key.second;
    }
    for (const auto& [iso3, amount] : by_country) {
      EXPECT_LE(amount, request.constraints->cap(*request.model, iso3) * (1 + 1e-9)) << iso3;
    }
    // Pressure is the base strategy's.
    EXPECT_EQ(levels.at({"sanctions", "CUB"}).values[0], 1.0);
  }
}

TEST(OptimizationSpace, TheStartingStrategyIsReproducedExactly) {
  OptimizationRequest request = setup().request(1);
  request.start = &setup().security_first;
  std::vector<DecisionUnit> units = decision_units(request);
  auto levels = levels_for(request, units, start_point(request, units));
  for (const auto& [key, series] : setup().security_first.levels) {
    if (request.model->instrument(key.first)->intensity) continue;
    ASSERT_TRUE(levels.count(key)) << key.first << " " << key.second;
    EXPECT_NEAR(levels.at(key).values[5], series.values[5], 1e-6 * (1 + series.values[5]))
        << key.first << " " << key.second;
  }
}

// Two instruments over two groups, 4 members, 16 evaluations (two generations of 8): seconds.
OptimizationRequest small_pareto_request() {
  OptimizationRequest request = setup().request(1);
  request.instruments = {"security_cooperation", "democracy_assistance"};
  request.groups = {{"Andean", setup().model.groups.at("Andean")}, {"MEX", {"MEX"}}};
  request.members = 4;
  request.optimizer.evaluations = 16;
  return request;
}

double mean(const std::vector<double>& values) {
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

TEST(OptimizationPareto, TheFrontIsNonDominatedAndEveryPointSpendsTheBudget) {
  OptimizationRequest request = small_pareto_request();
  request.start = &setup().security_first;
  const ParetoOutcome outcome = optimize_pareto(request);
  EXPECT_EQ(outcome.components, component_variables(*request.plan, "component_"));
  EXPECT_EQ(outcome.components.size(), 7u);
  EXPECT_EQ(outcome.evaluations, 16u);
  ASSERT_GE(outcome.front.size(), 2u);
  for (const FrontPoint& a : outcome.front) {
    for (const FrontPoint& b : outcome.front) {
      EXPECT_FALSE(analysis::dominates(a.components, b.components));
    }
  }
  for (std::size_t point_idx = 0; point_idx < outcome.front.size(); ++point_idx) {
    const FrontPoint& point = outcome.front[point_idx];
    EXPECT_NEAR(total_in(point.levels, *request.model, 0), request.budget, 1e-6 * request.budget);
    EXPECT_NEAR(std::accumulate(point.unit_spending.begin(), point.unit_spending.end(), 0.0),
                request.budget, 1e-6 * request.budget);
    if (point_idx > 0) {
      EXPECT_LE(point.index, outcome.front[point_idx - 1].index);
    }
    // The index and the components come from the candidate's own run: running it again on
    // the same members gives them back.
    auto again = outcomes_at_horizon(request, point.levels, {"latin_win_index", "component_drugs"});
    EXPECT_DOUBLE_EQ(mean(again[0]), point.index);
    EXPECT_DOUBLE_EQ(mean(again[1]), point.components[0]);
  }
  // The convergence: the highest mean index so far, which the front holds.
  ASSERT_EQ(outcome.history.size(), 2u);
  EXPECT_LE(outcome.history[0].best, outcome.history[1].best);
  EXPECT_EQ(outcome.history.back().best, outcome.front.front().index);
  // The start, or a point at least as good on every component.
  auto start_levels = levels_for(request, outcome.units, start_point(request, outcome.units));
  std::vector<double> at_start;
  for (const auto& values : outcomes_at_horizon(request, start_levels, outcome.components)) {
    at_start.push_back(mean(values));
  }
  EXPECT_TRUE(std::any_of(outcome.front.begin(), outcome.front.end(), [&](const FrontPoint& point) {
    return point.components == at_start || analysis::dominates(point.components, at_start);
  }));
}

TEST(OptimizationPareto, RefusesTooFewComponentsOrEvaluations) {
  OptimizationRequest request = small_pareto_request();
  request.components_prefix = "no_such_prefix_";
  EXPECT_THROW(optimize_pareto(request), ModelError);
  request = small_pareto_request();
  request.optimizer.evaluations = 7;
  try {
    optimize_pareto(request);
    ADD_FAILURE() << "7 evaluations accepted";
  } catch (const InputError& error) {
    EXPECT_NE(std::string(error.what()).find("--pareto needs at least 8"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace latwin::study
