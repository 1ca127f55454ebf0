"""Executors that stream results: a bounded window of tasks in flight, results as they finish.

A sweep may have a million runs. Submitting them all at once would hold a million futures (and
their results) in memory; here at most ``window`` tasks are out at any time and each result is
handed back, then dropped, as soon as it arrives. Results come back in completion order; rows
carry their run ids, so nothing downstream depends on that order.

- ``serial``: in this process (debugging, tiny sweeps);
- ``processes``: a local process pool; workers ignore Ctrl-C, the parent owns interruption;
- ``dask``: a Dask ``LocalCluster`` of ``workers`` processes, or the scheduler at ``address``.
  The model is scattered once to every worker rather than shipped with each task. If a worker
  dies, Dask reruns its tasks elsewhere: no result is lost.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager
from typing import Any

from simulator.sweep.errors import ExecutorFailure, SweepError
from simulator.sweep.tasks import Model, Row, Task, run_task

EXECUTORS = ("serial", "processes", "dask")
CONNECT_TIMEOUT_S = 5


class Executor(AbstractContextManager):
    """Runs tasks of one model; ``stream`` yields each task's rows as it completes."""

    workers = 1

    def stream(self, tasks: Iterable[Task], window: int) -> Iterator[list[Row]]:
        """Rows of each task, in completion order, with at most ``window`` tasks in flight."""
        raise NotImplementedError

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release workers (idempotent)."""


class SerialExecutor(Executor):
    """Runs each task in this process, one after the other."""

    def __init__(self, model: Model):
        self.model = model

    def stream(self, tasks: Iterable[Task], window: int) -> Iterator[list[Row]]:
        """Each task's rows, in order."""
        for task in tasks:
            yield run_task(self.model, task)


_WORKER_MODEL: list[Model] = []
"""The model a pool worker runs, set once by its initializer (never in the parent)."""


def _init_worker(model: Model) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_MODEL[:] = [model]


def _run_in_worker(task: Task) -> list[Row]:
    return run_task(_WORKER_MODEL[0], task)


def _windowed(submit: Callable[[Task], Any], tasks: Iterable[Task], window: int,
              next_done: Callable[[set], tuple[set, set]],
              result: Callable[[Any], list[Row]]) -> Iterator[list[Row]]:
    pending: set = set()
    source = iter(tasks)
    exhausted = False
    while True:
        while not exhausted and len(pending) < window:
            task = next(source, None)
            if task is None:
                exhausted = True
            else:
                try:
                    pending.add(submit(task))
                except Exception as exc:  # the pool broke before this task went out
                    # Keep what finished before the failure, then stop as when a result fails.
                    for future in list(pending):
                        try:
                            rows = result(future) if future.done() else None
                        except Exception:
                            rows = None
                        if rows is not None:
                            yield rows
                    raise ExecutorFailure(f"{type(exc).__name__}: {exc}") from exc
        if not pending:
            return
        done, pending = next_done(pending)
        for future in done:
            try:
                rows = result(future)
            except Exception as exc:
                raise ExecutorFailure(f"{type(exc).__name__}: {exc}") from exc
            yield rows


class ProcessExecutor(Executor):
    """A local pool of ``workers`` processes."""

    def __init__(self, model: Model, workers: int):
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                                        initargs=(model,))
        self.inflight: set[Future] = set()

    def stream(self, tasks: Iterable[Task], window: int) -> Iterator[list[Row]]:
        """Rows of each task as it completes."""
        def next_done(pending: set) -> tuple[set, set]:
            done, rest = wait(pending, return_when=FIRST_COMPLETED)
            self.inflight = rest
            return done, rest

        def submit(task: Task) -> Future:
            future = self.pool.submit(_run_in_worker, task)
            self.inflight.add(future)
            return future

        yield from _windowed(submit, tasks, window, next_done, lambda f: f.result())

    def close(self) -> None:
        """Cancel what has not started and stop the pool."""
        for future in self.inflight:
            future.cancel()
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Dask: a LocalCluster of ``workers`` single-threaded processes, or a running scheduler."""

    def __init__(self, model: Model, workers: int, address: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - a dependency of the package
            raise SweepError("--executor dask needs the 'distributed' package") from None
        self.cluster = None
        if address is None:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(address, timeout=CONNECT_TIMEOUT_S)
            except (OSError, TimeoutError, ValueError) as exc:
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise SweepError(f"--scheduler {address}: cannot reach a Dask scheduler within "
                                 f"{CONNECT_TIMEOUT_S} s ({reason}); is `dask scheduler` "
                                 "running there and the port open?") from None
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})) or workers)
        self.model_ref = self.client.scatter(model, broadcast=True, hash=False)
        self.inflight: set = set()

    def stream(self, tasks: Iterable[Task], window: int) -> Iterator[list[Row]]:
        """Rows of each task as it completes; a lost worker's tasks are rerun by Dask."""
        from distributed import wait as dask_wait

        def next_done(pending: set) -> tuple[set, set]:
            done, rest = dask_wait(list(pending), return_when="FIRST_COMPLETED")
            self.inflight = set(rest)
            return set(done), set(rest)

        def submit(task: Task) -> Any:
            future = self.client.submit(run_task, self.model_ref, task, pure=False)
            self.inflight.add(future)
            return future

        yield from _windowed(submit, tasks, window, next_done, lambda f: f.result())

    def close(self) -> None:
        """Cancel outstanding tasks; stop the LocalCluster if this executor started it."""
        if self.inflight:
            self.client.cancel(list(self.inflight))
            self.inflight = set()
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def open_executor(kind: str, model: Model, workers: int, address: str | None) -> Executor:
    """The executor called ``kind``; raises :class:`SweepError` before any work is done."""
    if kind not in EXECUTORS:
        raise SweepError(f"--executor {kind}: expected one of {', '.join(EXECUTORS)}")
    if address is not None and kind != "dask":
        raise SweepError("--scheduler is for --executor dask")
    if kind == "serial" or (kind == "processes" and workers <= 1):
        return SerialExecutor(model)
    if kind == "processes":
        return ProcessExecutor(model, workers)
    return DaskExecutor(model, workers, address)
