#include "study/comparison_run.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "engine/run/ensemble.hpp"

namespace latwin::study {

std::vector<std::string> component_variables(const engine::Plan& plan, const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& var : plan.variables) {
    if (!var.hidden && var.dims.empty() && var.name.starts_with(prefix)) names.push_back(var.name);
  }
  return names;
}

ComparisonRun run_comparison(const ComparisonRequest& request,
                             const std::function<void(std::size_t, std::uint64_t)>& progress) {
  const engine::Plan& plan = *request.plan;
  if (!plan.find_variable(request.index)) {
    throw ModelError(fmt::format("the model has no variable '{}' to compare strategies on",
                                 request.index));
  }
  ComparisonRun run;
  run.components = component_variables(plan, request.components_prefix);
  auto by_country = plan.find_variable(request.by_country);
  if (!by_country || plan.variables[*by_country].dims.size() != 1) {
    throw ModelError(fmt::format("the model has no variable '{}' over one dimension to map",
                                 request.by_country));
  }
  const engine::Variable& country_var = plan.variables[*by_country];
  run.countries = plan.dimensions[country_var.dims[0]].elements;

  std::vector<std::string> outcomes = {request.index};
  outcomes.insert(outcomes.end(), run.components.begin(), run.components.end());
  std::vector<std::string> save = outcomes;
  save.push_back(request.by_country);

  const std::uint64_t members = request.members;
  for (std::size_t s = 0; s < request.strategies.size(); ++s) {
    const policy::Strategy& strategy = *request.strategies[s];
    engine::RunSpec spec;
    spec.seed = request.seed;
    spec.members = members;
    spec.threads = request.threads;
    spec.stop = request.scenario->horizon;
    spec.save = save;
    spec.overrides = request.scenario->overrides;
    spec.inputs = strategy.inputs();
    spec.inputs.scenario = request.scenario->series;
    spec.parameter_sets = request.parameter_sets;
    engine::TrajectoryCollector collector;
    engine::RunReport report = engine::run_ensemble(
        request.plan, spec, {&collector}, [&](std::uint64_t done) {
          if (progress) progress(s, done);
        });
    run.diagnostics += report.diagnostic_count;
    if (run.first_diagnostic.empty() && !report.diagnostics.empty()) {
      run.first_diagnostic =
          fmt::format("{}: {}", strategy.name, engine::describe(report.diagnostics.front()));
    }
    const engine::RunLayout& layout = collector.layout();
    run.years = layout.save_times;
    const std::size_t last = run.years.size() - 1;

    analysis::StrategySamples sample;
    sample.name = strategy.name;
    for (const auto& name : outcomes) {
      std::size_t slot = layout.saved_position(plan.variables[*plan.find_variable(name)].first_slot);
      std::vector<std::vector<double>> by_year(run.years.size(), std::vector<double>(members));
      for (std::size_t t = 0; t < run.years.size(); ++t) {
        for (std::uint64_t m = 0; m < members; ++m) by_year[t][m] = collector.at(slot, t, m);
      }
      sample.outcomes.push_back(std::move(by_year));
    }
    for (std::uint32_t e = 0; e < country_var.element_count; ++e) {
      std::size_t slot = layout.saved_position(country_var.first_slot + e);
      std::vector<double> values(members);
      for (std::uint64_t m = 0; m < members; ++m) values[m] = collector.at(slot, last, m);
      sample.countries.push_back(std::move(values));
    }
    run.samples.push_back(std::move(sample));
  }
  return run;
}

}  // namespace latwin::study
