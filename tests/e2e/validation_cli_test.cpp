// latwin calibrate, backtest and history, end to end on the hemisphere model and the shipped
// data with small ensembles: the files, the parameter file every command accepts, determinism
// and clear errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kData = std::string(LATWIN_SOURCE_DIR) + "/data";

class ValidationCliTest : public TempDirTest {
 protected:
  CliRun latwin(const std::string& args) { return run_cli(dir_, args, kData); }
};

TEST_F(ValidationCliTest, CalibrateWritesSetsThatRunAndBacktestAccept) {
  CliRun calibrate = latwin("calibrate --from 2008 --to 2014 --draws 120 --accept 12 --seed 4 "
                            "--quiet --out params.yaml");
  ASSERT_EQ(calibrate.exit_code, 0) << calibrate.err;
  EXPECT_THAT(calibrate.out, HasSubstr("kept the 12 nearest of 120 prior draws"));
  EXPECT_THAT(calibrate.out, HasSubstr("homicide_rate"));
  const std::string params = read(dir_ / "params.yaml");
  EXPECT_THAT(params, StartsWith("format: latwin-params/1"));
  EXPECT_THAT(params, HasSubstr("rejection approximate Bayesian computation"));

  CliRun run = latwin("run " + std::string(LATWIN_SOURCE_DIR) + "/models/hemisphere --params params.yaml --members 24 --start 2014 "
                      "--stop 2016 --quiet --out posterior");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto record = nlohmann::json::parse(read(dir_ / "posterior/run.json"));
  EXPECT_EQ(record["parameters"]["sets"], 12);

  CliRun backtest = latwin("backtest --origin 2014 --horizon 3 --params params.yaml --members 24 "
                           "--no-store --quiet --out bt");
  ASSERT_EQ(backtest.exit_code, 0) << backtest.err;
  EXPECT_THAT(backtest.out, HasSubstr("headline indicators at leads of 3+ years"));
  auto doc = nlohmann::json::parse(read(dir_ / "bt/backtest.json"));
  EXPECT_EQ(doc["format"], "latwin-backtest/1");
  EXPECT_EQ(doc["settings"]["params"]["sets"], 12);
  EXPECT_THAT(read(dir_ / "bt/forecast.csv"), StartsWith("origin,indicator,country,year,lead,"));
  const std::string scores = read(dir_ / "bt/scores.csv");
  EXPECT_THAT(scores, StartsWith("indicator,country,lead,method,"));
  for (const char* method : {",ensemble,", ",ensemble_raw,", ",persistence,", ",trend,",
                             ",historical_mean,"}) {
    EXPECT_THAT(scores, HasSubstr(method));
  }
}

// Calibrating at each origin, rolling over two origins; the same seed gives the same files.
TEST_F(ValidationCliTest, RollingBacktestIsReproducible) {
  const std::string args = "backtest --origins 2013:2014 --horizon 2 --calibration-years 5 "
                           "--draws 60 --accept 6 --members 12 --seed 9 --no-store --quiet --out ";
  CliRun first = latwin(args + "a --threads 1");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CliRun second = latwin(args + "b --threads 2");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(read(dir_ / "a/forecast.csv"), read(dir_ / "b/forecast.csv"));
  EXPECT_EQ(read(dir_ / "a/scores.csv"), read(dir_ / "b/scores.csv"));
  auto doc = nlohmann::json::parse(read(dir_ / "a/backtest.json"));
  EXPECT_EQ(doc["origins"].size(), 2u);
  EXPECT_EQ(doc["origins"][1]["from"], 2009);
  EXPECT_THAT(first.out, HasSubstr("Backtest from 2013 to 2014 (2 origins)"));
}

TEST_F(ValidationCliTest, HistoryWithAndWithoutAid) {
  CliRun run = latwin("history --from 2010 --to 2013 --without COL --indicators homicide_rate "
                      "--members 16 --out case");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("homicide_rate in COL"));
  EXPECT_THAT(read(dir_ / "case/history.csv"),
              StartsWith("indicator,variable,country,year,observed,with_aid_p5,"));
}

TEST_F(ValidationCliTest, ClearErrors) {
  auto fails = [this](const std::string& args, const std::string& message) {
    CliRun run = latwin(args);
    EXPECT_NE(run.exit_code, 0) << args;
    EXPECT_THAT(run.err, HasSubstr(message)) << args;
  };
  fails("backtest --horizon 2 --out x", "give either --origin YEAR");
  fails("backtest --origin 2014 --origins 2010:2012 --out x", "give either --origin YEAR");
  fails("backtest --origins 2012-2014 --out x", "expected FIRST:LAST");
  fails("backtest --origins 2014:2012 --out x", "the last origin comes before the first");
  fails("backtest --origin 2030 --out x", "an origin must come before");
  fails("backtest --origin 2014 --indicators homicde_rate --out x", "'homicde_rate' is not observed");
  fails("calibrate --from 2010 --to 2009 --out p.yaml", "must run forward");
  fails("calibrate --from 2008 --to 2012 --draws 10 --accept 20 --out p.yaml", "--accept 20");
  fails("backtest --origin 2014 --params missing.yaml --out x", "missing.yaml");
  fails("history --from 2010 --to 2012 --without XXX --out x", "country 'XXX'");
}

}  // namespace
}  // namespace latwin::test
