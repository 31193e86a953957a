"""Strict reading of the raw CSV files: every problem stops the build with file, line and cause.

The raw files come from many publishers, each with its own conventions for missing values,
aggregates and country names. A reader states what it expects (columns, the tokens that mean
"missing", which non-country rows it may skip) and anything else is an error, so a changed
or corrupted raw file cannot slip into the panel unnoticed.
"""
import csv
import math
import os

from .countries import ISO3_ALL


class BuildError(Exception):
    """A problem in the raw data; the message names the file and line."""


# Regional and world aggregates some raw files carry beside the countries. They are skipped,
# by name when the file has no code for them, by code otherwise.
AGGREGATE_NAMES = frozenset({
    "Americas (UN)", "Latin America and the Caribbean (UN)", "World", "North America",
    "South America", "Latin America", "Latin America and Caribbean (WB)",
    "Latin America & Caribbean", "Latin America & Caribbean (excluding high income)",
    "Latin America & the Caribbean (IDA & IBRD countries)",
})
AGGREGATE_CODES = frozenset({"WLD", "LCN", "LAC", "TLA", "WHN", "UN_LAC", "OWID_WRL",
                             "WB_LAC", "WB_NA"})


def display_path(path, raw_root):
    """The path relative to the raw folder, as analysts see it in SOURCES.md."""
    try:
        return os.path.relpath(path, raw_root) if raw_root else path
    except ValueError:
        return path


class Table:
    """The rows of one raw CSV file with the line each starts on."""

    def __init__(self, path, required, raw_root=None):
        self.path = path
        self.name = display_path(path, raw_root)
        if not os.path.isfile(path):
            raise BuildError(f"{self.name}: file not found")
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            try:
                self.header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise BuildError(f"{self.name}:1: empty file, expected a header") from None
            missing = [c for c in required if c not in self.header]
            if missing:
                raise BuildError(
                    f"{self.name}:1: missing column {', '.join(repr(c) for c in missing)} "
                    f"(the header has: {', '.join(self.header)})")
            self.index = {c: i for i, c in enumerate(self.header)}
            self.rows = []  # (line, fields)
            line = 2
            try:
                for fields in reader:
                    if fields and len(fields) != len(self.header):
                        raise BuildError(f"{self.name}:{line}: expected {len(self.header)} "
                                         f"fields, found {len(fields)}")
                    if fields:
                        self.rows.append((line, fields))
                    line = reader.line_num + 1
            except csv.Error as err:
                raise BuildError(f"{self.name}:{reader.line_num}: {err}") from None

    def get(self, fields, column):
        return fields[self.index[column]].strip()

    def error(self, line, message):
        return BuildError(f"{self.name}:{line}: {message}")

    def number(self, line, fields, column, missing=("",)):
        """The field as a finite float, or None when it is one of the missing tokens."""
        text = self.get(fields, column)
        if text in missing:
            return None
        try:
            value = float(text)
        except ValueError:
            raise self.error(line, f"column '{column}': expected a number, found '{text}'") from None
        if not math.isfinite(value):
            raise self.error(line, f"column '{column}': expected a finite number, found '{text}'")
        return value

    def year(self, line, fields, column):
        text = self.get(fields, column)
        if not text.isdigit() or not 1 <= int(text) <= 2100:
            raise self.error(line, f"column '{column}': expected a year, found '{text}'")
        return int(text)

    def country(self, line, fields, code_column, name_column=None, allow_variants=False):
        """The row's ISO3 code among latwin's countries, or None for an aggregate row.

        allow_variants: rows without a code whose name is "<country> (urban)" or "(rural)"
        are sub-national series (World Bank PIP) and skipped.
        """
        code = self.get(fields, code_column)
        name = self.get(fields, name_column) if name_column else ""
        if code in ISO3_ALL:
            return code
        if code in AGGREGATE_CODES:
            return None
        if not code:
            if name in AGGREGATE_NAMES:
                return None
            if allow_variants and (name.endswith("(urban)") or name.endswith("(rural)")):
                return None
            raise self.error(line, f"unknown country name '{name}' (no ISO3 code in column "
                                   f"'{code_column}', and not a known regional aggregate)")
        raise self.error(line, f"unknown country code '{code}' in column '{code_column}'"
                               f"{f' ({name})' if name else ''}; expected one of the 35 "
                               f"countries or a known aggregate")


class KeyedValues:
    """(iso3, year) → value for one series, refusing a key seen twice."""

    def __init__(self, table):
        self.table = table
        self.values = {}
        self.lines = {}

    def add(self, line, iso3, year, value):
        key = (iso3, year)
        if key in self.values:
            raise self.table.error(line, f"duplicate key {iso3} {year} (first on line "
                                         f"{self.lines[key]})")
        self.values[key] = value
        self.lines[key] = line
