"""A few replications of each posture, averaged day by day, fast enough for a live slider.

The live view asks "what if?" many times a minute, so it runs a handful of replications (the
same replication seeds for every posture: common random numbers, as in ``arsenal compare``)
in this process and keeps only the daily series it draws. Replication ``i`` uses child ``i`` of
``SeedSequence(seed)``, so its numbers are those of ``arsenal run --reps`` with the same seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

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


def series(name: str, results: list[RunResult]) -> PostureSeries:
    """Average the daily series of replications of one scenario."""
    first = results[0]
    ships = [sum(r.fleet_size.values(), np.zeros(r.days + 1)) for r in results]
    return PostureSeries(
        name=name, items=list(first.items), reps=len(results),
        depot_stock=np.mean([r.stock[:, r.theatre, :] for r in results], axis=0),
        shortfall=np.mean([r.shortfall for r in results], axis=0),
        lost=np.mean([r.lost for r in results], axis=0),
        ships_afloat=np.mean(ships, axis=0),
        fill_rate={item: float(np.mean([r.kpis[item]["fill_rate"] for r in results]))
                   for item in first.items},
        ships_lost=float(np.mean([r.transport["ships_lost"] for r in results])),
    )


def run_postures(scenarios: list[Scenario], reps: int = 4,
                 seed: int = 0) -> tuple[list[PostureSeries], float]:
    """Each scenario on the same ``reps`` replication seeds; returns the series and seconds."""
    start = time.perf_counter()
    seeds = np.random.SeedSequence(seed).spawn(reps)
    out = [series(sc.name, [simulate(sc, s) for s in seeds]) for sc in scenarios]
    return out, time.perf_counter() - start
