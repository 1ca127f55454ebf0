"""Factories against closed forms: availability under exponential outages, exact ramp-up output.

Availability: a site that fails after Exp(MTBF) days and is repaired after Exp(MTTR) days, up at
day 0, is up at time t with probability A + (1 - A) exp(-(lam + mu) t), where A = MTBF/(MTBF +
MTTR), lam = 1/MTBF, mu = 1/MTTR (two-state Markov chain). The expected output over a horizon
is capacity times the integral of that, which these tests compare with the mean over
replications (a 99.9 % t-interval) — and with the wrong formulas one might have written.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from simulator.model import simulate
from simulator.model.component_stock import ComponentStock, settle_stocks
from simulator.model.factory import Factory, cumulative_output
from simulator.scenario import scenario_from_dict
from simulator.scenario.schema import Factory as FactoryConfig
from tests.conftest import lone_context

from .conftest import minimal_dict

Z999 = 3.29  # two-sided 99.9 % normal quantile


def expected_up_fraction(mtbf: float, mttr: float, horizon: float) -> float:
    """Time-averaged availability over [0, horizon] of a site that starts up."""
    lam, mu = 1.0 / mtbf, 1.0 / mttr
    a = mu / (lam + mu)
    k = lam + mu
    return a + (1.0 - a) * (1.0 - math.exp(-k * horizon)) / (k * horizon)


def run_factory(cfg: FactoryConfig, horizon: float, reps: int, seed: int) -> np.ndarray:
    """Output over ``horizon`` days of ``reps`` independent copies of one factory."""
    out = np.empty(reps)
    root = np.random.SeedSequence(seed)
    for r, child in enumerate(root.spawn(reps)):
        ctx = lone_context(child)
        factory = Factory(ctx, "f", cfg)
        factory.start()
        ledger = ctx.ledger
        ctx.env.run(until=horizon)
        factory.settle()
        assert factory.made == pytest.approx(ledger.produced[0, 0])
        out[r] = factory.made
    return out


def test_exponential_outages_give_mtbf_over_mtbf_plus_mttr():
    cap, mtbf, mttr, horizon = 100.0, 20.0, 5.0, 365.0
    cfg = FactoryConfig(item="x", place="p", capacity_per_day=cap, mtbf_days=mtbf,
                        mttr_days=mttr)
    out = run_factory(cfg, horizon, reps=400, seed=11) / (cap * horizon)
    mean, se = out.mean(), out.std(ddof=1) / math.sqrt(len(out))
    half = stats.t.ppf(0.9995, len(out) - 1) * se
    expected = expected_up_fraction(mtbf, mttr, horizon)
    assert abs(mean - expected) < half, (mean, expected, half)
    # Tight enough to tell the right formula from plausible wrong ones.
    for wrong in (1 - mttr / mtbf, mttr / (mtbf + mttr), mtbf / (mtbf + 2 * mttr)):
        assert abs(wrong - expected) > 2 * half


def test_dispersion_keeps_the_mean_and_divides_the_variance():
    """n independent sites with 1/n of capacity each: same mean, variance divided by n."""
    cap, mtbf, mttr, horizon, reps = 100.0, 20.0, 5.0, 365.0, 400
    outs = {}
    for n in (1, 8):
        cfg = FactoryConfig(item="x", place="p", capacity_per_day=cap, sites=n,
                            mtbf_days=mtbf, mttr_days=mttr)
        outs[n] = run_factory(cfg, horizon, reps, seed=100 + n) / (cap * horizon)
    expected = expected_up_fraction(mtbf, mttr, horizon)
    for out in outs.values():
        half = stats.t.ppf(0.9995, reps - 1) * out.std(ddof=1) / math.sqrt(reps)
        assert abs(out.mean() - expected) < half
    ratio = outs[1].var(ddof=1) / outs[8].var(ddof=1)
    lo, hi = stats.f.ppf([0.0005, 0.9995], reps - 1, reps - 1)
    assert 8 * lo < ratio < 8 * hi, ratio  # ratio / 8 ~ F(reps-1, reps-1)


def rate(t: np.ndarray, r0: float, cap: float, ramp: float, start: float) -> np.ndarray:
    """Nominal production rate at time t: nothing before start, a linear ramp, then capacity."""
    if ramp <= 0 or r0 >= cap:
        return np.where(t < start, 0.0, cap)
    return np.where(t < start, 0.0, np.minimum(cap, r0 + (cap - r0) * (t - start) / ramp))


def integral(r0, cap, ramp, start, a, b) -> float:
    """Integral of the rate over [a, b]; trapezoids on its breakpoints are exact (it is linear
    between them, and zero before ``start``)."""
    a = max(a, start)
    if b <= a:
        return 0.0
    knots = [x for x in (start + ramp,) if a < x < b]
    grid = np.unique(np.array([a, b, *knots]))
    return float(np.trapezoid(rate(grid, r0, cap, ramp, start), grid))


@pytest.mark.parametrize(("r0", "cap", "ramp", "start"),
                         [(100.0, 400.0, 29.25, 10.5), (0.0, 250.0, 40.0, 0.0),
                          (300.0, 300.0, 10.0, 3.0), (50.0, 200.0, 0.0, 7.75)])
def test_ramp_up_output_is_exact(r0, cap, ramp, start):
    factory = {"item": "drone", "place": "home", "capacity_per_day": cap,
               "start_rate_per_day": r0, "ramp_days": ramp, "start_day": start}
    sc = scenario_from_dict(minimal_dict(horizon_days=80, factories={"plant": factory}))
    res = simulate(sc, seed=3)
    produced = res.produced[:, :, 0].sum(axis=1)
    expected = [integral(r0, cap, ramp, start, 0.0, d) for d in range(81)]
    np.testing.assert_allclose(produced, expected, rtol=1e-12, atol=1e-9)
    cfg = sc.factories["plant"]
    np.testing.assert_allclose([cumulative_output(cfg, d) for d in range(81)], expected,
                               rtol=1e-12, atol=1e-9)
    # Spot values by hand for the first case: day 20 is 9.5 days into a 29.25-day ramp.
    if (r0, cap, ramp, start) == (100.0, 400.0, 29.25, 10.5):
        assert produced[20] == pytest.approx(100 * 9.5 + 0.5 * 300 / 29.25 * 9.5**2)
        assert produced[80] == pytest.approx(0.5 * (100 + 400) * 29.25 + 400 * (80 - 39.75))


@pytest.mark.parametrize(("n", "k", "w0"), [(4, 1, 20.5), (4, 1, 40.5), (5, 3, 38.0),
                                            (3, 3, 12.25)])
def test_scheduled_outage_of_k_of_n_sites_removes_k_over_n(n, k, w0):
    r0, cap, ramp, start, wd = 100.0, 400.0, 30.0, 5.0, 7.25
    base = {"item": "drone", "place": "home", "capacity_per_day": cap, "start_rate_per_day": r0,
            "ramp_days": ramp, "start_day": start, "sites": n}
    out = {**base, "outages": [{"start_day": w0, "days": wd, "sites": k}]}
    full = simulate(scenario_from_dict(minimal_dict(horizon_days=50,
                                                    factories={"plant": base})), seed=1)
    cut = simulate(scenario_from_dict(minimal_dict(horizon_days=50,
                                                   factories={"plant": out})), seed=1)
    f_full = full.produced[:, :, 0].sum(axis=1)
    f_cut = cut.produced[:, :, 0].sum(axis=1)
    days = np.arange(51, dtype=float)
    # What the window removes by day d: k/n of the nominal output inside [w0, min(d, w0 + wd)].
    removed = [k / n * integral(r0, cap, ramp, start, w0, min(d, w0 + wd))
               if d > w0 else 0.0 for d in days]
    np.testing.assert_allclose(f_full - f_cut, removed, rtol=1e-12, atol=1e-9)
    if w0 >= start + ramp:  # after the ramp: exactly k/n x capacity x window days
        assert removed[-1] == pytest.approx(k / n * cap * wd)
    kinds = [(e.day, e.kind) for e in cut.events if e.subject == "plant"]
    assert kinds == [(w0, "outage_start"), (w0 + wd, "outage_end")]


def test_random_failure_of_a_site_already_out_removes_nothing_more():
    """Two sites, site 0 out for the whole horizon (scheduled), both failing at random.

    Only site 1 produces, so the mean is cap/2 x availability. Counting outages without knowing
    which site they hit gives cap/2 x availability^2 instead (0.32 vs 0.40 here).
    """
    cap, mtbf, mttr, horizon = 100.0, 20.0, 5.0, 365.0
    cfg = FactoryConfig(item="x", place="p", capacity_per_day=cap, sites=2, mtbf_days=mtbf,
                        mttr_days=mttr,
                        outages=[{"start_day": 0.0, "days": 2 * horizon, "sites": 1}])
    out = run_factory(cfg, horizon, reps=300, seed=5) / (cap * horizon)
    half = stats.t.ppf(0.9995, len(out) - 1) * out.std(ddof=1) / math.sqrt(len(out))
    expected = 0.5 * expected_up_fraction(mtbf, mttr, horizon)
    assert abs(out.mean() - expected) < half
    assert abs(0.5 * 0.8**2 - expected) > 3 * half


@settings(max_examples=60, deadline=None)
@example(times=[1.0, 1.0], caps=[], inflow=0.0, budget=25.080194542290716, ramp=0.0, up=1.0)
@given(times=st.lists(st.floats(0.01, 5.0), min_size=1, max_size=25),
       caps=st.lists(st.floats(0.0, 3000.0), min_size=0, max_size=3),
       inflow=st.floats(0.0, 500.0), budget=st.one_of(st.none(), st.floats(0.0, 2e4)),
       ramp=st.floats(0.0, 30.0), up=st.sampled_from([1.0, 0.5]))
def test_settlement_is_the_reference_steps_bit_for_bit(times, caps, inflow, budget, ramp, up):
    """The factory's own settlement (its closed form read once, the stocks' two halves with the
    payer between them) gives exactly what ``cumulative_output`` and ``settle_stocks`` give."""
    cfg = FactoryConfig(item="x", place="p", capacity_per_day=100.0, start_rate_per_day=20.0,
                        ramp_days=ramp, start_day=0.5, sites=2)
    ctx = lone_context(1)
    factory = Factory(ctx, "f", cfg)
    mine = [ComponentStock(f"c{k}", per_unit=k + 1.0, cap=c) for k, c in enumerate(caps)]
    theirs = [ComponentStock(f"c{k}", per_unit=k + 1.0, cap=c) for k, c in enumerate(caps)]
    for s in mine + theirs:
        s.inflow = inflow
    for s in mine:
        factory.add_component_stock(s)
    left = [budget]

    def payer(_f, _t0, _t1, units):  # a purse that runs dry: cuts what it cannot pay for
        if left[0] is None:
            return units
        paid = min(units, max(left[0], 0.0) / 3.0)  # never below 0, as a purse pays
        left[0] -= 3.0 * paid
        return paid
    factory.pay_with(payer)
    if up < 1.0:
        factory.interrupt([0], "outage")
    expected_left, made, last = [budget], 0.0, 0.0
    for dt in times:
        ctx.env.run(until=ctx.env.now + dt)
        factory.settle()
        potential = (cumulative_output(cfg, ctx.env.now) - cumulative_output(cfg, last)) * up
        budget_now = expected_left

        def pay(units, b=budget_now):
            if units <= 0.0 or b[0] is None:
                return units
            paid = min(units, max(b[0], 0.0) / 3.0)
            b[0] -= 3.0 * paid
            return paid
        potential = max(potential, 0.0)
        made += (settle_stocks(theirs, potential, ctx.env.now - last, pay) if theirs
                 else pay(potential))
        last = ctx.env.now
        assert factory.made == made
        assert [(s.stock, s.received, s.used, s.bound_days) for s in mine] == [
            (s.stock, s.received, s.used, s.bound_days) for s in theirs]
