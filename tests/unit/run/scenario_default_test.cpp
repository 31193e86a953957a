// scenario("name", default): a run whose scenario leaves the series out gets the default;
// a series read anywhere without a default must still be given.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "support/run_helpers.hpp"

namespace latwin::engine {
namespace {

Series yearly(int first_year, std::vector<double> values) {
  Series series;
  series.first_year = first_year;
  series.values = std::move(values);
  return series;
}

TEST(ScenarioDefault, UsedWhenTheRunDoesNotGiveTheSeries) {
  auto plan = test::compile_ok(R"(
simulation start = 2024 stop = 2026 dt = 1
dimension country = {COL, VEN}
aux price [USD] = scenario("oil_price", 80)
aux posture[country] [1] = scenario("china_posture", 0.5)
)");
  ASSERT_TRUE(plan);
  RunSpec spec;
  auto out = test::run_collect(plan, spec);
  EXPECT_EQ(out.trajectories->value("price", "", 0, 0), 80);
  EXPECT_EQ(out.trajectories->value("posture", "VEN", 2, 0), 0.5);
}

TEST(ScenarioDefault, TheRunsSeriesWinsWhereItHasAValue) {
  auto plan = test::compile_ok(R"(
simulation start = 2024 stop = 2026 dt = 1
dimension country = {COL, VEN}
aux posture[country] [1] = scenario("china_posture", 0.5)
)");
  ASSERT_TRUE(plan);
  RunSpec spec;
  spec.inputs.scenario[{"china_posture", "COL"}] = yearly(2024, {0.9, NAN, 0.7});
  auto out = test::run_collect(plan, spec);
  EXPECT_EQ(out.trajectories->value("posture", "COL", 0, 0), 0.9);
  EXPECT_EQ(out.trajectories->value("posture", "COL", 1, 0), 0.5);  // a gap takes the default
  EXPECT_EQ(out.trajectories->value("posture", "VEN", 0, 0), 0.5);  // no series for VEN
}

TEST(ScenarioDefault, AUseWithoutADefaultStillRequiresTheSeries) {
  for (const char* text : {R"(
aux a [1] = scenario("shock", 0)
aux b [1] = scenario("shock")
)",
                           R"(
aux b [1] = scenario("shock")
aux a [1] = scenario("shock", 0)
)"}) {
    auto plan = test::compile_ok(text);
    ASSERT_TRUE(plan);
    RunSpec spec;
    try {
      test::run_collect(plan, spec);
      ADD_FAILURE() << "expected the run to refuse to start";
    } catch (const ModelError& e) {
      EXPECT_NE(std::string(e.what()).find("does not give: shock"), std::string::npos) << e.what();
    }
  }
}

TEST(ScenarioDefault, TakesAtMostTwoArguments) {
  EXPECT_NE(test::compile_errors(R"(aux a [1] = scenario("x", 1, 2))").find(
                "scenario(\"oil_price\", 80)"),
            std::string::npos);
}

}  // namespace
}  // namespace latwin::engine
