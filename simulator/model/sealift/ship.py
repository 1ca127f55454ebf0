"""A cargo ship and its cycle as one SimPy process.

Load at the home port, join a convoy, (the convoy sails, unloads and returns), repeat — until
sunk. The ship is *given* its duty (:class:`Duty`): where it loads, how it takes cargo, how it
joins a convoy. It holds no reference to the link that employs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

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
    take: Callable[[float], Sequence[float]]
    """Hands over up to this many cargo units from the origin's stock (booked to the link)."""
    join: Callable[[Ship], None]
    """Joins a loaded ship to the convoy assembly."""
    max_loading_days: float
    """Longest a partly loaded ship stays at the berth, counted from its first cargo aboard."""
    inflow_volume_per_day: Callable[[], float]
    """Cargo units/day local producers add at the origin now."""
    stock_volume: Callable[[], float]
    """Cargo units in the origin's stock now."""
    arrival: Callable[[simpy.Environment], simpy.Event]
    """The origin's next-arrival event (a delivery, or local output starting)."""


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
        env, port, take, arrival = duty.env, duty.port, duty.take, duty.arrival
        footprint, inf = self.footprint, float("inf")
        load_rate = port.cfg.load_rate_per_day
        max_wait = duty.max_loading_days
        full = self.capacity * (1 - 1e-9)
        while self.afloat:
            self.where = "waiting for berth"
            request = yield from self.berth_at(port)
            self.where = "loading"
            volume = self.volume
            loaded = self.laden
            deadline = self.loaded_at + max_wait if loaded else inf
            while True:
                room = self.capacity - volume
                if loaded:  # nothing starts loading that could not be aboard by the deadline
                    room = min(room, (deadline - env.now) * load_rate)
                load = take(room)
                if any(load):
                    if not loaded:
                        self.loaded_at = env.now
                        loaded, deadline = True, env.now + max_wait
                    self.stow(load)
                    stowed = sum(q * f for q, f in zip(load, footprint, strict=True))
                    yield env.timeout(stowed / load_rate)
                    volume = self.volume
                # The loading deadline runs from the first cargo aboard, loading time included.
                if volume >= full or env.now >= deadline - 1e-12:
                    break
                # Wait for cargo: a delivery here, local output that could fill the hold, the
                # last look that can still load what accrues by the deadline, or the deadline;
                # never a blind daily look.
                wake = self._patience(volume, loaded)
                if loaded:
                    wake = min(wake, self._last_look(deadline, load_rate) - env.now)
                    if wake <= 1e-12:
                        wake = deadline - env.now
                yield env.any_of([arrival(env), env.timeout(wake)]) if wake < inf \
                    else arrival(env)
            port.berths.release(request)
            self.where = "in convoy assembly"
            self.back_home = env.event()
            duty.join(self)
            yield self.back_home

    def _last_look(self, deadline: float, load_rate: float) -> float:
        """The last time to look for cargo and still have it aboard by the deadline.

        With local output at today's rate, loading what is in stock at ``w`` ends exactly at
        the deadline: ``w + S(w) / load_rate = deadline``.
        """
        inflow = self.duty.inflow_volume_per_day() / load_rate
        now, stocked = self.duty.env.now, self.duty.stock_volume() / load_rate
        return (deadline - stocked + inflow * now) / (1 + inflow)

    def _patience(self, volume: float, loaded: bool) -> float:
        """Days until local producers' output could fill the hold (``inf`` without them).

        At least a day: an empty ship takes a day's output at a time, a partly loaded one waits
        until the rest could be made (a delivery by link wakes it earlier).
        """
        inflow = self.duty.inflow_volume_per_day()
        if inflow <= 0.0:
            return float("inf")
        return max(1.0, (self.capacity - volume) / inflow) if loaded else 1.0
