"""The gap policy: how the build fills missing years, and nothing more.

- Interpolation: a run of missing years between two observed (or derived) values is filled
  linearly when it is at most the indicator's interpolate_max_gap years long.
- Carrying forward: after a series' last observed value, that value is repeated for at most
  carry_forward_max years, and never past the panel's last year.
- Nothing is filled before a series' first observed value, and a filled value is never used
  to fill another. Every filled value is flagged, so an analysis can ask for observed values
  only.
"""
INTERPOLATED = "interpolated"
CARRIED_FORWARD = "carried_forward"


def round_computed(value):
    """Computed values keep 10 significant digits, so float noise never reaches the panel."""
    return float(f"{value:.10g}")


def fill(series, interpolate_max_gap, carry_forward_max, last_year):
    """series: {year: (value, flag)} of observed/derived values. Returns the filled values
    only, {year: (value, flag)}."""
    filled = {}
    years = sorted(series)
    for before, after in zip(years, years[1:]):
        missing = after - before - 1
        if 0 < missing <= interpolate_max_gap:
            a, b = series[before][0], series[after][0]
            for year in range(before + 1, after):
                share = (year - before) / (after - before)
                filled[year] = (round_computed(a + (b - a) * share), INTERPOLATED)
    if years:
        last = years[-1]
        for year in range(last + 1, min(last + carry_forward_max, last_year) + 1):
            filled[year] = (series[last][0], CARRIED_FORWARD)
    return filled
