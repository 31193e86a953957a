// The store's file: a new or empty database is migrated to the current schema; anything
// that is not a latwin store, or a store from a newer latwin, is refused and left as it was.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace latwin::store {
namespace {

namespace fs = std::filesystem;
using test::exec_sql;
using test::make_run;
using test::query_count;
using test::query_text;
using ::testing::HasSubstr;

// 'LATW', as written by store.cpp.
constexpr const char* kApplicationId = "1279349847";

class StoreSchemaTest : public latwin::test::TempDirTest {
 protected:
  fs::path store_path() const { return dir_ / "runs.sqlite"; }

  // The message of the InputError that opening path throws ("" when it opens).
  static std::string open_error(const fs::path& path) {
    try {
      Store store(path);
    } catch (const InputError& error) {
      return error.what();
    }
    return "";
  }

  // The current schema is in place: version, id, tables and indexes.
  void expect_current_schema(const fs::path& path) const {
    EXPECT_EQ(query_text(path, "PRAGMA user_version"), std::to_string(Store::schema_version()));
    EXPECT_EQ(query_text(path, "PRAGMA application_id"), kApplicationId);
    for (const char* table : {"runs", "run_strategies", "run_inputs", "run_summaries"}) {
      EXPECT_EQ(query_count(path, fmt::format("SELECT count(*) FROM sqlite_master WHERE type = "
                                              "'table' AND name = '{}'",
                                              table)),
                1)
          << table;
    }
    EXPECT_EQ(query_count(path,
                          "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                          "sql LIKE '%(run_id)%'"),
              2);
    EXPECT_EQ(query_text(path, "PRAGMA integrity_check"), "ok");
  }
};

TEST_F(StoreSchemaTest, NewStoreHasTheCurrentSchema) {
  { Store store(store_path()); }
  expect_current_schema(store_path());
  EXPECT_EQ(Store::schema_version(), 1);
}

TEST_F(StoreSchemaTest, EmptyFileIsMigratedFromVersionZero) {
  std::ofstream(store_path()).close();  // zero bytes: SQLite's empty database
  Store store(store_path());
  expect_current_schema(store_path());
  EXPECT_EQ(store.load(store.save(make_run("after migration")))->label, "after migration");
}

TEST_F(StoreSchemaTest, EmptyVersionZeroDatabaseIsMigrated) {
  // A database with a header but no schema: a table created and dropped, version 0.
  exec_sql(store_path(), "CREATE TABLE scratch (x); DROP TABLE scratch; PRAGMA user_version = 0;");
  ASSERT_EQ(query_text(store_path(), "PRAGMA user_version"), "0");
  ASSERT_GT(fs::file_size(store_path()), 0u);
  Store store(store_path());
  expect_current_schema(store_path());
  store.save(make_run("ok"));
  EXPECT_EQ(store.list().size(), 1u);
}

TEST_F(StoreSchemaTest, VersionZeroWithOurApplicationIdIsMigrated) {
  exec_sql(store_path(), fmt::format("PRAGMA application_id = {};", kApplicationId));
  Store store(store_path());
  expect_current_schema(store_path());
}

TEST_F(StoreSchemaTest, ReopeningACurrentStoreChangesNothing) {
  { Store(store_path()).save(make_run("one")); }
  { Store store(store_path()); }
  expect_current_schema(store_path());
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM runs"), 1);
}

TEST_F(StoreSchemaTest, FileThatIsNotSqliteIsRefusedAndLeftAlone) {
  const std::string text = "iso3,year,value\nCOL,2020,1.5\n" + std::string(4096, 'x');
  std::ofstream(store_path(), std::ios::binary) << text;
  EXPECT_EQ(open_error(store_path()),
            fmt::format("{} is not a latwin results store", store_path().string()));
  EXPECT_EQ(latwin::test::TempDirTest::read(store_path()), text);
  EXPECT_EQ(file_count(), 1u);  // no -wal or -shm beside it
}

TEST_F(StoreSchemaTest, ShortNonSqliteFileIsRefused) {
  std::ofstream(store_path(), std::ios::binary) << "hello\n";
  EXPECT_EQ(open_error(store_path()),
            fmt::format("{} is not a latwin results store", store_path().string()));
}

TEST_F(StoreSchemaTest, OtherSqliteDatabaseIsRefusedAndLeftAlone) {
  exec_sql(store_path(), "CREATE TABLE birds (name TEXT); INSERT INTO birds VALUES ('quetzal');");
  EXPECT_EQ(open_error(store_path()),
            fmt::format("{} is not a latwin results store", store_path().string()));
  EXPECT_EQ(query_text(store_path(), "SELECT name FROM birds"), "quetzal");
  EXPECT_EQ(query_text(store_path(), "PRAGMA journal_mode"), "delete");  // not switched to WAL
  EXPECT_EQ(query_text(store_path(), "PRAGMA user_version"), "0");
}

TEST_F(StoreSchemaTest, OtherApplicationsEmptyDatabaseIsRefused) {
  exec_sql(store_path(), "PRAGMA application_id = 42;");
  EXPECT_EQ(open_error(store_path()),
            fmt::format("{} is not a latwin results store", store_path().string()));
}

TEST_F(StoreSchemaTest, StoreFromNewerLatwinIsRefused) {
  { Store(store_path()).save(make_run("from the future")); }
  exec_sql(store_path(), fmt::format("PRAGMA user_version = {};", Store::schema_version() + 1));
  std::string message = open_error(store_path());
  EXPECT_THAT(message, HasSubstr(store_path().string()));
  EXPECT_THAT(message, HasSubstr("written by a newer latwin"));
  EXPECT_THAT(message, HasSubstr(fmt::format("version {}", Store::schema_version() + 1)));
  // Left as it was.
  EXPECT_EQ(query_text(store_path(), "PRAGMA user_version"),
            std::to_string(Store::schema_version() + 1));
  EXPECT_EQ(query_count(store_path(), "SELECT count(*) FROM runs"), 1);
}

TEST_F(StoreSchemaTest, FolderAsStoreIsAnErrorNamingIt) {
  fs::create_directories(dir_ / "folder.sqlite");
  std::string message = open_error(dir_ / "folder.sqlite");
  EXPECT_THAT(message, HasSubstr((dir_ / "folder.sqlite").string()));
  EXPECT_THAT(message, HasSubstr("cannot open the results store"));
}

TEST_F(StoreSchemaTest, ForeignKeysAreEnforced) {
  Store store(store_path());
  store.save(make_run("one"));
  // A row pointing at no run is refused even from the outside, where foreign keys are on.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(store_path().c_str(), &db), SQLITE_OK);
  sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
  EXPECT_NE(sqlite3_exec(db, "INSERT INTO run_strategies VALUES (999, 0, 'orphan')", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(query_text(store_path(), "PRAGMA foreign_key_check"), "");
}

}  // namespace
}  // namespace latwin::store
