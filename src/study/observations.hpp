#pragma once
// Which model variable each data indicator measures (a model's observations.yaml): what
// `latwin calibrate` fits to and what `latwin backtest` scores. The model says it, because
// only the model knows that its `democracy` is what V-Dem's polyarchy index measures.
#include <string>
#include <vector>

namespace latwin::study {

struct Observation {
  std::string indicator;  // data/ indicator id
  std::string variable;   // model variable, over one dimension (the countries)
  bool headline = false;  // one of the indicators validation reports lead with
  // Compare in logs (calibration's distance): for positive series spread over orders of
  // magnitude (income, migration), so that small countries count as much as large ones.
  bool log_scale = false;
  std::string why;
  int line = 0;
};

// How runs over past years get the U.S. instrument levels of those years: the data give
// total aid per country and year (aid_indicator), the model its status-quo level of each
// instrument (status_quo_NAME) and the aid total that level was derived from
// (reference_variable). An instrument in follow_aid takes status_quo x aid(year) /
// reference in each past year; every other instrument stays at its status-quo level.
struct HistoricalAid {
  std::string aid_indicator;
  std::string reference_variable;
  std::vector<std::string> follow_aid;
  std::string why;
};

struct ObservationSpec {
  std::string path;
  std::vector<Observation> observations;
  HistoricalAid aid;  // aid_indicator empty: instruments held at their status-quo levels
};

// Reads PATH (format in models/hemisphere/observations.yaml). Throws latwin::InputError
// "PATH:LINE: ..." for bad YAML, an unknown key, a missing field, or an indicator listed twice.
ObservationSpec read_observations(const std::string& path);
ObservationSpec parse_observations(const std::string& path, const std::string& text);

// The observations of the given indicators, in the file's order; every one when indicators
// is empty. Throws latwin::InputError naming an indicator the file does not list.
std::vector<Observation> selected_observations(const ObservationSpec& spec,
                                               const std::vector<std::string>& indicators);

// The observations file of a model given as files/folders: FOLDER/observations.yaml of the
// first folder (or of the first file's folder). Empty when none exists.
std::string find_observations_file(const std::vector<std::string>& model_paths);

}  // namespace latwin::study
