"""The price of dispersion: a fixed overhead per factory site per day.

Spreading a plant over more, smaller sites makes each strike take less (see
:mod:`simulator.model.strikes`), but every site needs its own guards, management, tooling and
logistics. ``sites.<factory>.overhead_per_day`` charges that to the factory's item for every
site, from the factory's start day to the end of the run: output is unchanged, cost per
effective unit rises. (A site's ``signature`` in the same block is read by the strike campaign.)
"""

from __future__ import annotations

from simulator.model.component import Component, WorldContext
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.industry import SiteProfile


@register("sites", order=16)
class SiteOverhead(Component):
    """Charges one factory's per-site overhead to its item."""

    kind = "site_overhead"

    def __init__(self, ctx: WorldContext, name: str, cfg: SiteProfile):
        super().__init__(ctx, name)
        self.cfg = cfg

    def connect(self) -> None:
        """The factory whose sites these are."""
        self.factory = self.ctx.get("factory", self.name)

    def cost(self) -> float:
        """Overhead of all the factory's sites over the days it runs."""
        fcfg = self.factory.cfg
        days = max(0.0, self.ctx.days - fcfg.start_day)
        return self.cfg.overhead_per_day * fcfg.sites * days

    def result(self, parts: ResultParts) -> None:
        """Add the overhead to the item's cost and show it in the ``sites`` table."""
        parts.add_cost(self.factory.item, self.cost())
        parts.sections.setdefault("site_overhead", {})[self.name] = self.cost()
