"""Cheap small draws (model/uniforms.py) against exact distribution functions and the generator.

Known answers: the uniforms are the generator's own ``random()`` doubles, in order, whatever
the block; a binomial by inversion is the smallest ``k`` whose exact distribution function
(``math.comb``) exceeds the uniform; a pick lands in the bucket the uniform falls in.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.uniforms import INVERSION_MEAN, Uniforms


def quantile(n: int, p: float, x: float) -> int:
    """Smallest k with P(K <= k) > x, K ~ Binomial(n, p), from the exact probabilities."""
    cdf = 0.0
    for k in range(n + 1):
        cdf += math.comb(n, k) * p ** k * (1 - p) ** (n - k)
        if cdf > x:
            return k
    return n


@pytest.mark.parametrize("block", [1, 7, 512])
def test_uniforms_are_the_generators_doubles_in_order(block):
    u = Uniforms(np.random.default_rng(42), block=block)
    got = [u.next() for _ in range(1000)]
    assert got == np.random.default_rng(42).random(1000).tolist()


@given(n=st.integers(1, 40), p=st.floats(0.001, 0.999), x=st.floats(0.0, 0.999999))
def test_binomial_by_inversion_is_the_exact_quantile(n, p, x):
    if n * p > INVERSION_MEAN:
        return  # drawn by the generator instead (next test)
    u = Uniforms(np.random.default_rng(0))
    k = u.binomial(n, p, x)
    assert 0 <= k <= n
    # the inversion's running sum and math.comb's differ only by rounding: allow the
    # neighbouring answer when x sits within rounding of a step of the distribution function
    exact = quantile(n, p, x)
    if k != exact:
        step = sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(min(k, exact) + 1))
        assert abs(step - x) < 1e-12, (k, exact)


@given(n=st.integers(1, 120), p=st.floats(0.01, 0.9), x=st.floats(0.0, 0.999999))
def test_a_given_uniform_is_always_inverted_even_for_a_large_mean(n, p, x):
    """With ``x`` given the answer is the quantile of ``x``, never a fresh generator draw."""
    u = Uniforms(np.random.default_rng(0))
    k = u.binomial(n, p, x)
    exact = quantile(n, p, x)
    if k != exact:
        step = sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(min(k, exact) + 1))
        assert abs(step - x) < 1e-9, (k, exact)


def test_a_given_uniform_that_cannot_be_inverted_is_refused():
    with pytest.raises(ValueError, match="underflows"):
        Uniforms(np.random.default_rng(0)).binomial(5000, 0.5, 0.3)


def test_binomial_edges_and_large_means():
    u = Uniforms(np.random.default_rng(3))
    assert u.binomial(0, 0.5) == 0 and u.binomial(5, 0.0) == 0 and u.binomial(5, 1.0) == 5
    assert u.binomial(-2, 0.5) == 0
    big = [u.binomial(1000, 0.3) for _ in range(4000)]            # mean 300: the generator's
    assert np.mean(big) == pytest.approx(300, abs=4 * math.sqrt(210 / 4000))


def test_binomial_frequencies_match_the_pmf():
    """20,000 draws of Binomial(6, 0.3): every frequency within 4.5 sigma of its probability."""
    u = Uniforms(np.random.default_rng(11))
    draws = np.bincount([u.binomial(6, 0.3) for _ in range(20_000)], minlength=7)
    for k in range(7):
        pk = math.comb(6, k) * 0.3 ** k * 0.7 ** (6 - k)
        assert abs(draws[k] / 20_000 - pk) < 4.5 * math.sqrt(pk * (1 - pk) / 20_000), k


@given(st.lists(st.floats(0.0, 10.0), min_size=1, max_size=12), st.integers(0, 2**32 - 1))
def test_pick_never_lands_on_a_zero_weight(weights, seed):
    total = sum(weights)
    u = Uniforms(np.random.default_rng(seed), block=8)
    if total <= 0:
        with pytest.raises(ValueError, match="every weight is 0"):
            u.pick(weights, 0.0)
        return
    for _ in range(20):
        assert weights[u.pick(weights, total)] > 0
    # a total a hair above the weights' sum (rounding) still lands on a positive weight
    assert weights[u.pick(weights, total * (1 + 1e-12))] > 0


def test_pick_frequencies_follow_the_weights():
    u = Uniforms(np.random.default_rng(5))
    w = [0.5, 0.0, 2.0, 1.5]
    counts = np.bincount([u.pick(w, 4.0) for _ in range(40_000)], minlength=4) / 40_000
    np.testing.assert_allclose(counts, np.array(w) / 4.0, atol=4.5 * math.sqrt(0.25 / 40_000))


def test_a_block_must_hold_a_number():
    with pytest.raises(ValueError, match="at least one"):
        Uniforms(np.random.default_rng(0), block=0)
