"""The books cannot be fooled: each kind of violation, injected into a running world, is caught.

Each test corrupts the state the way a bug would (reaching into the ledger's private arrays or a
link's cargo, which no component may do) and expects :class:`InvariantError` naming the account,
the place or link, and the day. The uncorrupted twin of each world passes, so the check is not
simply always failing.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.ledger import ROUNDING_RTOL, InvariantError
from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict
from .test_sealift import sea_scenario


def world_with(bug, day: float = 5.5, data: dict | None = None) -> World:
    """A small world in which ``bug(world)`` runs once, at time ``day``."""
    world = World(scenario_from_dict(data or minimal_dict(horizon_days=20)), seed=3)

    def inject():
        yield world.env.timeout(day)
        bug(world)

    world.env.process(inject())
    return world


def test_an_uncorrupted_world_balances():
    world_with(lambda w: None).run()


def test_nan_anywhere_is_a_violation():
    def bug(w):
        w.ledger._v[w.ledger._slot("stock", w.places["home"].index, 0)] = math.nan
    with pytest.raises(InvariantError, match=r"stock of 'drone' at 'home' is nan on day 6"):
        world_with(bug).run()


def test_inf_is_a_violation():
    def bug(w):
        w.ledger._v[w.ledger._slot("produced", w.places["home"].index, 0)] = math.inf
    with pytest.raises(InvariantError, match=r"produced of 'drone' at 'home' is inf"):
        world_with(bug).run()


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(units=st.floats(1e-3, 1e6), day=st.floats(0.5, 18.5))
def test_a_unit_created_from_nothing_is_caught(units, day):
    def bug(w):
        w.ledger._v[w.ledger._slot("stock", w.places["home"].index, 0)] += units
    with pytest.raises(InvariantError, match=r"place books do not balance.*'home' on day"):
        world_with(bug, day).run()


def test_goods_moved_between_places_without_a_link_are_caught():
    """Totals still balance (nothing created), but each place's books do not."""
    def bug(w):
        home, front = w.places["home"].index, w.places["front"].index
        w.ledger._v[w.ledger._slot("stock", home, 0)] -= 1.0
        w.ledger._v[w.ledger._slot("stock", front, 0)] += 1.0
    with pytest.raises(InvariantError, match=r"place books do not balance.*'home' on day 6"):
        world_with(bug).run()


def test_a_daily_link_losing_a_shipment_silently_is_caught():
    """From day 5.5 the link's shipments vanish on arrival: neither delivered nor lost."""
    def bug(w):
        w.links["road"].deliver = lambda load, departed: None
    with pytest.raises(InvariantError, match=r"link books do not balance.*'road' on day 6"):
        world_with(bug).run()


def test_a_ship_losing_cargo_silently_is_caught():
    data = sea_scenario(4, [{"to": "front", "distance_nm": 2400.0}], {},
                        {"min_ships": 1, "max_wait_days": 0.0}, horizon=20)

    def bug(w):
        holds = w.links["sea"].holds
        assert sum(holds.total()) > 0  # some ship is carrying cargo now
        holds.cells[:] = [0.0] * len(holds.cells)

    world_with(lambda w: None, data=data).run()
    with pytest.raises(InvariantError, match=r"link books do not balance.*'sea'"):
        world_with(bug, 5.5, data).run()


def test_rounding_allowance_is_the_named_one():
    """A residual just above ROUNDING_RTOL of the gross flow is caught; one below is not."""
    world = World(scenario_from_dict(minimal_dict(horizon_days=20)), seed=3)
    world.run()
    led, home = world.ledger, world.places["home"].index
    gross = (led.rec_produced[-1, home, 0] + led.rec_taken[-1, 0, 0]
             + abs(led.rec_stock[-1, home, 0]))
    led.rec_stock[-1, home, 0] += 0.5 * ROUNDING_RTOL * gross
    led.audit()
    led.rec_stock[-1, home, 0] += 2.0 * ROUNDING_RTOL * gross
    with pytest.raises(InvariantError, match="place books do not balance"):
        led.audit()


def test_stocks_are_read_only_outside_the_ledger():
    world = World(scenario_from_dict(minimal_dict(horizon_days=5)), seed=0)
    with pytest.raises(ValueError, match="read-only"):
        world.places["home"].stock[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        world.ledger.stock[0, 0] += 1.0
    with pytest.raises(ValueError, match="read-only"):
        world.ledger.produced[0, 0] = 1.0


def test_destroyed_in_stock_balances_and_is_reported():
    """A strike destroying depot stock through the ledger keeps the books balanced, and the
    result's identity includes it: produced + initial = consumed + stock + transit + lost +
    destroyed."""
    data = minimal_dict(horizon_days=20)
    data["theatre"]["initial_stock"] = {"drone": 500.0}
    data["theatre"]["demand_per_day"] = {"drone": 0.0}

    def strike(w):
        front = w.places["front"].index
        w.ledger.destroy(front, 0.5 * w.ledger.stock[front])

    res = world_with(strike, 5.5, data).run()
    destroyed = res.destroyed[-1].sum(axis=0)
    assert destroyed[0] > 250.0 and res.kpis["drone"]["destroyed_in_stock"] == destroyed[0]
    lhs = res.initial + res.produced[-1].sum(axis=0)
    rhs = (res.consumed[-1] + res.stock[-1].sum(axis=0) + res.in_transit[-1] + res.lost[-1]
           + destroyed)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_a_bad_number_names_its_owner_when_links_and_places_are_as_many():
    """The owner of a non-finite number comes from its account, not from the array's width.

    With three places and three links every account has the same shape, so a NaN in a link's
    account must still be reported at the link.
    """
    from simulator.ledger_audit import audit_record

    names = {"place": ["a", "b", "c"], "link": ["ab", "bc", "ca"]}
    series = {k: np.zeros((4, 3, 1)) for k in ("stock", "produced", "consumed", "destroyed",
                                                 "taken", "delivered", "lost", "carried")}
    series["delivered"][2, 1, 0] = math.nan
    with pytest.raises(InvariantError, match=r"delivered of 'shell' at 'bc' is nan on day 2"):
        audit_record(series, np.zeros((3, 1)), names["place"], names["link"], ["shell"],
                     [0, 1, 2], [1, 2, 0])
    series["delivered"][2, 1, 0] = 0.0
    series["stock"][3, 2, 0] = math.inf
    with pytest.raises(InvariantError, match=r"stock of 'shell' at 'c' is inf on day 3"):
        audit_record(series, np.zeros((3, 1)), names["place"], names["link"], ["shell"],
                     [0, 1, 2], [1, 2, 0])
