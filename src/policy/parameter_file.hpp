#pragma once
// Parameter sets as a file (latwin-params/1, docs/parameters.md): what latwin calibrate writes
// (a posterior) and what --params reads.
//
//   format: latwin-params/1
//   provenance: {method: abc-rejection, data: data/, seed: 1}   # any mapping, kept as JSON
//   parameters:
//     - {name: homicide_elasticity, elements: 1}
//     - {name: cn_eradication_max, elements: 33}
//   sets:                  # one flat list per set: a quantile in (0, 1) per element
//     - [0.12, 0.5, ...]
#include <nlohmann/json.hpp>
#include <string>

#include "engine/run/ensemble.hpp"

namespace latwin::policy {

inline constexpr const char* kParameterFileFormat = "latwin-params/1";

struct ParameterFile {
  engine::ParameterSets sets;
  nlohmann::ordered_json provenance = nlohmann::ordered_json::object();  // always an object
};

// Reads and checks a parameter file (names and counts are checked against a model only when
// it runs: engine::validate_run). Throws latwin::InputError "PATH:LINE: what was expected"
// for an unreadable file, bad YAML, a wrong or missing format, an unknown key, missing
// parameters or sets, a bad name, element counts that are not positive integers, a set of the
// wrong length, a value that is not a number inside (0, 1), or no sets.
ParameterFile read_parameter_file(const std::string& path);
// Parses text as if read from path (tests, fuzzing).
ParameterFile parse_parameter_file(const std::string& path, const std::string& text);

// Writes file to path atomically, quantiles with 17 significant digits so they read back bit
// for bit. Throws latwin::InputError when the path cannot be written or the provenance holds
// text YAML cannot carry (not UTF-8), or latwin::ModelError when the sets are inconsistent
// (see engine::ParameterSets).
void write_parameter_file(const std::string& path, const ParameterFile& file);

// The file as text (what write_parameter_file writes).
std::string format_parameter_file(const ParameterFile& file);

}  // namespace latwin::policy
