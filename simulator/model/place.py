"""Places: where goods wait between production, links and the front.

A place's stock lives in the ledger; the place knows which factories feed it (to settle their
output before anyone reads the stock) and how to hand a link a load of mixed cargo.
"""

from __future__ import annotations

import numpy as np

from simulator.ledger import Ledger
from simulator.model.factory import Factory


class Place:
    """A node on the map holding a stock of every item."""

    def __init__(self, name: str, index: int, ledger: Ledger, footprint: np.ndarray):
        self.name, self.index, self.ledger = name, index, ledger
        self.footprint = footprint
        self.factories: list[Factory] = []
        self.fed_by_links = False
        """Whether an active link delivers here (set by routing)."""

    def settle(self) -> None:
        """Bring the stock up to date with what local factories have made."""
        for f in self.factories:
            f.settle()

    def inflow_volume_per_day(self) -> float:
        """Cargo units/day local factories add to the stock right now."""
        return sum(f.rate_now * self.footprint[f.item] for f in self.factories)

    @property
    def stock(self) -> np.ndarray:
        """Current stock per item (a view into the ledger)."""
        return self.ledger.stock[self.index]

    def take_cargo(self, capacity: float) -> np.ndarray:
        """Remove up to ``capacity`` cargo units, every item in proportion to its stock.

        The load is moved to *in transit* in the ledger and returned as units per item.
        """
        self.settle()
        if capacity <= 0.0:
            return np.zeros(self.ledger.n_items)
        stock = np.maximum(self.stock, 0.0)
        volume = float(stock @ self.footprint)
        if volume <= 1e-12:
            return np.zeros(self.ledger.n_items)
        load = stock if volume <= capacity else stock * (capacity / volume)
        self.ledger.take(self.index, load)
        return load
