"""Indicators the build computes from the raw files rather than copies.

Each function returns {indicator_id: {(iso3, year): (value, flag)}} and its dictionary
entries. A derived value uses observed inputs only (never a filled value), and is absent
when any input it needs is absent: a gap in an input stays a gap in the result.
"""
import os
from collections import defaultdict

from .catalog import Indicator
from .countries import ISO3_ALL, LAC
from .rawtable import KeyedValues, Table

OBSERVED = "observed"
DERIVED = "derived"


def _table(raw, rel, required):
    return Table(os.path.join(raw, rel), required, raw_root=raw)


# ------------------------------------------------------------------------------ terrorism
GTD_FILE = "owid_datasets/gtd_attacks_by_type.csv"


def terrorist_attacks(raw):
    """GTD publishes attacks by type only; the total is their sum."""
    table = _table(raw, GTD_FILE, ["iso3", "Entity", "Year"])
    type_columns = [c for c in table.header if c not in ("iso3", "Entity", "Year")]
    if not type_columns:
        raise table.error(1, "expected one column per attack type after iso3, Entity, Year")
    values = KeyedValues(table)
    for line, fields in table.rows:
        iso3 = table.country(line, fields, "iso3", "Entity")
        if iso3 is None:
            continue
        year = table.year(line, fields, "Year")
        counts = [table.number(line, fields, c) for c in type_columns]
        if any(c is None for c in counts):
            raise table.error(line, "an attack-type count is empty; expected every type "
                                    "counted (0 when none)")
        values.add(line, iso3, year, (float(sum(counts)), DERIVED))
    meta = Indicator("terrorist_attacks", "Terrorist attacks (Global Terrorism Database)",
                     "attacks per year", "security", 0, 10000, 0, 0, "gtd",
                     "sum of the attacks of every type; GTD has no 1993 data (lost), so "
                     "1993 is a gap")
    return {meta.id: values.values}, [meta]


# ------------------------------------------------------------------------------ coca
COCA_FILE = "transcribed_facts/coca_cultivation_datapoints.csv"
COCA_INDICATORS = {
    "coca_cultivation_ha": Indicator(
        "coca_cultivation_ha", "Coca cultivation (UNODC survey estimate)", "hectares",
        "security", 0, 1e6, 0, 0, "coca",
        "scattered data points transcribed from pages citing UNODC; not a complete series"),
    "coca_cultivation_ha_us_estimate": Indicator(
        "coca_cultivation_ha_us_estimate", "Coca cultivation (U.S. ONDCP estimate)",
        "hectares", "security", 0, 1e6, 0, 0, "coca",
        "scattered data points; the U.S. estimate is not comparable with UNODC's"),
    "cocaine_production_potential_t": Indicator(
        "cocaine_production_potential_t", "Potential cocaine production (UNODC)",
        "tonnes per year", "security", 0, 1e5, 0, 0, "coca", "scattered data points"),
    "cocaine_production_potential_t_us_estimate": Indicator(
        "cocaine_production_potential_t_us_estimate",
        "Potential cocaine production (U.S. ONDCP estimate)", "tonnes per year", "security",
        0, 1e5, 0, 0, "coca", "scattered data points"),
}


def coca(raw):
    table = _table(raw, COCA_FILE, ["iso3", "year", "variable", "value", "estimator", "note"])
    out = {k: KeyedValues(table) for k in COCA_INDICATORS}
    for line, fields in table.rows:
        code = table.get(fields, "iso3")
        if code == "WORLD":
            continue  # world totals
        iso3 = table.country(line, fields, "iso3")
        variable = table.get(fields, "variable")
        if variable not in out:
            raise table.error(line, f"unknown variable '{variable}'; expected one of "
                                    f"{', '.join(sorted(out))}")
        value = table.number(line, fields, "value")
        if value is None:
            raise table.error(line, "empty value")
        # A point the transcriber computed from a stated change is derived, not observed.
        flag = DERIVED if table.get(fields, "note").startswith("derived") else OBSERVED
        out[variable].add(line, iso3, table.year(line, fields, "year"), (value, flag))
    return {k: v.values for k, v in out.items()}, list(COCA_INDICATORS.values())


# ------------------------------------------------------------------------------ economy
def economy(panel):
    """Per-capita GDP, growth and trade intensity from series already in the panel."""
    def observed(indicator):
        return {k: v for k, (v, flag) in panel.get(indicator, {}).items()
                if flag in (OBSERVED, DERIVED)}

    gdp, population = observed("gdp_usd"), observed("population")
    ppp = observed("gdp_per_capita_ppp")
    exports, imports = observed("us_exports"), observed("us_imports")
    out = defaultdict(dict)
    for key, g in gdp.items():
        if key in population and population[key] > 0:
            out["gdp_per_capita_usd"][key] = (g / population[key], DERIVED)
    for (iso3, year), v in ppp.items():
        before = ppp.get((iso3, year - 1))
        if before:
            out["gdp_per_capita_growth"][(iso3, year)] = (100.0 * (v / before - 1.0), DERIVED)
    for key, x in exports.items():
        if key in imports:
            total = x + imports[key]
            out["us_trade"][key] = (total, DERIVED)
            if key in gdp and gdp[key] > 0:
                out["us_trade_share_gdp"][key] = (100.0 * total / gdp[key], DERIVED)
    metas = [
        Indicator("gdp_per_capita_usd", "GDP per capita", "current US$ per person per year",
                  "economy", 0, 300000, 0, 0, "wb_gdp+wb_population",
                  "gdp_usd / population, same year"),
        Indicator("gdp_per_capita_growth", "Growth of GDP per capita (PPP, constant prices)",
                  "% per year", "economy", -60, 100, 0, 0, "wb_gdp_ppp",
                  "100 * (gdp_per_capita_ppp[t] / gdp_per_capita_ppp[t-1] - 1), both years "
                  "observed"),
        Indicator("us_trade", "Goods trade with the U.S. (U.S. exports + imports)",
                  "current US$ per year", "economy", 0, 2e13, 0, 0, "imf_dots",
                  "us_exports + us_imports, same year"),
        Indicator("us_trade_share_gdp", "Goods trade with the U.S. relative to the country's "
                  "GDP", "% of GDP", "economy", 0, 500, 0, 0, "imf_dots+wb_gdp",
                  "100 * us_trade / gdp_usd, same year (the U.S. partner's own GDP for CHN)"),
    ]
    return dict(out), metas


# ------------------------------------------------------------------------------ China finance
GCDF_FILE = "china_finance_aiddata/gcdf3_china_dev_finance_country_year_lac.csv"
GCDF_FIRST, GCDF_LAST = 2000, 2021


def china_finance(raw):
    """AidData lists every recorded commitment, so a LAC country-year it does not list had no
    recorded Chinese official finance: that is a 0 (the dataset's own definition), within the
    years it covers."""
    flows = ["oof_amt", "oda_amt", "vof_amt"]
    table = _table(raw, GCDF_FILE, ["iso3", "year"] + flows)
    values = KeyedValues(table)
    for line, fields in table.rows:
        iso3 = table.country(line, fields, "iso3")
        year = table.year(line, fields, "year")
        if not GCDF_FIRST <= year <= GCDF_LAST:
            raise table.error(line, f"year {year} outside the dataset's {GCDF_FIRST}-"
                                    f"{GCDF_LAST}")
        amounts = [table.number(line, fields, c, missing=("", "NA")) for c in flows]
        values.add(line, iso3, year, (float(sum(a or 0.0 for a in amounts)), DERIVED))
    series = dict(values.values)
    for iso3 in LAC:
        for year in range(GCDF_FIRST, GCDF_LAST + 1):
            series.setdefault((iso3, year), (0.0, DERIVED))
    meta = Indicator("china_finance", "Chinese official development finance committed "
                     "(AidData GCDF 3.0)", "constant 2021 US$ per year", "engagement", 0,
                     1e11, 0, 0, "aiddata_gcdf3",
                     "sum of ODA-like, OOF-like and vague official finance commitments by "
                     "commitment year; 0 for a LAC country-year in 2000-2021 with no "
                     "recorded commitment")
    return {meta.id: series}, [meta]


# ------------------------------------------------------------------------------ fiscal years
def _fiscal_year_months(label):
    """The calendar months [first, end) a U.S. federal fiscal year covers, as year*12+month0.

    Until FY1976 fiscal years ran July to June; the transition quarter (label '1976tq') ran
    July to September 1976; from FY1977 they run October to September.
    """
    if label.endswith("tq"):
        return 1976 * 12 + 6, 1976 * 12 + 9
    year = int(label)
    if year <= 1976:
        return (year - 1) * 12 + 6, year * 12 + 6
    return (year - 1) * 12 + 9, year * 12 + 9


def fiscal_to_calendar(by_fiscal_year):
    """Calendar-year sums from fiscal-period sums, spreading each period evenly over its
    months. A calendar year is given only when every one of its months lies in a period with
    a value. by_fiscal_year: {label: amount}; returns {year: amount}."""
    covered = defaultdict(int)
    totals = defaultdict(float)
    for (first, end), amount in sorted((_fiscal_year_months(label), amount)
                                       for label, amount in by_fiscal_year.items()):
        for year in range(first // 12, (end - 1) // 12 + 1):
            overlap = min(end, (year + 1) * 12) - max(first, year * 12)
            covered[year] += overlap
            totals[year] += amount * overlap / (end - first)
    return {year: totals[year] for year in sorted(totals) if covered[year] == 12}


AID_FILE = "us_trade_aid/us_foreign_aid_by_country_lac.csv"


def us_aid(raw):
    table = _table(raw, AID_FILE, ["Country Code", "Country Name", "Transaction Type Name",
                                   "Fiscal Year", "constant_amount"])
    kinds = {"Obligations": "obligations", "Disbursements": "disbursements"}
    fiscal = defaultdict(dict)  # (kind, iso3) -> {label: amount}
    first_line = {}
    for line, fields in table.rows:
        kind = kinds.get(table.get(fields, "Transaction Type Name"))
        if kind is None:
            continue  # budget requests and plans are intentions, not spending
        iso3 = table.country(line, fields, "Country Code", "Country Name")
        if iso3 is None:
            continue
        label = table.get(fields, "Fiscal Year")
        if not (label.isdigit() and 1900 <= int(label) <= 2100) and label != "1976tq":
            raise table.error(line, f"column 'Fiscal Year': expected a year or 1976tq, found "
                                    f"'{label}'")
        amount = table.number(line, fields, "constant_amount")
        if amount is None:
            raise table.error(line, "empty constant_amount")
        key = (kind, iso3, label)
        if key in first_line:
            raise table.error(line, f"duplicate key {iso3} FY{label} {kind} (first on line "
                                    f"{first_line[key]})")
        first_line[key] = line
        fiscal[(kind, iso3)][label] = amount
    out = defaultdict(dict)
    for (kind, iso3), by_label in fiscal.items():
        if kind == "obligations":
            for label, amount in by_label.items():
                if label.isdigit():
                    out["us_aid_obligations_fy"][(iso3, int(label))] = (amount, OBSERVED)
        for year, amount in fiscal_to_calendar(by_label).items():
            out[f"us_aid_{kind}"][(iso3, year)] = (amount, DERIVED)
    unit = "constant 2022 US$ per year"
    caveat = ("the latest fiscal years are incomplete in the source (obligations are "
              "reported with a lag); military and economic assistance together")
    metas = [
        Indicator("us_aid_obligations_fy", "U.S. foreign assistance obligated, by U.S. fiscal "
                  "year", unit + " (fiscal year)", "engagement", -1e10, 1e11, 0, 0, "us_aid",
                  "as published; the year is the U.S. fiscal year (to Sept; to June before "
                  "1977); " + caveat),
        Indicator("us_aid_obligations", "U.S. foreign assistance obligated", unit,
                  "engagement", -1e10, 1e11, 0, 0, "us_aid",
                  "fiscal years spread evenly over their months and summed by calendar year "
                  "(e.g. 3/4 of FY t + 1/4 of FY t+1); " + caveat),
        Indicator("us_aid_disbursements", "U.S. foreign assistance disbursed", unit,
                  "engagement", -1e10, 1e11, 0, 0, "us_aid",
                  "fiscal years spread evenly over their months and summed by calendar "
                  "year; disbursements are reported from FY2001; " + caveat),
    ]
    return dict(out), metas


# ------------------------------------------------------------------------------ encounters
ENCOUNTERS_ANNUAL = "us_border_encounters/usbp_encounters_annual_by_citizenship_fy2000_2025.csv"
ENCOUNTERS_MONTHLY = ("us_border_encounters/"
                      "usbp_encounters_monthly_by_region_citizenship_fy2000_2025.csv")
_FY_MONTHS = ["October", "November", "December", "January", "February", "March", "April",
              "May", "June", "July", "August", "September"]


def encounters(raw, population):
    """Border Patrol encounters by citizenship: the fiscal-year totals as published, and
    calendar-year totals summed from the monthly counts (exact, no spreading). A country
    absent from the annual file in a fiscal year is a gap, not a zero: the rounded counts
    cannot tell a few encounters from none."""
    annual = _table(raw, ENCOUNTERS_ANNUAL, ["iso3", "Fiscal Year", "Citizenship", "Quantity"])
    fiscal = KeyedValues(annual)
    for line, fields in annual.rows:
        iso3 = annual.country(line, fields, "iso3", "Citizenship")
        if iso3 is None:
            continue
        quantity = annual.number(line, fields, "Quantity")
        if quantity is None:
            raise annual.error(line, "empty Quantity")
        fiscal.add(line, iso3, annual.year(line, fields, "Fiscal Year"), (quantity, OBSERVED))

    monthly = _table(raw, ENCOUNTERS_MONTHLY, ["iso3", "Fiscal Year", "Month", "Region",
                                               "Citizenship", "Quantity"])
    months_in_data = set()
    by_month = defaultdict(float)  # (iso3, year*12+month0) -> count
    for line, fields in monthly.rows:
        fy = monthly.year(line, fields, "Fiscal Year")
        month_text = monthly.get(fields, "Month")
        parts = month_text.split(" ", 1)
        if len(parts) != 2 or not parts[0].isdigit() or \
                not 1 <= int(parts[0]) <= 12 or _FY_MONTHS[int(parts[0]) - 1] != parts[1]:
            raise monthly.error(line, f"column 'Month': expected e.g. '01 October', found "
                                      f"'{month_text}'")
        fy_month = int(parts[0])  # 1 = October of the previous calendar year
        calendar = (fy - 1) * 12 + 9 + (fy_month - 1)
        months_in_data.add(calendar)
        iso3 = monthly.country(line, fields, "iso3", "Citizenship")
        if iso3 is None:
            continue
        quantity = monthly.number(line, fields, "Quantity")
        if quantity is None:
            raise monthly.error(line, "empty Quantity")
        by_month[(iso3, calendar)] += quantity

    def fiscal_year_of(month):
        return month // 12 + (1 if month % 12 >= 9 else 0)

    calendar_out, per_100k = {}, {}
    years = sorted({m // 12 for m in months_in_data})
    countries = sorted({iso3 for iso3, _ in fiscal.values})
    for iso3 in countries:
        for year in years:
            months = range(year * 12, year * 12 + 12)
            if not all(m in months_in_data and (iso3, fiscal_year_of(m)) in fiscal.values
                       for m in months):
                continue
            total = sum(by_month.get((iso3, m), 0.0) for m in months)
            calendar_out[(iso3, year)] = (total, DERIVED)
            people = population.get((iso3, year))
            if people:
                per_100k[(iso3, year)] = (1e5 * total / people, DERIVED)
    metas = [
        Indicator("usbp_encounters_fy", "U.S. Border Patrol encounters of the country's "
                  "citizens, by U.S. fiscal year", "encounters per fiscal year", "migration",
                  0, 1e7, 0, 0, "usbp",
                  "as published (rounded to tens by DHS); Border Patrol only, without ports "
                  "of entry; the year is the U.S. fiscal year (Oct-Sep); FY2025 has 11 months"),
        Indicator("usbp_encounters", "U.S. Border Patrol encounters of the country's citizens",
                  "encounters per year", "migration", 0, 1e7, 0, 0, "usbp",
                  "sum of the monthly counts (all border regions) by calendar year; a year is "
                  "given only when all its months are in the data and the country appears "
                  "in the annual file for both fiscal years it spans"),
        Indicator("usbp_encounters_per_100k", "U.S. Border Patrol encounters of the country's "
                  "citizens per 100,000 inhabitants", _PER_100K_YEAR, "migration", 0, 1e5, 0,
                  0, "usbp+wb_population", "1e5 * usbp_encounters / population, same year"),
    ]
    return {"usbp_encounters_fy": fiscal.values, "usbp_encounters": calendar_out,
            "usbp_encounters_per_100k": per_100k}, metas


_PER_100K_YEAR = "per 100,000 people per year"


# ------------------------------------------------------------------------------ UNHCR
UNHCR_FILE = "unhcr_refugees/unhcr_population_origin_asylum_lac.csv"
ASYLUM_FILE = "unhcr_refugees/unhcr_asylum_applications_origin_asylum_lac.csv"


def _unhcr_rows(table, line, fields):
    """The origin's ISO3 when it is one of latwin's countries, else None. A row must concern
    one of latwin's countries as origin or as asylum country."""
    origin = table.get(fields, "coo_iso")
    asylum = table.get(fields, "coa_iso")
    if origin in ISO3_ALL:
        return origin
    if asylum in ISO3_ALL:
        return None
    raise table.error(line, f"neither origin '{origin}' nor asylum country '{asylum}' is one "
                            f"of the 35 countries")


def unhcr(raw, population):
    """Totals by country of origin over all countries of asylum."""
    columns = {"refugees": "refugees_abroad", "asylum_seekers": "asylum_seekers_abroad",
               "oip": "others_in_need_abroad", "idps": "idps_unhcr"}
    table = _table(raw, UNHCR_FILE, ["year", "coo_iso", "coa_iso"] + list(columns))
    sums = {name: defaultdict(float) for name in columns.values()}
    seen = {name: set() for name in columns.values()}
    for line, fields in table.rows:
        origin = _unhcr_rows(table, line, fields)
        if origin is None:
            continue
        year = table.year(line, fields, "year")
        for column, name in columns.items():
            value = table.number(line, fields, column, missing=("", "NA"))
            if value is not None:
                sums[name][(origin, year)] += value
                seen[name].add((origin, year))
    out = {name: {k: (sums[name][k], DERIVED) for k in seen[name]} for name in sums}
    displaced, per_100k = {}, {}
    for key in out["refugees_abroad"]:
        if key in out["asylum_seekers_abroad"]:
            total = out["refugees_abroad"][key][0] + out["asylum_seekers_abroad"][key][0]
            total += out["others_in_need_abroad"].get(key, (0.0, None))[0]
            displaced[key] = (total, DERIVED)
            if population.get(key):
                per_100k[key] = (1e5 * total / population[key], DERIVED)
    out["displaced_abroad"] = displaced
    out["displaced_abroad_per_100k"] = per_100k

    apps = _table(raw, ASYLUM_FILE, ["year", "coo_iso", "coa_iso", "applied"])
    applied, applied_seen = defaultdict(float), set()
    for line, fields in apps.rows:
        origin = _unhcr_rows(apps, line, fields)
        if origin is None:
            continue
        value = apps.number(line, fields, "applied", missing=("", "NA"))
        if value is not None:
            key = (origin, apps.year(line, fields, "year"))
            applied[key] += value
            applied_seen.add(key)
    out["asylum_applications_abroad"] = {k: (applied[k], DERIVED) for k in applied_seen}

    by_origin = "sum over all countries of asylum of the values UNHCR reports (blank cells " \
                "are not reported and left out; the latest year may be provisional)"
    metas = [
        Indicator("refugees_abroad", "Refugees from the country, all countries of asylum",
                  "people", "migration", 0, 1e8, 0, 0, "unhcr", by_origin),
        Indicator("asylum_seekers_abroad", "Asylum seekers from the country, all countries "
                  "of asylum", "people", "migration", 0, 1e8, 0, 0, "unhcr", by_origin),
        Indicator("others_in_need_abroad", "Other people in need of international protection "
                  "(mainly Venezuelans abroad, from 2018)", "people", "migration", 0, 1e8, 0,
                  0, "unhcr", by_origin),
        Indicator("idps_unhcr", "Internally displaced people protected or assisted by UNHCR",
                  "people", "migration", 0, 1e8, 0, 0, "unhcr", by_origin),
        Indicator("displaced_abroad", "People displaced abroad (refugees + asylum seekers + "
                  "others in need of international protection)", "people", "migration", 0,
                  1e8, 0, 0, "unhcr", "refugees_abroad + asylum_seekers_abroad + "
                  "others_in_need_abroad (0 where UNHCR reports none), same year"),
        Indicator("displaced_abroad_per_100k", "People displaced abroad per 100,000 "
                  "inhabitants", "per 100,000 people", "migration", 0, 1e5, 0, 0,
                  "unhcr+wb_population", "1e5 * displaced_abroad / population, same year"),
        Indicator("asylum_applications_abroad", "Asylum applications lodged by the country's "
                  "citizens, all countries of asylum", "applications per year", "migration",
                  0, 1e8, 0, 0, "unhcr", by_origin),
    ]
    return out, metas


# ------------------------------------------------------------------------------ UN votes
VOTES_FILE = "un_votes_unvotes_pkg/un_votes_lac_usa_chn.csv"
ROLL_CALLS_FILE = "un_votes_unvotes_pkg/un_roll_calls.csv"
_VOTES = ("yes", "no", "abstain")
# Fewer joint votes than this in a year make the share mostly noise: the year is a gap.
UN_MIN_JOINT_VOTES = 10


def un_agreement(raw):
    """Agreement with the U.S. and with China in UN General Assembly roll calls, per
    calendar year: over the roll calls where both cast a vote (yes, no or abstain),
    (identical votes + 0.5 * votes where exactly one abstained) / joint votes. Absences are
    not recorded in the source and do not count."""
    calls = _table(raw, ROLL_CALLS_FILE, ["rcid", "date"])
    year_of = {}
    for line, fields in calls.rows:
        rcid = calls.get(fields, "rcid")
        date = calls.get(fields, "date")
        if not rcid.isdigit():
            raise calls.error(line, f"column 'rcid': expected a number, found '{rcid}'")
        if len(date) != 10 or not date[:4].isdigit() or date[4] != "-":
            raise calls.error(line, f"column 'date': expected YYYY-MM-DD, found '{date}'")
        if rcid in year_of:
            raise calls.error(line, f"duplicate rcid {rcid}")
        year_of[rcid] = int(date[:4])

    votes = _table(raw, VOTES_FILE, ["rcid", "iso3", "country", "vote"])
    by_call = defaultdict(dict)
    for line, fields in votes.rows:
        rcid = votes.get(fields, "rcid")
        if rcid not in year_of:
            raise votes.error(line, f"rcid {rcid} is not in {ROLL_CALLS_FILE}")
        code = votes.get(fields, "iso3")
        if code == "TWN":
            continue  # the Republic of China's seat before 1971; not one of latwin's actors
        iso3 = votes.country(line, fields, "iso3", "country")
        vote = votes.get(fields, "vote")
        if vote not in _VOTES:
            raise votes.error(line, f"column 'vote': expected yes, no or abstain, found "
                                    f"'{vote}'")
        if iso3 in by_call[rcid]:
            raise votes.error(line, f"duplicate vote of {iso3} in roll call {rcid}")
        by_call[rcid][iso3] = vote

    counts = defaultdict(lambda: [0, 0, 0])  # (reference, iso3, year) -> joint, same, half
    for rcid in sorted(by_call, key=int):
        cast = by_call[rcid]
        year = year_of[rcid]
        for reference in ("USA", "CHN"):
            ref_vote = cast.get(reference)
            if ref_vote is None:
                continue
            for iso3, vote in cast.items():
                if iso3 == reference:
                    continue
                c = counts[(reference, iso3, year)]
                c[0] += 1
                if vote == ref_vote:
                    c[1] += 1
                elif "abstain" in (vote, ref_vote):
                    c[2] += 1
    out = {"un_agreement_usa": {}, "un_agreement_chn": {}}
    for (reference, iso3, year), (joint, same, half) in counts.items():
        if joint < UN_MIN_JOINT_VOTES:
            continue  # e.g. 2020, which holds only the roll calls of January
        out[f"un_agreement_{reference.lower()}"][(iso3, year)] = \
            ((same + 0.5 * half) / joint, DERIVED)
    gap = {}
    for key, (usa, _) in out["un_agreement_usa"].items():
        if key in out["un_agreement_chn"]:
            gap[key] = (usa - out["un_agreement_chn"][key][0], DERIVED)
    out["un_alignment_gap"] = gap
    text = ("over the year's roll calls in which both voted: (identical votes + 0.5 x votes "
            "where exactly one abstained) / joint votes; includes amendments and paragraph "
            "votes, so it is not the State Department's official coincidence figure; a year "
            f"with fewer than {UN_MIN_JOINT_VOTES} joint votes is a gap (so 2020, which has "
            "only January's votes, is left out)")
    metas = [
        Indicator("un_agreement_usa", "UN General Assembly voting agreement with the U.S.",
                  "share 0-1", "alignment", 0, 1, 1, 0, "unvotes", text),
        Indicator("un_agreement_chn", "UN General Assembly voting agreement with China "
                  "(the PRC, from 1971)", "share 0-1", "alignment", 0, 1, 1, 0, "unvotes",
                  text),
        Indicator("un_alignment_gap", "UN voting alignment: agreement with the U.S. minus "
                  "agreement with China", "difference of shares, -1 to 1 (positive = closer "
                  "to the U.S.)", "alignment", -1, 1, 1, 0, "unvotes",
                  "un_agreement_usa - un_agreement_chn, same year"),
    ]
    return out, metas


# ------------------------------------------------------------------------------ recognition
STATUS_FILE = "transcribed_facts/taiwan_prc_recognition_status_lac.csv"
SWITCHES_FILE = "transcribed_facts/taiwan_prc_recognition_switches_lac.csv"
RECOGNITION_FIRST = 2008  # after Saint Lucia's 2007 switch back to Taiwan (see note)
RECOGNITION_LAST = 2024   # the "as of" year of the status file


def recognition(raw):
    """Whether each LAC government recognised Taiwan (ROC) at the end of each year, rebuilt
    backwards from the 2024 status and the ROC-to-PRC switches since 2000. The switches file
    lists only moves towards the PRC, so the reconstruction starts after the last known move
    the other way (Saint Lucia, 2007)."""
    status_table = _table(raw, STATUS_FILE, ["iso3", "recognizes_as_of_2024",
                                             "prc_relations_since_year"])
    status = {}
    for line, fields in status_table.rows:
        iso3 = status_table.country(line, fields, "iso3")
        text = status_table.get(fields, "recognizes_as_of_2024")
        if text.startswith("ROC"):
            status[iso3] = "ROC"
        elif text == "PRC":
            status[iso3] = "PRC"
        else:
            raise status_table.error(line, f"column 'recognizes_as_of_2024': expected PRC or "
                                           f"ROC (Taiwan), found '{text}'")
    switches_table = _table(raw, SWITCHES_FILE, ["iso3", "date", "direction"])
    switch_year = {}
    for line, fields in switches_table.rows:
        iso3 = switches_table.country(line, fields, "iso3")
        direction = switches_table.get(fields, "direction")
        date = switches_table.get(fields, "date")
        if direction != "ROC->PRC":
            raise switches_table.error(line, f"column 'direction': expected ROC->PRC, found "
                                             f"'{direction}'")
        if not date[:4].isdigit():
            raise switches_table.error(line, f"column 'date': expected a year first, found "
                                             f"'{date}'")
        if status.get(iso3) != "PRC":
            raise switches_table.error(line, f"{iso3} switched to the PRC but the status "
                                             f"file says it recognises the ROC")
        switch_year[iso3] = int(date[:4])
    missing = [c for c in LAC if c not in status]
    if missing:
        raise status_table.error(len(status_table.rows) + 1,
                                 f"no status for {', '.join(missing)}")
    series = {}
    for iso3, now in status.items():
        for year in range(RECOGNITION_FIRST, RECOGNITION_LAST + 1):
            roc = now == "ROC" or (iso3 in switch_year and year < switch_year[iso3])
            series[(iso3, year)] = (1.0 if roc else 0.0, DERIVED)
    meta = Indicator("recognizes_taiwan", "Recognises Taiwan (the Republic of China) at the "
                     "end of the year", "1 = Taiwan, 0 = the PRC", "alignment", 0, 1, 0, 0,
                     "recognition", "rebuilt from the 2024 status and the dated switches to "
                     "the PRC; from 2008, after the last known switch back to Taiwan "
                     "(Saint Lucia, 2007)")
    return {meta.id: series}, [meta], status, switch_year


# ------------------------------------------------------------------------------ conflict
VDEM16_FILE = "vdem/vdem_v16_selected_indices_biodem.csv"
UCDP_FIRST_YEAR = 1989  # the first year of UCDP's fatality data behind the flags


def organized_violence(raw):
    """Intensity of organised violence from Bio-Dem's flags (V-Dem e_ovctd, from UCDP):
    2 = major (1,000 deaths or more in the year), 1 = minor (1-999), 0 = none. The flags are
    0 by construction before 1989 and in years UCDP has not coded yet, so only 1989 to the
    last year in which any country has a flag are kept."""
    table = _table(raw, VDEM16_FILE, ["iso3", "year", "conflict_hi", "conflict_li"])
    rows = []
    for line, fields in table.rows:
        iso3 = table.country(line, fields, "iso3")
        year = table.year(line, fields, "year")
        flags = []
        for column in ("conflict_hi", "conflict_li"):
            value = table.number(line, fields, column)
            if value not in (0.0, 1.0):
                raise table.error(line, f"column '{column}': expected 0 or 1, found "
                                        f"'{table.get(fields, column)}'")
            flags.append(value)
        if flags == [1.0, 1.0]:
            raise table.error(line, "conflict_hi and conflict_li are both 1; expected at most "
                                    "one intensity")
        rows.append((line, iso3, year, 2.0 if flags[0] else flags[1]))
    coded_until = max((year for _, _, year, v in rows if v > 0), default=UCDP_FIRST_YEAR - 1)
    values = KeyedValues(table)
    for line, iso3, year, value in rows:
        if UCDP_FIRST_YEAR <= year <= coded_until:
            values.add(line, iso3, year, (value, DERIVED))
    meta = Indicator("organized_violence", "Organised violence (state-based, non-state and "
                     "one-sided; UCDP via V-Dem v16)", "0 none, 1 minor (1-999 deaths in the "
                     "year), 2 major (1,000 or more)", "security", 0, 2, 0, 0, "vdem_v16",
                     f"from Bio-Dem's conflict_hi/conflict_li flags; years {UCDP_FIRST_YEAR} "
                     f"to the last year UCDP has coded ({coded_until}); V-Dem does not cover "
                     "the eight small Caribbean states")
    return {meta.id: values.values}, [meta]
