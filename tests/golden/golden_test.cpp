// Golden cases: each folder under tests/golden/cases holds model.lw, expected.csv (written by
// tools/golden/regenerate.py from an analytic solution or a fine reference integration) and a
// README saying where the expectation comes from. Every case must match under RK4; two cases
// also check the integrators' orders of convergence.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/run_helpers.hpp"

namespace latwin {
namespace {

namespace fs = std::filesystem;

fs::path cases_dir() {
  return fs::path(LATWIN_SOURCE_DIR) / "tests" / "golden" / "cases";
}

// Every case folder, sorted, so test names and order are stable.
std::vector<std::string> case_names() {
  std::vector<std::string> names;
  if (!fs::is_directory(cases_dir())) return names;
  for (const auto& entry : fs::directory_iterator(cases_dir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct ExpectedRow {
  double time = 0;
  std::string variable;
  std::string element;
  double value = 0;
  int line = 0;
};

// expected.csv: time,variable,element,value (no quoting: golden names hold no commas).
std::vector<ExpectedRow> read_expected(const fs::path& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<ExpectedRow> rows;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "time,variable,element,value") << path;
  int line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream fields_in(line);
    std::string field;
    while (std::getline(fields_in, field, ',')) fields.push_back(field);
    if (line.back() == ',') fields.emplace_back();
    if (fields.size() != 4) {
      ADD_FAILURE() << path << ":" << line_no << ": expected 4 fields: " << line;
      continue;
    }
    rows.push_back({std::stod(fields[0]), fields[1], fields[2], std::stod(fields[3]), line_no});
  }
  return rows;
}

std::shared_ptr<const engine::Plan> compile_case(const std::string& name) {
  auto result = engine::compile_files({(cases_dir() / name / "model.lw").string()}, nullptr);
  EXPECT_TRUE(result.ok()) << result.messages();
  return result.plan;
}

// One member at nominal parameter values, saving the variables that expected.csv names.
engine::RunSpec golden_spec(const std::vector<ExpectedRow>& rows) {
  engine::RunSpec spec;
  spec.members = 1;
  spec.threads = 1;
  spec.sample_parameters = false;
  for (const auto& row : rows) {
    if (std::find(spec.save.begin(), spec.save.end(), row.variable) == spec.save.end()) {
      spec.save.push_back(row.variable);
    }
  }
  return spec;
}

// Index of t among the run's save times; -1 when the run did not save at t.
int time_index(const engine::RunLayout& layout, double t) {
  for (std::size_t i = 0; i < layout.save_times.size(); ++i) {
    if (std::fabs(layout.save_times[i] - t) <= 1e-9 * std::max(1.0, std::fabs(t))) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Largest |simulated - expected| over the rows of `variable`.
double max_abs_error(const test::Collected& out, const std::vector<ExpectedRow>& rows,
                     const std::string& variable) {
  double worst = 0;
  for (const auto& row : rows) {
    if (row.variable != variable) continue;
    int t = time_index(out.trajectories->layout(), row.time);
    EXPECT_GE(t, 0) << "no save at time " << row.time;
    if (t < 0) continue;
    double got = out.trajectories->value(row.variable, row.element, static_cast<std::size_t>(t), 0);
    worst = std::max(worst, std::fabs(got - row.value));
  }
  return worst;
}

class GoldenCase : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenCase, FolderHasModelExpectedAndReadme) {
  fs::path dir = cases_dir() / GetParam();
  EXPECT_TRUE(fs::is_regular_file(dir / "model.lw"));
  EXPECT_TRUE(fs::is_regular_file(dir / "expected.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "README.md"));
}

TEST_P(GoldenCase, Rk4MatchesExpectedWithin1e6) {
  auto rows = read_expected(cases_dir() / GetParam() / "expected.csv");
  ASSERT_FALSE(rows.empty());
  auto plan = compile_case(GetParam());
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->settings.method, lang::Method::kRk4) << "golden models run with rk4";
  engine::RunSpec spec = golden_spec(rows);
  spec.method = lang::Method::kRk4;
  auto out = test::run_collect(plan, spec);
  EXPECT_EQ(out.report.diagnostic_count, 0u);
  const auto& layout = out.trajectories->layout();

  std::map<std::pair<std::string, std::string>, std::size_t> rows_per_cell;
  for (const auto& row : rows) {
    ++rows_per_cell[{row.variable, row.element}];
    int t = time_index(layout, row.time);
    ASSERT_GE(t, 0) << "expected.csv:" << row.line << ": the run saves no time " << row.time;
    double got = out.trajectories->value(row.variable, row.element, static_cast<std::size_t>(t), 0);
    // 1e-6 relative, or 1e-9 absolute where the expectation is near zero.
    double tolerance = std::max(1e-6 * std::fabs(row.value), 1e-9);
    EXPECT_NEAR(got, row.value, tolerance)
        << "expected.csv:" << row.line << ": " << row.variable
        << (row.element.empty() ? "" : "[" + row.element + "]") << " at time " << row.time;
  }
  // Every variable is checked at every save time, so a golden cannot silently thin out.
  for (const auto& [cell, count] : rows_per_cell) {
    EXPECT_EQ(count, layout.save_times.size()) << cell.first << "[" << cell.second << "]";
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenCase, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(Golden, EveryNamedCaseFolderIsPresent) {
  auto names = case_names();
  for (const char* name :
       {"exponential_decay", "logistic_growth", "first_order_delay_step", "sir_conservation"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
}

TEST(Golden, SirTotalPopulationIsConservedWithin1e9) {
  auto plan = compile_case("sir_conservation");
  ASSERT_TRUE(plan);
  engine::RunSpec spec;
  spec.members = 1;
  spec.sample_parameters = false;
  spec.save = {"S", "I", "R", "total"};
  for (auto method : {lang::Method::kRk4, lang::Method::kEuler}) {
    spec.method = method;
    auto out = test::run_collect(plan, spec);
    const auto& t = *out.trajectories;
    const double population = 1000;  // N in model.lw
    for (std::size_t i = 0; i < t.layout().save_times.size(); ++i) {
      double sum = t.value("S", "", i, 0) + t.value("I", "", i, 0) + t.value("R", "", i, 0);
      EXPECT_NEAR(sum, population, 1e-9 * population) << "time " << t.layout().save_times[i];
      EXPECT_NEAR(t.value("total", "", i, 0), population, 1e-9 * population);
    }
  }
}

// ---- orders of convergence ----

// Max error of x against the analytic expectation at each dt; saves at the model's
// save_every so every run is compared at the same times.
std::vector<double> errors_at(const std::string& name, lang::Method method,
                              const std::vector<double>& dts) {
  auto rows = read_expected(cases_dir() / name / "expected.csv");
  auto plan = compile_case(name);
  std::vector<double> errors;
  if (!plan) return errors;
  for (double dt : dts) {
    engine::RunSpec spec = golden_spec(rows);
    spec.method = method;
    spec.dt = dt;
    spec.save_every = plan->settings.save_every;
    auto out = test::run_collect(plan, spec);
    errors.push_back(max_abs_error(out, rows, "x"));
  }
  return errors;
}

class GoldenConvergence : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenConvergence, EulerErrorHalvesWhenDtHalves) {
  auto plan = compile_case(GetParam());
  ASSERT_TRUE(plan);
  double dt = plan->settings.dt;
  auto errors = errors_at(GetParam(), lang::Method::kEuler, {dt, dt / 2, dt / 4});
  ASSERT_EQ(errors.size(), 3u);
  // First order: err(dt) / err(dt/2) -> 2 as dt -> 0.
  for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
    double ratio = errors[i] / errors[i + 1];
    EXPECT_GT(ratio, 1.8) << "errors " << errors[i] << ", " << errors[i + 1];
    EXPECT_LT(ratio, 2.2) << "errors " << errors[i] << ", " << errors[i + 1];
  }
}

TEST_P(GoldenConvergence, Rk4ErrorFallsSixteenfoldWhenDtHalves) {
  auto plan = compile_case(GetParam());
  ASSERT_TRUE(plan);
  // From 4 dt down to the model's dt, where errors (about 1e-5 to 1e-7 of x) stay far above
  // round-off (about 1e-13 of x).
  double dt = plan->settings.dt;
  auto errors = errors_at(GetParam(), lang::Method::kRk4, {4 * dt, 2 * dt, dt});
  ASSERT_EQ(errors.size(), 3u);
  for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
    EXPECT_GT(errors[i + 1], 1e-9) << "error at round-off level; the ratio means nothing";
    // Fourth order: err(dt) / err(dt/2) -> 16 as dt -> 0.
    double ratio = errors[i] / errors[i + 1];
    EXPECT_GT(ratio, 12.0) << "errors " << errors[i] << ", " << errors[i + 1];
    EXPECT_LT(ratio, 20.0) << "errors " << errors[i] << ", " << errors[i + 1];
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenConvergence,
                         ::testing::Values("exponential_decay", "logistic_growth"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace latwin
