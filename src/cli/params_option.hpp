#pragma once
// --params FILE, shared by the commands that run ensembles (run, compare, optimize, explore):
// parameter sets such as latwin calibrate's posterior, in place of the priors' draws.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "policy/parameter_file.hpp"

namespace latwin::cli {

// Adds --params FILE to command, stored in path; note ends the help text.
void add_params_option(CLI::App* command, std::string& path, const std::string& note = "");

// Reads the file --params names; nullopt when path is empty. Throws latwin::InputError
// "PATH:LINE: ..." for a bad file, before any model is compiled.
std::optional<policy::ParameterFile> read_params(const std::string& path);

// The sets to put in every RunSpec: empty without --params.
engine::ParameterSets params_sets(const std::optional<policy::ParameterFile>& file);

// What output documents record: {"file": PATH, "sets": N, "parameters": [names],
// "provenance": {...}}, or null without --params.
nlohmann::ordered_json params_record(const std::string& path,
                                     const std::optional<policy::ParameterFile>& file);

}  // namespace latwin::cli
