"""Reduce a chunk of replications to what experiments keep, inside the worker that ran them.

A whole :class:`~simulator.results.RunResult` carries every stock at every place on every day;
a thousand of them would not fit in memory and would be slow to ship between processes. An
experiment needs far less: each replication's KPI row, the daily series its figures draw (depot
stock, shortfall, cargo lost, ships sunk, fleet size) for the first replications only, and daily
production and demand, which are only ever averaged. So a worker runs a chunk of consecutive
replications and ships back one :class:`Chunk`: the chunk's KPI rows, the *sums* of its daily
production and demand, and the kept series. What crosses the process boundary then no longer
grows with the chunk except by a KPI row per replication.

Chunk boundaries depend only on the number of replications (:func:`chunk_size`), never on the
number of workers, and the parent adds chunk sums in chunk order: the floating-point sums, and
so every table and figure, are the same bit for bit whatever the worker count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator.model import simulate
from simulator.results import RunResult
from simulator.scenario import Scenario

SERIES = ("depot_stock", "shortfall", "lost", "ships_sunk", "fleet", "force_ratio",
          "effectiveness")
"""Per-replication daily series kept for the median/band figures (``force_ratio`` only with a
combat layer)."""

MAX_CHUNK = 16
"""Largest chunk: a few hundred milliseconds of work, so a task stays short."""

CHUNKS_PER_RUN = 64
"""Smaller runs are cut into about this many chunks per scenario, so many workers share them."""


def chunk_size(reps: int) -> int:
    """Replications per chunk for a run of ``reps``: a function of ``reps`` alone.

    >>> chunk_size(9), chunk_size(400), chunk_size(4000)
    (1, 7, 16)
    """
    return max(1, min(MAX_CHUNK, math.ceil(reps / CHUNKS_PER_RUN)))


@dataclass
class Chunk:
    """What consecutive replications ``start .. start + len(kpis) - 1`` contribute."""

    start: int
    kpis: pd.DataFrame
    """One row per replication: ``replication`` then one column per KPI."""
    production: np.ndarray
    """Daily production summed over the chunk, (days, places, items), float64."""
    demand: np.ndarray
    """Daily demand summed over the chunk, (days, items), float64."""
    series: dict[str, np.ndarray] = field(default_factory=dict)
    """Stacked daily series of the chunk's kept replications (the first ``keep_series_below``
    of the run), leading axis one per kept replication: ``depot_stock`` (days+1, items),
    ``shortfall`` (days, items), ``lost`` (days+1, items, cumulative), ``ships_sunk`` (days+1,
    cumulative), ``fleet`` (days+1). Empty when none of the chunk is kept."""
    events: list[tuple[float, str, str, str]] | None = None
    """The event log of replication 0 when the chunk holds it (the timeline figure)."""

    def __len__(self) -> int:
        return len(self.kpis)


def daily_series(result: RunResult) -> dict[str, np.ndarray]:
    """The figures' daily series of one replication (float32/int32: they are only drawn)."""
    days = np.arange(result.days + 1)
    sunk_days = np.sort([e.day for e in result.events if e.kind == "ship_sunk"])
    fleets = list(result.fleet_size.values())
    out = {
        "depot_stock": result.stock[:, result.theatre, :].astype(np.float32),
        "shortfall": result.shortfall.astype(np.float32),
        "lost": result.lost.astype(np.float32),
        # A ship sunk during day d (time in (d-1, d]) counts in the record of day d.
        "ships_sunk": np.searchsorted(sunk_days, days, side="right").astype(np.int32),
        "fleet": (np.sum(fleets, axis=0) if fleets
                  else np.zeros(result.days + 1)).astype(np.int32),
        "effectiveness": result.daily_effectiveness().astype(np.float32),
    }
    combat = result.sections.get("combat")
    if combat is not None:
        out["force_ratio"] = np.asarray(combat["daily"]["force_ratio"], dtype=np.float32)
    return out


def child_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed of replication ``index``: child ``index`` of ``SeedSequence(seed).spawn(n)``.

    Built directly (same entropy, spawn key ``(index,)``) so that any one replication can be
    re-run alone with ``simulate(scenario, child_seed(seed, index))``.
    """
    return np.random.SeedSequence(seed, spawn_key=(index,))


def run_chunk(scenario: Scenario, seed: int, indices: range, keep_series_below: int) -> Chunk:
    """Run replications ``indices`` (consecutive) of ``scenario``: a worker's unit of work."""
    rows: list[dict[str, float]] = []
    kept: dict[str, list[np.ndarray]] = {name: [] for name in SERIES}
    production: np.ndarray | None = None
    demand: np.ndarray | None = None
    events = None
    for i in indices:
        result = simulate(scenario, child_seed(seed, i))
        rows.append({"replication": i, **result.flat_kpis()})
        made = np.diff(result.produced, axis=0)
        if production is None or demand is None:
            production, demand = np.zeros(made.shape), np.zeros(result.demand.shape)
        production += made
        demand += result.demand
        if i < keep_series_below:
            for name, values in daily_series(result).items():
                kept[name].append(values)
        if i == 0:
            events = [(e.day, e.kind, e.subject, e.detail) for e in result.events]
    if production is None or demand is None:
        raise ValueError("a chunk needs at least one replication")
    return Chunk(start=indices[0], kpis=pd.DataFrame(rows), production=production,
                 demand=demand, events=events,
                 series={name: np.stack(v) for name, v in kept.items() if v})
