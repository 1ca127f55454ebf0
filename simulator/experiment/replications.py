"""Many replications of one scenario: the KPI table, the kept series and their summaries.

Everything here is plain data (NumPy arrays, pandas frames) so that figures, reports and
notebooks read it without touching the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator.experiment.digest import Chunk
from simulator.experiment.stats import t_interval
from simulator.scenario import Scenario

ALL_ITEMS = "all"
"""The ``item`` of KPIs that are not about one item (ships lost, convoys, total cost)."""


def split_kpi(column: str) -> tuple[str, str]:
    """Flat column to ``(kpi, item)``: ``"drone.fill_rate"`` -> ``("fill_rate", "drone")``.

    Transport KPIs (``"transport.ships_lost"``) belong to :data:`ALL_ITEMS`.
    """
    owner, _, kpi = column.rpartition(".")
    return kpi, (ALL_ITEMS if owner == "transport" else owner)


@dataclass
class Replications:
    """``reps`` replications of one scenario from root ``seed``.

    ``kpis`` has one row per replication (``replication`` is the spawn index: replication i ran
    with ``SeedSequence(seed, spawn_key=(i,))``) and one column per KPI (``item.kpi`` or
    ``transport.kpi``). ``series`` stacks the daily series of the first replications (see
    :data:`~simulator.experiment.digest.SERIES`), ``production_mean`` is mean daily production
    by place and item, ``demand_mean`` mean daily demand by item, and ``events`` is the first
    replication's event log.
    """

    scenario: str
    description: str
    seed: int
    reps: int
    days: int
    items: list[str]
    places: list[str]
    place_kinds: list[str]
    footprint: np.ndarray
    phases: list[tuple[str, float, float]]
    kpis: pd.DataFrame
    series: dict[str, np.ndarray]
    production_mean: np.ndarray
    demand_mean: np.ndarray
    events: pd.DataFrame

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """Tidy table: ``kpi, item, mean, std, ci_low, ci_high, n`` (t interval per KPI)."""
        rows = []
        for column in self.kpis.columns.drop("replication"):
            kpi, item = split_kpi(column)
            ci = t_interval(self.kpis[column].to_numpy(dtype=float), confidence)
            rows.append({"kpi": kpi, "item": item, "mean": ci.mean, "std": ci.std,
                         "ci_low": ci.low, "ci_high": ci.high, "n": ci.n})
        return pd.DataFrame(rows)

    def summary_dict(self, confidence: float = 0.95) -> dict[str, Any]:
        """The JSON summary of a multi-replication run (``summary.json``).

        Same top-level keys as a single run's summary; each KPI value becomes
        ``{"mean", "std", "ci_low", "ci_high", "n"}``.
        """
        kpis: dict[str, dict[str, Any]] = {}
        transport: dict[str, Any] = {}
        for row in self.summary(confidence).itertuples(index=False):
            entry = {"mean": row.mean, "std": row.std, "ci_low": row.ci_low,
                     "ci_high": row.ci_high, "n": row.n}
            if row.item == ALL_ITEMS:
                transport[row.kpi] = entry
            else:
                kpis.setdefault(row.item, {})[row.kpi] = entry
        return {"scenario": self.scenario, "seed": self.seed, "days": self.days,
                "replications": self.reps, "confidence": confidence,
                "kpis": kpis, "transport": transport}

    def tidy(self) -> pd.DataFrame:
        """Long KPI table: ``replication, kpi, item, value`` (one row per replication and KPI)."""
        long = self.kpis.melt(id_vars="replication", var_name="column", value_name="value")
        split = long.pop("column").map(split_kpi)
        long.insert(1, "kpi", split.str[0])
        long.insert(2, "item", split.str[1])
        return long


@dataclass
class Collector:
    """Assembles chunks, arriving in replication order, into a :class:`Replications`.

    Production and demand are summed as chunks arrive (in order, and chunk boundaries do not
    depend on the worker count, so serial and parallel runs give the same floating-point sums).
    The KPI columns and the kept series are written into arrays allocated once, at their final
    size, when the first chunk shows their shapes and types: a chunk is copied into place and
    dropped, and :meth:`finish` hands the arrays over without concatenating (which would hold
    every chunk and the joined copy at once). Memory then grows with replications by a KPI
    row each, plus the series of the first ``keep`` replications.
    """

    scenario: Scenario
    seed: int
    reps: int
    keep: int
    """Replications whose daily series the chunks carry (the first ``keep``)."""
    received: int = 0
    kpis: dict[str, np.ndarray] = field(default_factory=dict)
    series: dict[str, np.ndarray] = field(default_factory=dict)
    production: np.ndarray | None = None
    demand: np.ndarray | None = None
    events: list[tuple[float, str, str, str]] = field(default_factory=list)

    def add(self, chunk: Chunk) -> None:
        """Take in the next chunk (they must come in replication order)."""
        if chunk.start != self.received:
            raise RuntimeError(f"replication {chunk.start} arrived out of order")
        start, stop = self.received, self.received + len(chunk)
        self._add_kpis(chunk, start, stop)
        if self.production is None or self.demand is None:
            self.production = np.zeros(chunk.production.shape)
            self.demand = np.zeros(chunk.demand.shape)
        self.production += chunk.production
        self.demand += chunk.demand
        for name, values in chunk.series.items():
            kept = self.series.get(name)
            if kept is None:
                rows = min(self.reps, self.keep)
                kept = self.series[name] = np.empty((rows, *values.shape[1:]), values.dtype)
            kept[start:start + len(values)] = values
        if chunk.events is not None:
            self.events = chunk.events
        self.received = stop

    def _add_kpis(self, chunk: Chunk, start: int, stop: int) -> None:
        """Copy the chunk's KPI rows into place, as joining the chunks' frames would.

        A KPI that only some chunks report is missing (NaN) in the others' rows, and a column
        that holds a NaN or a fraction anywhere becomes floating point, as ``pd.concat`` does.
        """
        frame = chunk.kpis
        for column in frame.columns:
            if column not in self.kpis:
                dtype = frame[column].dtype if start == 0 else np.result_type(
                    frame[column].dtype, np.float64)
                self.kpis[column] = np.full(self.reps, np.nan, dtype) if start else np.empty(
                    self.reps, dtype)
        for column, into in self.kpis.items():
            values = frame[column].to_numpy() if column in frame else np.full(stop - start,
                                                                               np.nan)
            wider = np.result_type(into, values)
            if wider != into.dtype:  # e.g. a count that is missing or fractional in a chunk
                into = self.kpis[column] = into.astype(wider)
            into[start:stop] = values

    def finish(self) -> Replications:
        """The assembled result; every replication must have arrived."""
        sc = self.scenario
        if self.received != self.reps or self.production is None or self.demand is None:
            raise RuntimeError(f"{self.received} of {self.reps} replications arrived")
        items = list(sc.items)
        return Replications(
            scenario=sc.name, description=sc.description, seed=self.seed, reps=self.reps,
            days=self.production.shape[0], items=items, places=list(sc.places),
            place_kinds=[p.kind for p in sc.places.values()],
            footprint=np.array([sc.items[i].cargo_footprint for i in items]),
            phases=[(p.name, float(p.start_day), float(p.multiplier))
                    for p in sc.theatre.phases],
            kpis=pd.DataFrame(self.kpis, copy=False),
            series=self.series,
            production_mean=self.production / self.reps,
            demand_mean=self.demand / self.reps,
            events=pd.DataFrame(self.events, columns=["day", "kind", "subject", "detail"]),
        )
