"""Money that forces a choice: a yearly budget production cannot exceed, and capacity investment.

A posture may declare ``budget.per_year``. Every unit a factory makes is paid from the budget of
the campaign year it is made in (year ``k`` covers days ``[365k, 365(k+1))``); capacity
investment (``investment_per_unit_day`` x the capacity built) is paid on the day construction
starts. When a year's money is gone, production stops for the rest of that year, *exactly*:
a factory's output accrues in closed form, so the budget cuts it at the unit the money runs out
on, not at the next daily tick.

Factories share one purse. Within a settlement the purse pays factories in a fixed order (the
scenario's), so in the day the money runs out the last factories in that order are the ones
cut; over a year this matters for at most one day's output.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable

YEAR_DAYS = 365.0


class Budget:
    """The posture's purse: money per campaign year, and what was spent, by year and country."""

    def __init__(self, per_year: float | None):
        if per_year is not None and (not math.isfinite(per_year) or per_year < 0):
            raise ValueError(f"budget per year must be a finite non-negative number, got "
                             f"{per_year}")
        self.per_year = per_year
        self.spent_by_year: dict[int, float] = defaultdict(float)
        self.by_country: dict[str, float] = defaultdict(float)
        self.exhausted_on: dict[int, float] = {}
        """Year -> the day its budget ran out (only years in which it did)."""

    def set_per_year(self, per_year: float | None) -> None:
        """A new yearly budget from now on (a decision mid-campaign).

        A year whose money had run out is open again if the new budget leaves some.
        """
        if per_year is not None and (not math.isfinite(per_year) or per_year < 0):
            raise ValueError(f"budget per year must be a finite non-negative number, got "
                             f"{per_year}")
        self.per_year = per_year
        self.exhausted_on = {y: d for y, d in self.exhausted_on.items()
                             if per_year is not None and self.spent_by_year[y] >= per_year}

    @staticmethod
    def year(day: float) -> int:
        """Campaign year of a day (year 0 is days 0 to 365)."""
        return int(day // YEAR_DAYS)

    def left(self, day: float) -> float:
        """Money left in the year of ``day`` (``inf`` without a budget)."""
        if self.per_year is None:
            return math.inf
        return max(self.per_year - self.spent_by_year[self.year(day)], 0.0)

    def afford(self, day: float, quantity: float, unit_cost: float) -> float:
        """How many of ``quantity`` units at ``unit_cost`` the year of ``day`` can still pay."""
        if unit_cost <= 0 or self.per_year is None:
            return quantity
        return min(quantity, self.left(day) / unit_cost)

    def spend(self, day: float, amount: float, country: str, when_out: float | None = None
              ) -> None:
        """Pay ``amount`` in the year of ``day``; ``when_out`` is the exact day it ran out."""
        year = self.year(day)
        self.spent_by_year[year] += amount
        self.by_country[country or "unspecified"] += amount
        if (self.per_year is not None and year not in self.exhausted_on
                and self.spent_by_year[year] >= self.per_year * (1 - 1e-12)):
            self.exhausted_on[year] = day if when_out is None else when_out


def stop_day(start: float, rate: float, unit_cost: float, money: float) -> float:
    """The day a constant-rate line started on ``start`` has spent ``money`` (closed form)."""
    if rate <= 0 or unit_cost <= 0:
        return math.inf
    return start + money / (rate * unit_cost)


def affordable_until(output: Callable[[float], float], t0: float, t1: float, unit_cost: float,
                     money: float) -> float:
    """The instant in ``[t0, t1]`` at which output made since ``t0`` has cost exactly ``money``.

    ``output(t)`` is the units made from ``t0`` to ``t`` (non-decreasing, 0 at ``t0``): a
    factory's closed-form output, ramps and all. Returns ``t1`` when the money outlasts the
    interval; otherwise the crossing, found by bisection to the resolution of a float.
    """
    units = money / unit_cost if unit_cost > 0 else math.inf
    if output(t1) <= units:
        return t1
    lo, hi = t0, t1
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break
        if output(mid) <= units:
            lo = mid
        else:
            hi = mid
    return lo
