// Seed determinism: a run's trajectories depend only on (plan, seed, member number), never on
// the thread count, the batch width or how the members are split into blocks. Compared
// bitwise, for both integrators, on a model that draws parameters from several
// distributions (one truncated) and draws random numbers every step.
#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/run/output.hpp"
#include "support/run_helpers.hpp"

namespace latwin {
namespace {

namespace fs = std::filesystem;

// Every kind of randomness the engine has, over a dimension, with a reduction and a smooth.
constexpr const char* kRandomModel = R"(
simulation start = 0 stop = 6 dt = 0.25 method = rk4 save_every = 0.5
dimension region = {NORTH, SOUTH, EAST, WEST, CENTRE}
param growth[region] [1/year] ~ normal(0.05, 0.03) truncated [0, 0.1]
param loss_rate [1/year] ~ uniform(0.05, 0.2)
param arrival_mean [1] ~ lognormal(1, 0.5)
param reach [1] ~ beta(2, 5)
param adjust_time [year] ~ triangular(1, 2, 4)
const arrival_unit [person/year] = 1
stock population[region] [person] = 100
  inflow births [person/year] = growth * population + random_normal(0, 3)
  inflow arrivals [person/year] = random_poisson(arrival_mean) * arrival_unit
  outflow losses [person/year] = loss_rate * population * random_bernoulli(reach)
aux total [person] = sum(population)
aux smoothed_total [person] = smooth(total, adjust_time)
)";

constexpr std::uint64_t kMembers = 50;

std::shared_ptr<const engine::Plan> random_plan() {
  return test::compile_ok(kRandomModel);
}

// Saved values of one run as raw bits, [member][slot][time].
struct Bits {
  std::uint64_t first_member = 0;
  std::size_t slots = 0, times = 0;
  std::vector<std::uint64_t> values;

  const std::uint64_t* member(std::uint64_t m) const {
    return values.data() + (m - first_member) * slots * times;
  }
};

Bits run_bits(std::shared_ptr<const engine::Plan> plan, const engine::RunSpec& spec) {
  auto out = test::run_collect(plan, spec);
  EXPECT_EQ(out.report.diagnostic_count, 0u);
  const auto& t = *out.trajectories;
  Bits bits;
  bits.first_member = spec.first_member;
  bits.slots = t.layout().save_slots.size();
  bits.times = t.layout().save_times.size();
  for (std::uint64_t m = spec.first_member; m < spec.first_member + spec.members; ++m) {
    for (std::size_t s = 0; s < bits.slots; ++s) {
      for (std::size_t i = 0; i < bits.times; ++i) {
        bits.values.push_back(std::bit_cast<std::uint64_t>(t.at(s, i, m)));
      }
    }
  }
  return bits;
}

// True when members [first, first + count) of a and b are bitwise identical.
::testing::AssertionResult same_members(const Bits& a, const Bits& b, std::uint64_t first,
                                        std::uint64_t count) {
  if (a.slots != b.slots || a.times != b.times) {
    return ::testing::AssertionFailure() << "different layouts";
  }
  const std::size_t per_member = a.slots * a.times;
  for (std::uint64_t m = first; m < first + count; ++m) {
    const std::uint64_t* x = a.member(m);
    const std::uint64_t* y = b.member(m);
    for (std::size_t i = 0; i < per_member; ++i) {
      if (x[i] != y[i]) {
        return ::testing::AssertionFailure()
               << "member " << m << ", slot " << i / a.times << ", time index " << i % a.times
               << ": " << std::bit_cast<double>(x[i]) << " vs " << std::bit_cast<double>(y[i]);
      }
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult same_bits(const Bits& a, const Bits& b) {
  if (a.values.size() != b.values.size() || a.first_member != b.first_member) {
    return ::testing::AssertionFailure() << "different member ranges";
  }
  return same_members(a, b, a.first_member, a.values.size() / (a.slots * a.times));
}

class Determinism : public ::testing::TestWithParam<lang::Method> {
 protected:
  engine::RunSpec spec() const {
    engine::RunSpec s;
    s.seed = 20240611;
    s.members = kMembers;
    s.threads = 1;
    s.method = GetParam();
    return s;
  }
};

TEST_P(Determinism, ModelDrawsDifferAcrossMembersAndSteps) {
  // Guards the other tests: identical results must not come from a model without randomness.
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  auto out = test::run_collect(plan, spec());
  const auto& t = *out.trajectories;
  EXPECT_NE(t.value("births", "EAST", 3, 0), t.value("births", "EAST", 3, 1));
  bool arrivals_vary = false;
  for (std::size_t i = 1; i < t.layout().save_times.size(); ++i) {
    arrivals_vary |= t.value("arrivals", "EAST", i, 0) != t.value("arrivals", "EAST", 0, 0);
  }
  EXPECT_TRUE(arrivals_vary) << "random_poisson should draw anew each step";
  EXPECT_NE(t.value("smoothed_total", "", 6, 7), t.value("smoothed_total", "", 6, 8));
}

TEST_P(Determinism, SameTrajectoryAtOneAndTwoThreads) {
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  for (int width : {engine::kDefaultBatchWidth, 7}) {
    auto one = spec();
    one.batch_width = width;
    auto two = one;
    two.threads = 2;
    EXPECT_TRUE(same_bits(run_bits(plan, one), run_bits(plan, two))) << "batch width " << width;
  }
}

TEST_P(Determinism, SameTrajectoryAtAnyBatchWidth) {
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  auto reference = spec();
  reference.batch_width = engine::kDefaultBatchWidth;
  Bits expected = run_bits(plan, reference);
  // 1: every member alone; 7: does not divide 50, so the last batch is partly empty.
  for (int width : {1, 7}) {
    auto s = spec();
    s.batch_width = width;
    EXPECT_TRUE(same_bits(expected, run_bits(plan, s))) << "batch width " << width;
  }
}

TEST_P(Determinism, MembersRunInTwoBlocksMatchOneBlock) {
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  Bits whole = run_bits(plan, spec());
  auto first = spec();
  first.first_member = 0;
  first.members = 20;
  auto second = spec();
  second.first_member = 20;
  second.members = 30;
  EXPECT_TRUE(same_members(whole, run_bits(plan, first), 0, 20));
  EXPECT_TRUE(same_members(whole, run_bits(plan, second), 20, 30));
}

TEST_P(Determinism, SameSeedTwiceGivesSameTrajectory) {
  // Compiled twice too: compilation must not bring in anything that varies between runs.
  EXPECT_TRUE(same_bits(run_bits(random_plan(), spec()), run_bits(random_plan(), spec())));
}

TEST_P(Determinism, DifferentSeedGivesDifferentTrajectory) {
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  auto other = spec();
  other.seed = spec().seed + 1;
  Bits a = run_bits(plan, spec());
  Bits b = run_bits(plan, other);
  EXPECT_FALSE(same_members(a, b, 0, 1));
  // Parameter draws differ too, not only the per-step draws.
  other.save = {"growth"};
  auto base = spec();
  base.save = {"growth"};
  EXPECT_FALSE(same_members(run_bits(plan, base), run_bits(plan, other), 0, 1));
}

INSTANTIATE_TEST_SUITE_P(Integrators, Determinism,
                         ::testing::Values(lang::Method::kRk4, lang::Method::kEuler),
                         [](const ::testing::TestParamInfo<lang::Method>& info) {
                           return std::string(info.param == lang::Method::kRk4 ? "Rk4" : "Euler");
                         });

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DeterminismSummary, SummaryCsvIsByteIdenticalAtOneAndTwoThreads) {
  auto plan = random_plan();
  ASSERT_TRUE(plan);
  fs::path dir = fs::temp_directory_path() / ("latwin_determinism_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::vector<std::string> texts;
  for (auto [threads, width] : {std::pair{1, engine::kDefaultBatchWidth}, std::pair{2, 7},
                                std::pair{2, engine::kDefaultBatchWidth}}) {
    engine::RunSpec spec;
    spec.seed = 7;
    spec.members = 200;  // above the sketch's exact capacity (128): compaction is covered
    spec.threads = threads;
    spec.batch_width = width;
    fs::path path = dir / ("summary_" + std::to_string(texts.size()) + ".csv");
    engine::SummaryCsvSink sink(path);
    engine::run_ensemble(plan, spec, {&sink});
    texts.push_back(read_file(path));
  }
  fs::remove_all(dir);
  ASSERT_FALSE(texts[0].empty());
  EXPECT_EQ(texts[0], texts[1]) << "threads 2, batch width 7";
  EXPECT_EQ(texts[0], texts[2]) << "threads 2, default batch width";
}

}  // namespace
}  // namespace latwin
