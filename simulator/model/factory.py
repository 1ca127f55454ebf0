"""Factories: output that ramps up over months, split over dispersed sites that fail and recover.

A factory is not woken every day. Its nominal rate is a closed-form function of time (linear
ramp from the start rate to surge capacity), so output between two instants is an exact integral;
it is *settled* into the place's stock only when something changes (a site fails or returns) or
someone reads the stock (a ship loading, the daily recorder). A strike on one site removes only
that site's share of capacity: dispersion limits what one shock takes.
"""

from __future__ import annotations

import numpy as np
import simpy

from simulator.ledger import Ledger
from simulator.model.disruption import random_failures, scheduled
from simulator.scenario.schema import Factory as FactoryConfig


def cumulative_output(cfg: FactoryConfig, t: float) -> float:
    """Units a fully available factory has made from day 0 to day ``t`` (exact)."""
    start = cfg.start_day
    if t <= start:
        return 0.0
    cap = cfg.capacity_per_day
    r0 = cap if cfg.start_rate_per_day is None else cfg.start_rate_per_day
    ramp = cfg.ramp_days
    elapsed = t - start
    if ramp <= 0 or r0 >= cap:
        return cap * elapsed
    if elapsed <= ramp:
        return r0 * elapsed + 0.5 * (cap - r0) * elapsed * elapsed / ramp
    return 0.5 * (r0 + cap) * ramp + cap * (elapsed - ramp)


class Factory:
    """One production node; ``settle`` moves what it made since last time into the ledger."""

    def __init__(self, env: simpy.Environment, name: str, cfg: FactoryConfig, item: int,
                 place: int, ledger: Ledger, rng: np.random.Generator):
        self.env, self.name, self.cfg = env, name, cfg
        self.item, self.place, self.ledger = item, place, ledger
        self.sites_down = 0
        self.made = 0.0
        self._last = 0.0
        for outage in cfg.outages:
            k = outage.sites or cfg.sites
            scheduled(env, [outage], lambda k=k: self._change(+k, "outage_start"),
                      lambda k=k: self._change(-k, "outage_end"))
        if cfg.mtbf_days is not None:
            for _ in range(cfg.sites):
                env.process(random_failures(env, rng, cfg.mtbf_days, cfg.mttr_days,
                                            lambda: self._change(+1, "site_outage_start"),
                                            lambda: self._change(-1, "site_outage_end")))

    @property
    def up_fraction(self) -> float:
        """Share of capacity available now."""
        return max(0, self.cfg.sites - self.sites_down) / self.cfg.sites

    def settle(self) -> None:
        """Move output made since the last settlement into the place's stock."""
        now = self.env.now
        made = (cumulative_output(self.cfg, now) - cumulative_output(self.cfg, self._last))
        self._last = now
        if made > 0.0 and self.sites_down < self.cfg.sites:
            made *= self.up_fraction
            self.made += made
            self.ledger.produce(self.place, self.item, made)

    def _change(self, delta: int, kind: str) -> None:
        self.settle()
        self.sites_down += delta
        self.ledger.log(self.env.now, kind, self.name,
                        f"{max(0, self.cfg.sites - self.sites_down)}/{self.cfg.sites} sites up")
