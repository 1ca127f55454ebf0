"""Daily links (simple, land) against Little's law, the loss probability and scheduled cuts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.model import simulate
from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict

Z999 = 3.29  # two-sided 99.9 % normal quantile


def world_with_log(data: dict, seed: int) -> tuple[World, list[tuple[float, float]]]:
    """A world whose link origin reports every load it hands out as (time, units)."""
    world = World(scenario_from_dict(data), seed)
    home = world.places["home"]
    taken: list[tuple[float, float]] = []
    take = home.take_cargo

    def logged(capacity: float, link: int) -> list[float]:
        load = take(capacity, link)
        if any(load):
            taken.append((world.env.now, float(sum(load))))
        return load

    home.take_cargo = logged
    return world, taken


@pytest.mark.parametrize(("transit", "loss"), [(2.5, 0.0), (7.0, 0.3)])
def test_in_transit_obeys_littles_law(transit, loss):
    """L = lambda x W, with a production rate that jumps about (random site outages).

    Loads leave at whole days and arrive ``transit`` days later, so in-transit stock only
    changes at multiples of 0.5 day: sampling it at the middle of every quarter day gives its
    exact time average. Lost shipments count too: they are in transit until they are lost.
    """
    horizon = 400
    data = minimal_dict(horizon_days=horizon)
    data["factories"]["plant"].update(sites=3, mtbf_days=15.0, mttr_days=6.0)
    data["links"]["road"].update(transit_days=transit, loss_prob=loss)
    world, taken = world_with_log(data, seed=7)
    link, ledger, env = world.links["road"], world.ledger, world.env
    samples: list[float] = []

    def monitor():
        yield env.timeout(0.125)
        while True:
            taken, delivered, lost = ledger.link_account(link.index)
            assert link.in_flight.sum() == pytest.approx((taken - delivered - lost).sum())
            samples.append(float(link.in_flight.sum()))
            yield env.timeout(0.25)

    env.process(monitor())
    res = world.run()
    mean_l = float(np.mean(samples[: 4 * horizon]))
    times, loads = np.array(taken).T
    assert len(loads) > horizon / 2 and np.ptp(loads) > 10  # the rate did vary
    # Exact over a finite horizon: each load spends min(W, horizon - t) days in transit.
    area = float(np.sum(loads * np.minimum(transit, horizon - times)))
    assert mean_l * horizon == pytest.approx(area, rel=1e-9)
    # Little's law: L = lambda W, up to an edge of at most one transit time of loads.
    lam = loads.sum() / horizon
    edge = loads.max() * transit**2 / horizon
    assert abs(mean_l - lam * transit) <= edge
    assert abs(mean_l - lam * transit) / (lam * transit) < 0.02
    if loss == 0.0:
        assert res.links["road"]["mean_transit_days"] == pytest.approx(transit)
    if transit == int(transit):
        # End-of-day snapshots of a whole-day transit hold exactly the last W days' loads.
        rec = res.in_transit[:, 0]
        day_loads = np.zeros(horizon + 1)
        np.add.at(day_loads, times.astype(int), loads)
        window = np.convolve(day_loads, np.ones(int(transit)))[: horizon + 1]
        np.testing.assert_allclose(rec, window, rtol=1e-9, atol=1e-6)


def test_loss_fraction_matches_loss_prob():
    p, horizon = 0.2, 3000
    data = minimal_dict(horizon_days=horizon)
    data["links"]["road"]["loss_prob"] = p
    res = World(scenario_from_dict(data), seed=21).run()
    shipments = res.links["road"]["shipments"]
    lost_loads = res.kpis["drone"]["lost_in_transit"] / 100.0  # every load is one day's 100
    assert lost_loads == pytest.approx(round(lost_loads), abs=1e-6)
    frac = round(lost_loads) / shipments
    assert abs(frac - p) < Z999 * math.sqrt(p * (1 - p) / shipments), frac
    # and it is not p/2 or 2p or (1-p): the interval is tight enough to tell them apart
    assert Z999 * math.sqrt(p * (1 - p) / shipments) < 0.03


def test_land_link_cut_stops_dispatch_but_cargo_on_the_way_arrives():
    data = minimal_dict(horizon_days=40)
    data["links"]["road"] = {"kind": "land", "from": "home", "to": "front", "transit_days": 3.0,
                             "capacity_per_day": 1000.0,
                             "cuts": {"scheduled": [{"start_day": 10.5, "days": 5.0}]}}
    world, taken = world_with_log(data, seed=0)
    res = world.run()
    days = [t for t, _ in taken]
    assert 10.0 in days and all(not 10.5 <= t < 15.5 for t in days) and 16.0 in days
    # Loads of days 8-10 arrive during the cut (days 11-13); nothing leaves on days 11-15, so
    # the depot gets nothing on days 14-18; the backlog (6 days of output) leaves on day 16 and
    # lands on day 19. Arrivals = what the front drew + change in depot stock.
    got = res.delivered[:, 0] + np.diff(res.stock[:, res.theatre, 0])
    assert got[10:13] == pytest.approx([100.0] * 3)  # days 11, 12, 13 (rows are ends of days)
    assert got[13:18] == pytest.approx([0.0] * 5)
    assert got[18] == pytest.approx(600.0)
    kinds = [(e.day, e.kind) for e in res.events if e.subject == "road"]
    assert kinds == [(10.5, "link_cut_start"), (15.5, "link_cut_end")]


@pytest.mark.parametrize("loss", [0.0, 0.5])
def test_mean_delivery_days_is_the_transit_time_whatever_the_losses(loss):
    """Little's law on the pipeline: cargo leaves it by arriving *or* by being lost.

    Every shipment spends ``transit_days`` on the road whether it arrives or not, so the
    pipeline measure must not grow with the loss rate (dividing by arrivals alone would
    double it at ``loss_prob`` 0.5). Production is steady and dispatch daily, so the end-of-day
    samples see only the cargo on the road: the measure is the transit time up to the ramp-in
    and ramp-out of the finite horizon (~ transit / horizon).
    """
    data = minimal_dict(horizon_days=2000)
    data["links"]["road"].update(transit_days=10.0, loss_prob=loss)
    result = simulate(scenario_from_dict(data), 1)
    assert result.transport["mean_delivery_days"] == pytest.approx(10.0, rel=0.01)
