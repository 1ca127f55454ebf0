"""Fleets and shipyards: ships alive, escorts available, losses and replacements.

Fleet size obeys ``initial - lost + built`` at every instant; the recorder samples it daily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import simpy

from simulator.scenario.schema import Fleet as FleetConfig
from simulator.scenario.schema import Shipyard as ShipyardConfig

if TYPE_CHECKING:
    from simulator.model.sealift.link import SeaLink
    from simulator.model.sealift.ship import Ship


class Fleet:
    """The ships of one owner serving one sea link, and the pool of convoy escorts."""

    def __init__(self, env: simpy.Environment, name: str, cfg: FleetConfig,
                 rng: np.random.Generator):
        self.env, self.name, self.cfg = env, name, cfg
        self.link: SeaLink | None = None
        self.ships: list[Ship] = []
        self.escorts = cfg.escorts
        self.escorts_lost = 0
        self.lost = 0
        self.built = 0
        self.build_cost = 0.0
        # Activation: each ship of a class answers the call with probability `availability`.
        self.activated = {name: int(rng.binomial(c.count, c.availability))
                          if c.availability < 1 else c.count
                          for name, c in cfg.classes.items()}
        self.initial = sum(self.activated.values())

    @property
    def size(self) -> int:
        """Ships afloat now."""
        return self.initial - self.lost + self.built

    def build(self, ship_class: str) -> None:
        """A yard delivers a new ship, which starts its cycle at the home port.

        A fleet that serves no sea link still counts the ship (it is built and paid for).
        """
        self.built += 1
        self.build_cost += self.cfg.classes[ship_class].unit_cost
        if self.link is not None:
            self.link.launch(ship_class, f"{self.name}/{ship_class}/built{self.built}")


class Shipyard:
    """Delivers ships of one class to one fleet at a steady rate after a start delay."""

    def __init__(self, env: simpy.Environment, name: str, cfg: ShipyardConfig, fleet: Fleet,
                 log):
        self.env, self.name, self.cfg, self.fleet, self._log = env, name, cfg, fleet, log
        env.process(self._build())

    def _build(self):
        interval = 365.0 / self.cfg.ships_per_year
        yield self.env.timeout(self.cfg.start_day)
        while True:
            yield self.env.timeout(interval)
            self.fleet.build(self.cfg.ship_class)
            self._log(self.env.now, "ship_built", self.name, self.cfg.ship_class)
