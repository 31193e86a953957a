#pragma once
// Streaming ensemble summaries: mean, standard deviation and quantiles per (variable,
// element, time) without keeping every trajectory. Values must be added in member order;
// the result then depends only on the values, never on threads or batch width.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace latwin::engine {

// Deterministic KLL-style quantile sketch. Exact (type-7 linear interpolation, as R's and
// numpy's default) while it holds at most kExactCapacity values; beyond that it compacts
// levels by keeping alternate sorted values, so memory stays O(k log n).
class QuantileSketch {
 public:
  static constexpr std::size_t kExactCapacity = 128;
  static constexpr std::size_t kLevelCapacity = 64;

  void add(double value);  // NaN is ignored (counted by the caller)
  double quantile(double q) const;  // q in [0, 1]; NaN when empty
  std::uint64_t count() const { return count_; }
  bool exact() const { return levels_.size() <= 1; }
  std::size_t stored() const;  // values held across all levels (memory bound)

 private:
  void compact(std::size_t level);
  std::vector<std::vector<double>> levels_;
  std::vector<std::uint8_t> parity_;
  std::uint64_t count_ = 0;
};

// Welford's running mean and variance.
struct RunningMoments {
  std::uint64_t count = 0;
  double mean = 0;
  double m2 = 0;
  void add(double value);
  double variance() const;  // sample variance (n - 1); NaN when count < 2
};

// One cell's summary.
struct CellSummary {
  std::uint64_t count = 0;      // finite values
  std::uint64_t non_finite = 0; // NaN or infinite values, left out of the statistics
  double mean = 0, sd = 0;
  double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// Accumulates cells laid out as [cell_count]; add_member() takes one value per cell.
class SummaryAccumulator {
 public:
  explicit SummaryAccumulator(std::size_t cell_count);
  void add(std::size_t cell, double value);
  CellSummary summary(std::size_t cell) const;
  std::size_t cell_count() const { return moments_.size(); }

 private:
  std::vector<RunningMoments> moments_;
  std::vector<QuantileSketch> sketches_;
  std::vector<std::uint64_t> non_finite_;
};

}  // namespace latwin::engine
