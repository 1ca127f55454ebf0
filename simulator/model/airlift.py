"""Airlift: a pool of aircraft flying sorties; fast, small and attritable.

Every ``sortie_days`` the available aircraft take what the origin holds (each up to its
payload); each sortie is lost with ``loss_prob`` together with its cargo. Cargo of the sorties
that survive lands after half the round trip. Only as many aircraft fly as there is cargo for.
"""

from __future__ import annotations

import math

from simulator.model.clock import DISPATCH
from simulator.model.component import WorldContext
from simulator.model.links import Link, Load, Shipments
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import AirLink as AirLinkConfig


@register("links", tag="air", order=40)
class Airlift(Link):
    """An air bridge between two places."""

    transport_kpis = ("sorties", "aircraft_lost")

    def __init__(self, ctx: WorldContext, name: str, cfg: AirLinkConfig):
        super().__init__(ctx, name, cfg)
        self.aircraft = cfg.aircraft
        self.sorties = 0
        self.aircraft_lost = 0

    def connect(self) -> None:
        """Sorties in the air, counted where the books read them."""
        self.on_the_way = Shipments(self)
        self._rng = self.stream()

    @property
    def nominal_days(self) -> float:
        """Half the round trip."""
        return self.cfg.sortie_days / 2

    def carry(self) -> None:
        """Start flying: a chore of the daily clock when sorties take whole days."""
        days = self.cfg.sortie_days
        if float(days).is_integer() and days >= 1:
            self.ctx.clock.every_day(lambda _day: self._sortie(), DISPATCH, every=int(days))
        else:
            self.env.process(self._fly())

    def carried(self) -> Load:
        """Cargo aboard aircraft in the air."""
        return self.on_the_way.total()

    def _fly(self):
        while self.aircraft > 0:
            self._sortie()
            yield self.env.timeout(self.cfg.sortie_days)

    def _sortie(self) -> None:
        """The aircraft available take what the origin holds, each up to its payload."""
        if self.aircraft <= 0:
            return
        cfg = self.cfg
        load = self.take(self.aircraft * cfg.payload)
        if not any(load):
            return
        volume = self.origin.volume(load)
        # At least one sortie for any cargo taken, however little: cargo handed to the link
        # must be in flight, or it would vanish from the ledger.
        flying = min(self.aircraft, max(1, math.ceil(volume / cfg.payload - 1e-9)))
        self.sorties += flying
        lost = int(self._rng.binomial(flying, cfg.loss_prob)) if cfg.loss_prob else 0
        if lost:
            self.aircraft -= lost
            self.aircraft_lost += lost
            self.ctx.log(self.env.now, "aircraft_lost", self.name, f"{lost} of {flying}")
            self.lose([q * (lost / flying) for q in load])
        if lost < flying:
            self.on_the_way.send([q * ((flying - lost) / flying) for q in load],
                                 cfg.sortie_days / 2, lost=False)

    def kpis(self) -> dict[str, float]:
        """Sorties and losses."""
        return {**super().kpis(), "sorties": self.sorties, "aircraft_lost": self.aircraft_lost,
                "aircraft_end": self.aircraft}

    def result(self, parts: ResultParts) -> None:
        """The link's row, and its sorties and aircraft lost in the transport totals."""
        super().result(parts)
        parts.add_total("sorties", self.sorties)
        parts.add_total("aircraft_lost", self.aircraft_lost)
