"""Airlift: each sortie is lost with ``loss_prob``, and takes its share of the load with it."""

from __future__ import annotations

import math

import pytest

from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict

Z999 = 3.29  # two-sided 99.9 % normal quantile


def air_scenario(p: float, aircraft: int, horizon: int, rate: float = 102.5) -> dict:
    data = minimal_dict(horizon_days=horizon)
    data["factories"]["plant"]["capacity_per_day"] = rate
    data["links"] = {"bridge": {"kind": "air", "from": "home", "to": "front",
                                "aircraft": aircraft, "payload": 10.0, "sortie_days": 2.0,
                                "loss_prob": p}}
    return data


def test_sortie_loss_fraction_and_cargo_lost_with_them():
    """205 units every 2 days, 10 per aircraft: 21 sorties of 205/21 units each."""
    p = 0.05
    res = World(scenario_from_dict(air_scenario(p, aircraft=3000, horizon=2000)), seed=4).run()
    link = res.links["bridge"]
    sorties, lost = link["sorties"], link["aircraft_lost"]
    assert sorties == 21 * 1000  # cycles on days 2, 4, ..., 2000 (day 0 finds nothing)
    frac = lost / sorties
    assert abs(frac - p) < Z999 * math.sqrt(p * (1 - p) / sorties), frac
    assert link["aircraft_end"] == 3000 - lost
    # Cargo lost: exactly the lost sorties' share of each load.
    assert res.kpis["drone"]["lost_in_transit"] == pytest.approx(lost * 205.0 / 21, rel=1e-9)
    assert link["mean_transit_days"] == pytest.approx(1.0)  # half the round trip
    assert sum(int(e.detail.split()[0]) for e in res.events
               if e.kind == "aircraft_lost") == lost


def test_a_small_pool_flies_at_most_its_aircraft_and_wears_down():
    res = World(scenario_from_dict(air_scenario(0.2, aircraft=5, horizon=200)), seed=1).run()
    link = res.links["bridge"]
    assert link["aircraft_end"] + link["aircraft_lost"] == 5
    assert link["aircraft_end"] < 5
    # Never more than 5 sorties a cycle (100 cycles), each carrying at most its payload.
    assert link["sorties"] <= 5 * 100
    delivered = res.kpis["drone"]["delivered"] + res.kpis["drone"]["end_stock"]
    assert delivered <= 10.0 * link["sorties"] + res.stock[-1, 0, 0] + 1e-6


def test_a_trickle_of_cargo_still_flies():
    """Cargo far below one payload must fly (one sortie), not vanish from the ledger."""
    res = World(scenario_from_dict(air_scenario(0.0, aircraft=2, horizon=30, rate=1e-9)),
                seed=0).run()
    assert res.links["bridge"]["sorties"] > 0
    res.check_invariant()


def test_the_world_stops_at_the_last_record():
    """A sortie due at the horizon must not fly after the final record (found by a soak run)."""
    data = air_scenario(0.0, aircraft=1, horizon=5, rate=1.0)
    data["links"]["bridge"].update(payload=1.0, sortie_days=0.5)
    world = World(scenario_from_dict(data), seed=0)
    res = world.run()
    assert world.env.now == 5.0
    assert world.links["bridge"].in_flight == pytest.approx(res.in_transit[-1], abs=1e-12)
    assert world.ledger.stock == pytest.approx(res.stock[-1], abs=1e-12)
