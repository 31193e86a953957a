// latwin optimize's cost: one evaluation of a candidate allocation over 33 countries (each
// its own group) x the model's money instruments, 200 members, under the baseline scenario.
// The reference, measured in the same run, is the bare 200-member simulation an evaluation
// cannot avoid: the same ensemble with the start strategy's inputs, saving only the index.
// The difference is what turning a decision vector into yearly levels per country (budget
// sharing, caps, splits) and the objective add. Figures and the command in RESULTS.md.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/constraints.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "study/optimization.hpp"

namespace {

using namespace latwin;

const std::string kRoot = LATWIN_SOURCE_DIR;
constexpr std::uint64_t kMembers = 200;

struct Problem {
  std::unique_ptr<data::PanelDataSource> data;
  engine::CompileResult compiled;
  policy::ModelInterface model;
  policy::Scenario scenario;
  policy::Strategy base, start;
  policy::Constraints constraints;
  study::OptimizationRequest request;
  std::vector<study::DecisionUnit> units;
  std::vector<double> start_x;

  Problem() {
    data = std::make_unique<data::PanelDataSource>(kRoot + "/data");
    compiled = engine::compile_files(lang::expand_model_paths({kRoot + "/models/hemisphere"}),
                                     data.get());
    model = policy::describe_model(*compiled.plan, &data->panel());
    scenario = policy::load_scenario(kRoot + "/scenarios/baseline.yaml", model);
    base = policy::load_strategy(kRoot + "/strategies/status-quo.yaml", model, scenario);
    start = policy::load_strategy(kRoot + "/strategies/security-first.yaml", model, scenario);
    constraints = policy::load_constraints(kRoot + "/constraints/default.yaml", model);
    request.plan = compiled.plan;
    request.model = &model;
    request.scenario = &scenario;
    request.base = &base;
    request.start = &start;
    request.constraints = &constraints;
    request.budget = 1.729e9;
    for (const auto& item : model.instruments) {
      if (!item.intensity) request.instruments.push_back(item.name);
    }
    for (const auto& iso3 : model.groups.at("all")) request.groups.push_back({iso3, {iso3}});
    request.members = kMembers;
    units = study::decision_units(request);
    start_x = study::start_point(request, units);
  }
};

const Problem& problem() {
  static const Problem instance;
  return instance;
}

class DiscardSink : public engine::RunSink {
 public:
  void begin(const engine::Plan&, const engine::RunLayout&) override {}
  void batch(const engine::BatchResult& result) override { benchmark::DoNotOptimize(result.values.data()); }
};

void BM_OptimizeEvaluation(benchmark::State& state) {
  const Problem& p = problem();
  for (auto _ : state) {
    double value = study::objective_value(
        p.request, study::index_at_horizon(p.request, study::levels_for(p.request, p.units, p.start_x)));
    benchmark::DoNotOptimize(value);
  }
  state.counters["decision_variables"] = static_cast<double>(p.units.size());
  state.counters["evaluations/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BareSimulationReference(benchmark::State& state) {
  const Problem& p = problem();
  for (auto _ : state) {
    engine::RunSpec spec;
    spec.members = kMembers;
    spec.stop = p.scenario.horizon;
    spec.save = {"latin_win_index"};
    spec.inputs = p.start.inputs();
    spec.inputs.scenario = p.scenario.series;
    DiscardSink sink;
    engine::run_ensemble(p.compiled.plan, spec, {&sink});
  }
  state.counters["evaluations/s"] = benchmark::Counter(1, benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_BareSimulationReference)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);
BENCHMARK(BM_OptimizeEvaluation)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

}  // namespace
