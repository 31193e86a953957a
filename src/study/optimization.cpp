#include "study/optimization.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "analysis/statistics.hpp"
#include "core/error.hpp"
#include "engine/run/ensemble.hpp"
#include "study/comparison_run.hpp"

namespace latwin::study {

namespace {

// Keeps the values at the horizon of scalar variables, [variable][member].
class HorizonSink : public engine::RunSink {
 public:
  HorizonSink(std::vector<std::uint32_t> slots, std::uint64_t members)
      : slots_(std::move(slots)), values_(slots_.size(), std::vector<double>(members)) {}
  void begin(const engine::Plan&, const engine::RunLayout& layout) override {
    times_ = layout.save_times.size();
    // The layout orders slots its own way: find each variable's place in it.
    positions_.clear();
    for (std::uint32_t slot : slots_) {
      auto it = std::find(layout.save_slots.begin(), layout.save_slots.end(), slot);
      positions_.push_back(static_cast<std::size_t>(it - layout.save_slots.begin()));
    }
  }
  void batch(const engine::BatchResult& result) override {
    for (std::size_t var_idx = 0; var_idx < positions_.size(); ++var_idx) {
      const std::size_t at = (positions_[var_idx] * times_ + times_ - 1) * result.lanes;
      for (std::uint32_t lane = 0; lane < result.lanes; ++lane) {
        values_[var_idx][result.first_member + lane] = result.values[at + lane];
      }
    }
  }
  std::vector<std::vector<double>> take() { return std::move(values_); }

 private:
  std::vector<std::uint32_t> slots_;
  std::vector<std::size_t> positions_;
  std::vector<std::vector<double>> values_;
  std::size_t times_ = 0;
};

double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

std::vector<std::pair<int, int>> phase_years(int start, int horizon, int phases) {
  std::vector<std::pair<int, int>> out;
  const int years = horizon - start + 1;
  for (int p = 0; p < phases; ++p) {
    int first = start + years * p / phases;
    int last = start + years * (p + 1) / phases - 1;
    out.emplace_back(first, last);
  }
  return out;
}

}  // namespace

std::vector<DecisionUnit> decision_units(const OptimizationRequest& request) {
  const policy::Scenario& scenario = *request.scenario;
  if (request.phases < 1 || request.phases > scenario.horizon - scenario.start + 1) {
    throw InputError(fmt::format("--phases {}: must be from 1 to the number of years ({})",
                                 request.phases, scenario.horizon - scenario.start + 1));
  }
  std::vector<DecisionUnit> units;
  for (const auto& [first, last] : phase_years(scenario.start, scenario.horizon, request.phases)) {
    for (const auto& instrument : request.instruments) {
      for (const auto& [group, countries] : request.groups) {
        DecisionUnit unit{instrument, group, {}, first, last};
        for (const auto& iso3 : countries) {
          if (!request.constraints || request.constraints->allows(instrument, iso3)) {
            unit.countries.push_back(iso3);
          }
        }
        if (!unit.countries.empty()) units.push_back(std::move(unit));
      }
    }
  }
  if (units.empty()) throw InputError("nothing to optimise: the constraints forbid every instrument everywhere");
  return units;
}

AllocationLevels levels_for(const OptimizationRequest& request,
                            const std::vector<DecisionUnit>& units, const std::vector<double>& x) {
  const policy::Scenario& scenario = *request.scenario;
  const policy::ModelInterface& model = *request.model;
  AllocationLevels levels;
  auto series_for = [&](const std::string& instrument, const std::string& iso3) -> engine::Series& {
    engine::Series& series = levels[{instrument, iso3}];
    if (series.values.empty()) {
      series.first_year = scenario.start;
      series.values.assign(static_cast<std::size_t>(scenario.horizon - scenario.start + 1), 0.0);
    }
    return series;
  };
  // Pressure as the base strategy sets it.
  if (request.base) {
    for (const auto& [key, series] : request.base->levels) {
      const policy::Instrument* item = model.instrument(key.first);
      if (item && item->intensity) levels[key] = series;
    }
  }
  // Money: phase by phase, cells (unit, country) weighted by the unit's weight times the
  // country's share of the unit's population, then water-filled under the country caps.
  for (const auto& [first, last] : phase_years(scenario.start, scenario.horizon, request.phases)) {
    struct Cell {
      std::size_t unit;
      std::string iso3;
      double weight;
    };
    std::vector<Cell> cells;
    // What the starting strategy spends on (instrument, country) in this phase: within a
    // unit, countries are weighted as it weighted them (so the start is reproduced exactly),
    // by population where it spends nothing on the unit.
    auto start_spending = [&](const std::string& instrument, const std::string& iso3) {
      if (!request.start) return 0.0;
      auto it = request.start->levels.find({instrument, iso3});
      if (it == request.start->levels.end()) return 0.0;
      double sum = 0;
      for (int year = first; year <= last; ++year) {
        sum += it->second.values[static_cast<std::size_t>(year - scenario.start)];
      }
      return sum;
    };
    for (std::size_t u = 0; u < units.size(); ++u) {
      if (units[u].first_year != first) continue;
      double people = 0, started = 0;
      for (const auto& iso3 : units[u].countries) {
        people += model.population.count(iso3) ? model.population.at(iso3) : 0;
        started += start_spending(units[u].instrument, iso3);
      }
      for (const auto& iso3 : units[u].countries) {
        double share = started > 0 ? start_spending(units[u].instrument, iso3) / started
                       : people > 0 && model.population.count(iso3)
                           ? model.population.at(iso3) / people
                           : 1.0 / static_cast<double>(units[u].countries.size());
        cells.push_back({u, iso3, x[u] * share});
      }
    }
    std::vector<double> spend(cells.size(), 0.0);
    std::map<std::string, bool> capped;
    double left = request.budget;
    for (std::size_t round = 0; round <= cells.size() && left > 1e-9; ++round) {
      double total = 0;
      std::size_t open = 0;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (capped[cells[i].iso3]) continue;
        total += cells[i].weight;
        ++open;
      }
      if (open == 0) break;
      std::map<std::string, double> proposed;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (capped[cells[i].iso3]) continue;
        spend[i] = total > 0 ? left * cells[i].weight / total : left / static_cast<double>(open);
        proposed[cells[i].iso3] += spend[i];
      }
      std::map<std::string, double> fixed;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (capped[cells[i].iso3]) fixed[cells[i].iso3] += spend[i];
      }
      bool changed = false;
      for (const auto& [iso3, amount] : proposed) {
        double cap = request.constraints ? request.constraints->cap(model, iso3) : INFINITY;
        if (amount > cap) {
          for (std::size_t i = 0; i < cells.size(); ++i) {
            if (cells[i].iso3 == iso3) spend[i] *= cap / amount;
          }
          capped[iso3] = true;
          changed = true;
        }
      }
      if (!changed) break;
      left = request.budget;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (capped[cells[i].iso3]) left -= spend[i];
      }
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
      engine::Series& series = series_for(units[cells[i].unit].instrument, cells[i].iso3);
      for (int year = first; year <= last; ++year) {
        series.values[static_cast<std::size_t>(year - scenario.start)] += spend[i];
      }
    }
  }
  return levels;
}

std::vector<std::vector<double>> outcomes_at_horizon(const OptimizationRequest& request,
                                                     const AllocationLevels& levels,
                                                     const std::vector<std::string>& variables) {
  const engine::Plan& plan = *request.plan;
  std::vector<std::uint32_t> slots;
  for (const auto& name : variables) {
    auto found = plan.find_variable(name);
    if (!found || !plan.variables[*found].dims.empty()) {
      throw ModelError(fmt::format("the model has no scalar variable '{}' to optimise", name));
    }
    slots.push_back(plan.variables[*found].first_slot);
  }
  engine::RunSpec spec;
  spec.seed = request.seed;
  spec.members = request.members;
  spec.threads = request.threads;
  spec.stop = request.scenario->horizon;
  spec.save = variables;
  spec.overrides = request.scenario->overrides;
  for (const auto& [key, series] : levels) spec.inputs.allocations[key] = series;
  spec.inputs.scenario = request.scenario->series;
  spec.parameter_sets = request.parameter_sets;
  HorizonSink sink(std::move(slots), request.members);
  engine::run_ensemble(request.plan, spec, {&sink});
  return sink.take();
}

std::vector<double> index_at_horizon(const OptimizationRequest& request,
                                     const AllocationLevels& levels) {
  return outcomes_at_horizon(request, levels, {request.index}).front();
}

double objective_value(const OptimizationRequest& request, const std::vector<double>& index) {
  switch (request.objective) {
    case ObjectiveKind::kExpected:
      return mean_of(index);
    case ObjectiveKind::kCvar: {
      // The mean of the worst alpha share of members: what the strategy gives when things go
      // badly (conditional value at risk, Rockafellar and Uryasev 2000).
      std::vector<double> sorted = index;
      std::sort(sorted.begin(), sorted.end());
      auto count = std::max<std::size_t>(
          1, static_cast<std::size_t>(std::floor(request.cvar_alpha * static_cast<double>(sorted.size()))));
      double sum = 0;
      for (std::size_t i = 0; i < count; ++i) sum += sorted[i];
      return sum / static_cast<double>(count);
    }
    case ObjectiveKind::kRegret: {
      // Minus the expected regret against the candidate and the reference strategies,
      // member by member (the candidate's shortfall from the best of them).
      double regret = 0;
      for (std::size_t m = 0; m < index.size(); ++m) {
        double best = index[m];
        for (const auto& other : request.regret_against) best = std::max(best, other[m]);
        regret += best - index[m];
      }
      return -regret / static_cast<double>(index.size());
    }
  }
  return NAN;
}

std::vector<double> start_point(const OptimizationRequest& request,
                                const std::vector<DecisionUnit>& units) {
  // Each unit's weight is what the strategy spends on its instrument in its countries during
  // its phase, as a share of the budget.
  std::vector<double> start;
  if (!request.start) return start;
  for (const auto& unit : units) {
    double spent = 0;
    for (const auto& iso3 : unit.countries) {
      auto it = request.start->levels.find({unit.instrument, iso3});
      if (it == request.start->levels.end()) continue;
      for (int year = unit.first_year; year <= unit.last_year; ++year) {
        spent += it->second.values[static_cast<std::size_t>(year - request.scenario->start)];
      }
    }
    spent /= unit.last_year - unit.first_year + 1;
    start.push_back(std::clamp(spent / request.budget, 0.0, 1.0));
  }
  return start;
}

OptimizationOutcome optimize(const OptimizationRequest& request,
                             const std::function<void(const analysis::OptimizerStep&)>& progress) {
  OptimizationOutcome outcome;
  outcome.units = decision_units(request);
  auto objective = [&](const std::vector<double>& x) {
    return objective_value(request, index_at_horizon(request, levels_for(request, outcome.units, x)));
  };
  std::vector<double> start = start_point(request, outcome.units);
  outcome.result =
      analysis::maximise(outcome.units.size(), objective, request.optimizer, progress, start);
  outcome.levels = levels_for(request, outcome.units, outcome.result.best_x);
  outcome.unit_spending = unit_spending(request, outcome.units, outcome.levels);
  return outcome;
}

std::vector<double> unit_spending(const OptimizationRequest& request,
                                  const std::vector<DecisionUnit>& units,
                                  const AllocationLevels& levels) {
  std::vector<double> spending;
  for (const auto& unit : units) {
    double total = 0;
    for (const auto& iso3 : unit.countries) {
      const engine::Series& series = levels.at({unit.instrument, iso3});
      total += series.values[static_cast<std::size_t>(unit.first_year - request.scenario->start)];
    }
    spending.push_back(total);
  }
  return spending;
}

ParetoOutcome optimize_pareto(const OptimizationRequest& request,
                              const std::function<void(const analysis::OptimizerStep&)>& progress) {
  ParetoOutcome outcome;
  outcome.units = decision_units(request);
  outcome.components = component_variables(*request.plan, request.components_prefix);
  if (outcome.components.size() < 2) {
    throw ModelError(fmt::format(
        "--pareto trades off the index's components, the scalar variables named {}*, but the "
        "model has {}: it needs two or more",
        request.components_prefix, outcome.components.size()));
  }
  // NSGA-II's smallest population (analysis::pareto_front pairs parents in fours).
  constexpr std::size_t kLeastPopulation = 8;
  analysis::OptimizerOptions options = request.optimizer;
  if (options.evaluations < kLeastPopulation) {
    throw InputError(
        fmt::format("--evaluations {}: --pareto needs at least {} (one generation of "
                    "the search)",
                    options.evaluations, kLeastPopulation));
  }
  if (options.population == 0) {
    // pareto_front's own 40, unless that would leave fewer than two generations to evolve.
    options.population =
        std::max(kLeastPopulation, std::min<std::size_t>(40, options.evaluations / 2) / 4 * 4);
  }

  // Each candidate is one run saving the components and the index: the components are the
  // objectives, and the index is kept by candidate so the front's index comes from the same
  // runs (the model weighs the components; nothing here does).
  std::vector<std::string> saved = outcome.components;
  saved.push_back(request.index);
  std::map<std::vector<double>, double> index_of;
  analysis::ParetoPoint best;  // the highest mean index so far
  double best_index = -INFINITY;
  auto objective = [&](const std::vector<double>& x) {
    auto values = outcomes_at_horizon(request, levels_for(request, outcome.units, x), saved);
    std::vector<double> means;
    for (const auto& member_values : values) means.push_back(mean_of(member_values));
    const double index = means.back();
    means.pop_back();
    index_of[x] = index;
    // A failed run (NaN) ranks last.
    const double ranked = std::isnan(index) ? -INFINITY : index;
    if (best.x.empty() || ranked > best_index) {
      best = {x, means};
      best_index = ranked;
    }
    return means;
  };
  auto generation = [&](const analysis::OptimizerStep& step) {
    outcome.history.push_back({step.evaluations, best_index});
    outcome.evaluations = step.evaluations;
    if (progress) progress(outcome.history.back());
  };
  std::vector<analysis::ParetoPoint> front =
      analysis::pareto_front(outcome.units.size(), outcome.components.size(), objective, options,
                             generation, start_point(request, outcome.units));
  // NSGA-II's crowding may have dropped the best candidate by the index: put it back unless
  // the front holds one at least as good on every component.
  front.push_back(best);
  front = analysis::non_dominated(front);

  for (const auto& point : front) {
    FrontPoint entry;
    entry.x = point.x;
    entry.components = point.values;
    entry.index = index_of.at(point.x);
    entry.levels = levels_for(request, outcome.units, point.x);
    entry.unit_spending = unit_spending(request, outcome.units, entry.levels);
    outcome.front.push_back(std::move(entry));
  }
  auto ranked = [](const FrontPoint& point) {
    return std::isnan(point.index) ? -INFINITY : point.index;
  };
  std::stable_sort(outcome.front.begin(), outcome.front.end(),
                   [&](const FrontPoint& a, const FrontPoint& b) { return ranked(a) > ranked(b); });
  // Weights in proportion give the same allocation (the budget is shared by weight): such
  // points are one strategy, kept once. Rounded to the dollar, far below any effect.
  std::set<std::vector<long long>> seen;
  std::erase_if(outcome.front, [&](const FrontPoint& point) {
    std::vector<long long> key;
    for (double usd : point.unit_spending) key.push_back(std::llround(usd));
    return !seen.insert(std::move(key)).second;
  });
  return outcome;
}

std::string strategy_yaml(const OptimizationRequest& request, const AllocationLevels& levels,
                          const std::string& name, const std::string& description) {
  const policy::Scenario& scenario = *request.scenario;
  std::string text = fmt::format(
      "# Generated by latwin optimize: edit freely, or run it with latwin compare.\n"
      "name: {}\ndescription: >-\n  {}\nbudget: {:.10g}\nrules:\n",
      name, description, request.budget * (1 + 1e-9));
  for (const auto& [key, series] : levels) {
    const policy::Instrument* item = request.model->instrument(key.first);
    if (!item) continue;
    if (item->intensity) {
      bool constant = std::all_of(series.values.begin(), series.values.end(),
                                  [&](double v) { return v == series.values.front(); });
      if (constant && series.values.front() == 0) continue;
      if (constant) {
        text += fmt::format("  - {{instrument: {}, countries: {}, intensity: {:.10g}}}\n", key.first,
                            key.second, series.values.front());
      } else {
        std::string path;
        for (std::size_t i = 0; i < series.values.size(); ++i) {
          if (i > 0 && series.values[i] == series.values[i - 1]) continue;
          // A step: hold the previous value to the year before, then jump.
          if (i > 0) path += fmt::format("{}: {:.10g}, ", series.first_year + static_cast<int>(i) - 1, series.values[i - 1]);
          path += fmt::format("{}: {:.10g}, ", series.first_year + static_cast<int>(i), series.values[i]);
        }
        path.resize(path.size() - 2);
        text += fmt::format("  - {{instrument: {}, countries: {}, intensity: {{{}}}}}\n", key.first,
                            key.second, path);
      }
      continue;
    }
    // Money: one rule per phase with spending.
    std::size_t i = 0;
    while (i < series.values.size()) {
      std::size_t j = i;
      while (j + 1 < series.values.size() && series.values[j + 1] == series.values[i]) ++j;
      if (series.values[i] > 0) {
        int first = scenario.start + static_cast<int>(i), last = scenario.start + static_cast<int>(j);
        text += fmt::format("  - {{instrument: {}, countries: {}, years: {}-{}, usd: {:.10g}}}\n",
                            key.first, key.second, first, last, series.values[i]);
      }
      i = j + 1;
    }
  }
  return text;
}

}  // namespace latwin::study
