"""Places: where goods wait between production, links and the front.

A place's stock lives in the ledger; the place knows what feeds it locally (to settle factory
output before anyone reads the stock) and how to hand a link a load of mixed cargo. Other
components read its stock through a read-only view and move goods only through the ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from simulator.ledger import Ledger


class Place:
    """A node on the map holding a stock of every item."""

    def __init__(self, name: str, index: int, kind: str, country: str, ledger: Ledger,
                 footprint: np.ndarray, env: simpy.Environment | None = None):
        self.name, self.index, self.kind, self.country = name, index, kind, country
        self.ledger = ledger
        self.footprint = np.asarray(footprint, dtype=float)
        """Cargo units per unit of each item (read-only by convention)."""
        self._fp: list[float] = self.footprint.tolist()
        self._zero = [0.0] * ledger.n_items
        self._settlers: list[Callable[[], None]] = []
        self._env, self._settled_at = env, -1.0
        self._inflows: list[Callable[[], float]] = []
        self.fed_by_links = False
        """Whether an active link delivers here (set by routing)."""
        self._arrival: Any = None
        self.news = 0
        """How many times cargo became available here (see :meth:`announce`): a ship busy
        stowing, so not waiting on :meth:`arrival`, compares it before and after."""

    def arrival(self, env: simpy.Environment) -> simpy.Event:
        """An event that fires the next time cargo becomes available here.

        That is a delivery by a link, or a local producer starting or speeding up (its output
        then accrues continuously). Ships waiting for cargo wait on it instead of polling.
        """
        if self._arrival is None:
            self._arrival = env.event()
        return self._arrival

    def announce(self) -> None:
        """Cargo became available: wake whoever waits for it."""
        self.news += 1
        event, self._arrival = self._arrival, None
        if event is not None:
            event.succeed()

    def add_source(self, settle: Callable[[], None], volume_per_day: Callable[[], float]) -> None:
        """Add a local producer.

        ``settle()`` brings its output into the stock; ``volume_per_day()`` is the cargo
        units/day it adds right now.
        """
        self._settlers.append(settle)
        self._inflows.append(volume_per_day)

    def settle(self) -> None:
        """Bring the stock up to date with what local producers have made."""
        env = self._env
        if env is not None:
            # Nothing accrues in zero time: once settled at this instant, the stock is current
            # (a factory changing its rate settles itself first).
            if env.now == self._settled_at:
                return
            self._settled_at = env.now
        for settle in self._settlers:
            settle()

    def inflow_volume_per_day(self) -> float:
        """Cargo units/day local producers add to the stock right now."""
        return sum(f() for f in self._inflows)

    def stock_volume(self) -> float:
        """Cargo units in stock now (settled first)."""
        self.settle()
        fp, total = self._fp, 0  # as ``sum`` adds: from an int, in item order
        for i, s in enumerate(self.ledger.stock_list(self.index)):
            if s > 0.0:
                total += s * fp[i]
        return total

    def volume(self, load) -> float:
        """Cargo units ``load`` (units per item) takes up."""
        fp = self._fp
        if len(load) != len(fp):
            raise ValueError(f"a load has one number per item ({len(fp)}), not {len(load)}")
        total = 0  # an int, as ``sum`` starts: the same float result, bit for bit
        for i in range(len(fp)):  # a loop, not a generator: a load is two to five numbers
            total += load[i] * fp[i]
        return total

    @property
    def stock(self) -> np.ndarray:
        """Current stock per item (a read-only copy of the ledger's)."""
        return self.ledger.stock_at(self.index)

    def take_cargo(self, capacity: float, link: int) -> list[float]:
        """Hand link number ``link`` up to ``capacity`` cargo units; returns units per item.

        Every item goes in proportion to its stock; the ledger books the load to the link.
        Plain floats, not an array: a load is two to five numbers, taken thousands of times a
        run, and NumPy's per-call cost dwarfs that arithmetic.
        """
        self.settle()
        return self.ledger.take_up_to(link, capacity, self._fp)
