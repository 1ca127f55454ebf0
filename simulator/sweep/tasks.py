"""The unit of work: a chunk of (point, replication) runs, and the model that runs them.

Every run has a ``run_id = point * reps + replication`` and its own seed,
``SeedSequence(sweep_seed, spawn_key=(point, replication))``, so what a run produces depends on
nothing but the sweep seed, the point and the replication: not on the executor, the number of
workers, the chunking or the order in which results come back. All postures of a run share its
seed (common random numbers), which is what makes their per-run differences paired.

A chunk carries many runs because one run of a short scenario takes milliseconds, far less than
shipping a task to a process or a cluster. A run that fails (a combination of values the
scenario rejects, an error in the model) becomes a row with its ``error`` text; the sweep goes on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from simulator.model import simulate
from simulator.scenario import ScenarioError
from simulator.sweep.keys import Posture

Row = dict[str, Any]
ID_COLUMNS = ("run_id", "point", "replication", "posture")
"""Columns every row starts with; then the varied keys, the KPIs and ``error``."""


def run_seed(seed: int, point: int, replication: int) -> np.random.SeedSequence:
    """Seed of one run (point, replication); passing it to ``simulate`` re-runs that run."""
    return np.random.SeedSequence(seed, spawn_key=(point, replication))


Run = Callable[[np.random.SeedSequence], dict[str, dict[str, float]]]
"""One run at a fixed point: seed -> KPIs by posture."""


class Model(Protocol):
    """What a sweep evaluates: ``at(values)`` prepares a point (once per chunk), then runs."""

    postures: tuple[str, ...]

    def at(self, values: Mapping[str, float]) -> Run:
        """The runner of the point ``values``; raises if the point itself is invalid."""
        ...


@dataclass(frozen=True)
class ScenarioModel:
    """The simulator: each posture's scenario with the point's values set, run on one seed."""

    bases: tuple[Posture, ...]

    @property
    def postures(self) -> tuple[str, ...]:
        """Posture names in order (one for a plain sweep, two for a paired plan)."""
        return tuple(p.name for p in self.bases)

    def at(self, values: Mapping[str, float]) -> Run:
        """Validate each posture's scenario at ``values`` once; runs share a seed across them."""
        scenarios = [(p.name, p.scenario_at(values)) for p in self.bases]
        return lambda seed: {name: simulate(sc, seed).flat_kpis() for name, sc in scenarios}


@dataclass(frozen=True)
class Task:
    """Runs ``run_ids`` (ascending); ``values[point]`` holds the keys' values at each point."""

    run_ids: tuple[int, ...]
    values: dict[int, dict[str, float]]
    reps: int
    seed: int


def run_task(model: Model, task: Task) -> list[Row]:
    """Run one chunk; always returns one row per (run, posture), failures included."""
    rows: list[Row] = []
    prepared: dict[int, Run | str] = {}
    for run_id in task.run_ids:
        point, rep = divmod(run_id, task.reps)
        values = task.values[point]
        if point not in prepared:
            prepared[point] = _prepare(model, values)
        run = prepared[point]
        head = {"run_id": run_id, "point": point, "replication": rep}
        if isinstance(run, str):
            out = _failed(model, run)
        else:
            try:
                out = run(run_seed(task.seed, point, rep))
            except Exception as exc:  # a failing run must not stop the sweep; its row says why
                out = _failed(model, f"{type(exc).__name__}: {exc}")
        for posture in model.postures:
            kpis = out[posture]
            error = kpis.pop("__error__", None)
            rows.append({**head, "posture": posture, **values, **kpis, "error": error})
    return rows


def _prepare(model: Model, values: Mapping[str, float]) -> Run | str:
    """The point's runner, or the reason the point cannot run (then all its runs fail)."""
    try:
        return model.at(values)
    except ScenarioError as exc:
        return f"invalid scenario at this point: {exc.messages[0]}"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def _failed(model: Model, message: str) -> dict[str, dict[str, Any]]:
    return {p: {"__error__": message[:2000]} for p in model.postures}


def chunk_size(total: int, workers: int, limit: int = 64) -> int:
    """Runs per task: about eight tasks per worker for balance, at most ``limit`` runs each."""
    return max(1, min(limit, math.ceil(total / (8 * max(1, workers)))))


def make_tasks(pending: Iterator[int], size: int, reps: int, seed: int,
               values_of: Any) -> Iterator[Task]:
    """Group pending run ids (ascending) into tasks of ``size`` runs; lazy, for any count."""
    batch: list[int] = []
    for run_id in pending:
        batch.append(run_id)
        if len(batch) == size:
            yield _task(batch, reps, seed, values_of)
            batch = []
    if batch:
        yield _task(batch, reps, seed, values_of)


def _task(batch: list[int], reps: int, seed: int, values_of: Any) -> Task:
    points = sorted({r // reps for r in batch})
    return Task(tuple(batch), {p: values_of(p) for p in points}, reps, seed)
