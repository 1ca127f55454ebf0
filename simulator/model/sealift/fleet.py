"""Fleets and shipyards: ships alive, escorts available, losses and replacements.

Fleet size obeys ``initial - lost + built`` at every instant; the recorder samples it daily.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simulator.model.component import Component, WorldContext
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.references import home_port, sea_distances
from simulator.scenario.schema import Fleet as FleetConfig
from simulator.scenario.schema import Shipyard as ShipyardConfig


@register("fleets", order=30)
class Fleet(Component):
    """The ships of one owner serving one sea link, and the pool of convoy escorts.

    For other components: :meth:`draw_escorts` / :meth:`return_escorts` / :meth:`escorts_sunk`
    for convoys, :meth:`ship_sunk` for losses, :meth:`build` for shipyards and
    :meth:`on_new_ship` for whoever puts new ships to work.
    """

    kind = "fleet"
    transport_kpis = ("ships_start", "ships_lost", "ships_built", "ships_end", "ship_build_cost",
                      "escorts_lost")

    def __init__(self, ctx: WorldContext, name: str, cfg: FleetConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.escorts = cfg.escorts
        self.escorts_lost = 0
        self.lost = 0
        self.built = 0
        self.build_cost = 0.0
        self._on_new_ship: list[Callable[[str, str], None]] = []
        # Activation: each ship of a class answers the call with probability `availability`.
        rng = self.stream()
        self.activated = {name: int(rng.binomial(c.count, c.availability))
                          if c.availability < 1 else c.count
                          for name, c in cfg.classes.items()}
        self.initial = sum(self.activated.values())
        self.sizes = np.zeros(ctx.days + 1, dtype=np.int64)
        """Ships afloat at the end of each day, filled in when the size changes (no daily hook:
        every day recorded since the last change had the size before this one)."""
        self._filled = -1

    @property
    def size(self) -> int:
        """Ships afloat now."""
        return self.initial - self.lost + self.built

    def on_new_ship(self, launch: Callable[[str, str], None]) -> None:
        """Call ``launch(ship_class, ship_name)`` for every ship built from now on."""
        self._on_new_ship.append(launch)

    def build(self, ship_class: str) -> None:
        """A yard delivers a new ship.

        A fleet that serves no sea link still counts the ship (it is built and paid for).
        """
        self._fill()
        self.built += 1
        self.build_cost += self.cfg.classes[ship_class].unit_cost
        for launch in self._on_new_ship:
            launch(ship_class, f"{self.name}/{ship_class}/built{self.built}")

    def refuse_change(self, cfg: FleetConfig, scenario) -> str | None:
        """Escorts may be added mid-campaign; nothing else changes (ships come from yards)."""
        old, new = self.cfg.model_dump(), cfg.model_dump()
        changed = sorted(k for k in old if old[k] != new[k] and k != "escorts")
        if changed:
            return (f"{', '.join(changed)}: cannot change during a campaign (escorts can; "
                    "ships come from shipyards)")
        if cfg.escorts < self.cfg.escorts:
            return (f"escorts: {self.cfg.escorts} -> {cfg.escorts}: escorts can be added "
                    "during a campaign, not withdrawn")
        return None

    def reconfigure(self, cfg: FleetConfig, scenario) -> None:
        """The added escorts join the pool at once."""
        self.escorts += cfg.escorts - self.cfg.escorts
        self.cfg = cfg

    def draw_escorts(self, wanted: int) -> int:
        """Up to ``wanted`` escorts leave the pool with a convoy; how many went."""
        n = min(self.escorts, wanted)
        self.escorts -= n
        return n

    def return_escorts(self, n: int) -> None:
        """A convoy's surviving escorts are back in the pool."""
        self.escorts += n

    def escorts_sunk(self, n: int) -> None:
        """``n`` escorts were lost (they had left the pool with their convoy)."""
        self.escorts_lost += n

    def ship_sunk(self) -> None:
        """One of the fleet's ships was lost."""
        self._fill()
        self.lost += 1

    def _fill(self, through: int | None = None) -> None:
        """Days recorded since the last change (through ``through``) had today's size."""
        through = self.ctx.clock.done_through if through is None else through
        if through > self._filled:
            self.sizes[self._filled + 1:through + 1] = self.size
            self._filled = through

    def result(self, parts: ResultParts) -> None:
        """Fleet size series and the ship totals."""
        self._fill(self.ctx.days)
        parts.fleet_size[self.name] = self.sizes
        parts.add_total("ships_start", self.initial)
        parts.add_total("ships_lost", self.lost)
        parts.add_total("ships_built", self.built)
        parts.add_total("ships_end", self.size)
        parts.add_total("ship_build_cost", self.build_cost)
        parts.add_total("escorts_lost", self.escorts_lost)


@register("shipyards", order=50)
class Shipyard(Component):
    """Builds ships of one class for one fleet at a steady rate after a start delay.

    A ship is launched at the yard's place and sails, alone and at its class's speed, to the
    fleet's home port along the sea lanes (the legs of the sea links); it joins the fleet when
    it arrives (event ``ship_built``). The delivery voyage is not exposed to threat zones (yards
    deliver from the rear). A yard at the home port delivers at once.
    """

    kind = "shipyard"

    def __init__(self, ctx: WorldContext, name: str, cfg: ShipyardConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.home = home_port(ctx.scenario, cfg.fleet)
        nm = 0.0 if self.home is None else sea_distances(ctx.scenario, cfg.place)[self.home]
        speed = ctx.scenario.fleets[cfg.fleet].classes[cfg.ship_class].speed_knots
        self.delivery_days = nm / (speed * 24.0)
        """Days from launch at the yard to the fleet's home port."""

    def refuse_change(self, cfg: ShipyardConfig, scenario) -> str | None:
        """Only the rate may change mid-campaign."""
        changed = sorted(k for k, v in cfg.model_dump().items()
                         if v != self.cfg.model_dump()[k] and k != "ships_per_year")
        return f"{', '.join(changed)}: cannot change during a campaign" if changed else None

    def reconfigure(self, cfg: ShipyardConfig, scenario) -> None:
        """The next ships come at the new rate."""
        self.cfg = cfg

    def connect(self) -> None:
        """The fleet it builds for."""
        self.fleet = self.ctx.get("fleet", self.cfg.fleet)

    def start(self) -> None:
        """Start building."""
        self.env.process(self._build())

    def _build(self):
        yield self.env.timeout(self.cfg.start_day)
        while True:
            # Read each time: a decision mid-campaign may change the rate (the ship already
            # on the slipway keeps its date).
            yield self.env.timeout(365.0 / self.cfg.ships_per_year)
            if self.delivery_days > 0:
                self.ctx.log(self.env.now, "ship_launched", self.name,
                             f"{self.cfg.ship_class}, {self.delivery_days:.1f} days to "
                             f"{self.home}")
                self.env.timeout(self.delivery_days).callbacks.append(self._deliver)
            else:
                self._deliver(None)

    def _deliver(self, _event) -> None:
        self.fleet.build(self.cfg.ship_class)
        self.ctx.log(self.env.now, "ship_built", self.name, self.cfg.ship_class)
