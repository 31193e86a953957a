#pragma once
// The ensemble runner: splits members into batches, runs batches in parallel (oneTBB), and
// hands finished batches to sinks in member order. The only place in latwin that starts
// threads for a simulation.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/compile/plan.hpp"
#include "engine/inputs.hpp"

namespace latwin::engine {

// Lanes per batch: one pass of the plan advances this many members. Chosen from the
// batch-width table in bench/RESULTS.md: 64 was fastest for the 61-equation, 35-country
// benchmark model (its state, ~3 MB at 128 lanes, then no longer fits in L2).
inline constexpr int kDefaultBatchWidth = 64;

enum class ErrorPolicy { kStop, kRecord };

enum class DiagnosticKind { kNotFinite, kBelowRange, kAboveRange };

// Numerical trouble in one member: recorded once per (member, variable, element, kind).
struct RunDiagnostic {
  DiagnosticKind kind = DiagnosticKind::kNotFinite;
  std::string variable;
  std::string element;
  double time = 0;
  std::uint64_t member = 0;
  double value = 0;
};
std::string describe(const RunDiagnostic& diag);

// A fixed value for a parameter, on every member: "p" or "p[COL]".
struct ParamOverride {
  std::string variable;
  std::string element;  // empty: every element
  double value = 0;
};

// An experimental design over uncertain parameters (latwin explore): member first_member + i
// takes, for parameter factors[f], the quantile unit[i * factors.size() + f] (in (0, 1)) of
// its distribution instead of a random draw; every element of the parameter takes the same
// quantile. Parameters not listed are drawn as usual.
// event_members (optional, one per member) makes member first_member + i draw its random
// events (shocks, elections: every per-step draw) as member event_members[i] would, so that
// design rows meant to differ only in their parameters also share their luck.
// inputs are further factors over scenario inputs (deep uncertainties: no distribution, only
// a range): their columns follow the parameters' in unit, so each member has
// factors.size() + inputs.size() values. A quantile u gives the input low + (high - low) u
// in every year and element (kLevel), or multiplies the run's own series by it (kScale).
struct InputFactor {
  enum class Mode { kLevel, kScale };
  std::string name;  // the scenario input, as the model reads it with scenario("name")
  Mode mode = Mode::kLevel;
  double low = 0, high = 0;
};

struct ParameterDesign {
  std::vector<std::string> factors;
  std::vector<InputFactor> inputs;
  std::vector<double> unit;
  std::vector<std::uint64_t> event_members;

  std::size_t columns() const { return factors.size() + inputs.size(); }
};

// Parameter sets, e.g. a calibration's posterior (latwin calibrate): member m takes row
// m % rows() — for every element of every listed uncertain parameter, the quantile u in (0, 1)
// that replaces its random draw, so each row keeps its joint values (correlations between
// parameters and differences between countries). Parameters not listed are drawn as usual; a
// design's factors (ParameterDesign) take precedence over the sets, and a design's
// event_members pick the row as they pick the events (member i takes row event_members[i] %
// rows()), so design rows that differ only in their factors also share their set.
struct ParameterSets {
  std::vector<std::string> parameters;  // uncertain parameter names
  std::vector<std::uint32_t> elements;  // each one's element count (checked against the plan)
  std::vector<double> unit;             // rows() x row_width(), row-major, parameter-major then element

  // Values per row: the sum of elements.
  std::size_t row_width() const;
  // Number of rows: unit.size() / row_width(), 0 when empty.
  std::size_t rows() const;
  bool empty() const { return parameters.empty(); }
};

// Everything that defines a run, as a value: print it, store it, replay it.
struct RunSpec {
  std::uint64_t seed = 1;
  std::uint64_t members = 1;
  std::uint64_t first_member = 0;  // run members [first, first + members) of a larger ensemble
  int threads = 0;                 // 0: all cores
  int batch_width = kDefaultBatchWidth;
  std::optional<double> start, stop, dt, save_every;
  std::optional<lang::Method> method;
  std::vector<std::string> save;   // variable names; empty: every stock and auxiliary shown
  bool sample_parameters = true;   // false: every member uses the nominal values
  ErrorPolicy policy = ErrorPolicy::kRecord;
  std::vector<ParamOverride> overrides;
  RunInputs inputs;
  ParameterDesign design;  // empty: every parameter drawn
  ParameterSets parameter_sets;  // empty: no sets; the design's factors override them
};

// What a run saves: which slots and times, in the order sinks receive them.
struct RunLayout {
  Settings settings;                    // after the RunSpec's overrides
  std::vector<double> save_times;
  std::vector<std::uint32_t> save_vars;  // variable indices
  std::vector<std::uint32_t> save_slots; // every element of every saved variable, in order
  std::uint64_t first_member = 0;
  std::uint64_t members = 0;

  // Position of slot in save_slots (the slot index sinks and TrajectoryCollector::at take);
  // save_slots.size() when the slot is not saved.
  std::size_t saved_position(std::uint32_t slot) const;
};

// One finished batch: values[(slot_idx * times + time_idx) * lanes + lane].
struct BatchResult {
  std::uint64_t first_member = 0;
  std::uint32_t lanes = 0;
  std::vector<double> values;
  std::vector<RunDiagnostic> diagnostics;
};

// Receives batches in member order, on one thread at a time.
class RunSink {
 public:
  virtual ~RunSink() = default;
  virtual void begin(const Plan& plan, const RunLayout& layout) = 0;
  virtual void batch(const BatchResult& result) = 0;
  virtual void end() {}
};

struct RunReport {
  RunLayout layout;
  std::vector<RunDiagnostic> diagnostics;  // at most kMaxRecordedDiagnostics, member order
  std::uint64_t diagnostic_count = 0;      // all of them
  double seconds = 0;
  int threads = 0;
};

inline constexpr std::size_t kMaxRecordedDiagnostics = 1000;

// Checks that settings make a whole number of steps (and of save intervals and fixed
// delays); throws latwin::ModelError saying what to change.
void check_settings(const Plan& plan, const Settings& settings);

// Checks spec against plan (names, settings, inputs); throws latwin::ModelError with a
// message naming what is wrong. Called by run_ensemble before any work.
RunLayout validate_run(const Plan& plan, const RunSpec& spec);

// Runs the ensemble. progress (may be empty) is called from the sink thread with the number
// of members finished. Throws latwin::RunStopped under ErrorPolicy::kStop when a member hits
// trouble; sinks have then seen every batch before the failing one.
RunReport run_ensemble(std::shared_ptr<const Plan> plan, const RunSpec& spec,
                       const std::vector<RunSink*>& sinks,
                       const std::function<void(std::uint64_t)>& progress = {});

// In-memory trajectories, for tests and small analyses.
class TrajectoryCollector : public RunSink {
 public:
  void begin(const Plan& plan, const RunLayout& layout) override;
  void batch(const BatchResult& result) override;
  // Value of a saved slot (index into layout.save_slots) at save time t for a member.
  double at(std::size_t slot_idx, std::size_t time_idx, std::uint64_t member) const;
  // Value of variable name (element "" for scalars) by member and time index.
  double value(const std::string& name, const std::string& element, std::size_t time_idx,
               std::uint64_t member) const;
  const RunLayout& layout() const { return layout_; }

 private:
  const Plan* plan_ = nullptr;
  RunLayout layout_;
  std::vector<double> values_;  // [slot][time][member]
};

}  // namespace latwin::engine
