#include "data/run_inputs.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "data/csv.hpp"

namespace latwin::data {

namespace {

double parse_number(std::string_view text, const std::string& where, const char* what) {
  text = trim(text);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    throw InputError(fmt::format("{}: {} is not a number: '{}'", where, what, text));
  }
  return value;
}

}  // namespace

engine::RunInputs load_run_inputs(const std::string& path) {
  std::string text = read_text_file(path);
  CsvReader reader(text, path);
  std::vector<std::string> fields;
  const std::vector<std::string> kHeader = {"kind", "name", "element", "year", "value"};
  if (!reader.next(fields)) throw InputError(fmt::format("{}: the file is empty", path));
  for (auto& field : fields) field = std::string(trim(field));
  if (fields != kHeader) {
    throw InputError(fmt::format("{}:1: expected the header kind,name,element,year,value", path));
  }
  // (kind, name, element) → year → (value, line)
  std::map<std::tuple<std::string, std::string, std::string>,
           std::map<int, std::pair<double, std::size_t>>>
      points;
  while (reader.next(fields)) {
    std::string where = fmt::format("{}:{}", path, reader.line());
    if (fields.size() != kHeader.size()) {
      throw InputError(fmt::format("{}: expected {} fields, found {}", where, kHeader.size(),
                                   fields.size()));
    }
    std::string kind(trim(fields[0]));
    if (kind != "scenario" && kind != "allocation") {
      throw InputError(
          fmt::format("{}: kind must be 'scenario' or 'allocation', not '{}'", where, kind));
    }
    std::string name(trim(fields[1]));
    if (name.empty()) throw InputError(fmt::format("{}: the name is empty", where));
    double year = parse_number(fields[3], where, "the year");
    if (year != std::floor(year) || year < 1000 || year > 3000) {
      throw InputError(fmt::format("{}: the year must be a whole year, not '{}'", where,
                                   trim(fields[3])));
    }
    double value = parse_number(fields[4], where, "the value");
    auto& series = points[{kind, name, std::string(trim(fields[2]))}];
    auto [it, inserted] = series.emplace(static_cast<int>(year), std::make_pair(value, reader.line()));
    if (!inserted) {
      std::string element(trim(fields[2]));
      throw InputError(fmt::format("{}: {} '{}'{} has a value for {} already (line {})", where,
                                   kind, name, element.empty() ? "" : " for " + element,
                                   static_cast<int>(year), it->second.second));
    }
  }
  engine::RunInputs inputs;
  for (const auto& [key, by_year] : points) {
    const auto& [kind, name, element] = key;
    engine::Series series;
    series.first_year = by_year.begin()->first;
    // Years not given stay gaps (NaN): the engine reads a missing allocation as no spending
    // and a missing scenario value as NaN, reported as a run diagnostic.
    series.values.assign(static_cast<std::size_t>(by_year.rbegin()->first - series.first_year + 1),
                         NAN);
    for (const auto& [year, entry] : by_year) {
      series.values[static_cast<std::size_t>(year - series.first_year)] = entry.first;
    }
    auto& table = kind == "scenario" ? inputs.scenario : inputs.allocations;
    table[{name, element}] = std::move(series);
  }
  return inputs;
}

}  // namespace latwin::data
