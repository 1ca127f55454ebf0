"""The front and the money in a running world: decoy screen, adaptation, combat, budget."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.model import simulate
from simulator.model.adaptation import steady_state
from simulator.model.decoys import absorbed_share
from simulator.model.lanchester import fight
from simulator.scenario import load_scenario, scenario_from_dict

from .conftest import minimal_dict


def front_dict(horizon: int = 120, decoys_per_day: float = 200.0, **strikes) -> dict:
    """Home plants for drones and decoys, a 3-day road, a front struck every day."""
    d = minimal_dict(name="front", horizon_days=horizon)
    d["items"]["decoy"] = {"unit_cost": 1.0, "cargo_footprint": 1.0}
    d["factories"]["plant"]["capacity_per_day"] = 1000.0
    d["factories"]["decoys"] = {"item": "decoy", "place": "home",
                                "capacity_per_day": decoys_per_day}
    d["theatre"]["demand_per_day"] = {"drone": 100.0, "decoy": decoys_per_day}
    d["theatre"]["initial_stock"] = {"drone": 1000.0}
    d["front_strikes"] = {"strikes_per_day": 60.0, "real_targets": 500.0, "fidelity": 0.5,
                          "kill_prob": 0.5, "replacement": {"drone": 4.0},
                          "decoy_life_days": 10.0, **strikes}
    return d


def run(d: dict, seed: int = 0):
    return simulate(scenario_from_dict(copy.deepcopy(d)), seed)


def test_absorbed_strikes_follow_the_formula_day_by_day():
    res = run(front_dict(horizon=300))
    daily = res.sections["front_strikes"]["daily"]
    deployed, share = np.array(daily["decoys_deployed"]), np.array(daily["absorbed_share"])
    np.testing.assert_allclose(share, [absorbed_share(x, 500.0, 0.5) for x in deployed])
    expected = (60.0 * share).sum()  # absorbed ~ Poisson(lambda * p) each day, independent
    absorbed = res.sections["front_strikes"]["absorbed"]
    assert abs(absorbed - expected) < 4.0 * np.sqrt(expected)
    assert res.group_kpis["front"]["strikes_absorbed"] == absorbed
    assert res.kpis["decoy"]["destroyed_by_strikes"] == absorbed


def test_daily_strike_counts_are_poisson_with_the_schedule_mean():
    """Drawn for the whole run at the start: still Poisson(60) a day, independent days."""
    daily = np.array(run(front_dict(horizon=400))
                     .sections["front_strikes"]["daily"]["strikes"])
    assert abs(daily.sum() - 60.0 * 400) < 4.0 * np.sqrt(60.0 * 400)
    assert daily.var(ddof=1) / daily.mean() == pytest.approx(1.0, abs=0.25)   # dispersion 1
    assert abs(np.corrcoef(daily[:-1], daily[1:])[0, 1]) < 4.0 / np.sqrt(400)


def test_a_decision_keeps_the_strike_counts_it_does_not_change():
    """Common random numbers: counts are redrawn only from the day the schedule changes."""
    base = front_dict()
    plain = np.array(run(base).sections["front_strikes"]["daily"]["strikes"])

    def daily(**change):
        res = simulate(scenario_from_dict(copy.deepcopy(base)), 0,
                       changes=[(30, scenario_from_dict(front_dict(**change)))])
        return np.array(res.sections["front_strikes"]["daily"]["strikes"])

    np.testing.assert_array_equal(daily(fidelity=0.9, kill_prob=0.2), plain)
    louder = daily(strikes_per_day=120.0)
    np.testing.assert_array_equal(louder[:30], plain[:30])
    assert louder[30:].mean() == pytest.approx(120.0, rel=0.1)


def test_destroyed_targets_raise_drone_demand_exactly():
    res = run(front_dict())
    killed = res.sections["front_strikes"]["targets_destroyed"]
    assert killed > 0
    assert res.kpis["drone"]["demand"] == pytest.approx(100.0 * 120 + 4.0 * killed)
    assert res.kpis["drone"]["lost_at_front"] == pytest.approx(4.0 * killed)


def test_a_decoy_shortfall_shows_as_more_losses_and_more_demand():
    full, half = front_dict(), front_dict()
    half["factories"]["decoys"]["capacity_per_day"] = 100.0  # half the decoys the front asks for
    lost_full = [run(full, s).kpis["drone"]["lost_at_front"] for s in range(5)]
    lost_half = [run(half, s).kpis["drone"]["lost_at_front"] for s in range(5)]
    assert np.mean(lost_half) > 1.2 * np.mean(lost_full)
    assert run(half, 0).kpis["decoy"]["fill_rate"] < 0.6


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strikes=st.floats(0, 400), fidelity=st.floats(0.05, 1.0), kill=st.floats(0, 1),
       decoys=st.floats(0, 400), life=st.floats(0.5, 60), targets=st.floats(1, 2000))
def test_conservation_with_decoys_hit_and_targets_destroyed(strikes, fidelity, kill, decoys,
                                                           life, targets):
    d = front_dict(horizon=60, decoys_per_day=max(decoys, 1.0), strikes_per_day=strikes,
                   fidelity=fidelity, kill_prob=kill, decoy_life_days=life,
                   real_targets=targets)
    res = run(d, 3)  # simulate() audits the books: it raises if any unit is unaccounted for
    res.check_invariant()
    fs = res.sections["front_strikes"]
    decoy = res.items.index("decoy")
    deployed = res.delivered[:-1, decoy].sum()  # the last day's draw joins the screen tomorrow
    assert deployed == pytest.approx(fs["absorbed"] + fs["decoys_worn_out"]
                                     + fs["decoys_deployed_end"], rel=1e-9, abs=1e-6)
    assert fs["decoys_deployed_end"] >= -1e-9
    drone = res.items.index("drone")
    assert res.demand[:, drone].sum() == pytest.approx(100.0 * 60 + 4.0 * fs["targets_destroyed"])


def adaptation_dict(transit: float = 3.0, **adapt) -> dict:
    d = minimal_dict(name="adapt", horizon_days=400)
    d["links"]["road"]["transit_days"] = transit
    d["adaptation"] = {"drone": {"cycle_days": 42.0, "drop": 0.3, "report_days": 2.0,
                                 "redesign_days": 10.0, "retool_days": 5.0, **adapt}}
    return d


def test_adaptation_loop_is_computed_from_the_route_and_the_trace_has_the_formula_shape():
    res = run(adaptation_dict(transit=3.0))
    section = res.sections["adaptation"]["drone"]
    assert section["feedback_loop_days"] == {"plant": 2 + 10 + 5 + 3.0}  # 20 days
    trace = np.array(section["daily_effectiveness"])
    steady = trace[42 + 20:]
    want = steady_state(1.0, 0.3, 42.0, 20.0)
    np.testing.assert_allclose(steady[:-42], steady[42:])  # period 42 days
    assert steady.min() == pytest.approx(want["min"]) and steady.max() == pytest.approx(1.0)
    assert steady.mean() == pytest.approx(want["mean"], abs=0.01)
    drone = res.kpis["drone"]
    assert drone["effective_delivered"] == pytest.approx(res.delivered[:, 0] @ trace)
    assert drone["effective_delivered"] < drone["delivered"]


def test_a_farther_producer_has_a_longer_loop_and_less_effective_units():
    near, far = run(adaptation_dict(transit=3.0)), run(adaptation_dict(transit=30.0))
    assert far.sections["adaptation"]["drone"]["feedback_loop_days"]["plant"] == 47.0
    assert far.kpis["drone"]["mean_effectiveness"] < near.kpis["drone"]["mean_effectiveness"]


def budget_dict(per_year: float, **plant) -> dict:
    d = minimal_dict(name="money", horizon_days=500)
    d["factories"]["plant"].update(plant)
    d["budget"] = {"per_year": per_year}
    return d


def test_production_stops_exactly_when_the_years_budget_is_spent():
    # 100 units/day at 10 each: 1,000 a day; a budget of 123,456.7 lasts 123.4567 days
    res = run(budget_dict(123_456.7))
    money = res.sections["money"]
    assert money["budget_exhausted_on_day"][0] == pytest.approx(123.4567, abs=1e-9)
    produced = res.produced[:, :, 0].sum(axis=1)
    assert produced[365] == pytest.approx(12_345.67, rel=1e-12)  # the money, not a unit more
    assert produced[124] == produced[365]  # nothing made for the rest of the year
    assert produced[366] - produced[365] == pytest.approx(100.0)  # a new year, new money
    assert money["spent_by_year"][0] == pytest.approx(123_456.7, rel=1e-12)
    assert res.kpis["drone"]["cost"] == pytest.approx(sum(money["spent_by_year"].values()))


def test_investment_is_paid_and_capacity_comes_after_its_lead_time():
    res = run(budget_dict(1e9, investment_per_unit_day=500.0, lead_days=30.0, start_day=10.0))
    produced = res.produced[:, :, 0].sum(axis=1)
    assert produced[40] == 0.0 and produced[41] == pytest.approx(100.0)
    assert res.sections["money"]["investment"] == pytest.approx(500.0 * 100.0)
    assert res.group_kpis["money"]["investment"] == pytest.approx(50_000.0)


def test_cost_by_country_adds_up():
    d = budget_dict(1e12)
    d["places"]["home"]["country"] = "US"
    res = run(d)
    assert res.sections["money"]["cost_by_country"] == {"US": pytest.approx(
        res.kpis["drone"]["cost"])}


def combat_dict(**combat) -> dict:
    d = minimal_dict(name="duel", horizon_days=60)
    d["combat"] = {"friendly_strength": 1000.0, "enemy_strength": 1200.0,
                   "friendly_kill_rate": 0.02, "enemy_kill_rate": 0.01, **combat}
    return d


def test_combat_with_a_fully_supplied_front_is_the_plain_square_law():
    d = combat_dict()
    d["theatre"]["initial_stock"] = {"drone": 1e6}  # never short
    res = run(d)
    days = 60
    want = fight(1000.0, 1200.0, np.full(days, 0.01), np.full(days, 0.02), np.zeros(days),
                 np.zeros(days))
    got = res.sections["combat"]["daily"]
    np.testing.assert_allclose(got["friendly"], want.friendly)
    np.testing.assert_allclose(got["enemy"], want.enemy)
    assert res.group_kpis["combat"]["fire_factor_mean"] == 1.0


def test_a_shortfall_weakens_friendly_fire():
    d = combat_dict()  # the 3-day road: nothing arrives for three days, then 100 of 80 a day
    short = copy.deepcopy(d)
    short["factories"]["plant"]["capacity_per_day"] = 40.0  # half of what the front asks
    full, half = run(d), run(short)
    assert half.group_kpis["combat"]["fire_factor_mean"] < 0.6
    assert (half.group_kpis["combat"]["force_ratio_end"]
            < full.group_kpis["combat"]["force_ratio_end"])


def test_ships_built_are_costed_by_the_yards_country(scenarios_dir):
    res = simulate(load_scenario(scenarios_dir / "indo_pacific_allied.yaml",
                                 {"horizon_days": 300}), 2)
    money = res.sections["money"]
    ships = money["ships_built_by_country"]
    assert set(ships) <= {"US", "Japan", "South Korea"} and ships
    assert sum(ships.values()) == pytest.approx(res.transport["ship_build_cost"])
    production = sum(money["production_and_investment_by_country"].values())
    assert production == pytest.approx(res.group_kpis["money"]["spent"])
    assert sum(money["cost_by_country"].values()) == pytest.approx(production + sum(ships.values()))


def test_run_prints_the_front_the_combat_and_the_budget(tmp_path):
    d = combat_dict()
    d["items"]["decoy"] = {"unit_cost": 1.0}
    d["theatre"]["demand_per_day"]["decoy"] = 10.0
    d["front_strikes"] = front_dict()["front_strikes"]
    d["budget"] = {"per_year": 1000.0}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(d))
    res = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    assert "enemy strikes" in res.output and "absorbed by decoys" in res.output
    assert "combat: force ratio" in res.output and "budget: 1,000 a year" in res.output


def test_a_budget_raised_mid_year_restarts_production_that_day():
    low = budget_dict(123_456.7)
    high = copy.deepcopy(low)
    high["budget"]["per_year"] = 1e9
    res = simulate(scenario_from_dict(low), 0, changes=[(200, scenario_from_dict(high))])
    produced = res.produced[:, :, 0].sum(axis=1)
    assert produced[200] == pytest.approx(12_345.67, rel=1e-12)  # dry from day 123.46 to 200
    assert produced[201] - produced[200] == pytest.approx(100.0)
    assert res.sections["money"]["spent_by_year"][0] == pytest.approx(
        123_456.7 + 1000.0 * 165, rel=1e-9)


def test_strikes_can_change_mid_campaign_but_not_the_decoy_item():
    from simulator.model.decisions import ChangeError
    quiet = front_dict(strikes_per_day=0.0)
    loud = front_dict(strikes_per_day=60.0)
    res = simulate(scenario_from_dict(quiet), 0, changes=[(30, scenario_from_dict(loud))])
    daily = np.array(res.sections["front_strikes"]["daily"]["strikes"])
    assert daily[:30].sum() == 0 and daily[30:].mean() == pytest.approx(60.0, rel=0.1)
    other = copy.deepcopy(loud)
    other["items"]["flare"] = {"unit_cost": 1.0}
    other["front_strikes"]["decoy_item"] = "flare"
    other_quiet = copy.deepcopy(quiet)
    other_quiet["items"]["flare"] = {"unit_cost": 1.0}
    with pytest.raises(ChangeError, match="decoy_item"):
        simulate(scenario_from_dict(other_quiet), 0, changes=[(30, scenario_from_dict(other))])


@pytest.mark.parametrize(("day", "first_loud"), [(30.0, 30), (30.4, 30), (30.5, 30),
                                                 (30.6, 31), (31.0, 31)])
def test_a_strike_decision_applies_from_the_next_mid_day(day, first_loud):
    """Day d's strikes fall at d + 0.5 (settled the next morning): a decision before or at
    that instant changes them, one after it waits for the next day's."""
    quiet = front_dict(strikes_per_day=0.0)
    loud = front_dict(strikes_per_day=500.0)
    res = simulate(scenario_from_dict(quiet), 0, changes=[(day, scenario_from_dict(loud))])
    daily = np.array(res.sections["front_strikes"]["daily"]["strikes"])
    assert daily[:first_loud].sum() == 0 and (daily[first_loud:] > 0).all()
