"""Suppliers and component stocks: the bill of materials as a limit on every factory.

Two kinds of component, built from two scenario sections:

* a :class:`ComponentSupply` per entry of ``components``: it gives every factory whose item
  needs the component a :class:`~simulator.model.component_stock.ComponentStock` (full at the start)
  and shares the deliveries that arrive among them in proportion to their full-rate need;
* a :class:`Supplier` per entry of ``suppliers``: it ships its rate while open; a cut-off
  (scheduled window or random, from its own stream) stops shipping, and goods already shipped
  keep arriving for ``lead_days``. When it is first cut, its substitute (if any) starts
  qualifying; once qualified, the substitute ships ``rate_fraction`` of the cut supplier's rate
  (at its own lead time and a cost premium) for as long as the cut lasts.

Money: an item's unit cost already includes its components at the usual price, so only what a
substitute costs above the supplier it replaces is added to the item's cost; the component
spend at suppliers' prices is reported apart (``components.<name>.cost``).

Deliveries change only at those instants, so a factory's component stock changes at a piecewise
constant rate and the factory's output stays an exact integral: the factory settles with its
stocks through :meth:`Factory.add_component_stock` (see :mod:`simulator.model.component_stock`).
"""

from __future__ import annotations

from collections import defaultdict

from simulator.model.component import Component, WorldContext
from simulator.model.component_stock import ComponentStock
from simulator.model.disruption import random_failures, scheduled
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.industry import Component as ComponentConfig
from simulator.scenario.industry import Supplier as SupplierConfig


@register("components", order=12)
class ComponentSupply(Component):
    """One component: its stocks at the factories that use it, and the deliveries they share."""

    kind = "component"

    def __init__(self, ctx: WorldContext, name: str, cfg: ComponentConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.stocks: dict[str, ComponentStock] = {}
        self._weight: dict[str, float] = {}
        self._arriving: dict[str, float] = defaultdict(float)
        """Arrival rate by source (supplier name, or ``name~sub`` for a substitute flow)."""
        self._unit_cost: dict[str, float] = {}
        self._premium: dict[str, float] = {}
        self.received_by: dict[str, float] = defaultdict(float)
        self.cost = 0.0
        self.premium_cost: dict[str, float] = {}
        """Per factory: what substitutes cost above the suppliers they replace."""
        self._seen: dict[str, float] = {}

    def connect(self) -> None:
        """Open a stock at each factory whose item uses this component."""
        factories = [f for f in self.ctx.all("factory") if f.cfg.item in self.cfg.per_unit]
        need = {f.name: f.cfg.capacity_per_day * self.cfg.per_unit[f.cfg.item]
                for f in factories}
        total = sum(need.values())
        for f in factories:
            per = self.cfg.per_unit[f.cfg.item]
            stock = ComponentStock(self.name, per_unit=per,
                                   cap=self.cfg.stock_days * need[f.name])
            self.stocks[f.name] = stock
            self._seen[f.name] = 0.0
            self.premium_cost[f.name] = 0.0
            self._weight[f.name] = need[f.name] / total
            f.add_component_stock(stock)
        self._factories = {f.name: f for f in factories}

    def arrival_change(self, source: str, delta: float, unit_cost: float,
                       premium: float = 0.0) -> None:
        """Deliveries from ``source`` change by ``delta`` units/day now (for suppliers).

        ``premium`` is what one unit costs above the supplier it replaces (0 for a supplier's
        own deliveries).
        """
        for f in self._factories.values():
            f.settle()          # book what was made at the old rate first
        self._attribute()
        self._arriving[source] = max(0.0, self._arriving[source] + delta)
        self._unit_cost[source] = unit_cost
        self._premium[source] = premium
        rate = sum(self._arriving.values())
        for fname, stock in self.stocks.items():
            stock.inflow = rate * self._weight[fname]

    def _attribute(self) -> None:
        """Share what each stock accepted since the mix last changed among the sources."""
        rate = sum(self._arriving.values())
        for fname, stock in self.stocks.items():
            accepted = stock.received - self._seen[fname]
            self._seen[fname] = stock.received
            if accepted <= 0 or rate <= 0:
                continue
            for source, r in self._arriving.items():
                share = accepted * r / rate
                self.received_by[source.split("~")[0]] += share
                self.cost += share * self._unit_cost[source]
                self.premium_cost[fname] += share * self._premium[source]

    def result(self, parts: ResultParts) -> None:
        """Per factory: days this component bound production; per supplier: units received."""
        self._attribute()
        table = parts.sections.setdefault("components", {})
        table[self.name] = {
            "bound_days": {f: s.bound_days for f, s in self.stocks.items()},
            "received_by_supplier": dict(self.received_by),
            "end_stock": {f: s.stock for f, s in self.stocks.items()},
            "cost": self.cost,
            "premium_cost": dict(self.premium_cost),
        }
        for fname, extra in self.premium_cost.items():
            parts.add_cost(self._factories[fname].item, extra)


@register("suppliers", order=14)
class Supplier(Component):
    """A maker of one component: ships while open; cut off by embargoes; has a substitute."""

    kind = "supplier"

    def __init__(self, ctx: WorldContext, name: str, cfg: SupplierConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.cuts = 0
        self.qualified = False
        self._qualifying = False
        self._sub_flow = 0.0
        self.cut_days = 0.0
        self._cut_since = 0.0

    def connect(self) -> None:
        """Find the component it feeds and the supplier that substitutes for it."""
        self.supply: ComponentSupply = self.ctx.get("component", self.cfg.component)
        sub = self.cfg.substitute
        self.substitute: Supplier | None = (self.ctx.get("supplier", sub.supplier)
                                            if sub is not None else None)
        self.replacing: list[Supplier] = []

    def start(self) -> None:
        """Deliveries already in the pipe arrive from day 0; cut-offs as scheduled or random."""
        if self.substitute is not None:
            self.substitute.replacing.append(self)
        self.supply.arrival_change(self.name, self.cfg.rate_per_day, self.cfg.unit_cost, 0.0)
        cfg = self.cfg.cutoffs
        scheduled(self.env, cfg.scheduled, self.cut, self.restore)
        if cfg.random:
            self.env.process(random_failures(self.env, self.stream("cutoffs"), cfg.mtbf_days,
                                             cfg.mttr_days, self.cut, self.restore))

    @property
    def is_open(self) -> bool:
        """Whether it ships now."""
        return self.cuts == 0

    def cut(self) -> None:
        """Start one cut-off (embargo, blockade); overlapping cut-offs are counted."""
        self.cuts += 1
        if self.cuts > 1:
            return
        self._cut_since = self.env.now
        self.ctx.log(self.env.now, "supplier_cut_start", self.name, self.cfg.component)
        self._ship(self.name, -self.cfg.rate_per_day, self.cfg.lead_days, self.cfg.unit_cost, 0.0)
        sub = self.cfg.substitute
        if sub is not None and not self.qualified and not self._qualifying:
            self._qualifying = True
            self.env.timeout(sub.qualification_days).callbacks.append(self._qualify)
        self._update_substitute()
        for other in self.replacing:
            other._update_substitute()

    def restore(self) -> None:
        """End one cut-off; shipping resumes when the last one ends."""
        self.cuts -= 1
        if self.cuts:
            return
        self.cut_days += self.env.now - self._cut_since
        self.ctx.log(self.env.now, "supplier_cut_end", self.name, self.cfg.component)
        self._ship(self.name, self.cfg.rate_per_day, self.cfg.lead_days, self.cfg.unit_cost, 0.0)
        self._update_substitute()
        for other in self.replacing:
            other._update_substitute()

    def _qualify(self, _event) -> None:
        self.qualified = True
        self.ctx.log(self.env.now, "substitute_qualified", self.cfg.substitute.supplier,
                     f"for {self.name}")
        self._update_substitute()

    def _update_substitute(self) -> None:
        """The substitute ships while this supplier is cut, it is qualified and itself open."""
        sub, cfg = self.substitute, self.cfg.substitute
        if sub is None:
            return
        want = (cfg.rate_fraction * self.cfg.rate_per_day
                if self.cuts and self.qualified and sub.is_open else 0.0)
        if want != self._sub_flow:
            self._ship(f"{sub.name}~{self.name}", want - self._sub_flow, sub.cfg.lead_days,
                       self.cfg.unit_cost * (1.0 + cfg.cost_premium),
                       self.cfg.unit_cost * cfg.cost_premium)
            self._sub_flow = want

    def _ship(self, source: str, delta: float, lead: float, unit_cost: float,
              premium: float) -> None:
        """Shipping changes now; the component's arrivals change ``lead`` days later."""
        if delta == 0:
            return
        if lead <= 0:
            self.supply.arrival_change(source, delta, unit_cost, premium)
            return
        self.env.timeout(lead).callbacks.append(
            lambda _e: self.supply.arrival_change(source, delta, unit_cost, premium))

    def result(self, parts: ResultParts) -> None:
        """Days cut off (to the end of the run for a cut still going)."""
        table = parts.sections.setdefault("suppliers", {})
        ongoing = self.env.now - self._cut_since if self.cuts else 0.0
        table[self.name] = {"component": self.cfg.component, "country": self.cfg.country,
                            "cut_days": self.cut_days + ongoing,
                            "substitute_qualified": self.qualified}
