#pragma once
// How much of each indicator's years every country has from the sources: the matrix that
// `latwin data coverage` writes.
#include <cstddef>
#include <string>
#include <vector>

#include "data/panel.hpp"

namespace latwin::data {

struct Coverage {
  std::vector<std::string> indicators;  // ids with rows in panel.csv, sorted
  std::vector<std::string> countries;   // countries.csv, in file order
  // Row-major countries × indicators: the share (0 to 1) of the indicator's span of years
  // (its first to last observed or derived year over all countries) in which the country has
  // an observed or derived value. 0 for an indicator without such values.
  std::vector<double> shares;

  double share(std::size_t country_idx, std::size_t indicator_idx) const {
    return shares[country_idx * indicators.size() + indicator_idx];
  }
};

// Coverage of every country of countries.csv, counting observed and derived values only.
Coverage compute_coverage(const Panel& panel);

// "iso3,<indicator>,..." then one line per country, shares with 3 decimals.
std::string coverage_csv(const Coverage& coverage);

}  // namespace latwin::data
