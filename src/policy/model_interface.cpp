#include "policy/model_interface.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <set>

#include "core/error.hpp"

namespace latwin::policy {

const Instrument* ModelInterface::instrument(const std::string& name) const {
  for (const auto& item : instruments) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

const ScenarioInput* ModelInterface::input(const std::string& name) const {
  for (const auto& item : inputs) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

namespace {

std::vector<std::string> elements_of(const engine::Plan& plan, const engine::Variable& var) {
  if (var.dims.empty()) return {};
  return plan.dimensions[var.dims.front()].elements;
}

}  // namespace

ModelInterface describe_model(const engine::Plan& plan, const data::Panel* panel) {
  ModelInterface model;
  model.plan = &plan;
  if (plan.settings.start != std::floor(plan.settings.start) ||
      plan.settings.stop != std::floor(plan.settings.stop)) {
    throw ModelError(fmt::format("the model runs from {} to {}: strategies and scenarios need "
                                 "it to start and stop on whole years",
                                 plan.settings.start, plan.settings.stop));
  }
  model.start = static_cast<int>(plan.settings.start);
  model.stop = static_cast<int>(plan.settings.stop);

  std::set<std::string> seen_instruments, seen_inputs;
  std::set<std::string> countries;
  for (const auto& ref : plan.series) {
    if (ref.kind == engine::SeriesKind::kData) continue;
    const engine::Variable& reader = plan.variables[ref.reader];
    if (ref.kind == engine::SeriesKind::kAllocation) {
      if (!seen_instruments.insert(ref.name).second) continue;
      Instrument item;
      item.name = ref.name;
      item.unit = reader.unit;
      item.intensity = reader.unit == "1";
      item.low = reader.range_low;
      item.high = reader.range_high;
      item.description = reader.description;
      item.elements = elements_of(plan, reader);
      countries.insert(item.elements.begin(), item.elements.end());
      model.instruments.push_back(std::move(item));
    } else {
      if (!seen_inputs.insert(ref.name).second) {
        for (auto& input : model.inputs) {
          if (input.name == ref.name) input.required = input.required || ref.required;
        }
        continue;
      }
      ScenarioInput item;
      item.name = ref.name;
      item.unit = reader.unit;
      item.low = reader.range_low;
      item.high = reader.range_high;
      item.description = reader.description;
      item.elements = elements_of(plan, reader);
      item.required = ref.required;
      model.inputs.push_back(std::move(item));
    }
  }

  model.groups["all"] = std::vector<std::string>(countries.begin(), countries.end());
  if (panel) {
    const auto& table = panel->countries();
    for (const auto& iso3 : countries) {
      if (!table.contains(iso3)) continue;
      if (auto name = table.field(iso3, "name")) model.country_names[iso3] = *name;
      if (auto subregion = table.field(iso3, "subregion"); subregion && !subregion->empty()) {
        model.groups[*subregion].push_back(iso3);
      }
      // The latest population at or before the start: a split by population uses the
      // country sizes the run starts from.
      if (auto series = panel->series("population", iso3)) {
        for (int year = std::min(model.start, series->last_year()); year >= series->first_year;
             --year) {
          if (auto value = series->at(year)) {
            model.population[iso3] = *value;
            break;
          }
        }
      }
    }
  }
  return model;
}

}  // namespace latwin::policy
