"""Industry under attack, wired into the world: embargo timing, strikes, dispersion, books.

Known answers: an embargo stops a plant exactly S/u days after the last delivery arrives and a
substitute restarts it at rate_fraction x rate / per_unit after qualifying; strike hits per
target match the allocation rule's closed form; under a fixed strike budget ten small sites
lose less than one large one, while under independent random outages they lose the same.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.model.targeting import Target, expected_hits
from simulator.model.world import simulate
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict


def industry(days=60, cap=100.0, per_unit=4.0, stock_days=8.125, rate=1000.0, lead=0.0,
             cut_day=10.0, substitute=None, **extra) -> dict:
    """One plant making 100 drones/day from motors (4 per drone) of one supplier, cut on a day."""
    sup = {"component": "motor", "country": "CN", "rate_per_day": rate, "lead_days": lead,
           "unit_cost": 1.0}
    if cut_day is not None:
        sup["cutoffs"] = {"scheduled": [{"start_day": cut_day, "days": 10_000}]}
    suppliers = {"cn": sup}
    if substitute is not None:
        sup["substitute"] = substitute
        suppliers["alt"] = {"component": "motor", "country": "US", "rate_per_day": 0.0}
    data = minimal_dict(horizon_days=days,
                        components={"motor": {"per_unit": {"drone": per_unit},
                                              "stock_days": stock_days}},
                        suppliers=suppliers, **extra)
    data["factories"]["plant"]["capacity_per_day"] = cap
    return data


def produced(res) -> np.ndarray:
    """Cumulative units made at the end of each day, all places, first item."""
    return res.produced[:, :, 0].sum(axis=1)


# --- embargo ---------------------------------------------------------------------------------
def test_embargo_stops_production_exactly_s_over_u_days_after_the_cut():
    # S = 8.125 days x 400 motors/day = 3,250; u = 400/day: stops on day 10 + 8.125
    res = simulate(scenario_from_dict(industry()), seed=1)
    p = produced(res)
    assert p[18] == pytest.approx(1800.0)
    assert p[19] == pytest.approx(1812.5)           # 0.125 of a day's output, then nothing
    assert p[-1] == pytest.approx(1812.5)
    bound = res.sections["components"]["motor"]["bound_days"]["plant"]
    assert bound == pytest.approx(60 - 18.125)


def test_embargo_with_lead_time_stops_lead_days_later():
    res = simulate(scenario_from_dict(industry(lead=5.0)), seed=1)
    assert produced(res)[-1] == pytest.approx(100 * (10 + 5 + 8.125))


def test_substitute_resumes_after_qualification_at_the_stated_rate():
    sub = {"supplier": "alt", "qualification_days": 30.0, "rate_fraction": 0.1,
           "cost_premium": 0.5}
    res = simulate(scenario_from_dict(industry(substitute=sub)), seed=1)
    p = produced(res)
    assert p[40] == pytest.approx(1812.5)            # qualified on day 10 + 30
    # then 10 % of 1,000 motors/day = 100 motors = 25 drones/day
    assert np.diff(p[41:]) == pytest.approx(np.full(len(p) - 42, 25.0))
    comp = res.sections["components"]["motor"]
    assert comp["received_by_supplier"]["alt"] == pytest.approx(100 * 20)
    # cost: 400/day from cn (stock kept full) until the cut, then 100/day at 1.5 x from alt
    assert comp["cost"] == pytest.approx(400 * 10 + 100 * 20 * 1.5)
    assert comp["premium_cost"]["plant"] == pytest.approx(100 * 20 * 0.5)   # added to drones


def test_a_supplier_that_is_never_cut_never_binds():
    res = simulate(scenario_from_dict(industry(cut_day=None)), seed=1)
    assert produced(res)[-1] == pytest.approx(6000.0)
    assert res.sections["components"]["motor"]["bound_days"]["plant"] == 0


# --- strikes -------------------------------------------------------------------------------
def struck(sites=1, signature=0.8, per_day=2, days=200, mtbf=None, **strikes) -> dict:
    """A 1,000/day plant at an exposed place, struck at its sites only."""
    data = minimal_dict(horizon_days=days)
    plant = data["factories"]["plant"]
    plant.update(capacity_per_day=1000.0, sites=sites)
    data["links"]["road"]["capacity_per_day"] = 1e6
    if mtbf is not None:
        plant.update(mtbf_days=mtbf, mttr_days=20.0)
    plant["signature"] = signature
    if per_day:
        data["strikes"] = {"budget": [{"start_day": 0, "per_day": per_day}],
                           "places": {"home": {"exposure": 0.5, "defence": 0.2}},
                           "damage_share": 0.5, "repair_days": 20.0, **strikes}
    return data


def test_strike_hits_per_site_match_the_closed_form():
    """Mean hits per site over replications vs the rule: days x b x pi x q (99.9 % interval)."""
    sc = scenario_from_dict(struck(sites=4, per_day=3, days=100))
    reps = 40
    hits = np.array([[simulate(sc, seed=s).sections["strikes"]["hits"].get(f"plant#{i}", 0)
                      for i in range(4)] for s in range(reps)])
    targets = [Target(f"plant#{i}", "sites", 250, 0.5, 0.8, 0.2) for i in range(4)]
    expect = 100 * expected_hits(targets, 3, {"sites": 1.0})      # 100 x 3 x 1/4 x 0.32
    assert expect == pytest.approx(np.full(4, 24.0))
    p = 0.25 * 0.32
    sd = np.sqrt(100 * 3 * p * (1 - p) / reps)                    # binomial, exact variance
    assert np.abs(hits.mean(axis=0) - expect).max() < 3.3 * sd


def paired_output(a: dict, b: dict, reps: int) -> np.ndarray:
    sa, sb = scenario_from_dict(a), scenario_from_dict(b)
    return np.array([produced(simulate(sb, seed=s))[-1] - produced(simulate(sa, seed=s))[-1]
                     for s in range(reps)])


def interval(diff: np.ndarray) -> tuple[float, float]:
    half = 3.0 * diff.std(ddof=1) / np.sqrt(diff.size)       # ~99.7 %, t with 19+ df: wide
    return diff.mean() - half, diff.mean() + half


def test_dispersion_pays_under_a_fixed_strike_budget():
    """Same capacity, same signature, same budget: ten sites make more than one, on average."""
    lo, hi = interval(paired_output(struck(sites=1), struck(sites=10), reps=20))
    assert lo > 0, (lo, hi)


def test_dispersion_changes_nothing_on_average_under_independent_outages():
    diff = paired_output(struck(sites=1, per_day=0, mtbf=60.0),
                         struck(sites=10, per_day=0, mtbf=60.0), reps=40)
    lo, hi = interval(diff)
    assert lo < 0 < hi, (lo, hi)
    # and the equal mean is the closed form: availability 60 / (60 + 20) = 0.75
    sc = scenario_from_dict(struck(sites=10, per_day=0, mtbf=60.0))
    means = [produced(simulate(sc, seed=s))[-1] for s in range(10)]
    assert np.mean(means) == pytest.approx(0.75 * 200_000, rel=0.05)


def test_depot_hits_destroy_stock_into_the_books():
    data = minimal_dict(horizon_days=60)
    data["theatre"]["initial_stock"] = {"drone": 5000.0}
    data["strikes"] = {"budget": [{"start_day": 0, "per_day": 4}],
                       "places": {"front": {"exposure": 1.0}},
                       "split": {"depots": 1.0}, "destroy_share": 0.1}
    data["items"]["drone"]["signature"] = 1.0
    res = simulate(scenario_from_dict(data), seed=3)
    destroyed = res.destroyed[-1].sum()
    assert destroyed > 0
    hits = sum(res.sections["strikes"]["hits"].values())
    assert hits == 4 * 60                    # every strike finds a fully visible, undefended depot


@pytest.mark.parametrize("per_day", [4, 200])
def test_depot_hits_match_the_closed_form_small_and_large_salvos(per_day):
    """A depot of one item (signature 0.6) at a place of exposure 0.5: P = 0.3 a strike.

    4 strikes a day are drawn by inversion (the bound may settle a day unweighed), 200 by the
    generator (mean 60 a day, the bound off): either way 60 days give Binomial(60 b, 0.3) hits.
    """
    data = minimal_dict(horizon_days=60)
    data["theatre"]["initial_stock"] = {"drone": 1e9}
    data["strikes"] = {"budget": [{"start_day": 0, "per_day": per_day}],
                       "places": {"front": {"exposure": 0.5}},
                       "split": {"depots": 1.0}, "destroy_share": 0.0001}
    data["items"]["drone"]["signature"] = 0.6
    n = 60 * per_day
    hits = [sum(simulate(scenario_from_dict(data), seed=s).sections["strikes"]["hits"].values())
            for s in range(10)]
    assert abs(np.mean(hits) - 0.3 * n) < 4 * np.sqrt(n * 0.3 * 0.7 / 10)


def _allied(days: int = 200):
    from simulator.scenario import load_scenario

    from .conftest import SCENARIOS

    return load_scenario(SCENARIOS / "europe_allied.yaml", {"horizon_days": days})


def test_the_depot_bound_only_skips_days_without_hits(monkeypatch):
    """Settling a depot salvo by ``x < (1 - p_max)^b`` before weighing changes no draw.

    Every weighed day's hit probability stays under ``p_max``, and a run where the bound is
    disabled (``p_max = 1``: every day weighed) gives the very same hits and losses.
    """
    from simulator.model.strikes import StrikeCampaign

    seen = []
    weigh = StrikeCampaign._depot_stock

    def checked(self):
        stock = weigh(self)
        total = sum(s * c for s, c in zip(stock, self._depot_cost, strict=True))
        aimed = sum(s * c for s, c in zip(stock, self._depot_seen, strict=True))
        if total > 0:
            seen.append(aimed / total)
            assert aimed / total <= self._depot_p_max
        return stock

    monkeypatch.setattr(StrikeCampaign, "_depot_stock", checked)
    sc = _allied()
    bounded = simulate(sc, seed=4)
    assert len(seen) > 20
    connect = StrikeCampaign.connect

    def unbounded(self):
        connect(self)
        self._depot_p_max = 1.0

    monkeypatch.setattr(StrikeCampaign, "connect", unbounded)
    full = simulate(sc, seed=4)
    assert len(seen) > 200                      # now weighed on every day with a depot strike
    assert bounded.sections["strikes"] == full.sections["strikes"]
    assert sum(bounded.sections["strikes"]["hits"].values()) > 10
    np.testing.assert_array_equal(bounded.destroyed, full.destroyed)


@settings(max_examples=60, deadline=None)
@given(start=st.floats(0, 50), lead=st.floats(0, 20), ramp=st.floats(0, 400),
       r0=st.none() | st.floats(0, 1), cap=st.floats(0.1, 1000))
def test_site_sizes_for_the_run_follow_the_factory_rate(start, lead, ramp, r0, cap):
    """The campaign sizes every salvo's sites at once; each size is the factory's own rate."""
    from simulator.model.factory import rate
    from simulator.model.strikes import _rates
    from simulator.scenario.schema import Factory

    r0 = None if r0 is None else r0 * cap
    cfg = Factory(item="drone", place="home", capacity_per_day=cap, start_rate_per_day=r0,
                  ramp_days=ramp, start_day=start, lead_days=lead)
    t = np.arange(500) + 0.5
    np.testing.assert_allclose(_rates(cfg, t), [rate(cfg, x) for x in t], rtol=1e-12,
                               atol=1e-9)


# --- conservation with everything in play -----------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(0, 40), lead=st.floats(0, 10), stock=st.floats(0, 20),
       qual=st.floats(0, 30), frac=st.floats(0.05, 1.0), per_day=st.integers(0, 6),
       destroy=st.floats(0, 1), sites=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_books_balance_with_destruction_embargo_and_substitution(cut, lead, stock, qual, frac,
                                                                 per_day, destroy, sites, seed):
    sub = {"supplier": "alt", "qualification_days": qual, "rate_fraction": frac}
    data = industry(days=50, stock_days=stock, lead=lead, cut_day=cut, substitute=sub)
    data["factories"]["plant"]["sites"] = sites
    data["theatre"]["initial_stock"] = {"drone": 2000.0}
    if per_day:
        data["strikes"] = {"budget": [{"start_day": 0, "per_day": per_day}],
                           "places": {"home": {"exposure": 0.8}, "front": {"exposure": 0.8}},
                           "split": {"sites": 1.0, "depots": 1.0}, "destroy_share": destroy}
    res = simulate(scenario_from_dict(data), seed=seed)      # audits the books every day
    res.check_invariant()
    comp = res.sections["components"]["motor"]
    assert comp["end_stock"]["plant"] >= 0
    made = produced(res)[-1]
    start = stock * 400
    received = sum(comp["received_by_supplier"].values())
    assert start + received == pytest.approx(4 * made + comp["end_stock"]["plant"],
                                             rel=1e-9, abs=1e-6)


# --- bundled scenarios -----------------------------------------------------------------------
def test_bundled_scenarios_exercise_every_industry_feature():
    from simulator.scenario import load_scenario

    from .conftest import SCENARIOS

    scs = {p.stem: load_scenario(p) for p in SCENARIOS.glob("*.yaml")}
    for name in ("indo_pacific_domestic", "indo_pacific_allied", "europe_domestic",
                 "europe_allied"):
        sc = scs[name]
        assert sc.components and sc.suppliers and sc.strikes, name
        assert all(f.site_overhead_per_day > 0 for f in sc.factories.values()), name
        used = {c for s in sc.suppliers.values() for c in [s.component]}
        assert used == set(sc.components), name
        if name.endswith("allied"):
            # the campaign reaches the allied plants near the theatre more than the domestic ones
            reach = sc.strikes.places
            exposure = {k: reach[f.place].exposure if f.place in reach else 0.0
                        for k, f in sc.factories.items()}
            kind = {k: sc.places[f.place].kind for k, f in sc.factories.items()}
            near = max(exposure[k] for k in exposure if kind[k] == "allied")
            home = max(exposure[k] for k in exposure if kind[k] == "domestic")
            assert near > 5 * home, name
    features = {
        "substitute": any(s.substitute for sc in scs.values() for s in sc.suppliers.values()),
        "scheduled cut-off": any(s.cutoffs.scheduled for sc in scs.values()
                                 for s in sc.suppliers.values()),
        "focused strikes": any(sc.strikes and sc.strikes.focus_factories for sc in scs.values()),
        "low-signature sites": any(f.signature < 0.5 for sc in scs.values()
                                   for f in sc.factories.values()),
        "depot strikes": any(sc.strikes and sc.strikes.split.get("depots")
                             for sc in scs.values()),
        "port strikes": any(sc.strikes and sc.strikes.split.get("ports") for sc in scs.values()),
    }
    assert all(features.values()), features


def test_embargo_variant_binds_drones_on_motors_and_batteries():
    from simulator.scenario import load_scenario

    from .conftest import SCENARIOS

    base = simulate(load_scenario(SCENARIOS / "indo_pacific_domestic.yaml", {"horizon_days": 240}),
                    seed=2)
    cut = simulate(load_scenario(SCENARIOS / "indo_pacific_domestic_embargo.yaml",
                                 {"horizon_days": 240}), seed=2)
    assert base.kpis["drone"]["bound_days_motor"] == 0
    assert cut.kpis["drone"]["bound_days_motor"] > 30
    assert cut.kpis["drone"]["produced"] < 0.9 * base.kpis["drone"]["produced"]
    assert cut.sections["suppliers"]["cn_motors"]["substitute_qualified"]
