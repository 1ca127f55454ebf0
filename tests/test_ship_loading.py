"""How long a ship waits at the berth for a full load, and what it then carries."""

import pytest

from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .test_sealift import sea_scenario


def first_voyage(convoy: dict, capacity: float = 1000.0, plant_rate: float = 100.0,
                 load_rate: float = 1e6, feeder: dict | None = None):
    """One ship of ``capacity`` at a port whose only supply is a plant making ``plant_rate``
    (or, with ``feeder``, a land link from an inland plant)."""
    legs = [{"to": "front", "distance_nm": 240.0}]
    data = sea_scenario(1, legs, {}, convoy, horizon=60,
                        classes={"c": {"count": 1, "cargo_capacity": capacity,
                                       "speed_knots": 10.0}})
    data["factories"]["plant"]["capacity_per_day"] = plant_rate
    data["places"]["home"]["port"]["load_rate_per_day"] = load_rate
    if feeder is not None:
        data["places"]["inland"] = {"kind": "domestic"}
        data["factories"]["plant"]["place"] = "inland"
        data["links"]["rail"] = {"kind": "land", "from": "inland", "to": "home", **feeder}
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


@pytest.mark.parametrize("limit", [3.0, 5.5])
def test_the_loading_deadline_counts_from_the_first_cargo_loading_time_included(limit):
    """100 units a day made and 100 loaded a day: loading takes as long as making, yet the ship
    sails exactly ``limit`` days after its first cargo came aboard (day 1), never later."""
    _, departures = first_voyage({"min_ships": 1, "max_wait_days": 0.0,
                                  "max_loading_days": limit}, load_rate=100.0)
    day, volume = departures[0]
    assert day == pytest.approx(1.0 + limit, abs=1e-9)
    # Loaded: what was made by the last look (the time w with w + made(w)/100 = deadline).
    assert 100.0 < volume <= 100.0 * limit + 1e-9


def test_a_ship_wakes_when_cargo_arrives_by_link_not_at_the_next_daily_look():
    """The port's only supply is a rail link delivering at day d + 2.5: an impatient ship
    sails with the first delivery at 3.5 (loading takes minutes), not at a whole day."""
    _, departures = first_voyage({"min_ships": 1, "max_wait_days": 0.0},
                                 feeder={"transit_days": 2.5, "capacity_per_day": 1e6})
    day, volume = departures[0]
    assert 3.5 <= day < 3.51
    assert volume == pytest.approx(100.0)


def test_cargo_delivered_while_a_ship_stows_is_loaded_when_stowing_ends():
    """Rail delivers 100 units at 3.5, 4.5, 5.5, ...; the port loads 40 units a day. The ship
    stows the first 100 until day 6.0; the two deliveries that came meanwhile woke nobody (the
    ship was busy, not waiting), yet it takes them at 6.0, not with the next delivery at 6.5."""
    legs = [{"to": "front", "distance_nm": 240.0}]
    data = sea_scenario(1, legs, {}, {"min_ships": 1, "max_wait_days": 30.0}, horizon=8,
                        classes={"c": {"count": 1, "cargo_capacity": 1e4, "speed_knots": 10.0}})
    data["places"]["home"]["port"]["load_rate_per_day"] = 40.0
    data["places"]["inland"] = {"kind": "domestic"}
    data["factories"]["plant"].update(place="inland", capacity_per_day=100.0)
    data["links"]["rail"] = {"kind": "land", "from": "inland", "to": "home",
                             "transit_days": 2.5, "capacity_per_day": 1e6}
    world = World(scenario_from_dict(data), seed=0)
    link, takes = world.links["sea"], []
    take = link.duty.take

    def noting(room):
        load = take(room)
        if any(load):
            takes.append((world.env.now, link.origin.volume(load)))
        return load

    link.duty.take = noting
    world.run()
    assert takes[:2] == [pytest.approx((3.5, 100.0)), pytest.approx((6.0, 200.0))]
