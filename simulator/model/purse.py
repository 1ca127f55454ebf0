"""The posture's purse as a component: it pays for production and capacity, by year and country.

Every factory pays for what it makes when its output is settled (:meth:`Factory.pay_with`);
when the year's budget cannot pay for all of it, the factory gets exactly the units the money
buys, and the instant the money ran out is found on the factory's own closed-form output
(:func:`simulator.model.money.affordable_until`). Until the next campaign year, nothing more is
paid, so nothing more is made. A settlement at every year boundary keeps each payment inside one
year. Capacity investment (``investment_per_unit_day`` x the new capacity, ``capacity_per_day``
less the ``start_rate_per_day`` that already exists, 0 when unset) is paid on the factory's
``start_day``, and its output starts ``lead_days`` later.

Without a ``budget`` section the purse still counts (cost by country, by year) but never refuses.
"""

from __future__ import annotations

import math

from simulator.model.component import Component, WorldContext
from simulator.model.money import YEAR_DAYS, Budget, affordable_until
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.front import BudgetConfig


@register("budget", order=12, select=lambda sc: {"purse": sc.budget or BudgetConfig()})
class Purse(Component):
    """The money of one posture."""

    kind = "purse"

    def __init__(self, ctx: WorldContext, name: str, cfg: BudgetConfig):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.budget = Budget(cfg.per_year)
        self.investment = 0.0

    def connect(self) -> None:
        """Every factory pays through this purse."""
        self.factories = self.ctx.all("factory")
        for f in self.factories:
            f.pay_with(self._pay)

    def start(self) -> None:
        """Investments on their days; a settlement of every factory at each year boundary."""
        for f in self.factories:
            existing = f.cfg.start_rate_per_day or 0.0
            cost = f.cfg.investment_per_unit_day * (f.cfg.capacity_per_day - existing)
            if cost > 0:
                self.env.process(self._invest(f, cost))
        self._year_ends_started = False
        if self.cfg.per_year is not None:
            self._start_year_ends()

    def _start_year_ends(self) -> None:
        if not self._year_ends_started:
            self._year_ends_started = True
            self.env.process(self._year_ends())

    def refuse_change(self, cfg: BudgetConfig, scenario) -> str | None:
        """A budget may be set, raised or cut mid-campaign (a decision of the class)."""
        return None

    def reconfigure(self, cfg: BudgetConfig, scenario) -> None:
        """From now on, the new budget (output so far is paid under the old one).

        It applies to what is left of the current year and to every year after it.
        """
        for f in self.factories:
            f.settle()
        self.cfg = cfg
        self.budget.set_per_year(cfg.per_year)
        if cfg.per_year is not None:
            self._start_year_ends()

    def _invest(self, factory, cost: float):
        yield self.env.timeout(factory.cfg.start_day)
        self.budget.spend(self.env.now, cost, factory.country)
        self.investment += cost
        self.ctx.log(self.env.now, "investment", factory.name, f"{cost:,.0f}")

    def _year_ends(self):
        first = math.floor(self.env.now / YEAR_DAYS) + 1
        for year in range(first, math.ceil(self.ctx.days / YEAR_DAYS) + 1):
            yield self.env.timeout(year * YEAR_DAYS - self.env.now)
            for f in self.factories:
                f.settle()

    def _pay(self, factory, t0: float, t1: float, made: float) -> float:
        """What ``factory`` may keep of ``made`` units made from ``t0`` to ``t1``."""
        unit = factory.unit_cost
        budget = self.budget
        if budget.per_year is None:  # no cap: count the money, refuse nothing (the usual case)
            cost = made * unit
            budget.by_country[factory.country or "unspecified"] += cost
            budget.spent_by_year[int(t0 // YEAR_DAYS)] += cost
            return made
        allowed = budget.afford(t0, made, unit)
        if allowed >= made:
            budget.spend(t0, made * unit, factory.country)
            return made
        output = factory.ramp.cumulative
        share = made / max(output(t1) - output(t0), 1e-300)
        money = allowed * unit
        out = affordable_until(lambda t: share * (output(t) - output(t0)), t0, t1, unit, money)
        budget.spend(t0, money, factory.country, when_out=out)
        if allowed > 0:
            self.ctx.log(out, "budget_exhausted", factory.name,
                         f"year {budget.year(t0) + 1}: {budget.per_year:,.0f} spent")
        return allowed

    def result(self, parts: ResultParts) -> None:
        """Spending by year and country; how much of the campaign ran without money."""
        budget = self.budget
        dry = sum(min((year + 1) * YEAR_DAYS, self.ctx.days) - day
                  for year, day in budget.exhausted_on.items())
        parts.add_kpi("money", "spent", float(sum(budget.spent_by_year.values())))
        parts.add_kpi("money", "investment", self.investment)
        parts.add_kpi("money", "days_without_budget", float(max(dry, 0.0)))
        ships = self._ship_costs()
        total = dict(budget.by_country)
        for country, cost in ships.items():
            total[country] = total.get(country, 0.0) + cost
        parts.sections["money"] = {
            "budget_per_year": self.cfg.per_year,
            "spent_by_year": {int(k): v for k, v in sorted(budget.spent_by_year.items())},
            "budget_exhausted_on_day": {int(k): v for k, v in budget.exhausted_on.items()},
            "production_and_investment_by_country": dict(sorted(budget.by_country.items())),
            "ships_built_by_country": dict(sorted(ships.items())),
            "cost_by_country": dict(sorted(total.items())),
            "investment": self.investment}

    def _ship_costs(self) -> dict[str, float]:
        """Ships built, at their class's unit cost, by the country of the yard.

        Burden sharing: shipbuilding is not paid from the posture's purse, but it is a cost.
        """
        sc, out = self.ctx.scenario, {}
        for event in self.ctx.ledger.events:
            if event.kind == "ship_built" and event.subject in sc.shipyards:
                yard = sc.shipyards[event.subject]
                cost = sc.fleets[yard.fleet].classes[yard.ship_class].unit_cost
                country = sc.places[yard.place].country or "unspecified"
                out[country] = out.get(country, 0.0) + cost
        return out
