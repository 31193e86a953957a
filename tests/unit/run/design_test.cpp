// A parameter design (RunSpec::design) sets the quantile each member's parameters take:
// exactly, for every element alike, at any batch width or thread count, leaving the other
// parameters to their random draws.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/run_helpers.hpp"

namespace latwin::test {
namespace {

const char* kModel = R"(
simulation start = 0 stop = 1 dt = 1
dimension place = {A, B, C}
param rate [1] = 5 ~ uniform(0, 10) "a rate" source "test"
param level[place] [1] = 1 ~ triangular(0, 1, 4) "a level" source "test"
param other [1] = 0 ~ normal(0, 1) "drawn as usual" source "test"
aux shown[place] [1] = rate + level * 0 + other * 0
)";

engine::RunSpec spec_with(std::vector<double> unit, std::uint64_t members) {
  engine::RunSpec spec;
  spec.members = members;
  spec.save = {"rate", "level", "other"};
  spec.design.factors = {"rate", "level"};
  spec.design.unit = std::move(unit);
  return spec;
}

TEST(ParameterDesign, MembersTakeTheDesignsQuantiles) {
  auto plan = compile_ok(kModel);
  // Member i: rate at quantile 0.1 * (i + 1), level at the median of triangular(0, 1, 4).
  std::vector<double> unit;
  const double median = 4 - std::sqrt(0.5 * 4 * 3);  // triangular(0, 1, 4): F(x) = 0.5 above the mode
  for (int i = 0; i < 5; ++i) {
    unit.push_back(0.1 * (i + 1));
    unit.push_back(0.5);
  }
  Collected run = run_collect(plan, spec_with(unit, 5));
  for (std::uint64_t m = 0; m < 5; ++m) {
    EXPECT_NEAR(run.trajectories->value("rate", "", 0, m), 10 * 0.1 * static_cast<double>(m + 1), 1e-12);
    for (const char* place : {"A", "B", "C"}) {
      EXPECT_NEAR(run.trajectories->value("level", place, 0, m), median, 1e-9);
    }
  }
  // The parameter not in the design is still drawn, differently per member.
  EXPECT_NE(run.trajectories->value("other", "", 0, 0), run.trajectories->value("other", "", 0, 1));
}

TEST(ParameterDesign, SameResultAtAnyBatchWidthThreadCountOrSplit) {
  auto plan = compile_ok(kModel);
  std::vector<double> unit;
  for (int i = 0; i < 100; ++i) {
    unit.push_back((i + 0.5) / 100);
    unit.push_back(1 - (i + 0.5) / 100);
  }
  engine::RunSpec base = spec_with(unit, 100);
  Collected one = run_collect(plan, base);
  engine::RunSpec other = base;
  other.batch_width = 7;
  other.threads = 2;
  Collected two = run_collect(plan, other);
  // The second half on its own: its design rows are members 50..99.
  engine::RunSpec half = base;
  half.first_member = 50;
  half.members = 50;
  half.design.unit.assign(unit.begin() + 100, unit.end());
  Collected tail = run_collect(plan, half);
  for (std::uint64_t m = 0; m < 100; ++m) {
    EXPECT_EQ(one.trajectories->value("rate", "", 0, m), two.trajectories->value("rate", "", 0, m));
    EXPECT_EQ(one.trajectories->value("other", "", 0, m), two.trajectories->value("other", "", 0, m));
  }
  for (std::uint64_t m = 0; m < 50; ++m) {
    EXPECT_EQ(one.trajectories->value("level", "B", 0, 50 + m), tail.trajectories->value("level", "B", 0, m));
  }
}

// Rows that share an event member draw the same random events: with the same parameters they
// give the same trajectory; with their own members they differ.
TEST(ParameterDesign, EventMembersShareRandomEvents) {
  auto plan = compile_ok(R"(
simulation start = 0 stop = 5 dt = 1
param rate [1/year] = 5 ~ uniform(0, 10) "a rate" source "test"
const spread [1/year] = 1
stock x [1] = 0 inflow shock [1/year] = random_normal(rate, spread)
)");
  engine::RunSpec spec;
  spec.members = 3;
  spec.save = {"x"};
  spec.design.factors = {"rate"};
  spec.design.unit = {0.5, 0.5, 0.5};
  Collected own = run_collect(plan, spec);
  EXPECT_NE(own.trajectories->value("x", "", 5, 0), own.trajectories->value("x", "", 5, 1));
  spec.design.event_members = {7, 7, 2};
  Collected shared = run_collect(plan, spec);
  EXPECT_EQ(shared.trajectories->value("x", "", 5, 0), shared.trajectories->value("x", "", 5, 1));
  EXPECT_NE(shared.trajectories->value("x", "", 5, 0), shared.trajectories->value("x", "", 5, 2));
}

TEST(ParameterDesign, BadDesignsAreRefused) {
  auto plan = compile_ok(kModel);
  auto error_of = [&](engine::RunSpec spec) -> std::string {
    try {
      engine::run_ensemble(plan, spec, {});
    } catch (const ModelError& e) {
      return e.what();
    }
    return "";
  };
  engine::RunSpec spec = spec_with({0.5, 0.5}, 1);
  spec.design.factors = {"shown", "rate"};
  EXPECT_THAT(error_of(spec), ::testing::HasSubstr("'shown' is not an uncertain parameter"));
  spec.design.factors = {"rate", "rate"};
  EXPECT_THAT(error_of(spec), ::testing::HasSubstr("listed twice"));
  EXPECT_THAT(error_of(spec_with({0.5}, 1)), ::testing::HasSubstr("1 values for 1 members x 2 factors"));
  EXPECT_THAT(error_of(spec_with({0.5, 1.0}, 1)), ::testing::HasSubstr("outside (0, 1)"));
}

}  // namespace
}  // namespace latwin::test
