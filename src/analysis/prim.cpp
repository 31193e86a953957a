#include "analysis/prim.hpp"

#include <fmt/format.h>

#include <boost/math/distributions/binomial.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <utility>

namespace latwin::analysis {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void validate(const std::vector<double>& x, std::size_t dims, const std::vector<bool>& interesting,
              const PrimOptions& options) {
  if (dims == 0) throw std::invalid_argument("prim: dims must be at least 1");
  if (x.size() % dims != 0) {
    throw std::invalid_argument(
        fmt::format("prim: x has {} values, which is not a whole number of points of {} factors",
                    x.size(), dims));
  }
  const std::size_t n = x.size() / dims;
  if (n == 0) throw std::invalid_argument("prim: there are no points");
  if (interesting.size() != n) {
    throw std::invalid_argument(
        fmt::format("prim: interesting has {} entries but x has {} points", interesting.size(), n));
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      throw std::invalid_argument(
          fmt::format("prim: factor {} of point {} is not finite ({})", i % dims, i / dims, x[i]));
    }
  }
  auto share = [](const char* name, double value) {
    if (!(value > 0 && value < 1)) {
      throw std::invalid_argument(
          fmt::format("prim: {} must be between 0 and 1 (exclusive), not {}", name, value));
    }
  };
  share("peel_alpha", options.peel_alpha);
  share("paste_alpha", options.paste_alpha);
  if (!(options.min_mass >= 0 && options.min_mass <= 1)) {
    throw std::invalid_argument(
        fmt::format("prim: min_mass must be between 0 and 1, not {}", options.min_mass));
  }
  if (!(options.max_quasi_p > 0 && options.max_quasi_p <= 1)) {
    throw std::invalid_argument(
        fmt::format("prim: max_quasi_p must be above 0 and at most 1, not {}", options.max_quasi_p));
  }
  if (!(options.density_tolerance >= 0) || !std::isfinite(options.density_tolerance)) {
    throw std::invalid_argument(fmt::format("prim: density_tolerance must be 0 or more, not {}",
                                            options.density_tolerance));
  }
  if (options.objective != PrimObjective::kDensity &&
      options.objective != PrimObjective::kGainPerPoint) {
    throw std::invalid_argument("prim: unknown objective");
  }
}

// The points, and per factor their indices sorted by value (ties by index), sorted once so a
// peel or a paste is one walk from an end; the sorted values sit beside the indices so a walk
// reads them in sequence.
struct Table {
  const std::vector<double>& x;
  const std::vector<bool>& interesting;
  std::size_t n, dims;
  std::vector<std::vector<std::size_t>> order;
  std::vector<std::vector<double>> sorted;

  Table(const std::vector<double>& x_in, std::size_t dims_in,
        const std::vector<bool>& interesting_in)
      : x(x_in),
        interesting(interesting_in),
        n(x_in.size() / dims_in),
        dims(dims_in),
        order(dims_in),
        sorted(dims_in) {
    // Sorting (value, index) pairs rather than indices by a lookup into x: the same order, but
    // the lookups stride through x and made this sort 80% of the run time at 100,000 points.
    std::vector<std::pair<double, std::size_t>> pairs(n);
    for (std::size_t factor = 0; factor < dims; ++factor) {
      for (std::size_t point = 0; point < n; ++point) pairs[point] = {value(point, factor), point};
      std::sort(pairs.begin(), pairs.end());
      order[factor].resize(n);
      sorted[factor].resize(n);
      for (std::size_t rank = 0; rank < n; ++rank) {
        sorted[factor][rank] = pairs[rank].first;
        order[factor][rank] = pairs[rank].second;
      }
    }
  }
  double value(std::size_t point, std::size_t factor) const { return x[point * dims + factor]; }
  // The point `step` places from the low end, or from the high end, and its value.
  std::size_t at(std::size_t factor, bool from_high, std::size_t step) const {
    return order[factor][from_high ? n - 1 - step : step];
  }
  double value_at(std::size_t factor, bool from_high, std::size_t step) const {
    return sorted[factor][from_high ? n - 1 - step : step];
  }
};

// A limit between a kept value and the nearest value dropped: their midpoint (the EMA
// workbench's convention, so a limit reads as a boundary rather than a data point), or the
// kept value itself when the two are adjacent doubles and the midpoint rounds onto one.
double cut_between(double kept, double dropped) {
  double mid = kept / 2 + dropped / 2;
  bool ok = kept < dropped ? (kept <= mid && mid < dropped) : (dropped < mid && mid <= kept);
  return ok ? mid : kept;
}

// The box being searched: its limits and which of the points in play lie inside.
struct SearchBox {
  std::vector<double> low, high;
  std::vector<char> inside;
  std::size_t points = 0, cases = 0;
  // Per end (low, high) and factor: steps from that end of the sorted order before the first
  // point inside. Points only leave the box while peeling, so these only grow, and a peel's
  // walk need not pass again over everything peeled before.
  std::vector<std::size_t> edge[2];

  double density() const { return static_cast<double>(cases) / static_cast<double>(points); }
  bool restricts(std::size_t factor) const { return low[factor] != -kInf || high[factor] != kInf; }
};

// A candidate peel or paste: which end of which factor, the new limit, and the points it
// removes or adds.
struct Step {
  std::size_t factor = 0;
  bool high_side = false;
  double limit = 0;
  std::size_t moved = 0, moved_cases = 0;  // points removed (peel) or added (paste)
  double density = 0;                      // of the box after the step
  double objective = 0;
};

double objective_of(PrimObjective objective, double old_density, double new_density,
                    std::size_t moved) {
  if (objective == PrimObjective::kDensity) return new_density;
  return (new_density - old_density) / static_cast<double>(moved);
}

// The peel at one end of a factor: whole groups of equal values from that end until about
// alpha of the box's points are gone. The first group always goes, so a peel removes at
// least one point even when ties are heavy (a 0/1 factor drops all of one value); a factor
// with a single value left in the box cannot be peeled.
std::optional<Step> peel_at(const Table& table, const SearchBox& box, std::size_t factor,
                            bool high_side, std::size_t target) {
  Step step;
  step.factor = factor;
  step.high_side = high_side;
  double last_removed = 0;
  std::size_t walk = box.edge[high_side][factor];
  while (walk < table.n) {
    std::size_t point = table.at(factor, high_side, walk);
    if (!box.inside[point]) {
      ++walk;
      continue;
    }
    // The group of points in the box sharing this value (consecutive in the sorted order).
    const double value = table.value_at(factor, high_side, walk);
    std::size_t group = 0, group_cases = 0, end = walk;
    for (; end < table.n; ++end) {
      if (table.value_at(factor, high_side, end) != value) break;
      std::size_t other = table.at(factor, high_side, end);
      if (box.inside[other]) {
        ++group;
        group_cases += table.interesting[other] ? 1 : 0;
      }
    }
    if (step.moved > 0 && step.moved + group > target) {
      step.limit = cut_between(value, last_removed);
      return step;
    }
    step.moved += group;
    step.moved_cases += group_cases;
    last_removed = value;
    walk = end;
  }
  return std::nullopt;
}

// The paste at one end of a restricted factor: the points just beyond the limit that every
// other limit admits, nearest first, whole groups of equal values, until about alpha of the
// box's points are added. When none such remains beyond, the limit goes (the factor is then
// unrestricted on that side, which admits the same points).
std::optional<Step> paste_at(const Table& table, const SearchBox& box,
                             const std::vector<char>& active,
                             const std::vector<std::size_t>& violations, std::size_t factor,
                             bool high_side, std::size_t target) {
  const double limit = high_side ? box.high[factor] : box.low[factor];
  if (std::isinf(limit)) return std::nullopt;
  Step step;
  step.factor = factor;
  step.high_side = high_side;
  // Walk the sorted order outwards from the first value beyond the limit; a point there that
  // breaks a single limit breaks this one.
  const auto& order = table.order[factor];
  const auto& sorted = table.sorted[factor];
  const auto split = high_side ? std::upper_bound(sorted.begin(), sorted.end(), limit)
                               : std::lower_bound(sorted.begin(), sorted.end(), limit);
  std::ptrdiff_t pos = (split - sorted.begin()) - (high_side ? 0 : 1);
  const std::ptrdiff_t stride = high_side ? 1 : -1;
  const auto n = static_cast<std::ptrdiff_t>(table.n);
  double last_added = 0;
  while (pos >= 0 && pos < n) {
    // The group of points sharing this value, and those of them this paste may add: in play,
    // outside the box only because of this limit.
    const double value = sorted[static_cast<std::size_t>(pos)];
    std::size_t group = 0, group_cases = 0;
    std::ptrdiff_t end = pos;
    for (; end >= 0 && end < n; end += stride) {
      if (sorted[static_cast<std::size_t>(end)] != value) break;
      std::size_t point = order[static_cast<std::size_t>(end)];
      if (active[point] && violations[point] == 1) {
        ++group;
        group_cases += table.interesting[point] ? 1 : 0;
      }
    }
    if (group > 0) {
      if (step.moved >= target) {
        step.limit = cut_between(last_added, value);
        return step;
      }
      step.moved += group;
      step.moved_cases += group_cases;
      last_added = value;
    }
    pos = end;
  }
  if (step.moved == 0) return std::nullopt;
  step.limit = high_side ? kInf : -kInf;
  return step;
}

// How many points an alpha share of a box of `points` is: at least one.
std::size_t share_of(double alpha, std::size_t points) {
  return std::max<std::size_t>(
      1, static_cast<std::size_t>(std::floor(alpha * static_cast<double>(points))));
}

PrimBox snapshot(const SearchBox& box, std::size_t total_points, std::size_t total_cases) {
  PrimBox out;
  out.low = box.low;
  out.high = box.high;
  out.points = box.points;
  out.cases = box.cases;
  out.density = box.density();
  out.mass = static_cast<double>(box.points) / static_cast<double>(total_points);
  out.coverage =
      total_cases == 0 ? 0.0 : static_cast<double>(box.cases) / static_cast<double>(total_cases);
  return out;
}

// P(X >= cases) for X ~ Binomial(points, density): how often a box of this many points drawn
// at that density would hold as many cases.
double quasi_p_value(std::size_t points, std::size_t cases, double density) {
  if (cases == 0) return 1;
  if (!(density > 0)) return 0;
  if (density >= 1) return 1;
  boost::math::binomial_distribution<double> binomial(static_cast<double>(points), density);
  return boost::math::cdf(boost::math::complement(binomial, static_cast<double>(cases - 1)));
}

bool contains(const Table& table, const std::vector<double>& low, const std::vector<double>& high,
              std::size_t point) {
  for (std::size_t factor = 0; factor < table.dims; ++factor) {
    double v = table.value(point, factor);
    if (v < low[factor] || v > high[factor]) return false;
  }
  return true;
}

// Moves each edge past the points no longer inside.
void advance_edges(const Table& table, SearchBox& box) {
  for (int side = 0; side < 2; ++side) {
    for (std::size_t factor = 0; factor < table.dims; ++factor) {
      std::size_t& edge = box.edge[side][factor];
      while (edge < table.n && !box.inside[table.at(factor, side == 1, edge)]) ++edge;
    }
  }
}

// Peels while a peel raises the density, then chooses a box and pastes it. `active` marks
// the points in play (all but those set aside by covering); coverage and mass are shares of
// total_points and total_cases.
PrimResult search(const Table& table, const std::vector<char>& active, const PrimOptions& options,
                  std::size_t total_points, std::size_t total_cases) {
  const std::size_t dims = table.dims;
  SearchBox box;
  box.low.assign(dims, -kInf);
  box.high.assign(dims, kInf);
  box.inside = active;
  for (std::size_t point = 0; point < table.n; ++point) {
    if (!active[point]) continue;
    ++box.points;
    box.cases += table.interesting[point] ? 1 : 0;
  }
  box.edge[0].assign(dims, 0);
  box.edge[1].assign(dims, 0);
  advance_edges(table, box);
  const auto min_points = std::max<std::size_t>(
      {std::size_t{1}, options.min_points,
       static_cast<std::size_t>(std::ceil(options.min_mass * static_cast<double>(total_points)))});

  PrimResult result;
  result.base_density = box.density();
  result.trajectory.push_back(snapshot(box, total_points, total_cases));

  // Peeling. Among candidates with the same objective the order is fixed: a factor already
  // restricted first (no new dimension to read, as in the EMA workbench), then the smaller
  // peel, then the lower factor index, then the low end before the high end.
  for (;;) {
    const double density = box.density();
    const std::size_t target = share_of(options.peel_alpha, box.points);
    std::optional<Step> best;
    for (std::size_t factor = 0; factor < dims; ++factor) {
      for (bool high_side : {false, true}) {
        std::optional<Step> step = peel_at(table, box, factor, high_side, target);
        if (!step || box.points - step->moved < min_points) continue;
        step->density = static_cast<double>(box.cases - step->moved_cases) /
                        static_cast<double>(box.points - step->moved);
        step->objective = objective_of(options.objective, density, step->density, step->moved);
        bool better = !best || step->objective > best->objective;
        if (best && step->objective == best->objective) {
          bool restricted = box.restricts(factor), best_restricted = box.restricts(best->factor);
          better = (restricted && !best_restricted) ||
                   (restricted == best_restricted && step->moved < best->moved);
        }
        if (better) best = step;
      }
    }
    // A peel must raise the density: a pure box (or one without cases) stays as it is.
    if (!best || !(best->density > density)) break;
    // Take the peeled points out.
    const std::size_t factor = best->factor;
    for (std::size_t walk = box.edge[best->high_side][factor]; walk < table.n; ++walk) {
      double v = table.value_at(factor, best->high_side, walk);
      if (best->high_side ? v <= best->limit : v >= best->limit) break;
      box.inside[table.at(factor, best->high_side, walk)] = 0;
    }
    (best->high_side ? box.high : box.low)[factor] = best->limit;
    box.points -= best->moved;
    box.cases -= best->moved_cases;
    advance_edges(table, box);
    result.trajectory.push_back(snapshot(box, total_points, total_cases));
  }

  // The chosen box: the first whose density is within the tolerance of the best.
  double top = 0;
  for (const PrimBox& b : result.trajectory) top = std::max(top, b.density);
  for (std::size_t i = 0; i < result.trajectory.size(); ++i) {
    if (result.trajectory[i].density >= top - options.density_tolerance) {
      result.chosen = i;
      break;
    }
  }

  // Pasting, from the chosen box. Ties: a paste that lifts a limit altogether first (fewer
  // dimensions to read), then the larger paste, then the lower factor, then the low end.
  const PrimBox& chosen = result.trajectory[result.chosen];
  box.low = chosen.low;
  box.high = chosen.high;
  box.points = chosen.points;
  box.cases = chosen.cases;
  std::vector<std::size_t> violations(table.n, 0);
  for (std::size_t point = 0; point < table.n; ++point) {
    box.inside[point] = active[point] && contains(table, box.low, box.high, point);
  }
  while (options.paste) {
    const double density = box.density();
    const std::size_t target = share_of(options.paste_alpha, box.points);
    // How many limits each point in play breaks: a paste may add only those breaking one.
    for (std::size_t point = 0; point < table.n; ++point) {
      std::size_t broken = 0;
      for (std::size_t factor = 0; factor < dims && active[point]; ++factor) {
        double v = table.value(point, factor);
        broken += (v < box.low[factor] || v > box.high[factor]) ? 1 : 0;
      }
      violations[point] = broken;
    }
    std::optional<Step> best;
    for (std::size_t factor = 0; factor < dims; ++factor) {
      for (bool high_side : {false, true}) {
        std::optional<Step> step =
            paste_at(table, box, active, violations, factor, high_side, target);
        if (!step) continue;
        step->density = static_cast<double>(box.cases + step->moved_cases) /
                        static_cast<double>(box.points + step->moved);
        step->objective = objective_of(options.objective, density, step->density, step->moved);
        bool better = !best || step->objective > best->objective;
        if (best && step->objective == best->objective) {
          bool lifts = std::isinf(step->limit), best_lifts = std::isinf(best->limit);
          better = (lifts && !best_lifts) || (lifts == best_lifts && step->moved > best->moved);
        }
        if (better) best = step;
      }
    }
    // A paste must raise the density, so pasting ends (each step adds points to a finite set).
    if (!best || !(best->density > density)) break;
    // Let in the points that broke only this limit and lie within the new one.
    double& limit = (best->high_side ? box.high : box.low)[best->factor];
    const double old_limit = limit;
    limit = best->limit;
    for (std::size_t point = 0; point < table.n; ++point) {
      if (!active[point] || violations[point] != 1) continue;
      double v = table.value(point, best->factor);
      bool was_beyond = best->high_side ? v > old_limit : v < old_limit;
      if (was_beyond && v >= box.low[best->factor] && v <= box.high[best->factor]) {
        box.inside[point] = 1;
      }
    }
    box.points += best->moved;
    box.cases += best->moved_cases;
  }

  // Pruning: lift the least significant limit while one is not significant. Ties: the
  // higher factor index goes first (a fixed order).
  auto quasi_p_values = [&] {
    std::vector<double> values(dims, 1.0);
    for (std::size_t factor = 0; factor < dims; ++factor) {
      if (!box.restricts(factor)) continue;
      std::size_t points = 0, cases = 0;
      std::vector<double> low = box.low, high = box.high;
      low[factor] = -kInf;
      high[factor] = kInf;
      for (std::size_t point = 0; point < table.n; ++point) {
        if (!active[point] || !contains(table, low, high, point)) continue;
        ++points;
        cases += table.interesting[point] ? 1 : 0;
      }
      values[factor] = quasi_p_value(box.points, box.cases,
                                     static_cast<double>(cases) / static_cast<double>(points));
    }
    return values;
  };
  result.quasi_p = quasi_p_values();
  while (options.max_quasi_p < 1) {
    std::size_t worst = dims;
    for (std::size_t factor = 0; factor < dims; ++factor) {
      if (box.restricts(factor) && result.quasi_p[factor] > options.max_quasi_p &&
          (worst == dims || result.quasi_p[factor] >= result.quasi_p[worst])) {
        worst = factor;
      }
    }
    if (worst == dims) break;
    box.low[worst] = -kInf;
    box.high[worst] = kInf;
    box.points = 0;
    box.cases = 0;
    for (std::size_t point = 0; point < table.n; ++point) {
      box.inside[point] = active[point] && contains(table, box.low, box.high, point);
      box.points += box.inside[point] ? 1 : 0;
      box.cases += box.inside[point] && table.interesting[point] ? 1 : 0;
    }
    result.quasi_p = quasi_p_values();
  }
  result.box = snapshot(box, total_points, total_cases);
  return result;
}

// A limit with three significant digits, without an exponent for everyday magnitudes.
std::string format_limit(double value) {
  double magnitude = std::fabs(value);
  if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e9)) return fmt::format("{:.3g}", value);
  int decimals =
      magnitude == 0 ? 0 : std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
  std::string text = fmt::format("{:.{}f}", value, decimals);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace

std::vector<Limit> PrimBox::restricted() const {
  std::vector<Limit> limits;
  for (std::size_t factor = 0; factor < low.size(); ++factor) {
    if (low[factor] != -kInf || high[factor] != kInf) {
      limits.push_back({factor, low[factor], high[factor]});
    }
  }
  return limits;
}

PrimResult prim(const std::vector<double>& x, std::size_t dims,
                const std::vector<bool>& interesting, const PrimOptions& options) {
  validate(x, dims, interesting, options);
  Table table(x, dims, interesting);
  std::size_t cases =
      static_cast<std::size_t>(std::count(interesting.begin(), interesting.end(), true));
  return search(table, std::vector<char>(table.n, 1), options, table.n, cases);
}

std::vector<PrimBox> prim_covering(const std::vector<double>& x, std::size_t dims,
                                   const std::vector<bool>& interesting, const PrimOptions& options,
                                   std::size_t max_boxes) {
  validate(x, dims, interesting, options);
  Table table(x, dims, interesting);
  const std::size_t total_cases =
      static_cast<std::size_t>(std::count(interesting.begin(), interesting.end(), true));
  std::vector<char> active(table.n, 1);
  std::vector<PrimBox> boxes;
  while (boxes.size() < max_boxes) {
    std::size_t points = 0, cases = 0;
    for (std::size_t point = 0; point < table.n; ++point) {
      points += active[point] ? 1 : 0;
      cases += active[point] && interesting[point] ? 1 : 0;
    }
    if (cases == 0 || points == 0) break;
    PrimResult found = search(table, active, options, table.n, total_cases);
    if (found.box.restricted().empty()) break;
    for (std::size_t point = 0; point < table.n; ++point) {
      if (active[point] && contains(table, found.box.low, found.box.high, point)) active[point] = 0;
    }
    boxes.push_back(std::move(found.box));
  }
  return boxes;
}

std::string describe_box(const PrimBox& box, const std::vector<std::string>& factor_names) {
  if (factor_names.size() != box.low.size() || box.high.size() != box.low.size()) {
    throw std::invalid_argument(fmt::format("describe_box: {} factor names for a box of {} factors",
                                            factor_names.size(), box.low.size()));
  }
  std::vector<std::string> parts;
  for (const Limit& limit : box.restricted()) {
    const std::string& name = factor_names[limit.factor];
    if (limit.high == kInf) {
      parts.push_back(fmt::format("{} above {}", name, format_limit(limit.low)));
    } else if (limit.low == -kInf) {
      parts.push_back(fmt::format("{} below {}", name, format_limit(limit.high)));
    } else {
      parts.push_back(fmt::format("{} between {} and {}", name, format_limit(limit.low),
                                  format_limit(limit.high)));
    }
  }
  std::string text;
  if (parts.empty()) text = "the whole space";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) text += i + 1 == parts.size() ? " and " : ", ";
    text += parts[i];
  }
  return text +
         fmt::format(" (coverage {:.0f}%, density {:.0f}%)", 100 * box.coverage, 100 * box.density);
}

}  // namespace latwin::analysis
