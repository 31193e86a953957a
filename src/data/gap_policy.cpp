#include "data/gap_policy.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace latwin::data {

double round_computed(double value) {
  // 10 significant digits need at most 17 characters ("-1.234567891e-308").
  std::array<char, 32> text{};
  auto written =
      std::to_chars(text.data(), text.data() + text.size(), value, std::chars_format::general, 10);
  double rounded = value;
  std::from_chars(text.data(), written.ptr, rounded);
  return rounded;
}

std::vector<FilledValue> fill_gaps(std::span<const SourceValue> source, GapPolicy policy,
                                   int last_year) {
  std::vector<FilledValue> filled;
  // Interpolation, pair by pair of neighbouring values, with the build's operations in the
  // build's order (share first, then a + (b - a) * share) so each result is the same double.
  for (std::size_t idx = 0; idx + 1 < source.size(); ++idx) {
    const SourceValue& before = source[idx];
    const SourceValue& after = source[idx + 1];
    const int missing = after.year - before.year - 1;
    if (missing <= 0 || missing > policy.interpolate_max_gap) continue;
    for (int year = before.year + 1; year < after.year; ++year) {
      const double share =
          static_cast<double>(year - before.year) / static_cast<double>(after.year - before.year);
      filled.push_back({year, round_computed(before.value + (after.value - before.value) * share),
                        Flag::kInterpolated});
    }
  }
  // Carrying forward from the last value, stopped by the panel's last year.
  if (!source.empty()) {
    const SourceValue& last = source.back();
    const int stop = std::min(last.year + policy.carry_forward_max, last_year);
    for (int year = last.year + 1; year <= stop; ++year) {
      filled.push_back({year, last.value, Flag::kCarriedForward});
    }
  }
  return filled;
}

}  // namespace latwin::data
