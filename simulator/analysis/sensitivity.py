"""Sobol sensitivity indices of a sweep run with ``--design sobol`` (SALib, Saltelli/Jansen).

The model output at a point is the KPI's mean over that point's replications. First-order
index S1: the share of the output's variance explained by one key alone; total index ST: by the
key with all its interactions. Intervals are SALib's bootstrap intervals. Replication noise
inflates the variance no key explains, so with few replications S1 and ST shrink a little;
the Ishigami test checks the path on a noiseless function.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.analysis.data import AnalysisError, SweepData

COLUMNS = ["view", "kpi", "key", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high"]


def sobol_table(data: SweepData, points: pd.DataFrame, kpis: list[str],
                confidence: float = 0.95) -> pd.DataFrame:
    """First and total indices with intervals for each view and KPI (empty unless sobol)."""
    from SALib.analyze import sobol

    if data.design != "sobol":
        return pd.DataFrame(columns=COLUMNS)
    m = data.manifest
    problem = {"num_vars": len(data.keys), "names": data.keys, "bounds": m["bounds"]}
    n_points = int(m["points"])
    rows = []
    for view in data.views:
        for kpi in kpis:
            sub = points[(points.view == view) & (points.kpi == kpi)].set_index("point")
            y = sub["mean"].reindex(range(n_points)).to_numpy(float)
            if not np.isfinite(y).all() or np.nanstd(y) == 0.0:
                continue  # failed or unfinished points, or a KPI no key moves
            res = sobol.analyze(problem, y, calc_second_order=False, conf_level=confidence,
                                seed=int(m["seed"]))
            for j, key in enumerate(data.keys):
                s1, s1c = float(res["S1"][j]), float(res["S1_conf"][j])
                st, stc = float(res["ST"][j]), float(res["ST_conf"][j])
                rows.append({"view": view, "kpi": kpi, "key": key, "S1": s1,
                             "S1_low": s1 - s1c, "S1_high": s1 + s1c, "ST": st,
                             "ST_low": st - stc, "ST_high": st + stc})
    return pd.DataFrame(rows, columns=COLUMNS)


def require_sobol(data: SweepData) -> None:
    """Raise unless ``data`` is a complete Sobol design (for callers that need indices)."""
    if data.design != "sobol":
        raise AnalysisError(f"{data.folder}: Sobol indices need a sweep run with --design sobol "
                            f"(this one is {data.design})")
