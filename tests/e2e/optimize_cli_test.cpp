// latwin optimize, end to end on the hemisphere model with a tiny search: it writes a
// strategy file that latwin compare reads back, within the budget and the constraints; the
// same seed gives the same file at any thread count; mistakes get clear errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;

const std::string kData = std::string(LATWIN_SOURCE_DIR) + "/data";
// Two instruments over two groups: 4 decision variables (a population of 8), 8 members,
// 24 evaluations (three generations).
const std::string kTiny =
    "--budget 1.0e9 --instruments security_cooperation,democracy_assistance "
    "--countries Andean,MEX --members 8 --evaluations 24 --quiet";

class OptimizeCliTest : public TempDirTest {
 protected:
  CliRun optimize(const std::string& args) { return run_cli(dir_, "optimize " + args, kData); }
};

TEST_F(OptimizeCliTest, WritesAStrategyThatCompareRunsWithinBudgetAndConstraints) {
  CliRun run = optimize(kTiny + " --out best.yaml --store runs.sqlite");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Optimising 4 decision variables"));
  EXPECT_THAT(run.out, HasSubstr("Best mean index:"));
  EXPECT_THAT(run.out, HasSubstr("Stored as run 1 in runs.sqlite"));
  std::string yaml = read(dir_ / "best.yaml");
  EXPECT_THAT(yaml, HasSubstr("name: best"));
  EXPECT_THAT(yaml, HasSubstr("instrument: security_cooperation, countries: COL"));
  // The default constraints forbid security cooperation for Venezuela.
  EXPECT_THAT(yaml, ::testing::Not(HasSubstr("instrument: security_cooperation, countries: VEN")));
  // The status quo's pressure is kept.
  EXPECT_THAT(yaml, HasSubstr("instrument: sanctions, countries: CUB, intensity: 1"));

  CliRun compare = run_cli(dir_, "compare --strategy best.yaml --strategy status-quo --members 8 "
                                 "--seed 2 --quiet --no-store --out cmp", kData);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  auto doc = nlohmann::json::parse(read(dir_ / "cmp/compare.json"));
  EXPECT_NEAR(doc["strategies"][0]["total_usd_per_year"].get<double>(), 1.0e9, 1.0);

  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, "optimize");
  auto document = nlohmann::json::parse(stored->document);
  EXPECT_EQ(document["format"], "latwin-optimize/1");
  EXPECT_GE(document["history"].size(), 2u);
  EXPECT_EQ(document["units"].size(), 4u);
}

TEST_F(OptimizeCliTest, SameSeedSameStrategyAtAnyThreadCount) {
  ASSERT_EQ(optimize(kTiny + " --threads 1 --out one.yaml --no-store").exit_code, 0);
  ASSERT_EQ(optimize(kTiny + " --threads 2 --out two.yaml --name one --no-store").exit_code, 0);
  EXPECT_EQ(read(dir_ / "one.yaml"), read(dir_ / "two.yaml"));
}

TEST_F(OptimizeCliTest, BadOptionsGetClearErrors) {
  CliRun objective = optimize("--budget 1e9 --objective best --out x.yaml --no-store");
  EXPECT_EQ(objective.exit_code, 2);
  EXPECT_THAT(objective.err, HasSubstr("expected expected, cvar:ALPHA or regret"));
  CliRun alpha = optimize("--budget 1e9 --objective cvar:2 --out x.yaml --no-store");
  EXPECT_THAT(alpha.err, HasSubstr("ALPHA must be a share in (0, 1]"));
  CliRun envelope = optimize("--budget 5e9 --out x.yaml --no-store");
  EXPECT_EQ(envelope.exit_code, 2);
  EXPECT_THAT(envelope.err, HasSubstr("above the scenario's budget envelope of $1.75 bn"));
  CliRun instrument = optimize("--budget 1e9 --instruments sanctions --out x.yaml --no-store");
  EXPECT_THAT(instrument.err, HasSubstr("sanctions is a pressure instrument"));
  CliRun group = optimize("--budget 1e9 --countries Atlantis --out x.yaml --no-store");
  EXPECT_THAT(group.err, HasSubstr("'Atlantis' is neither a country"));
  std::ofstream(dir_ / "bad.yaml") << "caps:\n  per_persn: 3\n";
  CliRun constraints = optimize("--budget 1e9 --constraints bad.yaml --out x.yaml --no-store");
  EXPECT_THAT(constraints.err, HasSubstr("bad.yaml:2: caps: unknown key 'per_persn' (did you mean 'per_person'?)"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "x.yaml"));
}

}  // namespace
}  // namespace latwin::test
