#pragma once
// Runs a strategy over an experimental design of the model's uncertain parameters
// (latwin explore): member i of the ensemble takes row i of the design, as quantiles of each
// parameter's distribution. Strategies run on the same design rows, so their outcomes are
// compared row by row.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/compile/plan.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"

namespace latwin::study {

// The model's uncertain parameters (params with a distribution, not fixed by the scenario),
// in model order: the factors an exploration samples.
std::vector<std::string> uncertain_parameters(const engine::Plan& plan,
                                              const policy::Scenario& scenario);

// The index at the horizon for each row of unit (rows x factors.size(), values in (0, 1)).
std::vector<double> index_over_design(std::shared_ptr<const engine::Plan> plan,
                                      const policy::Scenario& scenario,
                                      const policy::Strategy& strategy,
                                      const std::vector<std::string>& factors,
                                      const std::vector<double>& unit,
                                      const std::vector<std::uint64_t>& event_members,
                                      const std::string& index, std::uint64_t seed, int threads);

}  // namespace latwin::study
