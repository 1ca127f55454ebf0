"""How long a ship waits at the berth for a full load, and what it then carries."""

import pytest

from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .test_sealift import sea_scenario


def first_voyage(convoy: dict, capacity: float = 1000.0, plant_rate: float = 100.0):
    """One ship of ``capacity`` at a port whose only supply is a plant making ``plant_rate``."""
    legs = [{"to": "front", "distance_nm": 240.0}]
    data = sea_scenario(1, legs, {}, convoy, horizon=60,
                        classes={"c": {"count": 1, "cargo_capacity": capacity,
                                       "speed_knots": 10.0}})
    data["factories"]["plant"]["capacity_per_day"] = plant_rate
    world = World(scenario_from_dict(data), seed=0)
    ship = world.links["sea"].ships[0]
    departures = []
    join = world.links["sea"].assembly.join

    def noting_join(s):
        departures.append((world.env.now, s.volume))
        join(s)

    world.links["sea"].assembly.join = noting_join
    world.run()
    return ship, departures


def test_a_patient_ship_sails_full_when_production_fills_it():
    # 100 t/day fills 1,000 t in 10 days; with 30 days' patience the ship leaves full then.
    _, departures = first_voyage({"min_ships": 1, "max_wait_days": 0.0,
                                  "max_loading_days": 30.0})
    day, volume = departures[0]
    assert volume == pytest.approx(1000.0)
    assert 10.0 <= day <= 11.0 + 1e-6


def test_an_impatient_ship_sails_with_what_it_has():
    # Loading starts on day 1 (nothing was made on day 0); two more days of patience.
    _, departures = first_voyage({"min_ships": 1, "max_wait_days": 2.0})
    day, volume = departures[0]
    assert day == pytest.approx(3.0, abs=0.01)  # plus minutes of loading time
    assert volume == pytest.approx(300.0, rel=1e-3)


def test_loading_patience_defaults_to_the_convoy_wait():
    short = first_voyage({"min_ships": 1, "max_wait_days": 4.0})[1][0]
    explicit = first_voyage({"min_ships": 1, "max_wait_days": 4.0,
                             "max_loading_days": 4.0})[1][0]
    assert short == explicit
