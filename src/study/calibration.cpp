#include "study/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/statistics.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace latwin::study {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double transformed(double value, bool log_scale) {
  // log1p keeps zeros (no encounters from a small island in a year) finite.
  return log_scale ? std::log1p(std::max(value, 0.0)) : value;
}

// The observed points of one indicator in the window, and where the run saves them.
struct ObservedSeries {
  const Observation* observation = nullptr;
  std::vector<std::size_t> slot_index;  // into the layout's save_slots, per point
  std::vector<std::size_t> time_index;  // into save_times
  std::vector<double> value;            // transformed
  double scale = 1;
};

}  // namespace

engine::ParameterSets uncertain_parameter_columns(const engine::Plan& plan) {
  engine::ParameterSets sets;
  for (const auto& var : plan.variables) {
    if (var.role != engine::VarRole::kParam || !var.param_stream) continue;
    sets.parameters.push_back(var.name);
    sets.elements.push_back(var.element_count);
  }
  return sets;
}

void append_member_draws(const engine::Plan& plan, std::uint64_t seed, std::uint64_t member,
                         engine::ParameterSets& sets) {
  for (const auto& name : sets.parameters) {
    const engine::Variable& var = plan.variables[*plan.find_variable(name)];
    for (std::uint32_t e = 0; e < var.element_count; ++e) {
      // The key the VM's kParamUniform uses: its first uniform is the parameter's draw.
      DrawKey key;
      key.seed = seed;
      key.member = static_cast<std::uint32_t>(member);
      key.stream = *var.param_stream;
      key.element = e;
      key.step = engine::kParamStep;
      UniformStream stream(key);
      sets.unit.push_back(stream.next());
    }
  }
}

std::vector<std::string> check_observations(const engine::Plan& plan, const data::Panel& panel,
                                            const std::vector<Observation>& observations) {
  std::vector<std::string> variables;
  for (const auto& obs : observations) {
    auto index = plan.find_variable(obs.variable);
    if (!index || plan.variables[*index].dims.size() != 1) {
      throw ModelError(fmt::format("observation of '{}': the model has no variable '{}' over one "
                                   "dimension",
                                   obs.indicator, obs.variable));
    }
    if (!panel.has_indicator(obs.indicator)) {
      throw InputError(fmt::format("observation of '{}': the data in {} have no such indicator",
                                   obs.indicator, panel.dir()));
    }
    if (std::find(variables.begin(), variables.end(), obs.variable) == variables.end()) {
      variables.push_back(obs.variable);
    }
  }
  return variables;
}

double ForecastError::at(int lead) const {
  if (lead < 1) return kNaN;
  if (static_cast<std::size_t>(lead) <= sd_by_lead.size() &&
      std::isfinite(sd_by_lead[static_cast<std::size_t>(lead - 1)])) {
    return sd_by_lead[static_cast<std::size_t>(lead - 1)];
  }
  for (std::size_t k = std::min(sd_by_lead.size(), static_cast<std::size_t>(lead)); k > 0; --k) {
    if (std::isfinite(sd_by_lead[k - 1])) {
      return sd_by_lead[k - 1] * std::sqrt(static_cast<double>(lead) / static_cast<double>(k));
    }
  }
  return kNaN;
}

CalibrationResult calibrate(const CalibrationRequest& request,
                            const std::function<void(std::uint64_t)>& progress) {
  const engine::Plan& plan = *request.plan;
  if (request.to <= request.from) {
    throw InputError(fmt::format("calibration years: --to {} must be after --from {}",
                                 request.to, request.from));
  }
  if (request.accept == 0 || request.accept > request.draws) {
    throw InputError(fmt::format("calibration: {} sets to keep out of {} draws: keep at least 1 "
                                 "and at most the number drawn",
                                 request.accept, request.draws));
  }
  std::vector<std::string> save = check_observations(plan, *request.panel, request.observations);

  engine::RunSpec spec;
  spec.seed = request.seed;
  spec.members = request.draws;
  spec.threads = request.threads;
  spec.start = request.from;
  spec.stop = request.to;
  spec.save_every = 1;
  spec.save = save;
  spec.overrides = request.overrides;
  spec.inputs = request.inputs;
  engine::TrajectoryCollector collector;
  engine::RunReport report = engine::run_ensemble(request.plan, spec, {&collector}, progress);
  const engine::RunLayout& layout = collector.layout();

  CalibrationResult result;
  result.diagnostics = report.diagnostic_count;
  std::vector<ObservedSeries> observed;
  for (const auto& obs : request.observations) {
    const engine::Variable& var = plan.variables[*plan.find_variable(obs.variable)];
    const auto& elements = plan.dimensions[var.dims[0]].elements;
    ObservedSeries series;
    series.observation = &obs;
    for (std::size_t t = 0; t < layout.save_times.size(); ++t) {
      const double time = layout.save_times[t];
      // The start year is the data the run starts from, not something it reproduced.
      if (time <= request.from || time != std::floor(time)) continue;
      for (std::uint32_t e = 0; e < elements.size(); ++e) {
        auto value = request.panel->value(obs.indicator, elements[e], static_cast<int>(time),
                                          data::Values::kObservedOnly);
        if (!value || !std::isfinite(*value)) continue;
        series.slot_index.push_back(layout.saved_position(var.first_slot + e));
        series.time_index.push_back(t);
        series.value.push_back(transformed(*value, obs.log_scale));
      }
    }
    if (series.value.empty()) {
      result.skipped.push_back(obs.indicator);
      continue;
    }
    analysis::Distribution spread = analysis::describe(series.value);
    series.scale = spread.sd > 0 ? spread.sd : 1.0;
    observed.push_back(std::move(series));
  }
  if (observed.empty()) {
    throw InputError(fmt::format("calibration: no observed value of any indicator between {} and {}",
                                 request.from + 1, request.to));
  }

  // Per member: mean squared normalised residual of each indicator, then their mean, so an
  // indicator with many observed points does not outweigh one with few.
  const std::uint64_t draws = request.draws;
  std::vector<std::vector<double>> msr(observed.size(), std::vector<double>(draws));
  std::vector<double> distance(draws, 0.0);
  for (std::uint64_t m = 0; m < draws; ++m) {
    double total = 0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
      const ObservedSeries& series = observed[i];
      double sum = 0;
      for (std::size_t p = 0; p < series.value.size(); ++p) {
        double simulated = transformed(
            collector.at(series.slot_index[p], series.time_index[p], m),
            series.observation->log_scale);
        double residual = (simulated - series.value[p]) / series.scale;
        sum += residual * residual;
      }
      msr[i][m] = sum / static_cast<double>(series.value.size());
      total += msr[i][m];
    }
    distance[m] = std::sqrt(total / static_cast<double>(observed.size()));
  }

  std::vector<std::uint64_t> order;
  std::vector<double> finite;
  for (std::uint64_t m = 0; m < draws; ++m) {
    if (std::isfinite(distance[m])) {
      order.push_back(m);
      finite.push_back(distance[m]);
    } else {
      ++result.non_finite;
    }
  }
  if (order.size() < request.accept) {
    throw Error(fmt::format("calibration: only {} of {} draws ran without a non-finite value at an "
                            "observed point; {} are to be kept (see --draws and --accept)",
                            order.size(), draws, request.accept));
  }
  // Nearest first; a tie goes to the lower member number, so the result is one set whatever
  // the sort does with equal keys.
  std::stable_sort(order.begin(), order.end(), [&distance](std::uint64_t a, std::uint64_t b) {
    return distance[a] < distance[b];
  });
  order.resize(request.accept);
  result.accepted = order;
  for (std::uint64_t m : order) result.accepted_distance.push_back(distance[m]);
  result.tolerance = result.accepted_distance.back();
  result.prior_median_distance = analysis::describe(finite).p50;

  result.sets = uncertain_parameter_columns(plan);
  for (std::uint64_t m : order) append_member_draws(plan, request.seed, m, result.sets);

  for (std::size_t i = 0; i < observed.size(); ++i) {
    IndicatorFit fit;
    fit.indicator = observed[i].observation->indicator;
    fit.variable = observed[i].observation->variable;
    fit.points = observed[i].value.size();
    fit.scale = observed[i].scale;
    double prior = 0;
    std::size_t prior_count = 0;
    for (std::uint64_t m = 0; m < draws; ++m) {
      if (!std::isfinite(distance[m])) continue;
      prior += std::sqrt(msr[i][m]);
      ++prior_count;
    }
    fit.prior_rmse = prior / static_cast<double>(prior_count);
    double posterior = 0;
    for (std::uint64_t m : order) posterior += std::sqrt(msr[i][m]);
    fit.posterior_rmse = posterior / static_cast<double>(order.size());
    result.fit.push_back(fit);

    const ObservedSeries& series = observed[i];
    ForecastError error;
    error.indicator = series.observation->indicator;
    error.log_scale = series.observation->log_scale;
    const int years = request.to - request.from;
    std::vector<double> sum(static_cast<std::size_t>(years), 0.0);
    std::vector<std::size_t> count(static_cast<std::size_t>(years), 0);
    std::vector<double> kept(order.size());
    for (std::size_t p = 0; p < series.value.size(); ++p) {
      kept.clear();
      for (std::uint64_t m : order) {
        double v = collector.at(series.slot_index[p], series.time_index[p], m);
        kept.push_back(transformed(v, series.observation->log_scale));
      }
      std::sort(kept.begin(), kept.end());
      const double residual = series.value[p] - analysis::quantile_sorted(kept, 0.5);
      const auto k = static_cast<std::size_t>(
          std::lround(layout.save_times[series.time_index[p]] - request.from));
      if (k < 1 || k > sum.size()) continue;
      sum[k - 1] += residual * residual;
      ++count[k - 1];
    }
    for (std::size_t k = 0; k < sum.size(); ++k) {
      error.sd_by_lead.push_back(count[k] > 0 ? std::sqrt(sum[k] / static_cast<double>(count[k])) : kNaN);
    }
    result.errors.push_back(std::move(error));
  }
  return result;
}

}  // namespace latwin::study
