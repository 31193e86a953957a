"""The data build: raw public files in, latwin's data folder out (see tools/build-data)."""
import argparse
import hashlib
import os
import sys
import tempfile
from collections import defaultdict

from . import derived
from .catalog import AREAS, SIMPLE, Indicator
from .countries import ACTORS, LAC, OAS_STATUS, SUBREGION
from .gaps import fill, round_computed
from .output import write_outputs
from .rawtable import BuildError, KeyedValues, Table

# Years before the post-war order (the UN from 1945, the OAS from 1948) are left out: the
# model starts from recent history and the older values of a few long series (Polity,
# Maddison) would dwarf the rest of the panel.
FIRST_YEAR = 1946


def read_simple(raw, indicator, column):
    table = Table(os.path.join(raw, column.file),
                  [c for c in (column.code, column.name, column.year, column.value) if c] +
                  [c for c, _ in column.where], raw_root=raw)
    values = KeyedValues(table)
    for line, fields in table.rows:
        if any(table.get(fields, c) != v for c, v in column.where):
            continue
        iso3 = table.country(line, fields, column.code, column.name, column.variants)
        if iso3 is None:
            continue
        year = table.year(line, fields, column.year)
        value = table.number(line, fields, column.value, column.missing)
        if value is None:
            continue
        values.add(line, iso3, year, (value, derived.OBSERVED))
    return values.values


def collect(raw):
    """Every indicator's observed and derived values: ({id: {(iso3, year): (value, flag)}},
    [Indicator], extra facts for countries.csv)."""
    panel, metas = {}, []

    def add(series_by_id, indicator_list):
        for meta in indicator_list:
            if meta.id in panel:
                raise BuildError(f"internal: indicator {meta.id} defined twice")
            panel[meta.id] = series_by_id.get(meta.id, {})
            metas.append(meta)

    for indicator, column in SIMPLE:
        add({indicator.id: read_simple(raw, indicator, column)}, [indicator])
    add(*derived.terrorist_attacks(raw))
    add(*derived.organized_violence(raw))
    add(*derived.coca(raw))
    add(*derived.economy(panel))
    add(*derived.china_finance(raw))
    add(*derived.us_aid(raw))
    population = {k: v for k, (v, _) in panel["population"].items()}
    add(*derived.encounters(raw, population))
    add(*derived.unhcr(raw, population))
    add(*derived.un_agreement(raw))
    recognition_series, recognition_metas, status, switch_year = derived.recognition(raw)
    add(recognition_series, recognition_metas)
    return panel, metas, {"recognizes": status, "switch_year": switch_year}


def apply_gap_policy(panel, metas):
    """Drop years before FIRST_YEAR, then fill gaps; returns {id: {(iso3, year): (v, flag)}}."""
    for meta in metas:
        panel[meta.id] = {k: (round_computed(value) if flag == derived.DERIVED else value, flag)
                          for k, (value, flag) in panel[meta.id].items() if k[1] >= FIRST_YEAR}
    last_year = max(year for series in panel.values() for (_, year) in series)
    out = {}
    for meta in metas:
        by_country = defaultdict(dict)
        for (iso3, year), value in panel[meta.id].items():
            by_country[iso3][year] = value
        rows = dict(panel[meta.id])
        for iso3, series in by_country.items():
            for year, value in fill(series, meta.interpolate_max_gap, meta.carry_forward_max,
                                    last_year).items():
                rows[(iso3, year)] = value
        out[meta.id] = rows
    return out, last_year


def check_ranges(panel, metas):
    for meta in metas:
        if meta.area not in AREAS:
            raise BuildError(f"internal: indicator {meta.id} has unknown area '{meta.area}'")
        for (iso3, year), (value, _) in panel[meta.id].items():
            if (meta.lower is not None and value < meta.lower) or \
                    (meta.upper is not None and value > meta.upper):
                raise BuildError(f"{meta.id} {iso3} {year}: value {value} is outside the "
                                 f"expected range {meta.lower} to {meta.upper}; check the "
                                 f"raw file or widen the range in catalog.py")


def raw_file_digests(raw):
    digests = []
    for root, _, files in os.walk(raw):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            digests.append((os.path.relpath(path, raw).replace(os.sep, "/"), digest))
    return sorted(digests)


def default_raw_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("LATWIN_RAW_DATA") or \
        os.path.normpath(os.path.join(here, "..", "..", "..", "shared", "data", "raw"))


def build(raw, out):
    if not os.path.isdir(raw):
        raise BuildError(f"{raw}: raw data folder not found (give it with --raw DIR or the "
                         f"LATWIN_RAW_DATA environment variable)")
    panel, metas, facts = collect(raw)
    panel, last_year = apply_gap_policy(panel, metas)
    check_ranges(panel, metas)
    write_outputs(raw, out, panel, metas, facts, last_year, raw_file_digests(raw))
    return panel, metas


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="tools/build-data",
        description="Builds latwin's data folder (countries.csv, panel.csv, indicators.csv, "
                    "SOURCES.md) from the raw public data. The same raw files always give "
                    "byte-identical output.")
    parser.add_argument("--raw", default=default_raw_dir(),
                        help="folder of raw data (default: $LATWIN_RAW_DATA, else "
                             "../shared/data/raw beside the repository)")
    parser.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "data"),
        help="folder to write (default: the repository's data/)")
    args = parser.parse_args(argv)
    try:
        panel, metas = build(args.raw, args.out)
    except BuildError as err:
        print(f"build-data: error: {err}", file=sys.stderr)
        return 1
    rows = sum(len(s) for s in panel.values())
    print(f"wrote {os.path.normpath(args.out)}: {len(metas)} indicators, {rows} rows")
    return 0
