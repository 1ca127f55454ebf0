"""Run replications on local processes: chunks of seeds per task, results in seed order.

One replication costs tens of milliseconds, so each task carries a chunk of replications (a
process pool's per-task overhead is then negligible) and stays short (so Ctrl-C stops within a
second or two). The worker reduces its chunk to sums and kept series
(:func:`~simulator.experiment.digest.run_chunk`); chunk boundaries depend only on the number
of replications, and results are consumed in submission order: whatever the number of workers,
the same seed gives bit-for-bit the same tables.

Memory stays flat in the number of replications: at most :data:`WINDOW_PER_WORKER` tasks per
worker are submitted ahead of the one being consumed, and a consumed task's future is dropped at
once, so the parent never holds more than a window of chunk results.

Workers ignore SIGINT; the parent owns the interruption: it cancels what has not started,
terminates the workers (so Ctrl-C stops within a second or two, not when the running chunks
finish) and re-raises. Workers also die with their parent (Linux ``PR_SET_PDEATHSIG``), so a
killed ``arsenal`` never leaves them running.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from simulator.experiment.digest import Chunk, chunk_size, run_chunk
from simulator.experiment.replications import Collector, Replications
from simulator.scenario import Scenario

Progress = Callable[[int], None]
"""Called with the number of replications just finished (for a progress bar)."""

KEEP_SERIES = 1000
"""Replications whose daily series are kept for figures (KPIs are kept for all of them)."""

WINDOW_PER_WORKER = 3
"""Tasks in flight per worker: enough that no worker waits on the parent, few enough that the
chunk results held at any time do not grow with the run."""


def default_workers() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_PR_SET_PDEATHSIG = 1


def _worker_init(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and die when the parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: a chunk of a large scenario can run for seconds."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


Task = tuple[int, Scenario, int, range, int]  # (job, scenario, seed, indices, keep_below)


def _tasks(scenarios: list[Scenario], reps: int, seed: int, keep_series: int) -> Iterator[Task]:
    # Interleave the scenarios so both postures advance together (the progress bar then means
    # the same for each). The chunks do not depend on the workers: see digest.chunk_size.
    size = chunk_size(reps)
    for start in range(0, reps, size):
        indices = range(start, min(reps, start + size))
        for job, sc in enumerate(scenarios):
            yield job, sc, seed, indices, keep_series


def _execute(tasks: Iterable[Task], workers: int) -> Iterator[tuple[int, Chunk]]:
    if workers <= 1:
        for job, *args in tasks:
            yield job, run_chunk(*args)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init,
                               initargs=(os.getpid(),))
    window: deque[tuple[int, Future[Chunk]]] = deque()
    pending = iter(tasks)
    finished = False

    def submit_next() -> None:
        task = next(pending, None)
        if task is not None:
            job, *args = task
            window.append((job, pool.submit(run_chunk, *args)))

    try:
        for _ in range(WINDOW_PER_WORKER * workers):
            submit_next()
        while window:
            job, future = window.popleft()
            chunk = future.result()
            del future  # a kept future would keep its chunk alive until the run ends
            submit_next()
            yield job, chunk
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:
            # Terminate rather than cancel (cancelling makes the pool's manager thread crash
            # on the cancelled futures), and do not wait: a worker killed while sending a
            # result leaves that thread waiting for the rest of the message. The CLI exits
            # with os._exit after an interruption, so nothing joins it.
            _terminate(pool)
            pool.shutdown(wait=False)


def run_replications(scenarios: list[Scenario], reps: int, seed: int = 0,
                     workers: int | None = None, progress: Progress | None = None,
                     keep_series: int = KEEP_SERIES) -> list[Replications]:
    """Run ``reps`` replications of each scenario on the same replication seeds."""
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    collectors = [Collector(sc, seed, reps, keep_series) for sc in scenarios]
    tasks = len(scenarios) * -(-reps // chunk_size(reps))
    workers = min(workers, tasks)
    for job, chunk in _execute(_tasks(scenarios, reps, seed, keep_series), workers):
        collectors[job].add(chunk)
        if progress is not None:
            progress(len(chunk))
    return [c.finish() for c in collectors]


def replicate(scenario: Scenario, reps: int, seed: int = 0, workers: int | None = None,
              progress: Progress | None = None, keep_series: int = KEEP_SERIES) -> Replications:
    """``reps`` independent replications of ``scenario`` from root ``seed``.

    Replication i uses child i of ``SeedSequence(seed).spawn(reps)``; ``workers`` processes
    (default: every core; 1 runs in this process) give identical results.
    """
    return run_replications([scenario], reps, seed, workers, progress, keep_series)[0]
