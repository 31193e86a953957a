#include <gtest/gtest.h>

#include <cmath>

#include "support/run_helpers.hpp"

namespace latwin {
namespace {

TEST(Engine, ExponentialDecayRk4MatchesAnalytic) {
  auto plan = test::compile_ok(R"(
simulation start = 0 stop = 5 dt = 0.125 method = rk4
param k [1/year] = 0.5
stock x [person] = 100
  outflow decay [person/year] = k * x
)");
  ASSERT_TRUE(plan);
  engine::RunSpec spec;
  spec.members = 3;
  auto out = test::run_collect(plan, spec);
  auto& layout = out.trajectories->layout();
  for (std::size_t t = 0; t < layout.save_times.size(); ++t) {
    double expected = 100 * std::exp(-0.5 * layout.save_times[t]);
    EXPECT_NEAR(out.trajectories->value("x", "", t, 1), expected, 1e-6 * expected);
  }
}

}  // namespace
}  // namespace latwin
