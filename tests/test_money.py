"""Money: the purse, and the closed-form instant a line's output has spent a sum."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.money import Budget, affordable_until, stop_day


def test_stop_day_closed_form():
    assert stop_day(0.0, 100.0, 20_000.0, 1e9) == pytest.approx(500.0)
    assert stop_day(10.0, 0.0, 1.0, 1.0) == math.inf


@given(r0=st.floats(0.1, 1e4), slope=st.floats(-5.0, 5.0), cost=st.floats(0.1, 1e5),
       money=st.floats(0.0, 1e9), span=st.floats(0.1, 400))
def test_affordable_until_spends_exactly_the_money(r0, slope, cost, money, span):
    slope = max(slope, -r0 / span)  # the rate stays non-negative over the interval
    t = affordable_until(5.0, 5.0 + span, r0, slope, cost, money)
    u = t - 5.0
    spent = (r0 * u + 0.5 * slope * u * u) * cost
    assert 5.0 <= t <= 5.0 + span + 1e-9
    if t < 5.0 + span:
        assert spent == pytest.approx(money, rel=1e-7, abs=1e-6)
    else:
        assert spent <= money * (1 + 1e-9) + 1e-6


def test_purse_by_year_and_country():
    purse = Budget(1000.0)
    assert purse.afford(10.0, 50.0, 10.0) == 50.0
    purse.spend(10.0, 500.0, "US")
    assert purse.afford(20.0, 100.0, 10.0) == pytest.approx(50.0)
    purse.spend(20.0, 500.0, "JP", when_out=20.5)
    assert purse.left(30.0) == 0.0 and purse.exhausted_on == {0: 20.5}
    assert purse.left(365.0) == 1000.0  # a new campaign year, a new budget
    assert dict(purse.by_country) == {"US": 500.0, "JP": 500.0}


def test_no_budget_means_no_cap():
    purse = Budget(None)
    assert purse.afford(0.0, 1e12, 1e6) == 1e12 and purse.left(0.0) == math.inf


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_budget_is_refused(bad):
    with pytest.raises(ValueError, match="budget"):
        Budget(bad)
