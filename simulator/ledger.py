"""The books: every stock and flow of every item, per place and per link, and the daily record.

All movements of goods go through one :class:`Ledger`, and the ledger keeps two independent
descriptions of the same goods: the *stock* each place holds now (updated in place) and the
cumulative *flows* that explain it (produced, received and sent by each link, consumed,
destroyed). Each link also reports, every recorded day, the cargo it physically carries (the
ships' holds, the shipments on the road). :meth:`Ledger.audit` checks, for every recorded day,
that each link and each place balances and that no number is non-finite or negative (the
checks themselves are in :mod:`simulator.ledger_audit`); hence, summed over places and links,
for every item::

    initial + produced = consumed + stock + in transit + lost in transit + destroyed in stock

Outside the ledger, stocks and flows are read-only copies: only its methods move goods.
Daily series are views of one preallocated NumPy array (``days + 1`` rows: row ``d`` the state
at the end of day ``d``, row 0 the start); the event log is a short list of rare happenings.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

import numpy as np

from simulator.events import Event
from simulator.ledger_audit import ROUNDING_ATOL, ROUNDING_RTOL, InvariantError, audit_record

# The event record, the rounding allowance and InvariantError are re-exported: callers (and
# users' code) import them from here.
__all__ = ["ROUNDING_ATOL", "ROUNDING_RTOL", "Event", "InvariantError", "Ledger"]


_PLACE_ACCOUNTS = ("stock", "produced", "consumed", "destroyed")
_LINK_ACCOUNTS = ("taken", "delivered", "lost", "carried")


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _floats(qty) -> list[float]:
    """``qty`` per item as plain floats (callers may hand NumPy arrays or lists)."""
    return qty.tolist() if isinstance(qty, np.ndarray) else qty


class Ledger:
    """Current stocks and cumulative flows per place, link and item, plus their daily record.

    Build it with the places and items, :meth:`open_link` each link, then :meth:`seal` before
    the run; goods move only through the methods below, and :meth:`record` copies the state of
    day ``d`` into the daily series.

    Why plain floats: a run makes tens of thousands of moves of two to five items each, and a
    NumPy call on a three-element array costs more than the arithmetic in Python. So the live
    books are one flat list of floats (every account of every place and link, in blocks), and
    :meth:`record` copies that list into one row of a preallocated array once a day: arrays
    where they pay, for the daily series and the audit.
    """

    def __init__(self, places: list[str], items: list[str], days: int):
        self.places, self.items, self.days = list(places), list(items), int(days)
        self.n_places, self.n_items = len(self.places), len(self.items)
        self._initial = np.zeros((self.n_places, self.n_items))
        block = self.n_places * self.n_items
        self._offset = {name: k * block for k, name in enumerate(_PLACE_ACCOUNTS)}
        self._v: list[float] = [0.0] * (len(_PLACE_ACCOUNTS) * block)
        self._produced_at = self._offset["produced"]
        self._consumed_at = self._offset["consumed"]
        self._destroyed_at = self._offset["destroyed"]
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
        n, block = self.n_items, len(self.links) * self.n_items
        start = len(self._v)
        for k, name in enumerate(_LINK_ACCOUNTS):
            self._offset[name] = start + k * block
        self._v.extend([0.0] * (len(_LINK_ACCOUNTS) * block))
        self._taken_at, self._delivered_at = self._offset["taken"], self._offset["delivered"]
        self._lost_at, self._carried_at = self._offset["lost"], self._offset["carried"]
        self._from = [o * n for o in self.link_origin]
        self._to = [d * n for d in self.link_dest]
        self._rec = np.zeros((self.days + 1, len(self._v)))
        self._width = len(self._v)
        # The day's row is packed straight into the array's memory: about twice as fast as
        # NumPy converting a list of floats.
        self._row = struct.Struct(f"{self._width}d")
        self._rec_bytes = memoryview(self._rec).cast("B")
        self._counts = [[0.0] * n for _ in self.links]

    def _slot(self, account: str, owner: int, item: int) -> int:
        """Position of one account's number in the live books (for tests that tamper)."""
        return self._offset[account] + owner * self.n_items + item

    def _live(self, account: str) -> np.ndarray:
        owners = self.n_places if account in _PLACE_ACCOUNTS else len(self.links)
        at = self._offset[account]
        return _readonly(np.array(self._v[at:at + owners * self.n_items])
                         .reshape(owners, self.n_items))

    def _series(self, account: str) -> np.ndarray:
        owners = self.n_places if account in _PLACE_ACCOUNTS else len(self.links)
        at = self._offset[account]
        return self._rec[:, at:at + owners * self.n_items].reshape(self.days + 1, owners,
                                                                   self.n_items)

    # --- read-only copies ----------------------------------------------------------------------
    @property
    def stock(self) -> np.ndarray:
        """Stock per place and item now (a read-only copy)."""
        return self._live("stock")

    @property
    def initial(self) -> np.ndarray:
        """Stock per place and item before the campaign (read-only)."""
        view = self._initial.view()
        view.flags.writeable = False
        return view

    @property
    def produced(self) -> np.ndarray:
        """Cumulative production per place and item (a read-only copy)."""
        return self._live("produced")

    @property
    def consumed(self) -> np.ndarray:
        """Cumulative consumption per place and item (a read-only copy)."""
        return self._live("consumed")

    @property
    def destroyed(self) -> np.ndarray:
        """Cumulative destruction in stock per place and item (a read-only copy)."""
        return self._live("destroyed")

    def link_account(self, link: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Taken, delivered and lost so far by one link, per item (read-only copies)."""
        n, at = self.n_items, link * self.n_items
        return tuple(np.array(self._v[self._offset[a] + at:self._offset[a] + at + n])
                     for a in ("taken", "delivered", "lost"))  # type: ignore[return-value]

    def stock_at(self, place: int) -> np.ndarray:
        """Stock per item at one place now (a read-only copy)."""
        at = place * self.n_items
        return _readonly(np.array(self._v[at:at + self.n_items]))

    def stock_list(self, place: int) -> list[float]:
        """Stock per item at one place now, as plain floats (a copy: the fast path)."""
        at = place * self.n_items
        return self._v[at:at + self.n_items]

    # --- daily series (row ``d``: end of day ``d``) ----------------------------------------------
    @property
    def rec_stock(self) -> np.ndarray:
        """Stock per day, place and item."""
        return self._series("stock")

    @property
    def rec_produced(self) -> np.ndarray:
        """Cumulative production per day, place and item."""
        return self._series("produced")

    @property
    def rec_consumed(self) -> np.ndarray:
        """Cumulative consumption per day, place and item."""
        return self._series("consumed")

    @property
    def rec_destroyed(self) -> np.ndarray:
        """Cumulative destruction in stock per day, place and item."""
        return self._series("destroyed")

    @property
    def rec_taken(self) -> np.ndarray:
        """Cumulative cargo taken per day, link and item."""
        return self._series("taken")

    @property
    def rec_delivered(self) -> np.ndarray:
        """Cumulative cargo delivered per day, link and item."""
        return self._series("delivered")

    @property
    def rec_lost(self) -> np.ndarray:
        """Cumulative cargo lost per day, link and item."""
        return self._series("lost")

    @property
    def rec_carried(self) -> np.ndarray:
        """Cargo each link reported carrying at the end of each day, per item."""
        return self._series("carried")

    # --- movements (quantities per item: a list of floats or a NumPy array) -----------------------
    def add_initial(self, place: int, qty) -> None:
        """Stock that exists before the campaign starts."""
        qty = _floats(qty)
        v, at = self._v, place * self.n_items
        for i, q in enumerate(qty):
            v[at + i] += q
        self._initial[place] += qty

    def produce(self, place: int, item: int, qty: float) -> None:
        """A factory's settled output enters the stock of its place."""
        k = place * self.n_items + item
        v = self._v
        v[k] += qty
        v[self._produced_at + k] += qty

    def take(self, link: int, qty) -> None:
        """Goods leave the link's origin and are now carried by the link."""
        v, s, t = self._v, self._from[link], self._taken_at + link * self.n_items
        for i, q in enumerate(_floats(qty)):
            v[s + i] -= q
            v[t + i] += q

    def take_up_to(self, link: int, capacity: float, footprint: Sequence[float]) -> list[float]:
        """The link takes up to ``capacity`` cargo units from its origin; returns the load.

        Every item goes in proportion to its stock (units per item in the result).
        """
        v, n, s = self._v, self.n_items, self._from[link]
        positive = v[s:s + n]
        volume = 0.0
        for i in range(n):
            q = positive[i]
            if q > 0.0:
                volume += q * footprint[i]
            else:
                positive[i] = 0.0
        if volume <= 1e-12 or capacity <= 0.0:
            return [0.0] * n
        load = positive if volume <= capacity else [q * (capacity / volume) for q in positive]
        t = self._taken_at + link * n
        for i in range(n):
            q = load[i]
            v[s + i] -= q
            v[t + i] += q
        return load

    def deliver(self, link: int, qty) -> None:
        """Goods carried by the link reach its destination's stock."""
        v, d, t = self._v, self._to[link], self._delivered_at + link * self.n_items
        for i, q in enumerate(_floats(qty)):
            v[t + i] += q
            v[d + i] += q

    def lose(self, link: int, qty) -> None:
        """Goods carried by the link are destroyed on the way (a sunk ship, a lost sortie)."""
        v, t = self._v, self._lost_at + link * self.n_items
        for i, q in enumerate(_floats(qty)):
            v[t + i] += q

    def consume(self, place: int, qty) -> None:
        """The front draws goods from a place's stock."""
        v, s = self._v, place * self.n_items
        c = self._consumed_at + s
        for i, q in enumerate(_floats(qty)):
            v[s + i] -= q
            v[c + i] += q

    def consume_up_to(self, place: int, wanted) -> list[float]:
        """The front draws what it wants, or what the place holds if less; returns what it got."""
        v, s = self._v, place * self.n_items
        c = self._consumed_at + s
        got = []
        for i, w in enumerate(_floats(wanted)):
            have = v[s + i]
            g = w if w <= have else (have if have > 0.0 else 0.0)
            v[s + i] = have - g
            v[c + i] += g
            got.append(g)
        return got

    def destroy(self, place: int, qty) -> None:
        """Goods in a place's stock are destroyed there (a strike on a depot or a port)."""
        v, s = self._v, place * self.n_items
        d = self._destroyed_at + s
        for i, q in enumerate(_floats(qty)):
            v[s + i] -= q
            v[d + i] += q

    def log(self, day: float, kind: str, subject: str, detail: str = "", **data: Any) -> None:
        """Record a rare event (outage, strike, sinking, a convoy sailing or attacked)."""
        self.events.append(Event(day, kind, subject, detail, data))

    # --- record --------------------------------------------------------------------------------
    def carried_count(self, link: int) -> list[float]:
        """Where a link keeps its own count of the cargo it carries (units per item).

        The link writes it (the ledger never does); the daily record copies it beside the
        ledger's accounts, and the audit checks one against the other. A plain list the link
        updates in place (``count[i] += q``, ``count[:] = ...``), never replaces.
        """
        return self._counts[link]

    def record(self, day: int) -> None:
        """Copy the current state (and every link's carried count) into row ``day``."""
        v, n, c = self._v, self.n_items, self._carried_at
        for link, count in enumerate(self._counts):
            v[c + link * n:c + (link + 1) * n] = count
        if len(v) != self._width:
            raise ValueError("a link replaced its carried count with one of another length")
        if not 0 <= day <= self.days:
            raise IndexError(f"day {day} is outside the record (0 to {self.days})")
        self._row.pack_into(self._rec_bytes, day * self._row.size, *v)

    # --- audit ---------------------------------------------------------------------------------
    def audit(self, upto: int | None = None) -> None:
        """Raise :class:`InvariantError` unless the books balance on every recorded day."""
        rows = slice(0, (self.days if upto is None else upto) + 1)
        audit_record({account: self._series(account)[rows]
                      for account in _PLACE_ACCOUNTS + _LINK_ACCOUNTS},
                     self._initial, self.places, self.links, self.items, self.link_origin,
                     self.link_dest)
