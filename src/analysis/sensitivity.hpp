#pragma once
// Global sensitivity analysis on the unit hypercube: sampling designs (Latin hypercube,
// scrambled Sobol' points, Saltelli's scheme, Morris trajectories) and the estimators that
// turn the model outputs at those points into sensitivity measures (Sobol' first-order and
// total indices with bootstrap intervals, Morris elementary effects).
//
// Knows nothing of equations: the caller maps each design point from [0,1]^d onto its
// factors (for example through each parameter's quantile function), runs the model there,
// and hands back one output per point, in the design's order. Every function is pure and
// single-threaded; a seed fixes every random choice (counter-based Philox draws,
// core/random.hpp), so results are identical on any machine and at any thread count of the
// caller. Methods, formulas and how to read the results: docs/sensitivity.md.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace latwin::analysis {

// Points in the unit hypercube, row-major: coordinate j of point i is points[i * dims + j].
// Latin hypercube and Sobol' points lie in the open interval (0, 1) in every coordinate;
// Morris points lie on a grid that includes 0 and 1 (see morris_design).
struct Design {
  std::size_t dims = 0;
  std::vector<double> points;

  // Number of points (0 when dims is 0).
  std::size_t size() const { return dims == 0 ? 0 : points.size() / dims; }
  // Coordinate j of point i; unchecked: i < size(), j < dims.
  double at(std::size_t i, std::size_t j) const { return points[i * dims + j]; }
};

// The largest dimension sobol_sequence supports: Joe and Kuo's (2008) direction numbers as
// Boost.Random ships them (the primitive polynomials below 2^16).
inline constexpr std::size_t kMaxSobolDims = 3667;

// n points of a Latin hypercube in dims dimensions (McKay, Beckman and Conover 1979): in every
// dimension each of the n strata [k/n, (k+1)/n) holds exactly one point, placed uniformly
// at random inside it; the strata are paired across dimensions by independent random
// permutations. Use it for space-filling samples of any size when no estimator needs a
// particular structure. Throws std::invalid_argument when n or dims is 0 or n * dims is too
// large to hold.
Design latin_hypercube(std::size_t n, std::size_t dims, std::uint64_t seed);

// The first n points of the Sobol' sequence in dims dimensions (Sobol' 1967; direction numbers
// of Joe and Kuo 2008), Owen-scrambled (nested uniform scrambling, Owen 1995) with a
// scramble fixed by seed: every seed gives a different, equally good point set, and each
// point is uniform on (0,1)^d, so estimates are unbiased and seeds can be compared. The first
// point is kept: after scrambling it is not the origin, and for n = 2^m the n points are a
// (t, m, d)-net: each coordinate has exactly one point in every interval [k/n, (k+1)/n).
// Dropping it would break that balance (Owen 2022, "On dropping the first Sobol' point").
// Prefer n a power of two. Throws std::invalid_argument when n or dims is 0, dims exceeds
// kMaxSobolDims or n exceeds 2^32.
Design sobol_sequence(std::size_t n, std::size_t dims, std::uint64_t seed);

// Saltelli's scheme (Saltelli 2002; Saltelli et al. 2010) for Sobol' indices of dims factors
// from `base` base rows. Two independent matrices A and B (base x dims) are the first and last
// dims columns of one scrambled Sobol' sequence in 2 x dims dimensions; AB_j is A with
// column j taken from B. Design size base x (dims + 2), ordered by base row so that any
// prefix of whole base rows is itself a complete, smaller design:
//   point i * (dims + 2)          = row i of A
//   point i * (dims + 2) + 1      = row i of B
//   point i * (dims + 2) + 2 + j  = row i of AB_j, j = 0 .. dims - 1
struct SaltelliDesign {
  std::size_t base = 0, dims = 0;
  Design points;

  // Index into points (and into the outputs) of base row i of A, of B and of AB_j.
  std::size_t a_row(std::size_t i) const { return i * (dims + 2); }
  std::size_t b_row(std::size_t i) const { return i * (dims + 2) + 1; }
  std::size_t ab_row(std::size_t i, std::size_t j) const { return i * (dims + 2) + 2 + j; }
};

// The Saltelli design for dims factors from `base` base rows (a power of two is best: the
// Sobol' points are then balanced). Throws std::invalid_argument when base < 2, dims is 0,
// 2 x dims exceeds kMaxSobolDims or base exceeds 2^32.
SaltelliDesign saltelli_design(std::size_t base, std::size_t dims, std::uint64_t seed);

// Sobol' indices of one factor, as shares of the output variance, with 95% bootstrap
// percentile intervals. first: the share the factor explains alone (S_j); total: the share
// it explains alone and through all its interactions (ST_j). NaN when the output has no
// variance over the base rows used; the intervals are NaN without resamples.
struct SobolIndex {
  double first = 0, first_low = 0, first_high = 0;
  double total = 0, total_low = 0, total_high = 0;
  std::size_t base_rows = 0;  // base rows used (every output of the row finite)
};

// Sobol' indices of every factor from the outputs y at the design's points, in its order
// (y.size() == design.points.size()). First-order by the estimator of Saltelli et al. (2010,
// Table 2 (b)), total by Jansen's (1999, Table 2 (f)); the variance is that of the A and B
// outputs. Intervals: the 2.5% and 97.5% quantiles of the indices over `resamples` bootstrap
// resamples of the base rows (drawn with replacement, fixed by seed); they treat the rows as
// independent, so on Sobol' points they are conservative (QMC errors are smaller).
// Non-finite outputs: a base row with any non-finite output among its dims + 2 is left out
// of every index and of the variance, and base_rows says how many rows remained (NaN indices
// when fewer than 2 remain). A model that fails systematically in one region biases the
// indices: check base_rows. Throws std::invalid_argument when y or the design has the wrong
// size.
std::vector<SobolIndex> sobol_indices(const SaltelliDesign& design, const std::vector<double>& y,
                                      std::size_t resamples, std::uint64_t seed);

// Morris's elementary-effects screening design (Morris 1991): `trajectories` random
// one-at-a-time paths of dims + 1 points each on the grid {0, 1/(levels-1), ..., 1}. A path
// starts at a random grid point and moves each factor once, in random order, by
// Delta = levels / (2 (levels - 1)) up or down, so every grid level is equally likely.
// Point t * (dims + 1) + k is step k of trajectory t. The grid includes 0 and 1: map them
// onto bounded ranges (truncate unbounded distributions before their quantile functions).
// Throws std::invalid_argument when trajectories or dims is 0 or levels is odd or below 2.
struct MorrisDesign {
  std::size_t trajectories = 0, dims = 0, levels = 0;
  Design points;
};
MorrisDesign morris_design(std::size_t trajectories, std::size_t dims, std::size_t levels,
                           std::uint64_t seed);

// Morris measures of one factor, in output units per unit of the factor's hypercube range:
// mu, the mean elementary effect (signed; opposite effects cancel); mu_star, the mean
// absolute effect (Campolongo et al. 2007), the measure to rank factors by; sigma, the
// standard deviation of the effects (divisor effects - 1), large when the effect depends on
// where the other factors are (interactions) or on the factor's own value (non-linearity).
// sigma is NaN with fewer than 2 effects; all three are NaN with none.
struct MorrisEffect {
  double mu = 0, mu_star = 0, sigma = 0;
  std::size_t effects = 0;  // elementary effects used (both outputs finite)
};

// Morris measures of every factor from the outputs y at the design's points, in its order.
// Each step of a trajectory must change exactly one factor; its elementary effect is
// (y after - y before) / (x after - x before). A step with a non-finite output on either side
// is left out of that factor's measures (effects counts the rest). Throws
// std::invalid_argument when y or the design has the wrong size or a step does not change
// exactly one factor.
std::vector<MorrisEffect> morris_effects(const MorrisDesign& design, const std::vector<double>& y);

}  // namespace latwin::analysis
