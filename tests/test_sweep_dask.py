"""Dask: a LocalCluster gives the serial rows; a worker killed mid-sweep loses no result."""

from __future__ import annotations

import logging
import os
import signal
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")

from simulator.sweep import run_sweep  # noqa: E402
from tests.sweep_helpers import run_small, small_plan, sweep_rows  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None,
                                  silence_logs=logging.CRITICAL) as c:
        yield c


def test_dask_local_cluster_gives_the_serial_rows(tmp_path: Path):
    serial = run_small(tmp_path / "serial", executor="serial")
    dask = run_small(tmp_path / "dask", executor="dask", workers=2, chunk=3)
    pd.testing.assert_frame_equal(serial, dask)


def test_a_killed_dask_worker_loses_no_result(tmp_path: Path, cluster):
    plan = small_plan(reps=30)
    with distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
    killed = []

    def kill_one_worker(n: int) -> None:
        if not killed:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    summary = run_sweep(plan.design, plan.model, plan.reps, plan.seed, tmp_path / "k",
                        executor="dask", scheduler=cluster.scheduler_address, chunk=2,
                        extra=plan.describe(), progress=kill_one_worker)
    assert killed and summary.ran == plan.design.n_points * plan.reps
    rows = sweep_rows(tmp_path / "k")
    serial = tmp_path / "serial"
    run_sweep(plan.design, plan.model, plan.reps, plan.seed, serial, extra=plan.describe())
    pd.testing.assert_frame_equal(rows, sweep_rows(serial))
