"""Factories: output that ramps up over months, split over dispersed sites that fail and recover.

A factory is not woken every day. Its nominal rate is a closed-form function of time (linear
ramp from the start rate to surge capacity), so output between two instants is an exact integral;
it is *settled* into the place's stock only when something changes (a site fails or returns) or
someone reads the stock (a ship loading, the daily recorder). A strike on one site removes only
that site's share of capacity: dispersion limits what one shock takes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property

from simulator.model.component import Component, WorldContext
from simulator.model.component_stock import ComponentStock, allowance, commit
from simulator.model.disruption import random_failures, scheduled
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import Factory as FactoryConfig

Payer = Callable[["Factory", float, float, float], float]
"""Pays for output settled from ``t0`` to ``t1`` and returns the units it paid for."""


class Ramp:
    """A factory's closed-form output with its configuration read once (see ``cumulative``).

    A factory settles thousands of times a run; reading five fields of its configuration on
    every settlement cost more than the arithmetic, so they are read here, once. The numbers
    and the order of the operations are those of the formula, so results do not change.
    """

    __slots__ = ("_area", "_cap", "_flat", "_half_gap", "_r0", "_ramp", "start")

    def __init__(self, cfg: FactoryConfig):
        self.start = cfg.start_day + cfg.lead_days
        cap = self._cap = cfg.capacity_per_day
        r0 = self._r0 = cap if cfg.start_rate_per_day is None else cfg.start_rate_per_day
        ramp = self._ramp = cfg.ramp_days
        self._flat = ramp <= 0 or r0 >= cap
        self._half_gap = 0.5 * (cap - r0)
        self._area = 0.5 * (r0 + cap) * ramp

    def cumulative(self, t: float) -> float:
        """Units a fully available factory has made from day 0 to day ``t`` (exact).

        Linear ramp from the start rate to capacity over ``ramp_days`` from the start (its
        ``start_day`` plus ``lead_days``), then capacity.
        """
        start = self.start
        if t <= start:
            return 0.0
        elapsed = t - start
        if self._flat:
            return self._cap * elapsed
        ramp = self._ramp
        if elapsed <= ramp:
            return self._r0 * elapsed + self._half_gap * elapsed * elapsed / ramp
        return self._area + self._cap * (elapsed - ramp)


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
    return Ramp(cfg).cumulative(t)


def rate(cfg: FactoryConfig, t: float) -> float:
    """Nominal units/day of a fully available factory at day ``t`` (the derivative above)."""
    start = cfg.start_day + cfg.lead_days
    if t < start:
        return 0.0
    cap = cfg.capacity_per_day
    r0 = cap if cfg.start_rate_per_day is None else cfg.start_rate_per_day
    if cfg.ramp_days <= 0 or t - start >= cfg.ramp_days:
        return cap
    return r0 + (cap - r0) * (t - start) / cfg.ramp_days


@register("factories", order=10)
class Factory(Component):
    """One production node; ``settle`` moves what it made since last time into the ledger.

    Each site keeps its own count of the interruptions affecting it: a scheduled outage of
    ``k`` sites takes sites ``0..k-1``, site ``i``'s random failures take site ``i``, and a
    site is back when every interruption affecting it has ended. So a random failure of a site
    already out for a scheduled outage removes nothing more.

    **For other components** (a strike campaign, a supplier): :meth:`interrupt` takes sites
    out until the returned callback restores them, :meth:`interrupt_for` for a fixed time, and
    :meth:`limit` caps production at a share of what the sites up could make (strike damage),
    and :meth:`add_component_stock` makes production draw on a bill-of-materials stock (it
    settles with the factory, exactly, see :mod:`simulator.model.component_stock`). Each
    settles the output made so far before changing anything, so production stays an exact
    integral, with no daily ticks.
    """

    kind = "factory"

    def __init__(self, ctx: WorldContext, name: str, cfg: FactoryConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.item = ctx.item_index(cfg.item)
        self.place = ctx.places[cfg.place].index
        self.ledger = ctx.ledger
        self._site_down = [0] * cfg.sites
        self._limits: dict[str, float] = {}
        self._stocks: list[ComponentStock] = []
        self._share = 1.0
        self.sites_down = 0
        self._up = 1.0
        """Share of capacity up: sites up times the tightest limit (kept as they change)."""
        self.ramp = Ramp(cfg)
        """The closed-form output (for other components: ``ramp.cumulative(t)``)."""
        self._made = 0.0
        self._payer: Payer | None = None
        self.country = ctx.places[cfg.place].country
        self._last = 0.0
        self._cum_last = 0.0
        self._place = ctx.places[cfg.place]
        footprint = float(ctx.places[cfg.place].footprint[self.item])
        ctx.places[cfg.place].add_source(self.settle, lambda: self.rate_now * footprint)

    def start(self) -> None:
        """Scheduled outages and each site's random failure/repair cycle."""
        env, cfg = self.env, self.cfg
        place = self.ctx.places[cfg.place]
        if cfg.start_day > 0:
            env.timeout(cfg.start_day).callbacks.append(lambda _e: place.announce())
        for outage in cfg.outages:
            sites = range(outage.sites or cfg.sites)
            scheduled(env, [outage], lambda s=sites: self._change(s, +1, "outage_start"),
                      lambda s=sites: self._change(s, -1, "outage_end"))
        if cfg.mtbf_days is not None:
            rng = self.stream()
            for i in range(cfg.sites):
                env.process(random_failures(env, rng, cfg.mtbf_days, cfg.mttr_days,
                                            lambda i=i: self._change((i,), +1,
                                                                     "site_outage_start"),
                                            lambda i=i: self._change((i,), -1,
                                                                     "site_outage_end")))

    @cached_property
    def unit_cost(self) -> float:
        """Cost of one unit made here (the factory's own, else the item's; read once)."""
        cfg = self.cfg
        return float(cfg.unit_cost if cfg.unit_cost is not None
                     else self.ctx.scenario.items[cfg.item].unit_cost)

    @property
    def made(self) -> float:
        """Units made and settled so far."""
        return self._made

    @property
    def up_fraction(self) -> float:
        """Share of capacity available now (sites up, times the tightest limit)."""
        return self._up

    @property
    def rate_now(self) -> float:
        """Units/day the factory makes at this instant (ramp, sites down and limits included)."""
        return rate(self.cfg, self.env.now) * self.up_fraction

    def settle(self) -> None:
        """Move output made since the last settlement into the place's stock.

        Component stocks (:meth:`add_component_stock`) settle with it: over the interval the
        factory makes the least of what its sites could make and what each stock allows.
        """
        now = self.env.now
        since = self._last
        if now == since:
            return  # places settle on every read; most reads come at an instant already settled
        cum = self.ramp.cumulative(now)
        made = cum - self._cum_last
        self._last, self._cum_last = now, cum
        if self.sites_down < self.cfg.sites:
            made *= self._up
            if made < 0.0:
                made = 0.0
        else:
            made = 0.0
        payer, stocks = self._payer, self._stocks
        if stocks:  # parts first, then money; stocks are drawn for what is paid for
            # The steps of ``settle_stocks``, with the payer called directly (no closure).
            dt = now - since
            least, allow = allowance(stocks, dt)
            potential = made
            if allow < potential:
                made = allow
            else:
                least = -1
            if payer is not None and made > 0.0:
                paid = payer(self, since, now, made)
                if paid < made:
                    made = paid
            commit(stocks, made, dt, potential, least)
        elif payer is not None and made > 0.0:
            made = payer(self, since, now, made)
        if made > 0.0:
            self._made += made
            self.ledger.produce(self.place, self.item, made)

    def record(self, day: int) -> None:
        """Settle, so the day's record holds everything made by its end.

        Through the place, which settles all its factories once per instant: one already
        settled now (a link just took from it) costs nothing more.
        """
        self._place.settle()

    def result(self, parts: ResultParts) -> None:
        """Units made and their cost."""
        cfg = self.cfg
        unit = self.unit_cost
        parts.add_cost(self.item, self._made * unit)
        place = self.ctx.places[cfg.place]
        parts.factories[self.name] = {"item": cfg.item, "place": cfg.place,
                                      "place_kind": place.kind, "country": place.country,
                                      "produced": self._made, "cost": self._made * unit}

    # --- for other components ----------------------------------------------------------------
    def interrupt(self, sites: Iterable[int], cause: str) -> Callable[[], None]:
        """Take ``sites`` (indices ``0..sites-1``) out now; call the result to bring them back.

        Overlapping interruptions are counted: a site is back when every one has ended.
        """
        chosen = tuple(sites)
        if any(not 0 <= i < self.cfg.sites for i in chosen):
            raise ValueError(f"{self.name} has sites 0..{self.cfg.sites - 1}, not {chosen}")
        self._change(chosen, +1, f"{cause}_start")
        done = False

        def restore() -> None:
            nonlocal done
            if not done:
                done = True
                self._change(chosen, -1, f"{cause}_end")
        return restore

    def interrupt_for(self, sites: Iterable[int], days: float, cause: str) -> None:
        """Take ``sites`` out now for ``days`` days."""
        restore = self.interrupt(sites, cause)
        self.env.timeout(days).callbacks.append(lambda _e: restore())

    def add_component_stock(self, stock: ComponentStock) -> None:
        """Make production draw on ``stock``, a bill-of-materials line.

        The stock settles whenever the factory does (:mod:`simulator.model.component_stock`).
        Call :meth:`settle` before changing its inflow, so the past is booked at the old one.
        """
        self._stocks.append(stock)

    def pay_with(self, payer: Payer) -> None:
        """Have ``payer(factory, t0, t1, units)`` pay for each settlement of output.

        It returns the units it pays for (fewer when the money runs out); only those are made.
        """
        self._payer = payer

    def limit(self, source: str, share: float) -> None:
        """Cap production at ``share`` (0..1) of what the sites up can make.

        ``source`` names who caps it (``share=1`` lifts that source's cap); the tightest applies.
        """
        if not 0.0 <= share <= 1.0 or share != share:
            raise ValueError(f"a production limit is a share in [0, 1], got {share!r}")
        self.settle()
        if share >= 1.0:
            self._limits.pop(source, None)
        else:
            self._limits[source] = share
        before, self._share = self._share, min(self._limits.values(), default=1.0)
        self._up = (self.cfg.sites - self.sites_down) / self.cfg.sites * self._share
        if self._share > before:
            self.ctx.places[self.cfg.place].announce()

    def _change(self, sites, delta: int, kind: str) -> None:
        self.settle()
        down, before = self._site_down, self.sites_down
        for i in sites:
            down[i] += delta
        self.sites_down = sum(1 for d in down if d)
        self._up = (self.cfg.sites - self.sites_down) / self.cfg.sites * self._share
        if self.sites_down < before:
            self.ctx.places[self.cfg.place].announce()
        self.ledger.log(self.env.now, kind, self.name,
                        f"{self.cfg.sites - self.sites_down}/{self.cfg.sites} sites up")
