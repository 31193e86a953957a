#pragma once
// What the engine leaves to its callers: the historical data a model reads with data(),
// the tables its dimensions may come from, and per-run inputs: a strategy's allocations
// and a scenario's series. The engine knows no indicator, country or instrument by name.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace latwin::engine {

// Yearly values from first_year on; NaN marks a gap (never filled by the engine).
struct Series {
  int first_year = 0;
  std::vector<double> values;

  // Value at a (possibly fractional) year: linear between the two yearly values around it;
  // NaN outside the series or next to a gap.
  double linear(double year) const;
  // Value of the year that contains `year` (floor); NaN outside.
  double stepwise(double year) const;
};

// Read-only source of historical data, used at compile time.
class DataSource {
 public:
  virtual ~DataSource() = default;
  // Element names of a table (e.g. "countries"), optionally those whose column equals value.
  // Throws latwin::InputError when the table or column is unknown.
  virtual std::vector<std::string> table_elements(const std::string& table,
                                                  const std::string& column,
                                                  const std::string& value) const = 0;
  virtual std::vector<std::string> indicators() const = 0;
  virtual bool has_indicator(const std::string& indicator) const = 0;
  // The yearly series of an indicator for one element; nullopt when that element has none.
  virtual std::optional<Series> series(const std::string& indicator,
                                       const std::string& element) const = 0;
};

// Inputs that change from run to run: what the U.S. spends (a strategy) and what the world
// does (a scenario). Keys are (name, element); an empty element applies to every element.
struct RunInputs {
  std::map<std::pair<std::string, std::string>, Series> allocations;
  std::map<std::pair<std::string, std::string>, Series> scenario;
};

}  // namespace latwin::engine
