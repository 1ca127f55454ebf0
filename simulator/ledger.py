"""The books: every stock and flow of every item, per place and per link, and the daily record.

All movements of goods go through one :class:`Ledger`, and the ledger keeps two independent
descriptions of the same goods: the *stock* each place holds now (updated in place) and the
cumulative *flows* that explain it (produced, received and sent by each link, consumed,
destroyed). Each link also reports, every recorded day, the cargo it physically carries (the
ships' holds, the shipments on the road). :meth:`Ledger.audit` checks, for every recorded day:

* per link: ``taken = delivered + lost + carried`` (a link cannot lose cargo silently);
* per place: ``stock = initial + produced + received - sent - consumed - destroyed`` (no unit
  appears, disappears or moves between places except along a link);
* every number is finite, and no stock is negative;

and hence, summed over places and links, for every item::

    initial + produced = consumed + stock + in transit + lost in transit + destroyed in stock

Outside the ledger, stocks and flows are read-only views: only its methods move goods.
Daily series are preallocated NumPy arrays (``days + 1`` rows: row ``d`` the state at the end
of day ``d``, row 0 the start); the event log is a short list of rare happenings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

ROUNDING_RTOL = 1e-9
"""Floating-point rounding a balance may show, relative to the gross flow through the account.

A two-year run adds a few thousand numbers of similar size into each account; double-precision
rounding then stays below 1e-12 of the gross flow. 1e-9 leaves a wide margin and still catches one
unit created in a billion units of flow."""

ROUNDING_ATOL = 1e-9
"""Absolute floor of the rounding allowance (units), for accounts that carried almost nothing."""


class InvariantError(RuntimeError):
    """Goods were created, destroyed or moved outside the ledger: always a bug in the model."""


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


def _readonly(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view


class Ledger:
    """Current stocks and cumulative flows per place, link and item, plus their daily record.

    Build it with the places and items, :meth:`open_link` each link, then :meth:`seal` before
    the run; goods move only through the methods below, and :meth:`record` copies the state of
    day ``d`` into the daily series.
    """

    def __init__(self, places: list[str], items: list[str], days: int):
        self.places, self.items, self.days = list(places), list(items), int(days)
        self.n_places, self.n_items = len(self.places), len(self.items)
        shape = (self.n_places, self.n_items)
        # One block per kind of owner, so the daily record is one copy each.
        self._places = np.zeros((4, *shape))
        self._stock, self._produced, self._consumed, self._destroyed = self._places
        self._initial = np.zeros(shape)
        self.links: list[str] = []
        self.link_origin: list[int] = []
        self.link_dest: list[int] = []
        self.events: list[Event] = []
        self._sealed = False

    # --- building ------------------------------------------------------------------------------
    def open_link(self, name: str, origin: int, dest: int) -> int:
        """Open the accounts of a link from place ``origin`` to place ``dest``; its index."""
        if self._sealed:
            raise RuntimeError("links must be opened before the ledger is sealed")
        self.links.append(name)
        self.link_origin.append(origin)
        self.link_dest.append(dest)
        return len(self.links) - 1

    def seal(self) -> None:
        """Allocate link accounts and the daily record; no link may be opened after this."""
        self._sealed = True
        self._links = np.zeros((4, len(self.links), self.n_items))
        self._taken, self._delivered, self._lost, self._carried = self._links
        rows = self.days + 1
        self._rec_places = np.zeros((rows, *self._places.shape))
        self._rec_links = np.zeros((rows, *self._links.shape))
        self.rec_stock, self.rec_produced, self.rec_consumed, self.rec_destroyed = (
            self._rec_places[:, k] for k in range(4))
        self.rec_taken, self.rec_delivered, self.rec_lost, self.rec_carried = (
            self._rec_links[:, k] for k in range(4))

    # --- read-only views -----------------------------------------------------------------------
    @property
    def stock(self) -> np.ndarray:
        """Stock per place and item now (read-only)."""
        return _readonly(self._stock)

    @property
    def initial(self) -> np.ndarray:
        """Stock per place and item before the campaign (read-only)."""
        return _readonly(self._initial)

    @property
    def produced(self) -> np.ndarray:
        """Cumulative production per place and item (read-only)."""
        return _readonly(self._produced)

    @property
    def consumed(self) -> np.ndarray:
        """Cumulative consumption per place and item (read-only)."""
        return _readonly(self._consumed)

    @property
    def destroyed(self) -> np.ndarray:
        """Cumulative destruction in stock per place and item (read-only)."""
        return _readonly(self._destroyed)

    def link_account(self, link: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Taken, delivered and lost so far by one link, per item (read-only copies)."""
        return self._taken[link].copy(), self._delivered[link].copy(), self._lost[link].copy()

    def stock_at(self, place: int) -> np.ndarray:
        """Stock per item at one place now (read-only)."""
        return _readonly(self._stock[place])

    # --- movements -----------------------------------------------------------------------------
    def add_initial(self, place: int, qty: np.ndarray) -> None:
        """Stock that exists before the campaign starts."""
        self._stock[place] += qty
        self._initial[place] += qty

    def produce(self, place: int, item: int, qty: float) -> None:
        """A factory's settled output enters the stock of its place."""
        self._stock[place, item] += qty
        self._produced[place, item] += qty

    def take(self, link: int, qty: np.ndarray) -> None:
        """Goods leave the link's origin and are now carried by the link."""
        self._stock[self.link_origin[link]] -= qty
        self._taken[link] += qty

    def take_up_to(self, link: int, capacity: float, footprint: np.ndarray) -> np.ndarray:
        """The link takes up to ``capacity`` cargo units from its origin; returns the load.

        Every item goes in proportion to its stock (units per item in the result).
        """
        stock = self._stock[self.link_origin[link]]
        positive = np.maximum(stock, 0.0)
        volume = float(positive @ footprint)
        if volume <= 1e-12 or capacity <= 0.0:
            return np.zeros(self.n_items)
        load = positive if volume <= capacity else positive * (capacity / volume)
        stock -= load
        self._taken[link] += load
        return load

    def deliver(self, link: int, qty: np.ndarray) -> None:
        """Goods carried by the link reach its destination's stock."""
        self._delivered[link] += qty
        self._stock[self.link_dest[link]] += qty

    def lose(self, link: int, qty: np.ndarray) -> None:
        """Goods carried by the link are destroyed on the way (a sunk ship, a lost sortie)."""
        self._lost[link] += qty

    def consume(self, place: int, qty: np.ndarray) -> None:
        """The front draws goods from a place's stock."""
        self._stock[place] -= qty
        self._consumed[place] += qty

    def consume_up_to(self, place: int, wanted: np.ndarray) -> np.ndarray:
        """The front draws what it wants, or what the place holds if less; returns what it got."""
        stock = self._stock[place]
        got = np.minimum(wanted, np.maximum(stock, 0.0))
        stock -= got
        self._consumed[place] += got
        return got

    def destroy(self, place: int, qty: np.ndarray) -> None:
        """Goods in a place's stock are destroyed there (a strike on a depot or a port)."""
        self._stock[place] -= qty
        self._destroyed[place] += qty

    def log(self, day: float, kind: str, subject: str, detail: str = "", **data: Any) -> None:
        """Record a rare event (outage, strike, sinking, a convoy sailing or attacked)."""
        self.events.append(Event(day, kind, subject, detail, data))

    # --- record --------------------------------------------------------------------------------
    def carried_count(self, link: int) -> np.ndarray:
        """Where a link keeps its own count of the cargo it carries (units per item).

        The link writes it (the ledger never does); the daily record copies it beside the
        ledger's accounts, and the audit checks one against the other.
        """
        return self._carried[link]

    def record(self, day: int) -> None:
        """Copy the current state into row ``day`` of the daily series."""
        self._rec_places[day] = self._places
        self._rec_links[day] = self._links

    # --- audit ---------------------------------------------------------------------------------
    def audit(self, upto: int | None = None) -> None:
        """Raise :class:`InvariantError` unless the books balance on every recorded day."""
        rows = slice(0, (self.days if upto is None else upto) + 1)
        series = {"stock": self.rec_stock, "produced": self.rec_produced,
                  "consumed": self.rec_consumed, "destroyed": self.rec_destroyed,
                  "taken": self.rec_taken, "delivered": self.rec_delivered,
                  "lost": self.rec_lost, "carried": self.rec_carried}
        for account, values in series.items():
            bad = ~np.isfinite(values[rows])
            if bad.any():
                day, where, item = np.argwhere(bad)[0]
                owner = self.places if values.shape[1] == self.n_places else self.links
                raise InvariantError(f"{account} of '{self.items[item]}' at '{owner[where]}' is "
                                     f"{values[rows][day, where, item]} on day {day}")
        taken, delivered = self.rec_taken[rows], self.rec_delivered[rows]
        lost, carried = self.rec_lost[rows], self.rec_carried[rows]
        gross = taken + delivered + lost + np.abs(carried)
        self._check(taken - delivered - lost - carried, gross, self.links,
                    "link books do not balance (taken - delivered - lost - carried)")
        for account, values in (("taken", taken), ("delivered", delivered), ("lost", lost),
                                ("carried", carried)):
            self._check(np.minimum(values, 0.0), gross, self.links, f"negative {account}")
        received, sent = self._by_place(delivered, self.link_dest), self._by_place(taken,
                                                                                   self.link_origin)
        stock = self.rec_stock[rows]
        produced, consumed = self.rec_produced[rows], self.rec_consumed[rows]
        destroyed = self.rec_destroyed[rows]
        gross = self._initial + produced + received + sent + consumed + destroyed + np.abs(stock)
        self._check(stock - (self._initial + produced + received - sent - consumed - destroyed),
                    gross, self.places, "place books do not balance (stock - initial - produced "
                                        "- received + sent + consumed + destroyed)")
        self._check(np.minimum(stock, 0.0), gross, self.places, "negative stock")

    def _by_place(self, per_link: np.ndarray, ends: list[int]) -> np.ndarray:
        out = np.zeros((per_link.shape[0], self.n_places, self.n_items))
        for link, place in enumerate(ends):
            out[:, place] += per_link[:, link]
        return out

    def _check(self, residual: np.ndarray, gross: np.ndarray, owners: list[str],
               what: str) -> None:
        bad = np.abs(residual) > ROUNDING_RTOL * gross + ROUNDING_ATOL
        if bad.any():
            day, where, item = np.argwhere(bad)[0]
            raise InvariantError(f"{what}: '{self.items[item]}' at '{owners[where]}' on day "
                                 f"{day}: off by {residual[day, where, item]!r}")
