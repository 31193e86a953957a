#include "engine/run/ensemble.hpp"

#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_pipeline.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <unordered_map>

#include "core/error.hpp"
#include "engine/lang/source.hpp"
#include "engine/run/vm.hpp"

namespace latwin::engine {

std::size_t ParameterSets::row_width() const {
  std::size_t width = 0;
  for (auto count : elements) width += count;
  return width;
}

std::size_t ParameterSets::rows() const {
  std::size_t width = row_width();
  return width == 0 ? 0 : unit.size() / width;
}

std::string describe(const RunDiagnostic& diag) {
  std::string where = diag.element.empty() ? diag.variable
                                           : fmt::format("{}[{}]", diag.variable, diag.element);
  switch (diag.kind) {
    case DiagnosticKind::kNotFinite:
      return fmt::format("{} is {} at time {} in member {}", where,
                         std::isnan(diag.value) ? "not a number (NaN)" : "infinite", diag.time,
                         diag.member);
    case DiagnosticKind::kBelowRange:
      return fmt::format("{} = {} is below its declared range at time {} in member {}", where,
                         diag.value, diag.time, diag.member);
    case DiagnosticKind::kAboveRange:
      return fmt::format("{} = {} is above its declared range at time {} in member {}", where,
                         diag.value, diag.time, diag.member);
  }
  return where;
}

namespace {

// Everything a run needs beyond the plan, checked once before any batch starts.
struct Prepared {
  RunLayout layout;
  std::uint64_t steps = 0;
  std::vector<std::uint64_t> save_steps;
  std::vector<std::pair<std::uint32_t, std::vector<std::pair<std::uint32_t, double>>>>
      overrides_at;  // (init instruction end, [(slot, value)])
  std::vector<ResolvedSeries> series;
  std::vector<std::uint32_t> delay_steps;
  std::vector<std::uint32_t> checked_slots;  // checked at every step (not parameters)
  std::vector<std::uint32_t> param_slots;    // checked once, at the start
  std::vector<double> slot_low, slot_high;   // declared ranges, infinite when none
  std::vector<std::uint32_t> ranged_checked_slots, ranged_param_slots;  // with a range
  std::uint32_t width = 0;
  ErrorPolicy policy = ErrorPolicy::kRecord;
  std::uint64_t seed = 0;
  bool sample = true;
  std::unordered_map<std::uint32_t, std::uint32_t> design_columns;  // param stream -> factor
  const double* design_unit = nullptr;  // RunSpec::design.unit, which outlives the run
  std::size_t design_factors = 0;       // its columns: parameters, then inputs
  const std::uint64_t* event_members = nullptr;  // RunSpec::design.event_members
  std::uint64_t design_first_member = 0;
  std::unordered_map<std::uint32_t, std::uint32_t> set_offsets;  // param stream -> row offset
  const double* set_unit = nullptr;  // RunSpec::parameter_sets.unit, which outlives the run
  std::size_t set_row_width = 0;
  std::uint64_t set_rows = 0;
};

// Whole number of dt in `span`, or nullopt when it is not one (relative tolerance 1e-9).
std::optional<std::uint64_t> whole_steps(double span, double dt) {
  double ratio = span / dt;
  double rounded = std::round(ratio);
  if (!(rounded >= 0) || std::fabs(ratio - rounded) > 1e-9 * std::max(1.0, rounded)) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(rounded);
}

std::string unknown_variable(const Plan& plan, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& var : plan.variables) {
    if (!var.hidden) names.push_back(var.name);
  }
  std::string hint = lang::closest_name(name, names);
  return fmt::format("unknown variable '{}'{}", name,
                     hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
}

}  // namespace

void check_settings(const Plan& plan, const Settings& s) {
  if (!(s.dt > 0) || !std::isfinite(s.dt)) throw ModelError(fmt::format("dt must be greater than 0 (it is {})", s.dt));
  if (!(s.stop > s.start)) {
    throw ModelError(fmt::format("stop ({}) must be after start ({})", s.stop, s.start));
  }
  auto steps = whole_steps(s.stop - s.start, s.dt);
  if (!steps) {
    throw ModelError(fmt::format("stop - start ({}) is not a whole number of steps of dt ({})",
                                 s.stop - s.start, s.dt));
  }
  if (*steps > 100'000'000) throw ModelError(fmt::format("{} steps is too many; use a larger dt", *steps));
  auto stride = whole_steps(s.save_every, s.dt);
  if (!stride || *stride == 0) {
    throw ModelError(fmt::format("save_every ({}) must be a whole, positive number of steps of "
                                 "dt ({})",
                                 s.save_every, s.dt));
  }
  for (const auto& line : plan.delays) {
    auto n = whole_steps(line.delay_time, s.dt);
    if (!n || *n == 0) {
      const std::string& name = plan.variables[line.var].name;
      throw ModelError(fmt::format("the fixed delay in '{}' ({}) must be a whole, positive number "
                                   "of steps of dt ({})",
                                   name.substr(0, name.find('~')), line.delay_time, s.dt));
    }
  }
}

namespace {

Prepared prepare(const Plan& plan, const RunSpec& spec) {
  Prepared prep;
  Settings s = plan.settings;
  if (spec.start) s.start = *spec.start;
  if (spec.stop) s.stop = *spec.stop;
  if (spec.dt) s.dt = *spec.dt;
  if (spec.method) s.method = *spec.method;
  if (spec.save_every) {
    s.save_every = *spec.save_every;
  } else if (spec.dt && !whole_steps(s.save_every, s.dt)) {
    s.save_every = s.dt;  // the model's interval does not fit the new dt: save every step
  }
  check_settings(plan, s);
  auto steps = whole_steps(s.stop - s.start, s.dt);
  auto stride = whole_steps(s.save_every, s.dt);
  prep.steps = *steps;
  for (std::uint64_t k = 0; k <= prep.steps; k += *stride) prep.save_steps.push_back(k);
  if (prep.save_steps.back() != prep.steps) prep.save_steps.push_back(prep.steps);
  prep.layout.settings = s;
  for (auto k : prep.save_steps) {
    prep.layout.save_times.push_back(s.start + static_cast<double>(k) * s.dt);
  }

  if (spec.members == 0) throw ModelError("the number of members must be at least 1");
  if (spec.first_member + spec.members > (std::uint64_t{1} << 32)) {
    throw ModelError("members are numbered below 2^32; lower --members or --first-member");
  }
  if (spec.batch_width < 1 || spec.batch_width > 4096) {
    throw ModelError(fmt::format("batch width must be between 1 and 4096 (it is {})",
                                 spec.batch_width));
  }
  if (spec.threads < 0) throw ModelError("threads must be 0 (all cores) or more");
  prep.layout.first_member = spec.first_member;
  prep.layout.members = spec.members;
  prep.width = static_cast<std::uint32_t>(spec.batch_width);
  prep.policy = spec.policy;
  prep.seed = spec.seed;
  prep.sample = spec.sample_parameters;

  // Saved variables.
  if (spec.save.empty()) {
    for (std::uint32_t v = 0; v < plan.variables.size(); ++v) {
      const auto& var = plan.variables[v];
      if (!var.hidden && (var.role == VarRole::kStock || var.role == VarRole::kAux)) {
        prep.layout.save_vars.push_back(v);
      }
    }
  } else {
    for (const auto& name : spec.save) {
      auto v = plan.find_variable(name);
      if (!v) throw ModelError(fmt::format("--save: {}", unknown_variable(plan, name)));
      VarRole role = plan.variables[*v].role;
      if (role == VarRole::kConst || role == VarRole::kLookup) {
        throw ModelError(fmt::format("--save: '{}' is a {} and does not change; see latwin check",
                                     name, role == VarRole::kConst ? "const" : "lookup"));
      }
      if (std::find(prep.layout.save_vars.begin(), prep.layout.save_vars.end(), *v) ==
          prep.layout.save_vars.end()) {
        prep.layout.save_vars.push_back(*v);
      }
    }
  }
  for (auto v : prep.layout.save_vars) {
    const auto& var = plan.variables[v];
    for (std::uint32_t e = 0; e < var.element_count; ++e) {
      prep.layout.save_slots.push_back(var.first_slot + e);
    }
  }

  // Fixed parameter values, applied where the parameter is computed.
  std::map<std::uint32_t, double> fixed;
  for (const auto& over : spec.overrides) {
    auto v = plan.find_variable(over.variable);
    if (!v) throw ModelError(fmt::format("--set: {}", unknown_variable(plan, over.variable)));
    const auto& var = plan.variables[*v];
    if (var.role != VarRole::kParam) {
      throw ModelError(fmt::format("--set: '{}' is not a parameter; only parameters can be set",
                                   over.variable));
    }
    if (over.element.empty()) {
      for (std::uint32_t e = 0; e < var.element_count; ++e) fixed[var.first_slot + e] = over.value;
      continue;
    }
    bool found = false;
    for (std::uint32_t e = 0; e < var.element_count; ++e) {
      if (plan.element_name(var, e) == over.element) {
        fixed[var.first_slot + e] = over.value;
        found = true;
      }
    }
    if (!found) {
      throw ModelError(fmt::format("--set: '{}' has no element '{}'", over.variable, over.element));
    }
  }
  for (const auto& [end, slot] : plan.param_ends) {
    auto it = fixed.find(slot);
    if (it == fixed.end()) continue;
    if (prep.overrides_at.empty() || prep.overrides_at.back().first != end) {
      prep.overrides_at.push_back({end, {}});
    }
    prep.overrides_at.back().second.push_back({slot, it->second});
  }

  // Series: data from the plan; scenario and allocations from the run's inputs.
  std::vector<std::string> missing;
  for (const auto& ref : plan.series) {
    ResolvedSeries resolved;
    resolved.kind = ref.kind;
    if (ref.kind == SeriesKind::kData) {
      resolved.series = &ref.data;
    } else {
      const auto& table = ref.kind == SeriesKind::kScenario ? spec.inputs.scenario
                                                            : spec.inputs.allocations;
      auto it = table.find({ref.name, ref.element});
      if (it == table.end()) it = table.find({ref.name, ""});
      if (it != table.end()) {
        resolved.series = &it->second;
      } else if (ref.kind == SeriesKind::kScenario && ref.required) {
        missing.push_back(ref.element.empty() ? ref.name
                                              : fmt::format("{} ({})", ref.name, ref.element));
      }
    }
    prep.series.push_back(resolved);
  }
  if (!missing.empty()) {
    if (missing.size() > 10) missing.resize(10);
    throw ModelError(fmt::format("the model reads scenario series that the run does not give: {}",
                                 fmt::join(missing, ", ")));
  }

  // A parameter design: each factor an uncertain parameter, one quantile per member.
  const ParameterDesign& design = spec.design;
  for (std::size_t f = 0; f < design.factors.size(); ++f) {
    auto v = plan.find_variable(design.factors[f]);
    if (!v) throw ModelError(unknown_variable(plan, design.factors[f]));
    const Variable& var = plan.variables[*v];
    if (var.role != VarRole::kParam || !var.param_stream) {
      throw ModelError(fmt::format("design: '{}' is not an uncertain parameter (a param with a "
                                   "distribution)",
                                   design.factors[f]));
    }
    if (!prep.design_columns.emplace(*var.param_stream, static_cast<std::uint32_t>(f)).second) {
      throw ModelError(fmt::format("design: '{}' is listed twice", design.factors[f]));
    }
  }
  for (std::size_t f = 0; f < design.inputs.size(); ++f) {
    const InputFactor& factor = design.inputs[f];
    if (!std::isfinite(factor.low) || !std::isfinite(factor.high) || factor.low > factor.high) {
      throw ModelError(fmt::format("design: input '{}' has no valid range [{}, {}]", factor.name,
                                   factor.low, factor.high));
    }
    bool read = false;
    for (std::size_t i = 0; i < plan.series.size(); ++i) {
      if (plan.series[i].kind != SeriesKind::kScenario || plan.series[i].name != factor.name) continue;
      ResolvedSeries& resolved = prep.series[i];
      if (resolved.design_column >= 0) {
        throw ModelError(fmt::format("design: input '{}' is listed twice", factor.name));
      }
      if (factor.mode == InputFactor::Mode::kScale && !resolved.series) {
        throw ModelError(fmt::format("design: input '{}' is to be scaled, but the run gives no "
                                     "series for it to scale",
                                     factor.name));
      }
      resolved.design_column = static_cast<std::int32_t>(design.factors.size() + f);
      resolved.design_scale = factor.mode == InputFactor::Mode::kScale;
      resolved.design_low = factor.low;
      resolved.design_high = factor.high;
      read = true;
    }
    if (!read) {
      throw ModelError(fmt::format("design: the model reads no scenario input '{}'", factor.name));
    }
  }
  if (design.columns() > 0) {
    if (design.unit.size() != design.columns() * spec.members) {
      throw ModelError(fmt::format("design: {} values for {} members x {} factors",
                                   design.unit.size(), spec.members, design.columns()));
    }
    for (double u : design.unit) {
      if (!(u > 0 && u < 1)) {
        throw ModelError(fmt::format("design: quantile {} is outside (0, 1)", u));
      }
    }
    prep.design_unit = design.unit.data();
    prep.design_factors = design.columns();
    prep.design_first_member = spec.first_member;
  }
  if (!design.event_members.empty()) {
    if (design.event_members.size() != spec.members) {
      throw ModelError(fmt::format("design: {} event members for {} members",
                                   design.event_members.size(), spec.members));
    }
    prep.event_members = design.event_members.data();
    prep.design_first_member = spec.first_member;
  }

  // Parameter sets: whole rows of quantiles, one per element of each listed parameter.
  const ParameterSets& sets = spec.parameter_sets;
  if (!sets.parameters.empty() || !sets.unit.empty() || !sets.elements.empty()) {
    // Nominal values ignore every draw, so the sets would be silently ignored too.
    if (!spec.sample_parameters) {
      throw ModelError("parameter sets cannot be used with nominal parameter values: the sets "
                       "replace random draws, and a nominal run makes none");
    }
    if (sets.elements.size() != sets.parameters.size()) {
      throw ModelError(fmt::format("parameter sets: {} parameters but {} element counts",
                                   sets.parameters.size(), sets.elements.size()));
    }
    std::uint32_t offset = 0;
    for (std::size_t p = 0; p < sets.parameters.size(); ++p) {
      const std::string& name = sets.parameters[p];
      auto v = plan.find_variable(name);
      if (!v) throw ModelError(fmt::format("parameter sets: {}", unknown_variable(plan, name)));
      const Variable& var = plan.variables[*v];
      if (var.role != VarRole::kParam || !var.param_stream) {
        throw ModelError(fmt::format("parameter sets: '{}' is not an uncertain parameter (a param "
                                     "with a distribution)",
                                     name));
      }
      if (var.element_count != sets.elements[p]) {
        throw ModelError(fmt::format(
            "parameter sets: '{}' has {} element{} in the model but {} in the parameter sets: "
            "the file was made for another model or data",
            name, var.element_count, var.element_count == 1 ? "" : "s", sets.elements[p]));
      }
      if (!prep.set_offsets.emplace(*var.param_stream, offset).second) {
        throw ModelError(fmt::format("parameter sets: '{}' is listed twice", name));
      }
      offset += sets.elements[p];
    }
    const std::size_t width = sets.row_width();
    if (width == 0 || sets.unit.empty() || sets.unit.size() % width != 0) {
      throw ModelError(fmt::format("parameter sets: {} values do not make whole sets of {} "
                                   "(one per element of each parameter)",
                                   sets.unit.size(), width));
    }
    for (std::size_t i = 0; i < sets.unit.size(); ++i) {
      double u = sets.unit[i];
      if (!(u > 0 && u < 1)) {
        throw ModelError(fmt::format("parameter sets: set {} has quantile {} outside (0, 1)",
                                     i / width + 1, u));
      }
    }
    prep.set_unit = sets.unit.data();
    prep.set_row_width = width;
    prep.set_rows = sets.rows();
  }

  for (const auto& line : plan.delays) {
    prep.delay_steps.push_back(static_cast<std::uint32_t>(*whole_steps(line.delay_time, s.dt)));
  }

  for (std::uint32_t v = 0; v < plan.variables.size(); ++v) {
    const auto& var = plan.variables[v];
    if (var.role == VarRole::kConst || var.role == VarRole::kLookup) continue;
    auto& list = var.role == VarRole::kParam ? prep.param_slots : prep.checked_slots;
    for (std::uint32_t e = 0; e < var.element_count; ++e) list.push_back(var.first_slot + e);
  }
  prep.slot_low.assign(plan.slot_count, -INFINITY);
  prep.slot_high.assign(plan.slot_count, INFINITY);
  for (const auto& var : plan.variables) {
    if (var.role == VarRole::kConst || var.role == VarRole::kLookup) continue;
    for (std::uint32_t e = 0; e < var.element_count; ++e) {
      prep.slot_low[var.first_slot + e] = var.range_low.value_or(-INFINITY);
      prep.slot_high[var.first_slot + e] = var.range_high.value_or(INFINITY);
    }
  }
  for (auto slot : prep.checked_slots) {
    if (std::isfinite(prep.slot_low[slot]) || std::isfinite(prep.slot_high[slot])) {
      prep.ranged_checked_slots.push_back(slot);
    }
  }
  for (auto slot : prep.param_slots) {
    if (std::isfinite(prep.slot_low[slot]) || std::isfinite(prep.slot_high[slot])) {
      prep.ranged_param_slots.push_back(slot);
    }
  }
  return prep;
}

// Scratch memory of one worker, reused across its batches: nothing allocates per step.
struct BatchState {
  std::vector<double> operands;
  std::vector<double> y0, acc;
  std::vector<double> ring;        // per delay line: delay_steps × width
  std::vector<std::size_t> ring_offset;
  std::vector<double> delay_init;  // per delay line: width
  std::vector<std::uint8_t> reported;  // per (slot, lane): bit per diagnostic kind
  std::vector<double> sentinel;        // per lane: NaN when some value is not finite
};

class BatchRunner {
 public:
  BatchRunner(const Plan& plan, const Prepared& prep) : plan_(plan), prep_(prep) {}

  void run(std::uint64_t first_member, std::uint32_t lanes, BatchState& state,
           BatchResult& result) {
    const std::uint32_t width = prep_.width;
    const Settings& s = prep_.layout.settings;
    state.operands.assign(static_cast<std::size_t>(plan_.operand_count()) * width, 0.0);
    std::size_t stocks = plan_.stock_slots.size();
    state.y0.assign(stocks * width, 0.0);
    state.acc.assign(stocks * width, 0.0);
    state.delay_init.assign(plan_.delays.size() * width, 0.0);
    state.ring_offset.resize(plan_.delays.size());
    std::size_t ring_size = 0;
    for (std::size_t i = 0; i < plan_.delays.size(); ++i) {
      state.ring_offset[i] = ring_size;
      ring_size += static_cast<std::size_t>(prep_.delay_steps[i]) * width;
    }
    state.ring.assign(ring_size, 0.0);
    state.reported.assign(static_cast<std::size_t>(plan_.slot_count) * width, 0);
    state.sentinel.assign(width, 0.0);

    result.first_member = first_member;
    result.lanes = lanes;
    result.diagnostics.clear();
    std::size_t save_count = prep_.save_steps.size();
    result.values.assign(prep_.layout.save_slots.size() * save_count * lanes, 0.0);

    lane_troubled_.assign(lanes, 0);
    lane_trouble_time_.assign(lanes, 0.0);
    troubled_lanes_ = 0;
    ops_ = state.operands.data();
    width_ = width;
    lanes_ = lanes;
    result_ = &result;
    state_ = &state;
    ctx_.seed = prep_.seed;
    ctx_.first_member = first_member;
    ctx_.lookups = plan_.lookups.data();
    ctx_.series = prep_.series.data();
    ctx_.event_members = prep_.event_members;
    ctx_.design_first_member = prep_.design_first_member;
    if (prep_.design_unit) {
      if (!prep_.design_columns.empty()) ctx_.design_columns = &prep_.design_columns;
      ctx_.design_unit = prep_.design_unit;
      ctx_.design_factors = prep_.design_factors;
      ctx_.design_first_member = prep_.design_first_member;
    }
    if (prep_.set_unit) {
      ctx_.set_offsets = &prep_.set_offsets;
      ctx_.set_unit = prep_.set_unit;
      ctx_.set_row_width = prep_.set_row_width;
      ctx_.set_rows = prep_.set_rows;
    }
    for (std::uint32_t i = 0; i < plan_.constant_count; ++i) {
      fill(plan_.constant_operand(i), plan_.constants[i]);
    }
    fill(kEnvDt, s.dt);
    fill(kEnvStart, s.start);
    fill(kEnvStop, s.stop);
    fill(kEnvSampleFlag, prep_.sample ? 1.0 : 0.0);
    set_time(s.start, 0);

    // Initial values, with fixed parameters applied as soon as each is computed.
    std::size_t done = 0;
    for (const auto& [end, values] : prep_.overrides_at) {
      execute(plan_.init_program.data() + done, plan_.init_program.data() + end, ops_, width,
              lanes, ctx_);
      done = end;
      for (const auto& [slot, value] : values) fill(plan_.slot_operand(slot), value);
    }
    execute(plan_.init_program.data() + done,
            plan_.init_program.data() + plan_.init_program.size(), ops_, width, lanes, ctx_);
    for (std::size_t i = 0; i < plan_.delays.size(); ++i) {
      copy_row(row(plan_.slot_operand(plan_.delays[i].output_slot)),
               state.delay_init.data() + i * width);
    }
    record_delays(0);
    if (!check(prep_.param_slots, prep_.ranged_param_slots, s.start) ||
        !check(prep_.checked_slots, prep_.ranged_checked_slots, s.start)) {
      return;
    }
    std::size_t next_save = 0;
    save(next_save, 0);

    for (std::uint64_t k = 0; k < prep_.steps; ++k) {
      double t = s.start + static_cast<double>(k) * s.dt;
      double t_next = s.start + static_cast<double>(k + 1) * s.dt;
      if (s.method == lang::Method::kEuler) {
        execute(plan_.deriv_program, ops_, width, lanes, ctx_);
        for (std::size_t i = 0; i < stocks; ++i) {
          double* y = row(plan_.slot_operand(plan_.stock_slots[i]));
          const double* dy = row(plan_.deriv_operand(static_cast<std::uint32_t>(i)));
          for (std::uint32_t lane = 0; lane < lanes; ++lane) y[lane] += s.dt * dy[lane];
        }
      } else {
        rk4_step(t, s.dt, static_cast<std::uint32_t>(k));
      }
      set_time(t_next, static_cast<std::uint32_t>(k + 1));
      apply_delays(k + 1);
      execute(plan_.aux_program, ops_, width, lanes, ctx_);
      record_delays(k + 1);
      if (!check(prep_.checked_slots, prep_.ranged_checked_slots, t_next)) return;
      save(next_save, k + 1);
    }
  }

 private:
  double* row(std::uint32_t operand) { return ops_ + static_cast<std::size_t>(operand) * width_; }

  void fill(std::uint32_t operand, double value) {
    double* r = row(operand);
    std::fill(r, r + width_, value);
  }

  void copy_row(const double* from, double* to) const { std::copy(from, from + width_, to); }

  void set_time(double t, std::uint32_t step) {
    fill(kEnvTime, t);
    ctx_.step = step;
  }

  void rk4_step(double t, double dt, std::uint32_t step) {
    const std::size_t stocks = plan_.stock_slots.size();
    auto stock_row = [&](std::size_t i) { return row(plan_.slot_operand(plan_.stock_slots[i])); };
    auto deriv_row = [&](std::size_t i) {
      return row(plan_.deriv_operand(static_cast<std::uint32_t>(i)));
    };
    for (std::size_t i = 0; i < stocks; ++i) copy_row(stock_row(i), state_->y0.data() + i * width_);
    // k1 at (t, y0): the auxiliaries are already those of time t.
    execute(plan_.deriv_program, ops_, width_, lanes_, ctx_);
    static constexpr double kStageWeight[3] = {2.0, 2.0, 1.0};
    static constexpr double kStageStep[3] = {0.5, 0.5, 1.0};
    for (std::size_t i = 0; i < stocks; ++i) copy_row(deriv_row(i), state_->acc.data() + i * width_);
    for (int stage = 0; stage < 3; ++stage) {
      double h = dt * kStageStep[stage];
      for (std::size_t i = 0; i < stocks; ++i) {
        double* y = stock_row(i);
        const double* y0 = state_->y0.data() + i * width_;
        const double* k = deriv_row(i);
        for (std::uint32_t lane = 0; lane < lanes_; ++lane) y[lane] = y0[lane] + h * k[lane];
      }
      set_time(t + h, step);
      execute(plan_.aux_program, ops_, width_, lanes_, ctx_);
      execute(plan_.deriv_program, ops_, width_, lanes_, ctx_);
      for (std::size_t i = 0; i < stocks; ++i) {
        double* acc = state_->acc.data() + i * width_;
        const double* k = deriv_row(i);
        for (std::uint32_t lane = 0; lane < lanes_; ++lane) acc[lane] += kStageWeight[stage] * k[lane];
      }
    }
    for (std::size_t i = 0; i < stocks; ++i) {
      double* y = stock_row(i);
      const double* y0 = state_->y0.data() + i * width_;
      const double* acc = state_->acc.data() + i * width_;
      for (std::uint32_t lane = 0; lane < lanes_; ++lane) y[lane] = y0[lane] + dt / 6.0 * acc[lane];
    }
  }

  void apply_delays(std::uint64_t step) {
    for (std::size_t i = 0; i < plan_.delays.size(); ++i) {
      std::uint32_t n = prep_.delay_steps[i];
      const double* from = step < n ? state_->delay_init.data() + i * width_
                                    : state_->ring.data() + state_->ring_offset[i] +
                                          static_cast<std::size_t>((step - n) % n) * width_;
      copy_row(from, row(plan_.slot_operand(plan_.delays[i].output_slot)));
    }
  }

  void record_delays(std::uint64_t step) {
    for (std::size_t i = 0; i < plan_.delays.size(); ++i) {
      std::uint32_t n = prep_.delay_steps[i];
      copy_row(row(plan_.slot_operand(plan_.delays[i].input_slot)),
               state_->ring.data() + state_->ring_offset[i] +
                   static_cast<std::size_t>(step % n) * width_);
    }
  }

  // Records NaN, infinities and range violations, once per (member, slot, kind). Returns
  // false when the error policy says stop.
  bool check(const std::vector<std::uint32_t>& slots, const std::vector<std::uint32_t>& ranged,
             double t) {
    // Fast path, vectorised: v - v is NaN exactly when v is NaN or infinite, so one sum per
    // lane over all slots finds any non-finite value; declared ranges are compared only for
    // the slots that have one. The slow pass below runs only when something is wrong.
    double* sentinel = state_->sentinel.data();
    std::fill(sentinel, sentinel + lanes_, 0.0);
    for (auto slot : slots) {
      const double* values = row(plan_.slot_operand(slot));
      for (std::uint32_t lane = 0; lane < lanes_; ++lane) sentinel[lane] += values[lane] - values[lane];
    }
    bool bad = false;
    for (std::uint32_t lane = 0; lane < lanes_; ++lane) bad |= std::isnan(sentinel[lane]);
    for (auto slot : ranged) {
      const double* values = row(plan_.slot_operand(slot));
      const double low = prep_.slot_low[slot];
      const double high = prep_.slot_high[slot];
      int outside = 0;
      for (std::uint32_t lane = 0; lane < lanes_; ++lane) {
        outside += (values[lane] < low) | (values[lane] > high);
      }
      bad |= outside != 0;
    }
    if (!bad) return true;
    return record_trouble(slots, t);
  }

  bool record_trouble(const std::vector<std::uint32_t>& slots, double t) {
    for (auto slot : slots) {
      const double* values = row(plan_.slot_operand(slot));
      const double low = prep_.slot_low[slot];
      const double high = prep_.slot_high[slot];
      for (std::uint32_t lane = 0; lane < lanes_; ++lane) {
        double v = values[lane];
        DiagnosticKind kind;
        if (!std::isfinite(v)) {
          kind = DiagnosticKind::kNotFinite;
        } else if (v < low) {
          kind = DiagnosticKind::kBelowRange;
        } else if (v > high) {
          kind = DiagnosticKind::kAboveRange;
        } else {
          continue;
        }
        // Under kStop a member's record ends at the time of its first trouble.
        if (prep_.policy == ErrorPolicy::kStop && lane_troubled_[lane] &&
            lane_trouble_time_[lane] < t) {
          continue;
        }
        std::uint8_t bit = static_cast<std::uint8_t>(1u << static_cast<int>(kind));
        std::uint8_t& seen = state_->reported[static_cast<std::size_t>(slot) * width_ + lane];
        if (seen & bit) continue;
        seen |= bit;
        const Variable& var = plan_.variables[plan_.slot_var[slot]];
        if (!lane_troubled_[lane]) {
          ++troubled_lanes_;
          lane_troubled_[lane] = 1;
          lane_trouble_time_[lane] = t;
        }
        RunDiagnostic diag;
        diag.kind = kind;
        diag.variable = var.name;
        diag.element = plan_.element_name(var, slot - var.first_slot);
        diag.time = t;
        diag.member = result_->first_member + lane;
        diag.value = v;
        result_->diagnostics.push_back(std::move(diag));
      }
    }
    // Under kStop every member still runs to its own first trouble, so which member the
    // message names does not depend on how members were batched; a batch ends early only
    // once all its members are in trouble.
    return !(prep_.policy == ErrorPolicy::kStop && troubled_lanes_ == lanes_);
  }

  void save(std::size_t& next_save, std::uint64_t step) {
    if (next_save >= prep_.save_steps.size() || prep_.save_steps[next_save] != step) return;
    const std::size_t times = prep_.save_steps.size();
    const auto& slots = prep_.layout.save_slots;
    for (std::size_t s = 0; s < slots.size(); ++s) {
      const double* values = row(plan_.slot_operand(slots[s]));
      double* out = result_->values.data() + (s * times + next_save) * lanes_;
      std::copy(values, values + lanes_, out);
    }
    ++next_save;
  }

  const Plan& plan_;
  const Prepared& prep_;
  double* ops_ = nullptr;
  std::uint32_t width_ = 0;
  std::uint32_t lanes_ = 0;
  BatchResult* result_ = nullptr;
  BatchState* state_ = nullptr;
  std::vector<std::uint8_t> lane_troubled_;
  std::vector<double> lane_trouble_time_;
  std::uint32_t troubled_lanes_ = 0;
  ExecContext ctx_;
};

}  // namespace

RunLayout validate_run(const Plan& plan, const RunSpec& spec) { return prepare(plan, spec).layout; }

RunReport run_ensemble(std::shared_ptr<const Plan> plan_ptr, const RunSpec& spec,
                       const std::vector<RunSink*>& sinks,
                       const std::function<void(std::uint64_t)>& progress) {
  auto started = std::chrono::steady_clock::now();
  const Plan& plan = *plan_ptr;
  const Prepared prep = prepare(plan, spec);
  RunReport report;
  report.layout = prep.layout;
  int threads = spec.threads > 0 ? spec.threads : tbb::info::default_concurrency();
  report.threads = threads;
  for (auto* sink : sinks) sink->begin(plan, prep.layout);

  const std::uint64_t width = prep.width;
  const std::uint64_t batches = (spec.members + width - 1) / width;
  std::uint64_t next_batch = 0;
  std::uint64_t finished = 0;
  tbb::enumerable_thread_specific<BatchState> states;

  tbb::task_arena arena(threads);
  arena.execute([&] {
    tbb::parallel_pipeline(
        static_cast<std::size_t>(threads) * 2,
        tbb::make_filter<void, std::uint64_t>(
            tbb::filter_mode::serial_in_order,
            [&](tbb::flow_control& control) -> std::uint64_t {
              if (next_batch >= batches) {
                control.stop();
                return 0;
              }
              return next_batch++;
            }) &
            tbb::make_filter<std::uint64_t, std::shared_ptr<BatchResult>>(
                tbb::filter_mode::parallel,
                [&](std::uint64_t batch) {
                  auto result = std::make_shared<BatchResult>();
                  std::uint64_t first = batch * width;
                  auto lanes = static_cast<std::uint32_t>(std::min(width, spec.members - first));
                  BatchRunner runner(plan, prep);
                  runner.run(spec.first_member + first, lanes, states.local(), *result);
                  // Member order (then time), whatever the batch width.
                  std::stable_sort(result->diagnostics.begin(), result->diagnostics.end(),
                                   [](const RunDiagnostic& a, const RunDiagnostic& b) {
                                     return a.member < b.member;
                                   });
                  return result;
                }) &
            tbb::make_filter<std::shared_ptr<BatchResult>, void>(
                tbb::filter_mode::serial_in_order, [&](std::shared_ptr<BatchResult> result) {
                  report.diagnostic_count += result->diagnostics.size();
                  for (const auto& diag : result->diagnostics) {
                    if (report.diagnostics.size() < kMaxRecordedDiagnostics) {
                      report.diagnostics.push_back(diag);
                    }
                  }
                  if (prep.policy == ErrorPolicy::kStop && !result->diagnostics.empty()) {
                    throw RunStopped(fmt::format("run stopped: {} (--on-error record keeps going)",
                                                 describe(result->diagnostics.front())));
                  }
                  for (auto* sink : sinks) sink->batch(*result);
                  finished += result->lanes;
                  if (progress) progress(finished);
                }));
  });
  for (auto* sink : sinks) sink->end();
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

void TrajectoryCollector::begin(const Plan& plan, const RunLayout& layout) {
  plan_ = &plan;
  layout_ = layout;
  values_.assign(layout.save_slots.size() * layout.save_times.size() * layout.members, NAN);
}

void TrajectoryCollector::batch(const BatchResult& result) {
  const std::size_t times = layout_.save_times.size();
  const std::uint64_t offset = result.first_member - layout_.first_member;
  for (std::size_t s = 0; s < layout_.save_slots.size(); ++s) {
    for (std::size_t t = 0; t < times; ++t) {
      const double* from = result.values.data() + (s * times + t) * result.lanes;
      double* to = values_.data() + (s * times + t) * layout_.members + offset;
      std::copy(from, from + result.lanes, to);
    }
  }
}

double TrajectoryCollector::at(std::size_t slot_idx, std::size_t time_idx,
                               std::uint64_t member) const {
  const std::size_t times = layout_.save_times.size();
  return values_.at((slot_idx * times + time_idx) * layout_.members +
                    (member - layout_.first_member));
}

double TrajectoryCollector::value(const std::string& name, const std::string& element,
                                  std::size_t time_idx, std::uint64_t member) const {
  auto v = plan_->find_variable(name);
  if (!v) throw ModelError(unknown_variable(*plan_, name));
  const Variable& var = plan_->variables[*v];
  for (std::uint32_t e = 0; e < var.element_count; ++e) {
    if (plan_->element_name(var, e) != element) continue;
    auto it = std::find(layout_.save_slots.begin(), layout_.save_slots.end(), var.first_slot + e);
    if (it == layout_.save_slots.end()) throw ModelError(fmt::format("'{}' was not saved", name));
    return at(static_cast<std::size_t>(it - layout_.save_slots.begin()), time_idx, member);
  }
  throw ModelError(fmt::format("'{}' has no element '{}'", name, element));
}

std::size_t RunLayout::saved_position(std::uint32_t slot) const {
  return static_cast<std::size_t>(std::find(save_slots.begin(), save_slots.end(), slot) -
                                  save_slots.begin());
}

}  // namespace latwin::engine
