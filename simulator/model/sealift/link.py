"""The sea link: a fleet's ships shuttling in convoys between a home port and a destination."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulator.model.links import Link
from simulator.model.sealift.convoy import Convoy, ConvoyAssembly
from simulator.model.sealift.fleet import Fleet
from simulator.model.sealift.port import Port
from simulator.model.sealift.ship import Ship
from simulator.scenario.schema import SeaLink as SeaLinkConfig
from simulator.scenario.schema import ThreatZone


class SeaLink(Link):
    """Sealift over a route of legs, some through threat zones."""

    kind = "sea"

    def __init__(self, env, name, origin, dest, ledger, cfg: SeaLinkConfig, fleet: Fleet,
                 home_port: Port, dest_port: Port, zones: dict[str, ThreatZone],
                 convoy_rng: Callable[[int], np.random.Generator]):
        super().__init__(env, name, origin, dest, ledger)
        self.cfg, self.fleet, self.zones = cfg, fleet, zones
        # Convoy k draws from its own stream, so the k-th convoy meets the same fortune in two
        # postures even when their convoys sail at different times (stream synchronisation).
        self.convoy_rng = convoy_rng
        self.home_port, self.dest_port = home_port, dest_port
        fleet.link = self
        self.assembly = ConvoyAssembly(self)
        self.convoys = 0
        self.ships: list[Ship] = []
        self.at_sea: set[Convoy] = set()
        self.started = False
        self.add_initial_ships()

    @property
    def nominal_days(self) -> float:
        """Sailing time at the speed of the fleet's slowest class."""
        speed = min(c.speed_knots for c in self.fleet.cfg.classes.values())
        return sum(leg.distance_nm for leg in self.cfg.legs) / (speed * 24.0)

    def start(self) -> None:
        """Put the activated ships (and any already built) to work."""
        self.started = True
        for ship in self.ships:
            self.env.process(ship.voyage())

    def add_initial_ships(self) -> None:
        """Create the fleet's activated ships; they sail only once the link is started."""
        for cls, count in self.fleet.activated.items():
            for i in range(count):
                self.launch(cls, f"{self.fleet.name}/{cls}/{i + 1}")

    def launch(self, ship_class: str, name: str) -> None:
        """Add one ship at the home port; it starts its cycle if the link carries goods.

        A link that routing left idle keeps its ships (they count in the fleet) in port.
        """
        c = self.fleet.cfg.classes[ship_class]
        ship = Ship(self, name, c.cargo_capacity, c.speed_knots)
        self.ships.append(ship)
        if self.started:
            self.env.process(ship.voyage())

    def sink(self, ship: Ship, zone: str) -> None:
        """A ship is lost with whatever it carries."""
        ship.afloat = False
        ship.where = "sunk"
        if ship.cargo.any():
            self._lose(ship.cargo)
            ship.cargo = np.zeros_like(ship.cargo)
        self.fleet.lost += 1
        self.ledger.log(self.env.now, "ship_sunk", ship.name, zone)

    def kpis(self) -> dict[str, float]:
        """Convoys, losses and port waiting."""
        return {**super().kpis(), "convoys": self.convoys, "ships_lost": self.fleet.lost,
                "ships_built": self.fleet.built, "fleet_end": self.fleet.size,
                "escorts_lost": self.fleet.escorts_lost,
                "port_wait_days": self.home_port.mean_wait_days}
