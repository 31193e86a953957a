#pragma once
// Calibration by rejection approximate Bayesian computation (Pritchard et al. 1999; Beaumont,
// Zhang and Balding 2002): draw every uncertain parameter from its prior, run the model over
// the historical years, measure each member's distance to what was observed, and keep the
// nearest members. Their parameter sets (the quantiles each drew) are the posterior sample:
// a run given them (engine::ParameterSets) reproduces their parameters exactly, including
// the correlations between parameters that fitting induced. docs/validation.md gives the
// distance and the settings in words.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/plan.hpp"
#include "engine/run/ensemble.hpp"
#include "study/observations.hpp"

namespace latwin::study {

struct CalibrationRequest {
  std::shared_ptr<const engine::Plan> plan;
  // The data the distance uses: values from the sources only (observed, derived; never the
  // build's filled values), of years from + 1 to `to`. Pass the vintage as of `to`.
  const data::Panel* panel = nullptr;
  std::vector<Observation> observations;
  engine::RunInputs inputs;  // the historical years' instruments and world, from .. to + 1
  std::vector<engine::ParamOverride> overrides;
  int from = 0, to = 0;
  std::uint64_t seed = 1;
  std::uint64_t draws = 4000;   // prior draws simulated
  std::uint64_t accept = 200;   // kept: the nearest, so the tolerance is their largest distance
  int threads = 0;
};

// How well one observed indicator is fitted: root mean square of the normalised residuals
// ((simulated - observed) / scale, in logs for log-scale observations), averaged over the
// members of the prior and of the posterior.
struct IndicatorFit {
  std::string indicator, variable;
  std::size_t points = 0;  // observed (country, year) values in the window
  double scale = 0;        // the normalising spread: SD of the observed values
  double prior_rmse = 0, posterior_rmse = 0;
};

// What the fitted model still gets wrong, k years after the start of a run: the root mean
// square of (observed - the kept members' median) over countries, per indicator and year k of
// the calibration window (in logs for log-scale observations). A forecast adds this spread to
// its members (backtest.hpp), so its intervals include the model's own structural error and
// not only the uncertainty of its parameters and shocks. Estimated on the calibration years
// only: never on the years a backtest scores.
struct ForecastError {
  std::string indicator;
  bool log_scale = false;
  std::vector<double> sd_by_lead;  // [k - 1] for k = 1 .. to - from; NaN where nothing observed

  // The spread at lead k: sd_by_lead, and past the window the last finite value grown as a
  // random walk's, sqrt(k / K). NaN when there is none.
  double at(int lead) const;
};

struct CalibrationResult {
  engine::ParameterSets sets;              // one row per accepted member, nearest first
  std::vector<std::uint64_t> accepted;     // their member numbers
  std::vector<double> accepted_distance;   // their distances, ascending
  double tolerance = 0;                    // the largest accepted distance
  double prior_median_distance = 0;        // over the finite prior draws
  std::uint64_t non_finite = 0;            // draws with a non-finite value at an observed point
  std::uint64_t diagnostics = 0;           // numerical problems the runs recorded
  std::vector<IndicatorFit> fit;
  std::vector<ForecastError> errors;       // one per fitted observation
  std::vector<std::string> skipped;        // observations without a point in the window
};

// The uncertain parameters of a plan with their element counts: the columns of its sets.
engine::ParameterSets uncertain_parameter_columns(const engine::Plan& plan);
// The quantiles member `member` of a run with `seed` draws for every column of sets (the
// VM's own draws, recomputed), appended to sets.unit as one row.
void append_member_draws(const engine::Plan& plan, std::uint64_t seed, std::uint64_t member,
                         engine::ParameterSets& sets);

// Checks that every observation's variable exists over one dimension (latwin::ModelError)
// and its indicator is in the data (latwin::InputError); returns the variables, once each.
std::vector<std::string> check_observations(const engine::Plan& plan, const data::Panel& panel,
                                            const std::vector<Observation>& observations);

// Throws latwin::ModelError for an observation whose variable is missing or not over one
// dimension, latwin::InputError for an indicator missing from the data, and
// latwin::Error when fewer than `accept` draws give a finite distance.
CalibrationResult calibrate(const CalibrationRequest& request,
                            const std::function<void(std::uint64_t)>& progress = {});

}  // namespace latwin::study
