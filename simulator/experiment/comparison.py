"""Paired comparison of two postures on common random numbers.

Both scenarios run on the same replication seeds; each component's stream depends only on that
seed and the component's name, so a US factory fails on the same days and a convoy meets the
same submarines in both postures. The per-replication differences then carry only what the
postures change, and the paired t interval on them is narrower than comparing two independent
samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.experiment.replications import ALL_ITEMS, Replications, split_kpi
from simulator.experiment.runner import KEEP_SERIES, Progress, run_replications
from simulator.experiment.stats import paired_interval, replications_needed
from simulator.scenario import Scenario

COLUMNS = ["kpi", "item", "mean_a", "mean_b", "diff", "ci_low", "ci_high", "p_value", "n"]

HEADLINE_ITEM_KPIS = ("fill_rate", "shortfall_days", "delivered", "effective_delivered",
                      "lost_in_transit", "lost_at_front", "cost_per_effective_unit")
HEADLINE_TRANSPORT_KPIS = ("mean_delivery_days", "ships_lost", "total_cost")
HEADLINE_GROUP_KPIS = (("combat", "force_ratio_end"), ("combat", "friendly_share_end"),
                       ("combat", "friendly_days_held"),
                       ("front", "absorbed_share"), ("front", "targets_destroyed"),
                       ("money", "spent"), ("money", "days_without_budget"))
"""KPIs of the combat layer, the decoy screen and the purse (rows only where they exist)."""


class ComparisonError(ValueError):
    """Two scenarios that cannot be compared (different items or horizons, too few runs)."""


def check_comparable(a: Scenario, b: Scenario, reps: int) -> None:
    """Raise :class:`ComparisonError` naming what makes ``a`` and ``b`` incomparable."""
    if reps < 2:
        raise ComparisonError(f"--reps {reps}: a confidence interval needs at least 2 "
                              "replications (30 or more gives usefully narrow intervals)")
    only_a, only_b = set(a.items) - set(b.items), set(b.items) - set(a.items)
    if only_a or only_b:
        parts = []
        if only_a:
            parts.append(f"only in {a.name}: {', '.join(sorted(only_a))}")
        if only_b:
            parts.append(f"only in {b.name}: {', '.join(sorted(only_b))}")
        raise ComparisonError("the two scenarios have different items, so their KPIs cannot "
                              f"be paired ({'; '.join(parts)})")
    if a.horizon_days != b.horizon_days:
        raise ComparisonError(f"the two scenarios cover different horizons ({a.name}: "
                              f"{a.horizon_days} days, {b.name}: {b.horizon_days} days); "
                              "totals over different campaigns cannot be paired")


@dataclass
class Comparison:
    """Posture A against posture B: both replication sets and the paired table.

    ``table`` has one row per KPI (and item): ``kpi, item, mean_a, mean_b, diff, ci_low,
    ci_high, p_value, n`` where ``diff = mean_b - mean_a`` and the interval and p-value come
    from the paired t test over the ``n`` replications in which the KPI is defined in both
    postures (``cost_per_effective_unit`` is not where nothing was delivered).
    """

    a: Replications
    b: Replications
    table: pd.DataFrame
    confidence: float = 0.95

    @property
    def reps(self) -> int:
        """Replications per posture."""
        return self.a.reps

    @property
    def seed(self) -> int:
        """Root seed shared by both postures."""
        return self.a.seed

    def headline(self) -> pd.DataFrame:
        """The rows a strategist reads first: per-item delivery and cost, then transport."""
        t = self.table
        item_rows = t[(t.item != ALL_ITEMS) & t.kpi.isin(HEADLINE_ITEM_KPIS)].copy()
        item_rows["order"] = item_rows.kpi.map(HEADLINE_ITEM_KPIS.index)
        item_rows["rank"] = item_rows.item.map(self.a.items.index)
        item_rows = item_rows.sort_values(["order", "rank"]).drop(columns=["order", "rank"])
        transport = t[(t.item == ALL_ITEMS) & t.kpi.isin(HEADLINE_TRANSPORT_KPIS)].copy()
        transport["order"] = transport.kpi.map(HEADLINE_TRANSPORT_KPIS.index)
        transport = transport.sort_values("order").drop(columns="order")
        groups = [t[(t.item == g) & (t.kpi == k)] for g, k in HEADLINE_GROUP_KPIS]
        return pd.concat([item_rows, transport, *groups], ignore_index=True)

    def replications_for(self, kpi: str, half_width: float) -> dict[str, int]:
        """Replications for a paired interval of ±``half_width`` on ``kpi``'s difference, by item.

        Uses this comparison as the pilot sample.
        """
        out = {}
        for column in self.a.kpis.columns.drop("replication"):
            name, item = split_kpi(column)
            if name == kpi:
                diff = (self.b.kpis[column].to_numpy(float) - self.a.kpis[column].to_numpy(float))
                out[item] = replications_needed(diff, half_width, confidence=self.confidence)
        return out


def paired_table(a: Replications, b: Replications, confidence: float = 0.95) -> pd.DataFrame:
    """The paired comparison table of two replication sets run on the same seeds.

    A replication where a KPI is undefined on either side (NaN) drops out of that KPI's row
    altogether, means included: otherwise ``diff`` would not be ``mean_b - mean_a`` and a reader
    would be comparing two different sets of campaigns. ``n`` says how many pairs remain.
    """
    if a.reps != b.reps or a.seed != b.seed:
        raise ComparisonError("paired replications need the same seed and number of runs")
    columns = [c for c in a.kpis.columns if c != "replication" and c in b.kpis.columns]
    rows = []
    for column in columns:
        kpi, item = split_kpi(column)
        va, vb = a.kpis[column].to_numpy(float), b.kpis[column].to_numpy(float)
        both = np.isfinite(va) & np.isfinite(vb)
        va, vb = va[both], vb[both]
        ci = paired_interval(va, vb, confidence)
        rows.append({"kpi": kpi, "item": item, "mean_a": _mean(va), "mean_b": _mean(vb),
                     "diff": ci.mean, "ci_low": ci.low, "ci_high": ci.high,
                     "p_value": ci.p_value, "n": int(both.sum())})
    return pd.DataFrame(rows, columns=COLUMNS)


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else float("nan")


def compare(a: Scenario, b: Scenario, reps: int = 30, seed: int = 0,
            workers: int | None = None, progress: Progress | None = None,
            confidence: float = 0.95, keep_series: int = KEEP_SERIES) -> Comparison:
    """Run ``a`` and ``b`` on the same ``reps`` replication seeds and pair their KPIs."""
    check_comparable(a, b, reps)
    ra, rb = run_replications([a, b], reps, seed, workers, progress, keep_series)
    return Comparison(ra, rb, paired_table(ra, rb, confidence), confidence)
