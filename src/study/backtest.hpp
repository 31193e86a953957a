#pragma once
// Backtests: forecasts made from a past year with only the data known then, scored against
// what happened. For each origin: take the data vintage as of the origin (data::Panel::as_of),
// compile the model on it, calibrate over the years before the origin (calibration.hpp),
// run the ensemble from the origin with the status quo of that time and the scenario's
// world held, and score the forecast of each observed indicator, country and lead against
// the panel as built, next to the baselines (analysis/forecast_scores.hpp). Only the scoring
// reads the panel after the origin.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/forecast_scores.hpp"
#include "data/panel.hpp"
#include "engine/run/ensemble.hpp"
#include "study/calibration.hpp"
#include "study/observations.hpp"

namespace latwin::study {

// Quantile levels written for each forecast (forecast.csv).
inline constexpr std::array<double, 9> kForecastQuantiles = {0.025, 0.05, 0.10, 0.25, 0.5,
                                                             0.75,  0.90, 0.95, 0.975};

struct BacktestRequest {
  std::vector<std::string> model_paths;
  const data::Panel* panel = nullptr;  // as built; only scoring reads past the origin
  ObservationSpec observations;
  std::vector<std::string> indicators;  // scored and fitted; empty: every observation
  std::string scenario_path;           // the world inputs, held at their levels
  std::vector<int> origins;
  int horizon = 8;
  int calibration_years = 10;  // calibrate over origin - calibration_years .. origin
  std::uint64_t seed = 1;
  std::uint64_t draws = 4000, accept = 200;  // calibration (calibration.hpp)
  std::uint64_t members = 1000;              // forecast ensemble
  int threads = 0;
  // Given (--params): these sets are used for every origin and nothing is calibrated. The
  // caller vouches that they were fitted on data up to the earliest origin.
  std::optional<engine::ParameterSets> fixed_sets;
};

// One forecast: an observed indicator in one country, lead years after the origin.
struct ForecastCell {
  std::string indicator, country;
  int origin = 0, lead = 0;
  std::size_t finite = 0;  // members with a finite value
  double mean = 0;
  std::array<double, kForecastQuantiles.size()> quantiles{};
};

struct OriginResult {
  int origin = 0;
  std::optional<CalibrationResult> calibration;  // nullopt with fixed sets
  std::uint64_t diagnostics = 0;                 // of the forecast run
  std::vector<ForecastCell> forecasts;
};

struct BacktestResult {
  std::vector<OriginResult> origins;
  // Every (origin, indicator, country, lead): the forecast with the calibration's error
  // spread added to its members (calibration.hpp's ForecastError; with fixed sets there is
  // none and these equal the raw ones), and the model's members as they came out.
  std::vector<analysis::ForecastRecord> records, raw_records;
  // Persistence made probabilistic: members spread around the last observed value by
  // persistence's own errors at each lead over the calibration window, measured before the
  // origin. The fair test of whether the model's ensemble adds anything beyond honest
  // uncertainty around the last value (its "ensemble" scores; the baselines are the same).
  std::vector<analysis::ForecastRecord> persistence_records;
  std::vector<analysis::ScoreRow> table, raw_table, persistence_table;  // score_table of each
};

// Stages reported to progress: ("calibrating", origin, done, total) and so on.
using BacktestProgress =
    std::function<void(const std::string& stage, int origin, std::uint64_t done, std::uint64_t total)>;

// Throws latwin::InputError / ModelError with plain messages (an origin outside the data, a
// model that does not compile on a vintage, an unknown indicator).
BacktestResult run_backtest(const BacktestRequest& request, const BacktestProgress& progress = {});

}  // namespace latwin::study
