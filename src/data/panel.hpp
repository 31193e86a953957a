#pragma once
// The historical panel, read from a data folder:
//   DIR/panel.csv      iso3,year,indicator,value,flag,source   (one row per observation)
//   DIR/countries.csv  iso3,<any other columns, e.g. name, subregion>
// An empty value is a gap. Columns are found by name, so extra columns are allowed.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/inputs.hpp"

namespace latwin::data {

// Loads and checks the whole folder at construction; queries never touch the disk and are
// safe from several threads at once.
class PanelDataSource : public engine::DataSource {
 public:
  // Throws latwin::InputError "DIR/panel.csv:LINE: ..." for a missing file or column, a line
  // with the wrong number of fields, a year or value that is not a number, or a repeated
  // (iso3, year, indicator); likewise for countries.csv (first column must be iso3).
  explicit PanelDataSource(const std::string& dir);

  // Table "countries" only: iso3 codes in file order, those whose column equals value when
  // column is not empty. Throws latwin::InputError naming the file and the valid tables or
  // columns when table or column is unknown.
  std::vector<std::string> table_elements(const std::string& table, const std::string& column,
                                          const std::string& value) const override;
  // Indicator names, sorted.
  std::vector<std::string> indicators() const override;
  bool has_indicator(const std::string& indicator) const override;
  // Yearly values from the first to the last year the panel has a row for; NaN for gaps and
  // missing years. nullopt when the indicator has no row for element.
  std::optional<engine::Series> series(const std::string& indicator,
                                       const std::string& element) const override;

  const std::string& dir() const { return dir_; }

 private:
  void load_countries(const std::string& path);
  void load_panel(const std::string& path);

  std::string dir_;
  std::string countries_path_;
  std::vector<std::string> country_columns_;            // header of countries.csv
  std::vector<std::vector<std::string>> country_rows_;  // file order
  // indicator → iso3 → series
  std::map<std::string, std::map<std::string, engine::Series>> series_;
};

}  // namespace latwin::data
