#pragma once
// The data build's gap policy (tools/latwin_data/gaps.py), in C++ so that a vintage of the
// panel (Panel::as_of) can fill its gaps again from the values known at the time. The two
// must agree bit for bit: tests/unit/data/vintage_test.cpp refills the shipped data/ with
// this rule and compares every value and flag with what the build wrote.
#include <span>
#include <vector>

#include "data/panel.hpp"

namespace latwin::data {

// How one indicator's gaps are filled (indicators.csv: interpolate_max_gap, carry_forward_max).
struct GapPolicy {
  int interpolate_max_gap = 0;  // longest run of missing years filled linearly; 0 = never
  int carry_forward_max = 0;    // most years the last value is repeated after it; 0 = never
};

// A value from the sources (flag observed or derived).
struct SourceValue {
  int year = 0;
  double value = 0;
};

// A value the gap policy filled.
struct FilledValue {
  int year = 0;
  double value = 0;
  Flag flag = Flag::kInterpolated;  // kInterpolated or kCarriedForward
};

// The values the gap policy fills in one series, sorted by year. source: the series' values
// from the sources, sorted by year with no year twice. A run of missing years between two of
// them is interpolated linearly when at most policy.interpolate_max_gap long (each value kept
// to 10 significant digits, as the build keeps computed values); after the last one, its
// value is carried forward for at most policy.carry_forward_max years and never past
// last_year (the panel's last year). Nothing before the first value; a filled value never
// fills another.
std::vector<FilledValue> fill_gaps(std::span<const SourceValue> source, GapPolicy policy,
                                   int last_year);

// value kept to 10 significant digits, exactly as the build rounds a computed value (Python
// `float(f"{value:.10g}")`): both round the exact binary value correctly, so they agree.
double round_computed(double value);

}  // namespace latwin::data
