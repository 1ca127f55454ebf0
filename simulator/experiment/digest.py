"""Reduce one replication to what experiments keep: its KPI row and a few daily series.

A whole :class:`~simulator.results.RunResult` carries every stock at every place on every day;
a thousand of them would not fit in memory and would be slow to ship between processes. An
experiment needs far less: the KPI row, the series its figures draw (depot stock, shortfall,
cargo lost, ships sunk, fleet size) and daily production by place, which is only ever averaged.
Workers reduce each replication here, before it crosses a process boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulator.model import simulate
from simulator.results import RunResult
from simulator.scenario import Scenario

SERIES = ("depot_stock", "shortfall", "lost", "ships_sunk", "fleet", "force_ratio",
          "effectiveness")
"""Per-replication daily series kept for the median/band figures (``force_ratio`` only with a
combat layer)."""


@dataclass
class Digest:
    """What one replication contributes to an experiment."""

    index: int
    kpis: dict[str, float]
    production: np.ndarray
    """Daily production, (days, places, items), float32; summed into a mean by the collector."""
    demand: np.ndarray
    """Daily demand, (days, items); averaged like production."""
    series: dict[str, np.ndarray] = field(default_factory=dict)
    """``depot_stock`` (days+1, items), ``shortfall`` (days, items), ``lost`` (days+1, items,
    cumulative), ``ships_sunk`` (days+1, cumulative), ``fleet`` (days+1): empty when not kept."""
    events: list[tuple[float, str, str, str]] | None = None
    """The event log, kept for the first replication only (the timeline figure)."""


def digest(result: RunResult, index: int, keep_series: bool, keep_events: bool) -> Digest:
    """Reduce ``result`` (replication number ``index``) to a :class:`Digest`."""
    daily_production = np.diff(result.produced, axis=0).astype(np.float32)
    d = Digest(index=index, kpis=result.flat_kpis(), production=daily_production,
               demand=result.demand.astype(np.float32))
    if keep_series:
        days = np.arange(result.days + 1)
        sunk_days = np.sort([e.day for e in result.events if e.kind == "ship_sunk"])
        fleets = list(result.fleet_size.values())
        d.series = {
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
            d.series["force_ratio"] = np.asarray(combat["daily"]["force_ratio"],
                                                 dtype=np.float32)
    if keep_events:
        d.events = [(e.day, e.kind, e.subject, e.detail) for e in result.events]
    return d


def child_seed(seed: int, index: int) -> np.random.SeedSequence:
    """The seed of replication ``index``: child ``index`` of ``SeedSequence(seed).spawn(n)``.

    Built directly (same entropy, spawn key ``(index,)``) so that any one replication can be
    re-run alone with ``simulate(scenario, child_seed(seed, index))``.
    """
    return np.random.SeedSequence(seed, spawn_key=(index,))


def run_chunk(scenario: Scenario, seed: int, indices: list[int],
              keep_series_below: int) -> list[Digest]:
    """Run replications ``indices`` of ``scenario`` (a worker's unit of work)."""
    return [digest(simulate(scenario, child_seed(seed, i)), i,
                   keep_series=i < keep_series_below, keep_events=i == 0)
            for i in indices]
