"""The combat layer: who holds out, given what the logistics delivered.

Lanchester's square law with reinforcements (:mod:`simulator.model.lanchester`), fed by the
run: each day friendly fire is ``friendly_kill_rate`` times the *fire factor* (effective units
of the ``fires`` items delivered that day over the units demanded: a shortfall, or units that
enemy countermeasures have blunted, fire less), and enemy fire is ``enemy_kill_rate`` times the
share of strikes the decoy screen did *not* absorb. The duel does not feed back into demand, so
it is computed once the logistics have run, from the series the other components kept.
"""

from __future__ import annotations

import numpy as np

from simulator.model.component import Component, WorldContext
from simulator.model.lanchester import fight
from simulator.model.registry import register
from simulator.results import ResultParts
from simulator.scenario.front import Combat


def fire_factor(delivered: np.ndarray, demand: np.ndarray, effectiveness: np.ndarray,
                base: np.ndarray) -> np.ndarray:
    """Per day: effective units delivered over effective units demanded (1 when none is due).

    ``delivered``, ``demand`` and ``effectiveness`` are (days, items) for the fires items,
    ``base`` their nominal effectiveness.
    """
    wanted = (demand * base).sum(axis=1)
    got = (delivered * effectiveness).sum(axis=1)
    return np.where(wanted > 0, got / np.where(wanted > 0, wanted, 1.0), 1.0)


@register("combat", order=95,
          select=lambda sc: {"combat": sc.combat} if sc.combat is not None else {})
class CombatLayer(Component):
    """The duel between the friendly force at the front and the enemy's."""

    kind = "combat"

    def __init__(self, ctx: WorldContext, name: str, cfg: Combat):
        super().__init__(ctx, name)
        self.cfg = cfg
        sc = ctx.scenario
        fires = cfg.fires if cfg.fires is not None else [
            i for i in ctx.items if sc.theatre.demand_per_day.get(i)]
        self.fires = [ctx.item_index(i) for i in fires]
        self.base = np.array([sc.items[i].effectiveness for i in ctx.items])

    def connect(self) -> None:
        """The front, the adaptation races and the decoy screen (both optional)."""
        self.front = self.ctx.get("front", "front")
        self.races = self.ctx.all("adaptation")
        self.screens = self.ctx.all("decoy_screen")

    def result(self, parts: ResultParts) -> None:
        """Strengths, force ratio and break days; the KPIs a comparison pairs."""
        cfg, days = self.cfg, self.ctx.days
        eff = np.tile(self.base, (days, 1))
        for race in self.races:
            eff[:, race.item] = race.trace
        cols = self.fires
        fires = fire_factor(self.front.delivered[:, cols], self.front.demand[:, cols],
                            eff[:, cols], self.base[cols])
        shielded = self.screens[0].share if self.screens else np.zeros(days)
        rng = self.stream() if cfg.mode == "stochastic" else None
        battle = fight(cfg.friendly_strength, cfg.enemy_strength,
                       cfg.enemy_kill_rate * (1.0 - shielded), cfg.friendly_kill_rate * fires,
                       np.full(days, cfg.friendly_reinforcements_per_day),
                       np.full(days, cfg.enemy_reinforcements_per_day), cfg.break_point, rng)
        ratio = battle.force_ratio
        held = battle.friendly_break_day
        standing = np.isfinite(ratio)
        # The ratio is undefined once the enemy is gone (NaN: a paired table drops that pair and
        # says so); the friendly share of all strength is defined to the end (1: enemy gone).
        parts.add_kpi("combat", "force_ratio_end", float(ratio[-1]) if standing[-1] else np.nan)
        parts.add_kpi("combat", "force_ratio_mean", float(ratio[standing].mean()))
        total = battle.friendly[-1] + battle.enemy[-1]
        parts.add_kpi("combat", "friendly_share_end",
                      float(battle.friendly[-1] / total) if total > 0 else np.nan)
        parts.add_kpi("combat", "friendly_end", float(battle.friendly[-1]))
        parts.add_kpi("combat", "enemy_end", float(battle.enemy[-1]))
        parts.add_kpi("combat", "fire_factor_mean", float(fires.mean()))
        parts.add_kpi("combat", "friendly_days_held", float(days if held is None else held))
        parts.add_kpi("combat", "friendly_broke", float(held is not None))
        parts.add_kpi("combat", "enemy_broke", float(battle.enemy_break_day is not None))
        parts.sections["combat"] = {
            "friendly_break_day": held, "enemy_break_day": battle.enemy_break_day,
            "daily": {"friendly": battle.friendly.tolist(), "enemy": battle.enemy.tolist(),
                      "force_ratio": [float(min(r, 1e9)) for r in ratio],
                      "fire_factor": fires.tolist(), "enemy_fire_absorbed": shielded.tolist()}}
