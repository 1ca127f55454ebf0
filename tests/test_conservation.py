"""Conservation, property-based: whatever the scenario, goods are neither created nor destroyed.

For every item and every recorded day,
``initial + produced = consumed + stock(all places) + in transit + lost``; stocks never go
negative; the front never gets more than it asks for; every fleet is ``initial - lost + built``.
Scenarios are generated with simple, land (with cuts), air and sea links (per-ship and per-convoy
zones, shipyards), several items and places, random and scheduled outages and port strikes.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.model.world import World
from simulator.scenario import scenario_from_dict

ITEMS = ("drone", "decoy", "shell")
pos = st.floats(min_value=0.5, max_value=50.0, allow_nan=False)
prob = st.sampled_from([0.0, 0.05, 0.3, 1.0])


@st.composite
def disruptions(draw) -> dict:
    out: dict = {}
    if draw(st.booleans()):
        out.update(mtbf_days=draw(pos), mttr_days=draw(pos))
    if draw(st.booleans()):
        out["scheduled"] = [{"start_day": draw(st.floats(0.0, 40.0)), "days": draw(pos)}]
    return out


@st.composite
def port(draw) -> dict:
    return {"berths": draw(st.integers(1, 3)),
            "load_rate_per_day": draw(st.floats(50.0, 5000.0)),
            "unload_rate_per_day": draw(st.floats(50.0, 5000.0)),
            "strikes": draw(disruptions())}


@st.composite
def factory(draw, item: str, place: str) -> dict:
    cap = draw(st.floats(1.0, 500.0))
    sites = draw(st.integers(1, 4))
    f = {"item": item, "place": place, "capacity_per_day": cap, "sites": sites,
         "start_day": draw(st.sampled_from([0.0, 0.0, 3.5, 12.0])),
         "ramp_days": draw(st.sampled_from([0.0, 7.0, 25.5])),
         "start_rate_per_day": draw(st.floats(0.0, 1.0)) * cap}
    if draw(st.booleans()):
        f.update(mtbf_days=draw(pos), mttr_days=draw(pos))
    if draw(st.booleans()):
        f["outages"] = [{"start_day": draw(st.floats(0.0, 30.0)), "days": draw(pos),
                         "sites": draw(st.integers(1, sites))}]
    return f


@st.composite
def link(draw, kind: str, origin: str, dest: str, name: str, extra: dict) -> dict:
    base = {"kind": kind, "from": origin, "to": dest}
    if kind in ("simple", "land"):
        base.update(transit_days=draw(st.floats(0.3, 9.0)),
                    capacity_per_day=draw(st.floats(5.0, 800.0)), loss_prob=draw(prob))
        if kind == "land":
            base["cuts"] = draw(disruptions())
        return base
    if kind == "air":
        base.update(aircraft=draw(st.integers(0, 8)), payload=draw(st.floats(1.0, 100.0)),
                    sortie_days=draw(st.floats(0.2, 4.0)), loss_prob=draw(prob))
        return base
    fleet, zone = f"fleet_{name}", f"zone_{name}"
    classes = {f"c{i}": {"count": draw(st.integers(0, 4)),
                         "cargo_capacity": draw(st.floats(20.0, 2000.0)),
                         "speed_knots": draw(st.floats(8.0, 25.0)),
                         "availability": draw(st.sampled_from([1.0, 0.7]))}
               for i in range(draw(st.integers(1, 2)))}
    classes["c0"]["count"] = max(1, classes["c0"]["count"])
    ships = sum(c["count"] for c in classes.values())
    extra["fleets"][fleet] = {"classes": classes, "escorts": draw(st.integers(0, 3))}
    extra["threat_zones"][zone] = draw(st.sampled_from([
        {"model": "per_ship", "p_loss": 0.1},
        {"model": "per_ship", "p_loss": 0.5},
        {"model": "per_convoy", "p_attack": 0.6, "escort_effect": 0.3,
         "mean_sunk_per_attack": 1.5, "escort_loss_prob": 0.3}]))
    if draw(st.booleans()):
        extra["shipyards"][f"yard_{name}"] = {"place": origin, "fleet": fleet,
                                              "ship_class": "c0",
                                              "ships_per_year": draw(st.floats(5.0, 80.0)),
                                              "start_day": draw(st.floats(0.0, 20.0))}
    first = draw(st.floats(100.0, 2000.0))
    legs = [{"to": dest, "distance_nm": first, "threat_zone": zone}]
    if draw(st.booleans()):
        legs.insert(0, {"to": origin, "distance_nm": draw(st.floats(50.0, 900.0))})
    base.update(fleet=fleet, legs=legs,
                convoy={"min_ships": draw(st.integers(1, ships)),
                        "max_wait_days": draw(st.floats(0.0, 4.0)),
                        "escorts": draw(st.integers(0, 2))})
    return base


@st.composite
def scenarios(draw) -> dict:
    items = ITEMS[: draw(st.integers(1, 3))]
    n_origins = draw(st.integers(1, 3))
    places: dict = {"front": {"kind": "theatre", "port": draw(port())}}
    extra: dict = {"fleets": {}, "threat_zones": {}, "shipyards": {}}
    links, factories = {}, {}
    for o in range(n_origins):
        name = f"origin{o}"
        places[name] = {"kind": draw(st.sampled_from(["domestic", "allied"])), "port": draw(port())}
        for k in range(draw(st.integers(1, 2))):
            kind = draw(st.sampled_from(["simple", "land", "air", "sea"]))
            lname = f"l{o}_{k}"
            links[lname] = draw(link(kind, name, "front", lname, extra))
        for j in range(draw(st.integers(1, 2))):
            factories[f"f{o}_{j}"] = draw(factory(draw(st.sampled_from(items)), name))
        if draw(st.booleans()):  # an inland plant feeding this origin over land
            inland = f"inland{o}"
            places[inland] = {"kind": "domestic"}
            links[f"rail{o}"] = draw(link("land", inland, name, f"rail{o}", extra))
            factories[f"fi{o}"] = draw(factory(draw(st.sampled_from(items)), inland))
    catalogue = {i: {"unit_cost": draw(st.floats(0.0, 100.0)),
                     "cargo_footprint": draw(st.floats(0.1, 3.0))} for i in items}
    theatre = {"place": "front",
               "demand_per_day": {i: draw(st.floats(0.0, 400.0)) for i in items},
               "initial_stock": {i: draw(st.floats(0.0, 2000.0)) for i in items}}
    if draw(st.booleans()):
        theatre["phases"] = [{"name": "surge", "start_day": draw(st.floats(0.0, 30.0)),
                              "multiplier": draw(st.floats(0.0, 3.0))}]
    return {"name": "generated", "horizon_days": draw(st.integers(5, 60)), "items": catalogue,
            "places": places, "factories": factories, "links": links, "theatre": theatre,
            **extra}


def count_fleets(world: World) -> list[dict[str, tuple[int, int, int]]]:
    """At the recorder's own instants: afloat ships per fleet, and sunk/built in the event log."""
    rows: list[dict[str, tuple[int, int, int]]] = []
    record = world.ledger.record

    def counting(day: int) -> None:
        record(day)
        events = world.ledger.events
        row = {}
        for name, fleet in world.fleets.items():
            ships = next((lk.ships for lk in world.links.values()
                          if lk.cfg.kind == "sea" and lk.cfg.fleet == name), [])
            prefix = f"{name}/"
            row[name] = (sum(s.afloat for s in ships),
                         sum(e.kind == "ship_sunk" and e.subject.startswith(prefix)
                             for e in events),
                         sum(e.kind == "ship_built" and e.detail in fleet.cfg.classes
                             and world.scenario.shipyards[e.subject].fleet == name
                             for e in events))
        rows.append(row)

    world.ledger.record = counting
    return rows


@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_goods_are_conserved_every_day(data, seed):
    world = World(scenario_from_dict(data), seed)
    fleet_rows = count_fleets(world)
    res = world.run()  # raises InvariantError on its own check
    res.check_invariant()

    # Independent recomputation from the tidy daily table.
    ts = res.timeseries()
    lhs = res.initial[[res.items.index(i) for i in ts["item"]]] + ts["produced_cum"]
    rhs = (ts["consumed_cum"] + ts["depot_stock"] + ts["stock_elsewhere"] + ts["in_transit"]
           + ts["lost_in_transit_cum"])
    scale = 1.0 + np.abs(lhs)
    assert (np.abs(lhs - rhs) <= 1e-9 * scale).all()
    for col in ("depot_stock", "stock_elsewhere", "in_transit", "lost_in_transit_cum"):
        assert (ts[col] >= -1e-9 * scale).all(), col
    assert (res.stock >= -1e-9 * (1.0 + res.stock.max())).all()
    # Cumulative flows never decrease; deliveries to the front never exceed demand.
    for col in ("produced_cum", "consumed_cum", "lost_in_transit_cum"):
        assert (ts.groupby("item")[col].diff().dropna() >= -1e-9).all(), col
    assert (res.delivered <= res.demand + 1e-9).all()
    np.testing.assert_allclose(res.delivered + res.shortfall, res.demand, atol=1e-9)
    np.testing.assert_allclose(res.consumed[-1], res.delivered.sum(axis=0), rtol=1e-9,
                               atol=1e-9)
    for item, k in res.kpis.items():
        assert 0.0 <= k["fill_rate"] <= 1.0, item
        made = sum(f["produced"] for f in res.factories.values() if f["item"] == item)
        assert abs(k["produced"] - made) <= 1e-9 * (1.0 + made), item
    # What the links physically carry (ships' holds, shipments on the way) is what the
    # books say is in transit.
    np.testing.assert_allclose(sum(lk.in_flight for lk in world.links.values()),
                               res.in_transit[-1], atol=1e-6)
    # Fleets: initial - lost + built at every day, counted three independent ways.
    for name, series in res.fleet_size.items():
        initial = world.fleets[name].initial
        for day, row in enumerate(fleet_rows):
            afloat, sunk, built = row[name]
            assert series[day] == afloat == initial - sunk + built, (name, day)
