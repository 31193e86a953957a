#pragma once
// The historical panel, read from a data folder (format v1, written by tools/build-data):
//   DIR/countries.csv   iso3,name,kind,subregion,neighbours,... (one row per country)
//   DIR/panel.csv       iso3,year,indicator,value,flag,source   (one row per value)
//   DIR/indicators.csv  id,name,unit,area,lower,upper,...        (the dictionary)
// Columns are found by name, so extra columns are allowed. A gap is an absent row; a row with
// an empty value is read as a gap too. docs/data.md describes the files.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inputs.hpp"

namespace latwin::data {

// Where a value in panel.csv came from.
enum class Flag {
  kObserved,        // straight from the source
  kDerived,         // computed by the data build from observed source values (e.g. per 100k)
  kInterpolated,    // linear between two observed or derived values (the build's gap policy)
  kCarriedForward,  // the last observed or derived value repeated (the build's gap policy)
};

// "observed", "derived", "interpolated", "carried_forward".
std::string_view to_string(Flag flag);
// The flag spelled text; nullopt for any other text (including "").
std::optional<Flag> parse_flag(std::string_view text);
// Whether the value came from the sources (observed or derived), not from the gap policy.
inline bool from_sources(Flag flag) {
  return flag == Flag::kObserved || flag == Flag::kDerived;
}

// Which values a query sees.
enum class Values {
  kAll,           // every value, including those the build filled (interpolated, carried forward)
  kObservedOnly,  // only values from the sources: flags observed and derived
};

// The areas an indicator may belong to (indicators.csv, column area), in this order.
const std::vector<std::string>& indicator_areas();

// Whether a Panel needs DIR/indicators.csv.
enum class Dictionary { kOptional, kRequired };

// One row of indicators.csv.
struct Indicator {
  std::string id;
  std::string name;
  std::string unit;
  std::string area;  // security, governance, economy, migration, alignment, soft power, capacity
  std::optional<double> lower;  // valid range of values; nullopt = unbounded on that side
  std::optional<double> upper;
  int interpolate_max_gap = 0;  // longest run of missing years the build interpolates; 0 = never
  int carry_forward_max = 0;    // most years the build carries the last value forward; 0 = never
  std::string source;
  std::string licence;
  std::string transformation;
  // Coverage as the build recorded it (`latwin data check` compares it with the panel).
  int countries = 0;              // countries with at least one observed or derived value
  std::optional<int> first_year;  // span of the observed and derived values
  std::optional<int> last_year;
  std::size_t observed = 0;  // rows flagged observed or derived
  std::size_t filled = 0;    // rows flagged interpolated or carried_forward
  std::size_t line = 0;      // line in indicators.csv, for messages
};

// Coverage of one indicator as computed from panel.csv (the same quantities as the
// dictionary's countries, first_year, last_year, observed and filled columns).
struct IndicatorStats {
  int countries = 0;
  std::optional<int> first_year;
  std::optional<int> last_year;
  std::size_t observed = 0;
  std::size_t filled = 0;
};

// One row of panel.csv as read; value is nullopt for a row with an empty value (a gap).
struct PanelRow {
  const std::string& indicator;
  const std::string& iso3;
  int year;
  std::optional<double> value;
  Flag flag;         // observed for a gap, and for an empty or unknown flag
  std::size_t line;  // line in panel.csv; 0 for a value a vintage filled (Panel::as_of)
};

// A yearly series of one indicator for one country.
struct PanelSeries {
  int first_year = 0;
  std::vector<double> values;              // NaN where there is no value
  std::vector<std::optional<Flag>> flags;  // nullopt exactly where values is NaN

  int last_year() const { return first_year + static_cast<int>(values.size()) - 1; }
  // The value of year; nullopt outside the series or in a gap.
  std::optional<double> at(int year) const;
};

// countries.csv: one row per country, in file order, fields by column name.
class CountryTable {
 public:
  const std::string& path() const { return path_; }
  // The header, iso3 first.
  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t size() const { return rows_.size(); }
  // iso3 codes in file order.
  std::vector<std::string> iso3() const;
  bool contains(const std::string& iso3) const { return index_.contains(iso3); }
  // The field of country iso3 in column (trimmed); nullopt when the country or column is
  // unknown. An empty field is "".
  std::optional<std::string> field(const std::string& iso3, const std::string& column) const;
  // iso3 codes, in file order, of the rows whose column equals value. Throws
  // latwin::InputError naming countries.csv and the valid columns when column is unknown.
  std::vector<std::string> where(const std::string& column, const std::string& value) const;
  // The country's `neighbours` column split at ';' (empty when the column is absent).
  std::vector<std::string> neighbours(const std::string& iso3) const;
  // Line of the country's row in countries.csv; 0 when unknown.
  std::size_t line(const std::string& iso3) const;

 private:
  friend class Panel;
  std::string path_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;  // file order, one field per column
  std::vector<std::size_t> lines_;
  std::map<std::string, std::size_t, std::less<>> index_;  // iso3 → row
};

// A problem in a data file: "FILE:LINE: message" (line 0: the file as a whole).
struct DataProblem {
  std::string file;
  std::size_t line = 0;
  std::string message;

  std::string text() const;
};

// The whole data folder in memory. Loads and checks the files at construction; queries never
// touch the disk and are safe from several threads at once. Queries with an unknown
// indicator, country or year return nullopt (or an empty result), never a made-up number.
//
// A Panel is either the panel as built (read from the folder) or a vintage of it, the panel
// as known at the end of a year (as_of).
class Panel {
 public:
  // Reads the folder. Throws latwin::InputError "FILE:LINE: what was wrong" for a missing
  // folder or file (indicators.csv only when dictionary is required), a missing column, a
  // line with the wrong number of fields, a year or value that is not a number, a repeated
  // (iso3, year, indicator), a repeated country or dictionary id. An empty or unknown flag
  // is read as observed (`latwin data check` reports it).
  explicit Panel(const std::string& dir, Dictionary dictionary = Dictionary::kOptional);
  // For `latwin data check`: reads what it can, appending every problem found in the files
  // themselves (format v1 headers, bad rows, which are skipped, empty or unknown flags, empty
  // sources, missing files) to problems instead of throwing. Throws latwin::InputError only
  // when dir is not a folder.
  Panel(const std::string& dir, std::vector<DataProblem>& problems);

  const std::string& dir() const { return dir_; }
  // DIR/file, as used in messages.
  std::string path(std::string_view file) const;

  // ---- years and vintages ----

  // The span of the panel's values from the sources (observed or derived) over every
  // indicator and country; nullopt when it has none. The last year is the data build's "last
  // year", beyond which nothing is carried forward; for a vintage it is the as-of year.
  std::optional<int> first_year() const { return first_year_; }
  std::optional<int> last_year() const { return last_year_; }

  // The panel as known at the end of year (a data vintage), for backtests: no value after
  // year may reach a forecast made from it.
  //
  // Cutting the panel at year is not enough: the data build filled gaps with later
  // knowledge (a 2015 value interpolated toward a 2017 observation, a value carried forward
  // into years that now have observations). So the vintage keeps only the values from the
  // sources (observed, derived) of years up to year, drops every filled value, and fills the
  // gaps again with the build's gap policy (gap_policy.hpp, the dictionary's
  // interpolate_max_gap and carry_forward_max) with year as the panel's last year. Nothing
  // after year exists in it. The countries, the dictionary (its coverage columns included:
  // they describe the panel as built; use stats() for the vintage's) and the set of
  // indicators are the panel's; an indicator without a dictionary entry is not filled.
  //
  // It is pseudo-real-time: it holds the values of years up to year as the sources give them
  // now, not as they were published then. Revisions (GDP, population) are not modelled.
  //
  // as_of(last_year()) reproduces the panel as built, value for value and flag for flag
  // (tested on the shipped data/). Throws latwin::InputError when the panel has no
  // dictionary (indicators.csv), or when year is outside first_year() to last_year() (the
  // message names that range).
  Panel as_of(int year) const;
  // The year this panel is a vintage as of; nullopt for the panel as read from the folder.
  std::optional<int> vintage_year() const { return vintage_year_; }

  // ---- panel.csv ----

  // Ids of the indicators that have rows, sorted. A vintage has the indicators of the panel
  // it was taken from, including those without a value up to its year.
  std::vector<std::string> indicators() const;
  bool has_indicator(const std::string& indicator) const { return series_.contains(indicator); }
  // Rows read from panel.csv (including rows with an empty value); for a vintage, the values
  // it holds.
  std::size_t row_count() const { return row_count_; }
  // The value of (indicator, iso3, year); nullopt when there is none of the kind asked for.
  std::optional<double> value(const std::string& indicator, const std::string& iso3, int year,
                              Values which = Values::kAll) const;
  // The flag of that value; nullopt exactly when value() is nullopt.
  std::optional<Flag> flag(const std::string& indicator, const std::string& iso3, int year,
                           Values which = Values::kAll) const;
  // The series from the first to the last year panel.csv has a row for (whatever its flag),
  // with NaN where there is no value of the kind asked for (so under observed_only a
  // carried-forward tail reads as NaN). nullopt when there is no value of that kind at all.
  std::optional<PanelSeries> series(const std::string& indicator, const std::string& iso3,
                                    Values which = Values::kAll) const;
  // Countries with at least one value of the kind asked for: countries.csv order, then any
  // codes not in countries.csv, sorted.
  std::vector<std::string> countries_with(const std::string& indicator,
                                          Values which = Values::kAll) const;
  // Coverage of an indicator computed from the rows; zeros for an unknown indicator.
  IndicatorStats stats(const std::string& indicator) const;
  // Calls row_fn for every row read (for a vintage: every value it holds, filled ones with
  // line 0), sorted by indicator, iso3 and year.
  void for_each_row(const std::function<void(const PanelRow&)>& row_fn) const;
  // Line of the row (indicator, iso3, year) in panel.csv; 0 when there is no row (and for a
  // value a vintage filled).
  std::size_t line(const std::string& indicator, const std::string& iso3, int year) const;

  // ---- indicators.csv ----

  // Whether indicators.csv was read.
  bool has_dictionary() const { return has_dictionary_; }
  // The dictionary in file order; empty without indicators.csv.
  const std::vector<Indicator>& dictionary() const { return dictionary_; }
  // The dictionary entry of id; nullptr when there is none.
  const Indicator* find_indicator(const std::string& id) const;

  // ---- countries.csv ----

  const CountryTable& countries() const { return countries_; }

 private:
  struct StoredSeries {
    int first_year = 0;
    std::vector<double> values;      // NaN for a gap or a year without a row
    std::vector<Flag> flags;         // meaningful where values is not NaN
    std::vector<std::size_t> lines;  // 0 for a year without a row or a value a vintage filled
  };
  class Reader;
  friend class PanelDataSource;  // reads stored series as they are, gap rows included

  // An empty panel, for as_of to fill.
  Panel() = default;
  const StoredSeries* find_series(const std::string& indicator, const std::string& iso3) const;
  // Sets first_year_ and last_year_ from the values from the sources.
  void find_year_span();

  std::string dir_;
  CountryTable countries_;
  bool has_dictionary_ = false;
  std::vector<Indicator> dictionary_;
  std::map<std::string, std::size_t, std::less<>> dictionary_index_;
  std::size_t row_count_ = 0;
  std::optional<int> first_year_;
  std::optional<int> last_year_;
  std::optional<int> vintage_year_;
  // indicator → iso3 → series
  std::map<std::string, std::map<std::string, StoredSeries, std::less<>>, std::less<>> series_;
};

// The panel as the model compiler sees it (data() in model files). Series hold every value,
// including those the data build filled (interpolated, carried forward): a model reads the
// panel as built, or a vintage of it (Panel::as_of) with its own filled values. Use Panel
// with Values::kObservedOnly to see only source values.
class PanelDataSource : public engine::DataSource {
 public:
  // Reads the folder; with as_of, the vintage as of that year (which needs indicators.csv for
  // its gap policy; without as_of indicators.csv is optional). Throws latwin::InputError as
  // Panel and Panel::as_of do.
  explicit PanelDataSource(const std::string& dir, std::optional<int> as_of = std::nullopt);
  // A panel already read, e.g. one of several vintages taken from one load for a backtest.
  explicit PanelDataSource(Panel panel);

  // Table "countries" only: iso3 codes in file order, those whose column equals value when
  // column is not empty. Throws latwin::InputError naming the file and the valid tables or
  // columns when table or column is unknown.
  std::vector<std::string> table_elements(const std::string& table, const std::string& column,
                                          const std::string& value) const override;
  // Indicator names, sorted.
  std::vector<std::string> indicators() const override;
  bool has_indicator(const std::string& indicator) const override;
  // Yearly values (all flags) from the first to the last year the panel has a row for; NaN
  // for gaps and missing years. nullopt when the indicator has no value for element.
  std::optional<engine::Series> series(const std::string& indicator,
                                       const std::string& element) const override;

  const std::string& dir() const { return panel_.dir(); }
  const Panel& panel() const { return panel_; }

 private:
  Panel panel_;
};

}  // namespace latwin::data
