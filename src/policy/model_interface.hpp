#pragma once
// What a compiled model offers strategies and scenarios: its instruments (allocation()
// inputs), its scenario inputs, the countries they apply to and the groups analysts name
// countries by. Strategies and scenarios are checked against it, so a file that names an
// instrument the model does not have fails before anything runs.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/plan.hpp"

namespace latwin::policy {

struct Instrument {
  std::string name;
  std::string unit;         // the reading variable's unit: "USD/year" or "1"
  bool intensity = false;   // true: an intensity in [low, high]; false: money, USD per year
  std::optional<double> low, high;
  std::string description;
  std::vector<std::string> elements;  // countries it can be given for; empty when scalar
};

struct ScenarioInput {
  std::string name;
  std::string unit;
  std::optional<double> low, high;
  std::string description;
  std::vector<std::string> elements;  // empty when scalar
  bool required = false;              // read without a default somewhere in the model
};

struct ModelInterface {
  const engine::Plan* plan = nullptr;
  int start = 0, stop = 0;  // whole years
  std::vector<Instrument> instruments;
  std::vector<ScenarioInput> inputs;
  // Group name -> its countries: "all", and every subregion of the countries table.
  std::map<std::string, std::vector<std::string>> groups;
  std::map<std::string, std::string> country_names;  // ISO3 -> name
  std::map<std::string, double> population;           // ISO3 -> people, latest year <= start

  const Instrument* instrument(const std::string& name) const;
  const ScenarioInput* input(const std::string& name) const;
};

// Builds the interface from a compiled model and the data its countries come from (panel
// may be null: then only "all" is a group and population splits are unavailable). Throws
// latwin::ModelError when the model's start or stop is not a whole year.
ModelInterface describe_model(const engine::Plan& plan, const data::Panel* panel);

}  // namespace latwin::policy
