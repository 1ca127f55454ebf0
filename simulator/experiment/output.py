"""Files and terminal tables for experiments: replications.csv, summary.json, comparison.csv.

Every file goes through :func:`simulator.output.atomic_write`, so a run stopped with Ctrl-C
leaves either the whole file or none of it.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from simulator.experiment.comparison import HEADLINE_GROUP_KPIS, Comparison
from simulator.experiment.replications import ALL_ITEMS, Replications
from simulator.folders import safe_name
from simulator.output import atomic_write, manifest, write_json, write_scenario, write_table
from simulator.scenario import Scenario
from simulator.tables import fmt, text_table


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """Atomically write ``frame`` as CSV, every float at full precision (reads back exactly)."""
    atomic_write(path, lambda h: frame.to_csv(h, index=False))


def write_replications(out: Path, reps: Replications, scenario: Scenario) -> list[Path]:
    """``replications.csv``, ``summary.json``, the resolved scenario and the manifest."""
    paths = [out / "replications.csv", out / "summary.json", out / "scenario.resolved.yaml",
             out / "manifest.json"]
    write_table(paths[0], reps.kpis)  # and replications.parquet beside it
    write_json(paths[1], reps.summary_dict())
    write_scenario(paths[2], scenario)
    write_json(paths[3], manifest(reps.seed, replications=reps.reps, days=reps.days,
                                  scenario=reps.scenario))
    return paths


def replication_files(cmp: Comparison) -> tuple[str, str]:
    """File names of the two postures' replication tables (names made safe: no ``../``)."""
    return (f"replications_A_{safe_name(cmp.a.scenario)}.csv",
            f"replications_B_{safe_name(cmp.b.scenario)}.csv")


def write_comparison(out: Path, cmp: Comparison, a: Scenario, b: Scenario) -> list[Path]:
    """``comparison.csv``, both replication tables, both resolved scenarios and the manifest."""
    name_a, name_b = replication_files(cmp)
    paths = [out / "comparison.csv", out / name_a, out / name_b,
             out / "scenario_A.resolved.yaml", out / "scenario_B.resolved.yaml",
             out / "manifest.json"]
    for path, table in zip(paths[:3], (cmp.table, cmp.a.kpis, cmp.b.kpis), strict=True):
        write_table(path, table)  # CSV, and the same table as Parquet beside it
    write_scenario(paths[3], a)
    write_scenario(paths[4], b)
    write_json(paths[5], manifest(cmp.seed, replications=cmp.reps, days=cmp.a.days,
                                  scenario_a=cmp.a.scenario, scenario_b=cmp.b.scenario,
                                  confidence=cmp.confidence, difference="B - A"))
    return paths


def _p(p: float) -> str:
    if math.isnan(p):
        return "n/a"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def format_comparison(cmp: Comparison, rows: pd.DataFrame | None = None) -> str:
    """The comparison as a plain-text table (default: the headline rows)."""
    rows = cmp.headline() if rows is None else rows
    pct = round(cmp.confidence * 100)
    body = pd.DataFrame({
        "kpi": rows.kpi, "item": rows.item,
        "A": [fmt(v, k) for v, k in zip(rows.mean_a, rows.kpi, strict=True)],
        "B": [fmt(v, k) for v, k in zip(rows.mean_b, rows.kpi, strict=True)],
        "B - A": [fmt(v, k, True) for v, k in zip(rows["diff"], rows.kpi, strict=True)],
        f"{pct} % CI": [f"[{fmt(lo, k, True)}, {fmt(hi, k, True)}]"
                        for lo, hi, k in zip(rows.ci_low, rows.ci_high, rows.kpi, strict=True)],
        "p": [_p(p) for p in rows.p_value],
    })
    head = (f"A = {cmp.a.scenario}, B = {cmp.b.scenario}: {cmp.reps} paired replications "
            f"(seed {cmp.seed}, {cmp.a.days} days); B - A with {pct} % paired t-intervals")
    note = partial_note(cmp, rows)
    return head + "\n" + text_table(body) + (f"\n{note}" if note else "")


def partial_note(cmp: Comparison, rows: pd.DataFrame) -> str:
    """Say which rows rest on fewer pairs than were run, so no one mistakes them for all of them.

    A KPI such as ``cost_per_effective_unit`` is undefined in a replication that delivered
    nothing; that replication drops out of the row (see :func:`paired_table`).
    """
    short = rows[rows["n"] < cmp.reps]
    if short.empty:
        return ""
    parts = [f"{r.kpi} ({r.item}): {r.n}" for r in short.itertuples(index=False)]
    return (f"rows over fewer than {cmp.reps} pairs (the KPI is undefined in the other "
            f"replications, e.g. nothing delivered): {'; '.join(parts)}")


def format_replications(reps: Replications, confidence: float = 0.95) -> str:
    """Means and t-intervals of the main KPIs of a multi-replication run."""
    s = reps.summary(confidence)
    keep = ("fill_rate", "shortfall_days", "delivered", "effective_delivered",
            "lost_in_transit", "lost_at_front", "cost_per_effective_unit",
            "mean_delivery_days", "ships_lost", "total_cost")
    groups = [s[(s.item == g) & (s.kpi == k)] for g, k in HEADLINE_GROUP_KPIS]
    s = s[s.kpi.isin(keep) & (s.item.isin(reps.items) | (s.item == ALL_ITEMS))]
    rank = {item: k for k, item in enumerate(reps.items)}
    s = s.assign(last=s.item == ALL_ITEMS, order=s.kpi.map(keep.index),
                 rank=s.item.map(lambda i: rank.get(i, 0)))
    s = pd.concat([s.sort_values(["last", "order", "rank"]), *groups])
    pct = round(confidence * 100)
    body = pd.DataFrame({
        "kpi": s.kpi, "item": s.item,
        "mean": [fmt(v, k) for v, k in zip(s["mean"], s.kpi, strict=True)],
        f"{pct} % CI": [f"[{fmt(lo, k)}, {fmt(hi, k)}]"
                        for lo, hi, k in zip(s.ci_low, s.ci_high, s.kpi, strict=True)],
    })
    head = (f"{reps.scenario}: {reps.reps} replications (seed {reps.seed}, {reps.days} days), "
            f"means with {pct} % t-intervals")
    return head + "\n" + text_table(body)
