// Backtests: no value after the origin may reach a forecast (the leakage test, on the shipped
// data and the hemisphere model, calibration included), and on a model that is exact the
// forecasts are the observations and every score says so.
#include "study/backtest.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <fstream>
#include <sstream>

#include "../../support/growth_data.hpp"
#include "../../support/temp_dir.hpp"
#include "core/error.hpp"

namespace latwin::study {
namespace {

const std::string kRoot = LATWIN_SOURCE_DIR;

// Bit patterns, so that NaN equals NaN and -0 differs from 0.
std::vector<std::uint64_t> bits(const std::vector<ForecastCell>& cells) {
  std::vector<std::uint64_t> out;
  for (const auto& cell : cells) {
    out.push_back(std::bit_cast<std::uint64_t>(cell.mean));
    out.push_back(cell.finite);
    for (double q : cell.quantiles) out.push_back(std::bit_cast<std::uint64_t>(q));
  }
  return out;
}

// Copies data_dir to out, changing every value of a year after origin (scaled and shifted)
// and dropping every fifth such row, so later years differ in values, gaps and flags' reach.
std::size_t write_perturbed_copy(const std::filesystem::path& data_dir,
                                 const std::filesystem::path& out, int origin) {
  std::filesystem::create_directories(out);
  for (const char* file : {"countries.csv", "indicators.csv"}) {
    std::filesystem::copy_file(data_dir / file, out / file);
  }
  std::ifstream in(data_dir / "panel.csv");
  std::ofstream panel(out / "panel.csv");
  std::string line;
  std::getline(in, line);
  panel << line << '\n';
  std::size_t changed = 0, later = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    std::string field;
    // Values and sources in the shipped panel hold no quoted commas in these columns.
    for (int i = 0; i < 4 && std::getline(split, field, ','); ++i) fields.push_back(field);
    std::string rest;
    std::getline(split, rest);
    if (fields.size() == 4 && std::stoi(fields[1]) > origin) {
      if (++later % 5 == 0) continue;
      if (!fields[3].empty()) {
        fields[3] = fmt::format("{:.17g}", std::stod(fields[3]) * 1.5 + 1);
        ++changed;
      }
      line = fmt::format("{},{},{},{},{}", fields[0], fields[1], fields[2], fields[3], rest);
    }
    panel << line << '\n';
  }
  return changed;
}

BacktestRequest hemisphere_request(const data::Panel& panel) {
  BacktestRequest r;
  r.model_paths = {kRoot + "/models/hemisphere"};
  r.panel = &panel;
  r.observations = read_observations(kRoot + "/models/hemisphere/observations.yaml");
  r.scenario_path = kRoot + "/scenarios/baseline.yaml";
  r.origins = {2015};
  r.horizon = 8;
  r.calibration_years = 10;
  r.seed = 3;
  r.draws = 200;
  r.accept = 20;
  r.members = 40;
  return r;
}

class BacktestLeakageTest : public test::TempDirTest {};

// The test: perturb every value after the origin; the forecast must not move a bit.
TEST_F(BacktestLeakageTest, ValuesAfterTheOriginDoNotChangeTheForecast) {
  const int origin = 2015;
  const std::size_t changed = write_perturbed_copy(kRoot + "/data", dir_ / "data", origin);
  ASSERT_GT(changed, 10000u);  // the shipped panel has tens of thousands of later values
  data::Panel shipped(kRoot + "/data", data::Dictionary::kRequired);
  data::Panel perturbed((dir_ / "data").string(), data::Dictionary::kRequired);

  BacktestResult a = run_backtest(hemisphere_request(shipped));
  BacktestResult b = run_backtest(hemisphere_request(perturbed));
  ASSERT_EQ(a.origins.size(), 1u);
  ASSERT_EQ(b.origins.size(), 1u);
  ASSERT_FALSE(a.origins[0].forecasts.empty());
  EXPECT_EQ(bits(a.origins[0].forecasts), bits(b.origins[0].forecasts));
  ASSERT_TRUE(a.origins[0].calibration && b.origins[0].calibration);
  EXPECT_EQ(a.origins[0].calibration->accepted, b.origins[0].calibration->accepted);
  EXPECT_EQ(a.origins[0].calibration->sets.unit, b.origins[0].calibration->sets.unit);
  // The baselines come from the vintage too.
  ASSERT_EQ(a.records.size(), b.records.size());
  std::size_t observed_differ = 0;
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.records[i].baselines.persistence),
              std::bit_cast<std::uint64_t>(b.records[i].baselines.persistence));
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.records[i].baselines.trend),
              std::bit_cast<std::uint64_t>(b.records[i].baselines.trend));
    if (std::bit_cast<std::uint64_t>(a.records[i].observed) !=
        std::bit_cast<std::uint64_t>(b.records[i].observed)) {
      ++observed_differ;
    }
  }
  // Only the scoring sees the later years: the outcomes did change.
  EXPECT_GT(observed_differ, a.records.size() / 2);
}

// Same seed, same forecast, at one thread and at two.
TEST(BacktestTest, SameSeedSameForecastAtAnyThreadCount) {
  data::Panel shipped(kRoot + "/data", data::Dictionary::kRequired);
  BacktestRequest one = hemisphere_request(shipped);
  one.horizon = 3;
  one.threads = 1;
  BacktestRequest two = one;
  two.threads = 2;
  EXPECT_EQ(bits(run_backtest(one).origins[0].forecasts),
            bits(run_backtest(two).origins[0].forecasts));
}

class ExactModelBacktest : public test::TempDirTest {};

// A level growing 5% a year, and a model whose uncertain growth rate calibration must find:
// its forecasts then land on the observations lead by lead (an off-by-one year would miss by
// 5%), and persistence, which stands still, misses by 5% a year of lead.
TEST_F(ExactModelBacktest, ForecastsLandOnTheObservationsAtEveryLead) {
  test::write_growth_data(dir_ / "data");
  std::ofstream(dir_ / "growth.lw")
      << "simulation start = 2000 stop = 2010 dt = 1 save_every = 1\n"
         "dimension country = table(\"countries\")\n"
         "param growth [1/year] ~ uniform(0, 0.2) \"yearly growth (test)\" source \"test\"\n"
         "stock level[country] [1] = data(\"level\", start) \"a level (test)\"\n"
         "  inflow rise [1/year] = growth * level\n";
  std::ofstream(dir_ / "world.yaml") << "name: world\ndescription: nothing happens\nstart: 2000\nhorizon: 2010\n";
  data::Panel panel((dir_ / "data").string(), data::Dictionary::kRequired);

  BacktestRequest r;
  r.model_paths = {(dir_ / "growth.lw").string()};
  r.panel = &panel;
  r.observations.path = "test";
  r.observations.observations = {Observation{"level", "level", true, false, "", 1}};
  r.scenario_path = (dir_ / "world.yaml").string();
  r.origins = {2007, 2008};
  r.horizon = 4;
  r.calibration_years = 6;
  r.draws = 4000;
  r.accept = 20;
  r.members = 100;
  BacktestResult result = run_backtest(r);
  ASSERT_EQ(result.records.size(), 2u * 2u * 4u);  // origins x countries x leads
  std::size_t beyond_data = 0;
  for (const auto& record : result.records) {
    if (std::isnan(record.observed)) {
      ++beyond_data;  // 2008 + 4 = 2012 is observed, 2013 is not
      continue;
    }
    const double median = analysis::score_ensemble(record.members, record.observed).median;
    EXPECT_LT(std::abs(median / record.observed - 1), 0.005)
        << record.country << " origin " << record.origin_year << " lead " << record.lead_years;
    EXPECT_GT(std::abs(record.baselines.persistence / record.observed - 1),
              0.04 * record.lead_years);
  }
  EXPECT_EQ(beyond_data, 0u);
  const analysis::ScoreRow& pooled = result.table.back();
  ASSERT_FALSE(pooled.country.has_value());
  ASSERT_FALSE(pooled.lead_years.has_value());
  EXPECT_GT(pooled[analysis::ForecastMethod::kEnsemble].crps_skill, 0.9);
}

TEST(BacktestTest, RefusesAnIndicatorTheModelDoesNotObserve) {
  ObservationSpec spec;
  spec.path = "obs.yaml";
  spec.observations = {Observation{"homicide_rate", "homicide_rate", true, false, "", 2}};
  EXPECT_THROW(selected_observations(spec, {"homicde_rate"}), InputError);
  EXPECT_EQ(selected_observations(spec, {}).size(), 1u);
}

}  // namespace
}  // namespace latwin::study
