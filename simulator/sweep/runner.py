"""Run a sweep into a folder: check, connect, write the manifest, stream chunks, summarise.

Everything that can be refused is refused before the first byte is written: the folder's state
(a different sweep there, or one there without ``--resume``), the executor (an unreachable
scheduler). ``--resume`` runs only the run ids not yet in ``runs/``; since chunks are atomic and
hold whole runs, an interrupted sweep plus its resumption has exactly the rows of one
uninterrupted sweep.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc

from simulator.experiment import default_workers
from simulator.sweep.design import Design
from simulator.sweep.errors import SweepError
from simulator.sweep.executors import open_executor
from simulator.sweep.store import (
    ChunkWriter,
    chunk_files,
    done_runs,
    read_manifest,
    read_runs,
    write_manifest,
)
from simulator.sweep.tasks import Model, chunk_size, make_tasks

FORMAT = 1
MAX_RUNS = 10**8
"""Runs one sweep may hold (the resume mask costs a byte per run)."""
BLOCK = 1 << 20


@dataclass(frozen=True)
class SweepSummary:
    """What a call to :func:`run_sweep` did."""

    out: Path
    runs: int
    skipped: int
    ran: int
    failed_runs: int
    failed_points: int
    seconds: float
    postures: int = 1

    def line(self) -> str:
        """One sentence for the terminal."""
        rate = self.ran / self.seconds if self.seconds > 0 else 0.0
        each = f" (x {self.postures} postures, paired)" if self.postures > 1 else ""
        text = f"{self.ran:,} runs{each} in {self.seconds:.1f} s ({rate:,.1f} runs/s)"
        if self.skipped:
            text += f"; {self.skipped:,} already written, skipped"
        if self.failed_runs:
            text += (f"; {self.failed_runs:,} runs at {self.failed_points:,} points failed "
                     "(see the error column)")
        return text


def manifest_for(design: Design, postures: tuple[str, ...], reps: int, seed: int,
                 extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What identifies a sweep: resuming requires the same manifest."""
    digest = hashlib.blake2b(np.ascontiguousarray(design.points, dtype=float).tobytes(),
                             digest_size=16).hexdigest()
    return {"format": FORMAT, "design": design.kind, "keys": design.keys,
            "samples": design.samples,
            "bounds": [list(b) for b in design.bounds] if design.bounds else None,
            "points": design.n_points, "points_digest": digest, "reps": reps, "seed": seed,
            "runs": design.n_points * reps, "postures": list(postures), **(extra or {})}


def check_folder(out: Path, manifest: dict[str, Any], resume: bool) -> None:
    """Refuse a folder holding another sweep, or this one without ``--resume``."""
    if out.exists() and not out.is_dir():
        raise SweepError(f"--out {out}: is a file; expected a folder for the sweep")
    old = read_manifest(out)
    if old is None:
        if out.is_dir() and any(out.iterdir()):
            raise SweepError(f"--out {out}: folder is not empty and holds no sweep.json; "
                             "choose a new folder")
        return
    if not resume:
        raise SweepError(f"--out {out}: already holds a sweep; add --resume to finish it or "
                         "choose another --out")
    differ = [k for k in sorted(set(old) | set(manifest)) if old.get(k) != manifest.get(k)]
    if differ:
        raise SweepError(f"--resume {out}: the sweep there differs from this one in "
                         f"{', '.join(differ)}; resume with the same arguments")


def run_sweep(design: Design, model: Model, reps: int, seed: int, out: Path, *,
              executor: str = "serial", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False,
              progress: Callable[[int], None] | None = None, chunk: int | None = None,
              extra: dict[str, Any] | None = None, flush_rows: int = 2_000,
              on_start: Callable[[int, int], None] | None = None) -> SweepSummary:
    """Run ``reps`` replications of ``model`` at every point of ``design`` into ``out``.

    ``on_start(pending, skipped)`` is called once the folder is checked and the executor is
    up, before the first run (the CLI sizes its progress bar there). Rows are written in
    chunks of about ``flush_rows`` rows, or every few seconds.
    """
    if reps < 1:
        raise SweepError(f"--reps {reps}: expected at least 1")
    total = design.n_points * reps
    if total > MAX_RUNS:
        raise SweepError(f"{design.n_points:,} points x {reps:,} replications = {total:,} runs; "
                         f"at most {MAX_RUNS:,}")
    manifest = manifest_for(design, model.postures, reps, seed, extra)
    out = Path(out)
    check_folder(out, manifest, resume)
    done = done_runs(out, total) if chunk_files(out) else np.zeros(total, dtype=bool)
    skipped = int(done.sum())
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise SweepError(f"--workers {workers}: expected at least 1")
    with open_executor(executor, model, workers, scheduler) as ex:
        start = time.monotonic()  # runs/s, not the time a cluster takes to start
        write_manifest(out, manifest, design.points, design.keys)
        if on_start is not None:
            on_start(total - skipped, skipped)
        pending = _pending(done)
        size = chunk or chunk_size(total - skipped, ex.workers)
        tasks = make_tasks(pending, size, reps, seed, design.values)
        writer = ChunkWriter(out, max_rows=flush_rows)
        ran = 0
        try:
            for rows in ex.stream(tasks, window=max(2, 4 * ex.workers)):
                writer.add(rows)
                n = len({r["run_id"] for r in rows})
                ran += n
                if progress is not None:
                    progress(n)
        finally:
            writer.flush()  # whole tasks only: what is written stays valid on Ctrl-C
    failed_runs, failed_points = _failures(out)
    return SweepSummary(out, total, skipped, ran, failed_runs, failed_points,
                        time.monotonic() - start, len(model.postures))


def _pending(done: np.ndarray) -> Iterator[int]:
    """Run ids not yet written, ascending, a block at a time (never a list of all of them)."""
    for start in range(0, len(done), BLOCK):
        yield from (np.flatnonzero(~done[start:start + BLOCK]) + start).tolist()


def _failures(out: Path) -> tuple[int, int]:
    table = read_runs(out, ["run_id", "point", "error"])
    if "error" not in table.column_names or table.num_rows == 0:
        return 0, 0
    failed = table.filter(pc.is_valid(table.column("error")))
    return (len(set(failed.column("run_id").to_pylist())),
            len(set(failed.column("point").to_pylist())))
