#include "engine/run/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace latwin::engine {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

void QuantileSketch::add(double value) {
  if (std::isnan(value)) return;
  if (levels_.empty()) {
    levels_.emplace_back();
    levels_[0].reserve(kExactCapacity + 1);
    parity_.push_back(0);
  }
  levels_[0].push_back(value);
  ++count_;
  if (levels_[0].size() > kExactCapacity) compact(0);
}

// Sorts a level and promotes every other value (weight doubles) to the level above. The
// starting offset alternates per level so that the rank errors of successive compactions
// tend to cancel instead of piling up on one side; it depends only on how many compactions
// the level has seen, so the sketch stays a pure function of the input sequence.
void QuantileSketch::compact(std::size_t level) {
  for (;;) {
    if (levels_.size() == level + 1) {
      levels_.emplace_back();
      parity_.push_back(0);
    }
    std::vector<double>& src = levels_[level];
    std::vector<double>& dst = levels_[level + 1];
    std::sort(src.begin(), src.end());
    const std::size_t pairs = src.size() / 2;
    const std::size_t offset = parity_[level];
    for (std::size_t i = 0; i < pairs; ++i) dst.push_back(src[2 * i + offset]);
    // An odd leftover (the largest value) stays here with its own weight.
    if (src.size() % 2 == 1) {
      src[0] = src.back();
      src.resize(1);
    } else {
      src.clear();
    }
    parity_[level] ^= 1;
    if (dst.size() <= kLevelCapacity) return;
    ++level;
  }
}

double QuantileSketch::quantile(double q) const {
  if (count_ == 0 || std::isnan(q)) return kNaN;
  q = std::clamp(q, 0.0, 1.0);
  if (exact()) {
    // Type 7: h = (n - 1) q, linear between the order statistics around h.
    std::vector<double> sorted = levels_[0];
    std::sort(sorted.begin(), sorted.end());
    const double h = static_cast<double>(sorted.size() - 1) * q;
    const std::size_t lo = static_cast<std::size_t>(std::floor(h));
    const double frac = h - static_cast<double>(lo);
    if (frac == 0 || lo + 1 >= sorted.size()) return sorted[lo];  // also avoids inf - inf
    return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
  }
  // Weighted nearest rank: each value at level L stands for 2^L inputs.
  std::vector<std::pair<double, std::uint64_t>> items;
  items.reserve(stored());
  for (std::size_t level = 0; level < levels_.size(); ++level) {
    const std::uint64_t weight = std::uint64_t{1} << level;
    for (double v : levels_[level]) items.emplace_back(v, weight);
  }
  std::sort(items.begin(), items.end());
  std::uint64_t total = 0;
  for (const auto& item : items) total += item.second;
  const double target = q * static_cast<double>(total);
  std::uint64_t cumulative = 0;
  for (const auto& item : items) {
    cumulative += item.second;
    if (static_cast<double>(cumulative) >= target) return item.first;
  }
  return items.back().first;
}

std::size_t QuantileSketch::stored() const {
  std::size_t n = 0;
  for (const auto& level : levels_) n += level.size();
  return n;
}

void RunningMoments::add(double value) {
  ++count;
  const double delta = value - mean;
  mean += delta / static_cast<double>(count);
  m2 += delta * (value - mean);
}

double RunningMoments::variance() const {
  if (count < 2) return kNaN;
  return m2 / static_cast<double>(count - 1);
}

SummaryAccumulator::SummaryAccumulator(std::size_t cell_count)
    : moments_(cell_count), sketches_(cell_count), non_finite_(cell_count, 0) {}

void SummaryAccumulator::add(std::size_t cell, double value) {
  if (!std::isfinite(value)) {
    ++non_finite_[cell];
    return;
  }
  moments_[cell].add(value);
  sketches_[cell].add(value);
}

CellSummary SummaryAccumulator::summary(std::size_t cell) const {
  const RunningMoments& m = moments_[cell];
  const QuantileSketch& s = sketches_[cell];
  CellSummary out;
  out.count = m.count;
  out.non_finite = non_finite_[cell];
  out.mean = m.count == 0 ? kNaN : m.mean;
  out.sd = std::sqrt(m.variance());  // NaN when count < 2
  out.p5 = s.quantile(0.05);  // each NaN when the cell has no finite value
  out.p25 = s.quantile(0.25);
  out.p50 = s.quantile(0.50);
  out.p75 = s.quantile(0.75);
  out.p95 = s.quantile(0.95);
  return out;
}

}  // namespace latwin::engine
