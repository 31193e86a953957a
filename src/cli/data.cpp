// latwin data: look at and check the historical data folder: list the indicators, show one
// as a year × country table, check the files, write a coverage matrix.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "data/check.hpp"
#include "data/coverage.hpp"
#include "data/panel.hpp"
#include "engine/lang/source.hpp"

namespace latwin::cli {

namespace {

// Widest unit `data list` prints in full; a few units are whole sentences (category
// labels), which would push every name off the screen. indicators.csv has them in full.
constexpr std::size_t kMaxUnitWidth = 32;
// Significant digits of a value in `data show`'s table: enough to compare countries at a
// glance; --csv prints every digit.
constexpr int kTableDigits = 4;

// Problems `data check` prints; the rest are counted. 50 fit on a screen or two and are
// enough to see what kind of fault a build made.
constexpr std::size_t kMaxPrintedProblems = 50;

struct DataOptions {
  std::string data_dir;
  std::string area;                    // list
  std::string indicator;               // show
  std::vector<std::string> countries;  // show
  std::string years;                   // show
  bool observed_only = false;          // show
  bool csv = false;                    // show
  std::string out;                     // coverage
  std::optional<int> as_of;            // list, show, coverage: the vintage as of this year
};

std::string hint(const std::string& name, const std::vector<std::string>& valid) {
  std::string close = lang::closest_name(name, valid);
  return close.empty() ? "" : fmt::format(" (did you mean '{}'?)", close);
}

std::string plural(std::size_t count, const char* singular, const char* plural_form) {
  return fmt::format("{} {}", count, count == 1 ? singular : plural_form);
}

// Rows of cells as columns separated by two spaces; right_aligned[col] for numbers.
std::string format_table(const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& right_aligned) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t col = 0; col < row.size(); ++col) {
      widths[col] = std::max(widths[col], row[col].size());
    }
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t col = 0; col < row.size(); ++col) {
      if (col > 0) line += "  ";
      bool right = col < right_aligned.size() && right_aligned[col];
      // The last column of a left-aligned table needs no padding.
      if (!right && col + 1 == row.size()) {
        line += row[col];
      } else {
        line += right ? fmt::format("{:>{}}", row[col], widths[col])
                      : fmt::format("{:<{}}", row[col], widths[col]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + "\n";
  }
  return text;
}

// A value for a table: kTableDigits significant digits but every integer digit, without an
// exponent (GDP in dollars and shares of 0.001 both stay readable), trailing zeros dropped.
std::string format_value(double value) {
  double magnitude = std::fabs(value);
  if (magnitude == 0) return "0";
  // Digits before the point: 3 for 123.4, 0 for 0.5, -1 for 0.05.
  int integer_digits = static_cast<int>(std::floor(std::log10(magnitude))) + 1;
  int decimals = std::clamp(kTableDigits - integer_digits, 0, 10);
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

// The panel to look at: as read, or its vintage as of --as-of (Panel::as_of says plainly
// when indicators.csv, whose gap policy a vintage needs, is missing).
data::Panel load_panel(const DataOptions& options, data::Dictionary dictionary) {
  data::Panel panel(require_data_dir(options.data_dir), dictionary);
  if (!options.as_of) return panel;
  const int year = *options.as_of;
  if (!panel.first_year()) {
    throw InputError(fmt::format("--as-of {}: {} has no values from the sources", year,
                                 panel.path("panel.csv")));
  }
  if (year < *panel.first_year() || year > *panel.last_year()) {
    throw InputError(
        fmt::format("--as-of {}: the panel in {} holds the years {} to {}; give a "
                    "year in that range",
                    year, panel.dir(), *panel.first_year(), *panel.last_year()));
  }
  return panel.as_of(year);
}

// " as of 2015" for a vintage, "" for the panel as built.
std::string as_of_text(const DataOptions& options) {
  return options.as_of ? fmt::format(" as of {}", *options.as_of) : std::string();
}

// The line that says a table shows a vintage, not the panel as built.
std::string vintage_note(int year) {
  return fmt::format(
      "As known at the end of {0}: the values of {0} and before, gaps filled again from them\n"
      "alone (pseudo-real-time: today's figures for those years, not those first published).\n",
      year);
}

// ---- list ----

int run_list(const DataOptions& options) {
  data::Panel panel = load_panel(options, data::Dictionary::kRequired);
  std::string area = options.area;
  std::replace(area.begin(), area.end(), '_', ' ');  // --area soft_power
  const auto& areas = data::indicator_areas();
  if (!area.empty() && std::find(areas.begin(), areas.end(), area) == areas.end()) {
    throw InputError(fmt::format("--area '{}': unknown area{}; the areas are: {}", options.area,
                                 hint(area, areas), fmt::join(areas, ", ")));
  }
  std::vector<const data::Indicator*> entries;
  for (const auto& entry : panel.dictionary()) {
    if (area.empty() || entry.area == area) entries.push_back(&entry);
  }
  std::sort(entries.begin(), entries.end(),
            [](const data::Indicator* a, const data::Indicator* b) { return a->id < b->id; });
  if (entries.empty()) {
    std::printf("No indicators%s in %s.\n",
                area.empty() ? "" : fmt::format(" in area {}", area).c_str(),
                panel.path("indicators.csv").c_str());
    return kExitOk;
  }

  std::vector<std::vector<std::string>> rows = {
      {"indicator", "area", "unit", "countries", "years", "observed", "filled", "name"}};
  for (const data::Indicator* entry : entries) {
    data::IndicatorStats stats = panel.stats(entry->id);
    std::string years = stats.first_year ? fmt::format("{}-{}", *stats.first_year, *stats.last_year)
                                         : std::string("-");
    std::string unit = entry->unit.empty() ? "-" : entry->unit;
    if (unit.size() > kMaxUnitWidth) unit = unit.substr(0, kMaxUnitWidth - 3) + "...";
    rows.push_back({entry->id, entry->area, unit, std::to_string(stats.countries), years,
                    std::to_string(stats.observed), std::to_string(stats.filled), entry->name});
  }
  std::string text = format_table(rows, {false, false, false, true, false, true, true, false});
  text += fmt::format(
      "\n{}{}. countries, years and observed count values from the sources (observed or "
      "derived);\nfilled counts values the {} interpolated or carried forward.\n",
      plural(entries.size(), "indicator", "indicators"),
      area.empty() ? "" : fmt::format(" in area {}", area),
      options.as_of ? fmt::format("gap policy as of {}", *options.as_of) : "data build");
  if (options.as_of) text += vintage_note(*options.as_of);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

// ---- show ----

// "2000:2020", "2000:" or ":2020" (an open side takes the data's), or "2010" alone.
std::pair<std::optional<int>, std::optional<int>> parse_years(const std::string& text) {
  auto fail = [&text]() -> std::pair<std::optional<int>, std::optional<int>> {
    throw InputError(
        fmt::format("--years '{}': expected FIRST:LAST with FIRST no later than LAST, e.g. --years "
                    "2000:2020 (leave a side empty for the data's first or last year)",
                    text));
  };
  auto parse_year = [&](std::string_view part) -> std::optional<int> {
    if (part.empty()) return std::nullopt;
    int year = 0;
    const char* end = part.data() + part.size();
    auto [ptr, ec] = std::from_chars(part.data(), end, year);
    if (ec != std::errc() || ptr != end) fail();
    return year;
  };
  std::size_t colon = text.find(':');
  if (text.empty()) return fail();
  if (colon == std::string::npos) {
    std::optional<int> year = parse_year(text);
    return {year, year};
  }
  std::string_view all(text);
  std::optional<int> first = parse_year(all.substr(0, colon));
  std::optional<int> last = parse_year(all.substr(colon + 1));
  if (first && last && *first > *last) return fail();
  return {first, last};
}

// The countries to show: those asked for (checked), else every country with a value.
std::vector<std::string> show_countries(const data::Panel& panel, const DataOptions& options,
                                        data::Values which) {
  if (options.countries.empty()) return panel.countries_with(options.indicator, which);
  std::vector<std::string> known = panel.countries().iso3();
  for (const auto& iso3 : panel.countries_with(options.indicator, data::Values::kAll)) {
    if (!panel.countries().contains(iso3)) known.push_back(iso3);
  }
  std::vector<std::string> chosen;
  for (const auto& asked : options.countries) {
    std::string iso3 = asked;
    if (std::find(known.begin(), known.end(), iso3) == known.end()) {
      // "col" for COL.
      for (auto& ch : iso3) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    if (std::find(known.begin(), known.end(), iso3) == known.end()) {
      throw InputError(
          fmt::format("--country '{}': unknown country{}; the countries are the "
                      "iso3 codes of {}",
                      asked, hint(iso3, known), panel.countries().path()));
    }
    if (std::find(chosen.begin(), chosen.end(), iso3) == chosen.end()) chosen.push_back(iso3);
  }
  return chosen;
}

int run_show(const DataOptions& options) {
  data::Panel panel = load_panel(options, data::Dictionary::kOptional);
  const data::Values which =
      options.observed_only ? data::Values::kObservedOnly : data::Values::kAll;
  if (!panel.has_indicator(options.indicator)) {
    std::vector<std::string> ids = panel.indicators();
    if (panel.find_indicator(options.indicator) != nullptr) {
      throw InputError(fmt::format("{}: indicator '{}' has no rows", panel.path("panel.csv"),
                                   options.indicator));
    }
    for (const auto& entry : panel.dictionary()) ids.push_back(entry.id);
    throw InputError(fmt::format("unknown indicator '{}'{}; 'latwin data list' lists them",
                                 options.indicator, hint(options.indicator, ids)));
  }
  std::vector<std::string> countries = show_countries(panel, options, which);
  auto [first_asked, last_asked] = options.years.empty()
                                       ? std::pair<std::optional<int>, std::optional<int>>{}
                                       : parse_years(options.years);

  // Series of the chosen countries, and the span of their values.
  std::vector<std::optional<data::PanelSeries>> series;
  std::optional<int> first_year, last_year;
  for (const auto& iso3 : countries) {
    series.push_back(panel.series(options.indicator, iso3, which));
    if (!series.back()) continue;
    for (std::size_t idx = 0; idx < series.back()->values.size(); ++idx) {
      if (std::isnan(series.back()->values[idx])) continue;
      int year = series.back()->first_year + static_cast<int>(idx);
      if (!first_year || year < *first_year) first_year = year;
      if (!last_year || year > *last_year) last_year = year;
    }
  }
  if (first_asked) first_year = first_asked;
  if (last_asked) last_year = last_asked;
  const std::string what = options.observed_only ? "observed or derived values" : "values";
  if (!first_year || !last_year || *first_year > *last_year) {
    std::printf(
        "%s has no %s for %s%s%s.\n", options.indicator.c_str(), what.c_str(),
        countries.empty() ? "any country" : fmt::format("{}", fmt::join(countries, ", ")).c_str(),
        options.years.empty() ? "" : fmt::format(" in {}", options.years).c_str(),
        as_of_text(options).c_str());
    return kExitOk;
  }

  if (options.csv) {
    std::string text = "iso3,year,value,flag\n";
    for (std::size_t country_idx = 0; country_idx < countries.size(); ++country_idx) {
      if (!series[country_idx]) continue;
      for (int year = *first_year; year <= *last_year; ++year) {
        std::optional<double> value = series[country_idx]->at(year);
        if (!value) continue;
        auto flag = series[country_idx]
                        ->flags[static_cast<std::size_t>(year - series[country_idx]->first_year)];
        text += fmt::format("{},{},{},{}\n", countries[country_idx], year, *value,
                            data::to_string(*flag));
      }
    }
    std::fputs(text.c_str(), stdout);
    return kExitOk;
  }

  std::string text;
  if (const data::Indicator* entry = panel.find_indicator(options.indicator)) {
    text += fmt::format("{}: {}{}\n", entry->id, entry->name,
                        entry->unit.empty() ? "" : fmt::format(" ({})", entry->unit));
  } else {
    text += fmt::format("{}\n", options.indicator);
  }
  if (options.observed_only) text += "Observed or derived values only.\n";
  if (options.as_of) text += vintage_note(*options.as_of);
  text += "\n";
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"year"};
  for (const auto& iso3 : countries) header.push_back(iso3 + " ");
  rows.push_back(header);
  bool any_filled = false;
  for (int year = *first_year; year <= *last_year; ++year) {
    std::vector<std::string> row = {std::to_string(year)};
    for (const auto& one : series) {
      std::optional<double> value = one ? one->at(year) : std::nullopt;
      if (!value) {
        row.push_back(". ");
        continue;
      }
      data::Flag flag = *one->flags[static_cast<std::size_t>(year - one->first_year)];
      // A one-letter mark keeps filled values visible without widening the table.
      char mark = flag == data::Flag::kInterpolated     ? 'i'
                  : flag == data::Flag::kCarriedForward ? 'c'
                                                        : ' ';
      any_filled = any_filled || mark != ' ';
      row.push_back(format_value(*value) + mark);
    }
    rows.push_back(std::move(row));
  }
  text += format_table(rows, std::vector<bool>(countries.size() + 1, true));
  // A vintage's filled values come from the gap policy applied as of its year, not from the
  // data build.
  const std::string filled_by = options.as_of
                                    ? fmt::format("the gap policy as of {}", *options.as_of)
                                    : std::string("the data build");
  text += options.observed_only || !any_filled
              ? "\n. = no value\n"
              : fmt::format(
                    "\ni = interpolated, c = carried forward (filled by {}, not "
                    "observed); . = no value\n",
                    filled_by);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

// ---- check ----

int run_check(const DataOptions& options) {
  std::string dir = require_data_dir(options.data_dir);
  data::DataCheck check = data::check_data_folder(dir);
  if (check.ok()) {
    std::printf("ok: %s, %s, %s in %s\n",
                plural(check.indicators, "indicator", "indicators").c_str(),
                plural(check.rows, "row", "rows").c_str(),
                plural(check.countries, "country", "countries").c_str(), dir.c_str());
    return kExitOk;
  }
  std::string text;
  std::map<std::string, std::size_t> by_file;
  for (std::size_t idx = 0; idx < check.problems.size(); ++idx) {
    const data::DataProblem& problem = check.problems[idx];
    ++by_file[std::filesystem::path(problem.file).filename().string()];
    if (idx < kMaxPrintedProblems) text += problem.text() + "\n";
  }
  if (check.problems.size() > kMaxPrintedProblems) {
    text += fmt::format("... and {} more\n", check.problems.size() - kMaxPrintedProblems);
  }
  std::vector<std::string> parts;
  for (const auto& [file, count] : by_file) {
    parts.push_back(fmt::format("{} in {}", count, file.empty() ? "the folder" : file));
  }
  text += fmt::format("{}: {} ({})\n", dir, plural(check.problems.size(), "problem", "problems"),
                      fmt::join(parts, ", "));
  std::fputs(text.c_str(), stderr);
  return kExitFailure;
}

// ---- coverage ----

int run_coverage(const DataOptions& options) {
  data::Panel panel = load_panel(options, data::Dictionary::kOptional);
  data::Coverage coverage = data::compute_coverage(panel);
  write_file_atomically(options.out, data::coverage_csv(coverage));
  std::printf(
      "Wrote %s: %s x %s, each cell the share of the indicator's years with an observed or "
      "derived value%s.\n",
      options.out.c_str(), plural(coverage.countries.size(), "country", "countries").c_str(),
      plural(coverage.indicators.size(), "indicator", "indicators").c_str(),
      options.as_of ? fmt::format(" up to {}", *options.as_of).c_str() : "");
  return kExitOk;
}

// --as-of YEAR on the commands that read values.
void add_as_of_option(CLI::App* command, DataOptions& options) {
  command
      ->add_option_function<int>(
          "--as-of", [&options](const int& year) { options.as_of = year; },
          "The panel as known at the end of YEAR (a vintage, for backtests): only values "
          "from the sources up to YEAR, their gaps filled again by the data build's gap "
          "policy, so nothing after YEAR leaks in (docs/data.md)")
      ->type_name("YEAR");
}

}  // namespace

Command add_data_command(CLI::App& app) {
  auto options = std::make_shared<DataOptions>();
  CLI::App* command = app.add_subcommand(
      "data",
      "Look at and check the historical data folder (countries.csv, panel.csv, "
      "indicators.csv): list the indicators, show one as a table, check the files, write a "
      "coverage matrix.");
  command->require_subcommand(1);

  CLI::App* list = command->add_subcommand(
      "list",
      "One line per indicator of indicators.csv: area, unit, how many countries and which "
      "years have values from the sources, how many rows are observed and how many filled, "
      "and its name.");
  add_data_option(list, options->data_dir);
  add_as_of_option(list, *options);
  // The help lists the areas the data layer knows, so it cannot fall behind them.
  list->add_option("--area", options->area,
                   fmt::format("Only this area: {}", fmt::join(data::indicator_areas(), ", ")))
      ->type_name("AREA");

  CLI::App* show = command->add_subcommand(
      "show",
      "One indicator as a table: a row per year, a column per country. Values the data build "
      "filled are marked i (interpolated) or c (carried forward); . is no value.");
  add_data_option(show, options->data_dir);
  add_as_of_option(show, *options);
  show->add_option("indicator", options->indicator, "Indicator id (see 'latwin data list')")
      ->required()
      ->type_name("INDICATOR");
  show->add_option("--country", options->countries,
                   "Only these countries (iso3 codes; repeat or separate with commas); "
                   "default: every country with a value")
      ->delimiter(',')
      ->type_name("ISO3");
  show->add_option("--years", options->years,
                   "Only these years, FIRST:LAST (e.g. 2000:2020; 2000: or :2020 leave a side "
                   "open); default: every year with a value")
      ->type_name("FIRST:LAST");
  show->add_flag("--observed-only", options->observed_only,
                 "Only values from the sources (observed or derived); hide filled ones");
  show->add_flag("--csv", options->csv,
                 "Print tidy CSV (iso3,year,value,flag), one line per value with every digit, "
                 "instead of a table (which rounds to 4 significant digits)");

  CLI::App* check = command->add_subcommand(
      "check",
      "Check the data folder and print every problem as FILE:LINE: message (at most 50, then "
      "a count). Exit code 0 when the folder is fine, 1 when it has problems. The rules are "
      "in docs/data.md.");
  add_data_option(check, options->data_dir);

  CLI::App* coverage = command->add_subcommand(
      "coverage",
      "Write a country x indicator CSV: for each country and indicator, the share (0 to 1) of "
      "the indicator's years in which the country has a value from the sources (observed or "
      "derived; filled values do not count).");
  add_data_option(coverage, options->data_dir);
  add_as_of_option(coverage, *options);
  coverage->add_option("--out", options->out, "CSV file to write (replaced if it exists)")
      ->required()
      ->type_name("FILE.csv");

  command->footer(
      "Examples:\n"
      "  latwin data list --area security\n"
      "  latwin data show homicide_rate --country COL,MEX --years 2000:2020\n"
      "  latwin data show homicide_rate --country COL --as-of 2015\n"
      "  latwin data check --data data\n"
      "  latwin data coverage --out coverage.csv\n");
  return {command, [options, list, show, check, coverage] {
            if (list->parsed()) return run_list(*options);
            if (show->parsed()) return run_show(*options);
            if (check->parsed()) return run_check(*options);
            if (coverage->parsed()) return run_coverage(*options);
            throw Error("latwin data: give a subcommand: list, show, check or coverage");
          }};
}

}  // namespace latwin::cli
