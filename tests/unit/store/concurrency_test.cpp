// Several writers and a killed writer: writers at once all succeed (each waits for the
// others), and a process killed inside save() leaves no trace of its run and every earlier
// run intact.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace latwin::store {
namespace {

namespace fs = std::filesystem;
using test::make_run;
using test::query_count;
using test::query_text;

constexpr int kWriters = 2;
constexpr int kRunsPerWriter = 20;
// Summary rows per run of the concurrency tests: enough that transactions overlap.
constexpr std::size_t kRowsPerRun = 2000;

class StoreConcurrencyTest : public latwin::test::TempDirTest {
 protected:
  fs::path store_path() const { return dir_ / "runs.sqlite"; }

  // Every writer's runs are there, once each.
  void expect_all_runs() const {
    Store store(store_path());
    std::vector<RunInfo> runs = store.list();
    std::set<std::string> labels;
    for (const RunInfo& run : runs) labels.insert(run.label);
    EXPECT_EQ(runs.size(), static_cast<std::size_t>(kWriters * kRunsPerWriter));
    for (int writer = 0; writer < kWriters; ++writer) {
      for (int run_idx = 0; run_idx < kRunsPerWriter; ++run_idx) {
        EXPECT_EQ(labels.count(fmt::format("writer {} run {}", writer, run_idx)), 1u)
            << writer << " " << run_idx;
      }
    }
    EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_summaries"),
              static_cast<std::int64_t>(kWriters * kRunsPerWriter * kRowsPerRun));
    EXPECT_EQ(query_text(store_path(), "PRAGMA integrity_check"), "ok");
  }
};

// Opens the store (which does not exist yet: the writers race to create it) and saves
// kRunsPerWriter runs. Returns "" or the error.
std::string write_runs(const fs::path& path, int writer) {
  try {
    Store store(path);
    for (int run_idx = 0; run_idx < kRunsPerWriter; ++run_idx) {
      store.save(make_run(fmt::format("writer {} run {}", writer, run_idx), kRowsPerRun));
    }
    return "";
  } catch (const std::exception& error) {
    return error.what();
  }
}

TEST_F(StoreConcurrencyTest, WritersInTwoThreadsAllSucceed) {
  std::latch start(kWriters);
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> threads;
  for (int writer = 0; writer < kWriters; ++writer) {
    threads.emplace_back([&, writer] {
      start.arrive_and_wait();
      errors[static_cast<std::size_t>(writer)] = write_runs(store_path(), writer);
    });
  }
  for (auto& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  expect_all_runs();
}

TEST_F(StoreConcurrencyTest, WritersInTwoProcessesAllSucceed) {
  // The children wait until the parent closes the pipe, so they start together.
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::fflush(nullptr);
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(go[1]);
      char byte = 0;
      while (::read(go[0], &byte, 1) > 0) {
      }
      std::string error = write_runs(store_path(), writer);
      if (!error.empty()) std::fprintf(stderr, "writer %d: %s\n", writer, error.c_str());
      std::fflush(stderr);
      ::_exit(error.empty() ? 0 : 1);
    }
    children.push_back(child);
  }
  ::close(go[0]);
  ::close(go[1]);
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer failed: " << status;
  }
  expect_all_runs();
}

// True while another connection holds the store's write lock (a transaction is open).
bool write_locked(const fs::path& path) {
  sqlite3* db = nullptr;
  bool locked = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    locked = (rc & 0xff) == SQLITE_BUSY;
    if (rc == SQLITE_OK) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  sqlite3_close(db);
  return locked;
}

TEST_F(StoreConcurrencyTest, WriterKilledInsideSaveLeavesNoTrace) {
  RunRecord first = make_run("first", 500);
  RunRecord second = make_run("second", 700);
  {
    Store store(store_path());
    store.save(first);
    store.save(second);
  }

  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  std::fflush(nullptr);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child: save a big run, pausing 5 s inside the transaction, and never finish.
    ::close(ready[0]);
    ::setenv("LATWIN_TEST_STORE_PAUSE_MS", "5000", 1);
    try {
      Store store(store_path());
      RunRecord run = make_run("killed", 100'000);
      char byte = 1;
      if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
      store.save(run);
    } catch (...) {
      ::_exit(3);
    }
    ::_exit(0);
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1) << "the child failed before saving";
  ::close(ready[0]);
  // Wait until the child's transaction is open, then give it time to insert the run and
  // half its rows (a few tens of milliseconds) and reach the pause.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(4);
  bool locked = false;
  while (!(locked = write_locked(store_path())) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(locked) << "the child never opened its transaction";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child finished before it was killed: " << status;

  // The store opens, is intact, and holds the earlier runs only.
  Store store(store_path());
  EXPECT_EQ(query_text(store_path(), "PRAGMA integrity_check"), "ok");
  std::vector<RunInfo> runs = store.list();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].label, "second");
  EXPECT_EQ(runs[1].label, "first");
  EXPECT_EQ(store.load(runs[0].id)->summaries.size(), 700u);
  EXPECT_EQ(store.load(runs[1].id)->summaries.size(), 500u);
  EXPECT_EQ(store.load(runs[1].id)->document, first.document);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM run_summaries"), 1200);
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM runs WHERE label = 'killed'"), 0);
  // And takes new runs.
  std::int64_t id = store.save(make_run("after", 10));
  EXPECT_EQ(store.load(id)->label, "after");
}

}  // namespace
}  // namespace latwin::store
