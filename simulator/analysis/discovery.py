"""Scenario discovery: the boxes of parameter space where a KPI crosses a threshold (PRIM).

Friedman and Fisher's Patient Rule Induction Method peels the space, a little at a time, down
to boxes where the share of points of interest (density) is high while keeping as many of them
as possible (coverage). The EMA Workbench implementation is used (its 2.5 line runs on Python
3.11). A point is "of interest" when its mean KPI over replications meets the condition.
"""

from __future__ import annotations

import operator
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulator.analysis.data import AnalysisError

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_PATTERN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(<=|>=|<|>)\s*([-+0-9.eE]+)\s*$")
DENSITY = 0.8
"""The share of points of interest a box must reach (EMA Workbench's default)."""
MAX_BOXES = 3
MAX_POINTS = 20_000
"""PRIM peels in quadratic time; above this many points it sees a seeded random subset."""


@dataclass(frozen=True)
class Threshold:
    """``kpi op value``, e.g. ``drone.fill_rate < 0.8``."""

    kpi: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.kpi} {self.op} {self.value:g}"

    def test(self, values: np.ndarray) -> np.ndarray:
        """Which values meet the condition (NaN never does)."""
        with np.errstate(invalid="ignore"):
            return _OPS[self.op](values, self.value) & np.isfinite(values)


def parse_threshold(text: str, kpis: list[str]) -> Threshold:
    """Parse ``KPI<VALUE`` (also ``<=``, ``>``, ``>=``) against the KPIs the sweep has."""
    match = _PATTERN.match(text)
    if not match:
        raise AnalysisError(f"--threshold {text}: expected KPI<VALUE, e.g. drone.fill_rate<0.8")
    kpi, op, raw = match.groups()
    try:
        value = float(raw)
    except ValueError:
        raise AnalysisError(f"--threshold {text}: {raw!r} is not a number") from None
    if not np.isfinite(value):
        raise AnalysisError(f"--threshold {text}: expected a finite number")
    if kpi not in kpis:
        import difflib
        close = difflib.get_close_matches(kpi, kpis, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise AnalysisError(f"--threshold {text}: no KPI {kpi} in this sweep{hint}")
    return Threshold(kpi, op, value)


@dataclass(frozen=True)
class Box:
    """One PRIM box: each restricted key's [low, high], and how good the box is."""

    limits: dict[str, tuple[float, float]]
    coverage: float
    density: float
    mass: float

    def describe(self) -> str:
        """``0.12 <= p_attack <= 0.3 and ...`` (unrestricted keys left out)."""
        parts = [f"{lo:.4g} <= {key} <= {hi:.4g}" for key, (lo, hi) in self.limits.items()]
        return " and ".join(parts) or "the whole space"


def prim_boxes(x: pd.DataFrame, y: np.ndarray, density: float = DENSITY,
               max_boxes: int = MAX_BOXES) -> list[Box]:
    """Boxes covering the points where ``y`` is True, best first (empty if none qualify)."""
    y = np.asarray(y, dtype=bool)
    if y.sum() == 0 or y.all() or x.shape[1] == 0:
        return []
    if len(y) > MAX_POINTS:
        keep = np.sort(np.random.default_rng(0).choice(len(y), MAX_POINTS, replace=False))
        x, y = x.iloc[keep], y[keep]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        finder = prim.Prim(x.reset_index(drop=True).astype(float), y, threshold=density)
        boxes = []
        for _ in range(max_boxes):
            box = finder.find_box()
            if box is None:
                break
            traj = box.peeling_trajectory
            ok = traj[traj.density >= density]
            if ok.empty:
                break
            best = int(ok.sort_values(["coverage", "density"], ascending=False).index[0])
            box.select(best)
            row = traj.loc[best]
            lims = box.box_lims[best]
            full = x.agg(["min", "max"])
            limits = {k: (float(lims[k][0]), float(lims[k][1])) for k in x.columns
                      if lims[k][0] > full[k]["min"] or lims[k][1] < full[k]["max"]}
            boxes.append(Box(limits, float(row.coverage), float(row.density), float(row.mass)))
    return boxes
