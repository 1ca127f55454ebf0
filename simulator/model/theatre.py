"""The theatre depot and the front: daily demand, shaped by the campaign's phases.

Each day the front asks for ``demand_per_day x phase multiplier`` of every item and draws what
the depot holds; what it cannot get is *shortfall*, the figure every user looks at first.
"""

from __future__ import annotations

import numpy as np
import simpy

from simulator.model.place import Place
from simulator.scenario.schema import Theatre as TheatreConfig


def demand_schedule(cfg: TheatreConfig, items: list[str], days: int) -> np.ndarray:
    """Demand per day and item, shape ``(days, n_items)``."""
    base = np.array([cfg.demand_per_day.get(name, 0.0) for name in items])
    multiplier = np.ones(days)
    for phase in cfg.phases:
        multiplier[int(np.ceil(phase.start_day)):] = phase.multiplier
    return multiplier[:, None] * base[None, :]


class Front:
    """Draws the day's demand from the depot at the end of every day."""

    def __init__(self, env: simpy.Environment, depot: Place, demand: np.ndarray):
        self.env, self.depot, self.demand = env, depot, demand
        self.delivered = np.zeros_like(demand)
        self.shortfall = np.zeros_like(demand)

    def start(self) -> None:
        """Register the daily draw."""
        self.env.process(self._draw())

    def _draw(self):
        depot, ledger = self.depot, self.depot.ledger
        for day, wanted in enumerate(self.demand):
            yield self.env.timeout(1.0)
            depot.settle()
            got = np.minimum(wanted, np.maximum(depot.stock, 0.0))
            ledger.consume(depot.index, got)
            self.delivered[day] = got
            self.shortfall[day] = wanted - got
