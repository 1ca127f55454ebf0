"""The scripts that write the README's figures: their blocks exist and their formatting holds.

The figures themselves are measurements (run the scripts); what is tested here is that a script
can always find its place in the README and writes what it measured, not something else.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_every_written_block_has_its_markers_once():
    readme = (ROOT / "README.md").read_text()
    for name in ("means", "findings", "perf", "parallel", "sweep"):
        assert readme.count(f"<!-- {name}:begin -->") == 1, name
        assert readme.count(f"<!-- {name}:end -->") == 1, name
        body = readme.split(f"<!-- {name}:begin -->")[1].split(f"<!-- {name}:end -->")[0]
        assert "Measured" in body or "replications" in body, f"{name} block is empty"


def test_replace_block_keeps_everything_outside_the_markers():
    block = importlib.import_module("readme_block")
    text = "head\n<!-- x:begin -->\nold\n<!-- x:end -->\ntail\n"
    assert block.replace_block(text, "x", "new\n") == (
        "head\n<!-- x:begin -->\nnew\n<!-- x:end -->\ntail\n")
    with pytest.raises(SystemExit, match="no <!-- y:begin -->"):
        block.replace_block(text, "y", "new")


def test_findings_rows_print_the_paired_table_they_are_given():
    findings = importlib.import_module("paired_findings")
    pair = findings.Pair("q?", "a_file", "b_file",
                         (findings.DRONE_FILL,
                          findings.Kpi("cost ($ bn)", "total_cost", "all", 1e-9, ".1f")))
    table = pd.DataFrame([
        {"kpi": "fill_rate", "item": "drone", "mean_a": 0.5, "mean_b": 0.625, "diff": 0.125,
         "ci_low": 0.1, "ci_high": 0.15},
        {"kpi": "total_cost", "item": "all", "mean_a": 5e10, "mean_b": 6e10, "diff": 1e10,
         "ci_low": -2e9, "ci_high": 2.2e10}])
    assert findings.rows(pair, table) == [
        "| q? | `a_file` → `b_file` | drone fill | 0.500 | 0.625 | +0.125 [+0.100, +0.150] |",
        "|  |  | cost ($ bn) | 50.0 | 60.0 | +10.0 [-2.0, +22.0] |"]
    with pytest.raises(SystemExit, match="no KPI fill_rate"):
        findings.rows(pair, table.iloc[1:])


def test_chore_timers_wrap_every_daily_chore_once_a_day():
    """bench_chores times what the clock runs: each chore as often as the clock calls it."""
    import time

    from simulator.scenario import load_scenario

    chores = importlib.import_module("bench_chores")
    sc = load_scenario(ROOT / "scenarios" / "classroom_minimal.yaml")
    parts = chores.one_run(sc, 1, time.perf_counter)
    days = sc.horizon_days
    assert parts["calls:record: Ledger.record"] == days + 1      # days 0..horizon
    assert parts["calls:Front._draw"] == days                   # from day 1
    assert parts["calls:DailyLink._dispatch"] == days + 1
    assert parts["calls:RunResult.assemble"] == parts["calls:Ledger.audit"] == 1
    assert all(parts[k] >= 0 for k in parts if not k.startswith("calls:"))
    assert chores.timer_cost(time.perf_counter, n=1000) > 0


def test_strike_timers_measure_the_campaign_and_put_every_method_back():
    """bench_strikes times the salvo, its hits and repairs; the classes are left as they were."""
    from simulator.model.decoy_screen import DecoyScreen
    from simulator.model.strikes import StrikeCampaign

    strikes = importlib.import_module("bench_strikes")
    before = {name: getattr(cls, name) for cls, name in strikes.PARTS.values()}
    parts = strikes.measure(ROOT / "scenarios" / "europe_allied.yaml", repeat=1, seed=1)
    assert parts["salvo"] > parts["hits"] > 0 and parts["repair"] > 0
    assert parts["decoys"] == 0                       # no decoy screen in this scenario
    # The replication is timed on the CPU clock and the parts on the wall clock (see the
    # script): on a loaded machine a part's wall time can exceed the whole run's CPU time, so
    # the two are not compared here.
    assert 0 < parts["replication"] < float("inf")
    assert {name: getattr(cls, name) for cls, name in strikes.PARTS.values()} == before
    assert StrikeCampaign._salvo is before["_salvo"] and DecoyScreen._strike is before["_strike"]
    assert strikes._overhead(1000) > 0
