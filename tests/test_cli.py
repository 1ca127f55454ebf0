"""The ``arsenal`` command end to end, through click's test runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.scenario import load_scenario

from .conftest import SCENARIOS

BUNDLED = sorted(SCENARIOS.glob("*.yaml"))
_CLASSROOM = SCENARIOS / "classroom_minimal.yaml"
SCENARIO = _CLASSROOM if _CLASSROOM.exists() else SCENARIOS / "indo_pacific_domestic.yaml"
DAYS = "60"
KPI_KEYS = {"demand", "delivered", "fill_rate", "shortfall_days", "produced", "lost_in_transit",
            "end_stock", "cost"}
FILES = {"summary.json", "timeseries.csv", "events.csv", "timeseries.parquet", "events.parquet",
         "scenario.resolved.yaml", "manifest.json"}


def invoke(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def run(out: Path, *extra: str, scenario: Path = SCENARIO):
    result = invoke("run", str(scenario), "--days", DAYS, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return result


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    run(out, "--seed", "3")
    return out


def test_run_writes_every_file_with_the_documented_summary(first_run: Path):
    assert {p.name for p in first_run.iterdir()} == FILES
    s = summary(first_run)
    sc = load_scenario(SCENARIO)
    assert s["scenario"] == sc.name and s["seed"] == 3 and s["days"] == int(DAYS)
    assert set(s["kpis"]) == set(sc.items)
    for kpis in s["kpis"].values():
        assert set(kpis) >= KPI_KEYS
        assert 0.0 <= kpis["fill_rate"] <= 1.0
        assert kpis["shortfall_days"] <= int(DAYS)
    manifest = json.loads((first_run / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["arsenal_version"]
    header = (first_run / "timeseries.csv").read_text().splitlines()[0]
    assert header.startswith("day")
    assert len((first_run / "timeseries.csv").read_text().splitlines()) >= int(DAYS) + 1


def test_json_prints_the_same_summary(first_run: Path, tmp_path: Path):
    result = run(tmp_path / "again", "--seed", "3", "--json")
    assert json.loads(result.stdout) == summary(first_run)


def test_run_prints_a_kpi_table(first_run: Path, tmp_path: Path):
    result = run(tmp_path / "table", "--seed", "3")
    for item in summary(first_run)["kpis"]:
        assert item in result.stdout


def test_set_doubling_demand_doubles_the_demand_kpi(first_run: Path, tmp_path: Path):
    demand = load_scenario(SCENARIO).theatre.demand_per_day
    item = sorted(demand)[0]
    out = tmp_path / "doubled"
    run(out, "--seed", "3", "--set", f"theatre.demand_per_day.{item}={2 * demand[item]}")
    before, after = summary(first_run)["kpis"][item], summary(out)["kpis"][item]
    assert after["demand"] == pytest.approx(2 * before["demand"], rel=1e-12)
    assert after["produced"] == pytest.approx(before["produced"])  # production does not react


def test_rerun_into_a_result_folder_is_refused_without_force_and_replaces_it_with(
        tmp_path: Path):
    out = tmp_path / "out"
    run(out, "--seed", "1")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    refused = invoke("run", str(SCENARIO), "--days", DAYS, "--out", str(out), "--seed", "2")
    assert refused.exit_code == 2 and "--force" in refused.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched
    (out / "notes.txt").write_text("stale file of the earlier run")
    run(out, "--seed", "2", "--force")
    assert {p.name for p in out.iterdir()} == FILES  # the whole folder is the new run's
    assert summary(out)["seed"] == 2
    assert json.loads((out / "manifest.json").read_text())["seed"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no lock, no partial folder


def test_resolved_scenario_reloads_and_reproduces_the_run(first_run: Path, tmp_path: Path):
    resolved = first_run / "scenario.resolved.yaml"
    assert load_scenario(resolved) == load_scenario(SCENARIO, {"horizon_days": int(DAYS)})
    out = tmp_path / "replay"
    result = invoke("run", str(resolved), "--seed", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert summary(out) == summary(first_run)


def test_validate_passes_every_bundled_scenario():
    result = invoke("validate", *map(str, BUNDLED))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [f"{p}: ok" for p in BUNDLED]


def test_scenarios_lists_every_bundled_file_with_a_description():
    result = invoke("scenarios")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    for path in BUNDLED:
        line = next((ln for ln in lines if path.name in ln), None)
        assert line is not None, f"{path.name} not listed"
        description = line.split(path.name, 1)[1].strip()
        assert len(description) > 10, f"{path.name} has no description"


def test_outputs_round_trip_exactly_and_parquet_matches_csv(tmp_path):
    """The files hold the doubles themselves: the books can be checked from them."""
    import pandas as pd

    from simulator.model import simulate
    from simulator.output import write_run

    sc = load_scenario(SCENARIOS / "classroom_minimal.yaml")
    res = simulate(sc, 3)
    write_run(tmp_path, res, sc)
    frame = res.timeseries()
    csv = pd.read_csv(tmp_path / "timeseries.csv")
    parquet = pd.read_parquet(tmp_path / "timeseries.parquet")
    for col in frame.columns:
        if frame[col].dtype.kind == "f":
            assert (csv[col].to_numpy() == frame[col].to_numpy()).all(), col
            assert (parquet[col].to_numpy() == frame[col].to_numpy()).all(), col
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["packages"]["numpy"] and manifest["packages"]["pyarrow"]
    assert "git_commit" in manifest
