#include "analysis/sensitivity.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "analysis/statistics.hpp"
#include "core/random.hpp"

namespace latwin::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Draw sites of the designs and the bootstrap (DrawKey::stream): distinct so that one seed
// gives unrelated random choices to each. Arbitrary values, never changed: a change would
// change every design for a given seed.
constexpr std::uint32_t kLhsPermutationStream = 0x5E450001;
constexpr std::uint32_t kLhsOffsetStream = 0x5E450002;
constexpr std::uint32_t kSobolScrambleStream = 0x5E450003;
constexpr std::uint32_t kBootstrapStream = 0x5E450004;
constexpr std::uint32_t kMorrisStream = 0x5E450005;

// Sobol' points as 32-bit integers (digit k of the base-2 fraction in bit 31 - k): enough for
// 2^32 points, and Owen scrambling fills the digits below.
using SobolEngine = boost::random::sobol_engine<std::uint32_t, 32>;
constexpr std::uint64_t kMaxSobolPoints = std::uint64_t{1} << 32;

// Throws unless count * dims points fit in a vector of doubles.
void check_design_size(const char* what, std::size_t count, std::size_t dims) {
  if (count == 0)
    throw std::invalid_argument(fmt::format("{}: the design needs at least one point", what));
  if (dims == 0)
    throw std::invalid_argument(fmt::format("{}: the design needs at least one dimension", what));
  if (count > std::vector<double>().max_size() / dims) {
    throw std::invalid_argument(
        fmt::format("{}: {} points in {} dimensions are too many to hold", what, count, dims));
  }
}

// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mix whose output
// bits each depend on every input bit.
std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

// A keyed hash of (depth, prefix): the random bits of one node of Owen's scrambling tree.
std::uint64_t scramble_hash(std::uint64_t key, std::uint64_t depth, std::uint64_t prefix) {
  return mix64(key ^ mix64((depth << 32) | prefix));
}

// Nested uniform (Owen) scrambling of one coordinate, to 52 binary digits: digit k is flipped
// by a random bit that depends on the key and on the k digits above it, so points that share
// their first k digits stay together, which keeps the net's balance. Digits 33 to 52 are
// uniform given the 32 above them (an infinitely deep scramble of the zeros below a 32-bit
// point). The result is in (0, 1) exactly as core/random.hpp's words_to_unit.
double owen_scramble(std::uint32_t digits, std::uint64_t key) {
  std::uint32_t scrambled = 0;
  for (std::uint32_t depth = 0; depth < 32; ++depth) {
    std::uint64_t prefix = depth == 0 ? 0 : digits >> (32 - depth);
    auto flip = static_cast<std::uint32_t>(scramble_hash(key, depth, prefix) >> 63);
    std::uint32_t digit = (digits >> (31 - depth)) & 1u;
    scrambled |= (digit ^ flip) << (31 - depth);
  }
  std::uint64_t low = scramble_hash(key, 32, digits) >> 44;  // 20 digits
  std::uint64_t bits = (static_cast<std::uint64_t>(scrambled) << 20) | low;
  return (static_cast<double>(bits) + 0.5) * 0x1.0p-52;
}

// A uniform integer in [0, bound) from one uniform in (0, 1); the clamp guards the rounding
// of u * bound up to bound when u is within 2^-53 of 1.
std::size_t uniform_index(UniformStream& stream, std::size_t bound) {
  auto k = static_cast<std::size_t>(stream.next() * static_cast<double>(bound));
  return std::min(k, bound - 1);
}

// Fisher-Yates shuffle of 0 .. n-1.
std::vector<std::size_t> random_permutation(std::size_t n, UniformStream& stream) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[uniform_index(stream, i)]);
  return order;
}

// First-order and total indices of every factor.
struct Indices {
  std::vector<double> first, total;
};

// Sobol' indices from the base rows listed in `pick` (every row, or a bootstrap resample);
// rows holds each base row's outputs A, B, AB_0 .. AB_{d-1}, centred. NaN when the A and B
// outputs have no variance.
Indices estimate_indices(const std::vector<double>& rows, std::size_t dims,
                         const std::vector<std::size_t>& pick) {
  const std::size_t width = dims + 2;
  const auto count = static_cast<double>(pick.size());
  // Variance of the A and B outputs (divisor 2K, as Saltelli et al. 2010): mean first.
  double sum = 0;
  for (std::size_t row : pick) sum += rows[row * width] + rows[row * width + 1];
  const double mean = sum / (2 * count);
  double squares = 0;
  for (std::size_t row : pick) {
    const double a = rows[row * width] - mean, b = rows[row * width + 1] - mean;
    squares += a * a + b * b;
  }
  const double variance = squares / (2 * count);
  Indices out{std::vector<double>(dims, 0.0), std::vector<double>(dims, 0.0)};
  for (std::size_t row : pick) {
    const double* r = &rows[row * width];
    const double f_a = r[0], f_b = r[1];
    for (std::size_t j = 0; j < dims; ++j) {
      const double f_ab = r[2 + j];
      // Saltelli et al. (2010), Table 2 (b): V_j = E[f(B) (f(AB_j) - f(A))].
      out.first[j] += f_b * (f_ab - f_a);
      // Jansen (1999), Table 2 (f): VT_j = E[(f(A) - f(AB_j))^2] / 2.
      out.total[j] += (f_a - f_ab) * (f_a - f_ab);
    }
  }
  for (std::size_t j = 0; j < dims; ++j) {
    if (variance > 0) {
      out.first[j] = out.first[j] / count / variance;
      out.total[j] = out.total[j] / (2 * count) / variance;
    } else {
      out.first[j] = out.total[j] = kNaN;
    }
  }
  return out;
}

// The 2.5% and 97.5% quantiles (type 7) of the finite values; NaN when there are none.
std::pair<double, double> percentile_interval(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  return {quantile_sorted(values, 0.025), quantile_sorted(values, 0.975)};
}

}  // namespace

Design latin_hypercube(std::size_t n, std::size_t dims, std::uint64_t seed) {
  check_design_size("latin_hypercube", n, dims);
  if (n > kMaxSobolPoints) {
    throw std::invalid_argument(fmt::format("latin_hypercube: {} points; at most 2^32", n));
  }
  Design design{dims, std::vector<double>(n * dims)};
  const auto strata = static_cast<double>(n);
  // The offset inside a stratum stays 2^-32 away from its edges, so rounding of
  // (stratum + offset) / n can never carry a point into the next stratum or onto 1.
  constexpr double kEdge = 0x1.0p-32;
  for (std::size_t dim = 0; dim < dims; ++dim) {
    const auto element = static_cast<std::uint32_t>(dim);
    UniformStream permutation_stream(DrawKey{seed, 0, kLhsPermutationStream, element, 0});
    UniformStream offset_stream(DrawKey{seed, 0, kLhsOffsetStream, element, 0});
    const std::vector<std::size_t> stratum = random_permutation(n, permutation_stream);
    for (std::size_t i = 0; i < n; ++i) {
      const double offset = std::clamp(offset_stream.next(), kEdge, 1 - kEdge);
      design.points[i * dims + dim] = (static_cast<double>(stratum[i]) + offset) / strata;
    }
  }
  return design;
}

Design sobol_sequence(std::size_t n, std::size_t dims, std::uint64_t seed) {
  check_design_size("sobol_sequence", n, dims);
  if (dims > kMaxSobolDims) {
    throw std::invalid_argument(fmt::format(
        "sobol_sequence: {} dimensions; the direction numbers (Joe and Kuo 2008) cover {}", dims,
        kMaxSobolDims));
  }
  if (n > kMaxSobolPoints) {
    throw std::invalid_argument(fmt::format("sobol_sequence: {} points; at most 2^32", n));
  }
  // One scrambling key per dimension.
  std::vector<std::uint64_t> keys(dims);
  for (std::size_t dim = 0; dim < dims; ++dim) {
    auto words =
        random_words(DrawKey{seed, 0, kSobolScrambleStream, static_cast<std::uint32_t>(dim), 0}, 0);
    keys[dim] = (static_cast<std::uint64_t>(words.v[0]) << 32) | words.v[1];
  }
  Design design{dims, std::vector<double>(n * dims)};
  // Boost's engine starts at the sequence's second point (it skips the origin), so point 0,
  // the origin, is written here and the engine supplies points 1 .. n-1.
  SobolEngine engine(dims);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t dim = 0; dim < dims; ++dim) {
      const std::uint32_t digits = i == 0 ? 0 : engine();
      design.points[i * dims + dim] = owen_scramble(digits, keys[dim]);
    }
  }
  return design;
}

SaltelliDesign saltelli_design(std::size_t base, std::size_t dims, std::uint64_t seed) {
  if (base < 2) {
    throw std::invalid_argument(
        fmt::format("saltelli_design: {} base rows; variances need at least 2", base));
  }
  if (dims == 0) throw std::invalid_argument("saltelli_design: no factor");
  if (dims > kMaxSobolDims / 2) {
    throw std::invalid_argument(fmt::format(
        "saltelli_design: {} factors; the Sobol' points (2 per factor) allow at most {}", dims,
        kMaxSobolDims / 2));
  }
  const std::size_t width = dims + 2;
  if (base > std::numeric_limits<std::size_t>::max() / width) {
    throw std::invalid_argument(fmt::format("saltelli_design: {} base rows are too many", base));
  }
  check_design_size("saltelli_design", base * width, dims);
  // A is the first dims columns of the sequence, B the last dims.
  const Design sobol = sobol_sequence(base, 2 * dims, seed);
  SaltelliDesign design{base, dims, Design{dims, std::vector<double>(base * width * dims)}};
  for (std::size_t i = 0; i < base; ++i) {
    const double* a = &sobol.points[i * 2 * dims];
    const double* b = a + dims;
    double* out = &design.points.points[design.a_row(i) * dims];
    std::copy(a, a + dims, out);
    std::copy(b, b + dims, out + dims);
    for (std::size_t j = 0; j < dims; ++j) {
      double* ab = out + (2 + j) * dims;
      std::copy(a, a + dims, ab);
      ab[j] = b[j];
    }
  }
  return design;
}

std::vector<SobolIndex> sobol_indices(const SaltelliDesign& design, const std::vector<double>& y,
                                      std::size_t resamples, std::uint64_t seed) {
  const std::size_t dims = design.dims;
  if (dims == 0) throw std::invalid_argument("sobol_indices: the design has no factor");
  const std::size_t width = dims + 2;
  if (design.base > std::numeric_limits<std::size_t>::max() / width) {
    throw std::invalid_argument("sobol_indices: the design's base is too large");
  }
  const std::size_t points = design.base * width;
  if (design.points.dims != dims || design.points.points.size() / dims != points ||
      design.points.points.size() % dims != 0) {
    throw std::invalid_argument(fmt::format(
        "sobol_indices: the design should hold {} points ({} base rows x ({} factors + 2)) of "
        "{} coordinates; it holds {} values in {} dimensions",
        points, design.base, dims, dims, design.points.points.size(), design.points.dims));
  }
  if (y.size() != points) {
    throw std::invalid_argument(fmt::format(
        "sobol_indices: {} outputs for a design of {} points ({} base rows x ({} factors + 2))",
        y.size(), points, design.base, dims));
  }

  // Keep the base rows whose every output is finite, centred on the mean of their A and B
  // outputs: the estimators' expectations are unchanged and their variance no longer grows
  // with the output's mean (f(B) multiplies a difference in the first-order estimator).
  std::vector<double> rows;
  rows.reserve(y.size());
  double sum = 0;
  for (std::size_t i = 0; i < design.base; ++i) {
    const auto first = y.begin() + static_cast<std::ptrdiff_t>(i * width);
    if (!std::all_of(first, first + static_cast<std::ptrdiff_t>(width),
                     [](double v) { return std::isfinite(v); })) {
      continue;
    }
    rows.insert(rows.end(), first, first + static_cast<std::ptrdiff_t>(width));
    sum += first[0] + first[1];
  }
  const std::size_t kept = rows.size() / width;
  std::vector<SobolIndex> indices(dims);
  for (SobolIndex& index : indices) index.base_rows = kept;
  if (kept < 2) {
    for (SobolIndex& index : indices) {
      index.first = index.first_low = index.first_high = kNaN;
      index.total = index.total_low = index.total_high = kNaN;
    }
    return indices;
  }
  const double mean = sum / static_cast<double>(2 * kept);
  for (double& v : rows) v -= mean;

  // Point estimates from every kept row.
  std::vector<std::size_t> pick(kept);
  std::iota(pick.begin(), pick.end(), std::size_t{0});
  const Indices estimate = estimate_indices(rows, dims, pick);

  // Bootstrap: resample r draws `kept` rows with replacement from its own counter-based
  // stream, so each resample depends only on (seed, r).
  std::vector<std::vector<double>> first(dims), total(dims);
  for (std::size_t j = 0; j < dims; ++j) {
    first[j].reserve(resamples);
    total[j].reserve(resamples);
  }
  for (std::size_t r = 0; r < resamples; ++r) {
    UniformStream stream(DrawKey{seed, static_cast<std::uint32_t>(r), kBootstrapStream,
                                 static_cast<std::uint32_t>(r >> 32), 0});
    for (std::size_t& row : pick) row = uniform_index(stream, kept);
    const Indices resampled = estimate_indices(rows, dims, pick);
    for (std::size_t j = 0; j < dims; ++j) {
      first[j].push_back(resampled.first[j]);
      total[j].push_back(resampled.total[j]);
    }
  }

  for (std::size_t j = 0; j < dims; ++j) {
    SobolIndex& index = indices[j];
    index.first = estimate.first[j];
    index.total = estimate.total[j];
    std::tie(index.first_low, index.first_high) = percentile_interval(std::move(first[j]));
    std::tie(index.total_low, index.total_high) = percentile_interval(std::move(total[j]));
  }
  return indices;
}

MorrisDesign morris_design(std::size_t trajectories, std::size_t dims, std::size_t levels,
                           std::uint64_t seed) {
  if (trajectories == 0) throw std::invalid_argument("morris_design: no trajectory");
  if (dims == 0) throw std::invalid_argument("morris_design: no factor");
  if (levels < 2 || levels % 2 != 0) {
    throw std::invalid_argument(fmt::format(
        "morris_design: {} levels; the grid needs an even number of levels (4 is usual) so "
        "that Delta = levels / (2 (levels - 1)) is a whole number of grid steps",
        levels));
  }
  if (dims + 1 > std::numeric_limits<std::size_t>::max() / trajectories) {
    throw std::invalid_argument("morris_design: too many trajectories");
  }
  const std::size_t width = dims + 1;
  check_design_size("morris_design", trajectories * width, dims);
  if (trajectories > kMaxSobolPoints) {
    throw std::invalid_argument("morris_design: at most 2^32 trajectories");
  }
  // Positions are grid steps 0 .. levels-1, converted to [0, 1] only when written, so every
  // coordinate is exactly k / (levels - 1) and steps are exactly +-Delta apart.
  const std::size_t half = levels / 2;  // Delta in grid steps
  const auto grid = static_cast<double>(levels - 1);
  MorrisDesign design{trajectories, dims, levels,
                      Design{dims, std::vector<double>(trajectories * width * dims)}};
  std::vector<std::size_t> level(dims);
  std::vector<bool> up(dims);
  for (std::size_t t = 0; t < trajectories; ++t) {
    UniformStream stream(DrawKey{seed, static_cast<std::uint32_t>(t), kMorrisStream, 0, 0});
    // A random base level in 0 .. half-1 and a random direction per factor: a factor moving
    // up starts at its base level, one moving down Delta above it, so every level is equally
    // likely at the start.
    for (std::size_t j = 0; j < dims; ++j) {
      const std::size_t base_level = uniform_index(stream, half);
      up[j] = stream.next() < 0.5;
      level[j] = up[j] ? base_level : base_level + half;
    }
    const std::vector<std::size_t> order = random_permutation(dims, stream);
    double* out = &design.points.points[t * width * dims];
    for (std::size_t j = 0; j < dims; ++j) out[j] = static_cast<double>(level[j]) / grid;
    for (std::size_t step = 0; step < dims; ++step) {
      const std::size_t factor = order[step];
      level[factor] = up[factor] ? level[factor] + half : level[factor] - half;
      out += dims;
      for (std::size_t j = 0; j < dims; ++j) out[j] = static_cast<double>(level[j]) / grid;
    }
  }
  return design;
}

std::vector<MorrisEffect> morris_effects(const MorrisDesign& design, const std::vector<double>& y) {
  const std::size_t dims = design.dims;
  if (dims == 0) throw std::invalid_argument("morris_effects: the design has no factor");
  const std::size_t width = dims + 1;
  if (design.trajectories > std::numeric_limits<std::size_t>::max() / width) {
    throw std::invalid_argument("morris_effects: too many trajectories");
  }
  const std::size_t points = design.trajectories * width;
  if (design.points.dims != dims || design.points.points.size() % dims != 0 ||
      design.points.points.size() / dims != points) {
    throw std::invalid_argument(fmt::format(
        "morris_effects: the design should hold {} points ({} trajectories x ({} factors + 1)) "
        "of {} coordinates; it holds {} values in {} dimensions",
        points, design.trajectories, dims, dims, design.points.points.size(), design.points.dims));
  }
  if (y.size() != points) {
    throw std::invalid_argument(fmt::format(
        "morris_effects: {} outputs for a design of {} points ({} trajectories x ({} factors "
        "+ 1))",
        y.size(), points, design.trajectories, dims));
  }

  // Elementary effects per factor, in trajectory order.
  std::vector<std::vector<double>> effects(dims);
  for (std::size_t t = 0; t < design.trajectories; ++t) {
    for (std::size_t step = 0; step < dims; ++step) {
      const std::size_t before = t * width + step, after = before + 1;
      std::size_t changed = dims, changes = 0;
      for (std::size_t j = 0; j < dims; ++j) {
        if (design.points.at(before, j) != design.points.at(after, j)) {
          changed = j;
          ++changes;
        }
      }
      if (changes != 1) {
        throw std::invalid_argument(fmt::format(
            "morris_effects: step {} of trajectory {} (points {} to {}) changes {} factors; "
            "a Morris step changes exactly one",
            step, t, before, after, changes));
      }
      if (!std::isfinite(y[before]) || !std::isfinite(y[after])) continue;
      const double dx = design.points.at(after, changed) - design.points.at(before, changed);
      effects[changed].push_back((y[after] - y[before]) / dx);
    }
  }

  std::vector<MorrisEffect> out(dims);
  for (std::size_t j = 0; j < dims; ++j) {
    const std::vector<double>& ee = effects[j];
    MorrisEffect& m = out[j];
    m.effects = ee.size();
    if (ee.empty()) {
      m.mu = m.mu_star = m.sigma = kNaN;
      continue;
    }
    const auto count = static_cast<double>(ee.size());
    double sum = 0, sum_abs = 0;
    for (double e : ee) {
      sum += e;
      sum_abs += std::abs(e);
    }
    m.mu = sum / count;
    m.mu_star = sum_abs / count;
    // Two passes: deviations from the mean, no cancellation.
    double squares = 0;
    for (double e : ee) squares += (e - m.mu) * (e - m.mu);
    m.sigma = ee.size() > 1 ? std::sqrt(squares / (count - 1)) : kNaN;
  }
  return out;
}

}  // namespace latwin::analysis
