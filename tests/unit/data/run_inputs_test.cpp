#include "data/run_inputs.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "support/run_helpers.hpp"

namespace latwin::data {
namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("latwin_inputs_" + name);
  std::ofstream(path) << text;
  return path.string();
}

std::string error_of(const std::string& text) {
  std::string path = write_temp("bad.csv", text);
  try {
    load_run_inputs(path);
  } catch (const InputError& err) {
    return std::string(err.what()).substr(path.size());
  }
  return "no error";
}

TEST(RunInputs, ReadsScenarioAndAllocationSeriesWithGaps) {
  std::string path = write_temp("good.csv",
                                "kind,name,element,year,value\n"
                                "scenario,china_posture,,2024,0.5\n"
                                "scenario,china_posture,,2026,0.7\n"
                                "allocation,security,COL,2025,30\n");
  engine::RunInputs inputs = load_run_inputs(path);
  const engine::Series& posture = inputs.scenario.at({"china_posture", ""});
  EXPECT_EQ(posture.first_year, 2024);
  ASSERT_EQ(posture.values.size(), 3u);
  EXPECT_EQ(posture.values[0], 0.5);
  EXPECT_TRUE(std::isnan(posture.values[1]));
  EXPECT_EQ(inputs.allocations.at({"security", "COL"}).values.at(0), 30);
}

TEST(RunInputs, BadLinesNameTheFileLineAndWhatWasExpected) {
  EXPECT_EQ(error_of("kind,name\n"), ":1: expected the header kind,name,element,year,value");
  EXPECT_EQ(error_of("kind,name,element,year,value\nstrategy,x,,2020,1\n"),
            ":2: kind must be 'scenario' or 'allocation', not 'strategy'");
  EXPECT_EQ(error_of("kind,name,element,year,value\nscenario,x,,2020.5,1\n"),
            ":2: the year must be a whole year, not '2020.5'");
  EXPECT_EQ(error_of("kind,name,element,year,value\nscenario,x,,2020,abc\n"),
            ":2: the value is not a number: 'abc'");
  EXPECT_EQ(error_of("kind,name,element,year,value\nscenario,x,,2020,1\nscenario,x,,2020,2\n"),
            ":3: scenario 'x' has a value for 2020 already (line 2)");
}

TEST(RunInputs, FeedTheModelsScenarioAndAllocationCalls) {
  auto plan = test::compile_ok(R"(
simulation start = 2024 stop = 2026 dt = 1
dimension country = {COL, VEN}
aux posture [1] = scenario("china_posture")
aux spending[country] [1] = allocation("security")
)");
  ASSERT_TRUE(plan);
  engine::RunSpec spec;
  spec.inputs = load_run_inputs(write_temp("feed.csv",
                                           "kind,name,element,year,value\n"
                                           "scenario,china_posture,,2024,0.5\n"
                                           "scenario,china_posture,,2026,0.7\n"
                                           "scenario,china_posture,,2025,0.6\n"
                                           "allocation,security,COL,2025,30\n"));
  auto out = test::run_collect(plan, spec);
  EXPECT_EQ(out.trajectories->value("posture", "", 1, 0), 0.6);
  EXPECT_EQ(out.trajectories->value("spending", "COL", 1, 0), 30);
  EXPECT_EQ(out.trajectories->value("spending", "VEN", 1, 0), 0);  // no allocation: none spent
  EXPECT_EQ(out.trajectories->value("spending", "COL", 2, 0), 0);
}

}  // namespace
}  // namespace latwin::data
