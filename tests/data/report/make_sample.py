#!/usr/bin/env python3
"""Writes compare-sample.json, a SYNTHETIC comparison document for the HTML report's tests.

The numbers are made up here, for tests only: no model was run and they say nothing about
U.S. strategy. They follow docs/compare-format.md exactly (format latwin-compare/1) and are
self-consistent the way `latwin compare` output is: every statistic is computed from
per-member values drawn here with common random numbers (each member's draws are shared by
all strategies), so the probabilities, regret, dominance and quantiles agree with each other.
The countries, their names, subregions and coordinates come from data/countries.csv.

    python3 tests/data/report/make_sample.py   # rewrites tests/data/report/compare-sample.json

Standard library only; the same output on every run (fixed seed).
"""
import csv
import hashlib
import json
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]

SEED = 20261129
MEMBERS = 200
YEARS = list(range(2024, 2041))

STRATEGIES = [
    ("status-quo", "Keep current programmes, budgets and diplomatic posture.",
     ["Security cooperation, counternarcotics and aid at 2023 levels, all countries.",
      "No new sanctions; existing ones stay."],
     {"security_cooperation": 6.0e8, "counternarcotics": 5.5e8, "development_aid": 6.5e8,
      "trade_finance": 1.5e8, "democracy_programs": 1.0e8, "migration_management": 0.5e8},
     {"sanctions": 0.15, "diplomatic_pressure": 0.2}),
    ("disengagement", "Cut regional programmes to a minimum and leave the region to itself.",
     ["Security cooperation and aid cut by 80% from 2025.",
      "Counternarcotics kept only at the border.", "No sanctions, no diplomatic pressure."],
     {"security_cooperation": 1.2e8, "counternarcotics": 1.5e8, "development_aid": 1.3e8,
      "trade_finance": 0.0, "democracy_programs": 0.0, "migration_management": 0.2e8},
     {"sanctions": 0.0, "diplomatic_pressure": 0.0}),
    ("security-first", "Double security cooperation and counternarcotics in the transit states.",
     ["Security cooperation doubled in Central America, Mexico, Colombia and Ecuador.",
      "Counternarcotics up 50% everywhere.", "Aid at 2023 levels."],
     {"security_cooperation": 1.6e9, "counternarcotics": 1.1e9, "development_aid": 6.5e8,
      "trade_finance": 1.0e8, "democracy_programs": 0.5e8, "migration_management": 1.0e8},
     {"sanctions": 0.2, "diplomatic_pressure": 0.3}),
    ("economic-first", "Trade finance, nearshoring and infrastructure instead of security aid.",
     ["Trade finance and infrastructure lending of $1.5 billion a year.",
      "Development aid up 50%.", "Security cooperation at 2023 levels."],
     {"security_cooperation": 6.0e8, "counternarcotics": 4.0e8, "development_aid": 9.8e8,
      "trade_finance": 1.5e9, "democracy_programs": 1.0e8, "migration_management": 1.0e8},
     {"sanctions": 0.05, "diplomatic_pressure": 0.1}),
    ("democracy-and-pressure",
     "Democracy support and sanctions on governments that undermine elections.",
     ["Sanctions on Venezuela, Nicaragua and Cuba tightened to the maximum.",
      "Democracy programmes tripled.", "Aid made conditional on election observation."],
     {"security_cooperation": 5.0e8, "counternarcotics": 5.0e8, "development_aid": 6.0e8,
      "trade_finance": 1.0e8, "democracy_programs": 6.0e8, "migration_management": 1.0e8},
     {"sanctions": 0.7, "diplomatic_pressure": 0.8}),
    ("comprehensive", "Security, economic and democratic engagement together, at higher cost.",
     ["Security cooperation up 50%, trade finance of $1 billion a year.",
      "Development aid and democracy programmes doubled.",
      "Targeted sanctions only; diplomatic engagement everywhere."],
     {"security_cooperation": 9.0e8, "counternarcotics": 7.0e8, "development_aid": 1.3e9,
      "trade_finance": 1.0e9, "democracy_programs": 2.0e8, "migration_management": 3.0e8},
     {"sanctions": 0.25, "diplomatic_pressure": 0.5}),
]

COMPONENTS = [
    ("component_drugs", "Drugs", "Cocaine and fentanyl-precursor flows to the U.S. (fewer is higher).", 0.18),
    ("component_migration", "Migration", "Irregular migration to the U.S. border (fewer is higher).", 0.16),
    ("component_violence", "Violence", "Homicides and organised-crime control of territory (less is higher).", 0.14),
    ("component_democracy", "Democracy", "Electoral democracy and rule of law across the region.", 0.14),
    ("component_footholds", "Rival footholds", "Chinese and Russian military, port and telecom footholds (fewer is higher).", 0.14),
    ("component_trade", "Trade", "U.S. trade and investment with the region.", 0.12),
    ("component_alignment", "Alignment", "Votes and positions aligned with the U.S. in the OAS and the UN.", 0.12),
]

# Effect on each component by 2040, per strategy, in component units (0 = status quo's drift).
EFFECTS = {
    "status-quo":             [0.00, 0.00, 0.00, 0.00, 0.00, 0.00, 0.00],
    "disengagement":          [-0.06, -0.05, -0.04, -0.02, -0.09, -0.03, -0.07],
    "security-first":         [0.07, 0.02, 0.05, -0.03, 0.00, 0.00, 0.01],
    "economic-first":         [0.01, 0.05, 0.02, 0.01, 0.05, 0.09, 0.03],
    "democracy-and-pressure": [0.00, -0.02, -0.01, 0.07, -0.05, -0.03, -0.02],
    "comprehensive":          [0.05, 0.05, 0.04, 0.04, 0.04, 0.05, 0.05],
}
DRIFT = [-0.02, 0.01, 0.00, -0.01, -0.04, 0.02, -0.01]  # common to all strategies

# Effect on the country index by 2040, per strategy and subregion.
REGION_EFFECTS = {
    "status-quo": {},
    "disengagement": {"Central America": -0.10, "Mexico": -0.08, "Caribbean": -0.06,
                      "Andean": -0.07, "Brazil": -0.03, "Southern Cone": -0.02},
    "security-first": {"Central America": 0.09, "Mexico": 0.08, "Andean": 0.06,
                       "Caribbean": 0.02, "Brazil": -0.02, "Southern Cone": -0.01},
    "economic-first": {"Mexico": 0.10, "Brazil": 0.08, "Southern Cone": 0.09,
                       "Central America": 0.04, "Caribbean": 0.05, "Andean": 0.03},
    "democracy-and-pressure": {"Caribbean": -0.02, "Andean": -0.03, "Central America": 0.01,
                               "Southern Cone": 0.03, "Brazil": -0.01, "Mexico": -0.02},
    "comprehensive": {"Central America": 0.08, "Mexico": 0.08, "Caribbean": 0.06,
                      "Andean": 0.06, "Brazil": 0.05, "Southern Cone": 0.05},
}
# Where pressure bites: sanctioned governments move against the U.S., at first.
PRESSURE_TARGETS = {"VEN": -0.12, "NIC": -0.10, "CUB": -0.08}


def quantile(sorted_values, q):
    """Type-7 linear interpolation, as latwin's summaries."""
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def r(x, digits=5):
    return float(f"{x:.{digits}g}")


def stats(values, keys=("mean", "p5", "p25", "p50", "p75", "p95")):
    ordered = sorted(values)
    mean = sum(values) / len(values)
    out = {}
    for key in keys:
        if key == "mean":
            out[key] = r(mean)
        elif key == "sd":
            out[key] = r(math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1)))
        else:
            out[key] = r(quantile(ordered, int(key[1:]) / 100))
    return out


def fake_sha256(text):
    return hashlib.sha256(f"synthetic:{text}".encode()).hexdigest()


def main():
    rng = random.Random(SEED)
    with open(ROOT / "data" / "countries.csv", newline="") as handle:
        countries = [row for row in csv.DictReader(handle) if row["kind"] == "lac"]
    names = [s[0] for s in STRATEGIES]
    n_components = len(COMPONENTS)
    weights = [c[3] for c in COMPONENTS]

    # Common random numbers: one set of draws per member, shared by every strategy.
    start = [[rng.gauss(0, 0.02) for _ in COMPONENTS] for _ in range(MEMBERS)]
    level = [[rng.gauss(0, 0.05) for _ in COMPONENTS] for _ in range(MEMBERS)]
    response = [[[rng.gauss(1, 0.9) for _ in COMPONENTS] for _ in STRATEGIES] for _ in range(MEMBERS)]
    # What common random numbers cannot remove: how one member's world takes one strategy.
    own = [[[rng.gauss(0, 0.03) for _ in COMPONENTS] for _ in STRATEGIES] for _ in range(MEMBERS)]
    wiggle = [[rng.gauss(0, 1) for _ in YEARS] for _ in range(MEMBERS)]

    # values[strategy][member][component][year]; the index is the weighted sum.
    values = []
    for s_idx, name in enumerate(names):
        per_member = []
        for m in range(MEMBERS):
            rows = []
            for c in range(n_components):
                row = []
                for y_idx, _ in enumerate(YEARS):
                    f = y_idx / (len(YEARS) - 1)
                    row.append(start[m][c] + f * (DRIFT[c] + EFFECTS[name][c] * response[m][s_idx][c]
                                                  + own[m][s_idx][c])
                               + math.sqrt(f) * level[m][c] + 0.004 * wiggle[m][y_idx])
                rows.append(row)
            index = [sum(weights[c] * rows[c][y] for c in range(n_components)) for y in range(len(YEARS))]
            per_member.append([index] + rows)
        values.append(per_member)
    variables = ["latin_win_index"] + [c[0] for c in COMPONENTS]
    last = len(YEARS) - 1
    at_horizon = [[values[s][m][0][last] for m in range(MEMBERS)] for s in range(len(names))]
    ref = 0

    # Country outcome: a country's own level, its subregion's response, member shocks (CRN).
    country_base = {c["iso3"]: rng.gauss(0.0, 0.12) for c in countries}
    country_shock = {c["iso3"]: [rng.gauss(0, 0.08) for _ in range(MEMBERS)] for c in countries}

    results = []
    for s_idx, (name, *_rest) in enumerate(STRATEGIES):
        trajectories = {}
        horizon = {}
        for v_idx, variable in enumerate(variables):
            per_year = {k: [] for k in ("mean", "p5", "p25", "p50", "p75", "p95")}
            for y in range(len(YEARS)):
                s = stats([values[s_idx][m][v_idx][y] for m in range(MEMBERS)])
                for key in per_year:
                    per_year[key].append(s[key])
            trajectories[variable] = per_year
            horizon[variable] = stats([values[s_idx][m][v_idx][last] for m in range(MEMBERS)],
                                      ("mean", "sd", "p5", "p25", "p50", "p75", "p95"))
        mine = at_horizon[s_idx]
        best = [max(at_horizon[o][m] for o in range(len(names))) for m in range(MEMBERS)]
        beats = sum(1.0 if mine[m] > at_horizon[ref][m] else 0.5 if mine[m] == at_horizon[ref][m] else 0.0
                    for m in range(MEMBERS)) / MEMBERS
        by_country = {}
        for country in countries:
            iso3 = country["iso3"]
            effect = REGION_EFFECTS[name].get(country["subregion"], 0.0)
            if name == "democracy-and-pressure":
                effect += PRESSURE_TARGETS.get(iso3, 0.0)
            outcome = [country_base[iso3] + effect * response[m][s_idx][0] + country_shock[iso3][m]
                       for m in range(MEMBERS)]
            by_country[iso3] = stats(outcome, ("mean", "p5", "p50", "p95"))
        results.append({
            "strategy": name,
            "trajectories": trajectories,
            "horizon": horizon,
            "index_at_horizon": [r(x, 6) for x in mine],
            "countries": by_country,
            "prob_beats_reference": r(beats),
            "expected_regret": r(sum(best[m] - mine[m] for m in range(MEMBERS)) / MEMBERS),
            "prob_best": r(sum(1 for m in range(MEMBERS) if mine[m] == best[m]) / MEMBERS),
            "non_finite_members": 0,
        })

    n = len(names)
    prob_beats = [[None if a == b else r(sum(1.0 if at_horizon[a][m] > at_horizon[b][m] else 0.5
                                             if at_horizon[a][m] == at_horizon[b][m] else 0.0
                                             for m in range(MEMBERS)) / MEMBERS)
                   for b in range(n)] for a in range(n)]

    # Equal sample sizes: A dominates B when A's sorted values are never below B's, and differ.
    def dominates(a, b):
        sa, sb = sorted(at_horizon[a]), sorted(at_horizon[b])
        return a != b and all(x >= y for x, y in zip(sa, sb)) and sa != sb
    dominance = [[dominates(a, b) for b in range(n)] for a in range(n)]

    winner = max(range(n), key=lambda s: results[s]["horizon"]["latin_win_index"]["p50"])
    w = results[winner]["horizon"]["latin_win_index"]
    answer = (f"The {names[winner]} strategy does best: its median Latin Win Index in 2040 is "
              f"{w['p50']:.3f} (90% of members between {w['p5']:.3f} and {w['p95']:.3f}), against "
              f"{results[ref]['horizon']['latin_win_index']['p50']:.3f} for {names[ref]}. "
              f"It beats {names[ref]} in {results[winner]['prob_beats_reference']:.0%} of members "
              f"and is the best strategy in {results[winner]['prob_best']:.0%} of them.")

    strategies = []
    for name, description, summary, spending, pressure in STRATEGIES:
        strategies.append({
            "name": name, "description": description, "path": f"strategies/{name}.yaml",
            "sha256": fake_sha256(name), "summary": summary,
            "spending_usd_per_year": spending,
            "total_usd_per_year": sum(spending.values()),
            "pressure": pressure,
        })

    command = ("latwin compare --model models/hemisphere --scenario scenarios/baseline.yaml "
               + " ".join(f"--strategy strategies/{name}.yaml" for name in names)
               + f" --reference status-quo --members {MEMBERS} --seed 1 --out out/compare")
    document = {
        "format": "latwin-compare/1",
        "created": "2026-11-29T12:00:00Z",
        "latwin_version": "0.1.0",
        "command": command,
        "question": "Which strategy best serves U.S. security interests in the region by 2040, "
                    "and how sure can we be?",
        "answer": answer,
        "model": {"path": "models/hemisphere", "sha256": fake_sha256("model"),
                  "start": YEARS[0], "stop": YEARS[-1]},
        "data": {"path": "data", "sha256": fake_sha256("data")},
        "scenario": {
            "name": "baseline",
            "description": "SYNTHETIC TEST DATA made by tests/data/report/make_sample.py, for "
                           "tests only: no model was run. Baseline world: trends of 2015-2024 continue.",
            "path": "scenarios/baseline.yaml", "sha256": fake_sha256("scenario"),
            "summary": ["World GDP growth 2.8% a year, commodity prices flat.",
                        "China's lending to the region at its 2019-2023 average.",
                        "U.S. fentanyl demand falls 2% a year."],
        },
        "strategies": strategies,
        "reference": names[ref],
        "seed": 1, "members": MEMBERS, "threads": 2,
        "years": YEARS,
        "horizon": YEARS[-1],
        "index": {"variable": "latin_win_index", "label": "Latin Win Index",
                  "description": "How well the region's state serves U.S. security interests: "
                                 "the weighted mean of the seven components; 0 is the 2024 level, "
                                 "higher is better for the U.S."},
        "components": [{"variable": v, "label": label, "description": description}
                       for v, label, description, _ in COMPONENTS],
        "country_outcome": {"variable": "country_index", "label": "Country index",
                            "description": "The Latin Win Index computed for one country alone."},
        "countries": [{"iso3": c["iso3"], "name": c["name"], "subregion": c["subregion"],
                       "latitude": float(c["latitude"]), "longitude": float(c["longitude"])}
                      for c in countries],
        "results": results,
        "pairwise": {"prob_beats": prob_beats, "dominates": dominance},
    }
    (HERE / "compare-sample.json").write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
