"""What a ship can do, one small capability each (after OpenCLSim's ``core`` mixins).

A ship class lists the capabilities it has; each mixin takes its own keyword arguments and
passes the rest on, so a hospital ship or a tanker is a new list, not a new hierarchy. None of
them knows about links, convoys or fleets: a ship is *given* what it needs.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from operator import mul
from typing import Any

import numpy as np
import simpy


class Holds:
    """The cargo aboard every ship of one link: one flat list, ``n_items`` numbers per ship.

    Keeping the holds together lets the link count the cargo it physically carries with one
    sum per item a day (the books compare it with what they think is aboard). Plain floats:
    a hold has two to five items, and NumPy's per-call cost would dwarf the arithmetic.
    :attr:`dirty` lets the link skip the daily count on a day no hold changed.
    """

    def __init__(self, n_items: int):
        self.n_items = n_items
        self.cells: list[float] = []
        """Ship ``k``'s cargo of item ``i`` is ``cells[k * n_items + i]``."""
        self.dirty = True
        """Whether a cell changed since the owner last cleared the flag."""

    def allot(self) -> int:
        """Room for a new, empty hold; the offset of its first cell."""
        self.cells.extend([0.0] * self.n_items)
        return len(self.cells) - self.n_items

    def total(self) -> list[float]:
        """Cargo per item aboard all ships."""
        cells, n = self.cells, self.n_items
        return [sum(cells[i::n]) for i in range(n)]


class Identifiable:
    """Has a name and says where it is (``where``, for people watching a run)."""

    def __init__(self, *, name: str, **kwargs: Any):
        self.name = name
        self.where = "home port"
        super().__init__(**kwargs)


class CarriesCargo:
    """Has a hold of ``capacity`` cargo units: ``n_items`` cells of a :class:`Holds`."""

    def __init__(self, *, holds: Holds, capacity: float, footprint: Sequence[float],
                 **kwargs: Any):
        self._holds, self._at = holds, holds.allot()
        self._end = self._at + holds.n_items
        self.capacity = capacity
        self.footprint = [float(f) for f in footprint]
        super().__init__(**kwargs)

    @property
    def cargo(self) -> np.ndarray:
        """Units per item aboard (a read-only copy)."""
        out = np.array(self._holds.cells[self._at:self._end])
        out.flags.writeable = False
        return out

    def aboard(self) -> list[float]:
        """Units per item aboard, as plain floats (a copy)."""
        return self._holds.cells[self._at:self._end]

    @property
    def volume(self) -> float:
        """Cargo units aboard."""
        return sum(map(mul, self._holds.cells[self._at:self._end], self.footprint))

    @property
    def laden(self) -> bool:
        """Whether anything is aboard."""
        return any(self._holds.cells[self._at:self._end])

    def stow(self, load: Sequence[float]) -> None:
        """Put ``load`` aboard."""
        holds = self._holds
        cells, at = holds.cells, self._at
        for i, q in enumerate(load):
            cells[at + i] += q
        holds.dirty = True

    def discharge(self) -> list[float]:
        """Take everything off; returns what was aboard."""
        holds = self._holds
        cells, at, end = holds.cells, self._at, self._end
        out = cells[at:end]
        cells[at:end] = [0.0] * (end - at)
        holds.dirty = True
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

    def sink(self) -> list[float]:
        """The ship is lost; returns the cargo lost with it (the caller books the loss)."""
        self.afloat = False
        self.where = "sunk"
        return self.discharge() if isinstance(self, CarriesCargo) else []


class UsesBerths:
    """Needs a berth at a port to load or unload."""

    def berth_at(self, port: Any) -> Generator[simpy.Event, object, Any]:
        """SimPy generator: wait for an open port and a free berth; return the request."""
        request = yield from port.berth()
        return request
