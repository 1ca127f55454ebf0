"""Convoys: assembled at the home port, they sail leg by leg, unload, and come back together.

A convoy sails when ``min_ships`` loaded ships wait, or ``max_wait_days`` after the first ship
joined, whichever is first. It takes up to ``escorts`` escorts from the fleet's pool and
returns the survivors on its way home. It moves at its slowest ship's speed. At the
destination every ship needs a berth of its own (berths are a limited resource there too), and
the convoy starts home once the last ship has unloaded.

A convoy is given everything it needs (:class:`Voyage`); it calls only public methods of the
fleet, the ports and the link's cargo booking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from simulator.model.disruption import Process
from simulator.model.sealift.interdiction import interdict
from simulator.model.sealift.ship import Ship
from simulator.scenario.schema import ConvoyRule, ThreatZone


@dataclass(frozen=True)
class Leg:
    """One leg of the route: its length and the threat zone it crosses (if any)."""

    distance_nm: float
    zone_name: str | None
    zone: ThreatZone | None


@dataclass
class Voyage:
    """What every convoy of one sea link shares: the route, the far port, the books."""

    env: simpy.Environment
    link_name: str
    legs: list[Leg]
    dest_port: Any
    """Destination :class:`~simulator.model.sealift.port.Port`."""
    fleet: Any
    """The :class:`~simulator.model.sealift.fleet.Fleet` (escorts, losses)."""
    deliver: Callable[[np.ndarray, float], None]
    """Books a ship's cargo (loaded at the given time) as delivered."""
    sunk: Callable[[Ship, str, np.ndarray], None]
    """Books a ship sunk in a zone, with the cargo it carried."""
    rng: Callable[[int], np.random.Generator]
    """Convoy ``k``'s own random stream."""
    log: Callable[..., None]


class ConvoyAssembly:
    """Gathers loaded ships at the home port and sends them off as convoys."""

    def __init__(self, voyage: Voyage, rule: ConvoyRule):
        self.voyage, self.rule = voyage, rule
        self.waiting: list[Ship] = []
        self.at_sea: set[Convoy] = set()
        self.convoys = 0
        self._batch = 0

    def join(self, ship: Ship) -> None:
        """A loaded ship joins; the convoy sails now if it is big enough."""
        self.waiting.append(ship)
        if len(self.waiting) >= self.rule.min_ships:
            self._sail()
        elif len(self.waiting) == 1:
            batch = self._batch
            timer = self.voyage.env.timeout(self.rule.max_wait_days)
            timer.callbacks.append(lambda _e: self._batch == batch and self._sail())

    def _sail(self) -> None:
        ships, self.waiting = self.waiting, []
        self._batch += 1
        escorts = self.voyage.fleet.draw_escorts(self.rule.escorts)
        self.convoys += 1
        convoy = Convoy(self.voyage, self.convoys, ships, escorts, self.at_sea)
        self.voyage.env.process(convoy.sail())


class Convoy:
    """Ships and escorts making one round trip together.

    Threat zones are met at the *end* of each leg that crosses them, out and back: a convoy
    sailing out meets leg ``i``'s zone on arriving at leg ``i``'s end; coming back it sails the
    legs in reverse and meets each zone on arriving at that leg's start.
    """

    def __init__(self, voyage: Voyage, number: int, ships: list[Ship], escorts: int,
                 at_sea: set[Convoy]):
        self.voyage, self.number, self.ships, self.escorts = voyage, number, ships, escorts
        self.rng = voyage.rng(number)
        self.speed_knots = min(s.speed_knots for s in ships)
        self._at_sea = at_sea
        # Membership changes at once, not when the process first runs: a ship is never both
        # waiting in assembly and at sea.
        at_sea.add(self)
        for ship in ships:
            ship.where = f"convoy {number} outbound"

    def sail(self) -> Process:
        """SimPy process: out through the legs, unload, back through them in reverse."""
        v, env = self.voyage, self.voyage.env
        self._log("convoy_sailed", f"convoy {self.number}: {len(self.ships)} ships, "
                  f"{self.escorts} escorts", cargo=self._cargo(self.ships))
        for leg in v.legs:
            yield env.timeout(leg.distance_nm / (self.speed_knots * 24.0))
            self._cross(leg)
        if self.ships:
            self._log("convoy_arrived", f"convoy {self.number}: {len(self.ships)} ships",
                      cargo=self._cargo(self.ships))
            yield env.all_of([env.process(self._unload(ship)) for ship in self.ships])
        for ship in self.ships:
            ship.where = f"convoy {self.number} returning"
        self._log("convoy_returning", f"convoy {self.number}: {len(self.ships)} ships")
        for leg in reversed(v.legs):
            yield env.timeout(leg.distance_nm / (self.speed_knots * 24.0))
            self._cross(leg)
        v.fleet.return_escorts(self.escorts)
        self._at_sea.discard(self)
        self._log("convoy_home", f"convoy {self.number}: {len(self.ships)} ships")
        for ship in self.ships:
            ship.where = "home port"
            ship.back_home.succeed()

    def _cross(self, leg: Leg) -> None:
        if leg.zone is None or not self.ships:
            return
        v = self.voyage
        sunk, escorts_lost = interdict(self.rng, leg.zone, len(self.ships), self.escorts)
        if escorts_lost:
            self.escorts -= escorts_lost
            v.fleet.escorts_sunk(escorts_lost)
            v.log(v.env.now, "escorts_lost", v.link_name, f"{escorts_lost} in {leg.zone_name}")
        if not sunk.any():
            return
        lost = self._cargo([s for s, hit in zip(self.ships, sunk, strict=True) if hit])
        self._log("convoy_attacked", f"convoy {self.number}: {int(sunk.sum())} of "
                  f"{len(self.ships)} ships lost in {leg.zone_name}", zone=leg.zone_name,
                  sunk=int(sunk.sum()), escorts_lost=int(escorts_lost), cargo_lost=lost)
        survivors = []
        for ship, is_sunk in zip(self.ships, sunk, strict=True):
            if is_sunk:
                v.sunk(ship, leg.zone_name, ship.sink())
            else:
                survivors.append(ship)
        self.ships = survivors

    def _log(self, kind: str, detail: str, **data) -> None:
        """One event about this convoy; ``data`` repeats the facts as numbers for programs."""
        v = self.voyage
        v.log(v.env.now, kind, v.link_name, detail, convoy=self.number, ships=len(self.ships),
              escorts=self.escorts, speed_knots=self.speed_knots, **data)

    @staticmethod
    def _cargo(ships: list[Ship]) -> list[float]:
        """Units aboard ``ships`` per item, in the order of the result's ``items``."""
        return [float(q) for q in sum(s.cargo for s in ships)]

    def _unload(self, ship: Ship) -> Process:
        """One ship: wait for a free berth at an open port, unload at the berth's rate."""
        env, port = self.voyage.env, self.voyage.dest_port
        ship.where = f"convoy {self.number} at destination"
        request = yield from ship.berth_at(port)
        yield env.timeout(ship.volume / port.cfg.unload_rate_per_day)
        port.berths.release(request)
        if ship.laden:
            self.voyage.deliver(ship.discharge(), ship.loaded_at)
