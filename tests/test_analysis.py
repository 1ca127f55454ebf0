"""Analysis of sweep folders: Ishigami's Sobol indices, PRIM boxes, intervals, the CLI page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.analysis import analyze_sweep, load_sweep, point_table
from simulator.cli import main
from simulator.experiment.stats import t_interval
from simulator.sweep import make_design, parse_spec, run_sweep
from tests.sweep_helpers import CLASSROOM, Ishigami, run_small


def test_sobol_indices_of_ishigami_match_the_closed_form(tmp_path: Path):
    """The same path as a simulator sweep: design -> runner -> Parquet -> analysis."""
    bounds = "-3.141592653589793..3.141592653589793"
    design = make_design("sobol", [parse_spec(f"x{i}={bounds}") for i in (1, 2, 3)], 1024, 1)
    model = Ishigami()
    run_sweep(design, model, 1, 1, tmp_path / "ish", executor="serial")
    result = analyze_sweep(tmp_path / "ish", kpis=["y"])
    s1, st = model.indices()
    table = result.sobol.set_index("key")
    for j, key in enumerate(["x1", "x2", "x3"]):
        row = table.loc[key]
        assert abs(row.S1 - s1[j]) < 0.04, key
        assert abs(row.ST - st[j]) < 0.04, key
        assert row.S1_low <= s1[j] <= row.S1_high and row.ST_low <= st[j] <= row.ST_high
    assert (tmp_path / "ish" / "sobol.csv").is_file()
    assert (tmp_path / "ish" / "sobol_ishigami.png").is_file()


@dataclass(frozen=True)
class Corner:
    """1 inside the box x1 > 0.6 and x2 < 0.3 of the unit square, 0 elsewhere."""

    postures: tuple[str, ...] = ("corner",)

    def at(self, values: Mapping[str, float]):
        inside = values["x1"] > 0.6 and values["x2"] < 0.3
        return lambda seed: {"corner": {"y": float(inside)}}


def test_prim_finds_the_box_that_produces_the_outcome(tmp_path: Path):
    design = make_design("lhs", [parse_spec("x1=0..1"), parse_spec("x2=0..1"),
                                 parse_spec("x3=0..1")], 600, 2)
    run_sweep(design, Corner(), 1, 2, tmp_path / "c", executor="serial")
    result = analyze_sweep(tmp_path / "c", kpis=["y"], thresholds=["y>0.5"])
    box = result.boxes[("corner", "y > 0.5")][0]
    assert set(box.limits) == {"x1", "x2"}
    assert box.limits["x1"][0] == pytest.approx(0.6, abs=0.02)
    assert box.limits["x2"][1] == pytest.approx(0.3, abs=0.02)
    assert box.density >= 0.9 and box.coverage >= 0.9


def test_point_intervals_are_the_experiment_layers_t_intervals(tmp_path: Path):
    run_small(tmp_path / "s", executor="serial")
    data = load_sweep(tmp_path / "s")
    table = point_table(data, ["drone.fill_rate", "drone.lost_in_transit"], 0.9)
    for point in (0, 3, 5):
        for kpi in ("drone.fill_rate", "drone.lost_in_transit"):
            values = data.runs.loc[data.runs.point == point, kpi].to_numpy()
            ci = t_interval(values, 0.9)
            row = table[(table.point == point) & (table.kpi == kpi)].iloc[0]
            assert row["mean"] == pytest.approx(ci.mean)
            assert row.n == ci.n == 4
            if ci.std > 0:
                assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high))


def test_paired_plan_analysis_writes_differences_and_the_page(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"""
postures:
  slow: {CLASSROOM}
  fast: {CLASSROOM}
set: {{factories.drone_plant.ramp_days: 80}}
days: 40
vary:
  links.supply_line.loss_prob: [0.0, 0.2]
  factories.drone_plant.start_rate_per_day: 100:900:3
reps: 3
seed: 4
""")
    out = tmp_path / "p"
    runner = CliRunner()
    ran = runner.invoke(main, ["sweep", "--plan", str(plan), "--workers", "1", "--out",
                               str(out)])
    assert ran.exit_code == 0, ran.output
    done = runner.invoke(main, ["analyze", str(out), "--kpi", "drone.fill_rate"])
    assert done.exit_code == 0, done.output
    data = load_sweep(out)
    assert data.views == ["slow", "fast", "fast - slow"]
    diff = data.runs[data.runs.view == "fast - slow"]
    assert len(diff) == 6 * 3 and (diff["drone.fill_rate"] == 0).all()  # same posture, CRN
    page = (out / "analysis.html").read_text()
    assert "common random numbers" in page and "heatmap" in page
    bad = runner.invoke(main, ["analyze", str(out), "--kpi", "drone.fil_rate"])
    assert bad.exit_code == 2 and "not in this sweep" in bad.output
    bad = runner.invoke(main, ["analyze", str(tmp_path), "--threshold", "y<1"])
    assert bad.exit_code == 2 and "no sweep.json" in bad.output
