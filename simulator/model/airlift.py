"""Airlift: a pool of aircraft flying sorties; fast, small and attritable.

Every ``sortie_days`` the available aircraft take what the origin holds (each up to its
payload); each sortie is lost with ``loss_prob`` together with its cargo. Cargo of the sorties
that survive lands after half the round trip. Only as many aircraft fly as there is cargo for.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.component import WorldContext
from simulator.model.links import Link, Shipments
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

    @property
    def nominal_days(self) -> float:
        """Half the round trip."""
        return self.cfg.sortie_days / 2

    def carry(self) -> None:
        """Start flying."""
        self.env.process(self._fly())

    def carried(self) -> np.ndarray:
        """Cargo aboard aircraft in the air."""
        return self.on_the_way.total()

    def _fly(self):
        cfg, env, rng = self.cfg, self.env, self.stream()
        footprint = self.origin.footprint
        while self.aircraft > 0:
            load = self.take(self.aircraft * cfg.payload)
            volume = float(load @ footprint)
            # At least one sortie for any cargo taken, however little: cargo handed to the
            # link must be in flight, or it would vanish from the ledger.
            flying = (min(self.aircraft, max(1, math.ceil(volume / cfg.payload - 1e-9)))
                      if load.any() else 0)
            if flying:
                self.sorties += flying
                lost = int(rng.binomial(flying, cfg.loss_prob)) if cfg.loss_prob else 0
                if lost:
                    self.aircraft -= lost
                    self.aircraft_lost += lost
                    self.ctx.log(env.now, "aircraft_lost", self.name, f"{lost} of {flying}")
                    self.lose(load * (lost / flying))
                if lost < flying:
                    self.on_the_way.send(load * ((flying - lost) / flying), cfg.sortie_days / 2,
                                         lost=False)
            yield env.timeout(cfg.sortie_days)

    def kpis(self) -> dict[str, float]:
        """Sorties and losses."""
        return {**super().kpis(), "sorties": self.sorties, "aircraft_lost": self.aircraft_lost,
                "aircraft_end": self.aircraft}

    def result(self, parts: ResultParts) -> None:
        """The link's row, and its sorties and aircraft lost in the transport totals."""
        super().result(parts)
        parts.add_total("sorties", self.sorties)
        parts.add_total("aircraft_lost", self.aircraft_lost)
