"""A label (or reserved key) used where a model value is expected: one clear message, exit 2.

Sweeps (``--vary`` and plan files), the dashboard's levers and resume decisions all vary a key
to see what it does; a key that changes no number would draw a flat line that reads as a
finding, so each refuses it before anything runs or is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import simulator.classroom.dashboard as dashboard
from simulator.classroom.levers import LEVERS, Each, Lever, check_levers, lever_keys
from simulator.cli import main
from simulator.scenario import ScenarioError, load_scenario
from simulator.scenario.roles import role_of
from simulator.sweep.keys import Posture, numeric_keys
from simulator.sweep.plan import plan_from_args

from .conftest import SCENARIOS

PACIFIC = SCENARIOS / "indo_pacific_domestic.yaml"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize(("scenario", "key", "role"), [
    ("indo_pacific_domestic", "places.guam.lat", "a label"),
    ("classroom_minimal", "description", "a label"),
    ("classroom_minimal", "theatre.phases[0].name", "a label"),
    ("indo_pacific_domestic", "places.theatre_depot.lon", "a label"),
])
def test_sweeping_a_label_is_refused_naming_the_key(tmp_path: Path, monkeypatch, scenario, key,
                                                   role):
    monkeypatch.chdir(tmp_path)
    res = invoke("sweep", scenario, "--vary", f"{key}=[1,2]", "--reps", "1")
    assert res.exit_code == 2, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: --vary {key}: is {role}"), lines
    assert "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_a_plan_file_varying_a_label_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"scenario: {PACIFIC}\nvary: {{places.guam.lon: [1, 2]}}\nreps: 1\n")
    res = invoke("sweep", "--plan", str(plan))
    assert res.exit_code == 2, res.output
    assert "places.guam.lon: is a label" in res.output and "Traceback" not in res.output
    assert list(tmp_path.iterdir()) == [plan]


def test_model_keys_in_mappings_of_plain_values_can_still_be_swept():
    """``theatre.demand_per_day.drone`` is an entry of a mapping; it takes the mapping's role."""
    plan = plan_from_args("classroom_minimal", ("theatre.demand_per_day.drone=[100,200]",
                                                "links.supply_line.loss_prob=[0.1,0.2]"),
                          "grid", None, 1, 0, (), 5)
    assert plan.design.n_points == 4


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_number_a_sweep_can_address_has_a_known_role(path: Path):
    """A number whose role is unknown would slip past the label check."""
    data = Posture.from_scenario("a", load_scenario(path), path).data
    unknown = [k for k in numeric_keys(data) if role_of(k) is None]
    assert unknown == []


def test_the_dashboard_levers_move_only_keys_the_model_reads():
    check_levers()  # the shipped levers
    assert all(role_of(k) == "model" for lv in LEVERS for k in lever_keys(lv))
    bad = Lever("where", "Moves the map pins", -90, 90, 1, (Each("places", ("lat",)),))
    with pytest.raises(ScenarioError, match=r"lever 'where'.*places\.\*\.lat: is a label"):
        check_levers((*LEVERS, bad))


def test_a_dashboard_with_a_label_lever_does_not_start(monkeypatch):
    bad = Lever("where", "Moves the map pins", -90, 90, 1, (Each("places", ("lat",)),))
    monkeypatch.setattr(dashboard, "LEVERS", (*LEVERS, bad))
    res = invoke("dashboard", "--workers", "1", "--port", "0", str(PACIFIC))
    assert res.exit_code == 2, res.output
    assert "places.*.lat: is a label" in res.output and "Arsenal live view" not in res.output


def test_a_resume_decision_on_a_label_is_refused(tmp_path: Path):
    paused = tmp_path / "paused"
    assert invoke("run", str(PACIFIC), "--days", "40", "--until", "10",
                  "--out", str(paused)).exit_code == 0
    res = invoke("resume", str(paused), "--set", "places.guam.lat=13", "--out",
                 str(tmp_path / "next"))
    assert res.exit_code == 2, res.output
    assert "--set places.guam.lat: is a label" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "next").exists()
    res = invoke("resume", str(paused), "--set", "links.pacific_sealift.convoy.escorts=8",
                 "--out", str(tmp_path / "next"))
    assert res.exit_code == 0, res.output  # a key the model reads is a decision
