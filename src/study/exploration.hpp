#pragma once
// Runs a strategy over an experimental design of the model's uncertain parameters and the
// scenario's deep uncertainties (latwin explore): member i of the ensemble takes row i of the
// design, as quantiles of each parameter's distribution and points in each input's range. Strategies run on the same design rows, so their outcomes are
// compared row by row.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/compile/plan.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"

namespace latwin::study {

// What an exploration samples: the model's uncertain parameters (params with a
// distribution, not fixed by the scenario nor given by parameter sets), in model order, then
// the scenario's deep uncertainties (its `uncertain:` inputs). A design row has one value in
// (0, 1) per factor. Parameters in sets (a posterior) are left out: their rows keep them
// jointly, which independent factors would break.
struct ExplorationFactors {
  std::vector<std::string> parameters;
  std::vector<engine::InputFactor> inputs;

  std::size_t size() const { return parameters.size() + inputs.size(); }
  // Parameters by name; inputs as "NAME (scenario)", or "NAME (scenario, x)" when scaled.
  std::vector<std::string> names() const;
  // A column's value as an analyst reads it: a parameter's quantile as it is, an input's
  // level (or multiple) as low + (high - low) u.
  double shown_value(std::size_t column, double u) const;
};

ExplorationFactors exploration_factors(const engine::Plan& plan, const policy::Scenario& scenario,
                                       const engine::ParameterSets& parameter_sets = {});

// The index at the horizon for each row of unit (rows x factors.size(), values in (0, 1)).
// parameter_sets (may be empty) give the parameters that are not factors: row i takes set
// event_members[i] mod N, so the rows that share their events share their set too.
std::vector<double> index_over_design(std::shared_ptr<const engine::Plan> plan,
                                      const policy::Scenario& scenario,
                                      const policy::Strategy& strategy,
                                      const ExplorationFactors& factors,
                                      const std::vector<double>& unit,
                                      const std::vector<std::uint64_t>& event_members,
                                      const std::string& index, std::uint64_t seed, int threads,
                                      const engine::ParameterSets& parameter_sets = {});

}  // namespace latwin::study
