"""Writes the data folder. Output depends only on the inputs (sorted keys, fixed number
formats, no dates), and each file is replaced atomically, so a failed build never leaves a
half-written data folder behind."""
import csv
import io
import os
import tempfile
from collections import defaultdict

from .catalog import AREAS
from .countries import ACTORS, ISO3_ALL, LAC, OAS_SOURCES, OAS_STATUS, SUBREGION
from .derived import DERIVED, OBSERVED
from .rawtable import BuildError, Table
from .sources import BY_ID, SOURCES
from . import gaps_text

COUNTRY_COLUMNS = ["iso3", "name", "kind", "subregion", "neighbours", "oas_status",
                   "oas_status_since", "recognizes", "recognition_since", "bri_status",
                   "bri_year", "latitude", "longitude", "area_km2", "landlocked"]
INDICATOR_COLUMNS = ["id", "name", "unit", "area", "lower", "upper", "interpolate_max_gap",
                     "carry_forward_max", "source", "licence", "transformation", "countries",
                     "first_year", "last_year", "observed", "filled"]
# Coverage an area needs for calibration: this many countries, each with this many years.
AREA_COUNTRIES, AREA_YEARS = 30, 15


def format_number(value):
    """Integers without a decimal point, anything else in its shortest exact form."""
    if value is None:
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _atomic_write(path, text):
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


# ------------------------------------------------------------------------------ countries
def country_rows(raw, facts):
    meta = Table(os.path.join(raw, "country_metadata/mledoze_countries_lac_usa_chn.csv"),
                 ["iso3", "name_common", "latlng", "area_km2", "landlocked", "borders_iso3"],
                 raw_root=raw)
    by_code = {}
    for line, fields in meta.rows:
        iso3 = meta.country(line, fields, "iso3", "name_common")
        if iso3 in by_code:
            raise meta.error(line, f"duplicate iso3 {iso3}")
        latlng = meta.get(fields, "latlng").split(";")
        if len(latlng) != 2:
            raise meta.error(line, f"column 'latlng': expected 'lat;lng', found "
                                   f"'{meta.get(fields, 'latlng')}'")
        for text in latlng:
            try:
                float(text)
            except ValueError:
                raise meta.error(line, f"column 'latlng': not a number: '{text}'") from None
        meta.number(line, fields, "area_km2")
        borders = [b for b in meta.get(fields, "borders_iso3").split(";") if b]
        by_code[iso3] = {
            "name": meta.get(fields, "name_common"), "latitude": latlng[0],
            "longitude": latlng[1], "area_km2": meta.get(fields, "area_km2"),
            "landlocked": "yes" if meta.get(fields, "landlocked") == "True" else "no",
            # Land borders with territories outside the model (e.g. French Guiana, Canada)
            # are left out: spillovers in the model run between its own countries.
            "neighbours": ";".join(sorted(b for b in borders if b in ISO3_ALL)),
        }
    missing = sorted(ISO3_ALL - set(by_code))
    if missing:
        raise BuildError(f"{meta.name}: no row for {', '.join(missing)}")
    for iso3, row in by_code.items():
        for other in filter(None, row["neighbours"].split(";")):
            if iso3 not in by_code[other]["neighbours"].split(";"):
                raise BuildError(f"{meta.name}: {iso3} lists {other} as a land neighbour but "
                                 f"{other} does not list {iso3}")

    bri = Table(os.path.join(raw, "transcribed_facts/bri_membership_lac.csv"),
                ["iso3", "date_joined", "status"], raw_root=raw)
    bri_rows = {}
    for line, fields in bri.rows:
        iso3 = bri.country(line, fields, "iso3")
        status = bri.get(fields, "status")
        date = bri.get(fields, "date_joined")
        if status.startswith("not member"):
            bri_rows[iso3] = ("not member", "")
        elif status.startswith("member") or status in ("MoU signed", "joined"):
            kind = "member (inferred)" if "inferred" in status else "member"
            bri_rows[iso3] = (kind, date[:4] if date[:4].isdigit() else "")
        else:
            raise bri.error(line, f"column 'status': expected 'MoU signed', 'joined', "
                                  f"'member ...' or 'not member ...', found '{status}'")

    status_table = Table(os.path.join(raw, "transcribed_facts/taiwan_prc_recognition_status_lac.csv"),
                         ["iso3", "prc_relations_since_year"], raw_root=raw)
    prc_since = {}
    for line, fields in status_table.rows:
        iso3 = status_table.country(line, fields, "iso3")
        year = status_table.get(fields, "prc_relations_since_year")
        if year and not year.isdigit():
            raise status_table.error(line, f"column 'prc_relations_since_year': expected a "
                                           f"year, found '{year}'")
        prc_since[iso3] = year

    rows = []
    for iso3 in sorted(LAC) + list(ACTORS):
        row = by_code[iso3]
        recognizes = facts["recognizes"].get(iso3, "")
        since = ""
        if iso3 in facts["switch_year"]:
            since = str(facts["switch_year"][iso3])
        elif recognizes == "PRC":
            since = prc_since.get(iso3, "")
        bri_status, bri_year = bri_rows.get(iso3, ("", ""))
        oas, oas_since = OAS_STATUS[iso3]
        rows.append([iso3, row["name"], "lac" if iso3 in LAC else "actor", SUBREGION[iso3],
                     row["neighbours"], oas, oas_since, recognizes, since, bri_status,
                     bri_year, row["latitude"], row["longitude"], row["area_km2"],
                     row["landlocked"]])
    return rows


# ------------------------------------------------------------------------------ panel
def coverage(series):
    """(countries, first_year, last_year, observed rows, filled rows, years per country)."""
    observed = [(iso3, year) for (iso3, year), (_, flag) in series.items()
                if flag in (OBSERVED, DERIVED)]
    years_by_country = defaultdict(int)
    for iso3, _ in observed:
        years_by_country[iso3] += 1
    years = [y for _, y in observed]
    return (len(years_by_country), min(years, default=None), max(years, default=None),
            len(observed), len(series) - len(observed), years_by_country)


def write_outputs(raw, out, panel, metas, facts, last_year, digests):
    panel_rows = []
    for meta in sorted(metas, key=lambda m: m.id):
        for (iso3, year), (value, flag) in sorted(panel[meta.id].items()):
            source = meta.source
            panel_rows.append([iso3, year, meta.id, format_number(value), flag, source])
    indicator_rows, area_best = [], {}  # area -> [(id, countries with enough years)]
    for meta in sorted(metas, key=lambda m: m.id):
        countries, first, last, observed, filled, per_country = coverage(panel[meta.id])
        if observed == 0:
            raise BuildError(f"indicator {meta.id} has no observed value; remove it or fix "
                             f"its source")
        licence = "; ".join(BY_ID[s].licence for s in meta.source.split("+"))
        indicator_rows.append([meta.id, meta.name, meta.unit, meta.area,
                               format_number(meta.lower), format_number(meta.upper),
                               meta.interpolate_max_gap, meta.carry_forward_max, meta.source,
                               licence, meta.transformation, countries, first, last, observed,
                               filled])
        enough = sum(1 for n in per_country.values() if n >= AREA_YEARS)
        area_best.setdefault(meta.area, []).append((meta.id, enough))
    countries = country_rows(raw, facts)

    files = {
        "countries.csv": _csv_text(COUNTRY_COLUMNS, countries),
        "panel.csv": _csv_text(["iso3", "year", "indicator", "value", "flag", "source"],
                               panel_rows),
        "indicators.csv": _csv_text(INDICATOR_COLUMNS, indicator_rows),
    }
    files["SOURCES.md"] = sources_markdown(metas, area_best, last_year, digests,
                                           len(panel_rows))
    for name in sorted(files):
        _atomic_write(os.path.join(out, name), files[name])


def sources_markdown(metas, area_best, last_year, digests, row_count):
    from .build import FIRST_YEAR
    by_source = defaultdict(list)
    for meta in sorted(metas, key=lambda m: m.id):
        for source in meta.source.split("+"):
            by_source[source].append(meta.id)
    lines = [
        "# latwin's data: sources, gap policy and gaps",
        "",
        "Generated by `tools/build-data` from the raw public files in `../shared/data/raw/` "
        "(described in that folder's `SOURCES.md`). Do not edit by hand: change the build and "
        "run it again. The same raw files always give byte-identical output.",
        "",
        "**Licences.** Each source keeps its publisher's terms, listed below; several are "
        "attribution-only and some (IHME, GTD, Polity, Freedom House) are for non-commercial "
        "use. latwin carries these values for analysis; anyone republishing them must check "
        "each source's terms.",
        "",
        f"- `panel.csv`: {row_count} rows, `iso3,year,indicator,value,flag,source`, years "
        f"{FIRST_YEAR} to {last_year}.",
        "- `indicators.csv`: the dictionary (unit, area, valid range, gap policy, source, "
        "licence, transformation, coverage). Coverage counts observed and derived values only.",
        "- `countries.csv`: the 33 states of Latin America and the Caribbean (`kind` = lac) "
        "and the two outside actors USA and CHN (`kind` = actor).",
        "",
        "## Flags and the gap policy",
        "",
        "| flag | meaning |",
        "|---|---|",
        "| observed | the value as the source publishes it |",
        "| derived | computed in the build from observed values (sums, ratios, per-100,000 "
        "rates, fiscal- to calendar-year conversion); its `transformation` in "
        "`indicators.csv` says how |",
        "| interpolated | linear between the observed values on either side of a gap no longer "
        "than the indicator's `interpolate_max_gap` years |",
        "| carried_forward | the last observed value repeated for at most the indicator's "
        f"`carry_forward_max` years after it, never past {last_year} |",
        "",
        "Nothing is filled before a series' first value or from another filled value. Counts "
        "of events and flows (attacks, deaths, encounters, aid, trade) are never filled. "
        "A missing row is a gap; a model reading it gets \"missing\", never a made-up "
        "number. `latwin data show INDICATOR --observed-only` and the C++ API's "
        "`Values::kObservedOnly` leave the filled values out.",
        "",
        f"Years before {FIRST_YEAR} are left out (a few series, such as Polity and Maddison, "
        "reach back centuries; the model starts from the post-war order of the UN and the "
        "OAS).",
        "",
        "## Countries",
        "",
        "- Names, coordinates, areas and land borders: mledoze/countries (ODbL 1.0). "
        "`neighbours` keeps land borders between the 35 countries only (French Guiana and "
        "Canada are outside the model).",
        "- `subregion` is latwin's grouping: **Mexico** and **Brazil** alone (each large "
        "enough to be its own case); **Central America**, the SICA isthmus with Belize; "
        "**Caribbean**, the island states plus the CARICOM mainland states Guyana and "
        "Suriname; **Andean**, Bolivia, Colombia, Ecuador, Peru and Venezuela (the coca "
        "producers and the Bolivarian arc); **Southern Cone**, Argentina, Chile, Paraguay "
        "and Uruguay.",
        "- `oas_status` (OAS membership as of 2024) is entered by hand in "
        "`tools/latwin_data/countries.py`, because no raw file has it: `active`; "
        "`not participating` (Cuba, excluded in 1962, exclusion revoked in 2009, Cuba has "
        "not returned); `disputed` (Venezuela: the government's 2017 denunciation took "
        "effect in 2019, the opposition revoked it in 2019, and the OAS still counts "
        "Venezuela among its 34 members); `withdrawn` (Nicaragua, effective November 2023); "
        "`observer` (China, permanent observer). Sources:",
    ]
    lines += [f"  - {s}" for s in OAS_SOURCES]
    lines += [
        "- `recognizes` and `recognition_since`: from the transcribed recognition files (the "
        "year of the last switch to the PRC since 2000, else the start of PRC relations where "
        "a page gave it). `bri_status` and `bri_year`: from the transcribed Belt and Road "
        "file; `member (inferred)` marks the rows the transcriber inferred from published "
        "counts.",
        "",
        "## Sources",
        "",
    ]
    for source in SOURCES:
        if source.id not in by_source and source.id != "mledoze":
            continue
        lines.append(f"### `{source.id}`: {source.title}")
        lines.append("")
        lines.append(f"- Publisher: {source.publisher}")
        lines.append(f"- Licence: {source.licence}")
        lines.append(f"- Origin: {source.origin}")
        lines.append(f"- Raw files: {', '.join(f'`{f}`' for f in source.files)}")
        if source.id in by_source:
            lines.append(f"- Indicators: {', '.join(f'`{i}`' for i in by_source[source.id])}")
        lines.append("")
    lines += [
        "## Coverage by area",
        "",
        f"An indicator covers its area when at least {AREA_COUNTRIES} countries each have "
        f"{AREA_YEARS} or more observed (or derived) years of it; the number in brackets is "
        f"how many countries do.",
        "",
        "| area | indicators that cover it | others |",
        "|---|---|---|",
    ]
    for area in AREAS:
        entries = sorted(area_best.get(area, []), key=lambda e: (-e[1], e[0]))
        covering = [f"`{i}` ({n})" for i, n in entries if n >= AREA_COUNTRIES]
        others = [f"`{i}` ({n})" for i, n in entries if n < AREA_COUNTRIES]
        lines.append(f"| {area} | {', '.join(covering) or '**none** (see Gaps)'} | "
                     f"{', '.join(others)} |")
    lines += ["", gaps_text.GAPS.strip(), "", "## Raw files used (SHA-256)", "",
              "| file | sha256 |", "|---|---|"]
    lines += [f"| `{path}` | `{digest}` |" for path, digest in digests]
    lines.append("")
    return "\n".join(lines)
