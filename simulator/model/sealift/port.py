"""Ports: a limited number of berths, loading and unloading rates, strikes that close them.

Berths are a first-come-first-served pool (:class:`Berths`) rather than a ``simpy.Resource``:
a free berth is granted on the spot and a released one passes straight to the next in line,
so a port visit costs SimPy events only when a ship actually waits (a ``Resource`` schedules
a request and a release event for every visit, a third of a run's events).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator

import simpy

from simulator.model.component import Component, WorldContext
from simulator.model.disruption import Switch
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import Port as PortConfig


class Berths:
    """``capacity`` berths granted first come, first served."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.count = 0
        """Berths held now."""
        self.queue: deque[Callable[[], object]] = deque()
        """Who waits for a berth, in order of asking."""

    def take(self, granted: Callable[[], object]) -> None:
        """Call ``granted()`` once a berth is the caller's: now if one is free, else in turn."""
        if self.count < self.capacity and not self.queue:
            self.count += 1
            granted()
        else:
            self.queue.append(granted)

    def release(self, _request: object = None) -> None:
        """Give a berth back; the next in line (if any) has it at once."""
        if self.queue:
            self.queue.popleft()()
        else:
            self.count -= 1


@register("ports", order=20,
          select=lambda sc: {n: p.port for n, p in sc.places.items() if p.port is not None})
class Port(Component):
    """Berths are a SimPy resource; a closed port lets no ship start loading or unloading.

    For other components: :meth:`berth` (wait for an open port and a free berth) and
    ``switch.close()`` / ``switch.reopen()`` (a strike closing the port).
    """

    kind = "port"
    transport_kpis = ("port_wait_days",)

    def __init__(self, ctx: WorldContext, name: str, cfg: PortConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.place = ctx.places[name]
        self.berths = Berths(cfg.berths)
        self.visits = 0
        self.wait_days = 0.0

    def start(self) -> None:
        """Scheduled and random strikes."""
        self.switch = Switch(self.env, self.name, self.ctx.log, self.stream(), self.cfg.strikes,
                             "port_closed")

    def berth_now(self) -> Berths | None:
        """A berth at once if the port is open and one is free (the berth pool), else ``None``.

        The common case of :meth:`berth` and :meth:`moor` without a generator or closures.
        """
        berths = self.berths
        if self.switch.closures or berths.count >= berths.capacity or berths.queue:
            return None
        berths.count += 1
        self.visits += 1
        return berths

    def berth(self) -> Generator[simpy.Event, object, Berths]:
        """SimPy generator: wait for the port to be open and a berth free; return the berth pool.

        The caller releases the berth with ``port.berths.release(...)`` (passing the result).
        """
        asked = self.env.now
        yield from self.switch.wait_open()
        berths = self.berths
        if berths.count < berths.capacity and not berths.queue:
            berths.count += 1
        else:
            turn = self.env.event()
            berths.queue.append(turn.succeed)
            yield turn
        yield from self.switch.wait_open()
        self.visits += 1
        self.wait_days += self.env.now - asked
        return berths

    def moor(self, granted: Callable[[], None]) -> None:
        """:meth:`berth` as a callback, for callers that are not processes.

        ``granted()`` runs (possibly right now) once the port is open and a berth is held;
        release it with ``port.berths.release()``.
        """
        if self.berth_now() is not None:
            granted()
            return
        asked, switch = self.env.now, self.switch

        def berthed() -> None:
            if not switch.is_open:
                switch.when_open(berthed)
                return
            self.visits += 1
            self.wait_days += self.env.now - asked
            granted()

        def ask() -> None:
            if not switch.is_open:
                switch.when_open(ask)
                return
            self.berths.take(berthed)
        ask()

    @property
    def mean_wait_days(self) -> float:
        """Mean days a ship waited for an open port and a free berth."""
        return self.wait_days / self.visits if self.visits else 0.0

    def result(self, parts: ResultParts) -> None:
        """Waiting at berths, averaged over every port visit of the run."""
        parts.add_ratio("port_wait_days", self.wait_days, self.visits)
