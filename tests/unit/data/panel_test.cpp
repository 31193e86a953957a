// PanelDataSource: reading a data folder (panel.csv, countries.csv) and its error messages.
#include "data/panel.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "engine/compile/compiler.hpp"

namespace latwin::data {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* kCountries =
    "iso3,name,subregion\n"
    "COL,Colombia,Andean\n"
    "MEX,Mexico,North America\n"
    "PER,Peru,Andean\n";

const char* kPanel =
    "iso3,year,indicator,value,flag,source\n"
    "COL,2018,homicide_rate,25.5,,test\n"
    "COL,2020,homicide_rate,24,,test\n"
    "MEX,2019,homicide_rate,,missing,test\n"
    "MEX,2020,homicide_rate,28.1,e,test\n"
    "COL,2020,gdp_pc,6400,,\"World Bank, WDI\"\n";

// A fresh folder per test, removed afterwards.
class PanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / fmt::format("latwin-panel-{}-{}", ::getpid(), info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  void write_both(const std::string& countries, const std::string& panel) {
    write("countries.csv", countries);
    write("panel.csv", panel);
  }
  std::string panel_path() const { return (dir_ / "panel.csv").string(); }
  std::string countries_path() const { return (dir_ / "countries.csv").string(); }

  // The message of the InputError that loading the folder throws; "" when it loads.
  std::string load_error() {
    try {
      PanelDataSource source(dir_.string());
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }

  fs::path dir_;
};

TEST_F(PanelTest, ListsCountriesInFileOrder) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  EXPECT_THAT(source.table_elements("countries", "", ""), ElementsAre("COL", "MEX", "PER"));
}

TEST_F(PanelTest, FiltersCountriesByAnyColumn) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  EXPECT_THAT(source.table_elements("countries", "subregion", "Andean"), ElementsAre("COL", "PER"));
  EXPECT_THAT(source.table_elements("countries", "name", "Mexico"), ElementsAre("MEX"));
  EXPECT_TRUE(source.table_elements("countries", "subregion", "Caribbean").empty());
}

TEST_F(PanelTest, UnknownTableNamesTheFileAndTheTables) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  try {
    source.table_elements("country", "", "");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr((dir_ / "country.csv").string()));
    EXPECT_THAT(e.what(), HasSubstr("unknown data table 'country'"));
    EXPECT_THAT(e.what(), HasSubstr("has one table: countries"));
  }
}

TEST_F(PanelTest, UnknownColumnNamesTheFileAndListsTheColumns) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  try {
    source.table_elements("countries", "subregio", "Andean");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr(countries_path()));
    EXPECT_THAT(e.what(), HasSubstr("unknown column 'subregio'"));
    EXPECT_THAT(e.what(), HasSubstr("did you mean 'subregion'?"));
    EXPECT_THAT(e.what(), HasSubstr("iso3, name, subregion"));
  }
}

TEST_F(PanelTest, SeriesSpansFirstToLastYearWithNaNForMissingYears) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  auto series = source.series("homicide_rate", "COL");
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->first_year, 2018);
  ASSERT_EQ(series->values.size(), 3u);
  EXPECT_EQ(series->values[0], 25.5);
  EXPECT_TRUE(std::isnan(series->values[1]));
  EXPECT_EQ(series->values[2], 24);
}

TEST_F(PanelTest, EmptyValueIsAGap) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  auto series = source.series("homicide_rate", "MEX");
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->first_year, 2019);
  ASSERT_EQ(series->values.size(), 2u);
  EXPECT_TRUE(std::isnan(series->values[0]));
  EXPECT_EQ(series->values[1], 28.1);
}

TEST_F(PanelTest, SeriesIsNulloptForAnElementOrIndicatorWithoutRows) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  EXPECT_FALSE(source.series("homicide_rate", "PER").has_value());
  EXPECT_FALSE(source.series("no_such_indicator", "COL").has_value());
}

TEST_F(PanelTest, IndicatorsAreSortedAndKnown) {
  write_both(kCountries, kPanel);
  PanelDataSource source(dir_.string());
  EXPECT_THAT(source.indicators(), ElementsAre("gdp_pc", "homicide_rate"));
  EXPECT_TRUE(source.has_indicator("gdp_pc"));
  EXPECT_FALSE(source.has_indicator("gdp"));
}

TEST_F(PanelTest, QuotedFieldsMayHoldCommasQuotesAndLineBreaks) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,1,,\"World Bank, WDI\"\n"
             "COL,2021,a,2,,\"a \"\"quoted\"\" name\"\n"
             "COL,2022,a,3,,\"two\nlines\"\n"
             "\"COL\",2023,a,\"4\",,x\n"
             "COL,2024,a,5,,,\n");
  // The last line has 7 fields: the line count must still be right after the line break.
  EXPECT_EQ(load_error(), panel_path() + ":7: expected 6 fields, found 7");
  write("panel.csv",
        "iso3,year,indicator,value,flag,source\n"
        "COL,2020,a,1,,\"World Bank, WDI\"\n"
        "COL,2021,a,2,,\"a \"\"quoted\"\" name\"\n"
        "COL,2022,a,3,,\"two\nlines\"\n"
        "\"COL\",2023,a,\"4\",,x\n");
  PanelDataSource source(dir_.string());
  auto series = source.series("a", "COL");
  ASSERT_TRUE(series.has_value());
  EXPECT_THAT(series->values, ElementsAre(1, 2, 3, 4));
}

TEST_F(PanelTest, ColumnsAreFoundByNameAndExtraColumnsAllowed) {
  write_both("iso3,region,note\nCOL,South America,\"x, y\"\n",
             "indicator,iso3,value,year,flag,source,comment\n"
             "a,COL,1.5,2020,,,first\n");
  PanelDataSource source(dir_.string());
  auto series = source.series("a", "COL");
  ASSERT_TRUE(series.has_value());
  EXPECT_EQ(series->first_year, 2020);
  EXPECT_THAT(series->values, ElementsAre(1.5));
  EXPECT_THAT(source.table_elements("countries", "region", "South America"), ElementsAre("COL"));
}

TEST_F(PanelTest, AcceptsCrlfLineEndingsAndAByteOrderMark) {
  write_both("\xEF\xBB\xBFiso3,subregion\r\nCOL,Andean\r\n",
             "\xEF\xBB\xBFiso3,year,indicator,value,flag,source\r\nCOL,2020,a,7,,\r\n\r\n");
  PanelDataSource source(dir_.string());
  EXPECT_THAT(source.table_elements("countries", "subregion", "Andean"), ElementsAre("COL"));
  EXPECT_THAT(source.series("a", "COL")->values, ElementsAre(7));
}

TEST_F(PanelTest, WrongFieldCountNamesFileAndLine) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,1,,x\n"
             "COL,2021,a,1,x\n");
  EXPECT_EQ(load_error(), panel_path() + ":3: expected 6 fields, found 5");
}

TEST_F(PanelTest, ValueThatIsNotANumberIsQuoted) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,12abc,,x\n");
  EXPECT_EQ(load_error(), panel_path() + ":2: not a number: '12abc'");
}

TEST_F(PanelTest, NonFiniteValueIsRejected) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,nan,,x\n");
  EXPECT_EQ(load_error(), panel_path() + ":2: not a number: 'nan'");
}

TEST_F(PanelTest, YearThatIsNotANumberIsRejected) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020.5,a,1,,x\n");
  EXPECT_THAT(load_error(), HasSubstr(panel_path() + ":2: not a number: '2020.5'"));
}

TEST_F(PanelTest, ImplausibleYearIsRejected) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,20200,a,1,,x\n");
  EXPECT_THAT(load_error(), HasSubstr(panel_path() + ":2: year 20200 is outside"));
}

TEST_F(PanelTest, DuplicateKeyNamesBothLines) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,1,,x\n"
             "MEX,2020,a,1,,x\n"
             "COL,2020,a,2,,y\n");
  EXPECT_EQ(load_error(), panel_path() + ":4: duplicate key COL 2020 a (first on line 2)");
}

TEST_F(PanelTest, MissingPanelColumnIsNamed) {
  write_both(kCountries, "iso3,year,indicator,flag,source\nCOL,2020,a,,x\n");
  EXPECT_EQ(load_error(), panel_path() +
                              ":1: missing column 'value' (the header has: iso3, year, "
                              "indicator, flag, source)");
}

TEST_F(PanelTest, CountriesMustStartWithIso3) {
  write_both("name,iso3\nColombia,COL\n", kPanel);
  EXPECT_EQ(load_error(), countries_path() + ":1: the first column must be 'iso3', found 'name'");
}

TEST_F(PanelTest, DuplicateCountryIsRejected) {
  write_both("iso3,name\nCOL,Colombia\nCOL,Colombia again\n", kPanel);
  EXPECT_EQ(load_error(), countries_path() + ":3: duplicate iso3 COL (first on line 2)");
}

TEST_F(PanelTest, UnterminatedQuoteNamesTheLineItOpensOn) {
  write_both(kCountries,
             "iso3,year,indicator,value,flag,source\n"
             "COL,2020,a,1,,\"no end\n"
             "COL,2021,a,1,,x\n");
  EXPECT_EQ(load_error(), panel_path() + ":2: unterminated quoted field");
}

TEST_F(PanelTest, MissingFilesAndFoldersAreNamed) {
  EXPECT_EQ(load_error(), countries_path() + ": cannot open data file");
  write("countries.csv", kCountries);
  EXPECT_EQ(load_error(), panel_path() + ": cannot open data file");
  try {
    PanelDataSource source((dir_ / "nowhere").string());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir_ / "nowhere").string() + ": data folder not found");
  }
}

// A country without the indicator gets NaN from data(): the compiler warns, unless the call
// gives a value for gaps, which then stands in.
TEST_F(PanelTest, DataWithoutAValueForGapsWarnsAboutACountryWithoutTheSeries) {
  write_both("iso3\nCOL\nVCT\n", "iso3,year,indicator,value\nCOL,2020,attacks,3\n");
  PanelDataSource source(dir_.string());
  const std::string head = "simulation start = 2020 stop = 2021\n"
                           "dimension country = table(\"countries\")\n";
  auto warned = engine::compile_text(head + "aux a[country] [1] = data(\"attacks\", 2020)\n",
                                     &source);
  EXPECT_THAT(warned.messages(),
              ::testing::HasSubstr("indicator 'attacks' has no values for 'VCT'"));
  auto filled =
      engine::compile_text(head + "aux a[country] [1] = data(\"attacks\", 2020, 0)\n", &source);
  EXPECT_TRUE(filled.ok());
  EXPECT_EQ(filled.messages(), "");
}

// The fixture other tests (and the CLI's end-to-end tests) use must itself load.
TEST(PanelFixture, MiniFolderLoads) {
  PanelDataSource source(std::string(LATWIN_SOURCE_DIR) + "/tests/data/mini");
  EXPECT_EQ(source.table_elements("countries", "", "").size(), 5u);
  EXPECT_FALSE(source.table_elements("countries", "subregion", "Andean").empty());
  EXPECT_FALSE(source.indicators().empty());
}

}  // namespace
}  // namespace latwin::data
