"""The world's daily clock: one SimPy process runs every chore that falls on a whole day.

Several components act once a day: a daily link dispatches, the front draws, shipments with a
whole-day transit arrive, the recorder samples. As separate processes each costs one SimPy event
a day (a quarter of all events of a two-year run); run from one clock they cost one event a day
together, and their order within the day is fixed here instead of following the order in which
their timeouts happened to be scheduled. On day ``d`` the clock runs, in this order:

1. :data:`ARRIVE`: shipments due on day ``d`` reach their destination, in the order they were
   sent (:meth:`DailyClock.at_day`);
2. :data:`DISPATCH`: daily links send the day's loads, in the order they registered (the world
   starts links fastest route first, so the fastest route draws first);
3. :data:`STRIKE`: the enemy's strikes of day ``d - 1`` at the front are settled (they fell at
   its mid-day; settling them here, before the draw that closes that day, costs no event);
4. :data:`DEMAND`: the front draws (from day 1; day ``d``'s draw closes day ``d - 1``);
5. :data:`RECORD`: the world's recorder (every component's ``record`` hook, then the books).

Chores of other rhythms (every ``k`` days from day ``s``) use ``every_day(..., start, every)``.
A component that needs no whole-day rhythm keeps its own SimPy processes; nothing forces a
component onto the clock, and events at the same instant that are not on the clock run before
or after it in SimPy's usual order (the order they were scheduled).
"""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simulator.model.disruption import Process

ARRIVE, DISPATCH, STRIKE, DEMAND, RECORD = 0, 10, 15, 20, 100
"""Phases of a day, in the order they run."""


class _Chore:
    __slots__ = ("every", "next_day", "phase", "run", "seq")

    def __init__(self, phase: int, seq: int, run: Callable[[int], None], start: int, every: int):
        self.phase, self.seq, self.run, self.next_day, self.every = phase, seq, run, start, every


class DailyClock:
    """Runs registered chores at every whole day ``0..days`` from one SimPy process."""

    def __init__(self, env: simpy.Environment, days: int):
        self.env, self.days = env, int(days)
        self._chores: list[_Chore] = []
        self._due: dict[int, list[Callable[[], None]]] = {}
        self._arrived_through = -1
        """Last day whose arrivals have run: later days can still take shipments."""
        self.done_through = -1
        """Last day whose chores have all run (its record included)."""

    def every_day(self, chore: Callable[[int], None], phase: int, start: int = 0,
                  every: int = 1) -> None:
        """Call ``chore(day)`` in ``phase`` on days ``start, start + every, ...`` up to the end.

        Chores of one phase run in the order they were registered.
        """
        if every < 1 or start < 0:
            raise ValueError(f"a chore runs every >= 1 days from day >= 0, not every {every} "
                             f"from {start}")
        self._chores.append(_Chore(phase, len(self._chores), chore, int(start), int(every)))
        self._chores.sort(key=lambda c: (c.phase, c.seq))

    def at_day(self, day: float, action: Callable[[], None]) -> bool:
        """Call ``action()`` in the :data:`ARRIVE` phase of ``day``, if the clock can.

        It can when ``day`` is a whole day whose arrivals have not run yet; otherwise (a
        fractional day, today after its arrivals, a day past the horizon) it returns ``False``
        and the caller schedules the action itself.
        """
        if day != int(day) or not self._arrived_through < day <= self.days:
            return False
        self._due.setdefault(int(day), []).append(action)
        return True

    def run(self, done: Callable[[], None]) -> Process:
        """SimPy process: every day from 0 to ``days``; ``done()`` after the last one."""
        env, chores, due = self.env, self._chores, self._due
        for day in range(self.days + 1):
            if day:
                yield env.timeout(1.0)
            self._arrived_through = day
            arrivals = due.pop(day, None)
            if arrivals:
                for action in arrivals:
                    action()
            for chore in chores:
                if chore.next_day == day:
                    chore.next_day += chore.every
                    chore.run(day)
            self.done_through = day
        done()
