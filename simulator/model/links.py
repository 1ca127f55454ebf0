"""Transport links: the one interface every mode implements, and the daily (simple/land) link.

A link draws loads from its origin place's stock (:meth:`Link.take`), carries them, and either
delivers them to the destination's stock (:meth:`Link.deliver`) or loses them
(:meth:`Link.lose`); those three are the only ways cargo enters or leaves a link, and each goes
through the ledger. Every day the link reports :meth:`Link.carried`, counted from what it
physically holds (ships' holds, shipments on the road), so the books catch cargo that vanished
without :meth:`Link.lose`. ``nominal_days`` is what routing uses to prefer the fastest way to
the theatre. A new kind of link is one module: a subclass registered with
``@register("links", tag=...)`` and its schema class in the ``links`` union.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np

from simulator.model.clock import DISPATCH
from simulator.model.component import Component, WorldContext
from simulator.model.disruption import Switch
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import DailyLink as DailyLinkConfig
from simulator.scenario.schema import Disruptions

NO_CUTS = Disruptions()
"""A ``simple`` link is never cut."""

Load = Sequence[float]
"""Units per item, in the world's item order: a list of floats on the model's own paths (a
NumPy array is accepted wherever a load is passed in)."""


class Link(Component):
    """Common bookkeeping: cargo taken, delivered and lost, and transit times.

    Subclasses implement :attr:`nominal_days`, :meth:`carry` (register the processes that move
    cargo; called only when routing uses the link) and :meth:`carried`.
    """

    kind = "link"

    def __init__(self, ctx: WorldContext, name: str, cfg: Any):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.origin, self.dest = ctx.places[cfg.from_], ctx.places[cfg.to]
        self.ledger = ctx.ledger
        self.index = ctx.ledger.open_link(name, self.origin.index, self.dest.index)
        self.active = False
        """Whether routing uses the link (set by the world before ``start``)."""
        self._transit_weighted = 0.0
        self._delivered_volume = 0.0

    @property
    def nominal_days(self) -> float:
        """Expected door-to-door days for one load, used to rank routes."""
        raise NotImplementedError

    def carry(self) -> None:
        """Register the SimPy processes that move cargo."""
        raise NotImplementedError

    def carried(self) -> Load:
        """Cargo per item the link holds now (its own count, not the ledger's).

        Every recorded day the books compare it with ``taken - delivered - lost``: a link keeps
        it in ``ledger.carried_count(index)`` as cargo moves, or refreshes it there in its
        ``record`` hook.
        """
        raise NotImplementedError

    # --- the only ways cargo enters and leaves a link ---------------------------------------
    def take(self, capacity: float) -> list[float]:
        """Up to ``capacity`` cargo units from the origin's stock, now the link's to carry."""
        return self.origin.take_cargo(capacity, self.index)

    def deliver(self, load: Load, departed: float) -> None:
        """``load``, taken at time ``departed``, reaches the destination's stock."""
        self.ledger.deliver(self.index, load)
        self.dest.announce()
        volume = self.origin.volume(load)
        self._transit_weighted += volume * (self.env.now - departed)
        self._delivered_volume += volume

    def lose(self, load: Load) -> None:
        """``load`` is destroyed on the way."""
        self.ledger.lose(self.index, load)

    # --- protocol hooks ------------------------------------------------------------------------
    def start(self) -> None:
        """Start carrying if routing uses the link."""
        if self.active:
            self.carry()

    @property
    def in_flight(self) -> np.ndarray:
        """Cargo per item on its way now (:meth:`carried` as an array)."""
        return np.asarray(self.carried(), dtype=float)

    @property
    def mean_transit_days(self) -> float:
        """Cargo-weighted mean days from loading to delivery (NaN before any delivery)."""
        if self._delivered_volume <= 0:
            return float("nan")
        return self._transit_weighted / self._delivered_volume

    def kpis(self) -> dict[str, float]:
        """Per-link figures for the summary."""
        return {"mean_transit_days": self.mean_transit_days}

    def result(self, parts: ResultParts) -> None:
        """The link's row of the links table."""
        parts.links[self.name] = {"kind": self.cfg.kind, "from": self.origin.name,
                                  "to": self.dest.name, "active": self.active, **self.kpis()}


class Shipments:
    """Loads on their way, each delivered or lost when its time comes.

    Their sum is what the link carries. A shipment due on a whole day is handed to the world's
    daily clock (it arrives in that day's first phase, costing no event of its own); one due at
    a fraction of a day gets a SimPy timeout.
    """

    def __init__(self, link: Link):
        self.link, self.env = link, link.env
        self.clock = link.ctx.clock
        self._pending: dict[int, Load] = {}
        self._next = 0
        # The link's own count, kept where the books' daily record reads it (no daily call).
        self._sum = link.ledger.carried_count(link.index)

    def send(self, load: Load, days: float, lost: bool) -> None:
        """``load`` arrives (or, if ``lost``, is lost) ``days`` from now."""
        key = self._next
        self._next = key + 1
        self._pending[key] = load
        count = self._sum
        for i in range(len(count)):
            count[i] += load[i]
        departed = self.env.now
        finish = partial(self._finish, key, departed, lost)
        if not self.clock.at_day(departed + days, finish):
            self.env.timeout(days).callbacks.append(lambda _e: finish())

    def _finish(self, key: int, departed: float, lost: bool) -> None:
        load = self._pending.pop(key)
        count = self._sum
        if self._pending:
            for i in range(len(count)):
                count[i] -= load[i]
        else:
            count[:] = [0.0] * len(count)  # no rounding residue once nothing is on the way
        if lost:
            self.link.lose(load)
        else:
            self.link.deliver(load, departed)

    def total(self) -> list[float]:
        """Cargo per item on the way now (the sum of the loads sent and not yet arrived)."""
        return self._sum[:]


@register("links", tag="simple", order=40)
@register("links", tag="land", order=40)
class DailyLink(Link):
    """One shipment a day up to capacity; a shipment is lost whole with ``loss_prob``.

    Used for the ``simple`` link (never cut) and for ``land`` links (rail/road), whose strikes
    cut dispatch for a while; cargo already on its way still arrives.
    """

    def __init__(self, ctx: WorldContext, name: str, cfg: DailyLinkConfig):
        super().__init__(ctx, name, cfg)
        self.shipments = 0

    def connect(self) -> None:
        """Shipments on the way, counted where the books read them."""
        self.on_the_way = Shipments(self)

    @property
    def nominal_days(self) -> float:
        """Transit time."""
        return self.cfg.transit_days

    def start(self) -> None:
        """Cuts (scheduled and random) whether used or not; dispatch if routing uses the link."""
        # Cuts draw from their own stream, so how much cargo moved never shifts when strikes land.
        self.switch = Switch(self.env, self.name, self.ctx.log, self.stream("cuts"),
                             getattr(self.cfg, "cuts", NO_CUTS), "link_cut")
        super().start()

    def carry(self) -> None:
        """Dispatch every day from day 0 (a chore of the daily clock, not a process)."""
        self._random = self.stream().random
        self.ctx.clock.every_day(self._dispatch, DISPATCH)

    def carried(self) -> Load:
        """Shipments on their way."""
        return self.on_the_way.total()

    def _dispatch(self, day: int) -> None:
        if self.switch.closures:  # not open
            return
        cfg = self.cfg
        p = cfg.loss_prob
        # One draw per open day, cargo or not: day d's draw always decides day d's shipment,
        # whatever other factories feed the link (synchronised streams).
        lost = p > 0.0 and self._random() < p
        load = self.take(cfg.capacity_per_day)
        if any(load):
            self.shipments += 1
            self.on_the_way.send(load, cfg.transit_days, lost)

    def kpis(self) -> dict[str, float]:
        """Shipments and transit time."""
        return {**super().kpis(), "shipments": self.shipments}
