#pragma once
// What latwin calibrate and latwin backtest share: the model, the data panel, the model's
// observations file and the scenario whose world they hold, found and checked the same way,
// and the words docs/validation.md and the parameter files use for the method.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "policy/scenario.hpp"
#include "study/observations.hpp"

namespace latwin::cli {

inline constexpr const char* kCalibrationMethod =
    "rejection approximate Bayesian computation (Pritchard et al. 1999): every uncertain "
    "parameter drawn from its prior range, the model run over the calibration years, the "
    "draws nearest to the observed data kept as the posterior sample";
inline constexpr const char* kCalibrationDistance =
    "root mean square over indicators of each indicator's root mean square error over "
    "countries and years after the start, each error divided by the spread (standard "
    "deviation) of that indicator's observed values; logs for log-scale indicators; only "
    "values from the sources, never gap-filled ones";

struct ValidationSetup {
  std::string model_dir, data_dir, model_sha256;
  study::ObservationSpec observations;
  std::string scenario_path;
  std::unique_ptr<data::Panel> panel;  // the panel as built
  // With compile_as_of: the vintage, the model compiled on it and the scenario read for it.
  std::unique_ptr<data::PanelDataSource> source;
  engine::CompileResult compiled;
  policy::Scenario scenario;
};

// Adds --model, --data, --observations and --scenario.
void add_validation_options(CLI::App* command, std::string& model, std::string& data_dir,
                            std::string& observations, std::string& scenario);

// Finds and reads everything; with compile_as_of, also compiles the model on the data as known
// at the end of that year. Throws latwin::InputError / ModelError with plain messages.
ValidationSetup prepare_validation(const std::string& model, const std::string& data_dir,
                                   const std::string& observations, const std::string& scenario,
                                   std::optional<int> compile_as_of);

}  // namespace latwin::cli
