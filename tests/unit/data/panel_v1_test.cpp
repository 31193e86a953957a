// Panel: the analysis API over a format v1 data folder (tests/data/panel-v1): values and
// flags, observed-only queries, series, the dictionary and the countries table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "data/panel.hpp"
#include "support/temp_dir.hpp"

namespace latwin::data {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kFixture = std::string(LATWIN_SOURCE_DIR) + "/tests/data/panel-v1";

// The fixture, loaded once: queries are const and read-only.
const Panel& fixture() {
  static const Panel panel(kFixture, Dictionary::kRequired);
  return panel;
}

TEST(PanelV1, AllValuesIncludeFilledOnes) {
  EXPECT_EQ(fixture().value("gdp_per_capita", "PER", 2017), 6450);
  EXPECT_EQ(fixture().flag("gdp_per_capita", "PER", 2017), Flag::kInterpolated);
  EXPECT_EQ(fixture().value("gdp_per_capita", "JAM", 2020, Values::kAll), 5350);
  EXPECT_EQ(fixture().flag("gdp_per_capita", "JAM", 2020), Flag::kCarriedForward);
}

TEST(PanelV1, ObservedOnlyHidesFilledValues) {
  EXPECT_EQ(fixture().value("gdp_per_capita", "PER", 2017, Values::kObservedOnly), std::nullopt);
  EXPECT_EQ(fixture().flag("gdp_per_capita", "PER", 2017, Values::kObservedOnly), std::nullopt);
  EXPECT_EQ(fixture().value("gdp_per_capita", "JAM", 2020, Values::kObservedOnly), std::nullopt);
  EXPECT_EQ(fixture().value("gdp_per_capita", "PER", 2016, Values::kObservedOnly), 6200);
}

TEST(PanelV1, DerivedValuesCountAsObserved) {
  EXPECT_EQ(fixture().value("homicide_rate", "PER", 2015, Values::kObservedOnly), 7.2);
  EXPECT_EQ(fixture().flag("homicide_rate", "PER", 2015, Values::kObservedOnly), Flag::kDerived);
}

TEST(PanelV1, NulloptForUnknownCountryIndicatorOrYear) {
  EXPECT_EQ(fixture().value("homicide_rate", "XXX", 2015), std::nullopt);
  EXPECT_EQ(fixture().value("no_such_indicator", "COL", 2015), std::nullopt);
  EXPECT_EQ(fixture().value("homicide_rate", "COL", 1990), std::nullopt);
  EXPECT_EQ(fixture().value("homicide_rate", "COL", 2030), std::nullopt);
  // A year inside the series without a row: voice_accountability has even years only.
  EXPECT_EQ(fixture().value("voice_accountability", "COL", 2017), std::nullopt);
  EXPECT_EQ(fixture().flag("voice_accountability", "COL", 2017), std::nullopt);
  // A country in countries.csv without rows for the indicator.
  EXPECT_EQ(fixture().value("homicide_rate", "USA", 2020), std::nullopt);
  EXPECT_FALSE(fixture().series("homicide_rate", "USA").has_value());
  EXPECT_FALSE(fixture().series("no_such_indicator", "COL").has_value());
}

TEST(PanelV1, SeriesHonoursValues) {
  auto all = fixture().series("gdp_per_capita", "JAM");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->first_year, 2016);
  EXPECT_EQ(all->last_year(), 2020);
  EXPECT_THAT(all->values, ElementsAre(4900, 5050, 5350, 5350, 5350));
  EXPECT_THAT(all->flags, ElementsAre(Flag::kObserved, Flag::kObserved, Flag::kObserved,
                                      Flag::kCarriedForward, Flag::kCarriedForward));

  // Same span; the carried-forward tail reads as NaN with no flag.
  auto observed = fixture().series("gdp_per_capita", "JAM", Values::kObservedOnly);
  ASSERT_TRUE(observed.has_value());
  EXPECT_EQ(observed->first_year, 2016);
  ASSERT_EQ(observed->values.size(), 5u);
  EXPECT_EQ(observed->values[2], 5350);
  EXPECT_TRUE(std::isnan(observed->values[3]));
  EXPECT_TRUE(std::isnan(observed->values[4]));
  EXPECT_EQ(observed->flags[3], std::nullopt);
  EXPECT_EQ(observed->at(2018), 5350);
  EXPECT_EQ(observed->at(2019), std::nullopt);
  EXPECT_EQ(observed->at(2015), std::nullopt);
}

TEST(PanelV1, SeriesHasNaNForYearsWithoutARow) {
  auto series = fixture().series("voice_accountability", "CRI");
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->first_year, 2016);
  ASSERT_EQ(series->values.size(), 5u);
  EXPECT_EQ(series->values[0], 1.2);
  EXPECT_TRUE(std::isnan(series->values[1]));
  EXPECT_EQ(series->flags[1], std::nullopt);
}

TEST(PanelV1, DictionaryHoldsEveryColumn) {
  const Indicator* entry = fixture().find_indicator("homicide_rate");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->name, "Intentional homicides, per 100,000 people");
  EXPECT_EQ(entry->unit, "per 100k people");
  EXPECT_EQ(entry->area, "security");
  EXPECT_EQ(entry->lower, 0);
  EXPECT_EQ(entry->upper, std::nullopt);
  EXPECT_EQ(entry->interpolate_max_gap, 2);
  EXPECT_EQ(entry->carry_forward_max, 1);
  EXPECT_EQ(entry->source, "synthetic_homicide");
  EXPECT_EQ(entry->licence, "synthetic (no licence)");
  EXPECT_EQ(entry->transformation,
            "homicides / population * 100,000 where only counts are published");
  EXPECT_EQ(entry->countries, 4);
  EXPECT_EQ(entry->first_year, 2015);
  EXPECT_EQ(entry->last_year, 2020);
  EXPECT_EQ(entry->observed, 21u);
  EXPECT_EQ(entry->filled, 2u);
  EXPECT_EQ(entry->line, 4u);
  EXPECT_EQ(fixture().find_indicator("voice_accountability")->name,
            "Voice and accountability (\"WGI-like\" score)");
  EXPECT_EQ(fixture().find_indicator("voice_accountability")->lower, -2.5);
  EXPECT_EQ(fixture().find_indicator("no_such_indicator"), nullptr);
  EXPECT_EQ(fixture().dictionary().size(), 4u);
}

TEST(PanelV1, StatsFromTheRowsMatchTheDictionary) {
  for (const Indicator& entry : fixture().dictionary()) {
    IndicatorStats stats = fixture().stats(entry.id);
    EXPECT_EQ(stats.countries, entry.countries) << entry.id;
    EXPECT_EQ(stats.first_year, entry.first_year) << entry.id;
    EXPECT_EQ(stats.last_year, entry.last_year) << entry.id;
    EXPECT_EQ(stats.observed, entry.observed) << entry.id;
    EXPECT_EQ(stats.filled, entry.filled) << entry.id;
  }
  EXPECT_EQ(fixture().stats("no_such_indicator").countries, 0);
}

TEST(PanelV1, CountriesByColumnName) {
  const CountryTable& countries = fixture().countries();
  EXPECT_EQ(countries.size(), 6u);
  EXPECT_THAT(countries.iso3(), ElementsAre("COL", "CRI", "JAM", "PER", "USA", "CHN"));
  EXPECT_EQ(countries.field("CHN", "oas_status"), "observer, permanent");
  EXPECT_EQ(countries.field("CRI", "bri_year"), "2018");
  EXPECT_EQ(countries.field("USA", "bri_year"), "");
  EXPECT_EQ(countries.field("XXX", "name"), std::nullopt);
  EXPECT_EQ(countries.field("COL", "no_such_column"), std::nullopt);
  EXPECT_THAT(countries.where("kind", "actor"), ElementsAre("USA", "CHN"));
  EXPECT_THAT(countries.neighbours("COL"), ElementsAre("PER"));
  EXPECT_TRUE(countries.neighbours("JAM").empty());
  EXPECT_EQ(countries.line("PER"), 5u);
  EXPECT_THROW(countries.where("knd", "lac"), InputError);
}

TEST(PanelV1, CountriesWithFollowCountriesCsvOrder) {
  EXPECT_THAT(fixture().countries_with("gdp_per_capita"),
              ElementsAre("COL", "CRI", "JAM", "PER", "USA"));
  EXPECT_THAT(fixture().countries_with("voice_accountability"), ElementsAre("COL", "CRI", "PER"));
  EXPECT_TRUE(fixture().countries_with("no_such_indicator").empty());
}

TEST(PanelV1, RowsAreVisitedInOrderWithTheirLines) {
  std::size_t rows = 0;
  std::size_t last_line = 0;
  bool sorted = true;
  fixture().for_each_row([&](const PanelRow& row) {
    ++rows;
    sorted = sorted && row.line > last_line;  // the fixture's file is sorted as the API is
    last_line = row.line;
  });
  EXPECT_EQ(rows, fixture().row_count());
  EXPECT_EQ(rows, 70u);
  EXPECT_TRUE(sorted);
  EXPECT_EQ(fixture().line("bri_member", "COL", 2017), 2u);
  EXPECT_EQ(fixture().line("bri_member", "COL", 2016), 0u);
}

TEST(PanelV1, DataSourceSeesFilledValues) {
  PanelDataSource source(kFixture);
  auto series = source.series("gdp_per_capita", "PER");
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->first_year, 2015);
  EXPECT_THAT(series->values, ElementsAre(6230, 6200, 6450, 6700, 6950, 6950));
  EXPECT_THAT(source.table_elements("countries", "kind", "lac"),
              ElementsAre("COL", "CRI", "JAM", "PER"));
  EXPECT_TRUE(source.panel().has_dictionary());
}

TEST(PanelV1, FlagNamesRoundTrip) {
  for (Flag flag : {Flag::kObserved, Flag::kDerived, Flag::kInterpolated, Flag::kCarriedForward}) {
    EXPECT_EQ(parse_flag(to_string(flag)), flag);
  }
  EXPECT_EQ(parse_flag(""), std::nullopt);
  EXPECT_EQ(parse_flag("Observed"), std::nullopt);
}

// Loading from a folder written by the test.
class PanelFlagsTest : public test::TempDirTest {
 protected:
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
};

TEST_F(PanelFlagsTest, EmptyOrUnknownFlagReadsAsObservedAndCheckReportsIt) {
  std::filesystem::copy_file(kFixture + "/countries.csv", dir_ / "countries.csv");
  write("panel.csv",
        "iso3,year,indicator,value,flag,source\n"
        "COL,2020,a,1,,x\n"
        "COL,2021,a,2,estimated,x\n");
  Panel panel(dir_.string());
  EXPECT_EQ(panel.flag("a", "COL", 2020, Values::kObservedOnly), Flag::kObserved);
  EXPECT_EQ(panel.flag("a", "COL", 2021, Values::kObservedOnly), Flag::kObserved);
  EXPECT_FALSE(panel.has_dictionary());

  std::vector<DataProblem> problems;
  Panel checked(dir_.string(), problems);
  std::vector<std::string> texts;
  for (const auto& problem : problems) texts.push_back(problem.text());
  std::string panel_csv = (dir_ / "panel.csv").string();
  EXPECT_THAT(texts, ::testing::Contains(HasSubstr(panel_csv + ":2: empty flag")));
  EXPECT_THAT(texts, ::testing::Contains(HasSubstr(panel_csv + ":3: unknown flag 'estimated'")));
}

TEST_F(PanelFlagsTest, SeriesIsNulloptWhenOnlyFilledValuesExist) {
  std::filesystem::copy_file(kFixture + "/countries.csv", dir_ / "countries.csv");
  write("panel.csv",
        "iso3,year,indicator,value,flag,source\n"
        "COL,2020,a,1,carried_forward,x\n"
        "COL,2021,a,,observed,x\n");
  Panel panel(dir_.string());
  EXPECT_TRUE(panel.series("a", "COL").has_value());
  EXPECT_FALSE(panel.series("a", "COL", Values::kObservedOnly).has_value());
  EXPECT_TRUE(panel.countries_with("a", Values::kObservedOnly).empty());
  // An empty value is a gap whatever its flag.
  EXPECT_EQ(panel.value("a", "COL", 2021), std::nullopt);
  EXPECT_EQ(panel.row_count(), 2u);
}

TEST_F(PanelFlagsTest, RequiredDictionaryMustExist) {
  std::filesystem::copy_file(kFixture + "/countries.csv", dir_ / "countries.csv");
  std::filesystem::copy_file(kFixture + "/panel.csv", dir_ / "panel.csv");
  EXPECT_NO_THROW(Panel(dir_.string()));
  try {
    Panel panel(dir_.string(), Dictionary::kRequired);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir_ / "indicators.csv").string() + ": cannot open data file");
  }
}

TEST_F(PanelFlagsTest, BadDictionaryNumberNamesFileAndLine) {
  std::filesystem::copy_file(kFixture + "/countries.csv", dir_ / "countries.csv");
  std::filesystem::copy_file(kFixture + "/panel.csv", dir_ / "panel.csv");
  write("indicators.csv",
        "id,name,unit,area,lower,upper,interpolate_max_gap,carry_forward_max,source,licence,"
        "transformation,countries,first_year,last_year,observed,filled\n"
        "a,A,1,security,x,,0,0,s,l,t,1,2020,2020,1,0\n");
  try {
    Panel panel(dir_.string());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir_ / "indicators.csv").string() +
                                         ":2: lower is not a number: 'x' (leave it empty for "
                                         "no bound)");
  }
}

}  // namespace
}  // namespace latwin::data
