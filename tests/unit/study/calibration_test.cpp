// Calibration by rejection ABC on a model whose answer is known: a level growing at an
// uncertain rate, observed growing at exactly 5% a year. The kept sets must find the rate; the
// sets must reproduce the accepted members' own draws; the error spread must vanish when the
// model is exact.
#include "study/calibration.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "../../support/growth_data.hpp"
#include "../../support/temp_dir.hpp"
#include "core/error.hpp"
#include "data/panel.hpp"
#include "engine/compile/compiler.hpp"
#include "study/observations.hpp"

namespace latwin::study {
namespace {

constexpr const char* kGrowthModel = R"lw(
simulation start = 2000 stop = 2010 dt = 1 save_every = 1
dimension country = table("countries")
param growth [1/year] ~ uniform(0, 0.2) "yearly growth (test)" source "test"
param noise_free [1] ~ uniform(0, 1) "a parameter the data say nothing about (test)" source "test"
stock level[country] [1] = data("level", start) "a level (test)"
  inflow rise [1/year] = growth * level
)lw";

class CalibrationTest : public test::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    test::write_growth_data(dir_ / "data");
    panel_ = std::make_unique<data::Panel>((dir_ / "data").string(), data::Dictionary::kRequired);
    source_ = std::make_unique<data::PanelDataSource>(*panel_);
    compiled_ = engine::compile_text(kGrowthModel, source_.get());
    ASSERT_TRUE(compiled_.ok()) << compiled_.messages();
  }

  CalibrationRequest request() const {
    CalibrationRequest r;
    r.plan = compiled_.plan;
    r.panel = panel_.get();
    r.observations = {Observation{"level", "level", true, false, "", 1}};
    r.from = 2000;
    r.to = 2010;
    r.seed = 7;
    r.draws = 2000;
    r.accept = 20;
    return r;
  }

  std::unique_ptr<data::Panel> panel_;
  std::unique_ptr<data::PanelDataSource> source_;
  engine::CompileResult compiled_;
};

// growth = 0.2 u: the kept sets' u must put growth near the 0.05 the data grew at.
TEST_F(CalibrationTest, KeptSetsFindTheRateTheDataGrewAt) {
  CalibrationResult result = calibrate(request());
  ASSERT_EQ(result.sets.rows(), 20u);
  ASSERT_EQ(result.sets.parameters, (std::vector<std::string>{"growth", "noise_free"}));
  double worst = 0;
  for (std::size_t row = 0; row < result.sets.rows(); ++row) {
    const double growth = 0.2 * result.sets.unit[row * result.sets.row_width()];
    worst = std::max(worst, std::abs(growth - 0.05));
  }
  // 20 nearest of 2000 uniform draws on [0, 0.2]: within about 0.001 of the truth.
  EXPECT_LT(worst, 0.003);
  EXPECT_LT(result.tolerance, result.prior_median_distance / 10);
  ASSERT_EQ(result.fit.size(), 1u);
  EXPECT_EQ(result.fit[0].points, 20u);  // 2001-2010, two countries
  EXPECT_LT(result.fit[0].posterior_rmse, result.fit[0].prior_rmse / 10);
  // Nearly exact model: almost no error left to spread over forecasts.
  ASSERT_EQ(result.errors.size(), 1u);
  ASSERT_EQ(result.errors[0].sd_by_lead.size(), 10u);
  for (double sd : result.errors[0].sd_by_lead) EXPECT_LT(sd, 0.05 * result.fit[0].scale);
}

// A run given the kept sets reproduces the kept members' parameters bit for bit: the sets
// are the members' own draws.
TEST_F(CalibrationTest, SetsReproduceTheAcceptedMembersDraws) {
  CalibrationRequest r = request();
  CalibrationResult result = calibrate(r);
  engine::RunSpec plain;
  plain.seed = r.seed;
  plain.members = r.draws;
  plain.start = 2000;
  plain.stop = 2001;
  plain.save = {"growth", "noise_free"};
  engine::TrajectoryCollector prior;
  engine::run_ensemble(compiled_.plan, plain, {&prior});

  engine::RunSpec given = plain;
  given.seed = 999;  // the sets, not the seed, decide the parameters
  given.members = result.sets.rows();
  given.parameter_sets = result.sets;
  engine::TrajectoryCollector posterior;
  engine::run_ensemble(compiled_.plan, given, {&posterior});
  for (std::size_t row = 0; row < result.accepted.size(); ++row) {
    for (const char* name : {"growth", "noise_free"}) {
      EXPECT_EQ(posterior.value(name, "", 0, row), prior.value(name, "", 0, result.accepted[row]))
          << name << " row " << row;
    }
  }
}

TEST_F(CalibrationTest, SameSeedSameSetsAtAnyThreadCount) {
  CalibrationRequest one = request();
  one.threads = 1;
  CalibrationRequest two = request();
  two.threads = 2;
  CalibrationResult a = calibrate(one);
  CalibrationResult b = calibrate(two);
  EXPECT_EQ(a.accepted, b.accepted);
  EXPECT_EQ(a.sets.unit, b.sets.unit);
  EXPECT_EQ(a.accepted_distance, b.accepted_distance);
}

TEST_F(CalibrationTest, RefusesImpossibleSettingsAndUnknownNames) {
  CalibrationRequest r = request();
  r.accept = 3000;
  EXPECT_THROW(calibrate(r), InputError);
  r = request();
  r.to = 2000;
  EXPECT_THROW(calibrate(r), InputError);
  r = request();
  r.observations[0].variable = "levle";
  EXPECT_THROW(calibrate(r), ModelError);
  r = request();
  r.observations[0].indicator = "no_such_indicator";
  EXPECT_THROW(calibrate(r), InputError);
}

TEST(ForecastError, BeyondTheWindowGrowsAsARandomWalk) {
  ForecastError error;
  error.sd_by_lead = {1.0, 2.0, std::nan("")};
  EXPECT_EQ(error.at(1), 1.0);
  EXPECT_EQ(error.at(2), 2.0);
  EXPECT_DOUBLE_EQ(error.at(3), 2.0 * std::sqrt(1.5));  // last finite, lead 2
  EXPECT_DOUBLE_EQ(error.at(8), 2.0 * std::sqrt(4.0));
  EXPECT_TRUE(std::isnan(error.at(0)));
  EXPECT_TRUE(std::isnan(ForecastError{}.at(1)));
}

TEST(Observations, ReadsTheFileAndNamesTheLineOfAMistake) {
  ObservationSpec spec = parse_observations("obs.yaml",
                                            "observations:\n"
                                            "  - {indicator: a, variable: x, headline: true, scale: log}\n"
                                            "  - {indicator: b, variable: y}\n"
                                            "historical_aid: {indicator: aid, reference: ref, follow: [p, q]}\n");
  ASSERT_EQ(spec.observations.size(), 2u);
  EXPECT_TRUE(spec.observations[0].headline);
  EXPECT_TRUE(spec.observations[0].log_scale);
  EXPECT_FALSE(spec.observations[1].headline);
  EXPECT_EQ(spec.aid.follow_aid, (std::vector<std::string>{"p", "q"}));
  auto message = [](const std::string& text) {
    try {
      parse_observations("obs.yaml", text);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("observations:\n  - {indicator: a}\n").find("obs.yaml:2"), std::string::npos);
  EXPECT_NE(message("observations:\n  - {indicator: a, variable: x, colour: red}\n").find("colour"),
            std::string::npos);
  EXPECT_NE(message("observations:\n  - {indicator: a, variable: x}\n  - {indicator: a, variable: y}\n")
                .find("listed twice"),
            std::string::npos);
  EXPECT_NE(message("observations:\n  - {indicator: a, variable: x, scale: cubic}\n").find("scale"),
            std::string::npos);
  EXPECT_NE(message("observations: []\n").find("obs.yaml:1"), std::string::npos);
}

}  // namespace
}  // namespace latwin::study
