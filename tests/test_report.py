"""The comparison report, its figures and the `run --reps` / `compare` commands."""

from __future__ import annotations

import base64
import json
import re

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.experiment import compare
from simulator.plots import FIGURES
from simulator.report import build_report
from simulator.scenario import load_scenario

from .conftest import SCENARIOS, minimal_dict

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def write_scenario(path, data: dict) -> str:
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


def flaky(name: str = "mini", **extra) -> dict:
    d = minimal_dict(name=name, **extra)
    d["factories"]["plant"].update(sites=2, mtbf_days=15.0, mttr_days=4.0)
    d["links"]["road"]["loss_prob"] = 0.1
    return d


def test_report_builds_with_every_figure_embedded_and_saved(tmp_path):
    a = load_scenario(SCENARIOS / "indo_pacific_domestic.yaml", {"horizon_days": 150})
    b = load_scenario(SCENARIOS / "indo_pacific_allied.yaml", {"horizon_days": 150})
    cmp = compare(a, b, reps=4, seed=9, workers=2)
    paths = build_report(cmp, tmp_path)
    page = paths["report"].read_text(encoding="utf-8")
    embedded = dict(re.findall(r'<figure id="(\w+)"><a href="\w+\.png"[^>]*><img alt="[^"]*" '
                               r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page))
    assert set(embedded) == set(FIGURES)
    for name in FIGURES:
        png = (tmp_path / f"{name}.png").read_bytes()
        assert png.startswith(PNG_MAGIC)
        assert base64.b64decode(embedded[name]) == png  # the page embeds the same image
    assert "4 replications" in page and "seed 9" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from outside
    for item in a.items:
        assert f"<b>{item}</b>: fill rate" in page


def home_and_ally(tmp_path) -> tuple[str, str]:
    """Two scenario files: a home plant, and the same with a 20 % bigger plant."""
    d = flaky("with_ally")
    d["factories"]["plant"]["capacity_per_day"] = 120.0
    return (write_scenario(tmp_path / "a.yaml", flaky("home_only")),
            write_scenario(tmp_path / "b.yaml", d))


def test_cli_compare_writes_table_report_and_replications(tmp_path):
    a, b = home_and_ally(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "3", "--seed", "2",
                                    "--workers", "1", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "fill_rate" in res.output and "3 paired replications" in res.output
    table = pd.read_csv(out / "comparison.csv", keep_default_na=False)
    assert list(table.columns) == ["kpi", "item", "mean_a", "mean_b", "diff", "ci_low",
                                   "ci_high", "p_value", "n"]
    produced = table[(table.kpi == "produced") & (table.item == "drone")].iloc[0]
    assert produced["diff"] == pytest.approx(0.2 * produced.mean_a)
    # B's plant is 20 % bigger and its sites fail on the same days (common random numbers),
    # so in every single replication B makes exactly 1.2 times what A makes.
    reps_a = pd.read_csv(out / "replications_A_home_only.csv")
    reps_b = pd.read_csv(out / "replications_B_with_ally.csv")
    assert len(reps_a) == len(reps_b) == 3
    assert reps_a["drone.produced"].nunique() == 3
    assert list(reps_b["drone.produced"]) == pytest.approx(list(1.2 * reps_a["drone.produced"]))
    assert (out / "report.html").exists()
    assert all((out / f"{name}.png").exists() for name in FIGURES)
    assert not list(out.glob(".*.tmp"))


def test_cli_compare_set_overrides_both_postures(tmp_path):
    a, b = home_and_ally(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "2", "--workers", "1",
                                    "--set", "factories.plant.capacity_per_day=150",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out / "comparison.csv")
    produced = table[(table.kpi == "produced") & (table.item == "drone")].iloc[0]
    assert produced["diff"] == 0.0 and produced.mean_a > 0  # the same 150/day plant in both


def test_cli_compare_refuses_different_items(tmp_path):
    a = write_scenario(tmp_path / "a.yaml", minimal_dict(name="one"))
    d = minimal_dict(name="two")
    d["items"]["shell"] = {"unit_cost": 5.0}
    b = write_scenario(tmp_path / "b.yaml", d)
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "5", "--out",
                                    str(tmp_path / "out")])
    assert res.exit_code == 2
    assert "different items" in res.output and "only in two: shell" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_cli_compare_refuses_a_single_replication(tmp_path):
    a = write_scenario(tmp_path / "a.yaml", minimal_dict())
    res = CliRunner().invoke(main, ["compare", a, a, "--reps", "1"])
    assert res.exit_code == 2
    assert "at least 2 replications" in res.output


def test_cli_compare_names_a_broken_scenario(tmp_path):
    a = write_scenario(tmp_path / "a.yaml", minimal_dict())
    bad = minimal_dict()
    bad["horizon_days"] = -5
    b = write_scenario(tmp_path / "bad.yaml", bad)
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "3"])
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "horizon_days" in res.output


def test_cli_run_reps_writes_replications_and_intervals(tmp_path):
    sc = write_scenario(tmp_path / "s.yaml", flaky())
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["run", sc, "--reps", "4", "--seed", "3", "--workers", "2",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(out / "replications.csv")
    assert list(rows.replication) == [0, 1, 2, 3]
    assert "drone.fill_rate" in rows.columns and "transport.ships_lost" in rows.columns
    summary = json.loads((out / "summary.json").read_text())
    fill = summary["kpis"]["drone"]["fill_rate"]
    assert summary["replications"] == 4 and summary["seed"] == 3
    assert fill["mean"] == pytest.approx(rows["drone.fill_rate"].mean())
    assert fill["ci_low"] < fill["mean"] < fill["ci_high"]


def test_cli_run_with_one_rep_keeps_the_single_run_summary(tmp_path):
    sc = write_scenario(tmp_path / "s.yaml", flaky())
    res = CliRunner().invoke(main, ["run", sc, "--reps", "1", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert isinstance(summary["kpis"]["drone"]["fill_rate"], float)


def test_ctrl_c_stops_cleanly_without_writing(tmp_path, monkeypatch):
    import simulator.experiment.runner as runner

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_chunk", interrupted)
    sc = write_scenario(tmp_path / "s.yaml", flaky())
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", sc, sc, "--reps", "3", "--workers", "1",
                                    "--out", str(out)])
    assert res.exit_code == 130
    assert "interrupted" in res.output
    assert not out.exists()
