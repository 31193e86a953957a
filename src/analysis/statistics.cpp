#include "analysis/statistics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace latwin::analysis {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> finite_sorted(std::vector<double> values) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  std::sort(values.begin(), values.end());
  return values;
}
}  // namespace

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return kNaN;
  double h = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Distribution describe(std::vector<double> values) {
  Distribution d;
  std::size_t total = values.size();
  std::vector<double> sorted = finite_sorted(std::move(values));
  d.count = sorted.size();
  d.non_finite = total - d.count;
  if (sorted.empty()) {
    d.mean = d.sd = d.p5 = d.p25 = d.p50 = d.p75 = d.p95 = kNaN;
    return d;
  }
  // Two passes: the mean first, then squared deviations from it (no cancellation).
  double sum = 0;
  for (double v : sorted) sum += v;
  d.mean = sum / static_cast<double>(d.count);
  double squares = 0;
  for (double v : sorted) squares += (v - d.mean) * (v - d.mean);
  d.sd = d.count > 1 ? std::sqrt(squares / static_cast<double>(d.count - 1)) : 0.0;
  d.p5 = quantile_sorted(sorted, 0.05);
  d.p25 = quantile_sorted(sorted, 0.25);
  d.p50 = quantile_sorted(sorted, 0.50);
  d.p75 = quantile_sorted(sorted, 0.75);
  d.p95 = quantile_sorted(sorted, 0.95);
  return d;
}

double prob_greater(const std::vector<double>& a, const std::vector<double>& b) {
  assert(a.size() == b.size());
  double wins = 0;
  std::size_t pairs = 0;
  for (std::size_t m = 0; m < a.size(); ++m) {
    if (!std::isfinite(a[m]) || !std::isfinite(b[m])) continue;
    ++pairs;
    if (a[m] > b[m]) wins += 1;
    else if (a[m] == b[m]) wins += 0.5;
  }
  return pairs == 0 ? kNaN : wins / static_cast<double>(pairs);
}

namespace {

// Members in which every strategy has a finite value.
std::vector<std::size_t> complete_members(const std::vector<std::vector<double>>& values) {
  std::vector<std::size_t> members;
  if (values.empty()) return members;
  for (std::size_t m = 0; m < values.front().size(); ++m) {
    bool complete = true;
    for (const auto& strategy : values) complete = complete && std::isfinite(strategy[m]);
    if (complete) members.push_back(m);
  }
  return members;
}

}  // namespace

std::vector<double> expected_regret(const std::vector<std::vector<double>>& values) {
  std::vector<double> regret(values.size(), 0.0);
  std::vector<std::size_t> members = complete_members(values);
  if (members.empty()) return std::vector<double>(values.size(), kNaN);
  for (std::size_t m : members) {
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& strategy : values) best = std::max(best, strategy[m]);
    for (std::size_t s = 0; s < values.size(); ++s) regret[s] += best - values[s][m];
  }
  for (double& r : regret) r /= static_cast<double>(members.size());
  return regret;
}

std::vector<double> prob_best(const std::vector<std::vector<double>>& values) {
  std::vector<double> share(values.size(), 0.0);
  std::vector<std::size_t> members = complete_members(values);
  if (members.empty()) return std::vector<double>(values.size(), kNaN);
  for (std::size_t m : members) {
    double best = -std::numeric_limits<double>::infinity();
    for (const auto& strategy : values) best = std::max(best, strategy[m]);
    double tied = 0;
    for (const auto& strategy : values) tied += strategy[m] == best ? 1 : 0;
    for (std::size_t s = 0; s < values.size(); ++s) {
      if (values[s][m] == best) share[s] += 1 / tied;
    }
  }
  for (double& p : share) p /= static_cast<double>(members.size());
  return share;
}

bool first_order_dominates(std::vector<double> a, std::vector<double> b) {
  a = finite_sorted(std::move(a));
  b = finite_sorted(std::move(b));
  if (a.empty() || b.empty()) return false;
  // The empirical CDFs only change at sample points: compare them at every one. A value x is
  // weighed as a count fraction, compared exactly by cross-multiplying the counts.
  std::vector<double> points = a;
  points.insert(points.end(), b.begin(), b.end());
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  const auto na = static_cast<unsigned long long>(a.size());
  const auto nb = static_cast<unsigned long long>(b.size());
  bool strict = false;
  for (double x : points) {
    auto ca = static_cast<unsigned long long>(std::upper_bound(a.begin(), a.end(), x) - a.begin());
    auto cb = static_cast<unsigned long long>(std::upper_bound(b.begin(), b.end(), x) - b.begin());
    // F_a(x) = ca / na, F_b(x) = cb / nb.
    if (ca * nb > cb * na) return false;
    if (ca * nb < cb * na) strict = true;
  }
  return strict;
}

}  // namespace latwin::analysis
