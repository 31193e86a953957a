"""The gap policy and the fiscal-year conversion, against hand-computed answers."""
import unittest

from latwin_data.derived import fiscal_to_calendar
from latwin_data.gaps import CARRIED_FORWARD, INTERPOLATED, fill

O = "observed"


class GapPolicyTest(unittest.TestCase):
    def test_interpolates_a_short_gap_linearly(self):
        filled = fill({2000: (1.0, O), 2003: (4.0, O)}, 2, 0, 2010)
        self.assertEqual(filled, {2001: (2.0, INTERPOLATED), 2002: (3.0, INTERPOLATED)})

    def test_leaves_a_gap_longer_than_the_limit(self):
        self.assertEqual(fill({2000: (1.0, O), 2004: (5.0, O)}, 2, 0, 2010), {})

    def test_never_interpolates_when_the_limit_is_zero(self):
        self.assertEqual(fill({2000: (1.0, O), 2002: (5.0, O)}, 0, 0, 2010), {})

    def test_carries_forward_at_most_the_limit(self):
        filled = fill({2000: (1.0, O), 2001: (7.0, O)}, 0, 2, 2010)
        self.assertEqual(filled, {2002: (7.0, CARRIED_FORWARD), 2003: (7.0, CARRIED_FORWARD)})

    def test_never_carries_past_the_panel_end(self):
        self.assertEqual(fill({2009: (1.0, O)}, 0, 5, 2010), {2010: (1.0, CARRIED_FORWARD)})

    def test_never_fills_before_the_first_value(self):
        filled = fill({2005: (1.0, O)}, 10, 0, 2010)
        self.assertFalse(any(year < 2005 for year in filled))

    def test_an_empty_series_stays_empty(self):
        self.assertEqual(fill({}, 3, 3, 2010), {})


class FiscalToCalendarTest(unittest.TestCase):
    def test_modern_fiscal_years_split_three_quarters_one_quarter(self):
        calendar = fiscal_to_calendar({"2001": 400.0, "2002": 800.0, "2003": 1200.0})
        # CY2001 = 9/12 of FY2001 + 3/12 of FY2002; CY2002 likewise.
        self.assertEqual(calendar, {2001: 500.0, 2002: 900.0})

    def test_a_calendar_year_with_a_missing_fiscal_year_is_a_gap(self):
        self.assertEqual(fiscal_to_calendar({"2001": 400.0, "2003": 400.0}), {})

    def test_the_1976_transition_quarter(self):
        # FY1976 ran July 1975 - June 1976, the transition quarter July - September 1976,
        # FY1977 October 1976 - September 1977.
        calendar = fiscal_to_calendar({"1976": 120.0, "1976tq": 30.0, "1977": 240.0})
        self.assertEqual(calendar, {1976: 60.0 + 30.0 + 60.0})

    def test_old_fiscal_years_split_half_and_half(self):
        calendar = fiscal_to_calendar({"1960": 100.0, "1961": 300.0})
        self.assertEqual(calendar, {1960: 200.0})


if __name__ == "__main__":
    unittest.main()
