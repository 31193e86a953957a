#pragma once
// The model over past years, with the U.S. aid actually given and without it for some
// countries: how the model tells a historical case (Plan Colombia) and how it compares with
// what was observed. Both runs share seed and members (common random numbers), so their
// difference, member by member, is the effect of the aid in the model.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/plan.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/scenario.hpp"
#include "study/observations.hpp"

namespace latwin::study {

struct HistoryRequest {
  std::shared_ptr<const engine::Plan> plan;
  const data::Panel* panel = nullptr;  // what the runs read and are compared with
  ObservationSpec observations;
  const policy::Scenario* world = nullptr;  // held at its levels
  int from = 0, to = 0;
  std::vector<std::string> countries;  // reported; empty: every country
  std::vector<std::string> without;    // no U.S. money instrument in the counterfactual
  std::optional<engine::ParameterSets> sets;
  std::uint64_t seed = 1, members = 500;
  int threads = 0;
};

// Percentiles reported for each run.
inline constexpr std::array<double, 3> kHistoryQuantiles = {0.05, 0.5, 0.95};

struct HistoryCell {
  std::string indicator, variable, country;
  int year = 0;
  double observed = 0;  // NaN where the data have no value from the sources
  std::array<double, 3> with_aid{}, without_aid{};  // kHistoryQuantiles
  // Of the member-by-member difference with - without.
  std::array<double, 3> effect{};
};

struct HistoryResult {
  std::vector<HistoryCell> cells;
  std::uint64_t diagnostics = 0;
};

// Throws as calibrate() for bad observations; latwin::InputError for an unknown country.
HistoryResult run_history(const HistoryRequest& request);

}  // namespace latwin::study
