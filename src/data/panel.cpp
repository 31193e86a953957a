#include "data/panel.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <utility>

#include "core/error.hpp"
#include "data/csv.hpp"
#include "data/gap_policy.hpp"
#include "engine/lang/source.hpp"

namespace latwin::data {

namespace {

namespace fs = std::filesystem;

// Years a panel may hold. Bounds keep a typo ("20200") from allocating a huge series.
constexpr int kMinYear = 1000;
constexpr int kMaxYear = 3000;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// "a,b,c" → {"a", "b", "c"}.
std::vector<std::string> split_header(std::string_view header) {
  std::vector<std::string> names;
  while (true) {
    std::size_t comma = header.find(',');
    names.emplace_back(header.substr(0, comma));
    if (comma == std::string_view::npos) return names;
    header.remove_prefix(comma + 1);
  }
}

// Headers of format v1 (docs/data.md). The loader needs only some of these columns;
// `latwin data check` needs them all.
const std::vector<std::string> kCountryColumns = split_header(
    "iso3,name,kind,subregion,neighbours,oas_status,oas_status_since,recognizes,"
    "recognition_since,bri_status,bri_year,latitude,longitude,area_km2,landlocked");
const std::vector<std::string> kPanelColumns =
    split_header("iso3,year,indicator,value,flag,source");
const std::vector<std::string> kIndicatorColumns = split_header(
    "id,name,unit,area,lower,upper,interpolate_max_gap,carry_forward_max,source,licence,"
    "transformation,countries,first_year,last_year,observed,filled");

const char* kFlagNames = "observed, derived, interpolated or carried_forward";

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

// The whole of text as an int; nullopt for anything else.
std::optional<int> parse_int(std::string_view text) {
  int number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return number;
}

// The whole of text as a finite double; nullopt for anything else ("nan" and "inf" parse,
// but data must be finite and a gap is an empty field).
std::optional<double> parse_finite(std::string_view text) {
  double number = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, number);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(number)) {
    return std::nullopt;
  }
  return number;
}

// A CsvReader error ("FILE:LINE: message") as a problem of file.
DataProblem problem_from_error(const std::string& file, const InputError& error) {
  std::string_view text = error.what();
  DataProblem problem{file, 0, std::string(text)};
  if (!text.starts_with(file + ":")) return problem;
  text.remove_prefix(file.size() + 1);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::optional<int> line = parse_int(text.substr(0, digits));
  if (line && text.substr(digits).starts_with(": ")) {
    problem.line = static_cast<std::size_t>(*line);
    problem.message = std::string(text.substr(digits + 2));
  } else if (text.starts_with(" ")) {
    problem.message = std::string(text.substr(1));
  }
  return problem;
}

}  // namespace

// ---- Flags ----

std::string_view to_string(Flag flag) {
  switch (flag) {
    case Flag::kObserved:
      return "observed";
    case Flag::kDerived:
      return "derived";
    case Flag::kInterpolated:
      return "interpolated";
    case Flag::kCarriedForward:
      return "carried_forward";
  }
  return "observed";
}

const std::vector<std::string>& indicator_areas() {
  static const std::vector<std::string> kAreas = {"security",  "governance", "economy",
                                                  "migration", "alignment",  "soft power",
                                                  "capacity",  "engagement"};
  return kAreas;
}

std::optional<Flag> parse_flag(std::string_view text) {
  for (Flag flag : {Flag::kObserved, Flag::kDerived, Flag::kInterpolated, Flag::kCarriedForward}) {
    if (text == to_string(flag)) return flag;
  }
  return std::nullopt;
}

std::optional<double> PanelSeries::at(int year) const {
  if (year < first_year || year > last_year()) return std::nullopt;
  double value = values[static_cast<std::size_t>(year - first_year)];
  if (std::isnan(value)) return std::nullopt;
  return value;
}

std::string DataProblem::text() const {
  if (file.empty()) return message;
  if (line == 0) return fmt::format("{}: {}", file, message);
  return fmt::format("{}:{}: {}", file, line, message);
}

// ---- countries.csv ----

std::vector<std::string> CountryTable::iso3() const {
  std::vector<std::string> codes;
  codes.reserve(rows_.size());
  for (const auto& row : rows_) codes.push_back(row[0]);
  return codes;
}

std::optional<std::string> CountryTable::field(const std::string& iso3,
                                               const std::string& column) const {
  auto row = index_.find(iso3);
  int col = column_index(columns_, column);
  if (row == index_.end() || col < 0) return std::nullopt;
  return rows_[row->second][static_cast<std::size_t>(col)];
}

std::vector<std::string> CountryTable::where(const std::string& column,
                                             const std::string& value) const {
  int col = column_index(columns_, column);
  if (col < 0) {
    throw InputError(fmt::format("{}: unknown column '{}'{}; the columns are: {}", path_, column,
                                 unknown_name_hint(column, columns_), fmt::join(columns_, ", ")));
  }
  std::vector<std::string> codes;
  for (const auto& row : rows_) {
    if (row[static_cast<std::size_t>(col)] == value) codes.push_back(row[0]);
  }
  return codes;
}

std::vector<std::string> CountryTable::neighbours(const std::string& iso3) const {
  std::vector<std::string> codes;
  std::optional<std::string> text = field(iso3, "neighbours");
  if (!text) return codes;
  std::string_view rest = *text;
  while (!rest.empty()) {
    std::size_t end = rest.find(';');
    std::string_view code = trim(rest.substr(0, end));
    if (!code.empty()) codes.emplace_back(code);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return codes;
}

std::size_t CountryTable::line(const std::string& iso3) const {
  auto row = index_.find(iso3);
  return row == index_.end() ? 0 : lines_[row->second];
}

// ---- Reading the files ----

// Reads the three files into a Panel. A strict reader (no problem list) throws at the first
// problem that would make the data wrong and ignores those it can read through (an empty
// flag); a checking reader records both kinds, skips bad rows and goes on.
class Panel::Reader {
 public:
  Reader(Panel& panel, std::vector<DataProblem>* problems) : panel_(panel), problems_(problems) {}

  void read_countries();
  void read_dictionary(Dictionary dictionary);
  void read_panel();

 private:
  bool checking() const { return problems_ != nullptr; }
  // A problem that stops a strict load.
  void error(const std::string& file, std::size_t line, std::string message) {
    DataProblem problem{file, line, std::move(message)};
    if (!checking()) throw InputError(problem.text());
    problems_->push_back(std::move(problem));
  }
  // A problem a strict load reads through; only `data check` reports it.
  void note(const std::string& file, std::size_t line, std::string message) {
    if (checking()) problems_->push_back({file, line, std::move(message)});
  }
  // The file's text; nullopt (after recording the problem) when it cannot be read.
  std::optional<std::string> read_file(const std::string& path);
  // Header fields, trimmed; nullopt (after recording the problem) when the file is empty.
  std::optional<std::vector<std::string>> read_header(CsvReader& reader);
  // Records the format v1 columns that header lacks; true when none is missing.
  bool has_columns(const CsvReader& reader, const std::vector<std::string>& header,
                   const std::vector<std::string>& expected);
  bool field_count_ok(const CsvReader& reader, std::size_t expected, std::size_t found) {
    if (found == expected) return true;
    error(reader.name(), reader.line(),
          fmt::format("expected {} fields, found {}", expected, found));
    return false;
  }
  // Reads every record after the header; a CSV syntax error ends the file.
  template <typename RowFn>
  void for_each_row(CsvReader& reader, RowFn&& row_fn);

  Panel& panel_;
  std::vector<DataProblem>* problems_;
};

std::optional<std::string> Panel::Reader::read_file(const std::string& path) {
  try {
    return read_text_file(path);
  } catch (const InputError& e) {
    if (!checking()) throw;
    problems_->push_back(problem_from_error(path, e));
    return std::nullopt;
  }
}

std::optional<std::vector<std::string>> Panel::Reader::read_header(CsvReader& reader) {
  std::vector<std::string> header;
  try {
    if (!reader.next(header)) {
      error(reader.name(), 0, "empty file");
      return std::nullopt;
    }
  } catch (const InputError& e) {
    if (!checking()) throw;
    problems_->push_back(problem_from_error(reader.name(), e));
    return std::nullopt;
  }
  for (auto& name : header) name = std::string(trim(name));
  std::set<std::string> seen;
  for (const auto& name : header) {
    if (!seen.insert(name).second) {
      error(reader.name(), reader.line(),
            fmt::format("column '{}' appears twice in the header", name));
    }
  }
  return header;
}

bool Panel::Reader::has_columns(const CsvReader& reader, const std::vector<std::string>& header,
                                const std::vector<std::string>& expected) {
  std::vector<std::string> missing;
  for (const auto& name : expected) {
    if (column_index(header, name) < 0) missing.push_back(name);
  }
  if (missing.empty()) return true;
  error(reader.name(), reader.line(),
        fmt::format("missing column{} {} (format v1 expects the header {})",
                    missing.size() == 1 ? "" : "s", fmt::join(missing, ", "),
                    fmt::join(expected, ",")));
  return false;
}

template <typename RowFn>
void Panel::Reader::for_each_row(CsvReader& reader, RowFn&& row_fn) {
  std::vector<std::string> fields;
  while (true) {
    try {
      if (!reader.next(fields)) return;
    } catch (const InputError& e) {
      if (!checking()) throw;
      problems_->push_back(problem_from_error(reader.name(), e));
      return;
    }
    for (auto& field : fields) field = std::string(trim(field));
    row_fn(fields);
  }
}

void Panel::Reader::read_countries() {
  CountryTable& table = panel_.countries_;
  table.path_ = panel_.path("countries.csv");
  std::optional<std::string> text = read_file(table.path_);
  if (!text) return;
  CsvReader reader(*text, table.path_);
  std::optional<std::vector<std::string>> header = read_header(reader);
  if (!header) return;
  if (header->empty() || (*header)[0] != "iso3") {
    error(table.path_, reader.line(),
          fmt::format("the first column must be 'iso3', found '{}'",
                      header->empty() ? "" : (*header)[0]));
    return;
  }
  if (checking()) has_columns(reader, *header, kCountryColumns);
  table.columns_ = *header;
  for_each_row(reader, [&](std::vector<std::string>& fields) {
    if (!field_count_ok(reader, table.columns_.size(), fields.size())) return;
    if (fields[0].empty()) {
      error(table.path_, reader.line(), "empty iso3 code");
      return;
    }
    auto [it, inserted] = table.index_.emplace(fields[0], table.rows_.size());
    if (!inserted) {
      error(
          table.path_, reader.line(),
          fmt::format("duplicate iso3 {} (first on line {})", fields[0], table.lines_[it->second]));
      return;
    }
    table.rows_.push_back(std::move(fields));
    table.lines_.push_back(reader.line());
  });
}

void Panel::Reader::read_dictionary(Dictionary dictionary) {
  std::string path = panel_.path("indicators.csv");
  std::error_code ignored;
  if (dictionary == Dictionary::kOptional && !checking() && !fs::exists(path, ignored)) return;
  std::optional<std::string> text = read_file(path);
  if (!text) return;
  CsvReader reader(*text, path);
  std::optional<std::vector<std::string>> header = read_header(reader);
  if (!header || !has_columns(reader, *header, kIndicatorColumns)) return;
  panel_.has_dictionary_ = true;
  std::vector<int> col;
  for (const auto& name : kIndicatorColumns) col.push_back(column_index(*header, name));

  for_each_row(reader, [&](std::vector<std::string>& fields) {
    if (!field_count_ok(reader, header->size(), fields.size())) return;
    std::size_t line = reader.line();
    auto field = [&](std::size_t idx) -> const std::string& {
      return fields[static_cast<std::size_t>(col[idx])];
    };
    // Numbers: a bad one is reported and read as its default, so the entry still exists.
    auto bound = [&](std::size_t idx) -> std::optional<double> {
      if (field(idx).empty()) return std::nullopt;
      std::optional<double> number = parse_finite(field(idx));
      if (!number) {
        error(path, line,
              fmt::format("{} is not a number: '{}' (leave it empty for no bound)",
                          kIndicatorColumns[idx], field(idx)));
      }
      return number;
    };
    auto count = [&](std::size_t idx, const char* what) -> int {
      std::optional<int> number = parse_int(field(idx));
      if (!number || *number < 0) {
        error(path, line,
              fmt::format("{} must be a whole number of {} (0 or more), found '{}'",
                          kIndicatorColumns[idx], what, field(idx)));
        return 0;
      }
      return *number;
    };
    auto year = [&](std::size_t idx) -> std::optional<int> {
      if (field(idx).empty()) return std::nullopt;
      std::optional<int> number = parse_int(field(idx));
      if (!number) {
        error(path, line,
              fmt::format("{} is not a year: '{}'", kIndicatorColumns[idx], field(idx)));
      }
      return number;
    };

    Indicator entry;
    entry.id = field(0);
    if (entry.id.empty()) {
      error(path, line, "empty indicator id");
      return;
    }
    entry.name = field(1);
    entry.unit = field(2);
    entry.area = field(3);
    entry.lower = bound(4);
    entry.upper = bound(5);
    entry.interpolate_max_gap = count(6, "years");
    entry.carry_forward_max = count(7, "years");
    entry.source = field(8);
    entry.licence = field(9);
    entry.transformation = field(10);
    entry.countries = count(11, "countries");
    entry.first_year = year(12);
    entry.last_year = year(13);
    entry.observed = static_cast<std::size_t>(count(14, "rows"));
    entry.filled = static_cast<std::size_t>(count(15, "rows"));
    entry.line = line;
    auto [it, inserted] = panel_.dictionary_index_.emplace(entry.id, panel_.dictionary_.size());
    if (!inserted) {
      error(path, line,
            fmt::format("duplicate indicator id {} (first on line {})", entry.id,
                        panel_.dictionary_[it->second].line));
      return;
    }
    panel_.dictionary_.push_back(std::move(entry));
  });
}

void Panel::Reader::read_panel() {
  std::string path = panel_.path("panel.csv");
  std::optional<std::string> text = read_file(path);
  if (!text) return;
  CsvReader reader(*text, path);
  std::optional<std::vector<std::string>> header = read_header(reader);
  if (!header) return;
  // The loader needs the first four columns; without flag every value reads as observed.
  for (std::size_t idx = 0; idx < 4; ++idx) {
    if (column_index(*header, kPanelColumns[idx]) < 0) {
      error(path, reader.line(),
            fmt::format("missing column '{}' (the header has: {})", kPanelColumns[idx],
                        fmt::join(*header, ", ")));
      return;
    }
  }
  // data check wants flag and source too; the rows can still be read without them.
  if (checking()) has_columns(reader, *header, kPanelColumns);
  const int iso3_col = column_index(*header, "iso3");
  const int year_col = column_index(*header, "year");
  const int indicator_col = column_index(*header, "indicator");
  const int value_col = column_index(*header, "value");
  const int flag_col = column_index(*header, "flag");
  const int source_col = column_index(*header, "source");

  // Rows by (indicator, iso3) → year, gathered before building series.
  struct Row {
    double value;
    Flag flag;
    std::size_t line;
  };
  std::map<std::pair<std::string, std::string>, std::map<int, Row>> rows;
  for_each_row(reader, [&](std::vector<std::string>& fields) {
    if (!field_count_ok(reader, header->size(), fields.size())) return;
    ++panel_.row_count_;
    const std::size_t line = reader.line();
    const std::string& iso3 = fields[static_cast<std::size_t>(iso3_col)];
    const std::string& indicator = fields[static_cast<std::size_t>(indicator_col)];
    const std::string& year_text = fields[static_cast<std::size_t>(year_col)];
    const std::string& value_text = fields[static_cast<std::size_t>(value_col)];
    if (iso3.empty() || indicator.empty()) {
      error(path, line, fmt::format("empty {}", iso3.empty() ? "iso3 code" : "indicator name"));
      return;
    }
    std::optional<int> year = parse_int(year_text);
    if (!year) {
      error(path, line, fmt::format("not a number: '{}' (year)", year_text));
      return;
    }
    if (*year < kMinYear || *year > kMaxYear) {
      error(path, line, fmt::format("year {} is outside {} to {}", *year, kMinYear, kMaxYear));
      return;
    }
    double value = kNaN;
    if (!value_text.empty()) {
      std::optional<double> number = parse_finite(value_text);
      if (!number) {
        error(path, line, fmt::format("not a number: '{}'", value_text));
        return;
      }
      value = *number;
    }
    // Flag and source matter only for a value; a row with an empty value is a gap.
    Flag flag = Flag::kObserved;
    if (!value_text.empty() && flag_col >= 0) {
      const std::string& flag_text = fields[static_cast<std::size_t>(flag_col)];
      if (std::optional<Flag> parsed = parse_flag(flag_text)) {
        flag = *parsed;
      } else if (flag_text.empty()) {
        note(path, line, fmt::format("empty flag (expected {})", kFlagNames));
      } else {
        note(path, line,
             fmt::format("unknown flag '{}'{} (expected {})", flag_text,
                         unknown_name_hint(
                             flag_text, {"observed", "derived", "interpolated", "carried_forward"}),
                         kFlagNames));
      }
    }
    if (!value_text.empty() && source_col >= 0 &&
        fields[static_cast<std::size_t>(source_col)].empty()) {
      note(path, line, "empty source (expected the id of the source, e.g. unodc_homicide)");
    }
    auto& by_year = rows[{indicator, iso3}];
    auto [it, inserted] = by_year.emplace(*year, Row{value, flag, line});
    if (!inserted) {
      error(path, line,
            fmt::format("duplicate key {} {} {} (first on line {})", iso3, *year, indicator,
                        it->second.line));
    }
  });

  // One series per (indicator, iso3), spanning its first to last row.
  for (const auto& [key, by_year] : rows) {
    StoredSeries series;
    series.first_year = by_year.begin()->first;
    auto length = static_cast<std::size_t>(by_year.rbegin()->first - series.first_year) + 1;
    series.values.assign(length, kNaN);
    series.flags.assign(length, Flag::kObserved);
    series.lines.assign(length, 0);
    for (const auto& [year, row] : by_year) {
      auto idx = static_cast<std::size_t>(year - series.first_year);
      series.values[idx] = row.value;
      series.flags[idx] = row.flag;
      series.lines[idx] = row.line;
    }
    panel_.series_[key.first][key.second] = std::move(series);
  }
}

// ---- Panel ----

Panel::Panel(const std::string& dir, Dictionary dictionary) : dir_(dir) {
  if (!fs::is_directory(dir)) throw InputError(fmt::format("{}: data folder not found", dir));
  Reader reader(*this, nullptr);
  reader.read_countries();
  reader.read_dictionary(dictionary);
  reader.read_panel();
  find_year_span();
}

Panel::Panel(const std::string& dir, std::vector<DataProblem>& problems) : dir_(dir) {
  if (!fs::is_directory(dir)) throw InputError(fmt::format("{}: data folder not found", dir));
  Reader reader(*this, &problems);
  reader.read_countries();
  reader.read_dictionary(Dictionary::kRequired);
  reader.read_panel();
  find_year_span();
}

void Panel::find_year_span() {
  for (const auto& [indicator, by_iso3] : series_) {
    for (const auto& [iso3, series] : by_iso3) {
      for (std::size_t idx = 0; idx < series.values.size(); ++idx) {
        if (std::isnan(series.values[idx]) || !from_sources(series.flags[idx])) continue;
        const int year = series.first_year + static_cast<int>(idx);
        if (!first_year_ || year < *first_year_) first_year_ = year;
        if (!last_year_ || year > *last_year_) last_year_ = year;
      }
    }
  }
}

Panel Panel::as_of(int year) const {
  if (!has_dictionary_) {
    throw InputError(
        fmt::format("{}: cannot take the panel as of {} without indicators.csv: its gap policy "
                    "(interpolate_max_gap, carry_forward_max) fills the vintage's gaps",
                    path("indicators.csv"), year));
  }
  if (!first_year_) {
    throw InputError(fmt::format("{}: no values from the sources, so no panel as of {}",
                                 path("panel.csv"), year));
  }
  if (year < *first_year_ || year > *last_year_) {
    throw InputError(fmt::format("{}: no panel as of {}: the panel's years are {} to {}",
                                 path("panel.csv"), year, *first_year_, *last_year_));
  }
  Panel vintage;
  vintage.dir_ = dir_;
  vintage.countries_ = countries_;
  vintage.has_dictionary_ = has_dictionary_;
  vintage.dictionary_ = dictionary_;
  vintage.dictionary_index_ = dictionary_index_;
  vintage.first_year_ = first_year_;
  vintage.last_year_ = year;
  vintage.vintage_year_ = year;

  std::vector<SourceValue> source;
  std::vector<std::size_t> source_idx;  // where each source value sits in the stored series
  for (const auto& [indicator, by_iso3] : series_) {
    // Kept even when empty: a model may name an indicator whose values all come later.
    auto& vintage_by_iso3 = vintage.series_[indicator];
    const Indicator* entry = find_indicator(indicator);
    const GapPolicy policy = entry == nullptr
                                 ? GapPolicy{}
                                 : GapPolicy{entry->interpolate_max_gap, entry->carry_forward_max};
    for (const auto& [iso3, stored] : by_iso3) {
      // Values from the sources up to year; every filled value is dropped.
      source.clear();
      source_idx.clear();
      for (std::size_t idx = 0; idx < stored.values.size(); ++idx) {
        const int value_year = stored.first_year + static_cast<int>(idx);
        if (value_year > year) break;
        if (std::isnan(stored.values[idx]) || !from_sources(stored.flags[idx])) continue;
        source.push_back({value_year, stored.values[idx]});
        source_idx.push_back(idx);
      }
      if (source.empty()) continue;
      const std::vector<FilledValue> filled = fill_gaps(source, policy, year);

      StoredSeries series;
      series.first_year = source.front().year;
      const int series_last_year =
          filled.empty() ? source.back().year : std::max(source.back().year, filled.back().year);
      const auto length = static_cast<std::size_t>(series_last_year - series.first_year) + 1;
      series.values.assign(length, kNaN);
      series.flags.assign(length, Flag::kObserved);
      series.lines.assign(length, 0);
      for (std::size_t idx = 0; idx < source.size(); ++idx) {
        const auto out_idx = static_cast<std::size_t>(source[idx].year - series.first_year);
        series.values[out_idx] = source[idx].value;
        series.flags[out_idx] = stored.flags[source_idx[idx]];
        series.lines[out_idx] = stored.lines[source_idx[idx]];
      }
      for (const FilledValue& value : filled) {
        const auto out_idx = static_cast<std::size_t>(value.year - series.first_year);
        series.values[out_idx] = value.value;
        series.flags[out_idx] = value.flag;
      }
      vintage.row_count_ += source.size() + filled.size();
      vintage_by_iso3.emplace(iso3, std::move(series));
    }
  }
  return vintage;
}

std::string Panel::path(std::string_view file) const {
  return (fs::path(dir_) / file).string();
}

std::vector<std::string> Panel::indicators() const {
  std::vector<std::string> ids;
  ids.reserve(series_.size());
  for (const auto& [id, by_iso3] : series_) ids.push_back(id);
  return ids;
}

const Panel::StoredSeries* Panel::find_series(const std::string& indicator,
                                              const std::string& iso3) const {
  auto by_indicator = series_.find(indicator);
  if (by_indicator == series_.end()) return nullptr;
  auto it = by_indicator->second.find(iso3);
  return it == by_indicator->second.end() ? nullptr : &it->second;
}

namespace {

// Whether a stored value at idx is visible under which.
bool visible(double value, Flag flag, Values which) {
  return !std::isnan(value) && (which == Values::kAll || from_sources(flag));
}

}  // namespace

std::optional<double> Panel::value(const std::string& indicator, const std::string& iso3, int year,
                                   Values which) const {
  const StoredSeries* series = find_series(indicator, iso3);
  if (series == nullptr || year < series->first_year) return std::nullopt;
  auto idx = static_cast<std::size_t>(year - series->first_year);
  if (idx >= series->values.size()) return std::nullopt;
  if (!visible(series->values[idx], series->flags[idx], which)) return std::nullopt;
  return series->values[idx];
}

std::optional<Flag> Panel::flag(const std::string& indicator, const std::string& iso3, int year,
                                Values which) const {
  if (!value(indicator, iso3, year, which)) return std::nullopt;
  const StoredSeries* series = find_series(indicator, iso3);
  return series->flags[static_cast<std::size_t>(year - series->first_year)];
}

std::optional<PanelSeries> Panel::series(const std::string& indicator, const std::string& iso3,
                                         Values which) const {
  const StoredSeries* stored = find_series(indicator, iso3);
  if (stored == nullptr) return std::nullopt;
  PanelSeries series;
  series.first_year = stored->first_year;
  series.values.assign(stored->values.size(), kNaN);
  series.flags.assign(stored->values.size(), std::nullopt);
  bool any = false;
  for (std::size_t idx = 0; idx < stored->values.size(); ++idx) {
    if (!visible(stored->values[idx], stored->flags[idx], which)) continue;
    series.values[idx] = stored->values[idx];
    series.flags[idx] = stored->flags[idx];
    any = true;
  }
  if (!any) return std::nullopt;
  return series;
}

std::vector<std::string> Panel::countries_with(const std::string& indicator, Values which) const {
  std::vector<std::string> codes;
  auto by_indicator = series_.find(indicator);
  if (by_indicator == series_.end()) return codes;
  auto has_value = [&](const StoredSeries& series) {
    for (std::size_t idx = 0; idx < series.values.size(); ++idx) {
      if (visible(series.values[idx], series.flags[idx], which)) return true;
    }
    return false;
  };
  // countries.csv order first, then codes it lacks (sorted, as the map holds them).
  for (const auto& iso3 : countries_.iso3()) {
    auto it = by_indicator->second.find(iso3);
    if (it != by_indicator->second.end() && has_value(it->second)) codes.push_back(iso3);
  }
  for (const auto& [iso3, series] : by_indicator->second) {
    if (!countries_.contains(iso3) && has_value(series)) codes.push_back(iso3);
  }
  return codes;
}

IndicatorStats Panel::stats(const std::string& indicator) const {
  IndicatorStats stats;
  auto by_indicator = series_.find(indicator);
  if (by_indicator == series_.end()) return stats;
  for (const auto& [iso3, series] : by_indicator->second) {
    bool counted = false;
    for (std::size_t idx = 0; idx < series.values.size(); ++idx) {
      if (std::isnan(series.values[idx])) continue;
      if (!from_sources(series.flags[idx])) {
        ++stats.filled;
        continue;
      }
      ++stats.observed;
      int year = series.first_year + static_cast<int>(idx);
      if (!stats.first_year || year < *stats.first_year) stats.first_year = year;
      if (!stats.last_year || year > *stats.last_year) stats.last_year = year;
      if (!counted) ++stats.countries;
      counted = true;
    }
  }
  return stats;
}

void Panel::for_each_row(const std::function<void(const PanelRow&)>& row_fn) const {
  for (const auto& [indicator, by_iso3] : series_) {
    for (const auto& [iso3, series] : by_iso3) {
      for (std::size_t idx = 0; idx < series.values.size(); ++idx) {
        // A year without a row: no line and no value (a vintage's filled values have no line).
        if (series.lines[idx] == 0 && std::isnan(series.values[idx])) continue;
        std::optional<double> value;
        if (!std::isnan(series.values[idx])) value = series.values[idx];
        row_fn(PanelRow{indicator, iso3, series.first_year + static_cast<int>(idx), value,
                        series.flags[idx], series.lines[idx]});
      }
    }
  }
}

std::size_t Panel::line(const std::string& indicator, const std::string& iso3, int year) const {
  const StoredSeries* series = find_series(indicator, iso3);
  if (series == nullptr || year < series->first_year) return 0;
  auto idx = static_cast<std::size_t>(year - series->first_year);
  return idx < series->lines.size() ? series->lines[idx] : 0;
}

const Indicator* Panel::find_indicator(const std::string& id) const {
  auto it = dictionary_index_.find(id);
  return it == dictionary_index_.end() ? nullptr : &dictionary_[it->second];
}

// ---- PanelDataSource ----

namespace {

Panel load_for_source(const std::string& dir, std::optional<int> as_of) {
  if (!as_of) return Panel(dir);
  // as_of names indicators.csv and why it is needed when the file is missing.
  return Panel(dir).as_of(*as_of);
}

}  // namespace

PanelDataSource::PanelDataSource(const std::string& dir, std::optional<int> as_of)
    : panel_(load_for_source(dir, as_of)) {}

PanelDataSource::PanelDataSource(Panel panel) : panel_(std::move(panel)) {}

std::vector<std::string> PanelDataSource::table_elements(const std::string& table,
                                                         const std::string& column,
                                                         const std::string& value) const {
  if (table != "countries") {
    throw InputError(fmt::format(
        "{}: unknown data table '{}'{}; the data folder has one table: countries (countries.csv)",
        panel_.path(table + ".csv"), table, unknown_name_hint(table, {"countries"})));
  }
  if (column.empty()) return panel_.countries().iso3();
  return panel_.countries().where(column, value);
}

std::vector<std::string> PanelDataSource::indicators() const {
  return panel_.indicators();
}

bool PanelDataSource::has_indicator(const std::string& indicator) const {
  return panel_.has_indicator(indicator);
}

std::optional<engine::Series> PanelDataSource::series(const std::string& indicator,
                                                      const std::string& element) const {
  const Panel::StoredSeries* stored = panel_.find_series(indicator, element);
  if (stored == nullptr) return std::nullopt;
  return engine::Series{stored->first_year, stored->values};
}

}  // namespace latwin::data
