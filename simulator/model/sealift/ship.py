"""A cargo ship's cycle as one SimPy process.

Load at the home port, wait for a convoy, sail, unload at the theatre, return (exposed again),
repeat — until it is sunk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from simulator.model.disruption import Process
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

    def voyage(self) -> Process:
        """SimPy process: the ship's whole life."""
        env, link = self.link.env, self.link
        port, rule = link.home_port, link.cfg.convoy
        origin = link.origin
        take, footprint = origin.take_cargo, origin.footprint
        load_rate = port.cfg.load_rate_per_day
        max_wait = rule.max_wait_days if rule.max_loading_days is None else rule.max_loading_days
        full = self.capacity * (1 - 1e-9)
        while self.afloat:
            self.where = "waiting for berth"
            request = yield from port.berth()
            self.where = "loading"
            waited = 0.0
            volume = self.volume
            loaded = bool(self.cargo.any())
            while True:
                load = take(self.capacity - volume)
                if load.any():
                    if not loaded:
                        self.loaded_at = env.now
                        loaded, waited = True, 0.0
                    self.cargo += load
                    link._depart(load)
                    yield env.timeout(float(load @ footprint) / load_rate)
                    volume = self.volume
                if volume >= full:
                    break
                if loaded and waited >= max_wait:
                    break
                # Empty, look again tomorrow; partly loaded, wait for more but not past the
                # loading deadline, which runs from the first cargo aboard.
                step = min(self._patience(volume, origin), max_wait - waited) if loaded else 1.0
                yield env.timeout(step)
                waited += step
            port.berths.release(request)
            self.where = "in convoy assembly"
            self.back_home = env.event()
            link.assembly.join(self)
            yield self.back_home

    def _patience(self, volume: float, origin) -> float:
        """Days until the next look for cargo.

        Goods arriving by link are not announced, so a port fed by links is checked daily;
        a port fed only by local factories is checked when their current output would fill the
        hold (at least a day later), which spares hundreds of idle wake-ups a run.
        """
        inflow = 0.0 if origin.fed_by_links else origin.inflow_volume_per_day()
        if inflow <= 0.0:
            return 1.0
        return max(1.0, (self.capacity - volume) / inflow)

    @property
    def volume(self) -> float:
        """Cargo units aboard."""
        return float(self.cargo @ self.link.origin.footprint)
