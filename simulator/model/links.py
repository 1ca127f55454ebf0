"""Transport links: the one interface every mode implements, and the daily (simple/land) link.

A link draws loads from its origin place's stock, keeps them *in transit* while they move and
either delivers them to the destination's stock or loses them. Sealift (:mod:`.sealift`) and
airlift (:mod:`.airlift`) implement the same interface. ``nominal_days`` is what routing uses
to prefer the fastest way to the theatre.
"""

from __future__ import annotations

import numpy as np
import simpy

from simulator.ledger import Ledger
from simulator.model.disruption import Switch
from simulator.model.place import Place
from simulator.scenario.schema import DailyLink as DailyLinkConfig


class Link:
    """Common bookkeeping: cargo in flight, deliveries, losses and transit times."""

    kind = "link"

    def __init__(self, env: simpy.Environment, name: str, origin: Place, dest: Place,
                 ledger: Ledger):
        self.env, self.name, self.origin, self.dest, self.ledger = env, name, origin, dest, ledger
        n = ledger.n_items
        self.in_flight = np.zeros(n)
        self.delivered = np.zeros(n)
        self.lost = np.zeros(n)
        self._transit_weighted = 0.0
        self._delivered_volume = 0.0

    @property
    def nominal_days(self) -> float:
        """Expected door-to-door days for one load, used to rank routes."""
        raise NotImplementedError

    def start(self) -> None:
        """Register the link's SimPy processes."""
        raise NotImplementedError

    def _depart(self, load: np.ndarray) -> None:
        self.in_flight += load

    def _arrive(self, load: np.ndarray, departed: float) -> None:
        self.in_flight -= load
        self.delivered += load
        self.ledger.arrive(self.dest.index, load)
        volume = float(load @ self.origin.footprint)
        self._transit_weighted += volume * (self.env.now - departed)
        self._delivered_volume += volume

    def _lose(self, load: np.ndarray) -> None:
        self.in_flight -= load
        self.lost += load
        self.ledger.lose(load)

    @property
    def mean_transit_days(self) -> float:
        """Cargo-weighted mean days from loading to delivery (NaN before any delivery)."""
        if self._delivered_volume <= 0:
            return float("nan")
        return self._transit_weighted / self._delivered_volume

    def kpis(self) -> dict[str, float]:
        """Per-link figures for the summary."""
        return {"mean_transit_days": self.mean_transit_days}


class DailyLink(Link):
    """One shipment a day up to capacity; a shipment is lost whole with ``loss_prob``.

    Used for the ``simple`` link and for ``land`` links (rail/road), whose strikes cut dispatch
    for a while; cargo already on its way still arrives.
    """

    def __init__(self, env, name, origin, dest, ledger, cfg: DailyLinkConfig,
                 rng: np.random.Generator, cut_rng: np.random.Generator):
        super().__init__(env, name, origin, dest, ledger)
        self.cfg, self.rng = cfg, rng
        self.kind = cfg.kind
        # Cuts draw from their own stream, so how much cargo moved never shifts when strikes land.
        self.switch = Switch(env, name, ledger.log, cut_rng, cfg.cuts, "link_cut")
        self.shipments = 0

    @property
    def nominal_days(self) -> float:
        """Transit time."""
        return self.cfg.transit_days

    def start(self) -> None:
        """Dispatch every day from day 0."""
        self.env.process(self._dispatch())

    def _dispatch(self):
        cfg, env = self.cfg, self.env
        p, random = cfg.loss_prob, self.rng.random
        while True:
            if self.switch.is_open:
                # One draw per open day, cargo or not: day d's draw always decides day d's
                # shipment, whatever other factories feed the link (synchronised streams).
                lost = p > 0.0 and random() < p
                load = self.origin.take_cargo(cfg.capacity_per_day)
                if load.any():
                    self.shipments += 1
                    self._depart(load)
                    done = env.timeout(cfg.transit_days)
                    done.callbacks.append(self._finisher(load, env.now, lost))
            yield env.timeout(1.0)

    def _finisher(self, load: np.ndarray, departed: float, lost: bool):
        def finish(_event) -> None:
            if lost:
                self._lose(load)
            else:
                self._arrive(load, departed)
        return finish

    def kpis(self) -> dict[str, float]:
        """Shipments and transit time."""
        return {**super().kpis(), "shipments": self.shipments}
