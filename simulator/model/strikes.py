"""The enemy's strike campaign against industry and logistics: factory sites, ports, depots.

Once a day (at mid-day, so never tied with the daily record) the campaign takes its budget for
the current phase and lets :func:`simulator.model.targeting.allocate` decide what is hit:

* **sites** — every site of every factory that has started, aimed at in proportion to the
  value it makes (site rate x unit cost); a hit takes ``damage_share`` of that site's capacity
  for ``repair_days`` (hits on a damaged site compound: ``(1 - h)^k`` of it is left). The
  factory's production is capped at the mean of its sites' remaining shares
  (:meth:`Factory.limit`, source ``strikes``; sites out for other causes combine with it as if
  independent);
* **ports** — every port in reach, aimed at equally; a hit closes it for ``port_closure_days``
  and destroys ``destroy_share`` of the stock waiting there;
* **depots** — every place in reach that holds stock, aimed at in proportion to the value
  stocked; a hit destroys ``destroy_share`` of it (the ledger's ``destroyed`` account).

Reach and defences come from ``strikes.places``; a site's signature from its factory's
``signature``, a port's is 1 (a port cannot hide), a depot's is the value-weighted signature of the
items in it. The campaign draws from its own stream, so it never changes another component's
random numbers. Ships at berth are not targets (yet): a port hit stops their loading instead.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.component import Component, WorldContext
from simulator.model.factory import rate
from simulator.model.registry import register
from simulator.model.targeting import Target, TargetArrays
from simulator.results import ResultParts
from simulator.scenario.industry import StrikeCampaign as StrikeConfig


@register("strikes", order=80,
          select=lambda sc: {"enemy": sc.strikes} if sc.strikes is not None else {})
class StrikeCampaign(Component):
    """The enemy's daily strikes; hits damage sites, close ports, destroy stock."""

    kind = "strike_campaign"

    def __init__(self, ctx: WorldContext, name: str, cfg: StrikeConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.hits: dict[str, int] = {}
        self.strikes_flown = 0
        self.destroyed_value = 0.0
        sc = ctx.scenario
        self._unit_cost = np.array([sc.items[i].unit_cost for i in ctx.items])
        self._signature = np.array([sc.items[i].signature for i in ctx.items])

    def connect(self) -> None:
        """The factories, ports and places in reach, and the fixed part of every target."""
        cfg = self.cfg
        reach = cfg.places
        focus = cfg.focus_factories
        self.factories = [f for f in self.ctx.all("factory") if f.cfg.place in reach
                          and (focus is None or f.name in focus)]
        self.ports = [p for p in self.ctx.all("port") if p.name in reach]
        self.depots = [self.ctx.places[n] for n in reach]
        self._damage = {f.name: [[] for _ in range(f.cfg.sites)] for f in self.factories}
        targets, self._acts = [], []
        for f in self.factories:
            where = reach[f.cfg.place]
            for i in range(f.cfg.sites):
                targets.append(Target(f"{f.name}#{i}", "sites", 1.0, where.exposure,
                                      f.cfg.signature, where.defence))
                self._acts.append(("site", f, i))
        for p in self.ports:
            where = reach[p.name]
            targets.append(Target(p.name, "ports", 1.0, where.exposure, 1.0, where.defence))
            self._acts.append(("port", p))
        for place in self.depots:
            where = reach[place.name]
            # signature 1 here; the stocked items' signature multiplies in daily (see _update)
            targets.append(Target(place.name, "depots", 0.0, where.exposure, 1.0,
                                  where.defence))
            self._acts.append(("depot", place))
        self.names = [t.name for t in targets]
        self.arrays = TargetArrays.of(targets)
        self._q_fixed = self.arrays.q.copy()
        n_sites = sum(f.cfg.sites for f in self.factories)
        self._first_depot = n_sites + len(self.ports)
        self._depot_index = [place.index for place in self.depots]

    def start(self) -> None:
        """One salvo a day from day 0."""
        self.env.process(self._campaign())

    def _budget(self, day: float) -> int:
        per_day = 0
        for phase in self.cfg.budget:
            if phase.start_day <= day:
                per_day = phase.per_day
        return per_day

    def _update(self) -> None:
        """Today's sizes (site value made, depot value stocked) and depot signatures.

        Depots are aimed at by the stock of their last record (at most half a day old), not
        settled for the purpose: aiming needs the picture, not the exact count.
        """
        a, now, k = self.arrays, self.env.now, 0
        for f in self.factories:
            n = f.cfg.sites
            a.size[k:k + n] = rate(f.cfg, now) / n * self._unit_cost[f.item]
            k += n
        if self.depots:
            stock = np.maximum(self.ctx.ledger.stock[self._depot_index], 0.0)
            value_by_item = stock * self._unit_cost
            value = value_by_item.sum(axis=1)
            sig = np.divide(value_by_item @ self._signature, value, out=np.zeros_like(value),
                            where=value > 0)
            d = slice(self._first_depot, self._first_depot + len(self.depots))
            a.size[d] = value
            a.q[d] = self._q_fixed[d] * sig

    def _campaign(self):
        yield self.env.timeout(0.5)
        rng = self.stream()
        while True:
            strikes = self._budget(self.env.now)
            if strikes:
                self._update()
                hits = self.arrays.allocate(rng, strikes, self.cfg.split)
                self.strikes_flown += strikes
                for k in np.flatnonzero(hits):
                    name = self.names[k]
                    self.hits[name] = self.hits.get(name, 0) + int(hits[k])
                    for _ in range(int(hits[k])):
                        self._hit(self._acts[k], name)
            yield self.env.timeout(1.0)

    def _hit(self, act: tuple, name: str) -> None:
        """Apply one hit.

        Events: ``strike_damage_start``/``_end`` (subject the factory, detail the site) while a
        hit's damage lasts, ``stock_destroyed`` at a port or depot.
        """
        if act[0] == "site":
            _, factory, site = act
            self.ctx.log(self.env.now, "strike_damage_start", factory.name, name)
            self._damage[factory.name][site].append(self.cfg.damage_share)
            self._apply(factory)
            self.env.timeout(self.cfg.repair_days).callbacks.append(
                lambda _e, f=factory, s=site: self._repair(f, s))
        elif act[0] == "port":
            port = act[1]
            port.switch.close()
            self.env.timeout(self.cfg.port_closure_days).callbacks.append(
                lambda _e, p=port: p.switch.reopen())
            self._destroy(port.place)
        else:
            self._destroy(act[1])

    def _repair(self, factory, site: int) -> None:
        self.ctx.log(self.env.now, "strike_damage_end", factory.name, f"{factory.name}#{site}")
        self._damage[factory.name][site].pop(0)
        self._apply(factory)

    def _apply(self, factory) -> None:
        left = [math.prod(1.0 - h for h in site) for site in self._damage[factory.name]]
        factory.limit("strikes", sum(left) / len(left))

    def _destroy(self, place) -> None:
        place.settle()
        qty = np.maximum(place.stock, 0.0) * self.cfg.destroy_share
        if qty.any():
            self.ctx.log(self.env.now, "stock_destroyed", place.name, f"{qty.sum():.0f} units")
            self.ctx.ledger.destroy(place.index, qty)
            self.destroyed_value += float(qty @ self._unit_cost)

    def result(self, parts: ResultParts) -> None:
        """Strikes flown, hits per target, value destroyed in stock."""
        parts.sections["strikes"] = {"strikes_flown": self.strikes_flown,
                                     "hits": dict(sorted(self.hits.items())),
                                     "destroyed_value": self.destroyed_value}
