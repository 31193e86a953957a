#!/usr/bin/env python3
"""Writes tests/golden/cases/<case>/expected.csv from each case's formula.

Python 3 standard library only. Each case reads its parameters and its simulation line
(start, stop, save_every) from its own model.lw, so changing a number in the model and
rerunning this script shows the new expectation as a diff to review:

    python3 tools/golden/regenerate.py            # every case
    python3 tools/golden/regenerate.py sir_conservation

expected.csv has the columns time,variable,element,value; element is empty for scalars;
values have 17 significant digits, enough to read back the same double.
"""

import math
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "golden" / "cases"


# ---- reading the model ----

def read_model(case):
    """(simulation settings, {param or const name: value}) from the case's model.lw."""
    text = (CASES / case / "model.lw").read_text()
    settings = {}
    values = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("simulation"):
            for key, value in re.findall(r"(\w+)\s*=\s*(\S+)", line):
                settings[key] = value if key == "method" else float(value)
            continue
        # param name [unit] = number ...   (only plain numbers: the generator needs values)
        match = re.match(r"(?:param|const)\s+(\w+)\s*(?:\[[^\]]*\])?\s*=\s*(-?[0-9.eE+-]+)",
                         line)
        if match:
            values[match.group(1)] = float(match.group(2))
    for key in ("start", "stop", "save_every"):
        if key not in settings:
            sys.exit(f"{case}/model.lw: the simulation line must set {key}")
    return settings, values


def save_times(settings):
    """The engine's save times: start + k * save_every up to stop, and stop itself."""
    start, stop, every = settings["start"], settings["stop"], settings["save_every"]
    count = math.floor((stop - start) / every + 1e-9)
    times = [start + k * every for k in range(count + 1)]
    if times[-1] != stop:
        times.append(stop)
    return times


# ---- the cases ----

def exponential_decay(settings, p):
    # x' = -k x, x(0) = x0  =>  x(t) = x0 exp(-k (t - start)); the outflow is k x.
    rows = []
    for t in save_times(settings):
        x = p["x0"] * math.exp(-p["k"] * (t - settings["start"]))
        rows.append((t, "x", "", x))
        rows.append((t, "decay", "", p["k"] * x))
    return rows


def logistic_growth(settings, p):
    # x' = r x (1 - x/K), x(0) = x0  =>  x(t) = K / (1 + (K/x0 - 1) exp(-r (t - start))).
    r, capacity, x0 = p["r"], p["capacity"], p["x0"]
    rows = []
    for t in save_times(settings):
        x = capacity / (1 + (capacity / x0 - 1) * math.exp(-r * (t - settings["start"])))
        rows.append((t, "x", "", x))
        rows.append((t, "growth", "", r * x * (1 - x / capacity)))
    return rows


def first_order_delay_step(settings, p):
    # Input u(t) = h for t >= t0, 0 before; delay empty at t0. The outflow y of the delay
    # stock s (s' = u - s/T, y = s/T) is y(t) = h (1 - exp(-(t - t0)/T)) for t >= t0, else 0.
    # A delay1 of the constant h starts at steady state (s = h T), so its output stays h.
    h, T = p["height"], p["delay_time"]
    t0 = settings["start"] + p["onset"]
    rows = []
    for t in save_times(settings):
        step_on = t >= t0
        rows.append((t, "orders", "", h if step_on else 0.0))
        rows.append((t, "shipments", "", h * -math.expm1(-(t - t0) / T) if step_on else 0.0))
        rows.append((t, "steady_shipments", "", h))
    return rows


def sir_conservation(settings, p):
    # No closed form: classical RK4 with dt = 1e-4 (the engine's own RK4 runs at the model's
    # dt, 78 times coarser, so its error is about 78^4 = 4e7 times larger than this one's).
    # total = S + I + R is N exactly for the continuous system.
    n, beta, gamma, i0 = p["N"], p["beta"], p["gamma"], p["I0"]
    dt = 1e-4
    start = settings["start"]
    times = save_times(settings)
    # Save times as whole numbers of reference steps, so no time is reached by rounding.
    save_steps = [round((t - start) / dt) for t in times]
    for t, k in zip(times, save_steps):
        assert abs(start + k * dt - t) < 1e-9, "save times must be whole multiples of 1e-4"

    def deriv(y):
        s, i, _ = y
        infection = beta * s * i / n
        recovery = gamma * i
        return (-infection, infection - recovery, recovery)

    y = (n - i0, i0, 0.0)
    rows = []
    step = 0
    for t, target in zip(times, save_steps):
        while step < target:
            k1 = deriv(y)
            k2 = deriv(tuple(a + 0.5 * dt * b for a, b in zip(y, k1)))
            k3 = deriv(tuple(a + 0.5 * dt * b for a, b in zip(y, k2)))
            k4 = deriv(tuple(a + dt * b for a, b in zip(y, k3)))
            y = tuple(a + dt / 6 * (b1 + 2 * b2 + 2 * b3 + b4)
                      for a, b1, b2, b3, b4 in zip(y, k1, k2, k3, k4))
            step += 1
        s, i, r = y
        rows.append((t, "S", "", s))
        rows.append((t, "I", "", i))
        rows.append((t, "R", "", r))
        rows.append((t, "total", "", n))
    return rows


GENERATORS = {
    "exponential_decay": exponential_decay,
    "logistic_growth": logistic_growth,
    "first_order_delay_step": first_order_delay_step,
    "sir_conservation": sir_conservation,
}


def number(value):
    text = format(value, ".17g")
    return "0" if text == "-0" else text


def write(case):
    settings, params = read_model(case)
    rows = GENERATORS[case](settings, params)
    lines = ["time,variable,element,value"]
    lines += [f"{number(t)},{var},{element},{number(v)}" for t, var, element, v in rows]
    path = CASES / case / "expected.csv"
    path.write_text("\n".join(lines) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({len(rows)} rows)")


def main(argv):
    folders = sorted(d.name for d in CASES.iterdir() if d.is_dir())
    unknown = [d for d in folders if d not in GENERATORS]
    if unknown:
        sys.exit(f"no generator for case folder(s): {', '.join(unknown)}")
    for case in argv or folders:
        if case not in GENERATORS:
            sys.exit(f"unknown case '{case}' (cases: {', '.join(sorted(GENERATORS))})")
        write(case)


if __name__ == "__main__":
    main(sys.argv[1:])
