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


@dataclass
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

    def commit(self, made: float, dt: float, potential: float, binding: bool) -> None:
        """Book ``made`` units over ``dt`` days; ``binding`` when this stock was the limit.

        When binding, the stock ran out part-way through the interval at the instant a constant
        usage ``n * potential / dt`` against the inflow would empty it; the rest of the
        interval counts as bound.
        """
        arrived = self.inflow * dt
        need = self.per_unit * made
        level = self.stock + arrived - need
        if binding and dt > 0:
            usage = self.per_unit * potential / dt
            self.bound_days += max(0.0, dt - min(dt, stockout_delay(self.stock, usage,
                                                                     self.inflow)))
        accepted = arrived - max(0.0, level - self.cap)
        self.stock = min(self.cap, max(0.0, level))
        self.received += accepted
        self.used += need


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
    allow = [s.feasible(dt) for s in stocks]
    least = min(range(len(stocks)), key=allow.__getitem__)
    made = min(potential, allow[least])
    bound = allow[least] < potential
    if then is not None:
        made = min(made, then(made))
    for k, s in enumerate(stocks):
        s.commit(made, dt, potential, bound and k == least)
    return made
