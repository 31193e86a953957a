// The main job's comparison: the six built-in strategies under the baseline scenario on the
// hemisphere model with the project's data, 1000 members each, 2024-2040. The reference,
// measured in the same run, is the bare simulation the comparison cannot avoid: the same six
// ensembles with the same inputs, saving only the index into a sink that discards it. The
// difference is what the comparison adds (collecting 41 outcomes per member and year, and
// the statistics). Figures and the command in RESULTS.md.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "analysis/comparison.hpp"
#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "engine/lang/source.hpp"
#include "engine/run/ensemble.hpp"
#include "policy/model_interface.hpp"
#include "policy/scenario.hpp"
#include "policy/strategy.hpp"
#include "study/comparison_run.hpp"

namespace {

using namespace latwin;

const std::string kRoot = LATWIN_SOURCE_DIR;

struct MainJob {
  std::unique_ptr<data::PanelDataSource> data;
  engine::CompileResult compiled;
  policy::ModelInterface model;
  policy::Scenario scenario;
  std::vector<policy::Strategy> strategies;

  MainJob() {
    data = std::make_unique<data::PanelDataSource>(kRoot + "/data");
    compiled = engine::compile_files(lang::expand_model_paths({kRoot + "/models/hemisphere"}),
                                     data.get());
    model = policy::describe_model(*compiled.plan, &data->panel());
    scenario = policy::load_scenario(kRoot + "/scenarios/baseline.yaml", model);
    for (const char* name : {"status-quo", "disengagement", "security-first", "economic-first",
                             "democracy-and-pressure", "comprehensive"}) {
      strategies.push_back(policy::load_strategy(
          kRoot + "/strategies/" + std::string(name) + ".yaml", model, scenario));
    }
  }
};

const MainJob& main_job() {
  static const MainJob job;
  return job;
}

class DiscardSink : public engine::RunSink {
 public:
  void begin(const engine::Plan&, const engine::RunLayout&) override {}
  void batch(const engine::BatchResult& result) override { benchmark::DoNotOptimize(result.values.data()); }
};

void BM_Compare(benchmark::State& state) {
  const MainJob& job = main_job();
  study::ComparisonRequest request;
  request.plan = job.compiled.plan;
  request.scenario = &job.scenario;
  for (const auto& s : job.strategies) request.strategies.push_back(&s);
  request.members = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) {
    study::ComparisonRun run = study::run_comparison(request);
    analysis::ComparisonSetup setup;
    setup.years = run.years;
    setup.index = {request.index, "index", ""};
    for (const auto& c : run.components) setup.components.push_back({c, c, ""});
    for (const auto& iso3 : run.countries) setup.countries.push_back({iso3, iso3, "", 0, 0});
    setup.reference = "status-quo";
    analysis::Comparison result = analysis::compare_strategies(setup, run.samples);
    benchmark::DoNotOptimize(result.document.size());
  }
  state.counters["members/s"] = benchmark::Counter(
      static_cast<double>(state.range(0) * 6), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_BareSimulationReference(benchmark::State& state) {
  const MainJob& job = main_job();
  for (auto _ : state) {
    for (const auto& strategy : job.strategies) {
      engine::RunSpec spec;
      spec.members = static_cast<std::uint64_t>(state.range(0));
      spec.stop = job.scenario.horizon;
      spec.save = {"latin_win_index"};
      spec.inputs = strategy.inputs();
      spec.inputs.scenario = job.scenario.series;
      DiscardSink sink;
      engine::run_ensemble(job.compiled.plan, spec, {&sink});
    }
  }
  state.counters["members/s"] = benchmark::Counter(
      static_cast<double>(state.range(0) * 6), benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_BareSimulationReference)->Arg(1000)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Compare)->Arg(1000)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(3);

}  // namespace
