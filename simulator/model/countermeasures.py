"""The adaptation race as a component: one per adapted item, its effectiveness day by day.

Every factory making the item answers the enemy's countermeasures after its own feedback loop
(:mod:`simulator.model.adaptation`): report + redesign + retooling + the fastest route's nominal
days from its place to the theatre, computed here from the links the world actually has. An
update is a field retrofit: once it reaches the front it restores every unit there.

The front mixes units from every producer, so the item's effectiveness on a day is the mean of
its producers' effectiveness weighted by what each has made so far (an approximation: it
ignores the weeks a unit spends in the pipeline). Effective units delivered are units delivered
times that effectiveness.

The race is also written to the event log, for the narration and the events table: each
countermeasure the day it is fielded (``countermeasure_fielded``, subject the item) and each
producer's answer the day it reaches the front (``update_arrived``, subject the factory). The
trace is computed from the same closed form, so the log only tells what the trace already holds.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.model.adaptation import feedback_loop_days, outstanding, steady_state
from simulator.model.component import Component, WorldContext
from simulator.model.registry import register
from simulator.model.routing import Arc, days_to
from simulator.results import ResultParts
from simulator.scenario.front import Adaptation


@register("adaptation", order=75)
class Countermeasures(Component):
    """The enemy's countermeasure cycle against one item, and its producers' answers.

    For other components: ``trace`` (the item's effectiveness per day) is public; the combat
    layer scales friendly fire by it.
    """

    kind = "adaptation"

    def __init__(self, ctx: WorldContext, name: str, cfg: Adaptation):
        super().__init__(ctx, name)
        self.cfg = cfg
        self.item = ctx.item_index(name)
        self.base = float(ctx.scenario.items[name].effectiveness)
        self.trace = np.full(ctx.days, self.base)
        self.loops: dict[str, float] = {}

    def connect(self) -> None:
        """The factories that make the item."""
        self.factories = [f for f in self.ctx.all("factory") if f.item == self.item]

    def start(self) -> None:
        """Each producer's feedback loop, from the model's own routes to the theatre."""
        links = self.ctx.all("link")
        arcs = [Arc(lk.name, lk.origin.name, lk.dest.name, lk.nominal_days) for lk in links]
        transit = days_to(self.ctx.scenario.theatre.place, arcs)
        cfg = self.cfg
        for f in self.factories:
            self.loops[f.name] = feedback_loop_days(cfg.report_days, cfg.redesign_days,
                                                    cfg.retool_days,
                                                    transit.get(f.cfg.place, math.inf))
        # Each producer's effectiveness over every day (sampled at its middle) is fixed once
        # its loop is known: computed here at once, so the daily record only weighs it by
        # what each has made. ``outstanding`` does the same float operations as
        # ``effectiveness_at``; the power is taken in Python floats, as there.
        middles = np.arange(self.ctx.days) + 0.5
        keep, columns = 1.0 - cfg.drop, []
        for f in self.factories:
            counts = outstanding(middles, cfg.cycle_days, self.loops[f.name]).tolist()
            power = {k: self.base * keep ** k for k in set(counts)}
            columns.append([power[k] for k in counts])
        self._effs = list(zip(*columns, strict=True))
        """Per day (row ``day - 1``), each producer's effectiveness."""
        if self.factories:  # with no producer the trace stays put: nothing to tell
            self.env.process(self._tell())

    def _tell(self):
        """Log each countermeasure and each producer's update at the time it happens."""
        cfg, horizon = self.cfg, self.ctx.days
        news: list[tuple[float, int, str, str]] = []
        for k in range(1, math.floor(horizon / cfg.cycle_days) + 1):
            fielded = k * cfg.cycle_days
            news.append((fielded, k, "countermeasure_fielded", self.name))
            for name, loop in self.loops.items():
                if fielded + loop < horizon:
                    news.append((fielded + loop, k, "update_arrived", name))
        news.sort(key=lambda n: (n[0], n[2] != "update_arrived"))  # an answer before news
        for day, k, kind, subject in news:
            if day > self.env.now:
                yield self.env.timeout(day - self.env.now)
            if kind == "countermeasure_fielded":
                self.ctx.log(day, kind, subject, f"countermeasure {k}: -{cfg.drop:.0%}",
                         number=k, drop=cfg.drop)
            else:
                self.ctx.log(day, kind, subject, f"answers countermeasure {k} on {self.name}",
                         number=k, item=self.name, loop_days=self.loops[subject])

    def record(self, day: int) -> None:
        """Effectiveness over the day just ended (sampled at its middle)."""
        if day == 0 or not self.factories:
            return
        effs = self._effs[day - 1]
        total = weighted = 0  # ints, as ``sum`` starts: the same floats, in one plain loop
        for f, eff in zip(self.factories, effs, strict=True):
            made = f.made
            total += made
            weighted += made * eff
        self.trace[day - 1] = weighted / total if total > 0 else sum(effs) / len(effs)

    def result(self, parts: ResultParts) -> None:
        """The item's effectiveness series and each producer's loop."""
        cfg = self.cfg
        parts.set_effectiveness(self.item, self.trace)
        section = parts.sections.setdefault("adaptation", {})
        section[self.name] = {
            "feedback_loop_days": self.loops,
            "steady_state_mean": {n: steady_state(self.base, cfg.drop, cfg.cycle_days, loop)["mean"]
                                  for n, loop in self.loops.items() if math.isfinite(loop)},
            "mean_effectiveness": float(self.trace.mean()),
            "daily_effectiveness": self.trace.tolist()}
