#pragma once
// A strategy: what the U.S. spends on which instrument, where and when, as a YAML file
// (docs/strategies-and-scenarios.md).
//
//   name: security-first
//   description: ...
//   budget: 1.2e9                  # optional: USD per year the money instruments stay within
//   rules:
//     - instrument: counternarcotics
//       countries: [COL, PER, BOL]  # ISO3 codes, subregions ("Andean"), or all
//       except: [VEN]               # optional
//       years: 2025-2040            # optional: default every year of the run
//       usd: 3.0e8                  # or share: 0.25 (of the budget), or intensity: 0.5,
//                                   # each a number or a path {2025: 1e8, 2030: 3e8}
//       split: population           # each | equal | population (for usd and share)
//       why: ...                    # optional reasoning, shown in reports
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/inputs.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"

namespace latwin::policy {

struct Strategy {
  std::string name, description;
  std::string path, text;
  std::optional<double> budget;  // USD per year
  int start = 0, horizon = 0;
  // (instrument, country) -> level by year, from start to horizon.
  std::map<std::pair<std::string, std::string>, engine::Series> levels;
  std::vector<std::string> summary;  // one plain line per rule

  // Mean over the years of the total spent on money instruments (USD per year).
  double total_usd_per_year(const ModelInterface& model) const;
  // Mean over years (and countries) of each instrument: USD per year for money (summed over
  // countries), intensity (averaged over countries) for pressure.
  std::map<std::string, double> mean_levels(const ModelInterface& model) const;
  engine::RunInputs inputs() const;
};

// Reads, checks and expands a strategy for a scenario (whose years it covers and whose
// budget envelope it must respect). Throws latwin::InputError "PATH:LINE: ..." for an unknown
// instrument or country, a negative amount, overlapping rules, a budget overrun, or years
// outside the scenario's.
Strategy load_strategy(const std::string& path, const ModelInterface& model,
                       const Scenario& scenario);
Strategy parse_strategy(const std::string& path, const std::string& text,
                        const ModelInterface& model, const Scenario& scenario);

}  // namespace latwin::policy
