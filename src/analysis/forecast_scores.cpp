#include "analysis/forecast_scores.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "analysis/statistics.hpp"

namespace latwin::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Sorts the finite members and returns how many were left out.
std::size_t finite_sorted(std::vector<double>& members) {
  std::size_t total = members.size();
  std::erase_if(members, [](double v) { return !std::isfinite(v); });
  std::sort(members.begin(), members.end());
  return total - members.size();
}

// sum_{i<j} (x_(j) - x_(i)) over sorted x, as a sum of non-negative gaps: the gap between
// x_(k) and x_(k+1) lies between k(m - k) pairs. No cancellation, unlike sum (2i - m - 1) x_(i).
double pair_spread_sum(const std::vector<double>& sorted) {
  const double m = static_cast<double>(sorted.size());
  double sum = 0;
  for (std::size_t k = 1; k < sorted.size(); ++k) {
    const double below = static_cast<double>(k);
    sum += below * (m - below) * (sorted[k] - sorted[k - 1]);
  }
  return sum;
}

double mean_abs_deviation(const std::vector<double>& sorted, double y) {
  double sum = 0;
  for (double x : sorted) sum += std::fabs(x - y);
  return sum / static_cast<double>(sorted.size());
}

// The CRPS as the integral of (F(x) - 1{x >= y})^2 over the segments between consecutive
// members and y (Hersbach 2000). Equal to E|X - y| - 1/2 E|X - X'| in exact arithmetic, but a
// sum of non-negative terms: never negative in floating point, and 0 exactly when every member
// equals y. The squared weight is (k - h m)^2 / m^2 with integers k, h m, so it is the same
// for a reflected ensemble.
double crps_sorted(const std::vector<double>& sorted, double y) {
  const std::size_t m = sorted.size();
  const double m_d = static_cast<double>(m);
  double integral = 0;
  // Segments left of y: H = 0, F = k/m after k members.
  std::size_t k = 0;
  while (k < m && sorted[k] < y) {
    double right = (k + 1 < m && sorted[k + 1] < y) ? sorted[k + 1] : y;
    double weight = static_cast<double>(k + 1) * static_cast<double>(k + 1);
    integral += weight * (right - sorted[k]);
    ++k;
  }
  // Segments right of y: H = 1, 1 - F = (m - k)/m before member k (members >= y from here).
  for (std::size_t j = k; j < m; ++j) {
    double left = j == k ? y : sorted[j - 1];
    double above = static_cast<double>(m - j);
    integral += above * above * (sorted[j] - left);
  }
  return integral / (m_d * m_d);
}

}  // namespace

double crps_ensemble(std::vector<double> members, double observed) {
  finite_sorted(members);
  if (members.empty() || !std::isfinite(observed)) return kNaN;
  return crps_sorted(members, observed);
}

double crps_ensemble_fair(std::vector<double> members, double observed) {
  finite_sorted(members);
  if (members.size() < 2 || !std::isfinite(observed)) return kNaN;
  const double m = static_cast<double>(members.size());
  // 1/2 E|X - X'| over the m(m - 1) ordered pairs of distinct members is the pair sum over
  // m(m - 1). By the triangle inequality it never exceeds E|X - y|; clamp the rounding.
  double spread = pair_spread_sum(members) / (m * (m - 1));
  return std::max(0.0, mean_abs_deviation(members, observed) - spread);
}

EnsembleScore score_ensemble(std::vector<double> members, double observed) {
  EnsembleScore score;
  score.non_finite = finite_sorted(members);
  score.members = members.size();
  if (members.empty() || !std::isfinite(observed)) {
    score.median = members.empty() ? kNaN : quantile_sorted(members, 0.5);
    score.abs_error = score.squared_error = score.crps = kNaN;
    return score;
  }
  score.median = quantile_sorted(members, 0.5);
  double error = score.median - observed;
  score.abs_error = std::fabs(error);
  score.squared_error = error * error;
  score.crps = crps_sorted(members, observed);
  for (std::size_t level_idx = 0; level_idx < kIntervalLevels.size(); ++level_idx) {
    double low = quantile_sorted(members, kIntervalLowQuantiles[level_idx]);
    double high = quantile_sorted(members, kIntervalHighQuantiles[level_idx]);
    score.covered[level_idx] = low <= observed && observed <= high;
  }
  return score;
}

// ---- baselines

History::History(int first_year, std::span<const double> values, int origin_year)
    : origin_year_(origin_year) {
  // Only indices up to the origin are read: the values after it never enter the object.
  const long long last_index = static_cast<long long>(origin_year) - first_year;
  for (long long index = 0; index <= last_index && index < static_cast<long long>(values.size());
       ++index) {
    double value = values[static_cast<std::size_t>(index)];
    if (!std::isfinite(value)) continue;
    years_.push_back(first_year + static_cast<int>(index));
    values_.push_back(value);
  }
}

double persistence_forecast(const History& history) {
  return history.values().empty() ? kNaN : history.values().back();
}

double trend_forecast(const History& history, int lead_years, const TrendOptions& options) {
  if (lead_years < 0) throw std::invalid_argument("trend_forecast: lead_years is negative");
  if (options.window_points < 2) {
    throw std::invalid_argument("trend_forecast: window_points must be at least 2");
  }
  const std::size_t n_all = history.values().size();
  const std::size_t n = std::min(n_all, options.window_points);
  if (n < 2) return kNaN;
  const std::size_t first = n_all - n;
  // Years centred on their mean, so the slope's sums do not cancel around year 2000.
  double year_mean = 0, value_mean = 0;
  for (std::size_t i = first; i < n_all; ++i) {
    year_mean += history.years()[i];
    value_mean += history.values()[i];
  }
  year_mean /= static_cast<double>(n);
  value_mean /= static_cast<double>(n);
  double sxx = 0, sxy = 0;
  for (std::size_t i = first; i < n_all; ++i) {
    double dx = history.years()[i] - year_mean;
    sxx += dx * dx;
    sxy += dx * (history.values()[i] - value_mean);
  }
  // Distinct years (History has one value per year) make sxx > 0 whenever n >= 2.
  double slope = sxy / sxx;
  double target_year = static_cast<double>(history.origin_year()) + lead_years;
  return value_mean + slope * (target_year - year_mean);
}

double historical_mean_forecast(const History& history) {
  if (history.values().empty()) return kNaN;
  double sum = 0;
  for (double v : history.values()) sum += v;
  return sum / static_cast<double>(history.values().size());
}

BaselineForecasts baseline_forecasts(const History& history, int lead_years,
                                     const TrendOptions& options) {
  BaselineForecasts forecasts;
  forecasts.persistence = persistence_forecast(history);
  forecasts.trend = trend_forecast(history, lead_years, options);
  forecasts.historical_mean = historical_mean_forecast(history);
  return forecasts;
}

// ---- the score table

std::string_view forecast_method_name(ForecastMethod method) {
  switch (method) {
    case ForecastMethod::kEnsemble:
      return "ensemble";
    case ForecastMethod::kPersistence:
      return "persistence";
    case ForecastMethod::kTrend:
      return "trend";
    case ForecastMethod::kHistoricalMean:
      return "historical_mean";
  }
  return "?";
}

namespace {

constexpr std::size_t kPersistenceIdx = static_cast<std::size_t>(ForecastMethod::kPersistence);
constexpr std::size_t kLevels = kIntervalLevels.size();

// One method's scores for one observed outcome.
struct OutcomeScore {
  bool forecast = false;
  double abs_error = 0, squared_error = 0, crps = 0;
  std::array<bool, kLevels> covered{};
};

OutcomeScore point_score(double forecast, double observed) {
  OutcomeScore score;
  if (!std::isfinite(forecast)) return score;
  score.forecast = true;
  score.abs_error = std::fabs(forecast - observed);
  score.squared_error = score.abs_error * score.abs_error;
  // The CRPS of a point mass at x is |x - y|: a baseline stands in the same CRPS column.
  score.crps = score.abs_error;
  return score;
}

struct MethodSums {
  std::size_t count = 0, no_forecast = 0, skill_count = 0;
  double squared = 0, absolute = 0, crps = 0;
  std::array<std::size_t, kLevels> covered{};
  // Over the outcomes persistence also scored.
  double skill_squared = 0, skill_crps = 0, skill_squared_persistence = 0,
         skill_crps_persistence = 0;
};

struct GroupSums {
  std::size_t outcomes = 0, missing = 0;
  std::array<MethodSums, kForecastMethodCount> methods{};

  void add(const std::array<OutcomeScore, kForecastMethodCount>* scores) {
    ++outcomes;
    if (scores == nullptr) {
      ++missing;
      return;
    }
    const OutcomeScore& persistence = (*scores)[kPersistenceIdx];
    for (std::size_t method_idx = 0; method_idx < kForecastMethodCount; ++method_idx) {
      const OutcomeScore& score = (*scores)[method_idx];
      MethodSums& sums = methods[method_idx];
      if (!score.forecast) {
        ++sums.no_forecast;
        continue;
      }
      ++sums.count;
      sums.squared += score.squared_error;
      sums.absolute += score.abs_error;
      sums.crps += score.crps;
      for (std::size_t level_idx = 0; level_idx < kLevels; ++level_idx) {
        sums.covered[level_idx] += score.covered[level_idx] ? 1 : 0;
      }
      if (persistence.forecast) {
        ++sums.skill_count;
        sums.skill_squared += score.squared_error;
        sums.skill_crps += score.crps;
        sums.skill_squared_persistence += persistence.squared_error;
        sums.skill_crps_persistence += persistence.crps;
      }
    }
  }
};

double skill(double score, double reference) {
  return reference > 0 ? 1 - score / reference : kNaN;
}

MethodScores finish(const MethodSums& sums, bool has_intervals) {
  MethodScores out;
  out.count = sums.count;
  out.no_forecast = sums.no_forecast;
  out.skill_count = sums.skill_count;
  const double n = static_cast<double>(sums.count);
  out.rmse = sums.count ? std::sqrt(sums.squared / n) : kNaN;
  out.mae = sums.count ? sums.absolute / n : kNaN;
  out.crps = sums.count ? sums.crps / n : kNaN;
  for (std::size_t level_idx = 0; level_idx < kLevels; ++level_idx) {
    out.coverage[level_idx] =
        has_intervals && sums.count ? static_cast<double>(sums.covered[level_idx]) / n : kNaN;
  }
  if (sums.skill_count == 0) {
    out.rmse_skill = out.crps_skill = kNaN;
  } else {
    // The common count cancels in the RMSE ratio.
    out.rmse_skill =
        skill(std::sqrt(sums.skill_squared), std::sqrt(sums.skill_squared_persistence));
    out.crps_skill = skill(sums.skill_crps, sums.skill_crps_persistence);
  }
  return out;
}

ScoreRow make_row(const std::string& indicator, std::optional<std::string> country,
                  std::optional<int> lead, const GroupSums& sums) {
  ScoreRow row;
  row.indicator = indicator;
  row.country = std::move(country);
  row.lead_years = lead;
  row.outcomes = sums.outcomes;
  row.missing = sums.missing;
  for (std::size_t method_idx = 0; method_idx < kForecastMethodCount; ++method_idx) {
    bool has_intervals = method_idx == static_cast<std::size_t>(ForecastMethod::kEnsemble);
    row.methods[method_idx] = finish(sums.methods[method_idx], has_intervals);
  }
  return row;
}

}  // namespace

std::vector<ScoreRow> score_table(const std::vector<ForecastRecord>& records) {
  std::map<std::tuple<std::string, std::string, int>, GroupSums> by_country_lead;
  std::map<std::pair<std::string, int>, GroupSums> by_lead;
  std::map<std::string, GroupSums> by_indicator;
  for (const ForecastRecord& record : records) {
    if (record.lead_years < 0) {
      throw std::invalid_argument("score_table: record for " + record.indicator + " in " +
                                  record.country + " has a negative lead");
    }
    std::array<OutcomeScore, kForecastMethodCount> scores{};
    const bool observed = std::isfinite(record.observed);
    if (observed) {
      EnsembleScore ensemble = score_ensemble(record.members, record.observed);
      OutcomeScore& e = scores[static_cast<std::size_t>(ForecastMethod::kEnsemble)];
      e.forecast = ensemble.members > 0;
      e.abs_error = ensemble.abs_error;
      e.squared_error = ensemble.squared_error;
      e.crps = ensemble.crps;
      e.covered = ensemble.covered;
      scores[kPersistenceIdx] = point_score(record.baselines.persistence, record.observed);
      scores[static_cast<std::size_t>(ForecastMethod::kTrend)] =
          point_score(record.baselines.trend, record.observed);
      scores[static_cast<std::size_t>(ForecastMethod::kHistoricalMean)] =
          point_score(record.baselines.historical_mean, record.observed);
    }
    const auto* outcome = observed ? &scores : nullptr;
    by_country_lead[{record.indicator, record.country, record.lead_years}].add(outcome);
    by_lead[{record.indicator, record.lead_years}].add(outcome);
    by_indicator[record.indicator].add(outcome);
  }

  std::vector<ScoreRow> rows;
  for (const auto& [indicator, indicator_sums] : by_indicator) {
    for (auto it = by_country_lead.lower_bound({indicator, std::string(), INT_MIN});
         it != by_country_lead.end() && std::get<0>(it->first) == indicator; ++it) {
      rows.push_back(
          make_row(indicator, std::get<1>(it->first), std::get<2>(it->first), it->second));
    }
    for (auto it = by_lead.lower_bound({indicator, INT_MIN});
         it != by_lead.end() && it->first.first == indicator; ++it) {
      rows.push_back(make_row(indicator, std::nullopt, it->first.second, it->second));
    }
    rows.push_back(make_row(indicator, std::nullopt, std::nullopt, indicator_sums));
  }
  return rows;
}

}  // namespace latwin::analysis
