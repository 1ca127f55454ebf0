"""Sealift against known answers: interdiction odds, Blackett's convoy finding, the fleet ledger.

Per ship: a ship crossing k zones, each sinking it with probability p, is lost with probability
1 - (1 - p)^k; a convoy's round trip crosses each zone twice. Per convoy (Blackett, WWII): an
attack sinks about the same number of ships whatever the convoy's size, and escorts make
attacks rarer, so the fraction lost falls as 1/size and with escorts.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator

import numpy as np
import pytest
from scipy import stats

from simulator.model.sealift.interdiction import attack_probability, interdict
from simulator.model.streams import Draws, Streams
from simulator.model.world import World
from simulator.scenario import scenario_from_dict
from simulator.scenario.schema import ThreatZone

from .conftest import minimal_dict

Z999 = 3.29  # two-sided 99.9 % normal quantile


def binomial_ok(hits: int, n: int, p: float) -> bool:
    return abs(hits / n - p) < Z999 * math.sqrt(p * (1 - p) / n)


# --- interdiction, directly ------------------------------------------------------------------
def crossings(seed: int) -> Iterator[Draws]:
    """The draws of crossing 0 of convoys 0, 1, 2, ...: a fresh sub-stream for each call."""
    subs = Streams(seed).numbered("link:test/convoys")
    return (subs.draws(k) for k in itertools.count())


@pytest.mark.parametrize(("p", "k"), [(0.1, 1), (0.1, 3), (0.25, 4)])
def test_per_ship_losses_through_k_zones(p, k):
    crossing = crossings(1)
    zone = ThreatZone(model="per_ship", p_loss=p)
    n = 100_000
    afloat = np.ones(n, dtype=bool)
    for _ in range(k):
        sunk, escorts_lost = interdict(next(crossing), zone, int(afloat.sum()), escorts=3)
        assert escorts_lost == 0
        idx = np.flatnonzero(afloat)
        afloat[idx[np.array(sunk, dtype=bool)]] = False
    expected = 1 - (1 - p) ** k
    assert binomial_ok(int((~afloat).sum()), n, expected)
    assert not binomial_ok(int((~afloat).sum()), n, min(1.0, k * p)) or k == 1


def expected_min_poisson(n: int, m: float) -> float:
    """E[min(n, X)] for X ~ Poisson(m)."""
    ks = np.arange(n)
    return float(n - np.sum((n - ks) * stats.poisson.pmf(ks, m)))


def test_per_convoy_fraction_lost_falls_as_one_over_size():
    zone = ThreatZone(model="per_convoy", p_attack=0.6, mean_sunk_per_attack=2.0)
    crossing = crossings(7)
    trials = 20_000
    fractions = {}
    for n in (3, 6, 12, 24, 48):
        sunk = np.array([sum(interdict(next(crossing), zone, n, 0)[0]) for _ in range(trials)])
        expected = 0.6 * expected_min_poisson(n, 2.0)
        half = Z999 * sunk.std(ddof=1) / math.sqrt(trials)
        assert abs(sunk.mean() - expected) < half, (n, sunk.mean(), expected)
        fractions[n] = sunk.mean() / n
    sizes = sorted(fractions)
    assert all(fractions[a] > fractions[b] for a, b in itertools.pairwise(sizes))
    # Beyond a few times the mean sunk, fraction x size is flat: about p_attack x mean sunk.
    for n in (12, 24, 48):
        assert fractions[n] * n == pytest.approx(0.6 * 2.0, rel=0.05)


def test_blackett_ships_sunk_per_attack_do_not_grow_with_convoy_size():
    zone = ThreatZone(model="per_convoy", p_attack=1.0, mean_sunk_per_attack=1.5)
    crossing = crossings(3)
    for n in (10, 40, 160):
        sunk = np.array([sum(interdict(next(crossing), zone, n, 0)[0]) for _ in range(10_000)])
        assert abs(sunk.mean() - 1.5) < Z999 * math.sqrt(1.5 / 10_000)  # Poisson variance


def test_escorts_make_attacks_rarer_and_some_are_lost():
    zone = ThreatZone(model="per_convoy", p_attack=0.8, escort_effect=0.3,
                      mean_sunk_per_attack=2.0, escort_loss_prob=0.25)
    crossing = crossings(11)
    trials, n = 20_000, 20
    lost = {}
    for escorts in (0, 2, 6):
        pa = attack_probability(zone, escorts)
        assert pa == pytest.approx(0.8 * math.exp(-0.3 * escorts))
        draws = [interdict(next(crossing), zone, n, escorts) for _ in range(trials)]
        sunk = np.array([sum(d[0]) for d in draws])
        esc = np.array([d[1] for d in draws])
        expected = pa * expected_min_poisson(n, 2.0)
        assert abs(sunk.mean() - expected) < Z999 * sunk.std(ddof=1) / math.sqrt(trials)
        if escorts:
            expected_esc = pa * escorts * 0.25
            assert abs(esc.mean() - expected_esc) < Z999 * esc.std(ddof=1) / math.sqrt(trials)
        lost[escorts] = sunk.mean() / n
    assert lost[0] > lost[2] > lost[6]


# --- through a whole sea link ------------------------------------------------------------------
def sea_scenario(ships: int, legs: list[dict], zones: dict, convoy: dict,
                 horizon: int, classes: dict | None = None, items: int = 1,
                 shipyards: dict | None = None) -> dict:
    """A home port with plenty of cargo, one sea link to the front, legs of one day each
    at 10 knots (240 nm)."""
    data = minimal_dict(horizon_days=horizon)
    if items == 2:
        data["items"]["shell"] = {"unit_cost": 1.0, "cargo_footprint": 2.0}
        data["factories"]["shells"] = {"item": "shell", "place": "home",
                                       "capacity_per_day": 40_000.0}
    data["factories"]["plant"]["capacity_per_day"] = 100_000.0
    data["places"]["home"]["port"] = {"berths": max(1, ships), "load_rate_per_day": 1e6}
    data["places"]["front"]["port"] = {"berths": max(1, ships), "unload_rate_per_day": 1e6}
    data["links"] = {"sea": {"kind": "sea", "from": "home", "to": "front", "fleet": "f",
                             "legs": legs, "convoy": convoy}}
    data["fleets"] = {"f": {"classes": classes or {"c": {"count": ships, "cargo_capacity": 10.0,
                                                          "speed_knots": 10.0}},
                            "escorts": 0}}
    data["threat_zones"] = zones
    if shipyards:
        data["shipyards"] = shipyards
    return data


def sinkings(world: World) -> list[tuple[float, bool, str]]:
    """Have the sea link note (time, loaded?, zone) for every ship it sinks.

    A zone is met at the end of each leg that crosses it, out and back: whether the ship still
    carried cargo tells out from back.
    """
    link = world.links["sea"]
    log: list[tuple[float, bool, str]] = []
    sink = link.ship_lost

    def noting_sink(ship, zone, cargo):
        log.append((world.env.now, bool(any(cargo)), zone))
        sink(ship, zone, cargo)

    link.ship_lost = noting_sink
    return log


@pytest.mark.parametrize("k", [1, 2])
def test_per_ship_losses_on_a_sea_link_out_and_back(k):
    """One round trip each: lost outbound 1-(1-p)^k, over the round trip 1-(1-p)^(2k)."""
    p, ships = 0.2, 2000
    zones = {f"z{i}": {"model": "per_ship", "p_loss": p} for i in range(k)}
    # Intermediate legs may end at any place; only the last must end at the destination.
    legs = [{"to": "front" if i == k - 1 else "home", "distance_nm": 240.0,
             "threat_zone": f"z{i}"} for i in range(k)]
    data = sea_scenario(ships, legs, zones, {"min_ships": 1, "max_wait_days": 0.0},
                        horizon=2 * k + 2)
    world = World(scenario_from_dict(data), seed=k)
    log = sinkings(world)
    res = world.run()
    # Ships load on day 1 (nothing was made on day 0), meet the last zone home at the end of the
    # first return leg, just after day 1 + 2k; a second trip (if any) meets its first zone a day
    # later, at the horizon.
    first = [s for s in log if s[0] < 1.5 + 2 * k]
    assert res.transport["convoys"] >= ships
    out = sum(loaded for _, loaded, _ in first)
    assert binomial_ok(out, ships, 1 - (1 - p) ** k), out / ships
    assert binomial_ok(len(first), ships, 1 - (1 - p) ** (2 * k)), len(first) / ships
    assert {z for _, _, z in first} == set(zones)
    # Cargo went down only with ships sunk outbound: one full ship's load (10 units) each.
    lost_later = 10.0 * sum(loaded for t, loaded, _ in log if t >= 1.5 + 2 * k)
    assert res.kpis["drone"]["lost_in_transit"] == pytest.approx(10.0 * out + lost_later)


@pytest.mark.parametrize("size", [4, 16])
def test_bigger_convoys_lose_a_smaller_fraction_on_a_sea_link(size):
    ships, m, pa = 1600, 1.0, 0.5
    zones = {"z": {"model": "per_convoy", "p_attack": pa, "mean_sunk_per_attack": m}}
    legs = [{"to": "front", "distance_nm": 240.0, "threat_zone": "z"}]
    data = sea_scenario(ships, legs, zones, {"min_ships": size, "max_wait_days": 5.0},
                        horizon=3)
    world = World(scenario_from_dict(data), seed=size)
    log = sinkings(world)
    res = world.run()
    sunk = sum(loaded for _, loaded, _ in log)  # the outbound crossing only
    convoys = ships // size
    assert res.transport["convoys"] == convoys
    expected = pa * expected_min_poisson(size, m) * convoys
    # Per convoy: sunk = Bernoulli(pa) x min(size, Poisson(m)); its variance, exactly.
    ks = np.arange(0, size + 1)
    pmf = stats.poisson.pmf(ks, m)
    pmf[-1] += stats.poisson.sf(size, m)
    second = pa * float(np.sum(ks**2 * pmf))
    var = second - (pa * expected_min_poisson(size, m)) ** 2
    assert abs(sunk - expected) < Z999 * math.sqrt(var * convoys), (sunk, expected)
    # ... and that expectation is ~ pa * m / size: the fraction lost falls as 1/size.
    assert expected / ships == pytest.approx(pa * m / size, rel=0.02)


def instrumented_world(data: dict, seed: int):
    """A world that checks, after every SimPy event, that every afloat ship is in exactly one
    place (one convoy at sea, or the home port), and that notes what each sunk ship carried."""
    world = World(scenario_from_dict(data), seed)
    link = world.links["sea"]
    sunk_cargo = np.zeros(len(world.items))
    sink = link.ship_lost

    def noting_sink(ship, zone, cargo):
        nonlocal sunk_cargo
        sunk_cargo = sunk_cargo + cargo
        sink(ship, zone, cargo)

    link.ship_lost = noting_sink
    samples = {"checks": 0, "at_sea": 0, "assembly": 0}
    step = world.env.step

    def checked_step():
        step()
        where: Counter = Counter()
        for convoy in link.at_sea:
            for ship in convoy.ships:
                where[ship.name] += 1
                assert ship.where.startswith(f"convoy {convoy.number} "), ship.where
            samples["at_sea"] += bool(convoy.ships)
        for ship in link.assembly.waiting:
            where[ship.name] += 1
            assert ship.where == "in convoy assembly"
        samples["assembly"] += bool(link.assembly.waiting)
        for ship in link.ships:
            if not ship.afloat:
                assert where[ship.name] == 0 and ship.where == "sunk"
            elif ship.where.startswith("convoy "):
                assert where[ship.name] == 1, (ship.name, ship.where)
            else:  # at the home port: waiting for a berth, loading, or just back
                assert where[ship.name] == (ship.where == "in convoy assembly"), ship.where
                assert ship.where in ("home port", "waiting for berth", "loading",
                                      "in convoy assembly")
        samples["checks"] += 1

    world.env.step = checked_step

    # Afloat ships and the event log at the very instant the recorder samples the fleet.
    counts = []
    record = world.ledger.record

    def counting_record(day: int) -> None:
        record(day)
        events = world.ledger.events
        counts.append((sum(s.afloat for s in link.ships),
                       sum(e.kind == "ship_sunk" for e in events),
                       sum(e.kind == "ship_built" for e in events)))

    world.ledger.record = counting_record
    return world, link, counts, samples, lambda: sunk_cargo


def test_fleet_ledger_and_no_ship_in_two_places():
    classes = {"big": {"count": 6, "cargo_capacity": 500.0, "speed_knots": 12.0},
               "small": {"count": 5, "cargo_capacity": 200.0, "speed_knots": 18.0,
                         "availability": 0.8}}
    zones = {"near": {"model": "per_ship", "p_loss": 0.08},
             "far": {"model": "per_convoy", "p_attack": 0.4, "mean_sunk_per_attack": 1.2}}
    legs = [{"to": "front", "distance_nm": 700.0, "threat_zone": "far"}]
    legs = [{"to": "home", "distance_nm": 500.0, "threat_zone": "near"}, *legs]
    yards = {"y": {"place": "home", "fleet": "f", "ship_class": "small",
                   "ships_per_year": 36.5, "start_day": 20.0}}
    data = sea_scenario(0, legs, zones, {"min_ships": 3, "max_wait_days": 2.0}, horizon=150,
                        classes=classes, items=2, shipyards=yards)
    data["places"]["home"]["port"] = {"berths": 2, "load_rate_per_day": 900.0}
    data["places"]["front"]["port"] = {"berths": 2, "unload_rate_per_day": 700.0}
    world, link, counts, samples, sunk_cargo = instrumented_world(data, seed=5)
    res = world.run()
    fleet = world.fleets["f"]
    initial = fleet.initial
    assert 6 + 1 <= initial <= 11
    series = res.fleet_size["f"]
    assert len(counts) == len(series) == 151
    for day, (afloat, sunk, built) in enumerate(counts):
        assert series[day] == afloat == initial - sunk + built, day
    assert counts[-1][1] > 5 and counts[-1][2] == 13  # ships sunk, ships built (days 30..150)
    assert res.transport["ships_lost"] == counts[-1][1]
    assert res.transport["ships_built"] == 13
    assert samples["checks"] > 300 and samples["at_sea"] > 100 and samples["assembly"] > 10
    # Cargo lost, item by item, is what the sunk ships carried.
    lost = res.lost[-1]
    assert lost.sum() > 0 and (sunk_cargo() > 0).all()
    np.testing.assert_allclose(lost, sunk_cargo(), rtol=1e-12)
    np.testing.assert_allclose(world.ledger.link_account(link.index)[2], lost, rtol=1e-12)


def test_ships_unload_one_per_berth_at_the_destination():
    """Three ships, one berth, a day's unloading each: cargo lands one day apart."""
    classes = {"c": {"count": 3, "cargo_capacity": 10.0, "speed_knots": 10.0}}
    data = sea_scenario(0, [{"to": "front", "distance_nm": 240.0}], {},
                        {"min_ships": 3, "max_wait_days": 5.0}, horizon=12, classes=classes)
    data["places"]["front"]["port"] = {"berths": 1, "unload_rate_per_day": 10.0}
    world = World(scenario_from_dict(data), seed=0)
    link = world.links["sea"]
    landed: list[float] = []
    arrive = link.deliver

    def noting_arrive(load, departed):
        landed.append(world.env.now)
        arrive(load, departed)

    link.deliver = noting_arrive
    world.run()
    first = landed[0]
    assert 3.0 < first < 3.01  # loaded on day 1, a day at sea, a day at the berth
    assert landed[:3] == pytest.approx([first, first + 1, first + 2])
    assert world.ports["front"].visits >= 3


def test_an_idle_sea_link_keeps_its_new_ships_in_port():
    """A sea link away from the theatre carries nothing, even when its yard delivers ships."""
    data = minimal_dict(horizon_days=60)
    data["places"]["home"]["port"] = {"berths": 2}
    data["places"]["front"]["port"] = {"berths": 2}
    data["links"]["back"] = {"kind": "sea", "from": "front", "to": "home", "fleet": "f",
                             "legs": [{"to": "home", "distance_nm": 500.0}]}
    data["fleets"] = {"f": {"classes": {"c": {"count": 2, "cargo_capacity": 100.0,
                                               "speed_knots": 10.0}}}}
    data["shipyards"] = {"y": {"place": "front", "fleet": "f", "ship_class": "c",
                               "ships_per_year": 73.0}}  # at the fleet's home port
    data["theatre"]["initial_stock"] = {"drone": 5000.0}
    world = World(scenario_from_dict(data), seed=0)
    res = world.run()
    assert res.links["back"]["active"] is False
    assert res.transport["convoys"] == 0 and res.transport["ships_built"] == 12
    assert res.fleet_size["f"][-1] == 14 == len(world.links["back"].ships)
    back = world.links["back"]
    assert not any(back.carried()) and not world.ledger.link_account(back.index)[1].any()


def test_a_yard_away_from_the_home_port_delivers_after_sailing_there():
    """A yard at a waypoint 480 nm from the home port (two days at 10 knots): a ship launched on
    day 10 joins the fleet on day 12, and the fleet counts it from then."""
    legs = [{"to": "mid", "distance_nm": 480.0}, {"to": "front", "distance_nm": 240.0}]
    data = sea_scenario(2, legs, {}, {"min_ships": 1, "max_wait_days": 0.0}, horizon=15,
                        shipyards={"y": {"place": "mid", "fleet": "f", "ship_class": "c",
                                         "ships_per_year": 36.5}})
    data["places"]["mid"] = {"kind": "waypoint"}
    res = World(scenario_from_dict(data), seed=0).run()
    yard = [(e.day, e.kind) for e in res.events if e.subject == "y"]
    assert yard == [(pytest.approx(10.0), "ship_launched"), (pytest.approx(12.0), "ship_built")]
    assert list(res.fleet_size["f"][10:14]) == [2, 2, 3, 3]
