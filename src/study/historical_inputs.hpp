#pragma once
// Run inputs for years in the past: what the U.S. spent on each instrument in those years
// and what the world did, so a model can be run over history (calibration) or from a past
// origin (backtests). The U.S. side comes from the data (aid per country and year) and the
// model's own status-quo levels; the world side from a scenario, held at its levels.
#include <memory>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/plan.hpp"
#include "engine/inputs.hpp"
#include "policy/scenario.hpp"
#include "study/observations.hpp"

namespace latwin::study {

// The model's status-quo level of every instrument for a run starting in `start`, at the
// nominal parameter values: the variable status_quo_NAME (0 for an instrument without one),
// and aid's reference variable. Levels are per element of the instrument, in its order.
struct StatusQuoLevels {
  int start = 0;
  std::vector<std::string> instruments;
  std::vector<std::vector<double>> levels;  // [instrument][element]
  std::vector<std::string> elements;        // the countries
  std::vector<double> aid_reference;        // per element; empty without historical_aid
};
StatusQuoLevels status_quo_levels(std::shared_ptr<const engine::Plan> plan, const data::Panel& panel,
                                  const HistoricalAid& aid, int start);

// Allocations for every year from levels.start to last + 1 (a run's last step reads the year
// after its stop). follow_aid instruments follow the data's aid in years up to aid_until
// (status quo x aid / reference; a year without an aid value counts as 0, as the model's
// reference does) and stay at their status-quo level after it; the other instruments stay at
// their status-quo level throughout. aid_until < levels.start: every instrument held.
std::map<std::pair<std::string, std::string>, engine::Series> historical_allocations(
    const StatusQuoLevels& levels, const data::Panel& panel, const HistoricalAid& aid, int last,
    int aid_until);

// A scenario's series moved to start in `start`: each held at its value in the scenario's
// first year, for every year from start to last + 1. The world inputs of a backtest: the data
// hold no commodity prices, world growth or China's posture, so these stay at the scenario's
// levels, which is an assumption docs/validation.md states.
std::map<std::pair<std::string, std::string>, engine::Series> held_scenario_series(
    const policy::Scenario& scenario, int start, int last);

}  // namespace latwin::study
