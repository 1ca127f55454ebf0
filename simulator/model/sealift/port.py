"""Ports: a limited number of berths, loading and unloading rates, strikes that close them."""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from simulator.model.disruption import Switch
from simulator.scenario.schema import Port as PortConfig


class Port:
    """Berths are a SimPy resource; a closed port lets no ship start loading or unloading."""

    def __init__(self, env: simpy.Environment, name: str, cfg: PortConfig, log,
                 rng: np.random.Generator):
        self.env, self.name, self.cfg = env, name, cfg
        self.berths = simpy.Resource(env, capacity=cfg.berths)
        self.switch = Switch(env, name, log, rng, cfg.strikes, "port_closed")
        self.visits = 0
        self.wait_days = 0.0

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
