// Coverage: the share of each indicator's years in which a country has source values.
#include "data/coverage.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace latwin::data {
namespace {

using ::testing::ElementsAre;

const std::string kFixture = std::string(LATWIN_SOURCE_DIR) + "/tests/data/panel-v1";

const Panel& fixture() {
  static const Panel panel(kFixture);
  return panel;
}

TEST(Coverage, ShareOfTheIndicatorsYearsWithSourceValues) {
  Coverage coverage = compute_coverage(fixture());
  EXPECT_THAT(coverage.indicators,
              ElementsAre("bri_member", "gdp_per_capita", "homicide_rate", "voice_accountability"));
  ASSERT_EQ(coverage.countries.size(), 6u);
  // COL gdp_per_capita: 5 observed of 2015–2020 (2020 is carried forward, so not counted).
  EXPECT_DOUBLE_EQ(coverage.share(0, 1), 5.0 / 6.0);
  // PER homicide_rate: 4 derived years of 6.
  EXPECT_DOUBLE_EQ(coverage.share(3, 2), 4.0 / 6.0);
  // voice_accountability spans 2016–2020; COL has 3 of those 5 years.
  EXPECT_DOUBLE_EQ(coverage.share(0, 3), 3.0 / 5.0);
  // CHN has nothing.
  EXPECT_EQ(coverage.share(5, 0), 0);
  std::string csv = coverage_csv(coverage);
  EXPECT_THAT(csv, ::testing::StartsWith(
                       "iso3,bri_member,gdp_per_capita,homicide_rate,voice_accountability\n"
                       "COL,1.000,0.833,0.833,0.600\n"));
}

}  // namespace
}  // namespace latwin::data
