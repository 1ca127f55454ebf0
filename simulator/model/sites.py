"""The price of dispersion: a fixed overhead per factory site per day.

Spreading a plant over more, smaller sites makes each strike take less (see
:mod:`simulator.model.strikes`), but every site needs its own guards, management, tooling and
logistics. A factory's ``site_overhead_per_day`` charges that to its item for every site, from
the factory's start day to the end of the run: output is unchanged, cost per effective unit
rises. (The factory's ``signature`` is read by the strike campaign.)
"""

from __future__ import annotations

from simulator.model.component import Component, WorldContext
from simulator.model.registry import register
from simulator.results import ResultParts


@register("site_overheads", order=16,
          select=lambda sc: {n: f.site_overhead_per_day for n, f in sc.factories.items()
                             if f.site_overhead_per_day > 0})
class SiteOverhead(Component):
    """Charges one factory's per-site overhead to its item."""

    kind = "site_overhead"

    def __init__(self, ctx: WorldContext, name: str, cfg: float):
        super().__init__(ctx, name)
        self.per_site_per_day = cfg

    def connect(self) -> None:
        """The factory whose sites these are."""
        self.factory = self.ctx.get("factory", self.name)

    def cost(self) -> float:
        """Overhead of all the factory's sites over the days it runs."""
        fcfg = self.factory.cfg
        days = max(0.0, self.ctx.days - fcfg.start_day)
        return self.per_site_per_day * fcfg.sites * days

    def result(self, parts: ResultParts) -> None:
        """Add the overhead to the item's cost and show it in the ``site_overhead`` table."""
        parts.add_cost(self.factory.item, self.cost())
        parts.sections.setdefault("site_overhead", {})[self.name] = self.cost()
