#include "study/history_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/statistics.hpp"
#include "core/error.hpp"
#include "policy/model_interface.hpp"
#include "study/calibration.hpp"
#include "study/historical_inputs.hpp"

namespace latwin::study {

namespace {

std::array<double, 3> percentiles(const std::vector<double>& values) {
  std::vector<double> sorted;
  for (double v : values) {
    if (std::isfinite(v)) sorted.push_back(v);
  }
  std::sort(sorted.begin(), sorted.end());
  std::array<double, 3> out{};
  for (std::size_t q = 0; q < out.size(); ++q) {
    out[q] = sorted.empty() ? std::nan("") : analysis::quantile_sorted(sorted, kHistoryQuantiles[q]);
  }
  return out;
}

}  // namespace

HistoryResult run_history(const HistoryRequest& request) {
  const engine::Plan& plan = *request.plan;
  const data::Panel& panel = *request.panel;
  if (request.to <= request.from) {
    throw InputError(fmt::format("--from {} --to {}: the years must run forward", request.from,
                                 request.to));
  }
  std::vector<std::string> save = check_observations(plan, panel, request.observations.observations);
  const policy::ModelInterface model = policy::describe_model(plan, &panel);
  for (const auto& list : {request.countries, request.without}) {
    for (const auto& iso3 : list) {
      if (!panel.countries().contains(iso3)) {
        throw InputError(fmt::format("country '{}' is not in {}", iso3,
                                     panel.path("countries.csv")));
      }
    }
  }

  const HistoricalAid& aid = request.observations.aid;
  StatusQuoLevels levels = status_quo_levels(request.plan, panel, aid, request.from);
  engine::RunSpec spec;
  spec.seed = request.seed;
  spec.members = request.members;
  spec.threads = request.threads;
  spec.start = request.from;
  spec.stop = request.to;
  spec.save_every = 1;
  spec.save = save;
  spec.overrides = request.world->overrides;
  spec.inputs.allocations = historical_allocations(levels, panel, aid, request.to, request.to);
  spec.inputs.scenario = held_scenario_series(*request.world, request.from, request.to);
  if (request.sets) spec.parameter_sets = *request.sets;

  engine::RunSpec counterfactual = spec;
  for (const auto& instrument : model.instruments) {
    if (instrument.intensity) continue;  // pressure is not support
    for (const auto& iso3 : request.without) {
      auto it = counterfactual.inputs.allocations.find({instrument.name, iso3});
      if (it == counterfactual.inputs.allocations.end()) continue;
      std::fill(it->second.values.begin(), it->second.values.end(), 0.0);
    }
  }

  engine::TrajectoryCollector with_aid, without_aid;
  HistoryResult result;
  result.diagnostics += engine::run_ensemble(request.plan, spec, {&with_aid}).diagnostic_count;
  result.diagnostics +=
      engine::run_ensemble(request.plan, counterfactual, {&without_aid}).diagnostic_count;
  const engine::RunLayout& layout = with_aid.layout();

  for (const auto& obs : request.observations.observations) {
    const engine::Variable& var = plan.variables[*plan.find_variable(obs.variable)];
    const auto& elements = plan.dimensions[var.dims[0]].elements;
    for (std::uint32_t e = 0; e < elements.size(); ++e) {
      if (!request.countries.empty() &&
          std::find(request.countries.begin(), request.countries.end(), elements[e]) ==
              request.countries.end()) {
        continue;
      }
      const std::size_t slot = layout.saved_position(var.first_slot + e);
      for (std::size_t t = 0; t < layout.save_times.size(); ++t) {
        HistoryCell cell;
        cell.indicator = obs.indicator;
        cell.variable = obs.variable;
        cell.country = elements[e];
        cell.year = static_cast<int>(std::lround(layout.save_times[t]));
        cell.observed = panel.value(obs.indicator, elements[e], cell.year, data::Values::kObservedOnly)
                            .value_or(std::nan(""));
        std::vector<double> a(request.members), b(request.members), d(request.members);
        for (std::uint64_t m = 0; m < request.members; ++m) {
          a[m] = with_aid.at(slot, t, m);
          b[m] = without_aid.at(slot, t, m);
          d[m] = a[m] - b[m];
        }
        cell.with_aid = percentiles(a);
        cell.without_aid = percentiles(b);
        cell.effect = percentiles(d);
        result.cells.push_back(cell);
      }
    }
  }
  return result;
}

}  // namespace latwin::study
