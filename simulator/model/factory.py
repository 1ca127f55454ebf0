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
    """Units a fully available factory has made from day 0 to day ``t`` (exact).

    >>> from simulator.scenario.schema import Factory as Config
    >>> plant = Config(item="shell", place="us", capacity_per_day=100, start_rate_per_day=50,
    ...                ramp_days=10, start_day=5)
    >>> cumulative_output(plant, 5), cumulative_output(plant, 15)  # ramp: 75/day on average
    (0.0, 750.0)
    >>> cumulative_output(plant, 25)                                 # then full rate
    1750.0
    """
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


def rate(cfg: FactoryConfig, t: float) -> float:
    """Nominal units/day of a fully available factory at day ``t`` (the derivative above)."""
    if t < cfg.start_day:
        return 0.0
    cap = cfg.capacity_per_day
    r0 = cap if cfg.start_rate_per_day is None else cfg.start_rate_per_day
    if cfg.ramp_days <= 0 or t - cfg.start_day >= cfg.ramp_days:
        return cap
    return r0 + (cap - r0) * (t - cfg.start_day) / cfg.ramp_days


class Factory:
    """One production node; ``settle`` moves what it made since last time into the ledger.

    Each site keeps its own count of the interruptions affecting it: a scheduled outage of
    ``k`` sites takes sites ``0..k-1``, site ``i``'s random failures take site ``i``, and a
    site is back when every interruption affecting it has ended. So a random failure of a site
    already out for a scheduled outage removes nothing more.
    """

    def __init__(self, env: simpy.Environment, name: str, cfg: FactoryConfig, item: int,
                 place: int, ledger: Ledger, rng: np.random.Generator):
        self.env, self.name, self.cfg = env, name, cfg
        self.item, self.place, self.ledger = item, place, ledger
        self._site_down = [0] * cfg.sites
        self.sites_down = 0
        self.made = 0.0
        self._last = 0.0
        self._cum_last = 0.0
        for outage in cfg.outages:
            sites = range(outage.sites or cfg.sites)
            scheduled(env, [outage], lambda s=sites: self._change(s, +1, "outage_start"),
                      lambda s=sites: self._change(s, -1, "outage_end"))
        if cfg.mtbf_days is not None:
            for i in range(cfg.sites):
                env.process(random_failures(env, rng, cfg.mtbf_days, cfg.mttr_days,
                                            lambda i=i: self._change((i,), +1,
                                                                     "site_outage_start"),
                                            lambda i=i: self._change((i,), -1,
                                                                     "site_outage_end")))

    @property
    def up_fraction(self) -> float:
        """Share of capacity available now."""
        return (self.cfg.sites - self.sites_down) / self.cfg.sites

    @property
    def rate_now(self) -> float:
        """Units/day the factory makes at this instant (ramp and sites down included)."""
        return rate(self.cfg, self.env.now) * self.up_fraction

    def settle(self) -> None:
        """Move output made since the last settlement into the place's stock."""
        now = self.env.now
        if now == self._last:
            return  # places settle on every read; most reads come at an instant already settled
        cum = cumulative_output(self.cfg, now)
        made = cum - self._cum_last
        self._last, self._cum_last = now, cum
        if made > 0.0 and self.sites_down < self.cfg.sites:
            made *= self.up_fraction
            self.made += made
            self.ledger.produce(self.place, self.item, made)

    def _change(self, sites, delta: int, kind: str) -> None:
        self.settle()
        down = self._site_down
        for i in sites:
            down[i] += delta
        self.sites_down = sum(1 for d in down if d)
        self.ledger.log(self.env.now, kind, self.name,
                        f"{self.cfg.sites - self.sites_down}/{self.cfg.sites} sites up")
