"""Means of the bundled regional scenarios, and the README tables written from them.

The README's "Bundled scenarios" tables are never typed in: this script runs ``replicate`` on
each file (same seed, same replications) and, with ``--write-readme``, rewrites the block between
``<!-- means:begin -->`` and ``<!-- means:end -->`` with what it measured, naming the command,
the commit and the date. Run it after any change to the model or to a bundled scenario::

    .venv/bin/python benchmarks/scenario_means.py --reps 100 --seed 1 --write-readme
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simulator.catalog import SCENARIO_DIR
from simulator.experiment import replicate
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BEGIN, END = "<!-- means:begin -->", "<!-- means:end -->"

SCENARIOS = ["indo_pacific_domestic", "indo_pacific_allied", "indo_pacific_domestic_budget",
             "indo_pacific_allied_budget", "europe_domestic", "europe_allied"]

Row = Callable[[pd.Series], str]


def _col(name: str, fmt: str) -> Row:
    return lambda m: format(m[name], fmt) if name in m and pd.notna(m[name]) else "–"


def _cargo_lost(m: pd.Series) -> str:
    items = ("drone", "decoy", "shell")
    lost = sum(m.get(f"{i}.lost_in_transit", 0.0) for i in items)
    made = sum(m.get(f"{i}.produced", 0.0) for i in items)
    return f"{100 * lost / made:.1f} %" if made else "–"


SUPPLY: dict[str, Row] = {
    "drone fill": _col("drone.fill_rate", ".2f"),
    "decoy fill": _col("decoy.fill_rate", ".2f"),
    "shell fill": _col("shell.fill_rate", ".2f"),
    "mean delivery days": _col("transport.mean_delivery_days", ".0f"),
    "ships lost / built": lambda m: (f"{m['transport.ships_lost']:.1f} / "
                                     f"{m['transport.ships_built']:.1f}"),
    "cargo lost (% of produced)": _cargo_lost,
    "destroyed in depots (drones)": _col("drone.destroyed_in_stock", ",.0f"),
    "total cost ($ bn)": lambda m: f"{m['transport.total_cost'] / 1e9:.0f}",
}

FRONT: dict[str, Row] = {
    "drone effective fill": _col("drone.effective_fill_rate", ".2f"),
    "drones lost at the front": _col("drone.lost_at_front", ",.0f"),
    "force ratio at the end": _col("combat.force_ratio_end", ".2f"),
    "days the friendly force held": _col("combat.friendly_days_held", ".0f"),
    "money spent ($ bn)": lambda m: (f"{m['money.spent'] / 1e9:.1f}"
                                     if "money.spent" in m and pd.notna(m["money.spent"])
                                     else "–"),
}


def measure(reps: int, seed: int, workers: int | None) -> dict[str, pd.Series]:
    """Mean of every KPI column over ``reps`` replications of each bundled scenario."""
    means = {}
    for name in SCENARIOS:
        sc = load_scenario(SCENARIO_DIR / f"{name}.yaml")
        runs = replicate(sc, reps=reps, seed=seed, workers=workers)
        means[name] = runs.kpis.drop(columns="replication").mean(numeric_only=True)
        print(f"{name}: done", file=sys.stderr)
    return means


def table(means: dict[str, pd.Series], columns: dict[str, Row]) -> str:
    """A Markdown table: one row per scenario, one column per KPI."""
    lines = ["| scenario | " + " | ".join(columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for name, m in means.items():
        lines.append(f"| {name} | " + " | ".join(f(m) for f in columns.values()) + " |")
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def block(means: dict[str, pd.Series], reps: int, seed: int) -> str:
    """The README block: how it was measured, then the two tables."""
    when = dt.date.today().isoformat()
    return "\n".join([
        BEGIN,
        f"Means over {reps} replications at the full horizon, seed {seed} "
        f"(`python benchmarks/scenario_means.py --reps {reps} --seed {seed} --write-readme`, "
        f"commit {_commit()}, {when}); `mean delivery days` is the pipeline measure described "
        "below. Supply and transport:",
        "",
        table(means, SUPPLY),
        "",
        "The front layer (Indo-Pacific files; `–` where a file has none). Drone demand includes "
        "the replacement of positions destroyed by enemy strikes:",
        "",
        table(means, FRONT),
        END,
    ])


def write_readme(text: str, begin: str = BEGIN, end: str = END) -> None:
    """Replace the block between the markers (which must exist) with ``text``."""
    readme = README.read_text()
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(readme):
        raise SystemExit(f"{README}: markers {begin} ... {end} not found")
    README.write_text(pattern.sub(lambda _m: text, readme))


def readme_parser(description: str) -> argparse.ArgumentParser:
    """The options of a script that measures replications and may rewrite its README block."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--write-readme", action="store_true")
    return ap


def main() -> None:
    """Measure, print, and optionally write the README block."""
    args = readme_parser(__doc__.splitlines()[0]).parse_args()
    text = block(measure(args.reps, args.seed, args.workers), args.reps, args.seed)
    print(text)
    if args.write_readme:
        write_readme(text)
        print(f"README block rewritten ({README})", file=sys.stderr)


if __name__ == "__main__":
    main()
