// Parameter sets (RunSpec::parameter_sets), e.g. a calibration's posterior: member m takes row
// m mod N exactly, per element, whatever the batch width, thread count or split; a design's
// factors still win; every inconsistency with the model is refused with a plain message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/random.hpp"
#include "support/run_helpers.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;

const char* kModel = R"(
simulation start = 0 stop = 3 dt = 1
dimension place = {A, B, C}
param rate [1/year] = 0.5 ~ uniform(0, 1) "a rate" source "test"
param level[place] [1] = 1 ~ triangular(0, 1, 4) "a level" source "test"
param other [1/year] = 0 ~ normal(0, 1) "drawn as usual" source "test"
param fixed [1/year] = 2 "no distribution" source "test"
stock x[place] [1] = level inflow growth [1/year] = rate * x + other * 0 + fixed * 0
)";

// The uniform the engine draws for an element of a parameter in a member (vm.cpp).
double own_draw(const engine::Plan& plan, const std::string& name, std::uint32_t element,
                std::uint64_t seed, std::uint32_t member) {
  const engine::Variable& var = plan.variables.at(*plan.find_variable(name));
  DrawKey key;
  key.seed = seed;
  key.member = member;
  key.stream = *var.param_stream;
  key.element = element;
  key.step = engine::kParamStep;
  UniformStream stream(key);
  return stream.next();
}

engine::ParameterSets sets_of(std::vector<double> unit) {
  engine::ParameterSets sets;
  sets.parameters = {"rate", "level"};
  sets.elements = {1, 3};
  sets.unit = std::move(unit);
  return sets;
}

engine::RunSpec spec_for(std::uint64_t members) {
  engine::RunSpec spec;
  spec.seed = 7;
  spec.members = members;
  spec.save = {"rate", "level", "other", "x"};
  return spec;
}

void expect_same_member(const Collected& a, std::uint64_t member_a, const Collected& b,
                        std::uint64_t member_b) {
  const auto& layout = a.trajectories->layout();
  for (std::size_t slot = 0; slot < layout.save_slots.size(); ++slot) {
    for (std::size_t t = 0; t < layout.save_times.size(); ++t) {
      EXPECT_EQ(a.trajectories->at(slot, t, member_a), b.trajectories->at(slot, t, member_b))
          << "slot " << slot << " time " << t;
    }
  }
}

TEST(ParameterSets, RowOfAMembersOwnDrawsReproducesThatMemberBitForBit) {
  auto plan = compile_ok(kModel);
  Collected plain = run_collect(plan, spec_for(6));
  // One row, made of member 4's draws: every member becomes member 4 in rate and level.
  std::vector<double> row = {own_draw(*plan, "rate", 0, 7, 4)};
  for (std::uint32_t e = 0; e < 3; ++e) row.push_back(own_draw(*plan, "level", e, 7, 4));
  engine::RunSpec spec = spec_for(6);
  spec.parameter_sets = sets_of(row);
  Collected with_sets = run_collect(plan, spec);
  expect_same_member(plain, 4, with_sets, 4);
  for (std::uint64_t m = 0; m < 6; ++m) {
    EXPECT_EQ(with_sets.trajectories->value("rate", "", 0, m), plain.trajectories->value("rate", "", 0, 4));
    EXPECT_EQ(with_sets.trajectories->value("level", "C", 0, m), plain.trajectories->value("level", "C", 0, 4));
    // Parameters not in the sets keep their own draws.
    EXPECT_EQ(with_sets.trajectories->value("other", "", 0, m), plain.trajectories->value("other", "", 0, m));
  }
}

TEST(ParameterSets, MembersCycleThroughTheRowsAndElementsDiffer) {
  auto plan = compile_ok(kModel);
  // Rows r = 0, 1, 2: rate at quantile 0.1 + 0.2 r; level's elements at 0.2, 0.5, 0.8.
  std::vector<double> unit;
  for (int r = 0; r < 3; ++r) {
    unit.insert(unit.end(), {0.1 + 0.2 * r, 0.2, 0.5, 0.8});
  }
  engine::RunSpec spec = spec_for(7);
  spec.parameter_sets = sets_of(unit);
  Collected run = run_collect(plan, spec);
  for (std::uint64_t m = 0; m < 7; ++m) {
    EXPECT_NEAR(run.trajectories->value("rate", "", 0, m), 0.1 + 0.2 * static_cast<double>(m % 3), 1e-12);
  }
  // triangular(0, 1, 4): F(1) = 0.25, the mode; values rise with the quantile.
  double a = run.trajectories->value("level", "A", 0, 0);
  double b = run.trajectories->value("level", "B", 0, 0);
  double c = run.trajectories->value("level", "C", 0, 0);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(b, run.trajectories->value("level", "B", 0, 5));
}

TEST(ParameterSets, SameResultAtAnyThreadCountBatchWidthOrSplit) {
  auto plan = compile_ok(kModel);
  std::vector<double> unit;
  for (int r = 0; r < 13; ++r) {
    for (int i = 0; i < 4; ++i) unit.push_back((r * 4 + i + 0.5) / 52.0);
  }
  engine::RunSpec base = spec_for(100);
  base.parameter_sets = sets_of(unit);
  base.threads = 1;
  Collected one = run_collect(plan, base);
  engine::RunSpec other = base;
  other.threads = 2;
  other.batch_width = 7;
  Collected two = run_collect(plan, other);
  engine::RunSpec tail = base;
  tail.first_member = 60;
  tail.members = 40;
  Collected split = run_collect(plan, tail);
  for (std::uint64_t m = 0; m < 100; ++m) expect_same_member(one, m, two, m);
  // The collector numbers members absolutely: the split holds members 60 to 99.
  for (std::uint64_t m = 60; m < 100; ++m) expect_same_member(one, m, split, m);
}

TEST(ParameterSets, DesignFactorsTakePrecedenceAndEventMembersPickTheRow) {
  auto plan = compile_ok(kModel);
  engine::RunSpec spec = spec_for(3);
  spec.parameter_sets = sets_of({0.1, 0.2, 0.5, 0.8,  //
                                 0.3, 0.2, 0.5, 0.8,  //
                                 0.5, 0.2, 0.5, 0.8});
  spec.design.factors = {"rate"};
  spec.design.unit = {0.9, 0.9, 0.9};
  Collected run = run_collect(plan, spec);
  for (std::uint64_t m = 0; m < 3; ++m) {
    EXPECT_NEAR(run.trajectories->value("rate", "", 0, m), 0.9, 1e-12);
  }
  // Members that share their events share their set.
  spec.design.factors = {"other"};
  spec.design.event_members = {2, 2, 1};
  Collected shared = run_collect(plan, spec);
  EXPECT_NEAR(shared.trajectories->value("rate", "", 0, 0), 0.5, 1e-12);
  EXPECT_NEAR(shared.trajectories->value("rate", "", 0, 1), 0.5, 1e-12);
  EXPECT_NEAR(shared.trajectories->value("rate", "", 0, 2), 0.3, 1e-12);
}

TEST(ParameterSets, BadSetsAreRefused) {
  auto plan = compile_ok(kModel);
  auto error_of = [&](engine::ParameterSets sets) -> std::string {
    engine::RunSpec spec = spec_for(2);
    spec.parameter_sets = std::move(sets);
    try {
      engine::validate_run(*plan, spec);
    } catch (const ModelError& e) {
      return e.what();
    }
    return "";
  };
  const std::vector<double> row = {0.5, 0.5, 0.5, 0.5};
  EXPECT_EQ(error_of(sets_of(row)), "");

  engine::ParameterSets sets = sets_of(row);
  sets.parameters[0] = "rte";
  EXPECT_THAT(error_of(sets), HasSubstr("unknown variable 'rte' (did you mean 'rate'?)"));
  sets = sets_of(row);
  sets.parameters[0] = "fixed";
  EXPECT_THAT(error_of(sets), HasSubstr("'fixed' is not an uncertain parameter"));
  sets = sets_of(row);
  sets.parameters[0] = "x";
  EXPECT_THAT(error_of(sets), HasSubstr("'x' is not an uncertain parameter"));
  sets = sets_of({0.5, 0.5, 0.5, 0.5, 0.5});
  sets.elements = {1, 4};
  EXPECT_THAT(error_of(sets),
              HasSubstr("'level' has 3 elements in the model but 4 in the parameter sets: the "
                        "file was made for another model or data"));
  sets = sets_of({0.5, 0.5});
  sets.parameters = {"rate", "rate"};
  sets.elements = {1, 1};
  EXPECT_THAT(error_of(sets), HasSubstr("'rate' is listed twice"));
  EXPECT_THAT(error_of(sets_of({0.5, 0.5, 0.5})), HasSubstr("3 values do not make whole sets of 4"));
  EXPECT_THAT(error_of(sets_of({})), HasSubstr("0 values do not make whole sets of 4"));
  EXPECT_THAT(error_of(sets_of({0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 0.5})),
              HasSubstr("set 2 has quantile 1 outside (0, 1)"));
  EXPECT_THAT(error_of(sets_of({0.0, 0.5, 0.5, 0.5})), HasSubstr("outside (0, 1)"));
  EXPECT_THAT(error_of(sets_of({std::numeric_limits<double>::quiet_NaN(), 0.5, 0.5, 0.5})),
              HasSubstr("outside (0, 1)"));
  EXPECT_THAT(error_of(sets_of({INFINITY, 0.5, 0.5, 0.5})), HasSubstr("outside (0, 1)"));
  sets = sets_of(row);
  sets.elements = {1};
  EXPECT_THAT(error_of(sets), HasSubstr("2 parameters but 1 element counts"));
  engine::RunSpec nominal = spec_for(2);
  nominal.sample_parameters = false;
  nominal.parameter_sets = sets_of(row);
  EXPECT_THROW(
      {
        try {
          engine::validate_run(*plan, nominal);
        } catch (const ModelError& e) {
          EXPECT_THAT(e.what(), HasSubstr("cannot be used with nominal parameter values"));
          throw;
        }
      },
      ModelError);
}

}  // namespace
}  // namespace latwin::test
