#include "engine/compile/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace latwin::engine {

double Series::linear(double year) const {
  if (values.empty() || !std::isfinite(year)) return NAN;
  double offset = year - first_year;
  if (offset < 0 || offset > static_cast<double>(values.size() - 1)) return NAN;
  auto below = static_cast<std::size_t>(std::floor(offset));
  double fraction = offset - static_cast<double>(below);
  if (fraction == 0) return values[below];
  return values[below] + fraction * (values[below + 1] - values[below]);
}

double Series::stepwise(double year) const {
  if (values.empty() || !std::isfinite(year)) return NAN;
  double offset = std::floor(year) - first_year;
  if (offset < 0 || offset >= static_cast<double>(values.size())) return NAN;
  return values[static_cast<std::size_t>(offset)];
}

double LookupTable::at(double value) const {
  if (std::isnan(value) || x.empty()) return NAN;
  if (value <= x.front()) return y.front();
  if (value >= x.back()) return y.back();
  auto upper = static_cast<std::size_t>(std::upper_bound(x.begin(), x.end(), value) - x.begin());
  std::size_t lower = upper - 1;
  double fraction = (value - x[lower]) / (x[upper] - x[lower]);
  return y[lower] + fraction * (y[upper] - y[lower]);
}

std::optional<std::uint32_t> Plan::find_variable(const std::string& name) const {
  for (std::uint32_t v = 0; v < variables.size(); ++v) {
    if (variables[v].name == name) return v;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> Plan::find_dimension(const std::string& name) const {
  for (std::uint32_t d = 0; d < dimensions.size(); ++d) {
    if (dimensions[d].name == name) return d;
  }
  return std::nullopt;
}

std::string Plan::element_name(const Variable& var, std::uint32_t element) const {
  if (var.dims.empty()) return "";
  if (var.dims.size() == 1) return dimensions[var.dims[0]].elements[element];
  const auto& inner = dimensions[var.dims[1]].elements;
  auto inner_size = static_cast<std::uint32_t>(inner.size());
  return fmt::format("{}.{}", dimensions[var.dims[0]].elements[element / inner_size],
                     inner[element % inner_size]);
}

std::size_t Plan::equation_count() const {
  return static_cast<std::size_t>(std::count_if(variables.begin(), variables.end(), [](const Variable& v) {
    return !v.hidden && (v.role == VarRole::kAux || v.role == VarRole::kStock);
  }));
}

}  // namespace latwin::engine
