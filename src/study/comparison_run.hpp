#pragma once
// Runs strategies under a scenario on the same ensemble members and collects what the
// comparison needs: the index and its components every year, and the per-country outcome
// at the horizon. The glue between the engine (which runs), policy/ (which turns files into
// run inputs) and analysis/ (which compares samples).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/comparison.hpp"
#include "engine/compile/plan.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"

namespace latwin::study {

struct ComparisonRequest {
  std::shared_ptr<const engine::Plan> plan;
  const policy::Scenario* scenario = nullptr;
  std::vector<const policy::Strategy*> strategies;
  std::uint64_t seed = 1;
  std::uint64_t members = 1000;
  int threads = 0;
  std::string index = "latin_win_index";         // higher is better
  std::string components_prefix = "component_";  // scalar variables named PREFIX*
  std::string by_country = "country_index";      // one dimension
  engine::ParameterSets parameter_sets;  // e.g. a posterior (--params); empty: priors
};

struct ComparisonRun {
  std::vector<std::string> components;  // variable names, model order
  std::vector<std::string> countries;   // elements of by_country's dimension
  std::vector<double> years;            // save times
  std::vector<analysis::StrategySamples> samples;
  std::uint64_t diagnostics = 0;        // numerical problems recorded, all strategies
  std::string first_diagnostic;         // "STRATEGY: what", empty when none
};

// The index's components: the scalar variables shown to the user whose names start with
// prefix, in model order (empty when there are none).
std::vector<std::string> component_variables(const engine::Plan& plan, const std::string& prefix);

// Checks the outcome variables first (throws latwin::ModelError naming a missing one).
// progress (may be empty) gets the strategy's position and the members it has finished.
// Common random numbers: every strategy runs with the same seed and members, and the
// engine's draws depend only on (seed, member, variable, element, step), so member m faces
// the same parameters and shocks under every strategy.
ComparisonRun run_comparison(const ComparisonRequest& request,
                             const std::function<void(std::size_t, std::uint64_t)>& progress = {});

}  // namespace latwin::study
