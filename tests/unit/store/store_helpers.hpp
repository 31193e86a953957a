#pragma once
// Runs to save and raw looks at the SQLite file, shared by the store's tests.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "store/store.hpp"

namespace latwin::store::test {

// A run with rows summary rows: strategies a and b, variables of 3 countries over the years
// 2024 onwards, every statistic distinct.
inline RunRecord make_run(const std::string& label, std::size_t rows = 100) {
  RunRecord run;
  run.label = label;
  run.command_line = fmt::format("latwin compare --label '{}'", label);
  run.latwin_version = "0.1.0";
  run.seed = 7;
  run.members = 1000;
  run.scenario = "baseline";
  run.strategies = {"a", "b"};
  run.inputs = {
      {"scenario", "baseline", "scenarios/baseline.yaml", std::string(64, 'e'), "name: baseline\n"},
      {"data", "panel.csv", "data/panel.csv", std::string(64, 'f'), ""}};
  run.document = fmt::format(R"({{"format": "latwin-compare/1", "label": "{}"}})", label);
  const char* countries[] = {"ARG", "BRA", "COL"};
  for (std::size_t row_idx = 0; row_idx < rows; ++row_idx) {
    SummaryRow row;
    row.strategy = row_idx % 2 == 0 ? "a" : "b";
    row.variable = fmt::format("v{}", row_idx / 102 % 50);
    row.element = countries[row_idx / 2 % 3];
    row.year = 2024 + static_cast<double>(row_idx / 6 % 17);
    double base = static_cast<double>(row_idx) * 0.001;
    row.mean = base;
    row.sd = base / 3;
    row.p5 = base - 0.1;
    row.p25 = base - 0.05;
    row.p50 = base + 0.0001;
    row.p75 = base + 0.05;
    row.p95 = base + 0.1;
    run.summaries.push_back(row);
  }
  return run;
}

// The first column of the first row of sql on a connection of its own, as text ("" for
// none); fails the test on an SQLite error.
inline std::string query_text(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return result;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
  } else {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) result = reinterpret_cast<const char*>(text);
    } else if (rc != SQLITE_DONE) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db);
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

inline std::int64_t query_count(const std::filesystem::path& path, const std::string& sql) {
  return std::stoll(query_text(path, sql));
}

// Runs statements (no rows wanted) on a connection of their own; fails the test on error.
inline void exec_sql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << path << ": " << sqlite3_errmsg(db);
  } else {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (message ? message : "?");
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
}

}  // namespace latwin::store::test
