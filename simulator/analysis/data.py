"""Read a sweep folder back: its manifest, design and runs, arranged as views to analyse.

A *view* is what one analysis looks at: a posture's KPIs, or for a paired plan the per-run
difference between the two postures (second minus first), which is where common random numbers
pay off. Runs that failed (``error`` set) are left out of every statistic and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.sweep.store import read_manifest, read_points, read_runs, run_columns
from simulator.sweep.tasks import ID_COLUMNS


class AnalysisError(ValueError):
    """The folder is not an analysable sweep, or an option does not fit it."""


@dataclass
class SweepData:
    """A loaded sweep: ``runs`` has one row per (run, view) with the keys and KPI columns."""

    folder: Path
    manifest: dict[str, Any]
    keys: list[str]
    points: pd.DataFrame
    runs: pd.DataFrame
    views: list[str]
    kpi_columns: list[str]
    """Every KPI the sweep wrote (only those asked for are loaded into ``runs``)."""
    failed_runs: int

    @property
    def design(self) -> str:
        """grid, lhs or sobol."""
        return str(self.manifest["design"])


def diff_view(postures: list[str]) -> str:
    """The name of the paired-difference view, e.g. ``allied - domestic``."""
    return f"{postures[1]} - {postures[0]}"


def load_sweep(folder: Path, kpis: list[str] | None = None) -> SweepData:
    """Load ``folder``; raise :class:`AnalysisError` when there is nothing to analyse.

    Only the ``kpis`` columns are read (all KPI columns when None): a million-run sweep with
    sixty KPIs would not fit in memory whole, and an analysis looks at a handful.
    """
    manifest = read_manifest(folder) if folder.is_dir() else None
    if manifest is None:
        raise AnalysisError(f"{folder}: no sweep.json; expected a folder written by "
                            "`arsenal sweep`")
    keys = list(manifest["keys"])
    design = read_points(folder)
    points = pd.DataFrame(design, columns=keys)
    points.insert(0, "point", np.arange(len(points)))
    columns = run_columns(folder)
    all_kpis = [c for c in columns if c not in (*ID_COLUMNS, "error", *keys)]
    wanted = all_kpis if kpis is None else [k for k in kpis if k in all_kpis]
    table = read_runs(folder, [*ID_COLUMNS, "error", *wanted]).to_pandas()
    if table.empty:
        raise AnalysisError(f"{folder}: no runs written yet; run the sweep (or --resume it)")
    duplicated = table.duplicated(["run_id", "posture"]).sum()
    if duplicated:
        raise AnalysisError(f"{folder}: {duplicated} runs appear twice in runs/; the folder "
                            "was written by two sweeps at once")
    failed = table["error"].notna() if "error" in table else pd.Series(False, index=table.index)
    failed_runs = int(table.loc[failed, "run_id"].nunique())
    ok = table[~failed].merge(points, on="point", how="left")
    kpi_columns = all_kpis
    postures = list(manifest["postures"])
    frames = [ok]
    views = list(postures)
    if len(postures) == 2:
        a = ok[ok.posture == postures[0]].set_index("run_id")
        b = ok[ok.posture == postures[1]].set_index("run_id")
        both = a.index.intersection(b.index)
        diff = b.loc[both, wanted] - a.loc[both, wanted]
        diff = pd.concat([a.loc[both, ["point", "replication", *keys]], diff], axis=1)
        diff["posture"] = diff_view(postures)
        frames.append(diff.reset_index())
        views.append(diff_view(postures))
    runs = pd.concat(frames, ignore_index=True).rename(columns={"posture": "view"})
    runs = runs.sort_values(["view", "run_id"], kind="stable").reset_index(drop=True)
    return SweepData(folder, manifest, keys, points, runs, views, kpi_columns, failed_runs)


def default_kpis(data: SweepData) -> list[str]:
    """Every item's fill rate and ships lost; any KPI at all for a model without those."""
    chosen = [c for c in data.kpi_columns if c.endswith(".fill_rate")]
    chosen += [c for c in data.kpi_columns if c == "transport.ships_lost"]
    return chosen or data.kpi_columns[:6]
