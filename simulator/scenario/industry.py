"""Scenario sections for industry under attack: components, suppliers and strikes.

Three top-level sections, each optional (a scenario without them runs as before); a factory's
own ``signature`` and ``site_overhead_per_day`` (in :mod:`simulator.scenario.schema`) complete
them:

``components``
    The bill of materials: units of a component per unit of an item, and how many days of
    full-rate use each factory making those items holds in stock (it starts full).
``suppliers``
    Who makes a component, where (country), at what rate, lead time and unit cost, when it is
    cut off (embargo, blockade: scheduled windows or random), and which supplier substitutes for
    it after a qualification delay at a fraction of its rate and a cost premium.
``strikes``
    The enemy's strike campaign: strikes per day by phase, which places it reaches (exposure)
    and how well they are defended, what a hit does (a share of a site's capacity for a repair
    time; a port closed; a share of stock destroyed).

Cross-references (a component naming an item, a supplier naming a component...) are checked
in :func:`check_industry_references`, which the loader runs with the other reference checks.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulator.scenario.fields import (
    Count,
    Disruptions,
    Model,
    NonNegative,
    Positive,
    Probability,
    _field_error,
    label,
)
from simulator.scenario.names import name_check


class Component(Model):
    """A part that items are built from (motor, battery, semiconductor, propellant charge...)."""

    per_unit: Annotated[dict[str, Positive], Field(min_length=1)]
    """Bill of materials: units of this component in one unit of each item that uses it."""
    stock_days: Annotated[NonNegative, Field(le=36_500)] = 30.0
    """Days of full-capacity use each factory holds; it starts full and orders no more than
    this (deliveries beyond it are not ordered)."""


class Substitute(Model):
    """Who replaces a cut-off supplier, how soon and how well.

    When the supplier is first cut off, qualification starts; ``qualification_days`` later the
    named supplier delivers ``rate_fraction`` of the cut supplier's rate, at the cut supplier's
    unit cost times ``1 + cost_premium``, for as long as the cut lasts (and the substitute is
    not itself cut). Once qualified, it stays qualified for later cuts.
    """

    supplier: str
    qualification_days: Annotated[NonNegative, Field(le=36_500)]
    rate_fraction: Annotated[float, Field(gt=0.0, le=1.0)]
    cost_premium: NonNegative = 0.0


class Supplier(Model):
    """A maker of one component in one country, feeding every factory that uses it."""

    component: str
    country: str = label(..., "where the supplier is; a label shown in the results")
    rate_per_day: Annotated[NonNegative, Field(le=1e12)]
    """Units per day it ships to our factories; 0 for a standby that only substitutes."""
    lead_days: Annotated[NonNegative, Field(le=36_500)] = 0.0
    """Days from shipping to arrival at the factories: goods already shipped keep arriving
    for this long after a cut-off."""
    unit_cost: NonNegative = 0.0
    cutoffs: Disruptions = Field(default_factory=Disruptions)
    """Embargoes or blockades: scheduled windows and/or random (mtbf/mttr) cut-offs."""
    substitute: Substitute | None = None


class PlaceExposure(Model):
    """How far into a place enemy strikes reach and how well it is defended."""

    exposure: Probability
    """Probability that a strike aimed at something here gets there (distance from the enemy)."""
    defence: Probability = 0.0
    """Probability that a strike that got there is intercepted."""


class StrikePhase(Model):
    """Strikes per day from ``start_day`` until the next phase."""

    start_day: NonNegative
    per_day: Annotated[Count, Field(ge=0, le=100_000)]


class StrikeCampaign(Model):
    """The enemy's strike campaign against industry and logistics (see ``model/targeting``)."""

    budget: Annotated[list[StrikePhase], Field(min_length=1)]
    places: dict[str, PlaceExposure]
    """Places in reach; everything elsewhere is out of reach."""
    split: dict[Literal["sites", "ports", "depots"], NonNegative] = Field(
        default_factory=lambda: {"sites": 1.0})
    """Shares of each day's strikes aimed at factory sites, ports and depots (renormalised
    over the classes that have a target in reach)."""
    damage_share: Annotated[float, Field(gt=0.0, le=1.0)] = 0.5
    """Share of a hit site's capacity lost until repaired."""
    repair_days: Annotated[Positive, Field(le=36_500)] = 30.0
    """Days to repair a hit site."""
    port_closure_days: Annotated[Positive, Field(le=36_500)] = 3.0
    """Days a hit port stays closed."""
    destroy_share: Probability = 0.25
    """Share of the stock at a hit port or depot destroyed."""
    focus_factories: list[str] | None = None
    """Aim at the sites of these factories only (a campaign against one plant); default all
    factories in reach."""

    @field_validator("budget")
    @classmethod
    def _in_order(cls, phases: list[StrikePhase]) -> list[StrikePhase]:
        for i in range(1, len(phases)):
            if phases[i].start_day < phases[i - 1].start_day:
                raise ValueError(f"phases must be listed in order of start_day: budget[{i}] "
                                 f"starts before budget[{i - 1}]")
        return phases

    @model_validator(mode="after")
    def _some_share(self) -> StrikeCampaign:
        if not any(v > 0 for v in self.split.values()):
            raise _field_error("split", "at least one share must be above 0")
        return self


def check_industry_references(sc) -> list[tuple[str, str]]:  # sc: Scenario
    """Every dangling name in the three sections, and every component nobody supplies."""
    errors: list[tuple[str, str]] = []

    need = name_check(errors)
    for name, comp in sc.components.items():
        for item in comp.per_unit:
            need(f"components.{name}.per_unit.{item}", "item", item, sc.items)
        if not any(s.component == name for s in sc.suppliers.values()):
            errors.append((f"components.{name}", "no supplier makes this component; add one "
                                                 "under suppliers: with component: " + name))
    for name, sup in sc.suppliers.items():
        need(f"suppliers.{name}.component", "component", sup.component, sc.components)
        sub = sup.substitute
        if sub is not None and need(f"suppliers.{name}.substitute.supplier", "supplier",
                                    sub.supplier, sc.suppliers):
            other = sc.suppliers[sub.supplier]
            if sub.supplier == name:
                errors.append((f"suppliers.{name}.substitute.supplier",
                               "a supplier cannot substitute for itself"))
            elif other.component != sup.component:
                errors.append((f"suppliers.{name}.substitute.supplier",
                               f"supplier '{sub.supplier}' makes '{other.component}', not "
                               f"'{sup.component}'"))
    if sc.strikes is not None:
        for name in sc.strikes.places:
            need(f"strikes.places.{name}", "place", name, sc.places)
        for i, name in enumerate(sc.strikes.focus_factories or []):
            if (need(f"strikes.focus_factories[{i}]", "factory", name, sc.factories)
                    and sc.factories[name].place not in sc.strikes.places):
                    errors.append((f"strikes.focus_factories[{i}]",
                                   f"factory '{name}' is at '{sc.factories[name].place}', which "
                                   "is not under strikes.places: out of reach"))
    return errors

