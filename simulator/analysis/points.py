"""Per-point means with Student t intervals, and each KPI against each varied key.

The per-point interval is :func:`simulator.experiment.stats.t_interval` computed for all points
at once (a sweep may have 100,000 points); a test checks that the two agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simulator.analysis.data import SweepData
from simulator.experiment.stats import t_interval

MAX_BINS = 8
"""Sampled designs: a key's range is cut into this many quantile bins for its effect plot."""


def point_table(data: SweepData, kpis: list[str], confidence: float = 0.95) -> pd.DataFrame:
    """One row per (view, point, KPI): the key values, mean, ci_low, ci_high and n."""
    frames = []
    for kpi in kpis:
        g = data.runs.groupby(["view", "point"], sort=True)[kpi]
        agg = g.agg(["mean", "std", "count"]).reset_index()
        n = agg["count"].to_numpy(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            tcrit = stats.t.ppf(0.5 + confidence / 2.0, np.maximum(n - 1, 1))
            half = tcrit * agg["std"].to_numpy(float) / np.sqrt(n)
        half = np.where(n >= 2, half, np.nan)
        mean = agg["mean"].to_numpy(float)
        frames.append(pd.DataFrame({"view": agg["view"], "point": agg["point"], "kpi": kpi,
                                    "mean": mean, "ci_low": mean - half,
                                    "ci_high": mean + half, "n": agg["count"].astype(int)}))
    table = pd.concat(frames, ignore_index=True)
    return table.merge(data.points, on="point", how="left")[
        ["view", "point", *data.keys, "kpi", "mean", "ci_low", "ci_high", "n"]]


def effect_table(data: SweepData, kpi: str, key: str, view: str,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Mean KPI (over every run, other keys averaged out) by value of ``key``, with intervals.

    A grid groups by the exact values; a sampled design by up to :data:`MAX_BINS` quantile
    bins, each labelled by its mean key value.
    """
    runs = data.runs[data.runs.view == view]
    values = runs[key]
    if data.design == "grid" or values.nunique() <= MAX_BINS:
        groups = values
    else:
        groups = pd.qcut(values, MAX_BINS, duplicates="drop")
    rows = []
    for _, part in runs.groupby(groups, observed=True, sort=True):
        ci = t_interval(part[kpi].to_numpy(float), confidence)
        rows.append({"value": float(part[key].mean()), "mean": ci.mean, "ci_low": ci.low,
                     "ci_high": ci.high, "n": ci.n})
    return pd.DataFrame(rows, columns=["value", "mean", "ci_low", "ci_high", "n"])


def grid_matrix(points: pd.DataFrame, kpi: str, view: str, xkey: str,
                ykey: str) -> pd.DataFrame | None:
    """Mean KPI on a two-key grid (rows ``ykey``, columns ``xkey``), averaged over other keys.

    None when the design is not a grid over both keys (a scatter shows sampled designs).
    """
    sub = points[(points.kpi == kpi) & (points.view == view)]
    if sub.empty:
        return None
    return sub.pivot_table(index=ykey, columns=xkey, values="mean", aggfunc="mean")
