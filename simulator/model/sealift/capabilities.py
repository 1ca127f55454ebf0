"""What a ship can do, one small capability each (after OpenCLSim's ``core`` mixins).

A ship class lists the capabilities it has; each mixin takes its own keyword arguments and
passes the rest on, so a hospital ship or a tanker is a new list, not a new hierarchy. None of
them knows about links, convoys or fleets: a ship is *given* what it needs.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import simpy


class Holds:
    """The cargo aboard every ship of one link, one row per ship.

    Keeping the holds in one matrix lets the link count the cargo it physically carries with a
    single sum per day (the books compare it with what they think is aboard).
    """

    def __init__(self, n_items: int, rows: int = 8):
        self.rows = np.zeros((max(rows, 1), n_items))
        self.used = 0

    def allot(self) -> int:
        """A new, empty row (growing the matrix when full); its index."""
        if self.used == len(self.rows):
            grown = np.zeros((2 * len(self.rows), self.rows.shape[1]))
            grown[:self.used] = self.rows
            self.rows = grown
        self.used += 1
        return self.used - 1

    def total(self) -> np.ndarray:
        """Cargo per item aboard all ships."""
        return self.rows[:self.used].sum(axis=0)


class Identifiable:
    """Has a name and says where it is (``where``, for people watching a run)."""

    def __init__(self, *, name: str, **kwargs: Any):
        self.name = name
        self.where = "home port"
        super().__init__(**kwargs)


class CarriesCargo:
    """Has a hold of ``capacity`` cargo units, one row of a :class:`Holds` matrix."""

    def __init__(self, *, holds: Holds, capacity: float, footprint: np.ndarray, **kwargs: Any):
        self._holds, self._slot = holds, holds.allot()
        self.capacity, self.footprint = capacity, footprint
        super().__init__(**kwargs)

    @property
    def cargo(self) -> np.ndarray:
        """Units per item aboard (read-only)."""
        view = self._holds.rows[self._slot].view()
        view.flags.writeable = False
        return view

    @property
    def volume(self) -> float:
        """Cargo units aboard."""
        return float(self._holds.rows[self._slot] @ self.footprint)

    @property
    def laden(self) -> bool:
        """Whether anything is aboard."""
        return bool(self._holds.rows[self._slot].any())

    def stow(self, load: np.ndarray) -> None:
        """Put ``load`` aboard."""
        self._holds.rows[self._slot] += load

    def discharge(self) -> np.ndarray:
        """Take everything off; returns what was aboard."""
        row = self._holds.rows[self._slot]
        out = row.copy()
        row[:] = 0.0
        return out


class MovesAlongLegs:
    """Sails at ``speed_knots``."""

    def __init__(self, *, speed_knots: float, **kwargs: Any):
        self.speed_knots = speed_knots
        super().__init__(**kwargs)

    def sailing_days(self, distance_nm: float) -> float:
        """Days to cover ``distance_nm`` at this ship's speed."""
        return distance_nm / (self.speed_knots * 24.0)


class ExposedToThreat:
    """Can be sunk; its cargo goes down with it."""

    def __init__(self, **kwargs: Any):
        self.afloat = True
        super().__init__(**kwargs)

    def sink(self) -> np.ndarray:
        """The ship is lost; returns the cargo lost with it (the caller books the loss)."""
        self.afloat = False
        self.where = "sunk"
        return self.discharge() if isinstance(self, CarriesCargo) else np.zeros(0)


class UsesBerths:
    """Needs a berth at a port to load or unload."""

    def berth_at(self, port: Any) -> Generator[simpy.Event, object, Any]:
        """SimPy generator: wait for an open port and a free berth; return the request."""
        request = yield from port.berth()
        return request
