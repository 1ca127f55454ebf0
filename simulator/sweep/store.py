"""The sweep's folder: ``sweep.json`` (what was asked), ``points.parquet`` and ``runs/``.

``runs/`` is a Parquet dataset, one row per (run, posture), written in chunks. Each chunk is
written to a hidden temporary file and renamed into place under a name no other chunk can have
(a counter and a random suffix), so a sweep killed at any moment leaves whole chunks or none:
a reader (pyarrow, pandas, DuckDB) never sees half a file, and ``--resume`` reads the run ids
already present and runs only the others. All postures of a run land in the same chunk.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.output import atomic_write
from simulator.sweep.tasks import ID_COLUMNS, Row

MANIFEST = "sweep.json"
POINTS = "points.parquet"
RUNS = "runs"


def _schema(rows: list[Row]) -> pa.Schema:
    """int64 ids, text posture and error, float64 for every key and KPI (NaN = undefined)."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    fields = []
    for name in names:
        if name in ("run_id", "point", "replication"):
            fields.append(pa.field(name, pa.int64()))
        elif name in ("posture", "error"):
            fields.append(pa.field(name, pa.string()))
        else:
            fields.append(pa.field(name, pa.float64()))
    return pa.schema(fields)


class ChunkWriter:
    """Buffers whole tasks' rows and writes them as one Parquet file every so often."""

    def __init__(self, out: Path, max_rows: int = 2_000, max_seconds: float = 5.0):
        self.folder = out / RUNS
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_rows, self.max_seconds = max_rows, max_seconds
        self.rows: list[Row] = []
        self.last = time.monotonic()
        self.files = 0

    def add(self, rows: list[Row]) -> None:
        """Take one task's rows; flush when the buffer is large or old enough."""
        self.rows.extend(rows)
        if len(self.rows) >= self.max_rows or time.monotonic() - self.last >= self.max_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffer as a new chunk (atomically) and empty it."""
        self.last = time.monotonic()
        if not self.rows:
            return
        table = pa.Table.from_pylist(self.rows, schema=_schema(self.rows))
        name = f"part-{time.time_ns():020d}-{uuid.uuid4().hex[:12]}.parquet"
        tmp = self.folder / f".{name}.tmp"
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, self.folder / name)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self.files += 1
        self.rows = []


def chunk_files(out: Path) -> list[Path]:
    """The finished chunks (temporary files of a killed writer are ignored)."""
    folder = out / RUNS
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


def done_runs(out: Path, total: int) -> np.ndarray:
    """A boolean mask over run ids: True where the run's rows are already written."""
    mask = np.zeros(total, dtype=bool)
    for path in chunk_files(out):
        ids = pq.read_table(path, columns=["run_id"]).column("run_id").to_numpy()
        mask[ids[(ids >= 0) & (ids < total)]] = True
    return mask


def read_runs(out: Path, columns: list[str] | None = None) -> pa.Table:
    """Every written row, chunks concatenated (columns a chunk lacks are null)."""
    tables = []
    for path in chunk_files(out):
        have = pq.read_schema(path).names
        tables.append(pq.read_table(path, columns=None if columns is None
                                    else [c for c in columns if c in have]))
    if not tables:
        return pa.table({c: pa.array([], pa.int64() if c != "posture" else pa.string())
                         for c in ID_COLUMNS})
    return pa.concat_tables(tables, promote_options="default")


def run_columns(out: Path) -> list[str]:
    """Every column any chunk has, in first-seen order (read from the files' footers only)."""
    names: dict[str, None] = {}
    for path in chunk_files(out):
        names.update(dict.fromkeys(pq.read_schema(path).names))
    return list(names)


def write_manifest(out: Path, manifest: dict[str, Any], points: np.ndarray,
                   keys: list[str]) -> None:
    """``sweep.json`` and ``points.parquet`` (one row per point: its index and key values)."""
    out.mkdir(parents=True, exist_ok=True)
    table = pa.table({"point": np.arange(len(points), dtype=np.int64),
                      **{k: points[:, j] for j, k in enumerate(keys)}})
    tmp = out / f".{POINTS}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, out / POINTS)
    atomic_write(out / MANIFEST, lambda h: h.write(json.dumps(manifest, indent=2) + "\n"))


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the sweep in ``out``, or None when there is none."""
    path = out / MANIFEST
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def read_points(out: Path) -> np.ndarray:
    """The design matrix (points x keys) written at the start of the sweep."""
    table = pq.read_table(out / POINTS)
    return np.column_stack([table.column(c).to_numpy() for c in table.column_names[1:]])
