"""`arsenal compare A B [C ...]` with one-posture levers (--set-a / --set-b) beside --set."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from simulator.cli import main

from .test_report import home_and_ally


def produced_diff(folder) -> tuple[float, float]:
    table = pd.read_csv(folder / "comparison.csv")
    row = table[(table.kpi == "produced") & (table.item == "drone")].iloc[0]
    return float(row["mean_a"]), float(row["mean_b"])


def test_set_b_changes_only_posture_b(tmp_path):
    a, b = home_and_ally(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "2", "--workers", "1",
                                    "--set-b", "factories.plant.capacity_per_day=100",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    mean_a, mean_b = produced_diff(out)
    assert mean_a == mean_b > 0  # B's bigger plant cut back to A's size: the same output


def test_set_a_changes_only_posture_a(tmp_path):
    a, b = home_and_ally(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", a, b, "--reps", "2", "--workers", "1",
                                    "--set-a", "factories.plant.capacity_per_day=60",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    mean_a, mean_b = produced_diff(out)
    assert mean_b == 2.0 * mean_a  # 120/day against 60/day on the same failure days


def test_set_b_naming_a_key_the_posture_lacks_is_refused(tmp_path):
    a, b = home_and_ally(tmp_path)
    out = tmp_path / "out"
    for bad in ("factories.ally_plant.capacity_per_day=50", "combat.break_point=0.4"):
        res = CliRunner().invoke(main, ["compare", a, b, "--reps", "2", "--set-b", bad,
                                        "--out", str(out)])
        assert res.exit_code == 2, res.output
        assert "Traceback" not in res.output
        key = bad.split("=")[0].rsplit(".", 1)[0]
        assert f"--set-b {key}: posture 'with_ally'" in res.stderr, res.stderr
        assert not out.exists()


def test_three_postures_each_against_the_first(tmp_path):
    a, b = home_and_ally(tmp_path)
    c = tmp_path / "c.yaml"
    c.write_text((tmp_path / "b.yaml").read_text().replace("with_ally", "small_ally")
                 .replace("120.0", "90.0"))
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["compare", a, b, str(c), "--reps", "2", "--workers", "1",
                                    "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["home_only-vs-small_ally",
                                                     "home_only-vs-with_ally"]
    for pair, ratio in (("with_ally", 1.2), ("small_ally", 0.9)):
        mean_a, mean_b = produced_diff(out / f"home_only-vs-{pair}")
        assert mean_b / mean_a == pytest.approx(ratio, rel=1e-6)


def test_compare_needs_two_postures(tmp_path):
    a, _ = home_and_ally(tmp_path)
    res = CliRunner().invoke(main, ["compare", a, "--reps", "2"])
    assert res.exit_code == 2 and "at least two postures" in res.stderr


def test_report_states_the_force_ratio_and_effective_units_of_both_postures(tmp_path):
    from simulator.experiment import compare
    from simulator.report import build_report
    from simulator.scenario import scenario_from_dict

    from .test_front_model import adaptation_dict, combat_dict
    d = adaptation_dict()
    d["horizon_days"] = 120
    d["combat"] = combat_dict()["combat"]
    weak = {**d, "name": "weak", "factories": {"plant": {**d["factories"]["plant"],
                                                         "capacity_per_day": 40.0}}}
    cmp = compare(scenario_from_dict(d), scenario_from_dict(weak), reps=3, seed=1, workers=1)
    page = build_report(cmp, tmp_path)["report"].read_text(encoding="utf-8")
    assert "<b>combat</b>: friendly share of all strength" in page and "days." in page
    assert "<b>drone</b>: effective units delivered" in page
    table = cmp.table[cmp.table.item == "combat"].set_index("kpi")
    assert table.loc["force_ratio_end", "n"] == 0  # the enemy is wiped out in A: no ratio
    assert table.loc["friendly_share_end", "mean_b"] < table.loc["friendly_share_end", "mean_a"]
    assert (tmp_path / "front_outcome.png").exists()
