#pragma once
// Scores of forecasts against what was observed, for backtests: the ensemble's CRPS, the
// errors of its median, the coverage of its central intervals, and the same scores for three
// point-forecast baselines (persistence, a linear trend, the historical mean), aggregated per
// (indicator, country, lead), per (indicator, lead) and per indicator. Pure functions on
// numbers and labels; nothing of the model that produced the members. docs/forecast-scores.md
// explains the scores for analysts.
//
// Conventions:
//   CRPS        the empirical ensemble CRPS, E|X - y| - 1/2 E|X - X'| over the members'
//               empirical distribution (Gneiting and Raftery 2007; Hersbach 2000); the
//               "fair" variant (Ferro 2014) is crps_ensemble_fair, not used in the table.
//   point       the ensemble's point forecast is its median, for absolute and squared error.
//   intervals   central intervals [q(0.25), q(0.75)], [q(0.10), q(0.90)], [q(0.025), q(0.975)]
//               of the members, closed, with type-7 quantiles (statistics.hpp's
//               quantile_sorted).
//   non-finite  members that are NaN or infinite are left out and counted; an ensemble with no
//               finite member, or a baseline without enough history, is "no forecast".
//   gaps        an outcome whose observation is NaN is skipped and counted as missing.
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace latwin::analysis {

// A missing value (an unobserved year, a forecast that could not be made).
inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

// ---- one outcome

// Nominal levels of the central intervals whose coverage is scored, in this order, and the
// member quantiles that bound them. The bounds are written out rather than computed as
// (1 - level) / 2: in double, (1 - 0.95) / 2 is 0.025000000000000022, which would move a bound
// off an observation lying exactly on it.
inline constexpr std::array<double, 3> kIntervalLevels = {0.50, 0.80, 0.95};
inline constexpr std::array<double, 3> kIntervalLowQuantiles = {0.25, 0.10, 0.025};
inline constexpr std::array<double, 3> kIntervalHighQuantiles = {0.75, 0.90, 0.975};

// CRPS of the empirical distribution of the finite members for the observation y, exact, in
// O(m log m): (1/m) sum_i |x_i - y| - (1/m^2) sum_{i<j} |x_i - x_j|, summed as the integral of
// (F - H)^2 segment by segment over the sorted members (Hersbach 2000), so it is never
// negative and is 0 exactly when every member equals y. In the units of the forecast
// variable; |x - y| for one member. NaN when y is not finite or no member is.
double crps_ensemble(std::vector<double> members, double observed);

// The "fair" CRPS (Ferro 2014): the spread term divides by m(m - 1) instead of m^2, which makes
// it an unbiased estimate of the CRPS of the distribution the members were drawn from, so
// ensembles of different sizes compare fairly. It can be 0 when members differ from y. NaN
// with fewer than two finite members or a non-finite y.
double crps_ensemble_fair(std::vector<double> members, double observed);

// Every score of one ensemble forecast for one observation.
struct EnsembleScore {
  std::size_t members = 0;     // finite members used
  std::size_t non_finite = 0;  // members left out
  double median = 0;  // the point forecast (type-7 quantile 0.5); NaN with no finite member
  // NaN when no member is finite or the observation is not finite.
  double abs_error = 0;      // |median - y|
  double squared_error = 0;  // (median - y)^2
  double crps = 0;           // crps_ensemble
  // Whether y lies in the central interval of each kIntervalLevels level; false when NaN.
  std::array<bool, kIntervalLevels.size()> covered{};
};

// Scores one ensemble forecast against its observation, sorting the members once.
EnsembleScore score_ensemble(std::vector<double> members, double observed);

// ---- baselines

// The history of one yearly series up to and including an origin year. It keeps nothing
// after the origin, so a baseline forecast made from it cannot see the future.
class History {
 public:
  // values[k] is year first_year + k, NaN for a gap (as data::PanelSeries). Years after
  // origin_year and non-finite values are dropped.
  History(int first_year, std::span<const double> values, int origin_year);

  int origin_year() const { return origin_year_; }
  // Observed years and values, ascending by year, all <= origin_year and finite.
  const std::vector<int>& years() const { return years_; }
  const std::vector<double>& values() const { return values_; }

 private:
  int origin_year_;
  std::vector<int> years_;
  std::vector<double> values_;
};

struct TrendOptions {
  // Observations the trend is fitted to: the last window_points observed values at or before
  // the origin (gaps skipped, the fit uses their actual years). At least 2. The default of 10
  // is the one issue 7 proposed, not tuned on data: on annual series, long enough that one
  // year's noise does not set the slope, short enough to follow a change of regime.
  std::size_t window_points = 10;
};

// The last observed value at or before the origin, however old; NaN when there is none.
double persistence_forecast(const History& history);
// Ordinary least squares line through the last window_points observations (value against
// year), evaluated at origin_year + lead_years. NaN with fewer than 2 observations. Throws
// std::invalid_argument when lead_years < 0 or window_points < 2.
double trend_forecast(const History& history, int lead_years, const TrendOptions& options = {});
// Mean of every observed value at or before the origin; NaN when there is none.
double historical_mean_forecast(const History& history);

// NaN when not available; NaN by default, so a baseline left unset is "no forecast" rather
// than a forecast of 0.
struct BaselineForecasts {
  double persistence = kNoValue, trend = kNoValue, historical_mean = kNoValue;
};
// The three baselines for origin_year + lead_years. Throws as trend_forecast.
BaselineForecasts baseline_forecasts(const History& history, int lead_years,
                                     const TrendOptions& options = {});

// ---- the score table

enum class ForecastMethod { kEnsemble, kPersistence, kTrend, kHistoricalMean };
inline constexpr std::size_t kForecastMethodCount = 4;
// "ensemble", "persistence", "trend", "historical_mean".
std::string_view forecast_method_name(ForecastMethod method);

// One forecast of one outcome: an indicator in a country, lead_years after the origin year.
// Several origins (a rolling backtest) are several records; they pool in the table.
struct ForecastRecord {
  std::string indicator, country;
  int origin_year = 0;
  int lead_years = 0;
  double observed = kNoValue;   // the value in origin_year + lead_years; NaN when missing
  std::vector<double> members;  // the ensemble forecast for that year
  BaselineForecasts baselines;  // from History(..., origin_year), see baseline_forecasts
};

// The scores of one method over a group of outcomes. Scores are NaN when count is 0.
struct MethodScores {
  std::size_t count = 0;        // outcomes scored: observed and forecast
  std::size_t no_forecast = 0;  // observed outcomes the method gave no forecast for
  double rmse = 0, mae = 0;     // of the point forecast (the ensemble's median)
  double crps = 0;              // mean CRPS; for a baseline, a point mass: equal to mae
  // Share of scored outcomes inside each kIntervalLevels interval; NaN for the baselines,
  // which are point forecasts without intervals.
  std::array<double, kIntervalLevels.size()> coverage{};
  // Skill relative to persistence, 1 - score / score_persistence, both computed over the
  // skill_count outcomes both methods scored (so the two stand on the same outcomes). 1 is
  // perfect, 0 no better than persistence, negative worse. NaN when skill_count is 0 or the
  // persistence score is 0.
  std::size_t skill_count = 0;
  double rmse_skill = 0, crps_skill = 0;
};

// One row of the table. A group pools every record (every origin) that matches it.
struct ScoreRow {
  std::string indicator;
  std::optional<std::string> country;  // nullopt: pooled over countries
  std::optional<int> lead_years;       // nullopt: pooled over lead times
  std::size_t outcomes = 0;            // records in the group
  std::size_t missing = 0;             // records whose observation is missing (skipped)
  std::array<MethodScores, kForecastMethodCount> methods{};  // indexed by ForecastMethod

  const MethodScores& operator[](ForecastMethod method) const {
    return methods[static_cast<std::size_t>(method)];
  }
};

// The table: per indicator (ascending), its (country, lead) rows ascending by country then
// lead, then its pooled-over-countries rows ascending by lead, then its pooled row. Pooled
// scores are computed from the pooled outcomes (an RMSE over all of them), not by averaging
// the rows' scores. Throws std::invalid_argument when a record's lead_years is negative.
std::vector<ScoreRow> score_table(const std::vector<ForecastRecord>& records);

}  // namespace latwin::analysis
