"""Component stocks at a factory: the bill of materials as a limit on what the factory makes.

A factory making an item that needs ``n`` units of a component per unit holds a stock ``s`` of
that component, receives deliveries at a rate ``a`` (units/day, piecewise constant: it changes
only when a supplier is cut off, restored or replaced) and uses ``n`` per unit made. Stock is
held up to a cap (``stock_days`` of full-rate use); deliveries beyond the cap are not ordered.

Settlement is exact for constant rates, like the factory's own: over an interval ``dt`` in which
the factory could make ``P`` units (its ramp and sites down already counted), it makes::

    y = min(P, (s + a * dt) / n)      for each component, the smallest wins

so with stock ``S``, usage ``u = n * rate`` and no deliveries, production stops exactly ``S / u``
days after the deliveries stop (:func:`stockout_delay`), and afterwards runs at ``a / n`` (a
substitute's rate). Within one interval, deliveries arriving late in it may be used earlier in
it; the factory settles at every change and at least daily, so that error is bounded by one
day's deliveries when rates change inside a day (a ramp), and is zero otherwise.

Nothing here knows SimPy: :class:`ComponentStock` is plain arithmetic, driven by the supply
model in :mod:`simulator.model.suppliers`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def stockout_delay(stock: float, usage_per_day: float, inflow_per_day: float = 0.0) -> float:
    """Days until a stock runs out when used at ``usage`` and refilled at ``inflow`` (exact).

    >>> stockout_delay(3000, 100)          # S / u
    30.0
    >>> stockout_delay(3000, 100, 40)      # S / (u - a)
    50.0
    >>> stockout_delay(3000, 100, 100)
    inf
    """
    net = usage_per_day - inflow_per_day
    return stock / net if net > 0 else math.inf


@dataclass(slots=True)
class ComponentStock:
    """One component's stock at one factory, and what it has done to production."""

    component: str
    per_unit: float
    """Component units per unit of the factory's item."""
    cap: float
    """Most the factory holds (and its stock at the start)."""
    stock: float = 0.0
    inflow: float = 0.0
    """Current delivery rate to this factory, units/day."""
    received: float = 0.0
    """Deliveries accepted (ordered) so far."""
    used: float = 0.0
    bound_days: float = 0.0
    """Days on which this component, and no other, limited production (fractions counted)."""

    def __post_init__(self) -> None:
        if self.stock == 0.0:
            self.stock = self.cap

    def feasible(self, dt: float) -> float:
        """Most units of the item this stock and its deliveries allow over ``dt`` days."""
        return (self.stock + self.inflow * dt) / self.per_unit


# The two halves of a settlement are apart so that a factory can pay between them (money may
# cut the units further before any stock is drawn), and both are plain loops over one or two
# stocks: a factory settles thousands of times a run, and building lists or calling
# ``min(key=...)`` there cost more than the arithmetic.

def allowance(stocks: Sequence[ComponentStock], dt: float) -> tuple[int, float]:
    """The stock allowing the fewest units over ``dt`` days (the first of equals), and those units.

    ``stocks`` must not be empty.
    """
    s = stocks[0]
    least, low = 0, (s.stock + s.inflow * dt) / s.per_unit
    for k in range(1, len(stocks)):
        s = stocks[k]
        allow = (s.stock + s.inflow * dt) / s.per_unit
        if allow < low:
            least, low = k, allow
    return least, low


def commit(stocks: Sequence[ComponentStock], made: float, dt: float, potential: float,
           binding: int) -> None:
    """Book ``made`` units over ``dt`` days in every stock; ``binding`` is the limiting one's index.

    (``-1`` when none limited production.) The binding stock ran out part-way through the
    interval at the instant a constant usage ``n * potential / dt`` against the inflow would
    empty it; the rest of the interval counts as bound. Deliveries beyond the cap are not
    ordered, so they are not received.
    """
    for k in range(len(stocks)):
        s = stocks[k]
        arrived = s.inflow * dt
        need = s.per_unit * made
        level = s.stock + arrived - need
        if k == binding and dt > 0:
            usage = s.per_unit * potential / dt
            s.bound_days += max(0.0, dt - min(dt, stockout_delay(s.stock, usage, s.inflow)))
        over = level - s.cap
        if over > 0.0:  # full: what would overflow the cap is not ordered
            s.stock = s.cap
            s.received += arrived - over
        else:
            s.stock = level if level > 0.0 else 0.0
            s.received += arrived
        s.used += need


def settle_stocks(stocks: Sequence[ComponentStock], potential: float, dt: float,
                  then: Callable[[float], float] | None = None) -> float:
    """Units made over ``dt`` days when the factory could make ``potential`` (see module doc).

    Books every stock; the stock with the smallest allowance is the binding one. ``then``, if
    given, may cut the units further before the stocks are drawn (a budget that runs out).

    >>> motors = ComponentStock("motor", per_unit=4, cap=400)   # 100 drones' worth
    >>> settle_stocks([motors], potential=150, dt=1.0), motors.stock     # only 100 can be made
    (100.0, 0.0)
    >>> motors.inflow = 200                                      # 50 drones' worth a day
    >>> settle_stocks([motors], potential=150, dt=1.0)
    50.0
    """
    if not stocks:
        return potential
    least, low = allowance(stocks, dt)
    bound = low < potential
    made = low if bound else potential
    if then is not None:
        paid = then(made)
        if paid < made:
            made = paid
    commit(stocks, made, dt, potential, least if bound else -1)
    return made
