"""The port's berths as an M/M/c queue: mean wait in queue against the Erlang C formula.

With Poisson arrivals (rate lam), exponential service (rate mu) and c berths, a = lam/mu,
rho = a/c < 1, the probability that an arrival waits is

    C(c, a) = (a^c / c!) / (1 - rho) / (sum_{k<c} a^k/k! + (a^c / c!) / (1 - rho))

and the mean wait in queue is Wq = C(c, a) / (c mu - lam).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from simulator.model.sealift.port import Port
from simulator.scenario.schema import Port as PortConfig
from tests.conftest import lone_context


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1.0 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def test_erlang_c_formula_by_hand():
    # M/M/1: Wq = rho / (mu - lam); M/M/2 with a = 1: C = 1/3, Wq = (1/3) / (2 - 1).
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(0.5 / 0.5)
    assert erlang_c_wait(1.0, 1.0, 2) == pytest.approx(1 / 3)


def simulate_port(lam: float, mu: float, c: int, customers: int, seed: int,
                  strikes: dict | None = None):
    ctx = lone_context(seed + 1)
    env = ctx.env
    rng = np.random.default_rng(seed)
    events = ctx.ledger.events
    cfg = PortConfig(berths=c, strikes=strikes or {})
    port = Port(ctx, "p", cfg)
    port.start()
    waits = np.full(customers, np.nan)
    granted: list[float] = []

    def ship(i: int):
        arrived = env.now
        request = yield from port.berth()
        waits[i] = env.now - arrived
        granted.append(env.now)
        yield env.timeout(rng.exponential(1.0 / mu))
        port.berths.release(request)

    def arrivals():
        ships = []
        for i in range(customers):
            ships.append(env.process(ship(i)))
            yield env.timeout(rng.exponential(1.0 / lam))
        yield env.all_of(ships)

    env.run(until=env.process(arrivals()))
    return port, waits, events, np.array(granted)


def plausible_wrong_waits(lam: float, mu: float, c: int) -> dict[str, float]:
    """Answers a subtly wrong port would give: one berth too few or too many, c separate
    M/M/1 queues at rate lam/c, or the time in system instead of the wait in queue."""
    wrong = {"time in system": erlang_c_wait(lam, mu, c) + 1.0 / mu,
             "one berth more": erlang_c_wait(lam, mu, c + 1)}
    if c > 1:
        wrong["M/M/1 at lam/c"] = (lam / c / mu) / (mu - lam / c)
    if lam < (c - 1) * mu:
        wrong["one berth fewer"] = erlang_c_wait(lam, mu, c - 1)
    return wrong


@pytest.mark.parametrize(("lam", "mu", "c"), [(2.4, 1.0, 3), (0.7, 1.0, 1)])
def test_mean_wait_matches_erlang_c(lam, mu, c):
    """30,000 ships (a quarter of what a +-15 % interval needs) already reject every plausible
    wrong answer by more than two half-widths: the power is in the alternatives' distance."""
    customers, batches = 30_000, 30
    port, waits, _, _ = simulate_port(lam, mu, c, customers, seed=2024)
    assert port.visits == customers
    assert port.mean_wait_days == pytest.approx(waits.mean())
    # Batch means (the first batch dropped as warm-up) make the waits nearly independent.
    means = waits.reshape(batches, -1)[1:].mean(axis=1)
    half = stats.t.ppf(0.9995, len(means) - 1) * means.std(ddof=1) / math.sqrt(len(means))
    expected = erlang_c_wait(lam, mu, c)
    assert abs(means.mean() - expected) < half, (means.mean(), expected, half)
    for name, wrong in plausible_wrong_waits(lam, mu, c).items():
        assert abs(wrong - expected) > 2 * half, name


def test_struck_port_lets_no_ship_berth_while_closed():
    _, waits, events, berthed = simulate_port(0.5, 2.0, 2, 3000, seed=3,
                                        strikes={"mtbf_days": 20.0, "mttr_days": 5.0})
    kinds = [e.kind for e in events]
    assert kinds and kinds[0] == "port_closed_start"
    starts = np.array([e.day for e in events if e.kind == "port_closed_start"])
    ends = np.array([e.day for e in events if e.kind == "port_closed_end"])
    ends = np.append(ends, np.inf)[: len(starts)]
    inside = (berthed[:, None] > starts[None, :]) & (berthed[:, None] < ends[None, :])
    assert len(starts) > 10 and not inside.any()
    # Strikes add waiting: far above the M/M/2 figure without them.
    assert waits.mean() > 5 * erlang_c_wait(0.5, 2.0, 2)
