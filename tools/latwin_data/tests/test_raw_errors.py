"""A malformed raw file stops the build with the file, the line and what was wrong."""
import os
import tempfile
import unittest

from latwin_data import derived
from latwin_data.build import build, check_ranges, read_simple
from latwin_data.catalog import Column, Indicator
from latwin_data.rawtable import BuildError

INDICATOR = Indicator("x", "x", "unit", "security", 0, 100, 0, 0, "unodc_homicide")
COLUMN = Column("owid/x.csv", "Rate")
HEADER = "iso3,Entity,Year,Rate\n"


class RawErrorsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.raw = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def write(self, rel, text):
        path = os.path.join(self.raw, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)

    def assert_error(self, pattern, call):
        with self.assertRaises(BuildError) as caught:
            call()
        self.assertRegex(str(caught.exception), pattern)

    def read(self):
        return read_simple(self.raw, INDICATOR, COLUMN)

    def test_a_good_file_reads(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000,5.5\n,World,2000,6\n"
                                          "PER,Peru,2000,\n")
        self.assertEqual(self.read(), {("COL", 2000): (5.5, "observed")})

    def test_missing_file(self):
        self.assert_error(r"^owid/x.csv: file not found", self.read)

    def test_missing_column(self):
        self.write("owid/x.csv", "iso3,Entity,Year,Value\nCOL,Colombia,2000,5\n")
        self.assert_error(r"^owid/x.csv:1: missing column 'Rate' \(the header has: iso3, "
                          r"Entity, Year, Value\)", self.read)

    def test_non_numeric_value(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000,5\nCOL,Colombia,2001,n/a\n")
        self.assert_error(r"^owid/x.csv:3: column 'Rate': expected a number, found 'n/a'",
                          self.read)

    def test_non_finite_value(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000,inf\n")
        self.assert_error(r"^owid/x.csv:2: column 'Rate': expected a finite number", self.read)

    def test_bad_year(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,20x0,5\n")
        self.assert_error(r"^owid/x.csv:2: column 'Year': expected a year, found '20x0'",
                          self.read)

    def test_unknown_country_name(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000,5\n,Atlantis,2000,3\n")
        self.assert_error(r"^owid/x.csv:3: unknown country name 'Atlantis'", self.read)

    def test_unknown_country_code(self):
        self.write("owid/x.csv", HEADER + "FRA,France,2000,5\n")
        self.assert_error(r"^owid/x.csv:2: unknown country code 'FRA'", self.read)

    def test_duplicated_key(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000,5\nPER,Peru,2000,1\n"
                                          "COL,Colombia,2000,6\n")
        self.assert_error(r"^owid/x.csv:4: duplicate key COL 2000 \(first on line 2\)",
                          self.read)

    def test_wrong_field_count(self):
        self.write("owid/x.csv", HEADER + "COL,Colombia,2000\n")
        self.assert_error(r"^owid/x.csv:2: expected 4 fields, found 3", self.read)

    def test_line_numbers_count_quoted_newlines(self):
        self.write("owid/x.csv", HEADER + 'COL,"Colom\nbia",2000,5\nPER,Peru,2000,x\n')
        self.assert_error(r"^owid/x.csv:4: column 'Rate'", self.read)

    def test_duplicate_vote_in_a_roll_call(self):
        self.write(derived.ROLL_CALLS_FILE, "rcid,date\n1,1990-05-01\n")
        self.write(derived.VOTES_FILE, "rcid,iso3,country,vote\n1,USA,United States,yes\n"
                                       "1,COL,Colombia,no\n1,COL,Colombia,yes\n")
        self.assert_error(r"un_votes_lac_usa_chn.csv:4: duplicate vote of COL in roll call 1",
                          lambda: derived.un_agreement(self.raw))

    def test_unknown_vote(self):
        self.write(derived.ROLL_CALLS_FILE, "rcid,date\n1,1990-05-01\n")
        self.write(derived.VOTES_FILE, "rcid,iso3,country,vote\n1,USA,United States,maybe\n")
        self.assert_error(r"un_votes_lac_usa_chn.csv:2: column 'vote': expected yes, no or "
                          r"abstain, found 'maybe'", lambda: derived.un_agreement(self.raw))

    def test_un_agreement_counts_half_for_one_abstention(self):
        # Ten roll calls in 1990: 4 identical, 2 where one abstained, 4 opposed; one more
        # that the U.S. missed (not a joint vote). 1991 has too few joint votes.
        calls = ["rcid,date"] + [f"{i},1990-05-{i:02d}" for i in range(1, 12)] + \
            [f"{i},1991-05-01" for i in range(12, 15)]
        usa = ["yes"] * 4 + ["no", "abstain"] + ["no"] * 4
        col = ["yes"] * 4 + ["abstain", "yes"] + ["yes"] * 4
        votes = ["rcid,iso3,country,vote"]
        for i, (u, c) in enumerate(zip(usa, col), start=1):
            votes += [f"{i},USA,United States,{u}", f"{i},COL,Colombia,{c}"]
        votes += ["11,COL,Colombia,yes"]
        votes += [f"{i},{code},x,yes" for i in range(12, 15) for code in ("USA", "COL")]
        self.write(derived.ROLL_CALLS_FILE, "\n".join(calls) + "\n")
        self.write(derived.VOTES_FILE, "\n".join(votes) + "\n")
        out, _ = derived.un_agreement(self.raw)
        self.assertEqual(out["un_agreement_usa"][("COL", 1990)], ((4 + 0.5 * 2) / 10, "derived"))
        self.assertNotIn(("COL", 1991), out["un_agreement_usa"])
        self.assertNotIn(("COL", 1990), out["un_agreement_chn"])

    def test_organized_violence_intensity_and_coded_years(self):
        header = "iso3,year,conflict_hi,conflict_li\n"
        self.write(derived.VDEM16_FILE, header + "COL,1988,0,0\nCOL,1989,1,0\nCOL,1990,0,1\n"
                                                 "COL,1991,0,0\nCOL,1992,0,0\nPER,1991,0,1\n")
        out, _ = derived.organized_violence(self.raw)
        # 1988 predates UCDP; 1992 comes after the last year any country is flagged, so it
        # is taken as not coded yet.
        self.assertEqual(out["organized_violence"], {("COL", 1989): (2.0, "derived"),
                                                     ("COL", 1990): (1.0, "derived"),
                                                     ("COL", 1991): (0.0, "derived"),
                                                     ("PER", 1991): (1.0, "derived")})

    def test_organized_violence_refuses_two_intensities(self):
        self.write(derived.VDEM16_FILE, "iso3,year,conflict_hi,conflict_li\nCOL,1990,1,1\n")
        self.assert_error(r"vdem_v16_selected_indices_biodem.csv:2: conflict_hi and conflict_li "
                          r"are both 1", lambda: derived.organized_violence(self.raw))

    def test_encounters_month_label(self):
        self.write(derived.ENCOUNTERS_ANNUAL, "iso3,Fiscal Year,Citizenship,Quantity\n"
                                              "MEX,2001,Mexico,10\n")
        self.write(derived.ENCOUNTERS_MONTHLY, "iso3,Fiscal Year,Month,Region,Citizenship,"
                                               "Quantity\nMEX,2001,01 Octobre,X,Mexico,10\n")
        self.assert_error(r"monthly_by_region_citizenship_fy2000_2025.csv:2: column 'Month': "
                          r"expected e.g. '01 October', found '01 Octobre'",
                          lambda: derived.encounters(self.raw, {}))


class BuildRulesTest(unittest.TestCase):
    def test_a_value_outside_its_range_stops_the_build(self):
        panel = {"x": {("COL", 2000): (5.0, "observed"), ("PER", 2001): (101.0, "observed")}}
        with self.assertRaises(BuildError) as caught:
            check_ranges(panel, [INDICATOR])
        self.assertEqual(str(caught.exception),
                         "x PER 2001: value 101.0 is outside the expected range 0 to 100; "
                         "check the raw file or widen the range in catalog.py")

    def test_a_missing_raw_folder_is_named(self):
        with self.assertRaises(BuildError) as caught:
            build("/nonexistent/raw", "/nonexistent/out")
        self.assertRegex(str(caught.exception), r"^/nonexistent/raw: raw data folder not found")


if __name__ == "__main__":
    unittest.main()
