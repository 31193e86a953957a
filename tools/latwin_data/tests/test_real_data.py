"""The build on the real raw data: deterministic, up to date with the committed data/, and
faithful to the raw files (values read back here with independent code)."""
import csv
import filecmp
import os
import tempfile
import unittest

from latwin_data.build import build, default_raw_dir
from latwin_data.derived import UN_MIN_JOINT_VOTES

RAW = default_raw_dir()
REPO_DATA = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", "..", "data"))
FILES = ("countries.csv", "panel.csv", "indicators.csv", "SOURCES.md")


def raw_rows(rel):
    with open(os.path.join(RAW, rel), newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@unittest.skipUnless(os.path.isdir(RAW), f"raw data not found at {RAW} (set LATWIN_RAW_DATA)")
class RealDataTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "a")
        build(RAW, cls.out)
        cls.panel = {}
        with open(os.path.join(cls.out, "panel.csv"), newline="") as handle:
            for row in csv.DictReader(handle):
                cls.panel[(row["indicator"], row["iso3"], int(row["year"]))] = \
                    (float(row["value"]), row["flag"])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def value(self, indicator, iso3, year):
        return self.panel[(indicator, iso3, year)][0]

    def test_same_raw_data_gives_byte_identical_output(self):
        again = os.path.join(self.tmp.name, "b")
        build(RAW, again)
        for name in FILES:
            self.assertTrue(filecmp.cmp(os.path.join(self.out, name), os.path.join(again, name),
                                        shallow=False), name)

    def test_committed_data_is_what_the_build_writes(self):
        for name in FILES:
            self.assertTrue(
                filecmp.cmp(os.path.join(self.out, name), os.path.join(REPO_DATA, name),
                            shallow=False),
                f"data/{name} differs from a fresh build: run tools/build-data and commit")

    def test_values_copied_from_raw_files(self):
        def one(rel, match, column):
            rows = [r for r in raw_rows(rel) if all(r[k] == v for k, v in match.items())]
            self.assertEqual(len(rows), 1, (rel, match))
            return float(rows[0][column])

        self.assertEqual(self.value("homicide_rate", "COL", 2015),
                         one("owid_grapher/homicide_rate_unodc.csv", {"Code": "COL", "Year": "2015"},
                             "Homicide rate per 100,000 population"))
        self.assertEqual(self.value("population", "BRA", 2000),
                         one("worldbank_datahub/population_total.csv",
                             {"Country Code": "BRA", "Year": "2000"}, "Value"))
        self.assertEqual(self.value("wgi_rule_of_law", "MEX", 2010),
                         one("governance_wgi_fiw_wjp/wgi_1996_2019_long.csv",
                             {"Code": "MEX", "Year": "2010", "Indicator": "RuleofLaw"}, "Estimate"))
        self.assertEqual(self.value("vdem_polyarchy", "VEN", 2020),
                         one("vdem/vdem_v16_selected_indices_biodem.csv",
                             {"iso3": "VEN", "year": "2020"}, "v2x_polyarchy"))
        self.assertEqual(self.value("fh_political_rights", "CUB", 2019),
                         one("governance_wgi_fiw_wjp/freedom_house_fiw_pr_cl_1972_2019.csv",
                             {"Code": "CUB", "Year": "2019"}, "Political.Rights"))
        self.assertEqual(self.value("us_exports", "COL", 2010),
                         one("us_trade_aid/imf_dots_usa_goods_trade_with_lac_chn.csv",
                             {"partner_iso3": "COL", "year": "2010"}, "us_exports_fob_usd"))
        self.assertEqual(self.panel[("homicide_rate", "COL", 2015)][1], "observed")

    def test_un_agreement_matches_the_raw_folders_own_computation(self):
        checked = 0
        for row in raw_rows("un_votes_unvotes_pkg/derived_agreement_with_usa_chn_by_country_year.csv"):
            key = (f"un_agreement_{row['reference'].lower()}", row["iso3"], int(row["year"]))
            if key[1] == "TWN" or int(row["n_joint_votes"]) < UN_MIN_JOINT_VOTES:
                # Too few joint votes: not derived (it may be interpolated between years).
                self.assertNotEqual(self.panel.get(key, (None, "absent"))[1], "derived", key)
                continue
            self.assertAlmostEqual(self.panel[key][0], float(row["coincidence_statedept_style"]),
                                   delta=5.1e-5, msg=key)
            checked += 1
        self.assertGreater(checked, 3000)

    def test_unhcr_totals_match_the_raw_folders_own_sums(self):
        checked = 0
        for row in raw_rows("unhcr_refugees/derived_unhcr_totals_by_origin_year_lac.csv"):
            key = ("refugees_abroad", row["origin_iso3"], int(row["year"]))
            if key in self.panel and key[2] >= 1946:
                self.assertAlmostEqual(self.panel[key][0], float(row["refugees_abroad_total"]),
                                       delta=0.5, msg=key)
                checked += 1
        self.assertGreater(checked, 1000)

    def test_aid_calendar_year_from_fiscal_years(self):
        def fy(year):
            return float(next(r["constant_amount"] for r in raw_rows("us_trade_aid/us_foreign_aid_by_country_lac.csv")
                              if r["Country Code"] == "COL" and r["Fiscal Year"] == str(year)
                              and r["Transaction Type Name"] == "Obligations"))
        self.assertAlmostEqual(self.value("us_aid_obligations", "COL", 2010),
                               0.75 * fy(2010) + 0.25 * fy(2011), delta=1.0)

    def test_encounters_calendar_year_is_the_sum_of_its_months(self):
        total = 0.0
        for r in raw_rows("us_border_encounters/usbp_encounters_monthly_by_region_citizenship_fy2000_2025.csv"):
            if r["iso3"] != "GTM":
                continue
            month = int(r["Month"][:2])
            fiscal = int(r["Fiscal Year"])
            if (fiscal == 2015 and month >= 4) or (fiscal == 2016 and month <= 3):
                total += float(r["Quantity"])
        self.assertEqual(self.value("usbp_encounters", "GTM", 2015), total)
        population = self.value("population", "GTM", 2015)
        self.assertAlmostEqual(self.value("usbp_encounters_per_100k", "GTM", 2015),
                               1e5 * total / population, delta=1e-6)

    def test_monthly_encounters_add_up_to_the_published_fiscal_year(self):
        # Justifies reading a month without a row as zero: the months of a fiscal year add up
        # to the published total, up to the rounding of each count to tens.
        months = {}
        for r in raw_rows("us_border_encounters/usbp_encounters_monthly_by_region_citizenship_fy2000_2025.csv"):
            key = (r["iso3"], int(r["Fiscal Year"]))
            months[key] = months.get(key, 0.0) + float(r["Quantity"])
        rows = 0
        for (iso3, fiscal), total in months.items():
            if 2000 < fiscal < 2025 and ("usbp_encounters_fy", iso3, fiscal) in self.panel:
                published = self.value("usbp_encounters_fy", iso3, fiscal)
                self.assertLessEqual(abs(total - published), max(10 * 36, 0.01 * published),
                                     (iso3, fiscal))
                rows += 1
        self.assertGreater(rows, 400)

    def test_filled_values_follow_the_policy(self):
        with open(os.path.join(self.out, "indicators.csv"), newline="") as handle:
            policy = {r["id"]: (int(r["interpolate_max_gap"]), int(r["carry_forward_max"]))
                      for r in csv.DictReader(handle)}
        observed = {}
        for (indicator, iso3, year), (value, flag) in self.panel.items():
            if flag in ("observed", "derived"):
                observed.setdefault((indicator, iso3), {})[year] = value
        counts = {"interpolated": 0, "carried_forward": 0}
        for (indicator, iso3, year), (value, flag) in self.panel.items():
            if flag not in counts:
                continue
            counts[flag] += 1
            series = observed[(indicator, iso3)]
            before = max(y for y in series if y < year)
            if flag == "interpolated":
                after = min(y for y in series if y > year)
                self.assertLessEqual(after - before - 1, policy[indicator][0], indicator)
                low, high = sorted((series[before], series[after]))
                self.assertTrue(low - 1e-9 <= value <= high + 1e-9, (indicator, iso3, year))
            else:
                self.assertFalse(any(y > year for y in series), (indicator, iso3, year))
                self.assertLessEqual(year - before, policy[indicator][1], indicator)
                self.assertEqual(value, series[before])
        self.assertGreater(counts["interpolated"], 100)
        self.assertGreater(counts["carried_forward"], 100)

    def test_countries(self):
        with open(os.path.join(self.out, "countries.csv"), newline="") as handle:
            rows = {r["iso3"]: r for r in csv.DictReader(handle)}
        self.assertEqual(len(rows), 35)
        self.assertEqual(sum(r["kind"] == "lac" for r in rows.values()), 33)
        self.assertEqual(rows["COL"]["neighbours"], "BRA;ECU;PAN;PER;VEN")
        self.assertEqual(rows["HND"]["recognizes"], "PRC")
        self.assertEqual(rows["HND"]["recognition_since"], "2023")
        self.assertEqual(rows["PRY"]["recognizes"], "ROC")
        self.assertEqual(rows["NIC"]["oas_status"], "withdrawn")


if __name__ == "__main__":
    import sys
    if not os.path.isdir(RAW):
        print(f"skipped: raw data not found at {RAW} (set LATWIN_RAW_DATA)")
        sys.exit(77)  # ctest's SKIP_RETURN_CODE: shown as skipped, not passed
    unittest.main()
