"""A cargo ship and its cycle as one SimPy process.

Load at the home port, join a convoy, (the convoy sails, unloads and returns), repeat — until
sunk. The ship is *given* its duty (:class:`Duty`): where it loads, how it takes cargo, how it
joins a convoy. It holds no reference to the link that employs it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from simulator.model.disruption import Process
from simulator.model.sealift.capabilities import (
    CarriesCargo,
    ExposedToThreat,
    Identifiable,
    MovesAlongLegs,
    UsesBerths,
)


@dataclass
class Duty:
    """What a ship serving a sea link is told: the port, its cargo source, its convoy rule."""

    env: simpy.Environment
    port: Any
    """Home port (a :class:`~simulator.model.sealift.port.Port`)."""
    take: Callable[[float], np.ndarray]
    """Hands over up to this many cargo units from the origin's stock (booked to the link)."""
    join: Callable[[Ship], None]
    """Joins a loaded ship to the convoy assembly."""
    max_loading_days: float
    """Longest a partly loaded ship stays at the berth, counted from its first cargo aboard."""
    inflow_volume_per_day: Callable[[], float]
    """Cargo units/day local producers add at the origin now (0 when links feed it)."""


class Ship(Identifiable, CarriesCargo, MovesAlongLegs, ExposedToThreat, UsesBerths):
    """One cargo ship; ``where`` says where it is (at most one place at a time)."""

    def __init__(self, *, duty: Duty, **kwargs: Any):
        super().__init__(**kwargs)
        self.duty = duty
        self.loaded_at = 0.0
        self.back_home = duty.env.event()

    def voyage(self) -> Process:
        """SimPy process: the ship's whole life."""
        duty = self.duty
        env, port, take = duty.env, duty.port, duty.take
        footprint = self.footprint
        load_rate = port.cfg.load_rate_per_day
        max_wait = duty.max_loading_days
        full = self.capacity * (1 - 1e-9)
        while self.afloat:
            self.where = "waiting for berth"
            request = yield from self.berth_at(port)
            self.where = "loading"
            waited = 0.0
            volume = self.volume
            loaded = self.laden
            while True:
                load = take(self.capacity - volume)
                if load.any():
                    if not loaded:
                        self.loaded_at = env.now
                        loaded, waited = True, 0.0
                    self.stow(load)
                    yield env.timeout(float(load @ footprint) / load_rate)
                    volume = self.volume
                if volume >= full:
                    break
                if loaded and waited >= max_wait:
                    break
                # Empty, look again tomorrow; partly loaded, wait for more but not past the
                # loading deadline, which runs from the first cargo aboard.
                step = min(self._patience(volume), max_wait - waited) if loaded else 1.0
                yield env.timeout(step)
                waited += step
            port.berths.release(request)
            self.where = "in convoy assembly"
            self.back_home = env.event()
            duty.join(self)
            yield self.back_home

    def _patience(self, volume: float) -> float:
        """Days until the next look for cargo.

        Goods arriving by link are not announced, so a port fed by links is checked daily;
        a port fed only by local factories is checked when their current output would fill the
        hold (at least a day later), which spares hundreds of idle wake-ups a run.
        """
        inflow = self.duty.inflow_volume_per_day()
        if inflow <= 0.0:
            return 1.0
        return max(1.0, (self.capacity - volume) / inflow)
