"""Adaptation race: the effectiveness trace has the period, minimum and mean the formula gives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from simulator.model.adaptation import (
    effectiveness,
    effectiveness_at,
    feedback_loop_days,
    outstanding,
    steady_state,
)


def test_loop_is_the_sum_of_its_delays():
    assert feedback_loop_days(7, 14, 7, 18.5) == 46.5
    with pytest.raises(ValueError):
        feedback_loop_days(7, -1, 7, 3)


def test_short_loop_trace_by_hand():
    # cycle 42 days, loop 21 days: half of every cycle at (1 - drop), half at full strength
    t = np.array([0, 41.9, 42, 62.9, 63, 84, 105])
    assert effectiveness(t, 1.0, 0.3, 42, 21).tolist() == pytest.approx(
        [1, 1, 0.7, 0.7, 1, 0.7, 1])


@given(cycle=st.floats(5, 120), loop=st.floats(0, 400), drop=st.floats(0.01, 0.9))
def test_trace_has_the_period_minimum_and_mean_of_the_formula(cycle, loop, drop):
    frac = loop / cycle - math.floor(loop / cycle)
    assume(0.01 < frac < 0.99)  # each level lasts long enough for the sampling grid to see it
    base = 1.0
    start = loop + cycle  # past the transient
    t = start + np.linspace(0, 3 * cycle, 6001)[:-1] + cycle / 4000  # off the jump instants
    trace = effectiveness(t, base, drop, cycle, loop)
    again = effectiveness(t + cycle, base, drop, cycle, loop)
    np.testing.assert_allclose(trace, again)  # period C
    want = steady_state(base, drop, cycle, loop)
    assert trace.min() == pytest.approx(want["min"])
    assert trace.max() == pytest.approx(want["max"])
    assert trace.mean() == pytest.approx(want["mean"], abs=2e-3)
    assert outstanding(t, cycle, loop).max() == math.ceil(loop / cycle)


def test_nearer_producer_holds_more_effectiveness():
    near = steady_state(1.0, 0.3, 42, feedback_loop_days(3, 14, 7, 2))
    far = steady_state(1.0, 0.3, 42, feedback_loop_days(3, 14, 7, 15))
    assert near["mean"] > far["mean"] and near["min"] == far["min"] == pytest.approx(0.7)
    farther = steady_state(1.0, 0.3, 42, feedback_loop_days(10, 30, 14, 25))  # 79 d > 42 d
    assert farther["min"] == pytest.approx(0.49)  # two countermeasures stacked


@pytest.mark.parametrize("bad", [0.0, -7.0])
def test_cycle_must_be_positive(bad):
    with pytest.raises(ValueError, match="cycle_days"):
        outstanding(10.0, bad, 5.0)


@given(t=st.floats(0, 2000), cycle=st.floats(1, 200), loop=st.floats(0, 400),
       drop=st.floats(0, 0.99))
def test_scalar_and_array_traces_agree(t, cycle, loop, drop):
    assert effectiveness_at(t, 1.0, drop, cycle, loop) == pytest.approx(
        float(effectiveness(t, 1.0, drop, cycle, loop)))
