// latwin data list | show | check | coverage, end to end. The check tests plant one fault
// each in a copy of tests/data/panel-v1 and expect exit code 1 and a "FILE:LINE: message"
// naming it.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace latwin::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const fs::path kFixture = fs::path(LATWIN_SOURCE_DIR) / "tests/data/panel-v1";

// Each test works on its own copy of the fixture, in folder "d" of its temporary folder.
class DataCliTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    fs::create_directories(dir_ / "d");
    for (const char* name : {"countries.csv", "panel.csv", "indicators.csv"}) {
      fs::copy_file(kFixture / name, dir_ / "d" / name);
    }
  }

  CliRun cli(const std::string& args) const { return run_cli(dir_, args); }

  std::vector<std::string> lines_of(const std::string& file) const {
    std::istringstream in(read(dir_ / "d" / file));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  void write_lines(const std::string& file, const std::vector<std::string>& lines) const {
    std::ofstream out(dir_ / "d" / file, std::ios::binary);
    for (const auto& line : lines) out << line << "\n";
  }
  // Replaces the first line of file that starts with prefix; returns its line number.
  std::size_t replace_line(const std::string& file, const std::string& prefix,
                           const std::string& text) const {
    std::vector<std::string> lines = lines_of(file);
    for (std::size_t idx = 0; idx < lines.size(); ++idx) {
      if (lines[idx].starts_with(prefix)) {
        lines[idx] = text;
        write_lines(file, lines);
        return idx + 1;
      }
    }
    ADD_FAILURE() << file << " has no line starting with " << prefix;
    return 0;
  }
  // Number of the first line of file that starts with prefix.
  std::size_t line_of(const std::string& file, const std::string& prefix) const {
    std::vector<std::string> lines = lines_of(file);
    for (std::size_t idx = 0; idx < lines.size(); ++idx) {
      if (lines[idx].starts_with(prefix)) return idx + 1;
    }
    ADD_FAILURE() << file << " has no line starting with " << prefix;
    return 0;
  }
  // Appends a line to file; returns its line number.
  std::size_t append_line(const std::string& file, const std::string& text) const {
    std::vector<std::string> lines = lines_of(file);
    lines.push_back(text);
    write_lines(file, lines);
    return lines.size();
  }

  // Runs data check and expects it to fail with a problem "d/FILE:LINE: ..." containing
  // message.
  void expect_problem(const std::string& file, std::size_t line, const std::string& message) {
    CliRun result = cli("data check --data d");
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    std::string location = fmt::format("d/{}:{}: ", file, line);
    std::istringstream in(result.err);
    for (std::string text; std::getline(in, text);) {
      if (text.starts_with(location) && text.find(message) != std::string::npos) return;
    }
    ADD_FAILURE() << "expected a line starting with '" << location << "' containing '" << message
                  << "' in:\n"
                  << result.err;
  }
};

const char* kPanelRow = "COL,2016,homicide_rate,";  // 25, observed, line 41

// ---- data check ----

TEST_F(DataCliTest, CheckOfTheFixtureIsOk) {
  CliRun result = cli("data check --data d");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ok: 4 indicators, 70 rows, 6 countries in d\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(DataCliTest, CheckFindsRowWithWrongFieldCount) {
  std::size_t line = replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observed");
  expect_problem("panel.csv", line, "expected 6 fields, found 5");
}

TEST_F(DataCliTest, CheckFindsUnterminatedQuote) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observed,\"synthetic");
  expect_problem("panel.csv", line, "unterminated quoted field");
}

TEST_F(DataCliTest, CheckFindsYearThatIsNotANumber) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,20x6,homicide_rate,25,observed,synthetic");
  expect_problem("panel.csv", line, "not a number: '20x6' (year)");
}

TEST_F(DataCliTest, CheckFindsValueThatIsNotANumber) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,2o5,observed,synthetic");
  expect_problem("panel.csv", line, "not a number: '2o5'");
}

TEST_F(DataCliTest, CheckFindsNonFiniteValue) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,inf,observed,synthetic");
  expect_problem("panel.csv", line, "not a number: 'inf'");
}

TEST_F(DataCliTest, CheckFindsDuplicateKey) {
  std::size_t first =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observed,synthetic_homicide");
  std::size_t line =
      append_line("panel.csv", "COL,2016,homicide_rate,26,observed,synthetic_homicide");
  expect_problem("panel.csv", line,
                 fmt::format("duplicate key COL 2016 homicide_rate (first on line {})", first));
}

TEST_F(DataCliTest, CheckFindsCountryNotInCountriesCsv) {
  std::size_t line = replace_line("panel.csv", "JAM,2015,homicide_rate,",
                                  "JAN,2015,homicide_rate,43,observed,synthetic_homicide");
  expect_problem("panel.csv", line,
                 "country 'JAN' is not in countries.csv (did you mean 'JAM'?) (1 row, first "
                 "here)");
}

TEST_F(DataCliTest, CheckFindsIndicatorNotInIndicatorsCsv) {
  std::size_t line = replace_line("panel.csv", "JAM,2015,homicide_rate,",
                                  "JAM,2015,homicide_rat,43,observed,synthetic_homicide");
  expect_problem("panel.csv", line,
                 "indicator 'homicide_rat' is not in indicators.csv (did you mean "
                 "'homicide_rate'?)");
}

TEST_F(DataCliTest, CheckFindsDictionaryEntryWithoutRows) {
  std::size_t line = append_line("indicators.csv",
                                 "migrant_stock,Migrant stock,people,migration,0,,0,0,"
                                 "synthetic,none,none,0,,,0,0");
  expect_problem("indicators.csv", line, "migrant_stock: no rows in panel.csv");
}

TEST_F(DataCliTest, CheckFindsValueBelowLowerBound) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,-1,observed,synthetic_homicide");
  expect_problem("panel.csv", line,
                 "homicide_rate COL 2016: value -1 is below the lower bound 0 (indicators.csv "
                 "line 4)");
}

TEST_F(DataCliTest, CheckFindsValueAboveUpperBound) {
  std::size_t line =
      replace_line("panel.csv", "CRI,2018,voice_accountability,",
                   "CRI,2018,voice_accountability,3.1,observed,synthetic_governance");
  expect_problem("panel.csv", line,
                 "voice_accountability CRI 2018: value 3.1 is above the upper bound 2.5");
}

TEST_F(DataCliTest, CheckFindsUnknownFlag) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observd,synthetic_homicide");
  expect_problem("panel.csv", line, "unknown flag 'observd' (did you mean 'observed'?)");
}

TEST_F(DataCliTest, CheckFindsEmptyFlag) {
  std::size_t line =
      replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,,synthetic_homicide");
  expect_problem("panel.csv", line, "empty flag (expected observed, derived,");
}

TEST_F(DataCliTest, CheckFindsEmptySource) {
  std::size_t line = replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observed,");
  expect_problem("panel.csv", line, "empty source");
}

TEST_F(DataCliTest, CheckFindsInterpolatedValueWithoutAValueAfterIt) {
  std::size_t line = replace_line("panel.csv", "COL,2020,homicide_rate,",
                                  "COL,2020,homicide_rate,23.8,interpolated,synthetic_homicide");
  expect_problem("panel.csv", line,
                 "homicide_rate COL 2020: interpolated value without an observed or derived "
                 "value after it");
}

TEST_F(DataCliTest, CheckFindsInterpolationOverTooLongAGap) {
  // PER 2017 and 2018 are interpolated between 2016 and 2019: a gap of 2 years.
  replace_line("indicators.csv", "gdp_per_capita,",
               "gdp_per_capita,GDP per capita,USD,economy,0,,1,2,synthetic_gdp,"
               "synthetic (no licence),none,5,2015,2020,19,6");
  expect_problem("panel.csv", line_of("panel.csv", "PER,2017,gdp_per_capita,"),
                 "gdp_per_capita PER 2017: interpolated value fills a gap of 2 missing years "
                 "(2017 to 2018), more than interpolate_max_gap = 1 (indicators.csv line 3)");
}

TEST_F(DataCliTest, CheckFindsValueCarriedForwardTooFar) {
  // JAM 2020 is carried 2 years past 2018.
  replace_line("indicators.csv", "gdp_per_capita,",
               "gdp_per_capita,GDP per capita,USD,economy,0,,3,1,synthetic_gdp,"
               "synthetic (no licence),none,5,2015,2020,19,6");
  std::size_t line = replace_line("panel.csv", "JAM,2020,gdp_per_capita,",
                                  "JAM,2020,gdp_per_capita,5350,carried_forward,synthetic_gdp");
  expect_problem("panel.csv", line,
                 "gdp_per_capita JAM 2020: carried_forward value is 2 years after the last "
                 "observed or derived value (2018), more than carry_forward_max = 1");
}

TEST_F(DataCliTest, CheckFindsInterpolatedValueOffTheLine) {
  // PER 2017 lies on the line from 2016 to 2019 at 6450; 6500 does not.
  std::size_t line = replace_line("panel.csv", "PER,2017,gdp_per_capita,",
                                  "PER,2017,gdp_per_capita,6500,interpolated,synthetic_gdp");
  expect_problem("panel.csv", line,
                 "gdp_per_capita PER 2017: interpolated value is 6500, but the straight line "
                 "between 2016 (6200) and 2019 (6950) gives 6450");
}

TEST_F(DataCliTest, CheckFindsCarriedValueThatDiffersFromTheLastValue) {
  std::size_t line = replace_line("panel.csv", "JAM,2019,gdp_per_capita,",
                                  "JAM,2019,gdp_per_capita,5400,carried_forward,synthetic_gdp");
  expect_problem("panel.csv", line,
                 "gdp_per_capita JAM 2019: carried_forward value is 5400, but the value it "
                 "carries forward (2018) is 5350");
}

TEST_F(DataCliTest, CheckFindsFilledValueWhenThePolicyIsNever) {
  replace_line("indicators.csv", "homicide_rate,",
               "homicide_rate,Homicides,per 100k people,security,0,,0,1,synthetic_homicide,"
               "synthetic (no licence),none,4,2015,2020,21,2");
  std::size_t line = replace_line("panel.csv", "COL,2017,homicide_rate,",
                                  "COL,2017,homicide_rate,24.8,interpolated,synthetic_homicide");
  expect_problem("panel.csv", line,
                 "homicide_rate COL 2017: interpolated value, but indicators.csv line 4 sets "
                 "interpolate_max_gap = 0 (never)");
}

TEST_F(DataCliTest, CheckFindsOutOfDateCoverageColumns) {
  std::size_t line =
      replace_line("indicators.csv", "homicide_rate,",
                   "homicide_rate,Homicides,per 100k people,security,0,,2,1,synthetic_homicide,"
                   "synthetic (no licence),none,5,2014,2020,22,2");
  expect_problem("indicators.csv", line,
                 "indicators.csv is out of date: for homicide_rate, countries is 5, the panel "
                 "has 4; first_year is 2014, the panel has 2015; observed is 22, the panel has "
                 "21");
}

TEST_F(DataCliTest, CheckFindsUnknownArea) {
  std::size_t line =
      replace_line("indicators.csv", "homicide_rate,",
                   "homicide_rate,Homicides,per 100k people,securty,0,,2,1,synthetic_homicide,"
                   "synthetic (no licence),none,4,2015,2020,21,2");
  expect_problem("indicators.csv", line,
                 "homicide_rate: unknown area 'securty' (did you mean 'security'?)");
}

TEST_F(DataCliTest, CheckFindsLowerBoundAboveUpperBound) {
  std::size_t line = replace_line(
      "indicators.csv", "bri_member,",
      "bri_member,BRI member,1 = member,alignment,1,0,0,0,synthetic_bri,synthetic (no licence),"
      "none,4,2017,2020,13,0");
  expect_problem("indicators.csv", line, "bri_member: lower bound 1 is above upper bound 0");
}

TEST_F(DataCliTest, CheckFindsDictionaryNumberThatIsNotANumber) {
  std::size_t line = replace_line(
      "indicators.csv", "bri_member,",
      "bri_member,BRI member,1 = member,alignment,0,1,two,0,synthetic_bri,synthetic (no licence),"
      "none,4,2017,2020,13,0");
  expect_problem("indicators.csv", line,
                 "interpolate_max_gap must be a whole number of years (0 or more), found 'two'");
}

TEST_F(DataCliTest, CheckFindsDuplicateCountry) {
  std::size_t line =
      append_line("countries.csv", "CRI,Costa Rica again,lac,Central America,,,,,,,,,,,false");
  expect_problem("countries.csv", line, "duplicate iso3 CRI (first on line 3)");
}

TEST_F(DataCliTest, CheckFindsUnknownKind) {
  std::size_t line = replace_line(
      "countries.csv", "JAM,",
      "JAM,Jamaica,lak,Caribbean,,member,1969,PRC,1972,member,2019,18.0,-76.8,10991,false");
  expect_problem("countries.csv", line,
                 "JAM: unknown kind 'lak' (did you mean 'lac'?) (expected lac or actor)");
}

TEST_F(DataCliTest, CheckFindsNeighbourThatIsNotARow) {
  std::size_t line = replace_line(
      "countries.csv", "COL,",
      "COL,Colombia,lac,South America,PER;ECU,member,1948,PRC,1980,,,4.6,-74.1,1141748,false");
  expect_problem("countries.csv", line, "COL: neighbour 'ECU' is not a row of countries.csv");
}

TEST_F(DataCliTest, CheckFindsNeighbourRelationThatIsNotSymmetric) {
  replace_line("countries.csv", "PER,",
               "PER,Peru,lac,South America,,member,1948,PRC,1971,member,2019,-12.0,-77.0,"
               "1285216,false");
  expect_problem("countries.csv", 2,
                 "COL lists PER as a neighbour, but PER (line 5) does not list COL");
}

TEST_F(DataCliTest, CheckFindsMissingFormatColumn) {
  std::vector<std::string> lines = lines_of("countries.csv");
  lines[0].replace(lines[0].find("landlocked"), 10, "land_locked");
  write_lines("countries.csv", lines);
  expect_problem("countries.csv", 1, "missing column landlocked (format v1 expects the header");
}

TEST_F(DataCliTest, CheckFindsMissingFile) {
  fs::remove(dir_ / "d" / "indicators.csv");
  CliRun result = cli("data check --data d");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("d/indicators.csv: cannot open data file"));
  fs::remove(dir_ / "d" / "panel.csv");
  result = cli("data check --data d");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("d/panel.csv: cannot open data file"));
}

TEST_F(DataCliTest, CheckOfAMissingFolderIsBadInput) {
  CliRun result = cli("data check --data nowhere");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("nowhere: data folder not found"));
}

TEST_F(DataCliTest, CheckListsEveryProblemSortedThenASummary) {
  replace_line("panel.csv", kPanelRow, "COL,2016,homicide_rate,25,observed,");
  replace_line("countries.csv", "JAM,",
               "JAM,Jamaica,lak,Caribbean,,member,1969,PRC,1972,member,2019,18.0,-76.8,10991,"
               "false");
  CliRun result = cli("data check --data d");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, StartsWith("d/countries.csv:4: JAM: unknown kind"));
  EXPECT_THAT(result.err, HasSubstr("\nd/panel.csv:41: empty source"));
  EXPECT_THAT(result.err, HasSubstr("\nd: 2 problems (1 in countries.csv, 1 in panel.csv)\n"));
}

TEST_F(DataCliTest, CheckCapsTheListAtFifty) {
  // 70 rows with an empty source.
  std::vector<std::string> lines = lines_of("panel.csv");
  for (std::size_t idx = 1; idx < lines.size(); ++idx) {
    lines[idx] = lines[idx].substr(0, lines[idx].rfind(',') + 1);
  }
  write_lines("panel.csv", lines);
  CliRun result = cli("data check --data d");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.err, HasSubstr("\n... and 20 more\nd: 70 problems (70 in panel.csv)\n"));
  EXPECT_THAT(result.err, HasSubstr("d/panel.csv:51: empty source"));
  EXPECT_THAT(result.err, Not(HasSubstr("d/panel.csv:52: empty source")));
}

// ---- data list ----

TEST_F(DataCliTest, ListShowsOneAlignedLinePerIndicator) {
  CliRun result = cli("data list --data d");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("indicator             area        unit             "
                                     "countries  years      observed  filled  name\n"));
  EXPECT_THAT(result.out, HasSubstr("\nhomicide_rate         security    per 100k people          "
                                    "4  2015-2020        21       2  Intentional homicides, "
                                    "per 100,000 people\n"));
  EXPECT_THAT(result.out, HasSubstr("\n4 indicators."));
}

TEST_F(DataCliTest, ListFiltersByArea) {
  CliRun result = cli("data list --data d --area governance");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("voice_accountability"));
  EXPECT_THAT(result.out, Not(HasSubstr("homicide_rate")));
  EXPECT_THAT(result.out, HasSubstr("1 indicator in area governance."));
  result = cli("data list --data d --area soft_power");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("No indicators in area soft power"));
}

TEST_F(DataCliTest, ListUnknownAreaSuggestsOne) {
  CliRun result = cli("data list --data d --area securty");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--area 'securty': unknown area (did you mean 'security'?)"));
}

TEST_F(DataCliTest, ListNeedsIndicatorsCsv) {
  fs::remove(dir_ / "d" / "indicators.csv");
  CliRun result = cli("data list --data d");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("d/indicators.csv: cannot open data file"));
}

// ---- data show ----

TEST_F(DataCliTest, ShowTableMarksFilledValuesAndGaps) {
  CliRun result = cli("data show gdp_per_capita --data d");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "gdp_per_capita: GDP per capita (USD)\n"
            "\n"
            "year   COL     CRI    JAM    PER     USA\n"
            "2015  6175   11600      .   6230       .\n"
            "2016  5870   11850   4900   6200       .\n"
            "2017  6377   12100   5050   6450i      .\n"
            "2018  6730   12450   5350   6700i      .\n"
            "2019  6425   12650   5350c  6950   65100\n"
            "2020  6425c  12100   5350c  6950c  63500\n"
            "\n"
            "i = interpolated, c = carried forward (filled by the data build, not observed); "
            ". = no value\n");
}

TEST_F(DataCliTest, ShowObservedOnlyHidesFilledValues) {
  CliRun result = cli("data show gdp_per_capita --data d --country PER,JAM --observed-only");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("year   PER    JAM\n"
                                    "2015  6230      .\n"
                                    "2016  6200   4900\n"
                                    "2017     .   5050\n"
                                    "2018     .   5350\n"
                                    "2019  6950      .\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("2020")));
  EXPECT_THAT(result.out, Not(HasSubstr("i = interpolated")));
}

TEST_F(DataCliTest, ShowCsvIsTidy) {
  CliRun result = cli("data show gdp_per_capita --data d --country per --years 2016:2020 --csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "iso3,year,value,flag\n"
            "PER,2016,6200,observed\n"
            "PER,2017,6450,interpolated\n"
            "PER,2018,6700,interpolated\n"
            "PER,2019,6950,observed\n"
            "PER,2020,6950,carried_forward\n");
  result =
      cli("data show homicide_rate --data d --country PER --csv --observed-only --years :2016");
  EXPECT_EQ(result.out,
            "iso3,year,value,flag\n"
            "PER,2015,7.2,derived\n"
            "PER,2016,7.7,derived\n");
}

TEST_F(DataCliTest, ShowUnknownIndicatorSuggestsOne) {
  CliRun result = cli("data show homicde_rate --data d");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err,
              HasSubstr("unknown indicator 'homicde_rate' (did you mean 'homicide_rate'?)"));
}

TEST_F(DataCliTest, ShowUnknownCountrySuggestsOne) {
  CliRun result = cli("data show homicide_rate --data d --country COL --country JAN");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--country 'JAN': unknown country (did you mean 'JAM'?)"));
}

TEST_F(DataCliTest, ShowBadYearsIsAClearError) {
  for (const char* years : {"2020:2010", "2010-2020", "abc", "2010:20x0"}) {
    CliRun result = cli(fmt::format("data show homicide_rate --data d --years '{}'", years));
    EXPECT_EQ(result.exit_code, 2) << years;
    EXPECT_THAT(result.err, HasSubstr(fmt::format("--years '{}': expected FIRST:LAST", years)));
  }
}

TEST_F(DataCliTest, ShowCountryWithoutValuesSaysSo) {
  CliRun result = cli("data show voice_accountability --data d --country USA");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "voice_accountability has no values for USA.\n");
}

// ---- data coverage ----

TEST_F(DataCliTest, CoverageWritesTheMatrix) {
  CliRun result = cli("data coverage --data d --out coverage.csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, StartsWith("Wrote coverage.csv: 6 countries x 4 indicators"));
  EXPECT_EQ(read(dir_ / "coverage.csv"),
            "iso3,bri_member,gdp_per_capita,homicide_rate,voice_accountability\n"
            "COL,1.000,0.833,0.833,0.600\n"
            "CRI,1.000,1.000,1.000,0.600\n"
            "JAM,0.500,0.500,1.000,0.000\n"
            "PER,0.750,0.500,0.667,0.600\n"
            "USA,0.000,0.333,0.000,0.000\n"
            "CHN,0.000,0.000,0.000,0.000\n");
}

TEST_F(DataCliTest, CoverageNeedsOut) {
  CliRun result = cli("data coverage --data d");
  EXPECT_NE(result.exit_code, 0);
  EXPECT_THAT(result.err, HasSubstr("--out"));
}

// ---- --as-of: the panel as known at the end of a year ----

TEST_F(DataCliTest, ShowAsOfAYearFillsGapsOnlyFromWhatWasKnownThen) {
  // PER 2017 was interpolated toward 2019's 6950; as of 2017 that value is unknown, so 2016's
  // 6200 is carried forward instead. Nothing after 2017 is shown.
  CliRun result = cli("data show gdp_per_capita --data d --as-of 2017");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "gdp_per_capita: GDP per capita (USD)\n"
            "As known at the end of 2017: the values of 2017 and before, gaps filled again from "
            "them\n"
            "alone (pseudo-real-time: today's figures for those years, not those first "
            "published).\n"
            "\n"
            "year   COL     CRI    JAM    PER\n"
            "2015  6175   11600      .   6230\n"
            "2016  5870   11850   4900   6200\n"
            "2017  6377   12100   5050   6200c\n"
            "\n"
            "i = interpolated, c = carried forward (filled by the gap policy as of 2017, not "
            "observed); . = no value\n");
  result = cli("data show gdp_per_capita --data d --country PER --as-of 2017 --csv");
  EXPECT_EQ(result.out,
            "iso3,year,value,flag\n"
            "PER,2015,6230,observed\n"
            "PER,2016,6200,observed\n"
            "PER,2017,6200,carried_forward\n");
}

TEST_F(DataCliTest, ShowAsOfTheLastYearIsThePanelAsBuilt) {
  for (const char* indicator :
       {"bri_member", "gdp_per_capita", "homicide_rate", "voice_accountability"}) {
    CliRun built = cli(fmt::format("data show {} --data d --csv", indicator));
    CliRun vintage = cli(fmt::format("data show {} --data d --csv --as-of 2020", indicator));
    ASSERT_EQ(vintage.exit_code, 0) << vintage.err;
    EXPECT_EQ(vintage.out, built.out) << indicator;
  }
}

TEST_F(DataCliTest, ShowAsOfAYearBeforeAnyValueSaysSo) {
  CliRun result = cli("data show voice_accountability --data d --as-of 2015");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "voice_accountability has no values for any country as of 2015.\n");
}

TEST_F(DataCliTest, AsOfAYearOutsideThePanelNamesTheRange) {
  for (const char* command : {"show gdp_per_capita", "list", "coverage --out c.csv"}) {
    for (int year : {2014, 2021}) {
      CliRun result = cli(fmt::format("data {} --data d --as-of {}", command, year));
      EXPECT_EQ(result.exit_code, 2) << command;
      EXPECT_THAT(result.err,
                  HasSubstr(fmt::format("--as-of {}: the panel in d holds the years 2015 to "
                                        "2020; give a year in that range",
                                        year)))
          << command;
    }
  }
  EXPECT_FALSE(fs::exists(dir_ / "c.csv"));
}

TEST_F(DataCliTest, AsOfNeedsIndicatorsCsvForTheGapPolicy) {
  fs::remove(dir_ / "d" / "indicators.csv");
  CliRun result = cli("data show gdp_per_capita --data d --as-of 2017");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("d/indicators.csv: cannot take the panel as of 2017 "
                                    "without indicators.csv: its gap policy"));
}

TEST_F(DataCliTest, ListAsOfAYearCountsTheVintage) {
  CliRun result = cli("data list --data d --as-of 2016");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\nbri_member            alignment   1 = member               "
                                    "0  -                 0       0  Member"));
  EXPECT_THAT(result.out, HasSubstr("\nhomicide_rate         security    per 100k people          "
                                    "4  2015-2016         8       0  Intentional"));
  EXPECT_THAT(result.out, HasSubstr("As known at the end of 2016"));
}

TEST_F(DataCliTest, CoverageAsOfAYearCountsValuesUpToIt) {
  CliRun result = cli("data coverage --data d --as-of 2016 --out coverage.csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("observed or derived value up to 2016."));
  // Each indicator's span is now its years up to 2016 (gdp 2015-2016, voice 2016 alone).
  EXPECT_EQ(read(dir_ / "coverage.csv"),
            "iso3,bri_member,gdp_per_capita,homicide_rate,voice_accountability\n"
            "COL,0.000,1.000,1.000,1.000\n"
            "CRI,0.000,1.000,1.000,1.000\n"
            "JAM,0.000,0.500,1.000,0.000\n"
            "PER,0.000,1.000,1.000,1.000\n"
            "USA,0.000,0.000,0.000,0.000\n"
            "CHN,0.000,0.000,0.000,0.000\n");
}

// ---- the default data folder ----

TEST_F(DataCliTest, DefaultDataFolderIsDotDataThenTheProjectFolder) {
  // No ./data and no project folder: a clear error.
  CliRun none = cli("data check");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("no data folder"));
  EXPECT_THAT(none.err, HasSubstr("--data DIR"));
  // The project folder when ./data has no panel.csv.
  CliRun project = run_cli(dir_, "data check", (dir_ / "d").string());
  EXPECT_EQ(project.exit_code, 0) << project.err;
  EXPECT_THAT(project.out, HasSubstr((dir_ / "d").string()));
  // ./data first.
  fs::copy(fs::path(LATWIN_SOURCE_DIR) / "tests/data/mini", dir_ / "data");
  CliRun local = run_cli(dir_, "data check", (dir_ / "d").string());
  EXPECT_EQ(local.exit_code, 0) << local.err;
  EXPECT_EQ(local.out, "ok: 2 indicators, 39 rows, 5 countries in data\n");
}

TEST_F(DataCliTest, HelpNamesTheDefaultDataFolder) {
  CliRun result = run_cli(dir_, "data check --help", "/some/project/data");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("project's data folder"));
  EXPECT_THAT(result.out, HasSubstr("/some/project/data"));
}

}  // namespace
}  // namespace latwin::test
