#pragma once
// The fuzz body for strategy, scenario and parameter files (policy/), shared by the
// libFuzzer target and the regression replay test. A small model stands in for the
// hemisphere: three countries, a money instrument, a pressure instrument, scenario inputs and
// a shock.
//
// The input's first byte picks the reader (bit 2 set: a model's observations file; else bit 1
// set: parameter sets; else even: scenario, odd: strategy under a fixed scenario); the rest
// is the YAML text. Any outcome but success or
// latwin::InputError is a failure, and so is an expanded strategy with a negative, non-finite
// or unbudgeted amount, or parameter sets that are inconsistent or do not print and read back
// as themselves.
#include <cmath>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "policy/model_interface.hpp"
#include "policy/parameter_file.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "study/observations.hpp"

namespace latwin::fuzz {

inline const char* kPolicyFuzzModel = R"(
simulation start = 2024 stop = 2030 dt = 1
dimension country = {AAA, BBB, CCC}
aux aid[country] [USD/year] = allocation("aid")
aux pressure[country] [1] = allocation("pressure") range [0, 1]
aux posture [1] = scenario("posture", 0.5) range [0, 1]
aux recession_hazard_scale[country] [1] = scenario("recession_hazard_scale", 1)
aux year_of_change[country] [year] = scenario("year_of_change", 0)
param gain [1] = 0.5 ~ uniform(0, 1) "a parameter" source "fuzz"
const usd_scale [USD] = 1e9
const one_year [year] = 1
stock level[country] [1] = 0
  inflow rise [1/year] = (gain * aid * one_year / usd_scale
      + pressure * posture * recession_hazard_scale + year_of_change / one_year / 1e6) / one_year
)";

inline const policy::ModelInterface& policy_fuzz_model() {
  static const engine::CompileResult compiled =
      engine::compile_text(kPolicyFuzzModel, nullptr, "fuzz.lw");
  static const policy::ModelInterface model = policy::describe_model(*compiled.plan, nullptr);
  return model;
}

inline const policy::Scenario& policy_fuzz_scenario() {
  static const policy::Scenario scenario = policy::parse_scenario(
      "fuzz-scenario.yaml", "name: s\ndescription: d\nbudget_envelope: 1.0e9\n",
      policy_fuzz_model());
  return scenario;
}

// Empty when a parameter file read correctly; otherwise what is wrong with what was read.
inline std::string check_parameter_file(const std::string& text) {
  policy::ParameterFile file = policy::parse_parameter_file("fuzz.yaml", text);
  const engine::ParameterSets& sets = file.sets;
  if (sets.parameters.empty() || sets.elements.size() != sets.parameters.size()) {
    return "parameter sets without parameters or with mismatched counts";
  }
  if (sets.rows() == 0 || sets.unit.size() != sets.rows() * sets.row_width()) {
    return "parameter sets without whole rows";
  }
  for (double u : sets.unit) {
    if (!(u > 0 && u < 1)) return "parameter set value outside (0, 1)";
  }
  if (!file.provenance.is_object()) return "provenance is not an object";
  policy::ParameterFile back =
      policy::parse_parameter_file("fuzz-back.yaml", policy::format_parameter_file(file));
  if (back.sets.parameters != sets.parameters || back.sets.elements != sets.elements ||
      back.sets.unit != sets.unit) {
    return "parameter sets do not read back as written";
  }
  if (back.provenance != file.provenance) return "provenance does not read back as written";
  return "";
}

// Empty when an observations file read correctly; otherwise what is wrong with what was read.
inline std::string check_observations_file(const std::string& text) {
  study::ObservationSpec spec = study::parse_observations("fuzz.yaml", text);
  if (spec.observations.empty()) return "observations read without any observation";
  for (std::size_t i = 0; i < spec.observations.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (spec.observations[i].indicator == spec.observations[j].indicator) {
        return "an indicator read twice";
      }
    }
  }
  if (!spec.aid.aid_indicator.empty() && spec.aid.reference_variable.empty()) {
    return "historical aid read without a reference";
  }
  return "";
}

// Empty when the input was handled correctly; otherwise what went wrong.
inline std::string check_policy_readers(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return "";
  const bool parameters = (data[0] & 2) != 0;
  const bool strategy = (data[0] & 1) != 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if ((data[0] & 4) != 0) return check_observations_file(text);
    if (parameters) return check_parameter_file(text);
    if (!strategy) {
      policy::Scenario s = policy::parse_scenario("fuzz.yaml", text, policy_fuzz_model());
      for (const auto& [key, series] : s.series) {
        for (double v : series.values) {
          if (!std::isfinite(v)) return "scenario series value is not finite";
        }
      }
      return "";
    }
    policy::Strategy s =
        policy::parse_strategy("fuzz.yaml", text, policy_fuzz_model(), policy_fuzz_scenario());
    for (int year = s.start; year <= s.horizon; ++year) {
      double total = 0;
      for (const auto& [key, series] : s.levels) {
        double v = series.values.at(static_cast<std::size_t>(year - s.start));
        if (!std::isfinite(v) || v < 0) return "strategy level is negative or not finite";
        if (key.first == "aid") total += v;
        if (key.first == "pressure" && v > 1) return "pressure above its range";
      }
      if (total > 1.0e9 * (1 + 1e-6) + 1) return "strategy spends above the envelope";
    }
  } catch (const InputError&) {
    return "";
  } catch (const std::exception& e) {
    return std::string("unexpected exception: ") + e.what();
  }
  return "";
}

}  // namespace latwin::fuzz
