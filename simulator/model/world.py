"""Wire a validated :class:`Scenario` into a SimPy environment and run one replication.

Build order never affects randomness (each component's stream is keyed by its name), but it
does fix which daily link draws first from a shared stock: links toward the theatre are started
fastest route first, which is how "send by the fastest available route" is implemented.
"""

from __future__ import annotations

import numpy as np
import simpy
from simpy.core import URGENT

from simulator.ledger import Ledger
from simulator.model.airlift import Airlift
from simulator.model.factory import Factory
from simulator.model.links import DailyLink, Link
from simulator.model.place import Place
from simulator.model.routing import Arc, days_to, route
from simulator.model.sealift import Port, SeaLink
from simulator.model.sealift.fleet import Fleet, Shipyard
from simulator.model.streams import Streams, as_seed_sequence
from simulator.model.theatre import Front, demand_schedule
from simulator.results import RunResult
from simulator.scenario.schema import AirLink as AirLinkConfig
from simulator.scenario.schema import DailyLink as DailyLinkConfig
from simulator.scenario.schema import Scenario


class World:
    """Every process of one replication, and the recorder that samples them daily."""

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence = 0,
                 days: int | None = None):
        self.scenario = sc = scenario
        self.seed = as_seed_sequence(seed)
        self.days = int(days if days is not None else sc.horizon_days)
        if self.days < 1:
            raise ValueError("days must be at least 1")
        self.env = env = simpy.Environment()
        streams = Streams(self.seed)
        self.items = list(sc.items)
        self.place_names = list(sc.places)
        self.ledger = ledger = Ledger(len(self.place_names), len(self.items), self.days)
        footprint = np.array([sc.items[i].cargo_footprint for i in self.items])
        self.places = {n: Place(n, k, ledger, footprint) for k, n in enumerate(self.place_names)}

        self.factories: dict[str, Factory] = {}
        for name, cfg in sc.factories.items():
            f = Factory(env, name, cfg, self.items.index(cfg.item),
                        self.places[cfg.place].index, ledger, streams.rng(f"factory:{name}"))
            self.factories[name] = f
            self.places[cfg.place].factories.append(f)

        self.ports = {n: Port(env, n, p.port, ledger.log, streams.rng(f"port:{n}"))
                      for n, p in sc.places.items() if p.port is not None}
        self.fleets = {n: Fleet(env, n, cfg, streams.rng(f"fleet:{n}"))
                       for n, cfg in sc.fleets.items()}
        self.links: dict[str, Link] = {}
        for name, cfg in sc.links.items():
            origin, dest = self.places[cfg.from_], self.places[cfg.to]
            rng = streams.rng(f"link:{name}")
            if isinstance(cfg, DailyLinkConfig):
                link: Link = DailyLink(env, name, origin, dest, ledger, cfg, rng,
                                       streams.rng(f"link:{name}/cuts"))
            elif isinstance(cfg, AirLinkConfig):
                link = Airlift(env, name, origin, dest, ledger, cfg, rng)
            else:
                link = SeaLink(env, name, origin, dest, ledger, cfg, self.fleets[cfg.fleet],
                               self.ports[cfg.from_], self.ports[cfg.to], sc.threat_zones,
                               lambda k, n=name: streams.rng(f"link:{n}/convoy:{k}"))
            self.links[name] = link
        self.shipyards = [Shipyard(env, n, cfg, self.fleets[cfg.fleet], ledger.log)
                          for n, cfg in sc.shipyards.items()]

        depot = self.places[sc.theatre.place]
        initial = np.array([sc.theatre.initial_stock.get(i, 0.0) for i in self.items])
        ledger.add_initial(depot.index, initial)
        self.front = Front(env, depot, demand_schedule(sc.theatre, self.items, self.days))

        self.active_links = self._route()
        for link in self.active_links:
            link.dest.fed_by_links = True
        for link in self.active_links:
            link.start()
        self.front.start()
        self.fleet_size = {n: np.zeros(self.days + 1, dtype=np.int64) for n in self.fleets}
        self._end = env.event()
        env.process(self._record())

    def _route(self) -> list[Link]:
        """Links that carry goods toward the theatre, fastest route first."""
        arcs = [Arc(n, lk.origin.name, lk.dest.name, lk.nominal_days)
                for n, lk in self.links.items()]
        pinned = {n: p.ship_via for n, p in self.scenario.places.items()}
        self.days_to_theatre = days_to(self.scenario.theatre.place, arcs)
        return [self.links[a.name] for a in route(self.scenario.theatre.place, arcs, pinned)]

    def _record(self):
        ledger, env = self.ledger, self.env
        factories = list(self.factories.values())
        fleets = list(self.fleets.items())
        for day in range(self.days + 1):
            if day:
                yield env.timeout(1.0)
            for f in factories:
                f.settle()
            ledger.record(day)
            for name, fleet in fleets:
                self.fleet_size[name][day] = fleet.size
        # Stop the clock right here: an urgent event outranks everything else already due at
        # this instant, so the world's final state is exactly the one just recorded. (SimPy's
        # ``succeed`` would schedule it at normal priority, after those.)
        self._end._ok, self._end._value = True, None
        env.schedule(self._end, URGENT)
        self.in_flight_end = sum((lk.in_flight for lk in self.links.values()),
                                 np.zeros(len(self.items)))

    def run(self) -> RunResult:
        """Run to the horizon and return the replication's result (invariant checked)."""
        self.env.run(until=self._end)
        result = RunResult.from_world(self, self.in_flight_end)
        result.check_invariant()
        return result


def simulate(scenario: Scenario, seed: int | np.random.SeedSequence = 0,
             days: int | None = None) -> RunResult:
    """Run one replication of ``scenario`` with ``seed`` and return its result."""
    return World(scenario, seed, days).run()
