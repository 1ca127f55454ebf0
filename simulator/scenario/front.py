"""Scenario sections for the front and the money: front strikes, adaptation, combat, budget.

Four optional top-level sections, each configuring one model module (a scenario without them
runs as before): ``front_strikes`` (:mod:`simulator.model.decoys`, enemy strikes at the front
and the decoy screen), ``adaptation`` (:mod:`simulator.model.adaptation`, the countermeasure
cycle), ``combat`` (:mod:`simulator.model.lanchester`, the Lanchester layer) and ``budget``
(:mod:`simulator.model.money`). Their meaning is documented there.

Kept apart from :mod:`simulator.scenario.schema` (the map, production and transport), as
:mod:`simulator.scenario.industry` is: they describe what happens at the front and to the
money, not how goods are made and moved, and they build on the same field types
(:mod:`simulator.scenario.fields`) without importing the rest of the schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from simulator.scenario.fields import Model, NonNegative, Number, Positive, Probability

OpenUnit = Annotated[Number, Field(gt=0.0, lt=1.0)]
"""A fraction strictly between 0 and 1."""
StrikeRate = Annotated[Number, Field(ge=0.0, le=1e9)]
"""Mean strikes a day: a billion is beyond any war, and keeps the Poisson draw finite."""
KillRate = Annotated[Number, Field(ge=0.0, le=10.0)]
"""Losses per unit of opposing strength per day: 10 wipes out an equal force in hours."""


class FrontStrikes(Model):
    """Enemy strikes on friendly assets at the front, and the decoy screen that absorbs them.

    A strike lands on a decoy with probability ``fidelity*D / (fidelity*D + real_targets)``
    (``D``: decoys deployed, i.e. drawn by the front and not yet lost, up to ``max_deployed``);
    a decoy hit is destroyed; a real target hit is destroyed with ``kill_prob`` and replacing it
    adds ``replacement`` units to the front's demand that day. The front deploys the decoys it
    draws: ``theatre.demand_per_day`` of the decoy item is its deployment rate.
    """

    strikes_per_day: StrikeRate
    """Mean enemy strikes a day (Poisson) outside the phases named in ``by_phase``."""
    by_phase: dict[str, StrikeRate] = Field(default_factory=dict)
    """Mean strikes a day during a named theatre phase (``theatre.phases[].name``)."""
    decoy_item: str = "decoy"
    fidelity: Annotated[Number, Field(gt=0.0, le=1.0)] = 1.0
    """Chance a deployed decoy passes for a real target (0 < fidelity <= 1)."""
    real_targets: Positive
    """Real friendly signatures exposed to strikes (launch positions, vehicles, teams)."""
    kill_prob: Probability = 0.5
    """Chance a strike on a real target destroys it."""
    replacement: dict[str, Annotated[Number, Field(ge=0.0, le=1e6)]] = Field(
        default_factory=dict)
    """Units of each item it takes to replace one destroyed real target."""
    decoy_life_days: Positive = 14.0
    """Mean days a deployed decoy lasts when no strike hits it (moved, found, worn out)."""
    max_deployed: NonNegative | None = None
    """Most decoys deployed at once (default: every decoy the front has drawn and not lost)."""


class Adaptation(Model):
    """The enemy's countermeasure cycle against one item and the producers' answer to it.

    The feedback loop of a factory is ``report_days + redesign_days + retool_days`` plus the
    fastest route's nominal days from the factory's place to the theatre (computed, not typed).
    """

    cycle_days: Positive
    """Days between two enemy countermeasures (the first appears on this day)."""
    drop: Annotated[Number, Field(ge=0.0, lt=1.0)]
    """Share of effectiveness one unanswered countermeasure removes."""
    report_days: NonNegative = 7.0
    """Front-line report reaching the producer."""
    redesign_days: NonNegative = 14.0
    retool_days: NonNegative = 7.0
    """From a new design to updated units leaving the factory."""


class Combat(Model):
    """The optional combat layer: Lanchester's square law with reinforcements.

    Friendly fire (``friendly_kill_rate``) is scaled each day by the effective fill of the
    ``fires`` items (effective units delivered / demanded); enemy fire (``enemy_kill_rate``) by
    the share of strikes *not* absorbed by decoys when ``front_strikes`` is given.
    """

    friendly_strength: Positive
    enemy_strength: Positive
    friendly_kill_rate: KillRate
    """Enemy strength removed per unit of friendly strength per day, with full fires."""
    enemy_kill_rate: KillRate
    """Friendly strength removed per unit of enemy strength per day, with no decoys."""
    friendly_reinforcements_per_day: NonNegative = 0.0
    enemy_reinforcements_per_day: NonNegative = 0.0
    break_point: OpenUnit = 0.5
    """A side breaks on the first day its strength falls below this share of its peak."""
    fires: list[str] | None = None
    """Items whose delivery drives friendly fire (default: every item the front demands)."""
    mode: Literal["deterministic", "stochastic"] = "deterministic"


class BudgetConfig(Model):
    """Money that production and capacity investment cannot exceed, per campaign year."""

    per_year: NonNegative | None = None
    """Money a campaign year (365 days) may spend on production and investment (None: no cap)."""
