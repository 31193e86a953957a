#include <gtest/gtest.h>

#include <cmath>

#include "support/run_helpers.hpp"

namespace latwin {
namespace {

using test::compile_ok;
using test::run_collect;

TEST(Features, ArraysSubsetsAndReductions) {
  auto plan = compile_ok(R"(
simulation start = 0 stop = 2 dt = 1
dimension country = {COL, VEN, ECU, BRA}
subset andean of country = {COL, VEN, ECU}
param base[country] [person] = 10
  at VEN = 20
  at BRA = 40
aux total [person] = sum(base)
aux andean_total [person] = sum(base[andean])
aux share[country] [1] = base / sum(base)
aux andean_only[andean] [person] = base * 2
aux biggest [person] = max(base)
aux average [person] = mean(base)
)");
  ASSERT_TRUE(plan);
  auto out = run_collect(plan, {});
  auto& t = *out.trajectories;
  EXPECT_EQ(t.value("total", "", 0, 0), 80);
  EXPECT_EQ(t.value("andean_total", "", 0, 0), 40);
  EXPECT_EQ(t.value("share", "BRA", 0, 0), 0.5);
  EXPECT_EQ(t.value("andean_only", "VEN", 0, 0), 40);
  EXPECT_EQ(t.value("biggest", "", 0, 0), 40);
  EXPECT_EQ(t.value("average", "", 0, 0), 20);
}

TEST(Features, NeighbourSumSkipsZeroWeights) {
  auto plan = compile_ok(R"(
simulation start = 0 stop = 1 dt = 1
dimension country = {COL, VEN, ECU}
const border[country, country] = 0
  at COL.VEN, COL.ECU, VEN.COL, ECU.COL = 1
param x[country] [person] = 1
  at VEN = 2
  at ECU = 4
aux spill[country] [person] = wsum(border, x)
)");
  ASSERT_TRUE(plan);
  auto out = run_collect(plan, {});
  auto& t = *out.trajectories;
  EXPECT_EQ(t.value("spill", "COL", 0, 0), 6);
  EXPECT_EQ(t.value("spill", "VEN", 0, 0), 1);
  EXPECT_EQ(t.value("spill", "ECU", 0, 0), 1);
}

TEST(Features, SmoothAndFixedDelay) {
  auto plan = compile_ok(R"(
simulation start = 0 stop = 4 dt = 1 method = euler
aux input [person] = step(10, 1)
aux smoothed [person] = smooth(input, 2)
aux late [person] = delay_fixed(input, 2, 0)
)");
  ASSERT_TRUE(plan);
  auto out = run_collect(plan, {});
  auto& t = *out.trajectories;
  // Euler smoothing with T = 2, dt = 1: s += (in - s) / 2 each year.
  EXPECT_EQ(t.value("smoothed", "", 0, 0), 0);
  EXPECT_EQ(t.value("smoothed", "", 1, 0), 0);
  EXPECT_EQ(t.value("smoothed", "", 2, 0), 5);
  EXPECT_EQ(t.value("smoothed", "", 3, 0), 7.5);
  EXPECT_EQ(t.value("late", "", 2, 0), 0);
  EXPECT_EQ(t.value("late", "", 3, 0), 10);
}

TEST(Features, ParameterDrawsDifferByMemberAndFollowSeed) {
  auto plan = compile_ok(R"(
simulation start = 0 stop = 1 dt = 1
param p [1] ~ normal(5, 1)
aux q [1] = p + random_normal(0, 1)
)");
  ASSERT_TRUE(plan);
  engine::RunSpec spec;
  spec.members = 4;
  auto a = run_collect(plan, spec);
  auto b = run_collect(plan, spec);
  EXPECT_NE(a.trajectories->value("q", "", 0, 0), a.trajectories->value("q", "", 0, 1));
  EXPECT_EQ(a.trajectories->value("q", "", 1, 3), b.trajectories->value("q", "", 1, 3));
  spec.sample_parameters = false;
  spec.save = {"p"};
  auto nominal = run_collect(plan, spec);
  EXPECT_EQ(nominal.trajectories->value("p", "", 0, 2), 5);
}

}  // namespace
}  // namespace latwin
