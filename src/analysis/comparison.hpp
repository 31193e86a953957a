#pragma once
// Compares strategies run on the same ensemble members (common random numbers) and writes
// the comparison document (docs/compare-format.md). Knows outcomes only as named series of
// samples where higher is better; nothing of the model that produced them.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace latwin::analysis {

struct OutcomeInfo {
  std::string variable, label, description;
};

struct CountryInfo {
  std::string iso3, name, subregion;
  double latitude = 0, longitude = 0;
};

struct StrategySamples {
  std::string name;
  // [outcome][year][member]: outcome 0 is the index, then the components in order.
  std::vector<std::vector<std::vector<double>>> outcomes;
  // [country][member]: the country outcome at the horizon.
  std::vector<std::vector<double>> countries;
};

struct ComparisonSetup {
  // Copied to the top of the document as is: format, created, latwin_version, command,
  // model, data, scenario, strategies, seed, members, threads (see the format).
  nlohmann::ordered_json header;
  std::string scenario_label;  // e.g. "baseline", for the answer's wording
  std::vector<double> years;
  OutcomeInfo index;
  std::vector<OutcomeInfo> components;
  OutcomeInfo country_outcome;
  std::vector<CountryInfo> countries;
  std::string reference;  // a strategy name
};

// One row of the ensemble summaries kept with the comparison.
struct SummaryLine {
  std::string strategy, variable, element;
  double year = 0;
  double mean = 0, sd = 0, p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

struct Comparison {
  nlohmann::ordered_json document;
  std::vector<SummaryLine> summaries;  // every outcome, year and strategy; countries at the horizon
};

// Throws std::invalid_argument when the samples do not match the setup (a bug in the caller).
Comparison compare_strategies(const ComparisonSetup& setup,
                              const std::vector<StrategySamples>& strategies);

}  // namespace latwin::analysis
