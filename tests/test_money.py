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


@given(r0=st.floats(0.1, 1e4), slope=st.floats(0.0, 5.0), cost=st.floats(0.1, 1e5),
       money=st.floats(0.0, 1e9), span=st.floats(0.1, 400))
def test_affordable_until_matches_the_closed_form_of_a_ramp(r0, slope, cost, money, span):
    """A linear ramp spends ``cost * (r0 u + slope u^2 / 2)`` by ``u`` days: solve it exactly."""
    t = affordable_until(lambda x: r0 * (x - 5.0) + 0.5 * slope * (x - 5.0) ** 2,
                         5.0, 5.0 + span, cost, money)
    units = money / cost
    if r0 * span + 0.5 * slope * span * span <= units:
        assert t == 5.0 + span
    else:
        u = 2.0 * units / (r0 + math.sqrt(r0 * r0 + 2.0 * slope * units))  # the root, stably
        assert t - 5.0 == pytest.approx(u, rel=1e-9, abs=1e-9)


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
