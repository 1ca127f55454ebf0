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

from simulator.model.component import Component, WorldContext
from simulator.model.decoys import strike_day
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.schema import FrontStrikes, Scenario


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
        self.replacement = np.zeros(len(ctx.items))
        for item, units in cfg.replacement.items():
            self.replacement[ctx.item_index(item)] = units
        self.mean = strikes_schedule(cfg, ctx.scenario, days)
        self.survive = math.exp(-1.0 / cfg.decoy_life_days)
        self.screen = 0.0
        """Decoys deployed now (drawn by the front, not yet hit or worn out)."""
        self.worn = 0.0
        self.strikes = np.zeros(days, dtype=np.int64)
        self.absorbed = np.zeros(days, dtype=np.int64)
        self.killed = np.zeros(days, dtype=np.int64)
        self.deployed = np.zeros(days)
        self.share = np.zeros(days)

    def connect(self) -> None:
        """The front: its deliveries feed the screen, its demand takes the replacements."""
        self.front = self.ctx.get("front", "front")

    def start(self) -> None:
        """Strike once a day at mid-day (never tied with the front's end-of-day draw)."""
        self.env.process(self._strike())

    def refuse_change(self, cfg: FrontStrikes, scenario) -> str | None:
        """Everything but the decoy item may change mid-campaign.

        The enemy strikes harder, a better decoy arrives, positions are hardened.
        """
        if cfg.decoy_item != self.cfg.decoy_item:
            return "decoy_item: cannot change during a campaign"
        return None

    def reconfigure(self, cfg: FrontStrikes, scenario) -> None:
        """From today: the new strike schedule, screen rules and replacements."""
        today = math.floor(self.env.now)
        self.cfg = cfg
        self.mean[today:] = strikes_schedule(cfg, scenario, self.ctx.days)[today:]
        self.survive = math.exp(-1.0 / cfg.decoy_life_days)
        self.replacement[:] = 0.0
        for item, units in cfg.replacement.items():
            self.replacement[self.ctx.item_index(item)] = units

    def _strike(self):
        rng = self.stream()
        yield self.env.timeout(0.5)
        for day in range(self.ctx.days):
            cfg = self.cfg
            cap = math.inf if cfg.max_deployed is None else cfg.max_deployed
            if day:
                self.worn += self.screen * (1.0 - self.survive)
                self.screen = (self.screen * self.survive
                               + self.front.delivered[day - 1, self.decoy])
            deployed = min(self.screen, cap)
            hit = strike_day(rng, float(self.mean[day]), deployed, cfg.real_targets,
                             cfg.fidelity, cfg.kill_prob)
            self.screen -= hit.absorbed
            if hit.killed:
                self.front.add_demand(day, hit.killed * self.replacement)
            self.strikes[day], self.absorbed[day], self.killed[day] = (hit.strikes, hit.absorbed,
                                                                       hit.killed)
            self.deployed[day], self.share[day] = deployed, hit.share
            if day + 1 < self.ctx.days:
                yield self.env.timeout(1.0)

    def result(self, parts: ResultParts) -> None:
        """Strikes, what the decoys absorbed, real losses and the demand they added."""
        strikes, absorbed, killed = (int(self.strikes.sum()), int(self.absorbed.sum()),
                                     int(self.killed.sum()))
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
            "daily": {"strikes": self.strikes.tolist(), "absorbed": self.absorbed.tolist(),
                      "targets_destroyed": self.killed.tolist(),
                      "decoys_deployed": self.deployed.tolist(),
                      "absorbed_share": self.share.tolist()}}
