"""Experiment memory: workers ship chunk sums, the parent holds a bounded window of chunks."""

from __future__ import annotations

import weakref
from concurrent.futures import Future
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import simulator.experiment.runner as runner
from simulator.experiment import child_seed, replicate, simulate
from simulator.experiment.digest import CHUNKS_PER_RUN, MAX_CHUNK, chunk_size, run_chunk
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict
from .test_experiment import flaky_plant


def test_a_chunk_ships_the_sums_of_its_replications_not_their_arrays():
    """The chunk's production and demand equal the sums of separately simulated replications."""
    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    chunk = run_chunk(sc, 4, range(3, 8), keep_series_below=0)
    results = [simulate(sc, child_seed(4, i)) for i in range(3, 8)]
    made = sum(np.diff(r.produced, axis=0) for r in results)
    assert chunk.production.shape == results[0].produced[1:].shape
    assert np.allclose(chunk.production, made, rtol=1e-12, atol=0)
    assert np.allclose(chunk.demand, sum(r.demand for r in results), rtol=1e-12, atol=0)
    assert chunk.kpis["replication"].tolist() == [3, 4, 5, 6, 7]
    assert chunk.kpis["drone.delivered"].tolist() == [r.flat_kpis()["drone.delivered"]
                                                      for r in results]
    assert chunk.series == {} and chunk.events is None and len(chunk) == 5


def test_a_chunk_keeps_series_only_below_the_cut_and_events_of_replication_zero():
    sc = scenario_from_dict(flaky_plant())
    chunk = run_chunk(sc, 1, range(0, 4), keep_series_below=2)
    assert chunk.series["depot_stock"].shape == (2, 61, 1)
    assert chunk.events == [(e.day, e.kind, e.subject, e.detail)
                            for e in simulate(sc, child_seed(1, 0)).events]


@pytest.mark.parametrize("reps", [1, 9, 64, 65, 400, 1024, 10**6])
def test_a_run_is_cut_into_about_64_chunks_of_at_most_max_chunk(reps):
    size = chunk_size(reps)
    chunks = -(-reps // size)
    assert 1 <= size <= MAX_CHUNK
    assert chunks <= CHUNKS_PER_RUN or size == MAX_CHUNK  # many workers share a small run
    assert chunks > CHUNKS_PER_RUN // 2 or size == 1  # and no chunk is needlessly large


def test_sums_over_several_chunks_are_identical_for_any_worker_count():
    """130 replications make chunks of 3: sums cross chunk boundaries, and still agree bitwise."""
    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    assert chunk_size(130) == 3
    one = replicate(sc, reps=130, seed=6, workers=1, keep_series=10)
    two = replicate(sc, reps=130, seed=6, workers=2, keep_series=10)
    assert one.kpis.equals(two.kpis)
    assert np.array_equal(one.production_mean, two.production_mean)
    assert np.array_equal(one.demand_mean, two.demand_mean)
    for name, values in one.series.items():
        assert values.shape[0] == 10 and np.array_equal(values, two.series[name]), name


class _InlinePool:
    """Stands in for the process pool: runs each task on submit and tracks live futures."""

    live: ClassVar[weakref.WeakSet] = weakref.WeakSet()
    most: ClassVar[int] = 0

    def __init__(self, max_workers: int, **_options) -> None:
        self.max_workers = max_workers

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        future.set_result(fn(*args))
        type(self).live.add(future)
        type(self).most = max(type(self).most, len(type(self).live))
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


def test_the_parent_holds_a_bounded_window_of_chunks(monkeypatch):
    """Finished futures are dropped as they are consumed: at most the window is alive at once."""
    monkeypatch.setattr(runner, "ProcessPoolExecutor", _InlinePool)
    _InlinePool.live, _InlinePool.most = weakref.WeakSet(), 0
    sc = scenario_from_dict(minimal_dict(horizon_days=10))
    reps = runner.replicate(sc, reps=200, seed=2, workers=2)  # 100 chunks of 2
    assert len(reps.kpis) == 200
    window = runner.WINDOW_PER_WORKER * 2
    # A consumed future is dropped before the next is submitted: never more than the window
    # (keeping every future, as a list of them would, gives 100 here).
    assert _InlinePool.most == window


def test_the_parent_fills_arrays_allocated_once_instead_of_joining_chunks():
    """The collector allocates the kept series and KPI columns at their final size on the first
    chunk and copies each chunk into place; finishing hands the same arrays over, uncopied."""
    from simulator.experiment.replications import Collector

    sc = scenario_from_dict(flaky_plant(loss_prob=0.2))
    collector = Collector(sc, seed=2, reps=9, keep=5)
    chunks = [run_chunk(sc, 2, range(a, b), keep_series_below=5) for a, b in
              ((0, 3), (3, 6), (6, 9))]
    collector.add(chunks[0])
    allocated = dict(collector.series)
    assert {k: v.shape[0] for k, v in allocated.items()} == {k: 5 for k in allocated}
    assert all(len(v) == 9 for v in collector.kpis.values())
    for chunk in chunks[1:]:
        collector.add(chunk)
    done = collector.finish()
    assert all(done.series[k] is allocated[k] for k in allocated)  # no concatenated copy
    for name in allocated:
        whole = np.concatenate([c.series[name] for c in chunks if name in c.series])
        assert np.array_equal(done.series[name], whole), name
    joined = pd.concat([c.kpis for c in chunks], ignore_index=True)
    assert done.kpis.equals(joined)  # same values and column types as joining the chunks


def test_kpis_only_some_chunks_report_are_missing_elsewhere_as_when_joining():
    from simulator.experiment.replications import Collector

    sc = scenario_from_dict(flaky_plant())
    chunks = [run_chunk(sc, 1, range(a, a + 2), keep_series_below=0) for a in (0, 2, 4)]
    last = chunks[0].kpis.columns[-1]
    chunks[1].kpis = chunks[1].kpis.drop(columns=last)  # a KPI missing from the middle chunk
    chunks[2].kpis = chunks[2].kpis.assign(late=[1, 2])  # and a KPI first seen in the last
    collector = Collector(sc, seed=1, reps=6, keep=0)
    for chunk in chunks:
        collector.add(chunk)
    done = collector.finish().kpis
    joined = pd.concat([c.kpis for c in chunks], ignore_index=True)
    assert done.equals(joined) and list(done.columns) == list(joined.columns)
    assert done[last].isna().tolist() == [False, False, True, True, False, False]
