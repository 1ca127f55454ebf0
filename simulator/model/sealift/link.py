"""The sea link: a fleet's ships shuttling in convoys between a home port and a destination."""

from __future__ import annotations

from simulator.model.component import WorldContext
from simulator.model.links import Link, Load
from simulator.model.registry import register
from simulator.model.sealift.capabilities import Holds
from simulator.model.sealift.convoy import ConvoyAssembly, Leg, Voyage
from simulator.model.sealift.ship import Duty, Ship
from simulator.results import ResultParts
from simulator.scenario.schema import SeaLink as SeaLinkConfig


@register("links", tag="sea", order=40)
class SeaLink(Link):
    """Sealift over a route of legs, some through threat zones."""

    transport_kpis = ("convoys",)
    reads = ("threat_zones",)
    changeable_convoy = ("min_ships", "max_wait_days", "escorts")
    """Convoy rules a decision may change mid-campaign (the loading deadline is the ships')."""

    def __init__(self, ctx: WorldContext, name: str, cfg: SeaLinkConfig):
        super().__init__(ctx, name, cfg)
        self.holds = Holds(ctx.ledger.n_items)
        self.ships: list[Ship] = []
        self._carrying = False

    def connect(self) -> None:
        """Find the fleet and both ports; put the fleet's activated ships in the home port."""
        ctx, cfg = self.ctx, self.cfg
        self._count = ctx.ledger.carried_count(self.index)
        self.fleet = ctx.get("fleet", cfg.fleet)
        self.home_port, self.dest_port = ctx.get("port", cfg.from_), ctx.get("port", cfg.to)
        legs = self._legs(ctx.scenario)
        # Convoy k's j-th zone crossing draws from its own sub-stream, so the k-th convoy meets
        # the same fortune in two postures even when their convoys sail at different times
        # (stream synchronisation), without building a generator per convoy.
        # Late-bound, so a probe wrapping ``deliver`` or ``ship_lost`` sees every call.
        voyage = Voyage(self.env, self.name, legs, self.dest_port, self.fleet,
                        lambda load, since: self.deliver(load, since),
                        lambda ship, zone, cargo: self.ship_lost(ship, zone, cargo),
                        self.numbered_streams("convoys").draws, ctx.log)
        self.assembly = ConvoyAssembly(voyage, cfg.convoy)
        rule = cfg.convoy
        origin = self.origin
        self.duty = Duty(self.env, self.home_port, self.take,
                         lambda ship: self.assembly.join(ship),
                         rule.max_wait_days if rule.max_loading_days is None
                         else rule.max_loading_days,
                         origin.inflow_volume_per_day, origin.stock_volume, origin.arrival,
                         lambda: origin.news)
        for cls, count in self.fleet.activated.items():
            for i in range(count):
                self.launch(cls, f"{self.fleet.name}/{cls}/{i + 1}")
        self.fleet.on_new_ship(self.launch)

    def _legs(self, scenario) -> list[Leg]:
        zones = scenario.threat_zones
        return [Leg(leg.distance_nm, leg.threat_zone,
                    zones[leg.threat_zone] if leg.threat_zone else None) for leg in self.cfg.legs]

    def refuse_change(self, cfg: SeaLinkConfig, scenario) -> str | None:
        """Threat zones and the convoy rules in :attr:`changeable_convoy` may change."""
        old, new = self.cfg.model_dump(), cfg.model_dump()
        old_rule, new_rule = old.pop("convoy"), new.pop("convoy")
        if old != new:
            keys = sorted(k for k in old if old[k] != new[k])
            return (f"{', '.join(keys)}: cannot change during a campaign (convoy."
                    f"{', convoy.'.join(self.changeable_convoy)} and threat zones can)")
        fixed = sorted(k for k in old_rule if old_rule[k] != new_rule[k]
                       and k not in self.changeable_convoy)
        if fixed:
            return (f"convoy.{', convoy.'.join(fixed)}: cannot change during a campaign "
                    f"(convoy.{', convoy.'.join(self.changeable_convoy)} can)")
        return None

    def reconfigure(self, cfg: SeaLinkConfig, scenario) -> None:
        """New convoy rules and threats from now on.

        The rules apply to convoys formed from now on; the threats to every crossing from now
        on, convoys already at sea included.
        """
        self.cfg = cfg
        self.assembly.rule = cfg.convoy
        self.assembly.voyage.legs[:] = self._legs(scenario)
        # The loading deadline defaults to max_wait_days, which may have changed.
        rule = cfg.convoy
        self.duty.max_loading_days = (rule.max_wait_days if rule.max_loading_days is None
                                      else rule.max_loading_days)

    @property
    def nominal_days(self) -> float:
        """Sailing time at the speed of the fleet's slowest class."""
        speed = min(c.speed_knots for c in self.ctx.scenario.fleets[self.cfg.fleet]
                    .classes.values())
        return sum(leg.distance_nm for leg in self.cfg.legs) / (speed * 24.0)

    def carry(self) -> None:
        """Put the activated ships (and any already built) to work."""
        self._carrying = True
        for ship in self.ships:
            self.env.process(ship.voyage())

    def launch(self, ship_class: str, name: str) -> None:
        """Add one ship at the home port; it starts its cycle if the link carries goods.

        A link that routing left idle keeps its ships (they count in the fleet) in port.
        """
        c = self.fleet.cfg.classes[ship_class]
        ship = Ship(name=name, holds=self.holds, capacity=c.cargo_capacity,
                    footprint=self.origin.footprint, speed_knots=c.speed_knots, duty=self.duty)
        self.ships.append(ship)
        if self._carrying:
            self.env.process(ship.voyage())

    def ship_lost(self, ship: Ship, zone: str, cargo: Load) -> None:
        """A ship was sunk in ``zone`` with ``cargo`` aboard: book both losses."""
        if any(cargo):
            self.lose(cargo)
        self.fleet.ship_sunk()
        self.ctx.log(self.env.now, "ship_sunk", ship.name, zone)

    def carried(self) -> Load:
        """Cargo in the holds of every ship (loading, waiting, at sea)."""
        return self.holds.total()

    def record(self, day: int) -> None:
        """Count the cargo in the holds for the books (a physical count, once a day).

        Skipped on a day no hold was stowed or discharged (over half the days: the count would
        be the last one), but never for a week, so that cargo vanishing from a hold by some
        other way is still caught within days.
        """
        holds = self.holds
        if self.active and (holds.dirty or day % 7 == 0):
            self._count[:] = holds.total()
            holds.dirty = False

    @property
    def convoys(self) -> int:
        """Convoys sent so far."""
        return self.assembly.convoys

    @property
    def at_sea(self) -> set:
        """Convoys at sea now."""
        return self.assembly.at_sea

    def kpis(self) -> dict[str, float]:
        """Convoys, losses and port waiting."""
        return {**super().kpis(), "convoys": self.convoys, "ships_lost": self.fleet.lost,
                "ships_built": self.fleet.built, "fleet_end": self.fleet.size,
                "escorts_lost": self.fleet.escorts_lost,
                "port_wait_days": self.home_port.mean_wait_days}

    def result(self, parts: ResultParts) -> None:
        """The link's row and its convoys in the transport totals."""
        super().result(parts)
        parts.add_total("convoys", self.convoys)
