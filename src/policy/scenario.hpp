#pragma once
// A scenario: what the world does, as a YAML file (docs/strategies-and-scenarios.md).
//
//   name: china-surge
//   description: ...
//   start: 2024            # the model's start (its initial state is that year's data)
//   horizon: 2040          # last year simulated
//   budget_envelope: 2.0e9 # USD per year the U.S. can spend on the money instruments
//   series:                # the model's scenario inputs, by name or name[ISO3]
//     china_posture: {2024: 0.5, 2030: 0.9}
//   shocks:                # random shocks of the model: on/off and how often
//     recession: {on: true, intensity: 1.5}
//   parameters:            # fixed values for uncertain parameters, every member
//     opening_rate: 0.01
//   uncertain:             # deep uncertainties, sampled by latwin explore only
//     china_posture: {range: [0.3, 0.9], why: ...}       # the input's level, every year
//     commodity_price_index: {scale: [0.8, 1.2], why: ...}  # times the series above
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/inputs.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/model_interface.hpp"

namespace latwin::policy {

struct Scenario {
  std::string name, description;
  std::string path, text;  // the file as read
  int start = 0, horizon = 0;
  std::optional<double> budget_envelope;  // USD per year
  int budget_envelope_line = 0;
  // (input, element) -> values for every year start .. horizon + 1; element "" for all.
  std::map<std::pair<std::string, std::string>, engine::Series> series;
  std::vector<engine::ParamOverride> overrides;
  // Deep uncertainties: scenario inputs with a range and no probabilities. Runs that compare
  // or optimise use the series above; latwin explore samples these as factors.
  struct Uncertain {
    engine::InputFactor factor;
    std::string why;
    int line = 0;
  };
  std::vector<Uncertain> uncertain;
  std::vector<std::string> summary;  // one plain line per setting
};

// Reads and checks a scenario file against the model. Throws latwin::InputError
// "PATH:LINE: ..." naming what is wrong.
Scenario load_scenario(const std::string& path, const ModelInterface& model);
Scenario parse_scenario(const std::string& path, const std::string& text,
                        const ModelInterface& model);

// The name of the scenario input a shock's switch is: SHOCK_hazard_scale.
std::string shock_input(const std::string& shock);

}  // namespace latwin::policy
