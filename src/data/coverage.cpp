#include "data/coverage.hpp"

#include <fmt/format.h>

#include <cmath>

namespace latwin::data {

Coverage compute_coverage(const Panel& panel) {
  Coverage coverage;
  coverage.indicators = panel.indicators();
  coverage.countries = panel.countries().iso3();
  coverage.shares.assign(coverage.countries.size() * coverage.indicators.size(), 0.0);
  for (std::size_t indicator_idx = 0; indicator_idx < coverage.indicators.size(); ++indicator_idx) {
    const std::string& indicator = coverage.indicators[indicator_idx];
    IndicatorStats stats = panel.stats(indicator);
    if (!stats.first_year) continue;
    const int span_years = *stats.last_year - *stats.first_year + 1;
    for (std::size_t country_idx = 0; country_idx < coverage.countries.size(); ++country_idx) {
      std::optional<PanelSeries> series =
          panel.series(indicator, coverage.countries[country_idx], Values::kObservedOnly);
      if (!series) continue;
      int years = 0;
      for (double value : series->values) years += std::isnan(value) ? 0 : 1;
      coverage.shares[country_idx * coverage.indicators.size() + indicator_idx] =
          static_cast<double>(years) / span_years;
    }
  }
  return coverage;
}

std::string coverage_csv(const Coverage& coverage) {
  std::string text = "iso3";
  for (const auto& indicator : coverage.indicators) text += "," + indicator;
  text += "\n";
  for (std::size_t country_idx = 0; country_idx < coverage.countries.size(); ++country_idx) {
    text += coverage.countries[country_idx];
    for (std::size_t indicator_idx = 0; indicator_idx < coverage.indicators.size();
         ++indicator_idx) {
      text += fmt::format(",{:.3f}", coverage.share(country_idx, indicator_idx));
    }
    text += "\n";
  }
  return text;
}

}  // namespace latwin::data
