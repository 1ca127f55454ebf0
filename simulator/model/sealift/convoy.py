"""Convoys: assembled at the home port, they sail leg by leg, unload, and come back together.

A convoy sails when ``min_ships`` loaded ships wait, or ``max_wait_days`` after the first ship
joined, whichever is first. It takes up to ``escorts`` escorts from the fleet's pool and
returns the survivors on its way home. It moves at its slowest ship's speed. At the
destination every ship needs a berth of its own (berths are a limited resource there too), and
the convoy starts home once the last ship has unloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulator.model.sealift.interdiction import interdict

if TYPE_CHECKING:
    from simulator.model.disruption import Process
    from simulator.model.sealift.link import SeaLink
    from simulator.model.sealift.ship import Ship


class ConvoyAssembly:
    """Gathers loaded ships at the home port and sends them off as convoys."""

    def __init__(self, link: SeaLink):
        self.link = link
        self.waiting: list[Ship] = []
        self._batch = 0

    def join(self, ship: Ship) -> None:
        """A loaded ship joins; the convoy sails now if it is big enough."""
        self.waiting.append(ship)
        rule = self.link.cfg.convoy
        if len(self.waiting) >= rule.min_ships:
            self._sail()
        elif len(self.waiting) == 1:
            batch = self._batch
            timer = self.link.env.timeout(rule.max_wait_days)
            timer.callbacks.append(lambda _e: self._batch == batch and self._sail())

    def _sail(self) -> None:
        ships, self.waiting = self.waiting, []
        self._batch += 1
        fleet = self.link.fleet
        escorts = min(fleet.escorts, self.link.cfg.convoy.escorts)
        fleet.escorts -= escorts
        self.link.convoys += 1
        convoy = Convoy(self.link, self.link.convoys, ships, escorts)
        self.link.env.process(convoy.sail())


class Convoy:
    """Ships and escorts making one round trip together."""

    def __init__(self, link: SeaLink, number: int, ships: list[Ship], escorts: int):
        self.link, self.number, self.ships, self.escorts = link, number, ships, escorts
        self.rng = link.convoy_rng(number)
        self.speed_knots = min(s.speed_knots for s in ships)
        # Membership changes at once, not when the process first runs: a ship is never both
        # waiting in assembly and at sea.
        link.at_sea.add(self)
        for ship in ships:
            ship.where = f"convoy {number} outbound"

    def sail(self) -> Process:
        """SimPy process: out through the legs, unload, back through them in reverse."""
        link, env = self.link, self.link.env
        self._log("convoy_sailed", f"convoy {self.number}: {len(self.ships)} ships, "
                  f"{self.escorts} escorts", cargo=self._cargo(self.ships))
        for leg in link.cfg.legs:
            yield env.timeout(leg.distance_nm / (self.speed_knots * 24.0))
            self._cross(leg.threat_zone)
        if self.ships:
            self._log("convoy_arrived", f"convoy {self.number}: {len(self.ships)} ships",
                      cargo=self._cargo(self.ships))
            yield env.all_of([env.process(self._unload(ship)) for ship in self.ships])
        for ship in self.ships:
            ship.where = f"convoy {self.number} returning"
        self._log("convoy_returning", f"convoy {self.number}: {len(self.ships)} ships")
        for leg in reversed(link.cfg.legs):
            self._cross(leg.threat_zone)
            yield env.timeout(leg.distance_nm / (self.speed_knots * 24.0))
        link.fleet.escorts += self.escorts
        link.at_sea.discard(self)
        self._log("convoy_home", f"convoy {self.number}: {len(self.ships)} ships")
        for ship in self.ships:
            ship.where = "home port"
            ship.back_home.succeed()

    def _cross(self, zone_name: str | None) -> None:
        if zone_name is None or not self.ships:
            return
        link = self.link
        zone = link.zones[zone_name]
        sunk, escorts_lost = interdict(self.rng, zone, len(self.ships), self.escorts)
        if escorts_lost:
            self.escorts -= escorts_lost
            link.fleet.escorts_lost += escorts_lost
            link.ledger.log(link.env.now, "escorts_lost", link.name,
                            f"{escorts_lost} in {zone_name}")
        if not sunk.any():
            return
        lost = self._cargo([s for s, hit in zip(self.ships, sunk, strict=True) if hit])
        self._log("convoy_attacked", f"convoy {self.number}: {int(sunk.sum())} of "
                  f"{len(self.ships)} ships lost in {zone_name}", zone=zone_name,
                  sunk=int(sunk.sum()), escorts_lost=int(escorts_lost), cargo_lost=lost)
        survivors = []
        for ship, is_sunk in zip(self.ships, sunk, strict=True):
            if is_sunk:
                link.sink(ship, zone_name)
            else:
                survivors.append(ship)
        self.ships = survivors

    def _log(self, kind: str, detail: str, **data) -> None:
        """One event about this convoy; ``data`` repeats the facts as numbers for programs."""
        link = self.link
        link.ledger.log(link.env.now, kind, link.name, detail, convoy=self.number,
                        ships=len(self.ships), escorts=self.escorts,
                        speed_knots=self.speed_knots, **data)

    def _cargo(self, ships: list[Ship]) -> list[float]:
        """Units aboard ``ships`` per item, in the order of the result's ``items``."""
        total = sum((s.cargo for s in ships), np.zeros(self.link.ledger.n_items))
        return [float(q) for q in total]

    def _unload(self, ship: Ship) -> Process:
        """One ship: wait for a free berth at an open port, unload at the berth's rate."""
        link, env = self.link, self.link.env
        port = link.dest_port
        ship.where = f"convoy {self.number} at destination"
        request = yield from port.berth()
        yield env.timeout(ship.volume / port.cfg.unload_rate_per_day)
        port.berths.release(request)
        if ship.cargo.any():
            link._arrive(ship.cargo, ship.loaded_at)
            ship.cargo = np.zeros_like(ship.cargo)
