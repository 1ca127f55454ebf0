"""Replications, common random numbers and confidence intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulator.experiment import (
    Comparison,
    ComparisonError,
    Replications,
    check_comparable,
    child_seed,
    compare,
    paired_interval,
    paired_table,
    replicate,
    replications_needed,
    simulate,
    t_interval,
    welch_interval,
)
from simulator.experiment.output import format_comparison
from simulator.scenario import load_scenario, scenario_from_dict

from .conftest import SCENARIOS, minimal_dict


def flaky_plant(horizon: int = 60, sites: int = 2, mtbf: float = 10.0, mttr: float = 3.0,
                loss_prob: float = 0.0) -> dict:
    """The minimal scenario with a plant whose sites fail and a road that loses shipments."""
    d = minimal_dict(horizon_days=horizon)
    d["factories"]["plant"].update(sites=sites, mtbf_days=mtbf, mttr_days=mttr)
    d["links"]["road"]["loss_prob"] = loss_prob
    return d


def with_ally(d: dict) -> dict:
    """Posture B: the same world plus an allied plant next to the front."""
    d = {**d, "name": "mini_allied", "places": {**d["places"], "ally": {"kind": "allied"}},
         "factories": {**d["factories"],
                       "ally_plant": {"item": "drone", "place": "ally", "capacity_per_day": 15.0,
                                      "sites": 2, "mtbf_days": 10.0, "mttr_days": 3.0}},
         "links": {**d["links"],
                   "ally_road": {"kind": "simple", "from": "ally", "to": "front",
                                 "transit_days": 1.0, "capacity_per_day": 1000.0}}}
    return d


def expected_uptime(t: float, mtbf: float, mttr: float) -> float:
    """Mean up-time over [0, t] of an exponential failure/repair cycle that starts up.

    Two-state Markov chain with failure rate a = 1/mtbf and repair rate b = 1/mttr:
    P(up at s) = b/(a+b) + a/(a+b) exp(-(a+b)s); integrate from 0 to t.
    """
    a, b = 1.0 / mtbf, 1.0 / mttr
    return t * b / (a + b) + a / (a + b) ** 2 * (1.0 - math.exp(-(a + b) * t))


# --- seeds and determinism ---------------------------------------------------------------------

def test_child_seed_is_the_spawned_child_and_reproduces_one_replication():
    assert np.array_equal(child_seed(7, 3).generate_state(4),
                          np.random.SeedSequence(7).spawn(4)[3].generate_state(4))
    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    reps = replicate(sc, reps=4, seed=7, workers=1)
    again = simulate(sc, child_seed(7, 3)).flat_kpis()
    assert reps.kpis.iloc[3].drop("replication").to_dict() == pytest.approx(again, nan_ok=True)
    # Different replications really differ (the children are not all the same stream).
    assert reps.kpis["drone.lost_in_transit"].nunique() > 1


def test_parallel_and_serial_replications_are_identical():
    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    serial = replicate(sc, reps=9, seed=5, workers=1)
    parallel = replicate(sc, reps=9, seed=5, workers=3)
    assert serial.kpis.equals(parallel.kpis)
    assert serial.series.keys() == parallel.series.keys()
    for name, values in serial.series.items():
        assert np.array_equal(values, parallel.series[name]), name
    assert np.array_equal(serial.production_mean, parallel.production_mean)
    assert serial.events.equals(parallel.events)


def test_only_the_first_replications_keep_daily_series():
    sc = scenario_from_dict(flaky_plant())
    reps = replicate(sc, reps=5, seed=1, workers=1, keep_series=2)
    assert len(reps.kpis) == 5
    assert reps.series["depot_stock"].shape == (2, 61, 1)
    assert reps.series["shortfall"].shape == (2, 60, 1)


# --- pairing and common random numbers ---------------------------------------------------------

def test_comparing_a_scenario_with_itself_gives_exactly_zero():
    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    cmp = compare(sc, sc, reps=6, seed=2, workers=1)
    t = cmp.table
    assert len(t) > 10
    assert (t["diff"] == 0.0).all()
    finite = t.dropna(subset=["ci_low"])
    assert (finite.ci_low == 0.0).all() and (finite.ci_high == 0.0).all()
    assert (t.mean_a.fillna(-1) == t.mean_b.fillna(-1)).all()


def test_common_random_numbers_narrow_the_interval():
    """The US plant's outages and the road's losses hit both postures alike and cancel."""
    a = scenario_from_dict(flaky_plant(horizon=120, loss_prob=0.1))
    b = scenario_from_dict(with_ally(flaky_plant(horizon=120, loss_prob=0.1)))
    cmp = compare(a, b, reps=20, seed=4, workers=1)
    for column in ("drone.fill_rate", "drone.delivered"):
        va, vb = cmp.a.kpis[column].to_numpy(), cmp.b.kpis[column].to_numpy()
        paired, unpaired = paired_interval(va, vb), welch_interval(va, vb)
        assert paired.mean == pytest.approx(unpaired.mean)
        assert paired.half_width < 0.75 * unpaired.half_width, column
    row = cmp.table.set_index(["kpi", "item"]).loc[("fill_rate", "drone")]
    assert row.ci_low > 0  # the ally's extra output shows, and the interval says so


def test_common_random_numbers_narrow_the_interval_on_the_bundled_pair():
    """Domestic vs allied Indo-Pacific, first six months: the US plants and the depot's port
    behave the same in both postures, so pairing removes their share of the noise."""
    short = {"horizon_days": 180}
    a = load_scenario(SCENARIOS / "indo_pacific_domestic.yaml", short)
    b = load_scenario(SCENARIOS / "indo_pacific_allied.yaml", short)
    cmp = compare(a, b, reps=12, seed=1, workers=2)
    for item in a.items:
        va = cmp.a.kpis[f"{item}.fill_rate"].to_numpy()
        vb = cmp.b.kpis[f"{item}.fill_rate"].to_numpy()
        assert paired_interval(va, vb).half_width < welch_interval(va, vb).half_width, item


def test_items_must_match_and_intervals_need_two_replications():
    a = scenario_from_dict(minimal_dict())
    d = minimal_dict(name="other")
    d["items"]["shell"] = {"unit_cost": 1.0}
    b = scenario_from_dict(d)
    with pytest.raises(ComparisonError, match=r"only in other: shell"):
        check_comparable(a, b, reps=10)
    with pytest.raises(ComparisonError, match="at least 2"):
        check_comparable(a, a, reps=1)
    with pytest.raises(ComparisonError, match="horizons"):
        check_comparable(a, scenario_from_dict(minimal_dict(horizon_days=90)), reps=10)


def kpi_replications(name: str, column: str, values: list[float]) -> Replications:
    """A replication set holding one KPI column, for testing the tables built on it."""
    n = len(values)
    return Replications(
        scenario=name, description="", seed=0, reps=n, days=1, items=["drone"], places=[],
        place_kinds=[], footprint=np.ones(1), phases=[],
        kpis=pd.DataFrame({"replication": range(n), column: values}), series={},
        production_mean=np.zeros((1, 0, 1)), demand_mean=np.zeros((1, 1)),
        events=pd.DataFrame(columns=["day", "kind", "subject", "detail"]))


def test_paired_rows_with_an_undefined_kpi_stay_consistent():
    """cost_per_effective_unit is undefined in a replication that delivered nothing.

    Only complete pairs can be differenced, so the means beside the difference must be taken
    over the same pairs (else B - A in the table is not mean_b - mean_a), and the table says
    how many pairs that was.
    """
    column = "drone.cost_per_effective_unit"
    a = kpi_replications("a", column, [10.0, np.nan, 30.0, 40.0])
    b = kpi_replications("b", column, [12.0, 100.0, np.nan, 44.0])
    row = paired_table(a, b).iloc[0]
    assert row["n"] == 2
    printed = format_comparison(Comparison(a, b, paired_table(a, b)))
    assert "cost_per_effective_unit (drone): 2" in printed.splitlines()[-1]
    assert (row.mean_a, row.mean_b, row["diff"]) == pytest.approx((25.0, 28.0, 3.0))
    nothing = paired_table(a, kpi_replications("b", column, [np.nan] * 4)).iloc[0]
    assert nothing["n"] == 0 and np.isnan(nothing["diff"]) and np.isnan(nothing.mean_a)


# --- intervals ---------------------------------------------------------------------------------

def test_intervals_agree_with_scipy():
    rng = np.random.default_rng(0)
    a = rng.normal(10.0, 2.0, 15)
    b = a + rng.normal(0.5, 1.0, 15)
    ci = t_interval(a)
    low, high = stats.t.interval(0.95, 14, loc=a.mean(), scale=stats.sem(a))
    assert (ci.low, ci.high) == pytest.approx((low, high))
    assert paired_interval(a, b).p_value == pytest.approx(stats.ttest_rel(b, a).pvalue)
    welch = welch_interval(a, b)
    assert welch.p_value == pytest.approx(stats.ttest_ind(b, a, equal_var=False).pvalue)


def test_replications_needed_is_the_smallest_n_that_reaches_the_precision():
    x = np.random.default_rng(1).normal(100.0, 10.0, 20)
    s = x.std(ddof=1)
    n = replications_needed(x, half_width=2.0)
    assert stats.t.ppf(0.975, n - 1) * s / math.sqrt(n) <= 2.0
    assert stats.t.ppf(0.975, n - 2) * s / math.sqrt(n - 1) > 2.0
    assert replications_needed(x, half_width=0.02, relative=True) == pytest.approx(
        replications_needed(x, half_width=0.02 * abs(x.mean())))


@pytest.mark.slow
def test_intervals_cover_a_known_mean_about_95_percent_of_the_time():
    """A plant whose sites fail and are repaired has a closed-form mean output.

    2,000 replications split into 200 disjoint groups of 10 give 200 independent intervals;
    coverage is Binomial(200, 0.95): mean 190, sd 3.1, so [180, 198] fails with p < 0.002
    for correct intervals, while too-narrow or too-wide intervals land outside it.
    """
    horizon, mtbf, mttr, capacity = 60, 10.0, 3.0, 100.0
    sc = scenario_from_dict(flaky_plant(horizon=horizon, sites=2, mtbf=mtbf, mttr=mttr))
    truth = capacity * expected_uptime(horizon, mtbf, mttr)
    reps = replicate(sc, reps=2000, seed=11, workers=2, keep_series=0)
    groups = reps.kpis["drone.produced"].to_numpy().reshape(200, 10)
    covered = sum(ci.low <= truth <= ci.high for ci in map(t_interval, groups))
    assert 180 <= covered <= 198
    # and the grand mean sits on the closed form (standard error about 0.3 % of it)
    grand = t_interval(groups.ravel())
    assert grand.low <= truth <= grand.high
