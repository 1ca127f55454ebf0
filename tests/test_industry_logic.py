"""Pure logic of industry under attack, against closed forms: component drawdown, strike
allocation, regeneration. No SimPy here; the wired model is tested in test_industry_model."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.model.component_stock import (
    ComponentStock,
    settle_stocks,
    stockout_delay,
)
from simulator.model.targeting import Target, allocate, class_strikes, expected_hits
from simulator.model.uniforms import Uniforms
from simulator.regeneration import SCAN_DAYS, recoveries, recovery_days, regeneration


# --- component stocks -------------------------------------------------------------------------
def run_days(stock: ComponentStock, rate: float, days: int, inflow=lambda d: 0.0,
             steps: int = 1) -> np.ndarray:
    """Daily output of a factory that could make ``rate``/day, settled ``steps`` times a day."""
    out = np.zeros(days)
    for d in range(days):
        for _ in range(steps):
            stock.inflow = inflow(d)
            out[d] += settle_stocks([stock], rate / steps, 1.0 / steps)
    return out


def test_stock_runs_out_exactly_s_over_u_days_after_deliveries_stop():
    # S = 3,250 motors, 4 per drone, 100 drones/day: u = 400/day, S/u = 8.125 days
    s = ComponentStock("motor", per_unit=4, cap=3250)
    out = run_days(s, 100, 12)
    assert out.sum() == pytest.approx(3250 / 4)
    assert out[:8].tolist() == [100.0] * 8
    assert out[8] == pytest.approx(12.5)          # 0.125 of a day's output
    assert out[9:].sum() == 0
    assert s.bound_days == pytest.approx(12 - 8.125)


def test_substitute_rate_after_stockout_is_inflow_over_per_unit():
    s = ComponentStock("motor", per_unit=4, cap=800)          # 2 days of stock
    out = run_days(s, 100, 10, inflow=lambda d: 160.0 if d >= 5 else 0.0)
    assert out[:2].tolist() == [100.0, 100.0]
    assert out[2:5].sum() == 0
    assert out[5:].tolist() == pytest.approx([40.0] * 5)    # 160 / 4


def test_stock_is_capped_and_deliveries_beyond_it_not_ordered():
    s = ComponentStock("battery", per_unit=1, cap=500)
    run_days(s, 100, 10, inflow=lambda d: 300.0)
    assert s.stock == 500
    assert s.received == pytest.approx(1000)                # only what was used
    assert s.bound_days == 0


def test_two_components_the_scarcer_binds():
    motors = ComponentStock("motor", per_unit=4, cap=4000)   # 10 days
    cells = ComponentStock("battery", per_unit=1, cap=300)   # 3 days
    for _ in range(5):
        settle_stocks([motors, cells], 100, 1.0)
    assert cells.bound_days == pytest.approx(2) and motors.bound_days == 0
    assert motors.stock == pytest.approx(4000 - 4 * 300)


@settings(max_examples=60, deadline=None)
@given(cap=st.floats(0, 1e4), per=st.floats(0.1, 10), rate=st.floats(0, 500),
       inflows=st.lists(st.floats(0, 2000), min_size=1, max_size=30),
       steps=st.integers(1, 4))
def test_component_books_balance(cap, per, rate, inflows, steps):
    """start + received = used + stock, and used = per_unit * made, whatever happens."""
    s = ComponentStock("c", per_unit=per, cap=cap, stock=cap or 0.0)
    out = run_days(s, rate, len(inflows), inflow=lambda d: inflows[d], steps=steps)
    assert s.stock >= 0 and s.stock <= cap + 1e-9
    assert cap + s.received == pytest.approx(s.used + s.stock, rel=1e-9, abs=1e-6)
    assert s.used == pytest.approx(per * out.sum(), rel=1e-9, abs=1e-6)
    assert (out <= rate / steps * steps + 1e-9).all()


def test_stockout_delay_closed_form():
    assert stockout_delay(3000, 100) == 30
    assert stockout_delay(3000, 100, 40) == 50
    assert stockout_delay(1, 1, 2) == np.inf


# --- strike allocation -------------------------------------------------------------------------
TARGETS = [
    Target("big_plant", "sites", size=60, exposure=0.9, signature=0.8, defence=0.3),
    Target("small_plant", "sites", size=20, exposure=0.9, signature=0.3, defence=0.3),
    Target("home_plant", "sites", size=20, exposure=0.1, signature=0.8, defence=0.6),
    Target("far_plant", "sites", size=50, exposure=0.0, signature=1.0),
    Target("port", "ports", size=1, exposure=0.7, signature=1.0, defence=0.5),
    Target("depot", "depots", size=1, exposure=1.0, signature=0.5),
]
SPLIT = {"sites": 0.6, "ports": 0.2, "depots": 0.2}


def test_expected_hits_closed_form_by_hand():
    e = expected_hits(TARGETS, 10, SPLIT)
    # 6 strikes at sites: aim 60/100, 20/100, 20/100 (far_plant out of reach gets none)
    assert e[0] == pytest.approx(6 * 0.6 * 0.9 * 0.8 * 0.7)
    assert e[1] == pytest.approx(6 * 0.2 * 0.9 * 0.3 * 0.7)
    assert e[2] == pytest.approx(6 * 0.2 * 0.1 * 0.8 * 0.4)
    assert e[3] == 0
    assert e[4] == pytest.approx(2 * 0.7 * 0.5) and e[5] == pytest.approx(2 * 0.5)


def test_class_strikes_renormalise_over_classes_in_reach():
    only_sites = [t for t in TARGETS if t.kind == "sites"]
    assert class_strikes(10, SPLIT, only_sites) == {"sites": 10}
    assert sum(class_strikes(11, SPLIT, TARGETS).values()) == 11


def test_allocated_hits_match_the_closed_form_within_an_interval():
    """Mean hits per target over 2,000 days vs b*pi*q: a 99.9 % interval around it.

    Hits per day on one target are Binomial(b_c, pi*q), so the daily variance is known and
    the interval is exact up to the normal approximation of a 2,000-day mean.
    """
    rng = np.random.default_rng(2024)
    days, b = 2000, 10
    hits = np.array([allocate(rng, TARGETS, b, SPLIT) for _ in range(days)])
    expect = expected_hits(TARGETS, b, SPLIT)
    per_class = class_strikes(b, SPLIT, TARGETS)
    for i, t in enumerate(TARGETS):
        p = expect[i] / per_class.get(t.kind, 1) if per_class.get(t.kind) else 0.0
        sd = np.sqrt(per_class.get(t.kind, 0) * p * (1 - p) / days)
        assert abs(hits[:, i].mean() - expect[i]) <= 3.3 * sd + 1e-12, t.name
    assert hits[:, 3].sum() == 0                       # out of reach: never hit
    # a wrong rule (aiming in proportion to detectability instead of size) is rejected
    wrong = 6 * 0.9 * 0.8 / (0.9 * 0.8 + 0.9 * 0.3 + 0.1 * 0.8) * 0.9 * 0.8 * 0.7
    assert abs(hits[:, 0].mean() - wrong) > 0.2


def test_many_hits_a_day_match_the_closed_form_and_the_binomial_law():
    """100 strikes a day at well-seen targets: ~72 hits, placed by one multinomial a day.

    Each strike hits with P = sum(pi q) independently, so a day's hits in the class are
    Binomial(100, P): the mean per target is the closed form and the daily total has the
    binomial variance (a Poisson count, or hits that all land on one target, would not).
    """
    ts = [Target("a", "sites", 3, 1.0, 0.9), Target("b", "sites", 1, 1.0, 0.2),
          Target("c", "sites", 1, 0.0, 1.0)]
    u = Uniforms(np.random.default_rng(7))
    days, b = 600, 100
    hits = np.array([allocate(u, ts, b, {"sites": 1.0}) for _ in range(days)])
    expect = expected_hits(ts, b, {"sites": 1.0})                 # 100 x (0.75 x 0.9, 0.25 x 0.2)
    np.testing.assert_allclose(expect, [67.5, 5.0, 0.0])
    p = expect.sum() / b
    for i in range(2):
        pi = expect[i] / b
        assert abs(hits[:, i].mean() - expect[i]) < 4 * np.sqrt(b * pi * (1 - pi) / days)
    assert hits[:, 2].sum() == 0
    total = hits.sum(axis=1)
    assert total.var(ddof=1) == pytest.approx(b * p * (1 - p), rel=0.2)


def test_same_seed_same_hits():
    a = allocate(np.random.default_rng(5), TARGETS, 40, SPLIT)
    b = allocate(np.random.default_rng(5), TARGETS, 40, SPLIT)
    assert (a == b).all()


def test_dispersion_closed_form_loses_less_capacity_per_strike():
    """One plant vs ten sites of a tenth the size: same hits, each a tenth of the damage."""
    one = [Target("p", "sites", 100, 0.8, 0.6)]
    ten = [Target(f"p{i}", "sites", 10, 0.8, 0.6) for i in range(10)]
    lost_one = expected_hits(one, 5, {"sites": 1}) @ np.array([100.0])
    lost_ten = expected_hits(ten, 5, {"sites": 1}) @ np.full(10, 10.0)
    assert lost_ten == pytest.approx(lost_one / 10)


# --- regeneration -----------------------------------------------------------------------------
def test_recovery_days_by_hand():
    out = np.array([10.0] * 10 + [0.0] * 4 + [8.0] * 3 + [9.0] * 3)
    assert recovery_days(out, 10) == (7, True)          # 9.0 >= 0.9 * 10 on day 17
    assert recovery_days(out, 10, level=0.8) == (4, True)
    assert recovery_days(out[:15], 10) == (5, False)
    assert recovery_days(np.zeros(5), 3) is None        # nothing to recover to
    r = regeneration(out, [10.2, 10.9, 3.0])
    assert r["shocks"] == 2 and r["regeneration_worst_days"] == 7
    assert r["regeneration_mean_days"] == 3.5           # the day-3 shock did not dent output


@settings(max_examples=80, deadline=None)
@given(daily=st.lists(st.one_of(st.floats(0, 1e6), st.sampled_from([0.0, 9.0, 10.0])),
                      min_size=1, max_size=120),
       shocks=st.lists(st.integers(0, 119), max_size=12), window=st.integers(0, 12),
       level=st.floats(0.1, 1.0))
def test_recoveries_together_equal_one_by_one(daily, shocks, window, level):
    """The batched search (windows as one array, a scan then NumPy) finds each shock's answer."""
    out = np.array(daily)
    days = sorted({d for d in shocks if d < out.size})
    one_by_one = [r for r in (recovery_days(out, d, window, level) for d in days)
                  if r is not None]
    assert recoveries(out, days, window, level) == one_by_one


def test_recovery_after_a_long_slump_is_found_past_the_scan():
    out = np.array([10.0] * 10 + [1.0] * (SCAN_DAYS + 20) + [10.0] * 5)
    assert recoveries(out, [10]) == [(SCAN_DAYS + 20, True)] == [recovery_days(out, 10)]
