"""The README's paired findings: what each bundled variant changes, with 95 % intervals.

The prose under "Bundled scenarios" argues from paired comparisons (a posture against its
variant on the same seeds: common random numbers). Those figures are never typed in: this
script runs ``compare`` on each pair and, with ``--write-readme``, rewrites the block between
``<!-- findings:begin -->`` and ``<!-- findings:end -->``, naming the command, the commit and the
date. Run it, with :mod:`scenario_means`, after any change to the model or to a bundled file::

    .venv/bin/python benchmarks/paired_findings.py --reps 100 --seed 1 --write-readme
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from scenario_means import _commit, readme_parser, write_readme

from simulator.catalog import SCENARIO_DIR
from simulator.experiment import compare
from simulator.scenario import load_scenario

BEGIN, END = "<!-- findings:begin -->", "<!-- findings:end -->"


@dataclass(frozen=True)
class Kpi:
    """One row of the findings: a KPI of the paired table and how to print it."""

    label: str
    kpi: str
    item: str
    scale: float = 1.0
    fmt: str = ".3f"


@dataclass(frozen=True)
class Pair:
    """A question, the two files that answer it, and the KPIs that carry the answer."""

    question: str
    a: str
    b: str
    kpis: tuple[Kpi, ...]


DRONE_FILL = Kpi("drone fill", "fill_rate", "drone")
SHELL_FILL = Kpi("shell fill", "fill_rate", "shell")
PAIRS = (
    Pair("Allied coproduction instead of domestic only", "indo_pacific_domestic",
         "indo_pacific_allied", (DRONE_FILL, SHELL_FILL,
                                 Kpi("force ratio at the end", "force_ratio_end", "combat"),
                                 Kpi("total cost ($ bn)", "total_cost", "all", 1e-9, ".1f"))),
    Pair("The same, on an equal budget ($33 B a year each)", "indo_pacific_domestic_budget",
         "indo_pacific_allied_budget", (DRONE_FILL, SHELL_FILL,
                                        Kpi("force ratio at the end", "force_ratio_end",
                                            "combat"))),
    Pair("The enemy's strike campaign, allied posture", "indo_pacific_allied_unstruck",
         "indo_pacific_allied", (DRONE_FILL, SHELL_FILL)),
    Pair("An embargo on drone motors and batteries, domestic posture",
         "indo_pacific_domestic", "indo_pacific_domestic_embargo", (DRONE_FILL,)),
    Pair("The same embargo, allied posture", "indo_pacific_allied",
         "indo_pacific_allied_embargo", (DRONE_FILL,)),
    Pair("Allied plants dispersed over many small, quiet sites, under the same strikes",
         "indo_pacific_allied", "indo_pacific_allied_dispersed",
         (SHELL_FILL, Kpi("shells made (thousands)", "produced", "shell", 1e-3, ",.0f"),
          Kpi("total cost ($ bn)", "total_cost", "all", 1e-9, ".1f"))),
)


def rows(pair: Pair, table: pd.DataFrame) -> list[str]:
    """Markdown rows of one pair: A, B and B - A with its interval, per KPI (the question and
    the files on the first row only)."""
    out = []
    for n, k in enumerate(pair.kpis):
        hit = table[(table.kpi == k.kpi) & (table.item == k.item)]
        if hit.empty:
            raise SystemExit(f"{pair.a} vs {pair.b}: no KPI {k.kpi} ({k.item})")
        r = hit.iloc[0]

        plain, signed = k.fmt, "+" + k.fmt
        a, b, d, lo, hi = (x * k.scale for x in (r.mean_a, r.mean_b, r["diff"], r.ci_low,
                                                 r.ci_high))
        head = f"{pair.question} | `{pair.a}` → `{pair.b}`" if n == 0 else " | "
        out.append(f"| {head} | {k.label} | "
                   f"{a:{plain}} | {b:{plain}} | {d:{signed}} [{lo:{signed}}, {hi:{signed}}] |")
    return out


def block(reps: int, seed: int, workers: int | None) -> str:
    """The README block: how it was measured, then one table of every pair."""
    lines = [BEGIN,
             f"Paired comparisons, {reps} replications per posture on common seeds (seed {seed}; "
             f"`python benchmarks/paired_findings.py --reps {reps} --seed {seed} "
             f"--write-readme`, commit {_commit()}, {dt.date.today().isoformat()}). Each row is "
             f"`arsenal compare A B --reps {reps} --seed {seed}`: B − A with its 95 % paired "
             "interval.", "",
             "| question | A → B | KPI | A | B | B − A [95 % CI] |", "|---|---|---|---|---|---|"]
    for pair in PAIRS:
        a = load_scenario(SCENARIO_DIR / f"{pair.a}.yaml")
        b = load_scenario(SCENARIO_DIR / f"{pair.b}.yaml")
        lines += rows(pair, compare(a, b, reps=reps, seed=seed, workers=workers).table)
        print(f"{pair.a} vs {pair.b}: done", file=sys.stderr)
    return "\n".join([*lines, END])


def main() -> None:
    """Measure, print, and optionally write the README block."""
    args = readme_parser(__doc__.splitlines()[0]).parse_args()
    text = block(args.reps, args.seed, args.workers)
    print(text)
    if args.write_readme:
        write_readme(text, BEGIN, END)
        print(f"README block rewritten ({Path('README.md').resolve()})", file=sys.stderr)


if __name__ == "__main__":
    main()
