"""A cargo ship and its cycle as one SimPy process.

Load at the home port, join a convoy, (the convoy sails, unloads and returns), repeat — until
sunk. The ship is *given* its duty (:class:`Duty`): where it loads, how it takes cargo, how it
joins a convoy. It holds no reference to the link that employs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import mul
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
from simulator.model.waits import timeout_unless


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
    news: Callable[[], int]
    """How many arrivals the origin has announced so far (cargo that came while stowing)."""


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
        full = self.capacity * (1 - 1e-9)
        while self.afloat:
            max_wait = duty.max_loading_days  # read each visit: a decision may change it
            request = port.berth_now()
            if request is None:
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
                    stowed = sum(map(mul, load, footprint))
                    heard = duty.news()
                    yield env.timeout(stowed / load_rate)
                    volume = self.volume
                    # Cargo delivered while stowing woke nobody (the ship was not waiting):
                    # look again before sleeping, or it sits on the quay beside a ship with room.
                    if duty.news() != heard and volume < full and env.now < deadline - 1e-12:
                        continue
                # The loading deadline runs from the first cargo aboard, loading time included.
                if volume >= full or env.now >= deadline - 1e-12:
                    break
                # Wait for cargo: a delivery here, local output that could fill the hold, the
                # last look that can still load what accrues by the deadline, or the deadline;
                # never a blind daily look.
                wake = self._wake_in(volume, loaded, deadline, load_rate)
                yield timeout_unless(env, wake, arrival(env)) if wake < inf else arrival(env)
            port.berths.release(request)
            self.where = "in convoy assembly"
            self.back_home = env.event()
            duty.join(self)
            yield self.back_home

    def _wake_in(self, volume: float, loaded: bool, deadline: float, load_rate: float) -> float:
        """Days until the next look for cargo (``inf``: only a delivery can wake the ship).

        Empty, it takes a day's local output at a time. Partly loaded, it looks again when
        local output could fill the hold, but no later than the last look that can still load
        what accrues by the deadline (``w + S(w) / load_rate = deadline``, with local output at
        today's rate), and no later than the deadline itself. A delivery wakes it earlier.
        """
        now = self.duty.env.now
        inflow = self.duty.inflow_volume_per_day()
        if not loaded:
            return 1.0 if inflow > 0.0 else float("inf")
        if inflow <= 0.0:
            return deadline - now
        fill = max(1.0, (self.capacity - volume) / inflow)
        rate = inflow / load_rate
        last = (deadline - self.duty.stock_volume() / load_rate + rate * now) / (1 + rate)
        wake = min(fill, last - now)
        return wake if wake > 1e-12 else deadline - now
