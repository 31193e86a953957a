// latwin backtest with --report and the results store, end to end with tiny settings: the
// page next to backtest.json, the stored run, and `latwin report ID` / `runs list` on it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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

class BacktestReportCliTest : public TempDirTest {
 protected:
  CliRun latwin(const std::string& args) { return run_cli(dir_, args, kData); }
};

TEST_F(BacktestReportCliTest, WritesTheReportAndStoresTheRun) {
  CliRun run = latwin(
      "backtest --origin 2014 --horizon 2 --draws 40 --accept 4 --members 8 "
      "--quiet --store runs.sqlite --report --label 'tiny backtest' --out bt");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Stored as run 1 in runs.sqlite"));
  EXPECT_THAT(run.out, HasSubstr("Report: bt/report.html"));
  const std::string page = read(dir_ / "bt/report.html");
  EXPECT_THAT(page,
              HasSubstr("<h1>Forecasts from 2014, 2 years ahead, against what happened</h1>"));
  EXPECT_THAT(page, HasSubstr("The model beats persistence on"));
  EXPECT_THAT(page, HasSubstr("<script type=\"application/json\" id=\"latwin-backtest\">"));

  // The stored run: its kind, label, document and inputs.
  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->kind, "backtest");
  EXPECT_EQ(stored->label, "tiny backtest");
  EXPECT_EQ(stored->scenario, "baseline");
  EXPECT_EQ(stored->members, 8u);
  EXPECT_EQ(nlohmann::json::parse(stored->document),
            nlohmann::json::parse(read(dir_ / "bt/backtest.json")));
  bool has_observations = false, has_model = false;
  for (const auto& input : stored->inputs) {
    has_observations |= input.role == "observations" && !input.content.empty();
    has_model |= input.role == "model";
  }
  EXPECT_TRUE(has_observations);
  EXPECT_TRUE(has_model);

  // The same page again from the store.
  CliRun report = latwin("report 1 --store runs.sqlite --out r.html");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "r.html"));
  EXPECT_THAT(read(dir_ / "r.html"), HasSubstr("The model beats persistence on"));

  CliRun list = latwin("runs list --store runs.sqlite");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("backtest"));
  EXPECT_THAT(list.out, HasSubstr("tiny backtest"));
  CliRun show = latwin("runs show 1 --store runs.sqlite");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("run 1: backtest"));
}

TEST_F(BacktestReportCliTest, NoStoreKeepsNothing) {
  CliRun run = latwin(
      "backtest --origin 2014 --horizon 2 --draws 40 --accept 4 --members 8 "
      "--quiet --no-store --out bt");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("Stored as run")));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bt/report.html"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "bt/backtest.json"));
}

// The store is opened before the forecasts are made: a store that cannot be opened fails the
// command before it runs or writes anything.
TEST_F(BacktestReportCliTest, AStoreThatCannotBeOpenedFailsBeforeTheRun) {
  std::ofstream(dir_ / "not-a-folder") << "a file, not a folder\n";
  CliRun run = latwin(
      "backtest --origin 2014 --horizon 2 --draws 40 --accept 4 --members 8 "
      "--quiet --store not-a-folder/runs.sqlite --out bt");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_THAT(run.err, HasSubstr("not-a-folder"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "bt/backtest.json"));
}

}  // namespace
}  // namespace latwin::test
