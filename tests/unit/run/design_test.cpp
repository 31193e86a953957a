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

// Deep uncertainties: a scenario input set per member from a range (level), or the run's own
// series multiplied per member (scale), in every year and element alike.
const char* kInputModel = R"(
simulation start = 2024 stop = 2026 dt = 1
dimension place = {A, B}
param rate [1] = 5 ~ uniform(0, 10) "a rate" source "test"
aux posture[place] [1] = scenario("posture", 0.5)
aux price [1] = scenario("price", 1)
aux shown [1] = rate * 0
)";

engine::Series yearly(int first_year, std::vector<double> values) {
  engine::Series series;
  series.first_year = first_year;
  series.values = std::move(values);
  return series;
}

TEST(ParameterDesign, InputFactorsSetOrScaleTheScenarioPerMember) {
  auto plan = compile_ok(kInputModel);
  engine::RunSpec spec;
  spec.members = 3;
  spec.save = {"posture", "price", "rate"};
  spec.inputs.scenario[{"price", ""}] = yearly(2024, {1.0, 2.0, 4.0, 4.0});
  spec.design.factors = {"rate"};
  spec.design.inputs = {{"posture", engine::InputFactor::Mode::kLevel, 0.2, 0.8},
                        {"price", engine::InputFactor::Mode::kScale, 0.5, 1.5}};
  // Columns: rate, posture, price.
  spec.design.unit = {0.5, 0.25, 0.5,  //
                      0.1, 0.5, 0.25,  //
                      0.9, 0.75, 0.75};
  Collected run = run_collect(plan, spec);
  const double posture[] = {0.35, 0.5, 0.65};
  const double scale[] = {1.0, 0.75, 1.25};
  const double price[] = {1.0, 2.0, 4.0};
  for (std::uint64_t m = 0; m < 3; ++m) {
    for (std::size_t t = 0; t < 3; ++t) {
      for (const char* place : {"A", "B"}) {
        EXPECT_NEAR(run.trajectories->value("posture", place, t, m), posture[m], 1e-12);
      }
      EXPECT_NEAR(run.trajectories->value("price", "", t, m), price[t] * scale[m], 1e-12);
    }
  }
  EXPECT_NEAR(run.trajectories->value("rate", "", 0, 1), 1.0, 1e-12);
  // Only inputs, no parameter factors: the columns are the inputs'.
  spec.design.factors.clear();
  spec.design.unit = {0.25, 0.5, 0.5, 0.25, 0.75, 0.75};
  Collected inputs_only = run_collect(plan, spec);
  EXPECT_NEAR(inputs_only.trajectories->value("posture", "B", 2, 1), 0.5, 1e-12);
  EXPECT_NEAR(inputs_only.trajectories->value("price", "", 1, 2), 2.0 * 1.25, 1e-12);
}

TEST(ParameterDesign, BadInputFactorsAreRefused) {
  auto plan = compile_ok(kInputModel);
  auto error_of = [&](std::vector<engine::InputFactor> inputs) -> std::string {
    engine::RunSpec spec;
    spec.members = 1;
    spec.design.inputs = std::move(inputs);
    spec.design.unit.assign(spec.design.inputs.size(), 0.5);
    try {
      engine::run_ensemble(plan, spec, {});
    } catch (const ModelError& e) {
      return e.what();
    }
    return "";
  };
  using Mode = engine::InputFactor::Mode;
  EXPECT_THAT(error_of({{"oil", Mode::kLevel, 0, 1}}), ::testing::HasSubstr("reads no scenario input 'oil'"));
  EXPECT_THAT(error_of({{"price", Mode::kScale, 0.5, 2}}), ::testing::HasSubstr("no series for it to scale"));
  EXPECT_THAT(error_of({{"price", Mode::kLevel, 2, 1}}), ::testing::HasSubstr("no valid range"));
  EXPECT_THAT(error_of({{"price", Mode::kLevel, 0, 1}, {"price", Mode::kLevel, 0, 1}}),
              ::testing::HasSubstr("listed twice"));
  EXPECT_EQ(error_of({{"price", Mode::kLevel, 0, 1}}), "");
}

}  // namespace
}  // namespace latwin::test
