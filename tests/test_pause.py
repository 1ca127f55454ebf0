"""Pause and decide: ``run --until`` then ``resume`` equals the uninterrupted run; a decision
changes nothing before its day and exactly what it says after it; impossible changes are
refused before anything runs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.model import simulate
from simulator.model.decisions import ChangeError
from simulator.scenario import load_scenario

from .conftest import SCENARIOS

PACIFIC = SCENARIOS / "indo_pacific_domestic.yaml"
DAYS = "300"


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def test_resume_with_no_change_is_the_uninterrupted_run(tmp_path):
    whole, paused = tmp_path / "whole", tmp_path / "paused"
    assert invoke("run", str(PACIFIC), "--seed", "4", "--days", DAYS, "--out", str(whole)
                  ).exit_code == 0
    assert invoke("run", str(PACIFIC), "--seed", "4", "--days", DAYS, "--until", "90",
                  "--out", str(paused)).exit_code == 0
    again = tmp_path / "again"
    result = invoke("resume", str(paused), "--out", str(again))
    assert result.exit_code == 0, result.output
    for name in ("timeseries.csv", "events.csv", "fleet.csv"):
        assert (again / name).read_bytes() == (whole / name).read_bytes(), name
    a, b = (json.loads((d / "summary.json").read_text()) for d in (whole, again))
    assert a == b


def test_pausing_twice_and_deciding_once_equals_deciding_once(tmp_path):
    """Decisions accumulate in the paused state: pause, decide and pause again, then carry on
    with no change = decide at the first pause and run to the end."""
    p60 = tmp_path / "p60"
    invoke("run", str(PACIFIC), "--seed", "2", "--days", DAYS, "--until", "60", "--out", str(p60))
    escorts = ("--set", "links.pacific_sealift.convoy.escorts=6",
               "--set", "fleets.us_surge_sealift.escorts=12")
    assert invoke("resume", str(p60), *escorts, "--until", "150", "--out",
                  str(tmp_path / "p150")).exit_code == 0
    assert invoke("resume", str(tmp_path / "p150"), "--out", str(tmp_path / "a")).exit_code == 0
    assert invoke("resume", str(p60), *escorts, "--out", str(tmp_path / "b")).exit_code == 0
    for name in ("timeseries.csv", "events.csv"):
        assert ((tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes())


@pytest.fixture(scope="module")
def pacific():
    return load_scenario(PACIFIC, {"horizon_days": 400})


def test_a_decision_changes_nothing_before_its_day_and_the_escorts_after(pacific):
    day = 120
    more = load_scenario(PACIFIC, {"horizon_days": 400,
                                   "links": {"pacific_sealift": {"convoy": {"escorts": 8}}},
                                   "fleets": {"us_surge_sealift": {"escorts": 16}},
                                   "threat_zones": {"contested": {"p_attack": 0.3}}})
    base = simulate(pacific, 3)
    changed = simulate(pacific, 3, changes=[(day, more)])
    assert np.array_equal(base.stock[:day + 1], changed.stock[:day + 1])
    assert [e for e in base.events if e.day < day] == [e for e in changed.events if e.day < day]
    assert not np.array_equal(base.stock, changed.stock)
    sailed = [(e.day, e.data["escorts"]) for e in changed.events if e.kind == "convoy_sailed"]
    assert max(n for d, n in sailed if d < day) == 4  # (0 when both convoys' worth are at sea)
    assert max(n for d, n in sailed if d > day) == 8


def test_a_faster_yard_delivers_at_its_new_rate():
    """Four ships a year from day 180; on day 300 the yard goes to twelve. The ship on the
    slipway keeps its date (day 180 + 2 x 91.25); every later one comes 365/12 days apart."""
    def yard(rate):
        return load_scenario(PACIFIC, {"horizon_days": 500,
                                       "shipyards": {"us_yards": {"ships_per_year": rate}}})

    result = simulate(yard(4), 1, changes=[(300, yard(12))])
    built = np.array([e.day for e in result.events if e.kind == "ship_built"])
    assert built[:2] == pytest.approx([180 + 365 / 4, 180 + 2 * 365 / 4])
    assert np.diff(built[1:]) == pytest.approx(np.full(len(built) - 2, 365 / 12))
    assert len(built) == 2 + int((500 - built[1]) // (365 / 12))


@pytest.mark.parametrize("overrides, message", [
    ({"factories": {"us_drones": {"capacity_per_day": 9000}}}, "factories.us_drones"),
    ({"fleets": {"us_surge_sealift": {"escorts": 2}}}, "not withdrawn"),
    ({"links": {"pacific_sealift": {"convoy": {"max_loading_days": 1}}}}, "max_loading_days"),
    ({"theatre": {"demand_per_day": {"drone": 1}}}, "theatre"),
    ({"factories": {"us_decoys": None}}, "removed"),
])
def test_changes_no_component_can_take_are_refused_before_the_run(pacific, overrides, message):
    changed = load_scenario(PACIFIC, {"horizon_days": 400, **overrides})
    with pytest.raises(ChangeError, match=message):
        simulate(pacific, 0, changes=[(100, changed)])


def test_resume_refuses_clearly(tmp_path):
    paused = tmp_path / "p"
    invoke("run", str(PACIFIC), "--days", DAYS, "--until", "50", "--out", str(paused))
    cases = [
        (["--set", "factories.us_drones.sites=9"], "factories.us_drones"),
        (["--set", "horizon_days=900"], "horizon_days"),
        (["--until", "40"], "after the pause"),
        (["--until", "999"], "horizon"),
        (["--set", "links.nope.convoy.escorts=3"], "nope"),
    ]
    for extra, message in cases:
        result = invoke("resume", str(paused), *extra, "--out", str(tmp_path / "x"))
        assert result.exit_code == 2 and message in result.output, (extra, result.output)
        assert not (tmp_path / "x").exists()
    (paused / "state.json").write_text("{not json")
    result = invoke("resume", str(paused))
    assert result.exit_code == 2 and "state.json" in result.output
    result = invoke("run", str(PACIFIC), "--days", DAYS, "--until", DAYS)
    assert result.exit_code == 2 and "before the horizon" in result.output
