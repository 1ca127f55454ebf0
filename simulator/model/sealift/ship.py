"""A cargo ship's cycle as one SimPy process.

Load at the home port, wait for a convoy, sail, unload at the theatre, return (exposed again),
repeat — until it is sunk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulator.model.sealift.link import SeaLink


class Ship:
    """One ship; ``where`` says where it is (at most one place at a time)."""

    def __init__(self, link: SeaLink, name: str, capacity: float, speed_knots: float):
        self.link, self.name = link, name
        self.capacity, self.speed_knots = capacity, speed_knots
        self.cargo = np.zeros(link.ledger.n_items)
        self.loaded_at = 0.0
        self.where = "home port"
        self.afloat = True
        self.back_home = link.env.event()

    def voyage(self):
        """SimPy process: the ship's whole life."""
        env, link = self.link.env, self.link
        port, rule = link.home_port, link.cfg.convoy
        take, footprint = link.origin.take_cargo, link.origin.footprint
        load_rate, max_wait = port.cfg.load_rate_per_day, rule.max_wait_days
        full = self.capacity * (1 - 1e-9)
        while self.afloat:
            self.where = "waiting for berth"
            request = yield from port.berth()
            self.where = "loading"
            waited = 0.0
            # A ship waiting at the berth for cargo looks again every day: keep that loop lean
            # (volume and "anything aboard" change only when a load comes aboard).
            volume = self.volume
            loaded = bool(self.cargo.any())
            while True:
                load = take(self.capacity - volume)
                if load.any():
                    if not loaded:
                        self.loaded_at = env.now
                        loaded = True
                    self.cargo += load
                    link._depart(load)
                    yield env.timeout(float(load @ footprint) / load_rate)
                    volume = self.volume
                if volume >= full:
                    break
                if loaded and waited >= max_wait:
                    break
                yield env.timeout(1.0)
                waited += 1.0
            port.berths.release(request)
            self.where = "in convoy assembly"
            self.back_home = env.event()
            link.assembly.join(self)
            yield self.back_home

    @property
    def volume(self) -> float:
        """Cargo units aboard."""
        return float(self.cargo @ self.link.origin.footprint)
