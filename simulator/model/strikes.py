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
from functools import partial

from simulator.model.component import Component, WorldContext
from simulator.model.factory import rate
from simulator.model.registry import register
from simulator.model.targeting import class_hits, divide
from simulator.model.uniforms import Uniforms
from simulator.results import ResultParts
from simulator.scenario.industry import StrikeCampaign as StrikeConfig


@register("strikes", order=80,
          select=lambda sc: {"enemy": sc.strikes} if sc.strikes is not None else {})
class StrikeCampaign(Component):
    """The enemy's daily strikes; hits damage sites, close ports, destroy stock.

    Why plain floats and lists: a salvo is a few strikes at a few dozen targets, once a day, and
    NumPy's cost per call dwarfs that arithmetic. The targets of a class are kept as two lists,
    their sizes in reach and their sizes times hit probability (``aimed``), and each class's
    hits are drawn by :func:`~simulator.model.targeting.class_hits`. A factory's sites are equal
    (same share of its rate, same place, same signature), so they are aimed at as one target,
    and a hit on the factory lands on one of its sites at random: the same law as aiming at each.
    """

    kind = "strike_campaign"

    def __init__(self, ctx: WorldContext, name: str, cfg: StrikeConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.hits: dict[str, int] = {}
        self.strikes_flown = 0
        self.destroyed_value = 0.0
        sc = ctx.scenario
        self._unit_cost = [sc.items[i].unit_cost for i in ctx.items]
        self._cost_sig = [sc.items[i].unit_cost * sc.items[i].signature for i in ctx.items]

    def connect(self) -> None:
        """The factories, ports and places in reach, and the fixed part of every target."""
        cfg = self.cfg
        reach = cfg.places
        focus = cfg.focus_factories
        self.factories = [f for f in self.ctx.all("factory") if f.cfg.place in reach
                          and (focus is None or f.name in focus)]
        self.ports = [p for p in self.ctx.all("port") if p.name in reach]
        self.depots = [self.ctx.places[n] for n in reach]
        # sites: per factory, value made a day in reach (daily) and its hit probability
        self._site_names = [[f"{f.name}#{i}" for i in range(f.cfg.sites)]
                            for f in self.factories]
        self._damage = [[[] for _ in range(f.cfg.sites)] for f in self.factories]
        """Per factory and site, ``1 - damage_share`` of each hit not yet repaired."""
        self._left = [[1.0] * f.cfg.sites for f in self.factories]
        self._site_cost = [self._unit_cost[f.item] if reach[f.cfg.place].exposure > 0 else 0.0
                           for f in self.factories]
        self._site_q = [_hit_prob(reach[f.cfg.place], f.cfg.signature) for f in self.factories]
        self._site_size = [0.0] * len(self.factories)
        self._site_aimed = [0.0] * len(self.factories)
        self._sites_total = self._sites_aimed_total = 0.0
        self._ramped_at = max((_ramped_at(f.cfg) for f in self.factories), default=0.0)
        """From then on every factory's rate, and so every site's size, stays as it is."""
        self._sites_at = -math.inf
        # ports: all the same size, aimed at equally
        self._port_size = [1.0 if reach[p.name].exposure > 0 else 0.0 for p in self.ports]
        self._port_aimed = [w * _hit_prob(reach[p.name], 1.0)
                            for w, p in zip(self._port_size, self.ports, strict=True)]
        self._ports_total, self._ports_aimed_total = sum(self._port_size), sum(self._port_aimed)
        # depots: value stocked and aimed value (the items' signatures weigh in) of those in reach
        self._depots_reached = [(k, place.index, _hit_prob(reach[place.name], 1.0))
                                for k, place in enumerate(self.depots)
                                if reach[place.name].exposure > 0 and cfg.split.get("depots")]
        self._depot_size = [0.0] * len(self.depots)
        self._depot_aimed = [0.0] * len(self.depots)
        self._phase, self._per_day = 0, 0
        self._split: dict[tuple, dict[str, int]] = {}

    def start(self) -> None:
        """One salvo a day from day 0, at mid-day."""
        self._u = Uniforms(self.stream())
        self.env.timeout(0.5).callbacks.append(self._salvo)

    def _budget(self, now: float) -> int:
        phases = self.cfg.budget
        while self._phase < len(phases) and phases[self._phase].start_day <= now:
            self._per_day = phases[self._phase].per_day
            self._phase += 1
        return self._per_day

    def _weigh_sites(self, now: float) -> None:
        """Today's value made at each factory's sites in reach (it changes only while ramping)."""
        if self._sites_at >= self._ramped_at:
            return
        self._sites_at = now
        size, aimed = self._site_size, self._site_aimed
        for k, f in enumerate(self.factories):
            size[k] = rate(f.cfg, now) * self._site_cost[k]
            aimed[k] = size[k] * self._site_q[k]
        self._sites_total, self._sites_aimed_total = sum(size), sum(aimed)

    def _weigh_depots(self) -> tuple[float, float]:
        """Value stocked and value times hit probability at each depot in reach, and their sums.

        Depots are aimed at by the stock of their last settlement (at most half a day old), not
        settled for the purpose: aiming needs the picture, not the exact count. A depot's
        signature is its items' signatures weighted by value, so its aimed value is the sum of
        its items' value times signature times the place's reach and defence.
        """
        stock_list, cost, cost_sig = self.ctx.ledger.stock_list, self._unit_cost, self._cost_sig
        size, aimed = self._depot_size, self._depot_aimed
        total = aimed_total = 0.0
        for k, index, q in self._depots_reached:
            value = seen = 0.0
            for s, c, cs in zip(stock_list(index), cost, cost_sig, strict=True):
                if s > 0.0:
                    value += s * c
                    seen += s * cs
            size[k], aimed[k] = value, q * seen
            total += value
            aimed_total += q * seen
        return total, aimed_total

    def _salvo(self, _event=None) -> None:
        """Today's strikes: divide them among the classes in reach, draw each class's hits."""
        env = self.env
        strikes = self._budget(env.now)
        if strikes:
            self.strikes_flown += strikes
            self._weigh_sites(env.now)
            depots, depots_aimed = self._weigh_depots() if self._depots_reached else (0.0, 0.0)
            key = (strikes, self._sites_total > 0.0, self._ports_total > 0.0, depots > 0.0)
            per_class = self._split.get(key)
            if per_class is None:
                live = [k for k, on in zip(_CLASSES, key[1:], strict=True) if on]
                per_class = self._split[key] = divide(strikes, self.cfg.split, live)
            u = self._u
            for kind, b in per_class.items():
                if not b:
                    continue
                if kind == "sites":
                    hits = class_hits(u, b, self._sites_total, self._site_aimed,
                                      self._sites_aimed_total)
                elif kind == "depots":
                    hits = class_hits(u, b, depots, self._depot_aimed, depots_aimed)
                else:
                    hits = class_hits(u, b, self._ports_total, self._port_aimed,
                                      self._ports_aimed_total)
                for k in hits:
                    self._hit(kind, k)
        env.timeout(1.0).callbacks.append(self._salvo)

    def _hit(self, kind: str, k: int) -> None:
        """Apply one hit on target ``k`` of class ``kind``.

        Events: ``strike_damage_start``/``_end`` (subject the factory, detail the site) while a
        hit's damage lasts, ``stock_destroyed`` at a port or depot.
        """
        if kind == "sites":
            factory, n = self.factories[k], len(self._left[k])
            site = min(int(self._u.next() * n), n - 1)
            name = self._site_names[k][site]
            self.ctx.log(self.env.now, "strike_damage_start", factory.name, name)
            self._damage[k][site].append(1.0 - self.cfg.damage_share)
            self._apply(k, site)
            self.env.timeout(self.cfg.repair_days).callbacks.append(
                partial(self._repair, k, site))
        elif kind == "ports":
            port = self.ports[k]
            name = port.name
            port.switch.close()
            self.env.timeout(self.cfg.port_closure_days).callbacks.append(
                lambda _e, p=port: p.switch.reopen())
            self._destroy(port.place)
        else:
            name = self.depots[k].name
            self._destroy(self.depots[k])
        self.hits[name] = self.hits.get(name, 0) + 1

    def _repair(self, k: int, site: int, _event=None) -> None:
        factory = self.factories[k]
        self.ctx.log(self.env.now, "strike_damage_end", factory.name, self._site_names[k][site])
        self._damage[k][site].pop(0)
        self._apply(k, site)

    def _apply(self, k: int, site: int) -> None:
        """The factory's cap: the mean of its sites' shares left (hits compound)."""
        left = self._left[k]
        left[site] = math.prod(self._damage[k][site])
        self.factories[k].limit("strikes", sum(left) / len(left))

    def _destroy(self, place) -> None:
        place.settle()
        share = self.cfg.destroy_share
        qty = [s * share if s > 0.0 else 0.0 for s in self.ctx.ledger.stock_list(place.index)]
        units = sum(qty)
        if units > 0.0:
            self.ctx.log(self.env.now, "stock_destroyed", place.name, f"{units:.0f} units")
            self.ctx.ledger.destroy(place.index, qty)
            self.destroyed_value += sum(q * c for q, c in zip(qty, self._unit_cost, strict=True))

    def result(self, parts: ResultParts) -> None:
        """Strikes flown, hits per target, value destroyed in stock."""
        parts.sections["strikes"] = {"strikes_flown": self.strikes_flown,
                                     "hits": dict(sorted(self.hits.items())),
                                     "destroyed_value": self.destroyed_value}


_CLASSES = ("sites", "ports", "depots")
"""The classes of :attr:`StrikeConfig.split`, in the order of the key of a day's division."""


def _hit_prob(where, signature: float) -> float:
    """``exposure x signature x (1 - defence)`` (see :class:`~simulator.model.targeting.Target`)."""
    return where.exposure * signature * (1.0 - where.defence)


def _ramped_at(cfg) -> float:
    """The day from which :func:`~simulator.model.factory.rate` of ``cfg`` stays constant."""
    return cfg.start_day + cfg.lead_days + max(cfg.ramp_days, 0.0)
