"""A few replications of each posture, averaged day by day, fast enough for a live slider.

The live view asks "what if?" many times a minute, so it runs a handful of replications (the
same replication seeds for every posture: common random numbers, as in ``arsenal compare``)
and keeps only the daily series it draws. With a process pool the replications run side by
side (a laptop's cores redraw several times faster); the numbers do not depend on it.
Replication ``i`` uses child ``i`` of ``SeedSequence(seed)``, so its numbers are those of
``arsenal run --reps`` with the same seed.
"""

from __future__ import annotations

import time
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.model import simulate
from simulator.results import RunResult
from simulator.scenario.schema import Scenario


@dataclass(frozen=True)
class PostureSeries:
    """Means over replications of one posture's daily series (the arrays are per item)."""

    name: str
    items: list[str]
    reps: int
    depot_stock: np.ndarray  # (days + 1, items), end of day
    shortfall: np.ndarray  # (days, items), per day
    lost: np.ndarray  # (days + 1, items), cumulative units lost in transit
    ships_afloat: np.ndarray  # (days + 1,), all fleets together
    fill_rate: dict[str, float]  # per item, mean over replications
    ships_lost: float  # mean per replication

    @property
    def days(self) -> int:
        """Length of the campaign."""
        return len(self.shortfall)


def slim(result: RunResult) -> dict[str, Any]:
    """The part of a replication the live view draws (small: cheap to send between processes)."""
    return {"items": list(result.items), "depot_stock": result.stock[:, result.theatre, :],
            "shortfall": result.shortfall, "lost": result.lost,
            "ships_afloat": sum(result.fleet_size.values(), np.zeros(result.days + 1)),
            "fill_rate": {i: k["fill_rate"] for i, k in result.kpis.items()},
            "ships_lost": result.transport["ships_lost"]}


def _replication(scenario: Scenario, seed: np.random.SeedSequence) -> dict[str, Any]:
    return slim(simulate(scenario, seed))


def series(name: str, runs: list[dict[str, Any]]) -> PostureSeries:
    """Average the daily series of replications of one scenario (each a :func:`slim`)."""
    items = runs[0]["items"]

    def mean(key: str) -> np.ndarray:
        return np.mean([r[key] for r in runs], axis=0)

    return PostureSeries(
        name=name, items=items, reps=len(runs), depot_stock=mean("depot_stock"),
        shortfall=mean("shortfall"), lost=mean("lost"), ships_afloat=mean("ships_afloat"),
        fill_rate={i: float(np.mean([r["fill_rate"][i] for r in runs])) for i in items},
        ships_lost=float(np.mean([r["ships_lost"] for r in runs])))


def run_postures(scenarios: list[Scenario], reps: int = 4, seed: int = 0,
                 pool: Executor | None = None) -> tuple[list[PostureSeries], float]:
    """Each scenario on the same ``reps`` replication seeds; returns the series and seconds.

    ``pool``: an executor to run the replications in (default: this process).
    """
    start = time.perf_counter()
    seeds = np.random.SeedSequence(seed).spawn(reps)
    jobs = [(sc, s) for sc in scenarios for s in seeds]
    if pool is None:
        runs = [_replication(sc, s) for sc, s in jobs]
    else:
        runs = list(pool.map(_replication, *zip(*jobs, strict=True)))
    out = [series(sc.name, runs[k * reps:(k + 1) * reps]) for k, sc in enumerate(scenarios)]
    return out, time.perf_counter() - start
