// latwin runs list | show | export | delete, end to end, on a store filled through the C++
// API (store/store.hpp), plus the errors: an unknown id and a file that is not a store.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A comparison of two strategies: the index and a per-country variable over two years.
store::RunRecord comparison_run() {
  store::RunRecord run;
  run.kind = "compare";
  run.label = "Baseline — two strategies";
  run.command_line = "latwin compare --scenario baseline --strategy status-quo,engagement";
  run.latwin_version = "0.1.0";
  run.created = "2026-11-29T12:00:00Z";
  run.seed = std::numeric_limits<std::uint64_t>::max();
  run.members = 1000;
  run.scenario = "baseline";
  run.strategies = {"status-quo", "engagement"};
  run.inputs = {
      {"scenario", "baseline", "scenarios/baseline.yaml",
       "3f2a9c1b0d4e5f60718293a4b5c6d7e8f9000112233445566778899aabbccdd", "name: baseline\n"},
      {"data", "panel.csv", "data/panel.csv",
       "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12", ""}};
  run.document = "{\"format\": \"latwin-compare/1\", \"answer\": \"Engagement — by a nose\"}";
  for (const char* strategy : {"status-quo", "engagement"}) {
    for (double year : {2039.0, 2040.0}) {
      double shift = std::string(strategy) == "engagement" ? 0.01 : 0.0;
      run.summaries.push_back({strategy, "latin_win_index", "", year, 0.1 + shift + (year - 2039),
                               0.05, -0.0123 + shift, 0.02, 0.1234 + shift, 0.2, 0.3 + shift});
      run.summaries.push_back({strategy, "country_index", "COL", year, 1.0 / 3, 0.1, 0, 0.1, 0.2,
                               0.3, std::numeric_limits<double>::quiet_NaN()});
    }
  }
  return run;
}

class RunsCliTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    store::Store store(dir_ / "runs.sqlite");
    first_ = comparison_run();
    first_id_ = store.save(first_);
    store::RunRecord second = comparison_run();
    second.label = "Crisis";
    second.scenario = "crisis";
    second.seed = 7;
    second.strategies = {"status-quo",  "engagement", "pressure",
                         "containment", "aid-first",  "hemispheric-compact"};
    second.created = "2026-11-30T08:15:00Z";
    second_id_ = store.save(second);
  }

  CliRun cli(const std::string& args, const std::string& env = "") const {
    return run_cli(dir_, args, "", env);
  }

  store::RunRecord first_;
  std::int64_t first_id_ = 0;
  std::int64_t second_id_ = 0;
};

TEST_F(RunsCliTest, ListShowsRunsNewestFirst) {
  CliRun result = cli("runs list --store runs.sqlite");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, StartsWith("id  created"));
  std::size_t second_at = result.out.find("Crisis");
  std::size_t first_at = result.out.find("Baseline — two strategies");
  ASSERT_NE(second_at, std::string::npos) << result.out;
  ASSERT_NE(first_at, std::string::npos) << result.out;
  EXPECT_LT(second_at, first_at);
  EXPECT_THAT(result.out, HasSubstr("status-quo,engagement  "));
  EXPECT_THAT(result.out, HasSubstr("18446744073709551615"));
  EXPECT_THAT(result.out, HasSubstr("2026-11-29T12:00:00Z  compare  baseline"));
  // Six strategies do not fit: the list says how many more there are.
  EXPECT_THAT(result.out, HasSubstr(" status-quo,engagement,pressure +3 more "));
  EXPECT_THAT(result.out, HasSubstr("2 runs in runs.sqlite"));
}

TEST_F(RunsCliTest, ListReadsTheStoreNamedByLatwinStore) {
  CliRun result =
      cli("runs list", fmt::format("LATWIN_STORE='{}'", (dir_ / "runs.sqlite").string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("Crisis"));
}

TEST_F(RunsCliTest, ListOfAStoreThatDoesNotExistSaysSoAndCreatesNothing) {
  CliRun result = cli("runs list --store none/runs.sqlite");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "no runs in none/runs.sqlite\n");
  EXPECT_FALSE(fs::exists(dir_ / "none"));
}

TEST_F(RunsCliTest, ListOfAnEmptyStoreSaysSo) {
  { store::Store store(dir_ / "empty.sqlite"); }
  CliRun result = cli("runs list --store empty.sqlite");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "no runs in empty.sqlite\n");
}

TEST_F(RunsCliTest, ShowPrintsTheRunItsInputsAndTheIndexAtTheHorizon) {
  CliRun result = cli(fmt::format("runs show {} --store runs.sqlite", first_id_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  const std::string& out = result.out;
  EXPECT_THAT(out, StartsWith(fmt::format("run {}: compare, saved 2026-11-29T12:00:00Z by "
                                          "latwin 0.1.0\n",
                                          first_id_)));
  EXPECT_THAT(out, HasSubstr("Baseline — two strategies"));
  EXPECT_THAT(out, HasSubstr("status-quo, engagement"));
  EXPECT_THAT(out, HasSubstr("18446744073709551615"));
  EXPECT_THAT(out, HasSubstr("To reproduce it:\n  " + first_.command_line + "\n"));
  // Inputs with a short hash, and whether their text is kept.
  EXPECT_THAT(out, HasSubstr("scenarios/baseline.yaml"));
  EXPECT_THAT(out, HasSubstr("3f2a9c1b0d4e "));
  EXPECT_THAT(out, Not(HasSubstr("3f2a9c1b0d4e5")));
  EXPECT_THAT(out, HasSubstr("hash only"));
  EXPECT_THAT(out, HasSubstr("8 summary rows"));
  // The index at 2040 only: mean 1.1 (status-quo), 1.11 (engagement).
  EXPECT_THAT(out, HasSubstr("latin_win_index at the horizon (2040)"));
  EXPECT_THAT(out, HasSubstr("  strategy    mean       p5     p50   p95\n"));
  EXPECT_THAT(out, HasSubstr("status-quo   1.1  -0.0123  0.1234   0.3\n"));
  EXPECT_THAT(out, HasSubstr("engagement  1.11  -0.0023  0.1334  0.31\n"));
}

TEST_F(RunsCliTest, ShowAndListCopeWithASparseRun) {
  store::RunRecord run;
  run.kind = "explore";
  run.strategies = {std::string(60, 'x') + "-ñ"};
  std::int64_t id = store::Store(dir_ / "runs.sqlite").save(run);
  CliRun show = cli(fmt::format("runs show {} --store runs.sqlite", id));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("(the command line was not recorded)"));
  EXPECT_THAT(show.out, HasSubstr("Inputs (0)"));
  EXPECT_THAT(show.out, HasSubstr("0 summary rows"));
  EXPECT_THAT(show.out, Not(HasSubstr("at the horizon")));
  CliRun list = cli("runs list --store runs.sqlite");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr(" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...  "));
  CliRun json = cli(fmt::format("runs export {} --format json --store runs.sqlite", id));
  EXPECT_EQ(json.exit_code, 2);
  EXPECT_THAT(json.err, HasSubstr("has no JSON document"));
}

TEST_F(RunsCliTest, ExportCsvGivesEverySummaryRowWithEveryDigit) {
  CliRun result = cli(fmt::format("runs export {} --format csv --store runs.sqlite", first_id_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string expected = "strategy,variable,element,year,mean,sd,p5,p25,p50,p75,p95\n";
  for (const store::SummaryRow& row : first_.summaries) {
    std::string p95 = std::isnan(row.p95) ? "" : fmt::format("{}", row.p95);
    expected +=
        fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", row.strategy, row.variable, row.element,
                    row.year, row.mean, row.sd, row.p5, row.p25, row.p50, row.p75, p95);
  }
  EXPECT_EQ(result.out, expected);
  EXPECT_THAT(result.out, HasSubstr("status-quo,country_index,COL,2039,0.3333333333333333,"));
}

TEST_F(RunsCliTest, ExportCsvQuotesFieldsThatNeedIt) {
  store::RunRecord run = comparison_run();
  run.summaries = {{"a, \"b\"", "x", "", 2030, 1, 0, 1, 1, 1, 1, 1}};
  std::int64_t id = store::Store(dir_ / "runs.sqlite").save(run);
  CliRun result = cli(fmt::format("runs export {} --format csv --store runs.sqlite", id));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "strategy,variable,element,year,mean,sd,p5,p25,p50,p75,p95\n"
            "\"a, \"\"b\"\"\",x,,2030,1,0,1,1,1,1,1\n");
}

TEST_F(RunsCliTest, ExportJsonGivesTheDocumentByteForByte) {
  CliRun result = cli(fmt::format("runs export {} --format json --store runs.sqlite", first_id_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, first_.document);
}

TEST_F(RunsCliTest, ExportToAFileWritesItWhole) {
  CliRun result = cli(
      fmt::format("runs export {} --format json --out out.json --store runs.sqlite", first_id_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "Wrote out.json\n");
  EXPECT_EQ(read(dir_ / "out.json"), first_.document);
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp.")));
  }
}

TEST_F(RunsCliTest, ExportNeedsAKnownFormat) {
  CliRun result = cli(fmt::format("runs export {} --format xml --store runs.sqlite", first_id_));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--format"));
}

TEST_F(RunsCliTest, DeleteRemovesTheRun) {
  CliRun result = cli(fmt::format("runs delete {} --store runs.sqlite", first_id_));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, fmt::format("deleted run {}\n", first_id_));
  CliRun list = cli("runs list --store runs.sqlite");
  EXPECT_THAT(list.out, Not(HasSubstr("Baseline")));
  EXPECT_THAT(list.out, HasSubstr("Crisis"));
  CliRun show = cli(fmt::format("runs show {} --store runs.sqlite", first_id_));
  EXPECT_EQ(show.exit_code, 2);
  EXPECT_EQ(show.err, fmt::format("no run {} in runs.sqlite\n", first_id_));
}

TEST_F(RunsCliTest, UnknownIdIsAnErrorNamingTheStore) {
  for (const char* command : {"show 99", "export 99 --format csv", "delete 99"}) {
    CliRun result = cli(fmt::format("runs {} --store runs.sqlite", command));
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_EQ(result.err, "no run 99 in runs.sqlite\n") << command;
    EXPECT_EQ(result.out, "") << command;
  }
  EXPECT_EQ(store::Store(dir_ / "runs.sqlite").list().size(), 2u);
}

TEST_F(RunsCliTest, FileThatIsNotAStoreIsRefused) {
  std::ofstream(dir_ / "notes.txt") << "not a database\n";
  for (const char* command : {"list", "show 1", "export 1 --format json", "delete 1"}) {
    CliRun result = cli(fmt::format("runs {} --store notes.txt", command));
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_EQ(result.err, "notes.txt is not a latwin results store\n") << command;
  }
  EXPECT_EQ(read(dir_ / "notes.txt"), "not a database\n");
}

}  // namespace
}  // namespace latwin::test
