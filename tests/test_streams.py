"""Random streams: numbered sub-streams are reproducible and distinct, and common random numbers
hold on the bundled pair (paired differences vary far less than unpaired ones)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.streams import Streams
from simulator.model.world import simulate
from simulator.scenario import load_scenario

from .conftest import SCENARIOS


def first_draws(streams, pairs, n: int = 4) -> np.ndarray:
    return np.array([streams.at(k, j).random(n) for k, j in pairs])


def test_a_numbered_sub_stream_depends_only_on_seed_name_and_numbers():
    pairs = [(k, j) for k in range(0, 300, 7) for j in range(6)]
    fresh = first_draws(Streams(11).numbered("link:sea/convoys"), pairs)
    # Visited in another order, after other draws, from another object: the same numbers.
    subs = Streams(11).numbered("link:sea/convoys")
    subs.at(5, 5).random(1000)
    again = first_draws(subs, pairs[::-1])[::-1]
    np.testing.assert_array_equal(fresh, again)
    # Another seed or another name: other numbers.
    assert not np.isin(fresh, first_draws(Streams(12).numbered("link:sea/convoys"), pairs)).any()
    assert not np.isin(fresh, first_draws(Streams(11).numbered("link:air/convoys"), pairs)).any()


def test_numbered_sub_streams_are_distinct_and_look_independent():
    """2,000 sub-streams: no two share a draw; first draws are uniform (Kolmogorov-Smirnov,
    99.9 % critical value) and uncorrelated from one sub-stream to the next (|r| < 3.3/sqrt(n))."""
    subs = Streams(3).numbered("link:sea/convoys")
    pairs = [(k, j) for k in range(400) for j in range(5)]
    draws = first_draws(subs, pairs)
    assert len(np.unique(draws)) == draws.size
    n = len(pairs)
    first = np.sort(draws[:, 0])
    ks = np.max(np.maximum(np.arange(1, n + 1) / n - first, first - np.arange(n) / n))
    assert ks < 1.95 / np.sqrt(n)
    by_convoy = draws[::5, 0]  # crossing 0 of convoys 0, 1, 2, ...
    for x, y in ((by_convoy[:-1], by_convoy[1:]), (draws[:, 0], draws[:, 1])):
        assert abs(np.corrcoef(x, y)[0, 1]) < 3.3 / np.sqrt(len(x))


def test_sub_stream_numbers_out_of_range_are_refused():
    subs = Streams(0).numbered("x")
    with pytest.raises(ValueError, match="sub-stream numbers"):
        subs.at(-1)
    with pytest.raises(ValueError, match="sub-stream numbers"):
        subs.at(0, 2**64)


def test_common_random_numbers_hold_on_the_bundled_pair():
    """Same seeds, two postures: the difference of paired replications varies far less than the
    difference of independent ones would (var(a) + var(b)), for what the convoys meet (US ships
    sunk, on numbered convoy streams) and for the fill rate everyone reads."""
    dom = load_scenario(SCENARIOS / "indo_pacific_domestic.yaml")
    ally = load_scenario(SCENARIOS / "indo_pacific_allied.yaml")
    seeds = range(16)
    a = [simulate(dom, s) for s in seeds]
    b = [simulate(ally, s) for s in seeds]
    for name, metric in (("US ships sunk", lambda r: r.links["pacific_sealift"]["ships_lost"]),
                         ("fill rate", lambda r: r.delivered.sum() / r.demand.sum())):
        x = np.array([metric(r) for r in a], dtype=float)
        y = np.array([metric(r) for r in b], dtype=float)
        paired, unpaired = np.var(x - y, ddof=1), np.var(x, ddof=1) + np.var(y, ddof=1)
        assert unpaired > 0, name
        assert paired < 0.5 * unpaired, f"{name}: paired {paired:.3g} vs unpaired {unpaired:.3g}"


def test_draws_depend_only_on_seed_name_and_numbers_and_look_independent():
    """The plain-Python uniforms of :meth:`NumberedStreams.draws`: the same checks as Philox's
    sub-streams above (reproducible in any order, distinct, uniform, uncorrelated), and uniform
    ``i`` is the same number whether or not those before it were read."""
    pairs = [(k, j) for k in range(400) for j in range(5)]
    subs = Streams(3).numbered("link:sea/convoys")
    draws = np.array([subs.draws(k, j).uniforms(4) for k, j in pairs])
    again = Streams(3).numbered("link:sea/convoys")
    backwards = [again.draws(k, j).uniforms(4) for k, j in pairs[::-1]]
    np.testing.assert_array_equal(draws[::-1], backwards)
    assert [subs.draws(7, 2).uniform(i) for i in range(4)] == subs.draws(7, 2).uniforms(4)
    assert subs.draws(7, 2).uniforms(2, start=2) == subs.draws(7, 2).uniforms(4)[2:]
    for other in (Streams(4).numbered("link:sea/convoys"), Streams(3).numbered("link:air/convoys")):
        assert not np.isin(draws, [other.draws(k, j).uniforms(4) for k, j in pairs]).any()
    assert len(np.unique(draws)) == draws.size
    assert ((draws >= 0) & (draws < 1)).all()
    n = len(pairs)
    for column in range(4):
        first = np.sort(draws[:, column])
        ks = np.max(np.maximum(np.arange(1, n + 1) / n - first, first - np.arange(n) / n))
        assert ks < 1.95 / np.sqrt(n)
    by_convoy = draws[::5, 0]
    for x, y in ((by_convoy[:-1], by_convoy[1:]), (draws[:, 0], draws[:, 1]),
                 (draws[:-1, 0], draws[1:, 0])):
        assert abs(np.corrcoef(x, y)[0, 1]) < 3.3 / np.sqrt(len(x))
    with pytest.raises(ValueError, match="sub-stream numbers"):
        subs.draws(2**64)
