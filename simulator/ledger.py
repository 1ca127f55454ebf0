"""The ledger: every stock and flow of every item, and the daily record of them.

All movements of goods go through one :class:`Ledger` so that conservation holds by
construction and can be checked independently at the end of a run::

    initial + produced = consumed + stock(all places) + in transit + lost in transit

Daily series are preallocated NumPy arrays (``days + 1`` rows: the state at the end of each day,
row 0 the start); the event log is a short list of rare happenings (outages, strikes, losses).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Event:
    """Something that happened to a named asset, at a time in days.

    ``detail`` is for people; ``data`` carries the same facts as numbers for programs (the
    narration, the map replay), so nothing downstream parses the free text.
    """

    day: float
    kind: str
    subject: str
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class Ledger:
    """Current stocks and cumulative flows (per place and item), plus the daily record."""

    n_places: int
    n_items: int
    days: int
    stock: np.ndarray = field(init=False)
    produced: np.ndarray = field(init=False)
    initial: np.ndarray = field(init=False)
    consumed: np.ndarray = field(init=False)
    in_transit: np.ndarray = field(init=False)
    lost: np.ndarray = field(init=False)
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        shape = (self.n_places, self.n_items)
        self.stock = np.zeros(shape)
        self.produced = np.zeros(shape)
        self.initial = np.zeros(self.n_items)
        self.consumed = np.zeros(self.n_items)
        self.in_transit = np.zeros(self.n_items)
        self.lost = np.zeros(self.n_items)
        rows = self.days + 1
        self.rec_stock = np.zeros((rows, self.n_places, self.n_items))
        self.rec_produced = np.zeros((rows, self.n_places, self.n_items))
        self.rec_consumed = np.zeros((rows, self.n_items))
        self.rec_in_transit = np.zeros((rows, self.n_items))
        self.rec_lost = np.zeros((rows, self.n_items))

    # --- movements ---------------------------------------------------------------------------
    def add_initial(self, place: int, qty: np.ndarray) -> None:
        """Stock that exists before the campaign starts."""
        self.stock[place] += qty
        self.initial += qty

    def produce(self, place: int, item: int, qty: float) -> None:
        """A factory's settled output enters the stock of its place."""
        self.stock[place, item] += qty
        self.produced[place, item] += qty

    def take(self, place: int, qty: np.ndarray) -> None:
        """Goods leave a place's stock and are now in transit."""
        self.stock[place] -= qty
        self.in_transit += qty

    def arrive(self, place: int, qty: np.ndarray) -> None:
        """Goods in transit reach a place's stock."""
        self.in_transit -= qty
        self.stock[place] += qty

    def lose(self, qty: np.ndarray) -> None:
        """Goods in transit are destroyed on the way (a sunk ship, a lost sortie)."""
        self.in_transit -= qty
        self.lost += qty

    def consume(self, place: int, qty: np.ndarray) -> None:
        """The front draws goods from the theatre depot."""
        self.stock[place] -= qty
        self.consumed += qty

    def log(self, day: float, kind: str, subject: str, detail: str = "", **data: Any) -> None:
        """Record a rare event (outage, strike, sinking, a convoy sailing or attacked)."""
        self.events.append(Event(day, kind, subject, detail, data))

    # --- record ----------------------------------------------------------------------------
    def record(self, day: int) -> None:
        """Copy the current state into row ``day`` of the daily series."""
        self.rec_stock[day] = self.stock
        self.rec_produced[day] = self.produced
        self.rec_consumed[day] = self.consumed
        self.rec_in_transit[day] = self.in_transit
        self.rec_lost[day] = self.lost

    def imbalance(self) -> np.ndarray:
        """Conservation residual per recorded day and item (zero up to rounding)."""
        return (self.initial + self.rec_produced.sum(axis=1)
                - self.rec_consumed - self.rec_stock.sum(axis=1)
                - self.rec_in_transit - self.rec_lost)
