#include "study/historical_inputs.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/model_interface.hpp"

namespace latwin::study {

StatusQuoLevels status_quo_levels(std::shared_ptr<const engine::Plan> plan, const data::Panel& panel,
                                  const HistoricalAid& aid, int start) {
  const policy::ModelInterface model = policy::describe_model(*plan, &panel);
  StatusQuoLevels result;
  result.start = start;
  std::vector<std::string> save;
  for (const auto& instrument : model.instruments) {
    result.instruments.push_back(instrument.name);
    if (result.elements.empty()) result.elements = instrument.elements;
    if (plan->find_variable("status_quo_" + instrument.name)) {
      save.push_back("status_quo_" + instrument.name);
    }
  }
  if (!aid.aid_indicator.empty()) {
    if (!plan->find_variable(aid.reference_variable)) {
      throw ModelError(fmt::format("historical_aid: the model has no variable '{}'",
                                   aid.reference_variable));
    }
    save.push_back(aid.reference_variable);
  }
  engine::RunSpec spec;
  spec.members = 1;
  spec.sample_parameters = false;
  spec.start = start;
  spec.stop = start + 1;
  spec.save = save;
  engine::TrajectoryCollector collector;
  if (!save.empty()) engine::run_ensemble(plan, spec, {&collector});
  for (const auto& instrument : model.instruments) {
    std::vector<double> levels(instrument.elements.size(), 0.0);
    const std::string name = "status_quo_" + instrument.name;
    if (plan->find_variable(name)) {
      for (std::size_t e = 0; e < levels.size(); ++e) {
        levels[e] = collector.value(name, instrument.elements[e], 0, 0);
      }
    }
    result.levels.push_back(std::move(levels));
  }
  if (!aid.aid_indicator.empty()) {
    for (const auto& element : result.elements) {
      result.aid_reference.push_back(collector.value(aid.reference_variable, element, 0, 0));
    }
  }
  return result;
}

std::map<std::pair<std::string, std::string>, engine::Series> historical_allocations(
    const StatusQuoLevels& levels, const data::Panel& panel, const HistoricalAid& aid, int last,
    int aid_until) {
  if (!aid.aid_indicator.empty() && !panel.has_indicator(aid.aid_indicator)) {
    throw InputError(fmt::format("{}: historical_aid: the data have no indicator '{}'",
                                 panel.dir(), aid.aid_indicator));
  }
  std::map<std::pair<std::string, std::string>, engine::Series> result;
  const int years = last + 1 - levels.start + 1;
  for (std::size_t i = 0; i < levels.instruments.size(); ++i) {
    const std::string& instrument = levels.instruments[i];
    const bool follows = !aid.aid_indicator.empty() &&
                         std::find(aid.follow_aid.begin(), aid.follow_aid.end(), instrument) !=
                             aid.follow_aid.end();
    for (std::size_t e = 0; e < levels.elements.size(); ++e) {
      engine::Series series;
      series.first_year = levels.start;
      series.values.assign(static_cast<std::size_t>(years), levels.levels[i][e]);
      if (follows) {
        const double reference = levels.aid_reference[e];
        for (int k = 0; k < years; ++k) {
          const int year = levels.start + k;
          if (year > aid_until) break;
          const double spent =
              panel.value(aid.aid_indicator, levels.elements[e], year).value_or(0.0);
          // A country with no aid in the reference years has no status-quo level to scale.
          series.values[static_cast<std::size_t>(k)] =
              reference > 0 ? levels.levels[i][e] * spent / reference : 0.0;
        }
      }
      result[{instrument, levels.elements[e]}] = std::move(series);
    }
  }
  return result;
}

std::map<std::pair<std::string, std::string>, engine::Series> held_scenario_series(
    const policy::Scenario& scenario, int start, int last) {
  std::map<std::pair<std::string, std::string>, engine::Series> result;
  for (const auto& [key, series] : scenario.series) {
    engine::Series held;
    held.first_year = start;
    const double level = series.values.empty() ? 0.0 : series.values.front();
    held.values.assign(static_cast<std::size_t>(last + 1 - start + 1), level);
    result[key] = std::move(held);
  }
  return result;
}

}  // namespace latwin::study
