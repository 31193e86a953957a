"""Builds latwin's data folder (countries, panel, dictionary, sources) from the raw public data."""
