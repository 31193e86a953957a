// latwin explore, end to end with small designs on the hemisphere model: the files, the
// stored run, determinism, and clear errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(LATWIN_SOURCE_DIR) + "/data";

class ExploreCliTest : public TempDirTest {
 protected:
  CliRun explore(const std::string& args) { return run_cli(dir_, "explore " + args, kData); }
};

TEST_F(ExploreCliTest, MorrisAndPrimAgainstAReference) {
  CliRun run = explore("--strategy security-first --strategy status-quo --design morris --samples 2 "
                       "--quiet --out out --store runs.sqlite");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("What it depends on most (Morris mu*)"));
  EXPECT_THAT(run.out, HasSubstr("When security-first does worse than status-quo"));
  auto doc = nlohmann::json::parse(read(dir_ / "out/explore.json"));
  EXPECT_EQ(doc["format"], "latwin-explore/1");
  const std::size_t factors = doc["factors"].size();
  EXPECT_GT(factors, 100u);
  EXPECT_EQ(doc["runs_per_strategy"], 2 * (factors + 1));
  EXPECT_EQ(doc["morris"].size(), factors);
  EXPECT_GE(doc["prim"]["trajectory"].size(), 1u);
  EXPECT_THAT(read(dir_ / "out/sensitivity.csv"), ::testing::StartsWith("factor,mu,mu_star,sigma\n"));
  EXPECT_THAT(read(dir_ / "out/prim.csv"), ::testing::StartsWith("step,coverage,density,mass"));
  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, "explore");
}

// The scenario's deep uncertainties are factors beside the parameters: listed, sampled in
// their own ranges, and they move the outcome (border enforcement moves migration, a
// component of the index).
TEST_F(ExploreCliTest, TheScenariosDeepUncertaintiesAreSampled) {
  std::ofstream(dir_ / "deep.yaml") <<
      ("name: deep\ndescription: one deep uncertainty\nbudget_envelope: 1.75e9\n"
        "uncertain:\n  us_border_deterrence: {range: [0, 0.9], why: FY2024 to FY2025}\n");
  CliRun run = explore("--scenario deep.yaml --strategy status-quo --design morris --samples 2 "
                       "--quiet --no-store --out out");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("and 1 deep uncertainties of the scenario"));
  auto doc = nlohmann::json::parse(read(dir_ / "out/explore.json"));
  ASSERT_EQ(doc["deep_uncertainties"].size(), 1u);
  EXPECT_EQ(doc["deep_uncertainties"][0]["input"], "us_border_deterrence");
  EXPECT_EQ(doc["deep_uncertainties"][0]["high"], 0.9);
  EXPECT_EQ(doc["factors"].back(), "us_border_deterrence (scenario)");
  const auto& effect = doc["morris"].back();
  EXPECT_EQ(effect["factor"], "us_border_deterrence (scenario)");
  EXPECT_GT(effect["mu_star"].get<double>(), 0.0);
}

TEST_F(ExploreCliTest, LatinHypercubeIsDeterministicAcrossThreads) {
  ASSERT_EQ(explore("--strategy disengagement --samples 40 --threads 1 --quiet --no-store --out one").exit_code, 0);
  ASSERT_EQ(explore("--strategy disengagement --samples 40 --threads 2 --quiet --no-store --out two").exit_code, 0);
  auto one = nlohmann::json::parse(read(dir_ / "one/explore.json"));
  auto two = nlohmann::json::parse(read(dir_ / "two/explore.json"));
  EXPECT_EQ(one["prim"].dump(), two["prim"].dump());
  EXPECT_EQ(read(dir_ / "one/prim.csv"), read(dir_ / "two/prim.csv"));
}

TEST_F(ExploreCliTest, BadOptionsGetClearErrors) {
  EXPECT_THAT(explore("--strategy a --strategy b --strategy c --no-store").err,
              HasSubstr("give the strategy to explore, and optionally a second one"));
  EXPECT_THAT(explore("--strategy status-quo --design grid --no-store").err,
              HasSubstr("--design grid: expected lhs, sobol or morris"));
  EXPECT_THAT(explore("--strategy status-quo --samples 1 --no-store").err,
              HasSubstr("--samples must be at least 2"));
}

}  // namespace
}  // namespace latwin::test
