"""Airlift: a pool of aircraft flying sorties; fast, small and attritable.

Every ``sortie_days`` the available aircraft take what the origin holds (each up to its
payload); each sortie is lost with ``loss_prob`` together with its cargo. Cargo of the sorties
that survive lands after half the round trip. Only as many aircraft fly as there is cargo for.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.links import Link
from simulator.scenario.schema import AirLink as AirLinkConfig


class Airlift(Link):
    """An air bridge between two places."""

    kind = "air"

    def __init__(self, env, name, origin, dest, ledger, cfg: AirLinkConfig,
                 rng: np.random.Generator):
        super().__init__(env, name, origin, dest, ledger)
        self.cfg, self.rng = cfg, rng
        self.aircraft = cfg.aircraft
        self.sorties = 0
        self.aircraft_lost = 0

    @property
    def nominal_days(self) -> float:
        """Half the round trip."""
        return self.cfg.sortie_days / 2

    def start(self) -> None:
        """Start flying."""
        self.env.process(self._fly())

    def _fly(self):
        cfg, env = self.cfg, self.env
        while self.aircraft > 0:
            load = self.origin.take_cargo(self.aircraft * cfg.payload)
            volume = float(load @ self.origin.footprint)
            # At least one sortie for any cargo taken, however little: cargo handed to the
            # link must be in flight, or it would vanish from the ledger.
            flying = (min(self.aircraft, max(1, math.ceil(volume / cfg.payload - 1e-9)))
                      if load.any() else 0)
            if flying:
                self.sorties += flying
                self._depart(load)
                lost = int(self.rng.binomial(flying, cfg.loss_prob)) if cfg.loss_prob else 0
                if lost:
                    self.aircraft -= lost
                    self.aircraft_lost += lost
                    self.ledger.log(env.now, "aircraft_lost", self.name, f"{lost} of {flying}")
                    self._lose(load * (lost / flying))
                safe = load * ((flying - lost) / flying)
                if lost < flying:
                    done = env.timeout(cfg.sortie_days / 2)
                    done.callbacks.append(lambda _e, s=safe, t=env.now: self._arrive(s, t))
            yield env.timeout(cfg.sortie_days)

    def kpis(self) -> dict[str, float]:
        """Sorties and losses."""
        return {**super().kpis(), "sorties": self.sorties, "aircraft_lost": self.aircraft_lost,
                "aircraft_end": self.aircraft}
