"""Sweeps: specs, designs, seeds, executors that agree, resume, failures, bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.model import simulate
from simulator.sweep import SweepError, make_design, parse_spec, run_seed, run_sweep
from simulator.sweep.store import chunk_files
from tests.sweep_helpers import (
    CLASSROOM,
    ROOT,
    DiesAtLoss,
    run_small,
    small_plan,
    sweep_rows,
)


def test_specs_parse_lists_ranges_and_bounds():
    assert parse_spec("k=[2,4,8]").values == (2.0, 4.0, 8.0)
    assert parse_spec("k=0:0.3:7").values == (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
    assert parse_spec("k=0.0..0.3").bounds == (0.0, 0.3)
    for bad in ("k=", "k=[1,2", "k=0.3..0.1", "k=0:1:0", "k=0:1:1e9", "k=[nan]", "k=1..inf",
                "k=a..b", "k=1:2", "=3", "k"):
        with pytest.raises(SweepError):
            parse_spec(bad)


def test_grid_is_the_full_factorial_first_key_slowest():
    d = make_design("grid", [parse_spec("a=[1,2]"), parse_spec("b=0:1:3")], None, 0)
    assert d.points.tolist() == [[1, 0], [1, 0.5], [1, 1], [2, 0], [2, 0.5], [2, 1]]


def test_lhs_has_one_point_in_each_stratum_and_rounds_whole_keys():
    d = make_design("lhs", [parse_spec("a=0..1"), parse_spec("b=0..100")], 10, 7, {"b"})
    assert sorted(np.floor(d.points[:, 0] * 10).astype(int)) == list(range(10))
    assert np.all(d.points[:, 1] == np.round(d.points[:, 1]))
    again = make_design("lhs", [parse_spec("a=0..1"), parse_spec("b=0..100")], 10, 7, {"b"})
    assert np.array_equal(d.points, again.points)


def test_sobol_design_size_and_power_of_two():
    d = make_design("sobol", [parse_spec("a=0..1"), parse_spec("b=2..3")], 8, 0)
    assert d.points.shape == (8 * 4, 2)
    assert d.points[:, 1].min() >= 2 and d.points[:, 1].max() <= 3
    with pytest.raises(SweepError, match="power of 2"):
        make_design("sobol", [parse_spec("a=0..1")], 10, 0)
    with pytest.raises(SweepError, match="bounds"):
        make_design("grid", [parse_spec("a=0..1")], None, 0)


def test_a_row_is_the_simulation_of_its_point_on_its_own_seed(tmp_path: Path):
    """The seed of run (point, rep) is SeedSequence(seed, spawn_key=(point, rep)), nothing else."""
    rows = run_small(tmp_path / "s", executor="serial")
    plan = small_plan()
    assert len(rows) == plan.design.n_points * plan.reps
    assert rows.run_id.tolist() == list(range(len(rows))) and rows.error.isna().all()
    base = plan.model.bases[0]
    for run_id in (0, 9, 23):
        row = rows.iloc[run_id]
        values = plan.design.values(int(row.point))
        kpis = simulate(base.scenario_at(values), run_seed(3, int(row.point),
                                                           int(row.replication))).flat_kpis()
        for key, value in values.items():
            assert row[key] == value
        for name in ("drone.fill_rate", "drone.lost_in_transit", "shell.delivered"):
            assert row[name] == pytest.approx(kpis[name], rel=0, abs=0)
    lost = rows.groupby("links.supply_line.loss_prob")["drone.lost_in_transit"].mean()
    assert lost[0.0] == 0 and lost[0.1] > 0 and lost[0.3] > lost[0.1]


def test_serial_and_processes_give_identical_rows(tmp_path: Path):
    serial = run_small(tmp_path / "a", executor="serial", chunk=5)
    pooled = run_small(tmp_path / "b", executor="processes", workers=2, chunk=3)
    pd.testing.assert_frame_equal(serial, pooled)


def test_interrupted_then_resumed_equals_uninterrupted(tmp_path: Path):
    whole = run_small(tmp_path / "whole", executor="serial")
    plan = small_plan()
    out = tmp_path / "cut"
    seen = []

    def stop_after_ten(n: int) -> None:
        seen.append(n)
        if sum(seen) >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, chunk=2, flush_rows=1,
                  extra=plan.describe(), progress=stop_after_ten)
    partial = sweep_rows(out)
    assert 0 < len(partial) < len(whole)
    summary = run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, resume=True,
                        extra=plan.describe())
    assert summary.skipped == len(partial) and summary.ran == len(whole) - len(partial)
    pd.testing.assert_frame_equal(sweep_rows(out), whole)


KILL_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.sweep_helpers import small_plan
from simulator.sweep import run_sweep
plan = small_plan(reps=40)
run_sweep(plan.design, plan.model, plan.reps, plan.seed, Path(sys.argv[1]), chunk=2,
          flush_rows=1, executor="processes", workers=2, extra=plan.describe())
"""


def test_a_sweep_killed_hard_resumes_without_lost_or_duplicated_rows(tmp_path: Path):
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT.format(root=str(ROOT)),
                             str(out)], start_new_session=True)
    deadline = time.monotonic() + 60
    while len(chunk_files(out)) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    plan = small_plan(reps=40)
    total = plan.design.n_points * plan.reps
    before = len(sweep_rows(out))
    assert 0 < before < total, "the kill came too late to test anything"
    run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, resume=True,
              extra=plan.describe())
    rows = sweep_rows(out)
    assert rows.run_id.tolist() == list(range(total))
    fresh = tmp_path / "fresh"
    run_sweep(plan.design, plan.model, plan.reps, plan.seed, fresh, extra=plan.describe())
    pd.testing.assert_frame_equal(rows, sweep_rows(fresh))


def test_a_failing_point_records_its_error_and_the_sweep_goes_on(tmp_path: Path):
    # start_rate above capacity is rejected by the scenario, only where both are varied so
    plan_args = (str(CLASSROOM), ("factories.drone_plant.start_rate_per_day=[100,900]",
                                  "factories.drone_plant.capacity_per_day=[500,1000]"),
                 "grid", None, 2, 0, (), 20)
    from simulator.sweep import plan_from_args

    plan = plan_from_args(*plan_args)
    summary = run_sweep(plan.design, plan.model, plan.reps, plan.seed, tmp_path / "f",
                        extra=plan.describe())
    rows = sweep_rows(tmp_path / "f")
    assert summary.failed_points == 1 and summary.failed_runs == 2
    bad = rows[rows.point == 2]  # start 900 with capacity 500
    assert bad.error.str.contains("start_rate_per_day").all()
    good = rows[rows.point != 2]
    assert good.error.isna().all() and good["drone.fill_rate"].notna().all()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("args, message", [
    (("--vary", "links.supply_lin.loss_prob=[0.1]"), "did you mean links.supply_line.loss_prob"),
    (("--vary", "links.supply_line.loss_prob=0:2:3"), "less than or equal to 1"),
    (("--vary", "links.supply_line.loss_prob=0..0.5:"), "not a number"),
    (("--vary", "links.supply_line.loss_prob=[0.1,0.2"), "cannot parse"),
    (("--vary", "factories.shell_plant.sites=[1,2.5]"), "whole number"),
    (("--vary", "links.supply_line.loss_prob=0..0.3", "--design", "sobol", "--samples", "6"),
     "power of 2"),
    (("--vary", "links.supply_line.loss_prob=[0.1]", "--executor", "dask", "--scheduler",
      "tcp://127.0.0.1:9"), "cannot reach a Dask scheduler"),
])
def test_bad_input_exits_2_and_writes_nothing(tmp_path: Path, args, message):
    out = tmp_path / "never"
    started = time.monotonic()
    result = invoke("sweep", str(CLASSROOM), "--days", "10", "--out", str(out), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert time.monotonic() - started < 15


def test_cli_refuses_to_overwrite_and_resumes(tmp_path: Path):
    out = tmp_path / "s"
    args = ("sweep", str(CLASSROOM), "--days", "10", "--reps", "2", "--workers", "1",
            "--vary", "links.supply_line.loss_prob=[0,0.2]", "--out", str(out))
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "4 runs" in first.output
    again = invoke(*args)
    assert again.exit_code == 2 and "--resume" in again.output
    other = invoke(*args[:-4], "--vary", "links.supply_line.loss_prob=[0,0.3]", "--out",
                   str(out), "--resume")
    assert other.exit_code == 2 and "differs" in other.output
    resumed = invoke(*args, "--resume")
    assert resumed.exit_code == 0 and "4 already written" in resumed.output


@pytest.mark.parametrize("plan, message", [
    ("postures: {a: X, b: X}\nvary: {links.supply_line.loss_prob: '[0.1]'}\nreps: 2\n", None),
    ("scenario: X\nvary: {links.supply_line.los_prob: [0.1]}\n", "did you mean"),
    ("scenario: X\nvary: {links.supply_line.loss_prob: [0.1]}\nreps: 0\n", "reps"),
    ("scenario: X\nvary: {}\n", "vary"),
    ("scenario: X\nvary: {links.supply_line.loss_prob: [0.1]}\nrepz: 3\n", "unknown key"),
    ("scenario: X\npostures: {a: X, b: X}\nvary: {links.supply_line.loss_prob: [0.1]}\n",
     "either scenario"),
    ("scenario: X\nset: {links.supply_line.transit_days: -1}\n"
     "vary: {links.supply_line.loss_prob: [0.1]}\n", "transit_days"),
    ("scenario: nowhere.yaml\nvary: {links.supply_line.loss_prob: [0.1]}\n", "file not found"),
])
def test_plans_run_or_fail_clearly(tmp_path: Path, plan: str, message: str | None):
    path = tmp_path / "plan.yaml"
    path.write_text(plan.replace("X", str(CLASSROOM)))
    out = tmp_path / "out"
    result = invoke("sweep", "--plan", str(path), "--workers", "1", "--out", str(out))
    if message is None:
        assert result.exit_code == 0, result.output
        assert "paired" in result.output and len(sweep_rows(out)) == 2 * 2
    else:
        assert result.exit_code == 2 and message in result.output, result.output
        assert "Traceback" not in result.output and not out.exists()


def test_progress_bar_shows_rate_and_eta_on_a_terminal_only():
    import io

    from simulator.sweep.progress import ProgressBar

    shown, hidden = io.StringIO(), io.StringIO()
    bar = ProgressBar(100, "demo", stream=shown, enabled=True, min_interval=0)
    quiet = ProgressBar(100, "demo", stream=hidden)  # StringIO is not a terminal
    for _ in range(4):
        bar(25)
        quiet(25)
    bar.close()
    quiet.close()
    last = shown.getvalue().strip().split("\r")[-1]
    assert "100/100" in last and "runs/s" in last and "ETA 0:00" in last
    assert hidden.getvalue() == ""


def test_a_broken_pool_stops_the_sweep_keeping_finished_chunks(tmp_path: Path):
    """A worker process that dies (not a model error) is an executor failure: exit 1, resume."""
    from simulator.sweep.errors import ExecutorFailure

    plan = small_plan(reps=20)
    with pytest.raises(ExecutorFailure, match="BrokenProcessPool"):
        run_sweep(plan.design, DiesAtLoss(plan.model), plan.reps, plan.seed, tmp_path / "b",
                  executor="processes", workers=2, chunk=5, flush_rows=1)
    rows = sweep_rows(tmp_path / "b")
    # task 16 (the first at loss 0.3) goes out only once 9 of the 8-wide window have come back
    assert len(rows) >= 9 * 5 and (rows["links.supply_line.loss_prob"] < 0.3).all()


def test_dependencies_point_one_way():
    """The model never imports sweeps or analysis; sweeps never import analysis or the CLI."""
    import ast

    def imports(folder: Path) -> set[str]:
        names = set()
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module:
                    names.add(node.module)
                elif isinstance(node, ast.Import):
                    names.update(a.name for a in node.names)
        return names

    model = imports(ROOT / "simulator" / "model")
    assert not {m for m in model if m.startswith(("simulator.sweep", "simulator.analysis"))}
    sweep = imports(ROOT / "simulator" / "sweep")
    assert not {m for m in sweep if m.startswith(("simulator.analysis", "simulator.cli"))}
    analysis = imports(ROOT / "simulator" / "analysis")
    assert not {m for m in analysis if m.startswith(("simulator.model", "simulator.cli"))}


@pytest.mark.parametrize("scenario", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_a_posture_rebuilt_at_no_change_is_the_scenario(scenario: str):
    # Each point is validated again from the posture's data: with defaults written out, a
    # default of a key that does not apply to the chosen model (p_loss on a per_convoy zone)
    # would be refused, and every sweep of that scenario would fail before it started.
    from simulator.scenario import load_scenario
    from simulator.sweep.keys import Posture

    loaded = load_scenario(ROOT / "scenarios" / scenario)
    posture = Posture.from_scenario(loaded.name, loaded, ROOT / "scenarios" / scenario)
    assert posture.scenario_at({}) == loaded


def test_the_readme_sweep_example_keys_are_accepted(tmp_path: Path):
    # The README's example varies a per_convoy zone's attack probability (whose p_loss is only
    # a default) and a shipyard's whole-number rate.
    result = CliRunner().invoke(main, [
        "sweep", str(ROOT / "scenarios" / "indo_pacific_allied.yaml"),
        "--vary", "threat_zones.contested.p_attack=0.05:0.4:2",
        "--vary", "shipyards.korean_yards.ships_per_year=[1,8]",
        "--reps", "1", "--days", "20", "--out", str(tmp_path / "sw")])
    assert result.exit_code == 0, result.output
    rows = pd.read_parquet(tmp_path / "sw" / "runs")
    assert len(rows) == 4
