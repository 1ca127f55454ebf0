"""Faults a new user hits, one test each: runaway values, paths that escape, keys that do not
apply, suspicious set-ups, interruptions, bugs, a posture with no industry for an item."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main

from .conftest import ROOT, SCENARIOS

CLASSROOM = SCENARIOS / "classroom_minimal.yaml"
PACIFIC = SCENARIOS / "indo_pacific_domestic.yaml"


def invoke(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def variant(tmp_path: Path, text: str, base: Path = CLASSROOM, name: str = "v.yaml") -> Path:
    path = tmp_path / name
    path.write_text(f"extends: {base}\n{text}")
    return path


# ---- runaway values: refused before running, exit 2, the key named --------------------------

RUNAWAY = [
    (CLASSROOM, "factories.drone_plant.mtbf_days=1e-6", "factories.drone_plant.mttr_days=1e-6",
     "factories.drone_plant.mtbf_days"),
    (PACIFIC, "shipyards.us_yards.ships_per_year=1e7", None, "shipyards.us_yards.ships_per_year"),
    (CLASSROOM, "factories.drone_plant.capacity_per_day=1e308", None,
     "factories.drone_plant.capacity_per_day"),
    (PACIFIC, f"fleets.us_surge_sealift.classes.lmsr.count={10**30}", None,
     "fleets.us_surge_sealift.classes.lmsr.count"),
    (CLASSROOM, f"factories.drone_plant.sites={10**30}", None, "factories.drone_plant.sites"),
    (PACIFIC, "links.pacific_airbridge.sortie_days=1e-5", None,
     "links.pacific_airbridge.sortie_days"),
    (CLASSROOM, "items.drone.cargo_footprint=1e-300", None, "items.drone.cargo_footprint"),
    (CLASSROOM, "items.drone.unit_cost=1e300", None, "items.drone.unit_cost"),
]


@pytest.mark.parametrize(("scenario", "first", "second", "key"), RUNAWAY)
def test_a_runaway_value_is_refused_before_running(tmp_path: Path, monkeypatch, scenario,
                                                   first, second, key):
    monkeypatch.setattr("simulator.cli.simulate", lambda *a: pytest.fail("simulated"))
    sets = ["--set", first] + (["--set", second] if second else [])
    out = tmp_path / "out"
    res = invoke("run", scenario, *sets, "--out", out)
    assert res.exit_code == 2, res.output
    assert key in res.output and res.output.startswith("error: ")
    assert not out.exists()


def test_a_symlink_loop_is_a_clear_error(tmp_path: Path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    res = invoke("validate", tmp_path / "a.yaml")
    assert res.exit_code == 2 and "loop of symbolic links" in res.output
    res = invoke("validate", variant(tmp_path, "", base=tmp_path / "a.yaml"))
    assert res.exit_code == 2 and "extends" in res.output and "loop" in res.output


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc/hostname", "/proc/self/environ"])
def test_extends_reads_only_scenario_files_and_never_echoes_them(tmp_path: Path, target: str):
    res = invoke("validate", variant(tmp_path, "", base=Path(target)))
    assert res.exit_code == 2
    assert len(res.output.strip().splitlines()) == 1, res.output
    secret = Path(target).read_bytes()[:20].decode("utf-8", "replace").strip()
    if secret:
        assert secret not in res.output


def test_extends_of_a_text_file_named_yaml_does_not_quote_it(tmp_path: Path):
    secret = tmp_path / "notes.yaml"
    secret.write_text("my password is hunter2\n")
    res = invoke("validate", variant(tmp_path, "", base=secret))
    assert res.exit_code == 2 and "hunter2" not in res.output


def test_extends_of_a_pipe_does_not_block(tmp_path: Path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    res = invoke("validate", variant(tmp_path, "", base=fifo))
    assert res.exit_code == 2 and "not a regular file" in res.output


# ---- keys that do not apply; warnings and --strict ---------------------------------------------

@pytest.mark.parametrize(("text", "key"), [
    ("threat_zones:\n  open_pacific: {p_attack: 0.5}\n", "threat_zones.open_pacific.p_attack"),
    ("threat_zones:\n  contested: {p_loss: 0.5}\n", "threat_zones.contested.p_loss"),
])
def test_a_key_that_does_not_apply_to_the_model_is_an_error(tmp_path: Path, text, key):
    res = invoke("validate", variant(tmp_path, text, base=PACIFIC))
    assert res.exit_code == 2 and key in res.output and "does not apply" in res.output


SUSPICIOUS = [
    ("links:\n  pacific_sealift:\n    convoy: {escorts: 20}\n", "convoy.escorts"),
    ("links:\n  pacific_sealift:\n    legs:\n      - {to: guam, distance_nm: 100}\n"
     "      - {to: pearl_harbor, distance_nm: 100}\n      - {to: guam, distance_nm: 100}\n"
     "      - {to: theatre_depot, distance_nm: 100}\n", "more than once"),
    # (the bundled strikes name the phases this replaces: drop them, or they are errors)
    ("theatre:\n  phases:\n    - {name: late, start_day: 900, multiplier: 2}\n"
     "front_strikes: {by_phase: null}\n", "after the 730-day horizon"),
    ("factories: {us_drones: null}\n", "no factory makes 'drone'"),
    ("shipyards:\n  us_yards: {start_day: 800}\n", "shipyards.us_yards.start_day"),
    ("factories:\n  us_shells: {start_rate_per_day: 10, ramp_days: 0}\n",
     "factories.us_shells.start_rate_per_day"),
]


@pytest.mark.parametrize(("text", "warning"), SUSPICIOUS)
def test_validate_warns_of_suspicious_setups_and_strict_refuses_them(tmp_path: Path, text,
                                                                     warning):
    path = variant(tmp_path, text, base=PACIFIC)
    res = invoke("validate", path)
    assert res.exit_code == 0, res.output
    assert "warning:" in res.output and warning in res.output
    strict = invoke("validate", "--strict", path)
    assert strict.exit_code == 2 and warning in strict.output
    assert invoke("validate", "--strict", PACIFIC).exit_code == 0  # the bundled one is clean


def test_compare_warns_when_a_is_compared_with_itself(tmp_path: Path):
    strict = invoke("compare", CLASSROOM, CLASSROOM, "--reps", "2", "--strict",
                    "--out", tmp_path / "strict")
    assert strict.exit_code == 2 and "same posture" in strict.output
    assert not (tmp_path / "strict").exists()
    other = variant(tmp_path, "factories:\n  decoy_plant: {capacity_per_day: 300}\n")
    differs = invoke("compare", CLASSROOM, other, "--reps", "2", "--strict", "--days", "5",
                     "--out", tmp_path / "strict", "--workers", "1")
    assert "same posture" not in differs.output


# ---- interruptions and bugs -------------------------------------------------------------------

def test_ctrl_c_in_a_single_run_exits_130_and_writes_nothing(tmp_path: Path, monkeypatch):
    def interrupted(*_a):
        raise KeyboardInterrupt
    monkeypatch.setattr("simulator.cli.simulate", interrupted)
    res = invoke("run", CLASSROOM, "--out", tmp_path / "out")
    assert res.exit_code == 130 and "Aborted" not in res.output
    assert "interrupted" in res.output and list(tmp_path.iterdir()) == []


def test_an_unexpected_exception_is_one_line_and_a_log(tmp_path: Path, monkeypatch):
    def bug(*_a):
        raise ValueError("something the model never expected")
    monkeypatch.setattr("simulator.cli.simulate", bug)
    res = invoke("run", CLASSROOM, "--out", tmp_path / "out")
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "ValueError" in lines[0] and "full log: " in lines[0]
    log = Path(lines[0].rsplit("full log: ", 1)[1].rstrip(")"))
    text = log.read_text()
    log.unlink()
    assert "Traceback" in text and "something the model never expected" in text
    assert list(tmp_path.iterdir()) == []


# ---- a posture without an industry; the report -------------------------------------------------

def test_a_posture_that_makes_none_of_an_item_compares_fine(tmp_path: Path):
    none = variant(tmp_path, "name: no_drones\nfactories: {drone_plant: null}\n")
    out = tmp_path / "out"
    res = invoke("compare", CLASSROOM, none, "--reps", "2", "--days", "20", "--workers", "1",
                 "--out", out)
    assert res.exit_code == 0, res.output
    assert "no factory makes 'drone'" in res.output  # said, not silently accepted
    page = (out / "report.html").read_text()
    for figure in ("production_by_place", "front_stock_shortfall", "fill_rate", "losses",
                   "event_timeline"):
        assert (out / f"{figure}.png").stat().st_size > 1000
        assert f'href="{figure}.png"' in page  # tap to open full size
    assert '<meta name="viewport"' in page and "class=scroll" in page
    assert "US plants" not in page and "the plants at home (decoy_plant, shell_plant)" in page
    table = json.loads((out / "manifest.json").read_text())
    assert table["scenario_b"] == "no_drones"


# ---- bundled scenarios by name; the notebook from anywhere -------------------------------------

def test_a_bundled_scenario_runs_by_name_from_any_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = invoke("run", "classroom_minimal", "--days", "5")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "results" / "classroom_minimal-seed0" / "summary.json").is_file()
    assert invoke("validate", "classroom_minimal").exit_code == 0
    missing = invoke("run", "no_such_scenario")
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_the_notebook_setup_runs_from_any_folder(tmp_path: Path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbconvert")  # `jupyter nbconvert` comes with the test extras
    notebook = nbformat.read(ROOT / "notebooks" / "classroom.ipynb", as_version=4)
    setup = next(c.source for c in notebook.cells if c.cell_type == "code")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(setup, "classroom.ipynb: first cell", "exec"), namespace)
    assert namespace["scenario"].name == "classroom_minimal"
