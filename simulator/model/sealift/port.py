"""Ports: a limited number of berths, loading and unloading rates, strikes that close them."""

from __future__ import annotations

from collections.abc import Generator

import simpy

from simulator.model.component import Component, WorldContext
from simulator.model.disruption import Switch
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import Port as PortConfig


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
        self.berths = simpy.Resource(self.env, capacity=cfg.berths)
        self.visits = 0
        self.wait_days = 0.0

    def start(self) -> None:
        """Scheduled and random strikes."""
        self.switch = Switch(self.env, self.name, self.ctx.log, self.stream(), self.cfg.strikes,
                             "port_closed")

    def berth(self) -> Generator[simpy.Event, object, simpy.resources.resource.Request]:
        """SimPy generator: wait for the port to be open and a berth free; return the request.

        The caller releases it with ``port.berths.release(request)``.
        """
        asked = self.env.now
        yield from self.switch.wait_open()
        request = self.berths.request()
        yield request
        yield from self.switch.wait_open()
        self.visits += 1
        self.wait_days += self.env.now - asked
        return request

    @property
    def mean_wait_days(self) -> float:
        """Mean days a ship waited for an open port and a free berth."""
        return self.wait_days / self.visits if self.visits else 0.0

    def result(self, parts: ResultParts) -> None:
        """Waiting at berths, averaged over every port visit of the run."""
        parts.add_ratio("port_wait_days", self.wait_days, self.visits)
