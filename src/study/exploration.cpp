#include "study/exploration.hpp"

#include <set>

#include "engine/run/ensemble.hpp"

namespace latwin::study {

namespace {

class HorizonValues : public engine::RunSink {
 public:
  explicit HorizonValues(std::size_t members) : values(members) {}
  void begin(const engine::Plan&, const engine::RunLayout& layout) override {
    times_ = layout.save_times.size();
  }
  void batch(const engine::BatchResult& result) override {
    for (std::uint32_t lane = 0; lane < result.lanes; ++lane) {
      values[result.first_member + lane] = result.values[(times_ - 1) * result.lanes + lane];
    }
  }
  std::vector<double> values;

 private:
  std::size_t times_ = 0;
};

}  // namespace

std::vector<std::string> ExplorationFactors::names() const {
  std::vector<std::string> all = parameters;
  for (const auto& input : inputs) {
    all.push_back(input.mode == engine::InputFactor::Mode::kScale ? input.name + " (scenario, x)"
                                                                  : input.name + " (scenario)");
  }
  return all;
}

double ExplorationFactors::shown_value(std::size_t column, double u) const {
  if (column < parameters.size()) return u;
  const engine::InputFactor& input = inputs.at(column - parameters.size());
  return input.low + (input.high - input.low) * u;
}

ExplorationFactors exploration_factors(const engine::Plan& plan, const policy::Scenario& scenario,
                                       const engine::ParameterSets& parameter_sets) {
  std::set<std::string> fixed;
  for (const auto& over : scenario.overrides) fixed.insert(over.variable);
  for (const auto& name : parameter_sets.parameters) fixed.insert(name);
  ExplorationFactors factors;
  for (const auto& var : plan.variables) {
    if (var.role == engine::VarRole::kParam && var.param_stream && !fixed.contains(var.name)) {
      factors.parameters.push_back(var.name);
    }
  }
  for (const auto& uncertain : scenario.uncertain) factors.inputs.push_back(uncertain.factor);
  return factors;
}

std::vector<double> index_over_design(std::shared_ptr<const engine::Plan> plan,
                                      const policy::Scenario& scenario,
                                      const policy::Strategy& strategy,
                                      const ExplorationFactors& factors,
                                      const std::vector<double>& unit,
                                      const std::vector<std::uint64_t>& event_members,
                                      const std::string& index, std::uint64_t seed, int threads,
                                      const engine::ParameterSets& parameter_sets) {
  engine::RunSpec spec;
  spec.seed = seed;
  spec.members = unit.size() / factors.size();
  spec.threads = threads;
  spec.stop = scenario.horizon;
  spec.save = {index};
  spec.overrides = scenario.overrides;
  spec.inputs = strategy.inputs();
  spec.inputs.scenario = scenario.series;
  spec.design.factors = factors.parameters;
  spec.design.inputs = factors.inputs;
  spec.design.unit = unit;
  spec.design.event_members = event_members;
  spec.parameter_sets = parameter_sets;
  HorizonValues sink(spec.members);
  engine::run_ensemble(plan, spec, {&sink});
  return sink.values;
}

}  // namespace latwin::study
