#include "study/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/statistics.hpp"
#include "core/distributions.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "engine/compile/compiler.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "study/historical_inputs.hpp"

namespace latwin::study {

namespace {

// Adds the calibration's error spread to members, in the observation's scale, keeping values
// inside the indicator's valid range. Draws are keyed by (seed, member, indicator, country,
// lead), so they do not depend on threads or on which other cells exist.
void dress(std::vector<double>& values, const ForecastError& error, int lead,
           const data::Indicator* info, std::uint64_t seed, std::uint32_t indicator_index,
           std::uint32_t country_index) {
  const double sd = error.at(lead);
  if (!std::isfinite(sd) || sd <= 0) return;
  for (std::size_t m = 0; m < values.size(); ++m) {
    if (!std::isfinite(values[m])) continue;
    DrawKey key;
    key.seed = seed;
    key.member = static_cast<std::uint32_t>(m);
    key.stream = indicator_index;
    key.element = country_index;
    key.step = static_cast<std::uint32_t>(lead);
    UniformStream stream(key);
    const double z = dist::standard_normal(stream);
    double v = error.log_scale ? std::expm1(std::log1p(std::max(values[m], 0.0)) + sd * z)
                               : values[m] + sd * z;
    if (info && info->lower) v = std::max(v, *info->lower);
    if (info && info->upper) v = std::min(v, *info->upper);
    values[m] = v;
  }
}

// Persistence's own error spread, measured before the origin: at lead k, the root mean square
// over countries of T(value in y) - T(value in y - k), for years y - k >= first_year and
// y <= origin (T: log1p for log-scale observations). It makes persistence a probabilistic
// forecast judged on the same terms as the model's.
ForecastError persistence_error(const data::Panel& known, const Observation& obs,
                                const std::vector<std::string>& countries, int first_year,
                                int origin, int horizon) {
  auto transformed = [&obs](double v) { return obs.log_scale ? std::log1p(std::max(v, 0.0)) : v; };
  ForecastError error;
  error.indicator = obs.indicator;
  error.log_scale = obs.log_scale;
  for (int k = 1; k <= horizon; ++k) {
    double sum = 0;
    std::size_t count = 0;
    for (const auto& country : countries) {
      for (int y = first_year + k; y <= origin; ++y) {
        auto later = known.value(obs.indicator, country, y, data::Values::kObservedOnly);
        auto earlier = known.value(obs.indicator, country, y - k, data::Values::kObservedOnly);
        if (!later || !earlier) continue;
        const double d = transformed(*later) - transformed(*earlier);
        sum += d * d;
        ++count;
      }
    }
    error.sd_by_lead.push_back(count > 0 ? std::sqrt(sum / static_cast<double>(count))
                                         : std::numeric_limits<double>::quiet_NaN());
  }
  return error;
}

// Forecasts and records of one origin from the forecast run's members.
void collect(const engine::Plan& plan, const engine::TrajectoryCollector& collector,
             const std::vector<Observation>& observations, const data::Panel& known,
             const data::Panel& full, int origin, int horizon, std::uint64_t members,
             const std::vector<ForecastError>* errors, std::uint64_t dress_seed,
             int window_start, OriginResult& out, BacktestResult& result) {
  const engine::RunLayout& layout = collector.layout();
  for (std::uint32_t o = 0; o < observations.size(); ++o) {
    const Observation& obs = observations[o];
    const ForecastError* error = nullptr;
    if (errors) {
      for (const auto& item : *errors) {
        if (item.indicator == obs.indicator) error = &item;
      }
    }
    const data::Indicator* info = known.find_indicator(obs.indicator);
    const engine::Variable& observed_var = plan.variables[*plan.find_variable(obs.variable)];
    const ForecastError persistence_spread =
        persistence_error(known, obs, plan.dimensions[observed_var.dims[0]].elements, window_start,
                          origin, horizon);
    const engine::Variable& var = plan.variables[*plan.find_variable(obs.variable)];
    const auto& countries = plan.dimensions[var.dims[0]].elements;
    for (std::uint32_t e = 0; e < countries.size(); ++e) {
      const std::string& country = countries[e];
      const std::size_t slot = layout.saved_position(var.first_slot + e);
      // Baselines see the history as known at the origin: the vintage's source values.
      std::optional<data::PanelSeries> past =
          known.series(obs.indicator, country, data::Values::kObservedOnly);
      std::optional<analysis::History> history;
      if (past) history.emplace(past->first_year, past->values, origin);
      for (int lead = 1; lead <= horizon; ++lead) {
        const std::size_t t = static_cast<std::size_t>(lead);  // save times are origin + k
        std::vector<double> raw(members);
        for (std::uint64_t m = 0; m < members; ++m) raw[m] = collector.at(slot, t, m);
        std::vector<double> values = raw;
        if (error) dress(values, *error, lead, info, dress_seed, o, e);

        ForecastCell cell;
        cell.indicator = obs.indicator;
        cell.country = country;
        cell.origin = origin;
        cell.lead = lead;
        std::vector<double> sorted;
        for (double v : values) {
          if (std::isfinite(v)) sorted.push_back(v);
        }
        std::sort(sorted.begin(), sorted.end());
        cell.finite = sorted.size();
        if (sorted.empty()) {
          cell.mean = analysis::kNoValue;
          cell.quantiles.fill(analysis::kNoValue);
        } else {
          double sum = 0;
          for (double v : sorted) sum += v;
          cell.mean = sum / static_cast<double>(sorted.size());
          for (std::size_t q = 0; q < kForecastQuantiles.size(); ++q) {
            cell.quantiles[q] = analysis::quantile_sorted(sorted, kForecastQuantiles[q]);
          }
        }
        out.forecasts.push_back(cell);

        analysis::ForecastRecord record;
        record.indicator = obs.indicator;
        record.country = country;
        record.origin_year = origin;
        record.lead_years = lead;
        record.observed = full.value(obs.indicator, country, origin + lead, data::Values::kObservedOnly)
                              .value_or(analysis::kNoValue);
        record.members = std::move(values);
        if (history) record.baselines = analysis::baseline_forecasts(*history, lead);
        analysis::ForecastRecord raw_record = record;
        raw_record.members = std::move(raw);
        analysis::ForecastRecord persistence_record = record;
        persistence_record.members.assign(members, record.baselines.persistence);
        dress(persistence_record.members, persistence_spread, lead, info, dress_seed + 1, o, e);
        result.persistence_records.push_back(std::move(persistence_record));
        result.records.push_back(std::move(record));
        result.raw_records.push_back(std::move(raw_record));
      }
    }
  }
}

}  // namespace

BacktestResult run_backtest(const BacktestRequest& request, const BacktestProgress& progress) {
  if (request.horizon < 1) {
    throw InputError(fmt::format("--horizon {}: forecast at least one year ahead", request.horizon));
  }
  const std::vector<Observation> observations =
      selected_observations(request.observations, request.indicators);
  const data::Panel& full = *request.panel;
  BacktestResult result;
  for (int origin : request.origins) {
    OriginResult out;
    out.origin = origin;
    // Everything up to the forecast run sees only this vintage.
    data::PanelDataSource source(full.as_of(origin));
    const data::Panel& known = source.panel();
    engine::CompileResult compiled = engine::compile_files(request.model_paths, &source);
    if (!compiled.ok()) {
      throw ModelError(fmt::format("the model does not compile on the data as known in {}:\n{}",
                                   origin, compiled.messages()));
    }
    const std::shared_ptr<const engine::Plan> plan = compiled.plan;
    const policy::ModelInterface model = policy::describe_model(*plan, &known);
    const policy::Scenario scenario = policy::load_scenario(request.scenario_path, model);
    const HistoricalAid& aid = request.observations.aid;

    engine::ParameterSets sets;
    if (request.fixed_sets) {
      sets = *request.fixed_sets;
    } else {
      const int from = origin - request.calibration_years;
      CalibrationRequest calibration;
      calibration.plan = plan;
      calibration.panel = &known;
      calibration.observations = observations;
      StatusQuoLevels past = status_quo_levels(plan, known, aid, from);
      calibration.inputs.allocations = historical_allocations(past, known, aid, origin, origin);
      calibration.inputs.scenario = held_scenario_series(scenario, from, origin);
      calibration.overrides = scenario.overrides;
      calibration.from = from;
      calibration.to = origin;
      calibration.seed = request.seed;
      calibration.draws = request.draws;
      calibration.accept = request.accept;
      calibration.threads = request.threads;
      out.calibration = calibrate(calibration, [&](std::uint64_t done) {
        if (progress) progress("calibrating", origin, done, request.draws);
      });
      sets = out.calibration->sets;
    }

    // The forecast: the status quo as of the origin, held (the aid actually given later is
    // not an input, so nothing after the origin enters), and the scenario's world held.
    StatusQuoLevels now = status_quo_levels(plan, known, aid, origin);
    engine::RunSpec spec;
    // Another seed than calibration's, so a posterior set is not replayed with the very
    // random events that got it accepted.
    spec.seed = request.seed + 1;
    spec.members = request.members;
    spec.threads = request.threads;
    spec.start = origin;
    spec.stop = origin + request.horizon;
    spec.save_every = 1;
    spec.save = check_observations(*plan, known, observations);
    spec.overrides = scenario.overrides;
    spec.inputs.allocations =
        historical_allocations(now, known, aid, origin + request.horizon, origin - 1);
    spec.inputs.scenario = held_scenario_series(scenario, origin, origin + request.horizon);
    spec.parameter_sets = sets;
    engine::TrajectoryCollector collector;
    engine::RunReport report = engine::run_ensemble(plan, spec, {&collector}, [&](std::uint64_t done) {
      if (progress) progress("forecasting", origin, done, request.members);
    });
    out.diagnostics = report.diagnostic_count;
    collect(*plan, collector, observations, known, full, origin, request.horizon, request.members,
            out.calibration ? &out.calibration->errors : nullptr, request.seed + 2,
            origin - request.calibration_years, out, result);
    result.origins.push_back(std::move(out));
  }
  result.table = analysis::score_table(result.records);
  result.raw_table = analysis::score_table(result.raw_records);
  result.persistence_table = analysis::score_table(result.persistence_records);
  return result;
}

}  // namespace latwin::study
