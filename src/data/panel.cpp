#include "data/panel.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>

#include "core/error.hpp"
#include "data/csv.hpp"
#include "engine/lang/source.hpp"

namespace latwin::data {

namespace {

// Years a panel may hold. Bounds keep a typo ("20200") from allocating a huge series.
constexpr int kMinYear = 1000;
constexpr int kMaxYear = 3000;

// Index of the column named name in header; -1 when absent.
int column_index(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

std::string unknown_name_hint(const std::string& name, const std::vector<std::string>& valid) {
  std::string close = lang::closest_name(name, valid);
  return close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close);
}

// Header fields, trimmed; throws when a column name repeats.
std::vector<std::string> read_header(CsvReader& reader) {
  std::vector<std::string> header;
  if (!reader.next(header)) throw InputError(fmt::format("{}: empty file", reader.name()));
  for (auto& name : header) name = std::string(trim(name));
  std::set<std::string> seen;
  for (const auto& name : header) {
    if (!seen.insert(name).second) {
      throw InputError(fmt::format("{}:{}: column '{}' appears twice in the header", reader.name(),
                                   reader.line(), name));
    }
  }
  return header;
}

void check_field_count(const CsvReader& reader, std::size_t expected, std::size_t found) {
  if (found != expected) {
    throw InputError(fmt::format("{}:{}: expected {} fields, found {}", reader.name(),
                                 reader.line(), expected, found));
  }
}

}  // namespace

PanelDataSource::PanelDataSource(const std::string& dir) : dir_(dir) {
  if (!std::filesystem::is_directory(dir)) {
    throw InputError(fmt::format("{}: data folder not found", dir));
  }
  countries_path_ = (std::filesystem::path(dir) / "countries.csv").string();
  load_countries(countries_path_);
  load_panel((std::filesystem::path(dir) / "panel.csv").string());
}

void PanelDataSource::load_countries(const std::string& path) {
  std::string text = read_text_file(path);
  CsvReader reader(text, path);
  country_columns_ = read_header(reader);
  if (country_columns_.empty() || country_columns_[0] != "iso3") {
    throw InputError(fmt::format("{}:{}: the first column must be 'iso3', found '{}'", path,
                                 reader.line(),
                                 country_columns_.empty() ? "" : country_columns_[0]));
  }
  std::map<std::string, std::size_t> first_line;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    check_field_count(reader, country_columns_.size(), fields.size());
    for (auto& field : fields) field = std::string(trim(field));
    if (fields[0].empty()) {
      throw InputError(fmt::format("{}:{}: empty iso3 code", path, reader.line()));
    }
    auto [it, inserted] = first_line.emplace(fields[0], reader.line());
    if (!inserted) {
      throw InputError(fmt::format("{}:{}: duplicate iso3 {} (first on line {})", path,
                                   reader.line(), fields[0], it->second));
    }
    country_rows_.push_back(fields);
  }
}

void PanelDataSource::load_panel(const std::string& path) {
  std::string text = read_text_file(path);
  CsvReader reader(text, path);
  std::vector<std::string> header = read_header(reader);
  int iso3_col = -1, year_col = -1, indicator_col = -1, value_col = -1;
  const std::pair<const char*, int*> required[] = {{"iso3", &iso3_col},
                                                   {"year", &year_col},
                                                   {"indicator", &indicator_col},
                                                   {"value", &value_col}};
  for (auto [name, col] : required) {
    *col = column_index(header, name);
    if (*col < 0) {
      throw InputError(fmt::format("{}:{}: missing column '{}' (the header has: {})", path,
                                   reader.line(), name, fmt::join(header, ", ")));
    }
  }

  // Observations by (indicator, iso3) → year → (value, line), gathered before building series.
  struct Obs {
    double value;
    std::size_t line;
  };
  std::map<std::pair<std::string, std::string>, std::map<int, Obs>> rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) {
    check_field_count(reader, header.size(), fields.size());
    std::string iso3(trim(fields[iso3_col]));
    std::string indicator(trim(fields[indicator_col]));
    std::string_view year_text = trim(fields[year_col]);
    std::string_view value_text = trim(fields[value_col]);
    if (iso3.empty() || indicator.empty()) {
      throw InputError(fmt::format("{}:{}: empty {}", path, reader.line(),
                                   iso3.empty() ? "iso3 code" : "indicator name"));
    }
    int year = 0;
    auto year_end = year_text.data() + year_text.size();
    auto [year_ptr, year_ec] = std::from_chars(year_text.data(), year_end, year);
    if (year_ec != std::errc() || year_ptr != year_end || year_text.empty()) {
      throw InputError(
          fmt::format("{}:{}: not a number: '{}' (year)", path, reader.line(), year_text));
    }
    if (year < kMinYear || year > kMaxYear) {
      throw InputError(fmt::format("{}:{}: year {} is outside {} to {}", path, reader.line(), year,
                                   kMinYear, kMaxYear));
    }
    double value = std::numeric_limits<double>::quiet_NaN();
    if (!value_text.empty()) {
      auto value_end = value_text.data() + value_text.size();
      auto [value_ptr, value_ec] = std::from_chars(value_text.data(), value_end, value);
      // "nan" and "inf" parse, but a gap is an empty field and data must be finite.
      if (value_ec != std::errc() || value_ptr != value_end || !std::isfinite(value)) {
        throw InputError(fmt::format("{}:{}: not a number: '{}'", path, reader.line(), value_text));
      }
    }
    auto& by_year = rows[{indicator, iso3}];
    auto [it, inserted] = by_year.emplace(year, Obs{value, reader.line()});
    if (!inserted) {
      throw InputError(fmt::format("{}:{}: duplicate key {} {} {} (first on line {})", path,
                                   reader.line(), iso3, year, indicator, it->second.line));
    }
  }

  // One series per (indicator, iso3), spanning its first to last year.
  for (const auto& [key, by_year] : rows) {
    engine::Series series;
    series.first_year = by_year.begin()->first;
    int last_year = by_year.rbegin()->first;
    series.values.assign(static_cast<std::size_t>(last_year - series.first_year) + 1,
                         std::numeric_limits<double>::quiet_NaN());
    for (const auto& [year, obs] : by_year) {
      series.values[static_cast<std::size_t>(year - series.first_year)] = obs.value;
    }
    series_[key.first][key.second] = std::move(series);
  }
}

std::vector<std::string> PanelDataSource::table_elements(const std::string& table,
                                                         const std::string& column,
                                                         const std::string& value) const {
  if (table != "countries") {
    throw InputError(fmt::format(
        "{}: unknown data table '{}'{}; the data folder has one table: countries (countries.csv)",
        (std::filesystem::path(dir_) / (table + ".csv")).string(), table,
        unknown_name_hint(table, {"countries"})));
  }
  std::vector<std::string> elements;
  if (column.empty()) {
    for (const auto& row : country_rows_) elements.push_back(row[0]);
    return elements;
  }
  int col = column_index(country_columns_, column);
  if (col < 0) {
    throw InputError(fmt::format("{}: unknown column '{}'{}; the columns are: {}", countries_path_,
                                 column, unknown_name_hint(column, country_columns_),
                                 fmt::join(country_columns_, ", ")));
  }
  for (const auto& row : country_rows_) {
    if (row[col] == value) elements.push_back(row[0]);
  }
  return elements;
}

std::vector<std::string> PanelDataSource::indicators() const {
  std::vector<std::string> names;
  names.reserve(series_.size());
  for (const auto& [name, by_iso3] : series_) names.push_back(name);
  return names;
}

bool PanelDataSource::has_indicator(const std::string& indicator) const {
  return series_.contains(indicator);
}

std::optional<engine::Series> PanelDataSource::series(const std::string& indicator,
                                                      const std::string& element) const {
  auto by_indicator = series_.find(indicator);
  if (by_indicator == series_.end()) return std::nullopt;
  auto it = by_indicator->second.find(element);
  if (it == by_indicator->second.end()) return std::nullopt;
  return it->second;
}

}  // namespace latwin::data
