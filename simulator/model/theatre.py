"""The theatre depot and the front: daily demand, shaped by the campaign's phases.

Each day the front asks for ``demand_per_day x phase multiplier`` of every item and draws what
the depot holds; what it cannot get is *shortfall*, the figure every user looks at first.
"""

from __future__ import annotations

import numpy as np

from simulator.model.clock import DEMAND
from simulator.model.component import Component, WorldContext
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import Theatre as TheatreConfig


def demand_schedule(cfg: TheatreConfig, items: list[str], days: int) -> np.ndarray:
    """Demand per day and item, shape ``(days, n_items)``."""
    base = np.array([cfg.demand_per_day.get(name, 0.0) for name in items])
    multiplier = np.ones(days)
    for phase in cfg.phases:
        multiplier[int(np.ceil(phase.start_day)):] = phase.multiplier
    return multiplier[:, None] * base[None, :]


@register("theatre", order=60, select=lambda sc: {"front": sc.theatre})
class Front(Component):
    """Draws the day's demand from the depot at the end of every day (on the daily clock).

    For other components: ``depot`` (the theatre :class:`~simulator.model.place.Place`) and
    ``demand`` (per day and item) are public; ``delivered`` fills in as days pass, and
    ``shortfall`` is what it lacks of the demand of the days drawn so far.
    """

    kind = "front"

    def __init__(self, ctx: WorldContext, name: str, cfg: TheatreConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.depot = ctx.places[cfg.place]
        self.demand = demand_schedule(cfg, ctx.items, ctx.days)
        self.delivered = np.zeros_like(self.demand)
        initial = np.array([cfg.initial_stock.get(i, 0.0) for i in ctx.items])
        ctx.ledger.add_initial(self.depot.index, initial)
        self.drawn = 0
        """Days whose demand has been drawn (rows ``0..drawn-1`` are final)."""

    def start(self) -> None:
        """Register the daily draw (a chore of the daily clock, from day 1)."""
        self.ctx.clock.every_day(self._draw, DEMAND, start=1)

    def _draw(self, day: int) -> None:
        """Day ``day``'s draw: what the depot holds of the demand of the day that just ended."""
        row = day - 1
        if row >= len(self.demand):
            return
        self.drawn = day
        self.depot.settle()
        wanted = self.demand[row].tolist()
        self.delivered[row] = self.ctx.ledger.consume_up_to(self.depot.index, wanted)

    @property
    def shortfall(self) -> np.ndarray:
        """Demand not met, per day and item (0 on days not drawn yet); a new array each time.

        Computed when asked, not day by day: nothing in the run reads it, and the same
        subtraction over the whole array is the same number, day by day, as in plain floats.
        """
        out = np.zeros_like(self.demand)
        drawn = self.drawn
        np.subtract(self.demand[:drawn], self.delivered[:drawn], out=out[:drawn])
        return out

    def add_demand(self, day: int, qty: np.ndarray) -> None:
        """Ask for ``qty`` more on ``day`` (replacements for what the enemy destroyed there).

        Only a day not drawn yet: a day already drawn cannot change.
        """
        if day < self.drawn:
            raise ValueError(f"day {day} is already drawn (now {self.env.now})")
        self.demand[day] += qty

    def add_item_demand(self, day: int, item: int, units: float) -> None:
        """:meth:`add_demand` of one item (no array arithmetic: a decoy screen calls it daily)."""
        if day < self.drawn:
            raise ValueError(f"day {day} is already drawn (now {self.env.now})")
        self.demand[day, item] += units

    def result(self, parts: ResultParts) -> None:
        """Demand, what reached the front and what did not, per day and item."""
        parts.demand, parts.delivered, parts.shortfall = (self.demand, self.delivered,
                                                          self.shortfall)
