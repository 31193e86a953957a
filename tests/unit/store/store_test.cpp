// The results store: what goes in comes out (store then load), list order, deletes that
// leave no orphan rows, and a failed save that leaves no trace.
#include "store/store.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace latwin::store {
namespace {

namespace fs = std::filesystem;
using test::make_run;
using test::query_count;
using test::query_text;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

class StoreTest : public latwin::test::TempDirTest {
 protected:
  fs::path store_path() const { return dir_ / "runs.sqlite"; }
};

// Bitwise for numbers, so -0, subnormals and the last digit all count; NaN equals NaN.
void expect_same_number(double expected, double actual, const std::string& what) {
  if (std::isnan(expected)) {
    EXPECT_TRUE(std::isnan(actual)) << what;
  } else {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(expected), std::bit_cast<std::uint64_t>(actual))
        << what << ": " << expected << " came back as " << actual;
  }
}

void expect_same_run(const RunRecord& expected, const RunRecord& actual) {
  EXPECT_EQ(actual.kind, expected.kind);
  EXPECT_EQ(actual.label, expected.label);
  EXPECT_EQ(actual.command_line, expected.command_line);
  EXPECT_EQ(actual.latwin_version, expected.latwin_version);
  EXPECT_EQ(actual.created, expected.created);
  EXPECT_EQ(actual.seed, expected.seed);
  EXPECT_EQ(actual.members, expected.members);
  EXPECT_EQ(actual.scenario, expected.scenario);
  EXPECT_EQ(actual.strategies, expected.strategies);
  EXPECT_TRUE(actual.document == expected.document) << "document differs";
  ASSERT_EQ(actual.inputs.size(), expected.inputs.size());
  for (std::size_t idx = 0; idx < expected.inputs.size(); ++idx) {
    EXPECT_EQ(actual.inputs[idx].role, expected.inputs[idx].role) << idx;
    EXPECT_EQ(actual.inputs[idx].name, expected.inputs[idx].name) << idx;
    EXPECT_EQ(actual.inputs[idx].path, expected.inputs[idx].path) << idx;
    EXPECT_EQ(actual.inputs[idx].sha256, expected.inputs[idx].sha256) << idx;
    // Compared without printing: some are megabytes.
    EXPECT_TRUE(actual.inputs[idx].content == expected.inputs[idx].content)
        << "content of input " << idx << " differs";
  }
  ASSERT_EQ(actual.summaries.size(), expected.summaries.size());
  for (std::size_t idx = 0; idx < expected.summaries.size(); ++idx) {
    const SummaryRow& want = expected.summaries[idx];
    const SummaryRow& got = actual.summaries[idx];
    EXPECT_EQ(got.strategy, want.strategy) << idx;
    EXPECT_EQ(got.variable, want.variable) << idx;
    EXPECT_EQ(got.element, want.element) << idx;
    std::string row = fmt::format("summary row {}", idx);
    expect_same_number(want.year, got.year, row + " year");
    expect_same_number(want.mean, got.mean, row + " mean");
    expect_same_number(want.sd, got.sd, row + " sd");
    expect_same_number(want.p5, got.p5, row + " p5");
    expect_same_number(want.p25, got.p25, row + " p25");
    expect_same_number(want.p50, got.p50, row + " p50");
    expect_same_number(want.p75, got.p75, row + " p75");
    expect_same_number(want.p95, got.p95, row + " p95");
  }
}

TEST_F(StoreTest, SaveThenLoadGivesBackEveryField) {
  RunRecord run = make_run("Línea base — tres estrategias, 三 🌎", 1000);
  run.kind = "compare";
  run.command_line =
      "latwin compare --scenario 'baseline' --label \"a, b\"\n--seed 18446744073709551615";
  run.latwin_version = "0.1.0-dev+ü";
  run.created = "2026-11-29T12:00:00Z";
  run.seed = std::numeric_limits<std::uint64_t>::max();
  run.members = (std::uint64_t{1} << 63) + 5;
  run.scenario = "crisis-económica";
  run.strategies = {"status-quo", "compromiso", "presión", "ñ,\"quoted\""};
  std::string large;
  for (int idx = 0; large.size() < 3'000'000; ++idx) {
    large += fmt::format("line {}: señal ☕ {}\n", idx, idx * 7);
  }
  large.push_back('\0');  // bytes after a NUL survive too
  large += "after the NUL";
  run.inputs.push_back(
      {"model", "hemisphere.lw", "models/hemisphere/", std::string(64, 'a'), large});
  run.inputs.push_back({"strategy", "presión", "strategies/presión.yaml", "", ""});
  run.document = R"({"answer": "Ganó status-quo — 🎯", "pairs": [1, 2.5e-300, null]})";
  // Numbers that test the last bit, the extremes and what cannot be computed.
  SummaryRow& edge = run.summaries[3];
  edge.mean = 0.1 + 0.2;
  edge.sd = std::numeric_limits<double>::denorm_min();
  edge.p5 = -std::numeric_limits<double>::max();
  edge.p25 = std::numeric_limits<double>::quiet_NaN();
  edge.p50 = std::numeric_limits<double>::infinity();
  edge.p75 = -std::numeric_limits<double>::infinity();
  edge.p95 = 9007199254740993.0;  // rounds to 2^53: stored as an integer by SQLite
  run.summaries[5].element = "";  // a scalar
  run.summaries[7].year = 2030.25;

  std::int64_t id = 0;
  {
    Store store(store_path());
    id = store.save(run);
  }
  Store store(store_path());
  std::optional<RunRecord> loaded = store.load(id);
  ASSERT_TRUE(loaded.has_value());
  expect_same_run(run, *loaded);
}

TEST_F(StoreTest, UnsignedSeedAboveInt64MaxIsStoredAsDecimalText) {
  Store store(store_path());
  RunRecord run = make_run("big seed");
  run.seed = std::numeric_limits<std::uint64_t>::max();
  std::int64_t id = store.save(run);
  // An analyst sees the real number in the sqlite3 shell and can compare it as written.
  EXPECT_EQ(query_text(store_path(), fmt::format("SELECT seed FROM runs WHERE id = {}", id)),
            "18446744073709551615");
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM runs WHERE members = 1000"), 1);
  EXPECT_EQ(store.list().at(0).seed, std::numeric_limits<std::uint64_t>::max());
}

TEST_F(StoreTest, EmptyCreatedBecomesUtcNow) {
  Store store(store_path());
  std::int64_t id = store.save(make_run("now"));
  std::string created = store.load(id)->created;
  EXPECT_THAT(created, MatchesRegex("20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:"
                                    "[0-6][0-9]Z"));
}

TEST_F(StoreTest, ListIsNewestFirstWithStrategiesInOrder) {
  Store store(store_path());
  RunRecord first = make_run("first");
  first.strategies = {"z", "a", "m"};
  RunRecord second = make_run("second");
  second.strategies = {};
  second.seed = 11;
  std::int64_t first_id = store.save(first);
  std::int64_t second_id = store.save(second);
  std::int64_t third_id = store.save(make_run("third"));
  std::vector<RunInfo> runs = store.list();
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, third_id);
  EXPECT_EQ(runs[1].id, second_id);
  EXPECT_EQ(runs[2].id, first_id);
  EXPECT_EQ(runs[0].label, "third");
  EXPECT_THAT(runs[2].strategies, ElementsAre("z", "a", "m"));
  EXPECT_TRUE(runs[1].strategies.empty());
  EXPECT_EQ(runs[1].seed, 11u);
  EXPECT_EQ(runs[1].members, 1000u);
  EXPECT_EQ(runs[1].kind, "compare");
  EXPECT_EQ(runs[1].scenario, "baseline");
  EXPECT_EQ(runs[1].latwin_version, "0.1.0");
  EXPECT_FALSE(runs[1].created.empty());
}

TEST_F(StoreTest, EmptyStoreListsNothingAndLoadsNothing) {
  Store store(store_path());
  EXPECT_TRUE(store.list().empty());
  EXPECT_FALSE(store.load(1).has_value());
  EXPECT_FALSE(store.remove(1));
}

TEST_F(StoreTest, RemoveDeletesTheRunAndEveryRowOfIt) {
  Store store(store_path());
  std::int64_t gone = store.save(make_run("gone", 500));
  std::int64_t kept = store.save(make_run("kept", 300));
  EXPECT_TRUE(store.remove(gone));
  EXPECT_FALSE(store.load(gone).has_value());
  EXPECT_FALSE(store.remove(gone));

  // Query the tables directly: nothing of the deleted run is left anywhere.
  for (const char* table : {"run_strategies", "run_inputs", "run_summaries"}) {
    EXPECT_EQ(query_count(store_path(),
                          fmt::format("SELECT count(*) FROM {} WHERE run_id = {}", table, gone)),
              0)
        << table;
    EXPECT_EQ(query_count(store_path(), fmt::format("SELECT count(*) FROM {} WHERE run_id NOT IN "
                                                    "(SELECT id FROM runs)",
                                                    table)),
              0)
        << table;
  }
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM runs"), 1);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_summaries"), 300);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_inputs"), 2);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_strategies"), 2);
  expect_same_run(make_run("kept", 300), [&] {
    RunRecord loaded = *store.load(kept);
    loaded.created.clear();  // set by save()
    return loaded;
  }());
}

TEST_F(StoreTest, IdsOfDeletedRunsAreNeverReused) {
  Store store(store_path());
  store.save(make_run("one"));
  std::int64_t two = store.save(make_run("two"));
  ASSERT_TRUE(store.remove(two));
  EXPECT_GT(store.save(make_run("three")), two);
}

TEST_F(StoreTest, RunsSurviveClosingAndReopening) {
  std::int64_t id = 0;
  {
    Store store(store_path());
    id = store.save(make_run("persisted", 250));
  }
  {
    Store store(store_path());
    ASSERT_EQ(store.list().size(), 1u);
    EXPECT_EQ(store.load(id)->summaries.size(), 250u);
    store.save(make_run("second"));
  }
  Store store(store_path());
  EXPECT_EQ(store.list().size(), 2u);
}

TEST_F(StoreTest, CreatesItsFolderOnFirstUse) {
  fs::path path = dir_ / "a" / "b" / "runs.sqlite";
  Store store(path);
  EXPECT_EQ(store.path(), path);
  store.save(make_run("deep"));
  EXPECT_TRUE(fs::is_regular_file(path));
}

TEST_F(StoreTest, UsesWriteAheadLogging) {
  { Store store(store_path()); }
  EXPECT_EQ(query_text(store_path(), "PRAGMA journal_mode"), "wal");
}

TEST_F(StoreTest, InMemoryStoreWorks) {
  Store store(":memory:");
  std::int64_t id = store.save(make_run("memory", 10));
  EXPECT_EQ(store.load(id)->summaries.size(), 10u);
  EXPECT_FALSE(fs::exists(":memory:"));
}

TEST_F(StoreTest, FailedSaveRollsBackAndNamesTheStore) {
  Store store(store_path());
  store.save(make_run("before", 10));
  // A trigger makes SQLite refuse one summary row in the middle of the run.
  test::exec_sql(store_path(),
                 "CREATE TRIGGER refuse BEFORE INSERT ON run_summaries WHEN NEW.variable = 'boom' "
                 "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");
  RunRecord run = make_run("broken", 100);
  run.summaries[60].variable = "boom";
  try {
    store.save(run);
    FAIL() << "save() did not throw";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), HasSubstr(store_path().string()));
    EXPECT_THAT(error.what(), HasSubstr("refused by the test"));
  }
  EXPECT_EQ(store.list().size(), 1u);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_summaries"), 10);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_inputs"), 2);
  // The connection is usable afterwards: no transaction was left open.
  test::exec_sql(store_path(), "DROP TRIGGER refuse");
  run.summaries[60].variable = "fine";
  store.save(run);
  EXPECT_EQ(store.list().size(), 2u);
}

// One run of a comparison's size. The figure it prints is the one quoted in docs/store.md.
TEST_F(StoreTest, SavesHundredThousandSummaryRowsQuickly) {
  Store store(store_path());
  RunRecord run = make_run("big", 100'000);
  auto start = std::chrono::steady_clock::now();
  std::int64_t id = store.save(run);
  double save_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  std::optional<RunRecord> loaded = store.load(id);
  double load_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("saved 100000 summary rows in %.3f s, loaded them in %.3f s\n", save_seconds,
              load_seconds);
  RecordProperty("save_seconds", fmt::format("{:.3f}", save_seconds));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->summaries.size(), 100'000u);
  // Generous: well under a second in a release build; the bound leaves room for the
  // sanitizer build on a busy machine.
  EXPECT_LT(save_seconds, 10.0);
}

// Sets an environment variable for one test and puts back what was there.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DefaultStorePath, LatwinStoreThenXdgDataHomeThenHome) {
  ScopedEnv home("HOME", "/home/analyst");
  {
    ScopedEnv store("LATWIN_STORE", "/tmp/mine.sqlite");
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(default_store_path(), fs::path("/tmp/mine.sqlite"));
  }
  {
    ScopedEnv store("LATWIN_STORE", "");
    ScopedEnv xdg("XDG_DATA_HOME", "/xdg");
    EXPECT_EQ(default_store_path(), fs::path("/xdg/latwin/runs.sqlite"));
  }
  {
    ScopedEnv store("LATWIN_STORE", nullptr);
    ScopedEnv xdg("XDG_DATA_HOME", "relative/ignored");
    EXPECT_EQ(default_store_path(), fs::path("/home/analyst/.local/share/latwin/runs.sqlite"));
  }
  {
    ScopedEnv store("LATWIN_STORE", nullptr);
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    EXPECT_EQ(default_store_path(), fs::path("/home/analyst/.local/share/latwin/runs.sqlite"));
  }
}

}  // namespace
}  // namespace latwin::store
