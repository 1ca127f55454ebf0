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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import simpy

from simulator.model.sealift.interdiction import interdict
from simulator.model.sealift.ship import Ship
from simulator.model.streams import Draws
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
    deliver: Callable[[Sequence[float], float], None]
    """Books a ship's cargo (loaded at the given time) as delivered."""
    sunk: Callable[[Ship, str, Sequence[float]], None]
    """Books a ship sunk in a zone, with the cargo it carried."""
    draws: Callable[[int, int], Draws]
    """``draws(k, j)``: the random numbers of convoy ``k``'s ``j``-th zone crossing (see
    :class:`~simulator.model.streams.NumberedStreams`)."""
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
        Convoy(self.voyage, self.convoys, ships, escorts, self.at_sea).sail()


class Convoy:
    """Ships and escorts making one round trip together.

    Threat zones are met at the *end* of each leg that crosses them, out and back: a convoy
    sailing out meets leg ``i``'s zone on arriving at leg ``i``'s end; coming back it sails the
    legs in reverse and meets each zone on arriving at that leg's start.
    """

    def __init__(self, voyage: Voyage, number: int, ships: list[Ship], escorts: int,
                 at_sea: set[Convoy]):
        self.voyage, self.number, self.ships, self.escorts = voyage, number, ships, escorts
        self.crossings = 0
        """Leg ends reached so far on the round trip."""
        self.speed_knots = min(s.speed_knots for s in ships)
        self._at_sea = at_sea
        # Membership changes at once, not when the process first runs: a ship is never both
        # waiting in assembly and at sea.
        at_sea.add(self)
        self._where("outbound")

    def sail(self) -> None:
        """Set off now: out through the legs, unload, back through them in reverse.

        Callbacks chained on the stage timeouts, not a SimPy process: a process would add a
        start-up event, an event for the end of unloading and one for its own end to the
        events the voyage needs (one per stage, one per ship unloaded).
        """
        self._log("convoy_sailed", f"convoy {self.number}: {len(self.ships)} ships, "
                  f"{self.escorts} escorts", cargo=self._cargo(self.ships))
        self._sail_through(range(len(self.voyage.legs)), self._arrive)

    def _sail_through(self, order: range, then: Callable[[], None]) -> None:
        """Sail the legs in ``order`` stage by stage (crossing at stage ends), then ``then()``."""
        self._left = self._stages(order)[::-1]
        self._then = then
        self._next_stage()

    def _next_stage(self) -> None:
        if self._left:
            days, self._ended = self._left.pop()
            self.voyage.env.timeout(days).callbacks.append(self._stage_reached)
        else:
            self._then()

    def _stage_reached(self, _event: simpy.Event) -> None:
        legs = self.voyage.legs
        for i in self._ended:
            self._cross(legs[i])
        self._next_stage()

    def _arrive(self) -> None:
        """At the destination: unload every ship (if any is left), then start home."""
        if self.ships:
            self._log("convoy_arrived", f"convoy {self.number}: {len(self.ships)} ships",
                      cargo=self._cargo(self.ships))
            self._unload(self._return)
        else:
            self._return()

    def _return(self) -> None:
        self._where("returning")
        self._log("convoy_returning", f"convoy {self.number}: {len(self.ships)} ships")
        self._sail_through(range(len(self.voyage.legs))[::-1], self._home)

    def _home(self) -> None:
        v = self.voyage
        v.fleet.return_escorts(self.escorts)
        self._at_sea.discard(self)
        self._log("convoy_home", f"convoy {self.number}: {len(self.ships)} ships")
        for ship in self.ships:
            ship.where = "home port"
            ship.back_home.succeed()

    def _stages(self, order: range) -> list[tuple[float, list[int]]]:
        """Sailing days to each leg end where something can happen, and the legs ending there.

        Nothing happens at the end of a leg outside every threat zone, so it is sailed together
        with the next (one timeout, not two); its end still counts as a crossing. Legs are
        looked up by index when crossed, so threats changed mid-campaign apply from the next
        stop (a zone put on a leg the convoy is sailing through without stopping is met at the
        end of that stage).
        """
        legs, stages = self.voyage.legs, []
        days, ended = 0.0, []
        for i in order:
            days += legs[i].distance_nm / (self.speed_knots * 24.0)
            ended.append(i)
            if legs[i].zone is not None:
                stages.append((days, ended))
                days, ended = 0.0, []
        if ended:
            stages.append((days, ended))
        return stages

    def _cross(self, leg: Leg) -> None:
        # Leg end j of the round trip (0, 1, ... out, then back) draws from its own sub-stream:
        # convoy k meets the same fortune there in two postures, whatever happened before.
        crossing, self.crossings = self.crossings, self.crossings + 1
        if leg.zone is None or not self.ships:
            return
        v = self.voyage
        sunk, escorts_lost = interdict(v.draws(self.number, crossing), leg.zone,
                                       len(self.ships), self.escorts)
        if escorts_lost:
            self.escorts -= escorts_lost
            v.fleet.escorts_sunk(escorts_lost)
            v.log(v.env.now, "escorts_lost", v.link_name, f"{escorts_lost} in {leg.zone_name}")
        if True not in sunk:
            return
        lost = self._cargo([s for s, hit in zip(self.ships, sunk, strict=True) if hit])
        n_sunk = sum(sunk)
        self._log("convoy_attacked", f"convoy {self.number}: {n_sunk} of "
                  f"{len(self.ships)} ships lost in {leg.zone_name}", zone=leg.zone_name,
                  sunk=n_sunk, escorts_lost=int(escorts_lost), cargo_lost=lost)
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

    def _where(self, stage: str) -> None:
        """Every ship's ``where``: one string for the convoy's stage, not one per ship."""
        where = f"convoy {self.number} {stage}"
        for ship in self.ships:
            ship.where = where

    @staticmethod
    def _cargo(ships: list[Ship]) -> list[float]:
        """Units aboard ``ships`` per item, in the order of the result's ``items``."""
        return [sum(col) for col in zip(*[ship.aboard() for ship in ships], strict=True)]

    def _unload(self, then: Callable[[], None]) -> None:
        """Unload every ship, each at a berth of its own; ``then()`` once the last is empty.

        Each ship waits for a berth at the open port and unloads at the berth's rate.
        Callbacks, not a process per ship: one timeout per ship unloaded.
        """
        env, port, voyage = self.voyage.env, self.voyage.dest_port, self.voyage
        rate = port.cfg.unload_rate_per_day
        left = [len(self.ships)]

        def unload(ship: Ship) -> None:
            def unloaded(_event: simpy.Event) -> None:
                port.berths.release()
                if ship.laden:
                    voyage.deliver(ship.discharge(), ship.loaded_at)
                left[0] -= 1
                if not left[0]:
                    then()
            env.timeout(ship.volume / rate).callbacks.append(unloaded)

        self._where("at destination")
        for ship in self.ships:
            port.moor(lambda ship=ship: unload(ship))
