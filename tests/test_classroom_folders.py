"""The classroom commands (``run --until``, ``resume``, ``map``) write result folders with the
same guarantees as ``arsenal run``: below ``results/`` whatever the scenario's name, refused
without ``--force`` when a result is already there, whole or not at all when killed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main

from .conftest import SCENARIOS
from .test_result_folders import arsenal, snapshot

SCENARIO = SCENARIOS / "classroom_minimal.yaml"
MAPPED = SCENARIOS / "indo_pacific_domestic.yaml"  # the map needs coordinates
PAUSED_FILES = {"summary.json", "timeseries.csv", "events.csv", "timeseries.parquet",
                "events.parquet", "scenario.resolved.yaml", "manifest.json", "state.json"}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _named(work: Path, name: str, base: Path = SCENARIO) -> Path:
    scenario = work / f"{base.stem}.yaml"
    scenario.write_text(f"extends: {base}\nname: {json.dumps(name)}\nhorizon_days: 20\n")
    return scenario


def _only_below_results(root: Path, work: Path, before: set[Path]) -> None:
    made = set(root.rglob("*")) - before
    assert made, "nothing was written"
    assert all(p == work / "results" or (work / "results") in p.parents for p in made), \
        sorted(map(str, made))
    assert all(not p.name.startswith(".") for p in (work / "results").iterdir())


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/classroom_escape", "a/../../b"])
def test_pause_resume_and_map_never_write_outside_results(tmp_path: Path, monkeypatch, name):
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    scenario, mapped = _named(work, name), _named(work, name, MAPPED)
    before = set(tmp_path.rglob("*"))
    res = invoke("run", str(scenario), "--until", "10", "--seed", "3")
    assert res.exit_code == 0, res.output
    paused = [p for p in (work / "results").iterdir() if p.is_dir()]
    assert len(paused) == 1 and set(snapshot(paused[0])) == PAUSED_FILES
    res = invoke("resume", str(paused[0]))
    assert res.exit_code == 0, res.output
    res = invoke("map", str(mapped), "--no-gif")
    assert res.exit_code == 0, res.output
    _only_below_results(tmp_path, work, before)
    assert len([p for p in (work / "results").iterdir() if p.is_dir()]) == 3
    assert not list(Path("/tmp").glob("classroom_escape*"))


def test_an_existing_result_is_refused_without_force_and_replaced_with_it(tmp_path: Path):
    out, resumed, page = tmp_path / "paused", tmp_path / "resumed", tmp_path / "map"
    assert invoke("run", str(SCENARIO), "--until", "10", "--out", str(out)).exit_code == 0
    assert invoke("resume", str(out), "--until", "20", "--out", str(resumed)).exit_code == 0
    assert invoke("map", str(MAPPED), "--days", "20", "--no-gif", "--out",
                  str(page)).exit_code == 0
    kept = {p: snapshot(p) for p in (out, resumed, page)}
    again = {out: ["run", str(SCENARIO), "--until", "12", "--out", str(out)],
             resumed: ["resume", str(out), "--until", "30", "--out", str(resumed)],
             page: ["map", str(MAPPED), "--days", "20", "--no-gif", "--out", str(page)]}
    for folder, args in again.items():
        res = invoke(*args)
        assert res.exit_code == 2, res.output
        assert "already holds a result" in res.output and "--force" in res.output
        assert "Traceback" not in res.output
        assert snapshot(folder) == kept[folder]
    for folder, args in again.items():
        res = invoke(*args, "--force")
        assert res.exit_code == 0, res.output
        assert set(snapshot(folder)) == set(kept[folder])
    assert json.loads((out / "state.json").read_text())["day"] == 12
    assert json.loads((resumed / "state.json").read_text())["day"] == 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map", "paused", "resumed"]


def test_a_folder_that_is_not_a_result_is_never_replaced(tmp_path: Path):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "lesson.md").write_text("keep me")
    for args in (["run", str(SCENARIO), "--until", "5"], ["map", str(MAPPED), "--no-gif"]):
        res = invoke(*args, "--out", str(precious), "--force")
        assert res.exit_code == 2 and "no manifest.json" in res.output, res.output
    assert snapshot(precious) == {"lesson.md": b"keep me"}


@pytest.mark.parametrize("k", [1, 3, 6])
def test_a_killed_pause_leaves_the_old_paused_campaign_untouched(tmp_path: Path, k: int):
    out = tmp_path / "out"
    assert invoke("run", str(SCENARIO), "--until", "10", "--seed", "1",
                  "--out", str(out)).exit_code == 0
    old = snapshot(out)
    res = arsenal(["run", str(SCENARIO), "--until", "15", "--seed", "2", "--out", str(out),
                   "--force"], tmp_path, HOOK_MODE="write", HOOK_SIG="SIGKILL", HOOK_K=str(k))
    assert res.returncode != 0 and "Traceback" not in res.stderr, res.stderr
    assert snapshot(out) == old
    res = invoke("run", str(SCENARIO), "--until", "15", "--seed", "2", "--out", str(out),
                 "--force")  # the next run takes over what the killed one left
    assert res.exit_code == 0, res.output
    assert json.loads((out / "state.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
