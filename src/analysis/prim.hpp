#pragma once
// Scenario discovery with PRIM, the Patient Rule Induction Method (Friedman and Fisher 1999;
// Bryant and Lempert 2010): boxes over the uncertain factors of an experiment design inside
// which the "cases of interest" (say, a strategy losing to the reference) are concentrated.
// A pure algorithm on a table of points and a yes/no label per point; it knows nothing of the
// model that produced them. docs/scenario-discovery.md explains it for analysts.
//
// Conventions (the EMA workbench's, Kwakkel and Jaxa-Rozen 2016, where they exist):
//   coverage = cases in the box / all cases      (0 when there is no case at all)
//   density  = cases in the box / points in the box
//   mass     = points in the box / all points
// A box is closed: a point is inside when low[j] <= x[j] <= high[j] for every factor j.
// Every finite limit lies strictly between two data values (the midpoint of the last point
// removed and the first kept), so no point sits on a limit and recounting agrees exactly.
#include <cstddef>
#include <string>
#include <vector>

namespace latwin::analysis {

// What a peel or a paste maximises. With continuous factors every candidate peel removes the
// same number of points and the two rank candidates alike; they differ when ties (a discrete
// factor) make one candidate much larger than the others.
enum class PrimObjective {
  // Gain in density per point removed or added (the EMA workbench's default, "lenient1").
  // Patient: a 0/1 factor must earn its half of the box point by point. The default: on the
  // tests' planted box plus a pure-noise 0/1 factor (2000 points, 2% label noise, 40 seeds)
  // it restricted the noise factor in 0 of 40 runs, kDensity in 24 (mean coverage 0.62
  // against 0.87).
  kGainPerPoint,
  // The density of the box after the step (Friedman and Fisher's basic rule). Greedy: a
  // discrete factor can win by dropping half the box for a small gain.
  kDensity,
};

struct PrimOptions {
  // Share of the box's points each peel removes (at least one point; with ties, whole groups
  // of equal values). Friedman and Fisher recommend 0.05 to 0.10; 0.05 is the EMA default.
  double peel_alpha = 0.05;
  // Share of the box's points each paste adds back (at least one point, whole tie groups).
  double paste_alpha = 0.05;
  // Peeling never leaves fewer than max(min_points, ceil(min_mass * n), 1) points in a box:
  // the smallest box still worth reading. 0.05 is the EMA workbench's mass_min; 20 points keep
  // a density from resting on a handful of points when n is small.
  std::size_t min_points = 20;
  double min_mass = 0.05;
  // Paste the chosen box (bottom-up pasting, Friedman and Fisher section 4.2).
  bool paste = true;
  // The chosen box: the first (largest) box of the trajectory whose density is within this
  // of the trajectory's highest density. Larger values trade density for coverage.
  double density_tolerance = 0.05;
  PrimObjective objective = PrimObjective::kGainPerPoint;
  // Pruning of the suggested box (after pasting): a limit whose quasi-p-value is above this
  // is lifted, the least significant first, until every limit left is significant. A limit's
  // quasi-p-value (Bryant and Lempert 2010, as the EMA workbench computes it) is the chance
  // that a box with the box's points, drawn at the density the box has without that limit,
  // would hold as many cases as the box does (one-sided binomial). With many factors and
  // few points, peeling also trims factors that merely happen to raise the density a little;
  // those limits come back with large quasi-p-values. 1 turns pruning off.
  double max_quasi_p = 0.05;
};

// One restricted factor of a box; low is -inf or high +inf when only one side is restricted.
struct Limit {
  std::size_t factor = 0;
  double low = 0, high = 0;
};

struct PrimBox {
  // Per factor; -inf / +inf where the factor is unrestricted.
  std::vector<double> low, high;
  double coverage = 0, density = 0, mass = 0;
  std::size_t points = 0, cases = 0;

  // The factors with at least one finite limit, in factor order.
  std::vector<Limit> restricted() const;
};

struct PrimResult {
  // The peeling trajectory: the whole space first, then one box per peel. Each box lies inside
  // the one before, so mass and coverage never rise, and density rises at every step.
  std::vector<PrimBox> trajectory;
  // Index in the trajectory of the suggested box (see PrimOptions::density_tolerance).
  std::size_t chosen = 0;
  // The suggested box: trajectory[chosen] after pasting and pruning (the same box when
  // neither changes it).
  PrimBox box;
  // The quasi-p-value of each limit of the suggested box, by factor (1 where unrestricted).
  std::vector<double> quasi_p;
  // Share of all points that are cases: the density of the whole space.
  double base_density = 0;
};

// Finds the peeling trajectory and the suggested box. x holds n points of dims factors, row
// by row (x[i * dims + j]); interesting[i] says whether point i is a case of interest.
// Deterministic: ties between candidate steps are broken by a fixed order (see prim.cpp).
// With no case at all, or only cases, no peel can raise the density: the trajectory is the
// whole space alone. Throws std::invalid_argument when dims is 0, the sizes disagree, there
// is no point, a value of x is not finite, or an option is out of range.
PrimResult prim(const std::vector<double>& x, std::size_t dims,
                const std::vector<bool>& interesting, const PrimOptions& options = {});

// Sequential covering (Bryant and Lempert 2010): find a box, set its points aside, look again
// in the remaining points, up to max_boxes boxes. Stops early when no case remains, too few
// points remain for a box, or the suggested box is the whole remaining space (nothing more
// to find). Each box's counts are of the points that remained when it was found (a later box
// may overlap an earlier one as a region, never in points); its coverage and mass are
// shares of all the cases and points, so the coverages add up to the share of cases
// explained. Throws like prim.
std::vector<PrimBox> prim_covering(const std::vector<double>& x, std::size_t dims,
                                   const std::vector<bool>& interesting, const PrimOptions& options,
                                   std::size_t max_boxes);

// The box in plain words: "china_posture above 0.72 and opening_rate below 0.004 (coverage
// 91%, density 93%)"; "the whole space (...)" when nothing is restricted. Limits are
// printed with three significant digits. Throws std::invalid_argument when factor_names
// does not have one name per factor of the box.
std::string describe_box(const PrimBox& box, const std::vector<std::string>& factor_names);

}  // namespace latwin::analysis
