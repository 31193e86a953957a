#include "data/check.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "engine/lang/source.hpp"

namespace latwin::data {

namespace {

// The kinds of countries.csv: the region's states and the outside actors (USA, CHN).
const std::vector<std::string> kKinds = {"lac", "actor"};

std::string hint(const std::string& name, const std::vector<std::string>& valid) {
  std::string close = lang::closest_name(name, valid);
  return close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close);
}

std::string year_text(const std::optional<int>& year) {
  return year ? std::to_string(*year) : std::string("(none)");
}

// Problems of countries.csv on its own: kinds and neighbours.
void check_countries(const Panel& panel, std::vector<DataProblem>& problems) {
  const CountryTable& table = panel.countries();
  const std::string& path = table.path();
  const auto& columns = table.columns();
  const bool has_kind = std::find(columns.begin(), columns.end(), "kind") != columns.end();
  const bool has_neighbours =
      std::find(columns.begin(), columns.end(), "neighbours") != columns.end();
  for (const auto& iso3 : table.iso3()) {
    const std::size_t line = table.line(iso3);
    if (has_kind) {
      std::string kind = *table.field(iso3, "kind");
      if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end()) {
        problems.push_back({path, line,
                            fmt::format("{}: unknown kind '{}'{} (expected lac or actor)", iso3,
                                        kind, hint(kind, kKinds))});
      }
    }
    if (!has_neighbours) continue;
    for (const auto& neighbour : table.neighbours(iso3)) {
      if (!table.contains(neighbour)) {
        problems.push_back({path, line,
                            fmt::format("{}: neighbour '{}' is not a row of countries.csv{}", iso3,
                                        neighbour, hint(neighbour, table.iso3()))});
        continue;
      }
      std::vector<std::string> back = table.neighbours(neighbour);
      if (std::find(back.begin(), back.end(), iso3) == back.end()) {
        problems.push_back(
            {path, line,
             fmt::format("{} lists {} as a neighbour, but {} (line {}) does not list {}: "
                         "neighbours must be listed on both rows",
                         iso3, neighbour, neighbour, table.line(neighbour), iso3)});
      }
    }
  }
}

// Problems of indicators.csv on its own: areas and bounds.
void check_dictionary(const Panel& panel, std::vector<DataProblem>& problems) {
  const std::string path = panel.path("indicators.csv");
  const auto& areas = indicator_areas();
  for (const Indicator& entry : panel.dictionary()) {
    if (std::find(areas.begin(), areas.end(), entry.area) == areas.end()) {
      problems.push_back(
          {path, entry.line,
           fmt::format("{}: unknown area '{}'{} (expected one of: {})", entry.id, entry.area,
                       hint(entry.area, areas), fmt::join(areas, ", "))});
    }
    if (entry.lower && entry.upper && *entry.lower > *entry.upper) {
      problems.push_back({path, entry.line,
                          fmt::format("{}: lower bound {} is above upper bound {}", entry.id,
                                      *entry.lower, *entry.upper)});
    }
  }
}

// Every row: known country, known indicator, value within the dictionary's bounds.
void check_rows(const Panel& panel, std::vector<DataProblem>& problems) {
  const std::string path = panel.path("panel.csv");
  const CountryTable& countries = panel.countries();
  const bool know_countries = countries.size() > 0;
  const bool know_indicators = panel.has_dictionary();
  // Unknown codes and indicators are reported once each, at their first row, with a count.
  struct Unknown {
    std::size_t first_line = 0;
    std::size_t rows = 0;
  };
  std::map<std::string, Unknown> unknown_iso3, unknown_indicator;
  auto count = [](Unknown& unknown, std::size_t line) {
    if (unknown.rows++ == 0 || line < unknown.first_line) unknown.first_line = line;
  };
  panel.for_each_row([&](const PanelRow& row) {
    if (know_countries && !countries.contains(row.iso3)) count(unknown_iso3[row.iso3], row.line);
    const Indicator* entry = panel.find_indicator(row.indicator);
    if (know_indicators && entry == nullptr) count(unknown_indicator[row.indicator], row.line);
    if (entry == nullptr || !row.value) return;
    if (entry->lower && *row.value < *entry->lower) {
      problems.push_back(
          {path, row.line,
           fmt::format("{} {} {}: value {} is below the lower bound {} "
                       "(indicators.csv line {})",
                       row.indicator, row.iso3, row.year, *row.value, *entry->lower, entry->line)});
    }
    if (entry->upper && *row.value > *entry->upper) {
      problems.push_back(
          {path, row.line,
           fmt::format("{} {} {}: value {} is above the upper bound {} "
                       "(indicators.csv line {})",
                       row.indicator, row.iso3, row.year, *row.value, *entry->upper, entry->line)});
    }
  });
  auto rows_text = [](std::size_t rows) {
    return fmt::format("{} row{}", rows, rows == 1 ? "" : "s");
  };
  for (const auto& [iso3, unknown] : unknown_iso3) {
    problems.push_back({path, unknown.first_line,
                        fmt::format("country '{}' is not in countries.csv{} ({}, first here)", iso3,
                                    hint(iso3, countries.iso3()), rows_text(unknown.rows))});
  }
  std::vector<std::string> ids;
  for (const Indicator& entry : panel.dictionary()) ids.push_back(entry.id);
  for (const auto& [indicator, unknown] : unknown_indicator) {
    problems.push_back({path, unknown.first_line,
                        fmt::format("indicator '{}' is not in indicators.csv{} ({}, first here)",
                                    indicator, hint(indicator, ids), rows_text(unknown.rows))});
  }
}

// Filled values must follow the dictionary's gap policy: an interpolated value lies in a run
// of at most interpolate_max_gap missing years between two observed or derived values; a
// carried-forward value lies at most carry_forward_max years after one.
void check_gap_policy(const Panel& panel, std::vector<DataProblem>& problems) {
  const std::string path = panel.path("panel.csv");
  for (const Indicator& entry : panel.dictionary()) {
    for (const auto& iso3 : panel.countries_with(entry.id, Values::kAll)) {
      std::optional<PanelSeries> series = panel.series(entry.id, iso3, Values::kAll);
      // Years with a value from the sources, ascending.
      std::vector<int> source_years;
      for (std::size_t idx = 0; idx < series->values.size(); ++idx) {
        if (series->flags[idx] && from_sources(*series->flags[idx])) {
          source_years.push_back(series->first_year + static_cast<int>(idx));
        }
      }
      for (std::size_t idx = 0; idx < series->values.size(); ++idx) {
        if (!series->flags[idx] || from_sources(*series->flags[idx])) continue;
        const Flag flag = *series->flags[idx];
        const int year = series->first_year + static_cast<int>(idx);
        const std::size_t line = panel.line(entry.id, iso3, year);
        const std::string what =
            fmt::format("{} {} {}: {} value", entry.id, iso3, year, to_string(flag));
        auto next = std::upper_bound(source_years.begin(), source_years.end(), year);
        std::optional<int> before, after;
        if (next != source_years.begin()) before = *std::prev(next);
        if (next != source_years.end()) after = *next;
        const int max_years =
            flag == Flag::kInterpolated ? entry.interpolate_max_gap : entry.carry_forward_max;
        const char* max_name =
            flag == Flag::kInterpolated ? "interpolate_max_gap" : "carry_forward_max";
        if (max_years == 0) {
          problems.push_back({path, line,
                              fmt::format("{}, but indicators.csv line {} sets {} = 0 (never)",
                                          what, entry.line, max_name)});
          continue;
        }
        if (flag == Flag::kInterpolated) {
          if (!before || !after) {
            problems.push_back(
                {path, line,
                 fmt::format("{} without an observed or derived value {} it (interpolation "
                             "needs one on both sides)",
                             what, before ? "after" : "before")});
          } else if (*after - *before - 1 > max_years) {
            problems.push_back(
                {path, line,
                 fmt::format("{} fills a gap of {} missing years ({} to {}), more than "
                             "interpolate_max_gap = {} (indicators.csv line {})",
                             what, *after - *before - 1, *before + 1, *after - 1, max_years,
                             entry.line)});
          } else {
            const double low = *series->at(*before);
            const double high = *series->at(*after);
            const double expected =
                low + (high - low) * (year - *before) / static_cast<double>(*after - *before);
            const double value = series->values[idx];
            // The build keeps 10 significant digits of computed values.
            if (std::abs(value - expected) > 1e-9 * std::max(std::abs(expected), 1.0)) {
              problems.push_back(
                  {path, line,
                   fmt::format("{} is {}, but the straight line between {} ({}) and {} ({}) "
                               "gives {}",
                               what, value, *before, low, *after, high, expected)});
            }
          }
        } else if (!before) {
          problems.push_back(
              {path, line,
               fmt::format("{} without an observed or derived value before it to carry", what)});
        } else if (year - *before > max_years) {
          problems.push_back(
              {path, line,
               fmt::format("{} is {} years after the last observed or derived value ({}), "
                           "more than carry_forward_max = {} (indicators.csv line {})",
                           what, year - *before, *before, max_years, entry.line)});
        } else if (series->values[idx] != *series->at(*before)) {
          problems.push_back(
              {path, line,
               fmt::format("{} is {}, but the value it carries forward ({}) is {}", what,
                           series->values[idx], *before, *series->at(*before))});
        }
      }
    }
  }
}

// Dictionary entries must have rows, and their coverage columns must match the panel.
void check_coverage_columns(const Panel& panel, std::vector<DataProblem>& problems) {
  const std::string path = panel.path("indicators.csv");
  const std::vector<std::string> panel_ids = panel.indicators();
  for (const Indicator& entry : panel.dictionary()) {
    if (!panel.has_indicator(entry.id)) {
      problems.push_back(
          {path, entry.line,
           fmt::format("{}: no rows in panel.csv{}", entry.id, hint(entry.id, panel_ids))});
      continue;
    }
    IndicatorStats stats = panel.stats(entry.id);
    std::vector<std::string> differences;
    auto compare = [&](const char* column, const std::string& listed, const std::string& actual) {
      if (listed != actual) {
        differences.push_back(fmt::format("{} is {}, the panel has {}", column, listed, actual));
      }
    };
    compare("countries", std::to_string(entry.countries), std::to_string(stats.countries));
    compare("first_year", year_text(entry.first_year), year_text(stats.first_year));
    compare("last_year", year_text(entry.last_year), year_text(stats.last_year));
    compare("observed", std::to_string(entry.observed), std::to_string(stats.observed));
    compare("filled", std::to_string(entry.filled), std::to_string(stats.filled));
    if (!differences.empty()) {
      problems.push_back({path, entry.line,
                          fmt::format("indicators.csv is out of date: for {}, {} (rebuild the "
                                      "data)",
                                      entry.id, fmt::join(differences, "; "))});
    }
  }
}

}  // namespace

DataCheck check_data_folder(const std::string& dir) {
  DataCheck check;
  Panel panel(dir, check.problems);
  check_countries(panel, check.problems);
  check_dictionary(panel, check.problems);
  check_rows(panel, check.problems);
  check_gap_policy(panel, check.problems);
  check_coverage_columns(panel, check.problems);
  std::stable_sort(check.problems.begin(), check.problems.end(),
                   [](const DataProblem& a, const DataProblem& b) {
                     return std::tie(a.file, a.line) < std::tie(b.file, b.line);
                   });
  check.indicators = panel.dictionary().size();
  check.rows = panel.row_count();
  check.countries = panel.countries().size();
  return check;
}

}  // namespace latwin::data
