"""The decoy screen at the front: enemy strikes, decoys that draw them off, real losses replaced.

Each day at mid-day the enemy flies a Poisson number of strikes (its mean set per theatre phase)
at the front. The decoys the front has deployed absorb a share of them
(:func:`simulator.model.decoys.absorbed_share`); every absorbed strike destroys one decoy. The
other strikes land on real targets and destroy some; each destroyed target adds its
``replacement`` (say ten drones and their launcher's kit) to that day's demand at the front.
So a decoy shortfall shows up twice: more real losses, and more demand for drones.

The screen is the decoys the front has drawn from the depot (``theatre.demand_per_day`` of the
decoy item is what it deploys a day): a drawn decoy joins the screen the next day and stays
until a strike hits it or it wears out (mean life ``decoy_life_days``: moved, found, weathered).
Decoys drawn by the front are *consumed* in the ledger; those later destroyed by strikes are a
part of that consumption, reported beside it (``destroyed_by_strikes``).
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.clock import STRIKE
from simulator.model.component import Component, WorldContext
from simulator.model.decoys import land_strikes
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.front import FrontStrikes
from simulator.scenario.schema import Scenario


def strikes_schedule(cfg: FrontStrikes, scenario: Scenario, days: int) -> np.ndarray:
    """Mean strikes per day: ``strikes_per_day``, or the value of the theatre phase in force."""
    mean = np.full(days, cfg.strikes_per_day)
    phases = scenario.theatre.phases
    for k, phase in enumerate(phases):
        start = math.ceil(phase.start_day)
        end = math.ceil(phases[k + 1].start_day) if k + 1 < len(phases) else days
        mean[start:end] = cfg.by_phase.get(phase.name, cfg.strikes_per_day)
    return mean


@register("front_strikes", order=70,
          select=lambda sc: {"front": sc.front_strikes} if sc.front_strikes is not None else {})
class DecoyScreen(Component):
    """Strikes at the front, split between the decoy screen and real targets.

    For other components: ``share`` (the absorption probability of each day) is public; the
    combat layer dilutes enemy fire by it.
    """

    kind = "decoy_screen"

    def __init__(self, ctx: WorldContext, name: str, cfg: FrontStrikes):
        super().__init__(ctx, name)
        self.cfg = cfg
        days = ctx.days
        self.decoy = ctx.item_index(cfg.decoy_item)
        self.mean = strikes_schedule(cfg, ctx.scenario, days)
        self.survive = math.exp(-1.0 / cfg.decoy_life_days)
        self.screen = 0.0
        """Decoys deployed now (drawn by the front, not yet hit or worn out)."""
        self.worn = 0.0
        # the daily record as plain lists (one element written a day: cheaper than arrays)
        self._strikes = [0] * days
        self._absorbed = [0] * days
        self._killed = [0] * days
        self._deployed = [0.0] * days
        self._share = [0.0] * days
        self._replace = self._replacements(cfg)
        self._pending: list[tuple[int, FrontStrikes, Scenario]] = []
        """Decisions not yet in force: (first strike day they apply to, config, scenario)."""

    @property
    def share(self) -> np.ndarray:
        """The absorption probability of each day (what the combat layer dilutes fire by)."""
        return np.array(self._share)

    @property
    def strikes(self) -> np.ndarray:
        """Strikes at the front per day."""
        return np.array(self._strikes, dtype=np.int64)

    @property
    def absorbed(self) -> np.ndarray:
        """Strikes the decoys absorbed per day."""
        return np.array(self._absorbed, dtype=np.int64)

    @property
    def killed(self) -> np.ndarray:
        """Real targets destroyed per day."""
        return np.array(self._killed, dtype=np.int64)

    @property
    def deployed(self) -> np.ndarray:
        """Decoys deployed at each day's strikes (capped by ``max_deployed``)."""
        return np.array(self._deployed)

    def _replacements(self, cfg: FrontStrikes) -> list[tuple[int, float]]:
        """(item, units) replacing one destroyed target, and the same as a per-item array."""
        self.replacement = np.zeros(len(self.ctx.items))
        for item, units in cfg.replacement.items():
            self.replacement[self.ctx.item_index(item)] = units
        return [(int(i), float(self.replacement[i])) for i in np.flatnonzero(self.replacement)]

    def connect(self) -> None:
        """The front: its deliveries feed the screen, its demand takes the replacements."""
        self.front = self.ctx.get("front", "front")

    def start(self) -> None:
        """Settle each day's strikes on the daily clock, the next morning before the draw.

        The strikes fall at mid-day ``d + 0.5``; nothing they read or write changes between
        then and the next day's draw (day ``d - 1``'s deliveries, day ``d``'s demand), so they
        are settled in the clock's :data:`~simulator.model.clock.STRIKE` phase of day
        ``d + 1``, costing no SimPy event of their own. A decision keeps its mid-day meaning
        (see :meth:`reconfigure`).

        The number of strikes each day depends on the schedule alone, so the whole run's are
        drawn here in one call (and again from the day a decision changes the schedule); where
        they land depends on the screen of the day, drawn day by day.
        """
        self._rng = self.stream()
        self._counts = self._rng.poisson(np.maximum(self.mean, 0.0)).tolist()
        self.ctx.clock.every_day(self._strike, STRIKE, start=1)

    def refuse_change(self, cfg: FrontStrikes, scenario) -> str | None:
        """Everything but the decoy item may change mid-campaign.

        The enemy strikes harder, a better decoy arrives, positions are hardened.
        """
        if cfg.decoy_item != self.cfg.decoy_item:
            return "decoy_item: cannot change during a campaign"
        return None

    def reconfigure(self, cfg: FrontStrikes, scenario) -> None:
        """From the next strike: the new strike schedule, screen rules and replacements.

        The strikes of day ``d`` fall at ``d + 0.5``: a decision at time ``t`` applies to the
        strikes of days ``d >= ceil(t - 0.5)`` (a decision at mid-day comes first). They are
        settled the next morning, so the change waits for that day's strikes.
        """
        first = math.ceil(self.env.now - 0.5)
        self._pending.append((first, cfg, scenario))

    def _apply(self, first: int, cfg: FrontStrikes, scenario) -> None:
        self.cfg = cfg
        mean = strikes_schedule(cfg, scenario, self.ctx.days)[first:]
        if not np.array_equal(mean, self.mean[first:]):
            self.mean[first:] = mean
            self._counts[first:] = self._rng.poisson(np.maximum(mean, 0.0)).tolist()
        self.survive = math.exp(-1.0 / cfg.decoy_life_days)
        self._replace = self._replacements(cfg)

    def _strike(self, today: int) -> None:
        """The strikes of yesterday (``today - 1``), which fell at its mid-day."""
        day = today - 1
        if day >= self.ctx.days:
            return
        while self._pending and self._pending[0][0] <= day:
            self._apply(*self._pending.pop(0))
        cfg = self.cfg
        cap = math.inf if cfg.max_deployed is None else cfg.max_deployed
        if day:
            self.worn += self.screen * (1.0 - self.survive)
            self.screen = (self.screen * self.survive
                           + float(self.front.delivered[day - 1, self.decoy]))
        deployed = min(self.screen, cap)
        hit = land_strikes(self._rng, self._counts[day], deployed, cfg.real_targets,
                           cfg.fidelity, cfg.kill_prob)
        self.screen -= hit.absorbed
        if hit.killed:
            for item, units in self._replace:
                self.front.add_item_demand(day, item, hit.killed * units)
        self._strikes[day], self._absorbed[day], self._killed[day] = (hit.strikes, hit.absorbed,
                                                                      hit.killed)
        self._deployed[day], self._share[day] = deployed, hit.share

    def result(self, parts: ResultParts) -> None:
        """Strikes, what the decoys absorbed, real losses and the demand they added."""
        strikes, absorbed, killed = sum(self._strikes), sum(self._absorbed), sum(self._killed)
        parts.add_kpi("front", "strikes", strikes)
        parts.add_kpi("front", "strikes_absorbed", absorbed)
        parts.add_kpi("front", "absorbed_share", absorbed / strikes if strikes else 0.0)
        parts.add_kpi("front", "targets_destroyed", killed)
        parts.add_kpi("front", "mean_decoys_deployed", float(self.deployed.mean()))
        parts.add_item_kpi(self.decoy, "destroyed_by_strikes", absorbed)
        for i in np.flatnonzero(self.replacement):
            parts.add_item_kpi(int(i), "lost_at_front", killed * float(self.replacement[i]))
        parts.sections["front_strikes"] = {
            "strikes": strikes, "absorbed": absorbed, "targets_destroyed": killed,
            "decoys_worn_out": self.worn, "decoys_deployed_end": self.screen,
            "daily": {"strikes": list(self._strikes), "absorbed": list(self._absorbed),
                      "targets_destroyed": list(self._killed),
                      "decoys_deployed": list(self._deployed),
                      "absorbed_share": list(self._share)}}
