"""Wire a validated :class:`Scenario` into a SimPy environment and run one replication.

The world knows no component by name. It builds one component per scenario entry through the
:mod:`~simulator.model.registry`, lets each find its peers (``connect``), decides which links
carry goods (routing), starts them, samples the day's record with one recorder process, audits
the books and assembles the result from what each component reports. Every chore that falls
on a whole day (daily links, the front, shipments due, the recorder) runs from one process, the
world's daily clock (:mod:`~simulator.model.clock`).

Build order never affects randomness (each component's stream is keyed by its name), but it
does fix which daily link draws first from a shared stock: links toward the theatre are started
fastest route first, which is how "send by the fastest available route" is implemented.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import simpy
from simpy.core import URGENT

from simulator.ledger import Ledger
from simulator.model.clock import RECORD
from simulator.model.component import Component, WorldContext, overrides
from simulator.model.decisions import ChangeError, plan, schedule
from simulator.model.links import Link
from simulator.model.place import Place
from simulator.model.registry import entries, registrations
from simulator.model.routing import Arc, days_to, route
from simulator.model.streams import Streams, as_seed_sequence
from simulator.results import ResultParts, RunMeta, RunResult
from simulator.scenario.schema import Scenario


class World:
    """Every component of one replication, and the recorder that samples them daily."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0,
                 days: int | None = None, changes: Sequence[tuple[float, Scenario]] = ()):
        self.scenario = sc = scenario
        self.seed = as_seed_sequence(seed)
        self.days = int(days if days is not None else sc.horizon_days)
        if self.days < 1:
            raise ValueError("days must be at least 1")
        self.env = env = simpy.Environment()
        self.items = list(sc.items)
        self.place_names = list(sc.places)
        self.ledger = ledger = Ledger(self.place_names, self.items, self.days)
        footprint = np.array([sc.items[i].cargo_footprint for i in self.items])
        self.places = {n: Place(n, k, sc.places[n].kind, sc.places[n].country, ledger, footprint,
                                env)
                       for k, n in enumerate(self.place_names)}
        self.ctx = ctx = WorldContext(env, sc, self.items, ledger, self.places,
                                      Streams(self.seed), self.days)
        keys = []
        for reg, name, cfg in entries(sc):
            ctx.add(reg.cls(ctx, name, cfg))
            keys.append((reg.section, name))
        ledger.seal()
        for component in ctx.components:
            component.connect()
        self.active_links = self._route()
        rank = {link.name: k for k, link in enumerate(self.active_links)}
        for link in self.active_links:
            link.active = True
            link.dest.fed_by_links = True
        # Links start in routing order (fastest route first draws first); the rest in build order.
        order = sorted(range(len(ctx.components)), key=lambda k: (
            isinstance(ctx.components[k], Link), rank.get(ctx.components[k].name, len(rank)), k))
        for k in order:
            ctx.components[k].start()
        self._end = env.event()
        self._hooks = [c.record for c in ctx.components if overrides(c, "record")]
        ctx.clock.every_day(self._record, RECORD)
        env.process(ctx.clock.run(self._stop))
        self._decide(keys, changes)

    def _decide(self, keys: list[tuple[str, str]],
                changes: Sequence[tuple[float, Scenario]]) -> None:
        """Check every decision before the run (:class:`ChangeError`), then schedule them."""
        previous = self.scenario
        for day, changed in sorted(changes, key=lambda c: c[0]):
            if not 0 <= day <= self.days:
                raise ChangeError(f"a decision on day {day:g} is outside the campaign "
                                  f"(0 to {self.days})")
            schedule(self.env, day, plan(self.ctx.components, keys, previous, changed), changed)
            previous = changed

    # --- lookups (for tests, notebooks and benchmarks) -------------------------------------
    def _named(self, kind: str) -> dict[str, Component]:
        return {c.name: c for c in self.ctx.all(kind)}

    @property
    def factories(self) -> dict:
        """Factory components by name."""
        return self._named("factory")

    @property
    def links(self) -> dict:
        """Link components by name."""
        return self._named("link")

    @property
    def fleets(self) -> dict:
        """Fleet components by name."""
        return self._named("fleet")

    @property
    def ports(self) -> dict:
        """Port components by name."""
        return self._named("port")

    @property
    def front(self):
        """The front component."""
        return self.ctx.get("front", "front")

    # --- run -----------------------------------------------------------------------------------
    def _route(self) -> list[Link]:
        """Links that carry goods toward the theatre, fastest route first."""
        links = self.links
        arcs = [Arc(n, lk.origin.name, lk.dest.name, lk.nominal_days) for n, lk in links.items()]
        pinned = {n: p.ship_via for n, p in self.scenario.places.items()}
        self.days_to_theatre = days_to(self.scenario.theatre.place, arcs)
        return [links[a.name] for a in route(self.scenario.theatre.place, arcs, pinned)]

    def _record(self, day: int) -> None:
        """The last chore of every day: components' record hooks, then the books copy the day."""
        for hook in self._hooks:
            hook(day)
        self.ledger.record(day)

    def _stop(self) -> None:
        # Stop the clock right after the last record: an urgent event outranks everything else
        # already due at this instant, so the world's final state is exactly the one just
        # recorded. (SimPy's ``succeed`` would schedule it at normal priority, after those.)
        self._end._ok, self._end._value = True, None
        self.env.schedule(self._end, URGENT)

    def run(self) -> RunResult:
        """Run to the horizon, audit the books and return the replication's result."""
        self.env.run(until=self._end)
        self.ledger.audit()
        keys = tuple(k for reg in registrations() for k in getattr(reg.cls, "transport_kpis", ()))
        parts = ResultParts(len(self.items), self.days, tuple(dict.fromkeys(keys)))
        for component in self.ctx.components:
            component.result(parts)
        sc, places = self.scenario, self.place_names
        meta = RunMeta(
            scenario=sc.name, seed=int(self.seed.entropy), spawn_key=tuple(self.seed.spawn_key),
            items=self.items, places=places, place_kinds=[sc.places[p].kind for p in places],
            place_countries=[sc.places[p].country for p in places],
            theatre=self.places[sc.theatre.place].index,
            effectiveness=np.array([sc.items[i].effectiveness for i in self.items]),
            footprint=np.array([sc.items[i].cargo_footprint for i in self.items]))
        result = RunResult.assemble(meta, self.ledger, parts)
        result.check_invariant()
        return result


def simulate(scenario: Scenario, seed: int | np.random.SeedSequence = 0,
             days: int | None = None,
             changes: Sequence[tuple[float, Scenario]] = ()) -> RunResult:
    """Run one replication of ``scenario`` with ``seed`` and return its result.

    ``changes``: decisions mid-campaign, ``(day, scenario in force from that day)`` (see
    :mod:`~simulator.model.decisions`); a change no component can take raises
    :class:`~simulator.model.decisions.ChangeError` before anything runs.
    """
    return World(scenario, seed, days, changes).run()
