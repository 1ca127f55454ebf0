"""The enemy's strike campaign against industry and logistics: factory sites, ports, depots.

Once a day (at mid-day, so never tied with the daily record) the campaign takes its budget for
the current phase and lets the rule of :mod:`simulator.model.targeting` decide what is hit
(:func:`~simulator.model.targeting.divide` per class, then the law of
:func:`~simulator.model.targeting.class_hits` within each):

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
from operator import mul

import numpy as np

from simulator.model.component import Component, WorldContext
from simulator.model.factory import rate
from simulator.model.registry import register
from simulator.model.targeting import class_hits, divide, place_hits
from simulator.model.uniforms import INVERSION_MEAN, Uniforms
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
        self._sites_by_day()
        # ports: all the same size, aimed at equally
        self._port_size = [1.0 if reach[p.name].exposure > 0 else 0.0 for p in self.ports]
        self._port_aimed = [w * _hit_prob(reach[p.name], 1.0)
                            for w, p in zip(self._port_size, self.ports, strict=True)]
        self._ports_total, self._ports_aimed_total = sum(self._port_size), sum(self._port_aimed)
        # depots in reach (if the split aims at depots): their stock end to end, weighed by
        # each item's value, and by value x signature x the place's hit probability
        reached = [p for p in self.depots if reach[p.name].exposure > 0] \
            if cfg.split.get("depots") else []
        self._depots_reached, self._depot_index = reached, [p.index for p in reached]
        n, cost, cost_sig = len(self._unit_cost), self._unit_cost, self._cost_sig
        q = [_hit_prob(reach[p.name], 1.0) for p in reached]
        self._depot_cost = cost * len(reached)
        self._depot_seen = [qd * cs for qd in q for cs in cost_sig]
        self._depot_parts = [(k * n, (k + 1) * n) for k in range(len(reached))]
        sig = [cs / c for c, cs in zip(cost, cost_sig, strict=True) if c > 0]
        self._depot_p_max = max(q, default=0.0) * max(sig, default=0.0) * (1.0 + 1e-9)
        """No depot strike hits with a higher probability (a depot's ``q`` is its place's times
        its items' value-weighted signature); the margin covers rounding."""
        self._depot_clear: dict[int, float] = {}
        """Per number of strikes ``b``: ``(1 - p_max)^b``, below which a uniform means no hit
        (0 where the bound does not apply, see :meth:`_depot_hits`)."""
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

    def _sites_by_day(self) -> None:
        """Each factory's value made a day at every salvo (mid-day), and the class's totals.

        A factory's rate is a closed-form function of time (its ramp), so the sizes of the whole
        run are computed once, as arrays, instead of once a salvo.
        """
        t = np.arange(self.ctx.days) + 0.5
        size = np.array([_rates(f.cfg, t) * c for f, c in
                         zip(self.factories, self._site_cost, strict=True)]).reshape(-1, t.size)
        self._site_size = size.tolist()
        self._sites_total = size.sum(axis=0).tolist()
        self._sites_aimed_total = (np.array(self._site_q)[:, None] * size).sum(axis=0).tolist()

    def _depot_stock(self) -> list[float]:
        """Every depot in reach's stock, end to end (a negative rounding residue as 0).

        Depots are aimed at by the stock of their last settlement (at most half a day old), not
        settled for the purpose: aiming needs the picture, not the exact count.
        """
        stock_list, stock = self.ctx.ledger.stock_list, []
        for index in self._depot_index:
            stock += stock_list(index)
        return stock if min(stock) >= 0.0 else [s if s > 0.0 else 0.0 for s in stock]

    def _depots_live(self) -> bool:
        """Whether some depot in reach holds something of value (the first depot, at a glance)."""
        if not self._depot_index:
            return False
        for s, c in zip(self.ctx.ledger.stock_list(self._depot_index[0]), self._unit_cost,
                        strict=True):
            if s > 0.0 and c > 0.0:
                return True
        return sum(map(mul, self._depot_stock(), self._depot_cost)) > 0.0

    def _depot_hits(self, u: Uniforms, b: int) -> list[int]:
        """The depots hit by ``b`` strikes, drawn by :func:`~simulator.model.targeting.class_hits`.

        Weighing every depot's stock is most of a salvo's work, and a day's strikes miss more
        often than not. The number of hits is drawn by inversion, and no hit at all means a
        uniform ``x < (1 - P)^b``; ``P`` is at most ``p_max``, so ``x < (1 - p_max)^b`` settles
        the day without weighing (the same ``x`` and the same answer as weighing first). That
        holds only if the day is drawn by inversion of that ``x``: so only where the mean is
        small (``b * p_max`` at most :data:`~simulator.model.uniforms.INVERSION_MEAN`).
        """
        clear = self._depot_clear.get(b)
        if clear is None:
            p_max = self._depot_p_max
            # only where the day is drawn by inversion (a small mean): elsewhere 0
            clear = (1.0 - p_max) ** b if p_max < 1.0 and b * p_max <= INVERSION_MEAN else 0.0
            self._depot_clear[b] = clear
        x = u.next() if clear > 0.0 else None
        if x is not None and x < clear:
            return []
        stock = self._depot_stock()
        total = sum(map(mul, stock, self._depot_cost))
        aimed_total = sum(map(mul, stock, self._depot_seen))
        if total <= 0.0:
            return []
        hits = u.binomial(b, aimed_total / total, x)
        if not hits:
            return []
        seen = self._depot_seen
        aimed = [sum(map(mul, stock[i:j], seen[i:j])) for i, j in self._depot_parts]
        return place_hits(u, hits, aimed, aimed_total)

    def _salvo(self, _event=None) -> None:
        """Today's strikes: divide them among the classes in reach, draw each class's hits."""
        env = self.env
        strikes = self._budget(env.now)
        if strikes:
            self.strikes_flown += strikes
            day = int(env.now)
            sites, sites_aimed = self._sites_total[day], self._sites_aimed_total[day]
            key = (strikes, sites > 0.0, self._ports_total > 0.0, self._depots_live())
            per_class = self._split.get(key)
            if per_class is None:
                live = [k for k, on in zip(_CLASSES, key[1:], strict=True) if on]
                per_class = self._split[key] = divide(strikes, self.cfg.split, live)
            u = self._u
            for kind, b in per_class.items():
                if not b:
                    continue
                if kind == "sites":
                    hits = u.binomial(b, sites_aimed / sites)
                    if hits:
                        aimed = [s[day] * q for s, q in zip(self._site_size, self._site_q,
                                                            strict=True)]
                        for k in place_hits(u, hits, aimed, sites_aimed):
                            self._hit(kind, k)
                    continue
                if kind == "depots":
                    hits = self._depot_hits(u, b)
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
            place = self._depots_reached[k]
            name = place.name
            self._destroy(place)
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


def _rates(cfg, t: np.ndarray) -> np.ndarray:
    """:func:`~simulator.model.factory.rate` at every time of ``t``.

    The rate is 0 before the start, linear over the ramp and constant after it, so it is
    interpolated over the ramp between the function's own values at its two ends.
    """
    start, ramp = cfg.start_day + cfg.lead_days, max(cfg.ramp_days, 0.0)
    full = rate(cfg, start + ramp + 1.0)
    elapsed = t - start
    out = np.where(elapsed < 0.0, 0.0, full)
    ramping = (elapsed >= 0.0) & (elapsed < ramp)
    if ramping.any():
        out[ramping] = np.interp(elapsed[ramping], [0.0, ramp], [rate(cfg, start), full])
    return out
