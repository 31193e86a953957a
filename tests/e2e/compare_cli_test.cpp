// latwin compare and latwin report, end to end on the hemisphere model and the project's
// data: the files and the stored run, common random numbers, determinism across thread
// counts, clear errors, and a compare killed with SIGKILL while it writes to the store.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "store/store.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Json = nlohmann::json;

const std::string kRoot = LATWIN_SOURCE_DIR;
const std::string kData = kRoot + "/data";
// Small and quick: two strategies, 16 members.
const std::string kSmall = "--strategy status-quo --strategy disengagement --members 16 --quiet";

class CompareCliTest : public TempDirTest {
 protected:
  CliRun compare(const std::string& args, const std::string& env = "") {
    return run_cli(dir_, "compare " + args, kData, env);
  }
  Json document(const std::string& out) {
    return Json::parse(read(dir_ / out / "compare.json"));
  }
};

TEST_F(CompareCliTest, WritesTheFilesStoresTheRunAndPrintsTheSummary) {
  CliRun run = compare(kSmall + " --out out --store runs.sqlite --report");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("Latin Win Index in 2040, baseline scenario: 16 members, seed 1"));
  EXPECT_THAT(run.out, HasSubstr("status-quo"));
  EXPECT_THAT(run.out, HasSubstr("Under the baseline scenario,"));
  EXPECT_THAT(run.out, HasSubstr("Stored as run 1 in runs.sqlite"));
  EXPECT_THAT(run.out, HasSubstr("Report: out/report.html"));

  Json doc = document("out");
  EXPECT_EQ(doc["format"], "latwin-compare/1");
  EXPECT_EQ(doc["members"], 16);
  EXPECT_EQ(doc["reference"], "status-quo");
  ASSERT_EQ(doc["results"].size(), 2u);
  EXPECT_EQ(doc["results"][0]["index_at_horizon"].size(), 16u);
  EXPECT_EQ(doc["components"].size(), 7u);
  EXPECT_EQ(doc["countries"].size(), 33u);
  EXPECT_EQ(doc["results"][1]["countries"].size(), 33u);
  EXPECT_EQ(doc["years"].size(), 17u);
  EXPECT_EQ(doc["strategies"][0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_THAT(doc["command"].get<std::string>(), HasSubstr("latwin compare --model"));

  std::string csv = read(dir_ / "out/compare.csv");
  EXPECT_THAT(csv, ::testing::StartsWith("strategy,index_mean,index_p5,"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_THAT(read(dir_ / "out/summaries.csv"),
              HasSubstr("status-quo,latin_win_index,,2040,"));
  EXPECT_THAT(read(dir_ / "out/report.html"), HasSubstr("latwin-compare/1"));

  // The stored run keeps the document and the inputs.
  store::Store store(dir_ / "runs.sqlite");
  auto stored = store.load(1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->document + "\n", read(dir_ / "out/compare.json"));
  EXPECT_EQ(stored->strategies, (std::vector<std::string>{"status-quo", "disengagement"}));
  int strategies = 0, scenarios = 0, models = 0;
  for (const auto& input : stored->inputs) {
    strategies += input.role == "strategy";
    scenarios += input.role == "scenario";
    models += input.role == "model";
  }
  EXPECT_EQ(strategies, 2);
  EXPECT_EQ(scenarios, 1);
  EXPECT_GE(models, 10);

  // latwin report gives the same page from the store.
  CliRun report = run_cli(dir_, "report 1 --store runs.sqlite --out again.html", kData);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(read(dir_ / "again.html"), read(dir_ / "out/report.html"));
  CliRun missing = run_cli(dir_, "report 9 --store runs.sqlite --out x.html", kData);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no run 9 in runs.sqlite"));
}

// Two strategies with the same rules under different names face the same draws and shocks,
// member by member, so they tie in every member: the proof that the comparison uses common
// random numbers.
TEST_F(CompareCliTest, IdenticalStrategiesTieInEveryMember) {
  std::string text = read(kRoot + "/strategies/status-quo.yaml");
  text.replace(text.find("name: status-quo"), 16, "name: status-quo-copy");
  std::ofstream(dir_ / "copy.yaml") << text;
  CliRun run = compare("--strategy status-quo --strategy copy.yaml --members 16 --quiet --out out --no-store");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  Json doc = document("out");
  EXPECT_EQ(doc["results"][0]["index_at_horizon"], doc["results"][1]["index_at_horizon"]);
  EXPECT_EQ(doc["results"][1]["prob_beats_reference"], 0.5);
  EXPECT_EQ(doc["results"][0]["expected_regret"], 0.0);
  EXPECT_EQ(doc["results"][1]["expected_regret"], 0.0);
  EXPECT_EQ(doc["results"][0]["countries"], doc["results"][1]["countries"]);
}

TEST_F(CompareCliTest, SameSeedSameResultsAtAnyThreadCount) {
  ASSERT_EQ(compare(kSmall + " --threads 1 --out one --no-store").exit_code, 0);
  ASSERT_EQ(compare(kSmall + " --threads 2 --out two --no-store").exit_code, 0);
  ASSERT_EQ(compare(kSmall + " --threads 2 --seed 2 --out other --no-store").exit_code, 0);
  Json one = document("one"), two = document("two"), other = document("other");
  EXPECT_EQ(one["results"].dump(), two["results"].dump());
  EXPECT_EQ(one["pairwise"].dump(), two["pairwise"].dump());
  EXPECT_EQ(one["answer"], two["answer"]);
  EXPECT_EQ(read(dir_ / "one/summaries.csv"), read(dir_ / "two/summaries.csv"));
  EXPECT_NE(one["results"].dump(), other["results"].dump());
}

TEST_F(CompareCliTest, BadInputGetsAClearError) {
  CliRun unknown = compare("--strategy nope --members 4 --no-store");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no file for 'nope'"));
  EXPECT_THAT(unknown.err, HasSubstr("available: comprehensive, democracy-and-pressure"));

  std::ofstream(dir_ / "bad.yaml") << "name: bad\ndescription: x\nrules:\n"
                                      "  - {instrument: sanctions, countries: VEN, usd: 5}\n";
  CliRun bad = compare("--strategy bad.yaml --members 4 --no-store");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.yaml:4: sanctions is a pressure instrument"));

  CliRun reference = compare(kSmall + " --reference security-first --no-store");
  EXPECT_EQ(reference.exit_code, 2);
  EXPECT_THAT(reference.err, HasSubstr("--reference security-first: not one of the strategies"));

  CliRun scenario = compare("--scenario mars --members 4 --no-store");
  EXPECT_EQ(scenario.exit_code, 2);
  EXPECT_THAT(scenario.err, HasSubstr("available: baseline, china-surge"));

  CliRun members = compare("--members 0 --no-store");
  EXPECT_EQ(members.exit_code, 2);
  EXPECT_THAT(members.err, HasSubstr("--members must be at least 1"));
}

// Kills a compare while it is inside the store's transaction (held open by the store's
// test-only pause), then checks that the store opens, is intact, keeps the earlier run and
// lists no partial one.
TEST_F(CompareCliTest, SigkillDuringTheStoreWriteLeavesTheStoreConsistent) {
  ASSERT_EQ(compare(kSmall + " --out first --store runs.sqlite").exit_code, 0);

  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::chdir(dir_.c_str());
    ::setenv("LATWIN_TEST_STORE_PAUSE_MS", "60000", 1);
    ::setenv("LATWIN_PROJECT_DATA_DIR", kData.c_str(), 1);
    std::freopen("/dev/null", "w", stdout);
    ::execl(LATWIN_CLI_PATH, LATWIN_CLI_PATH, "compare", "--strategy", "status-quo", "--strategy",
            "disengagement", "--members", "16", "--quiet", "--out", "second", "--store",
            "runs.sqlite", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // compare.json is written just before the store: once it is there, the process is saving.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(dir_ / "second/compare.json") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(fs::exists(dir_ / "second/compare.json"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "compare finished before it was killed";

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "runs.sqlite").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
  sqlite3_close(db);

  CliRun list = run_cli(dir_, "runs list --store runs.sqlite", kData);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  store::Store store(dir_ / "runs.sqlite");
  auto runs = store.list();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].id, 1);
  auto first = store.load(1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->document + "\n", read(dir_ / "first/compare.json"));

  // And the store takes the next run normally.
  CliRun next = compare(kSmall + " --out third --store runs.sqlite");
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(store.list().size(), 2u);
}

}  // namespace
}  // namespace latwin::test
