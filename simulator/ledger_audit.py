"""The audit of the books: whether the daily record of a :class:`~simulator.ledger.Ledger` balances.

Kept apart from the ledger because it is the independent check of it: the ledger's live books
are the hot path of every run (plain floats, no NumPy per move), while the audit runs once, at
the end, on the daily record alone (NumPy arrays), and shares nothing with the code it checks.
The rounding allowance and :class:`InvariantError` live here too: the result's own check of its
totals (:meth:`simulator.results.RunResult.check_invariant`) uses the same ones.

For every recorded day, :func:`audit_record` checks:

* per link: ``taken = delivered + lost + carried`` (a link cannot lose cargo silently);
* per place: ``stock = initial + produced + received - sent - consumed - destroyed`` (no unit
  appears, disappears or moves between places except along a link);
* every number is finite, and no stock is negative.
"""

from __future__ import annotations

from collections.abc import Mapping

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


def audit_record(series: Mapping[str, np.ndarray], initial: np.ndarray, places: list[str],
                 links: list[str], items: list[str], link_origin: list[int],
                 link_dest: list[int]) -> None:
    """Raise :class:`InvariantError` unless the recorded books balance on every day given.

    ``series`` maps each account (``stock``, ``produced``, ``consumed``, ``destroyed`` per
    place; ``taken``, ``delivered``, ``lost``, ``carried`` per link) to its rows to check,
    shaped (days, places or links, items); ``initial`` is the stock per place and item before
    the campaign; ``link_origin`` and ``link_dest`` are each link's places.
    """
    n_places, n_items = len(places), len(items)
    place_accounts = ("stock", "produced", "consumed", "destroyed")
    for account, values in series.items():
        bad = ~np.isfinite(values)
        if bad.any():
            day, where, item = np.argwhere(bad)[0]
            # by the account, not the array's width: a scenario can have as many links as places
            owner = places if account in place_accounts else links
            raise InvariantError(f"{account} of '{items[item]}' at '{owner[where]}' is "
                                 f"{values[day, where, item]} on day {day}")
    taken, delivered = series["taken"], series["delivered"]
    lost, carried = series["lost"], series["carried"]
    gross = taken + delivered + lost + np.abs(carried)
    _check(taken - delivered - lost - carried, gross, links, items,
           "link books do not balance (taken - delivered - lost - carried)")
    for account, values in (("taken", taken), ("delivered", delivered), ("lost", lost),
                            ("carried", carried)):
        _check(np.minimum(values, 0.0), gross, links, items, f"negative {account}")
    received = _by_place(delivered, link_dest, n_places, n_items)
    sent = _by_place(taken, link_origin, n_places, n_items)
    stock = series["stock"]
    produced, consumed = series["produced"], series["consumed"]
    destroyed = series["destroyed"]
    gross = initial + produced + received + sent + consumed + destroyed + np.abs(stock)
    _check(stock - (initial + produced + received - sent - consumed - destroyed),
           gross, places, items, "place books do not balance (stock - initial - produced "
                                 "- received + sent + consumed + destroyed)")
    _check(np.minimum(stock, 0.0), gross, places, items, "negative stock")


def _by_place(per_link: np.ndarray, ends: list[int], n_places: int, n_items: int) -> np.ndarray:
    out = np.zeros((per_link.shape[0], n_places, n_items))
    for link, place in enumerate(ends):
        out[:, place] += per_link[:, link]
    return out


def _check(residual: np.ndarray, gross: np.ndarray, owners: list[str], items: list[str],
           what: str) -> None:
    bad = np.abs(residual) > ROUNDING_RTOL * gross + ROUNDING_ATOL
    if bad.any():
        day, where, item = np.argwhere(bad)[0]
        raise InvariantError(f"{what}: '{items[item]}' at '{owners[where]}' on day "
                             f"{day}: off by {residual[day, where, item]!r}")
