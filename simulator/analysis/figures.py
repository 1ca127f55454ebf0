"""Figures of a sweep: KPI against each key, a heatmap over two keys, Sobol indices.

Built on ``matplotlib.figure.Figure`` (no pyplot state), returned to the page builder, which
renders them to PNG.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulator.analysis.data import SweepData
from simulator.analysis.points import effect_table, grid_matrix

COLORS = ["#D55E00", "#0072B2", "#222222"]
"""First posture vermillion, second blue, their difference black (as in the comparison)."""
MAX_KEYS = 6


def _short(key: str) -> str:
    parts = key.split(".")
    return ".".join(parts[-2:]) if len(parts) > 2 else key


def effects_figure(data: SweepData, kpi: str, confidence: float) -> Figure:
    """One panel per key: mean KPI against the key's value, other keys averaged, with bands."""
    keys = data.keys[:MAX_KEYS]
    paired = len(data.views) == 3
    rows = 2 if paired else 1
    fig = Figure(figsize=(3.6 * len(keys) + 0.6, 3.0 * rows + 0.4), layout="constrained")
    axes = np.atleast_2d(fig.subplots(rows, len(keys), squeeze=False))
    for j, key in enumerate(keys):
        for i, view in enumerate(data.views):
            ax = axes[1 if paired and i == 2 else 0, j]
            eff = effect_table(data, kpi, key, view, confidence)
            ax.plot(eff.value, eff["mean"], "o-", color=COLORS[i], label=view, ms=4)
            ax.fill_between(eff.value, eff.ci_low, eff.ci_high, color=COLORS[i], alpha=0.2,
                            lw=0)
            ax.set_xlabel(_short(key))
            if i == 2:
                ax.axhline(0.0, color="grey", lw=0.8, ls=":")
        axes[0, j].set_ylabel(kpi if j == 0 else "")
        if paired:
            axes[1, j].set_ylabel(f"difference\n{data.views[2]}" if j == 0 else "")
    axes[0, 0].legend(fontsize=8)
    fig.suptitle(f"{kpi} against each varied key ({round(confidence * 100)} % intervals)")
    return fig


def heatmap_figure(data: SweepData, points: pd.DataFrame, kpis: list[str], view: str) -> Figure:
    """Mean KPI over the first two keys: a grid as cells, a sampled design as coloured dots."""
    xkey, ykey = data.keys[0], data.keys[1]
    kpis = kpis[:4]
    fig = Figure(figsize=(4.4 * len(kpis) + 0.4, 3.9), layout="constrained")
    axes = fig.subplots(1, len(kpis), squeeze=False)[0]
    for ax, kpi in zip(axes, kpis, strict=True):
        matrix = grid_matrix(points, kpi, view, xkey, ykey) if data.design == "grid" else None
        cmap = "RdBu" if " - " in view else "viridis"
        if matrix is not None and matrix.size:
            values = matrix.to_numpy(float)
            span = _span(values) if " - " in view else None
            mesh = ax.imshow(values, cmap=cmap, origin="lower", aspect="auto",
                             vmin=-span if span else None, vmax=span)
            ax.set_xticks(range(values.shape[1]), [f"{v:g}" for v in matrix.columns])
            ax.set_yticks(range(values.shape[0]), [f"{v:g}" for v in matrix.index])
            for (r, c), v in np.ndenumerate(values):
                if values.size <= 64 and np.isfinite(v):
                    red, green, blue, _ = mesh.cmap(mesh.norm(v))
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                    ax.text(c, r, f"{v:.2g}", ha="center", va="center", fontsize=7,
                            color="white" if dark else "black")
        else:
            sub = points[(points.kpi == kpi) & (points.view == view)]
            span = _span(sub["mean"].to_numpy(float)) if " - " in view else None
            mesh = ax.scatter(sub[xkey], sub[ykey], c=sub["mean"], cmap=cmap, s=14,
                              vmin=-span if span else None, vmax=span)
        fig.colorbar(mesh, ax=ax, label=f"mean {kpi}")
        ax.set_xlabel(_short(xkey))
        ax.set_ylabel(_short(ykey))
        ax.set_title(kpi, fontsize=10)
    fig.suptitle(f"{view}: mean over replications (and over any other key)")
    return fig


def _span(values: np.ndarray) -> float | None:
    """A colour range symmetric about zero for differences (white = no difference)."""
    finite = np.abs(values[np.isfinite(values)])
    return float(finite.max()) if finite.size and finite.max() > 0 else None


def sobol_figure(table: pd.DataFrame, view: str) -> Figure:
    """First-order and total indices per key, one panel per KPI, with bootstrap intervals."""
    sub = table[table.view == view]
    kpis = list(dict.fromkeys(sub.kpi))[:4]
    fig = Figure(figsize=(4.2 * len(kpis) + 0.4, 3.4), layout="constrained")
    axes = fig.subplots(1, len(kpis), squeeze=False)[0]
    for ax, kpi in zip(axes, kpis, strict=True):
        k = sub[sub.kpi == kpi]
        pos = np.arange(len(k))
        for off, name, color in ((-0.2, "S1", "#0072B2"), (0.2, "ST", "#E69F00")):
            err = np.vstack([k[name] - k[f"{name}_low"], k[f"{name}_high"] - k[name]])
            ax.bar(pos + off, k[name], 0.38, yerr=err, color=color, capsize=3,
                   label="first order" if name == "S1" else "total")
        ax.set_xticks(pos, [_short(key) for key in k.key], rotation=15, fontsize=8)
        ax.set_ylim(min(0.0, float(k.S1_low.min()), float(k.ST_low.min())) - 0.05,
                    max(1.0, float(k.S1_high.max()), float(k.ST_high.max())) + 0.05)
        ax.axhline(0.0, color="grey", lw=0.8)
        ax.set_title(kpi, fontsize=10)
    axes[0].set_ylabel("Sobol index")
    axes[0].legend(fontsize=8)
    fig.suptitle(f"{view}: share of the variance of each KPI due to each key")
    return fig
