"""Regeneration: how long each posture's production takes to recover from shocks.

For every item, the worst and the mean number of days output took to return to 90 % of its
pre-shock throughput (strike hits, supplier cut-offs, outages; see
:mod:`simulator.regeneration`), averaged over replications with their intervals, posture A
against posture B. Reads the comparison's KPI tables only.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simulator.experiment.comparison import Comparison
from simulator.experiment.stats import t_interval
from simulator.plots.style import POSTURE, WIDTH, posture_legend, style

MEASURES = (("regeneration_worst_days", "worst shock"), ("regeneration_mean_days", "mean shock"))


def regeneration_figure(cmp: Comparison) -> Figure:
    """Days to recover 90 % of pre-shock throughput, worst and mean, per item and posture."""
    items = cmp.a.items
    pct = round(cmp.confidence * 100)
    fig = Figure(figsize=(WIDTH, 1.4 + 0.75 * len(items)), layout="constrained")
    axes = fig.subplots(1, len(MEASURES), sharey=True)
    y = np.arange(len(items))[::-1]
    for ax, (kpi, label) in zip(axes, MEASURES, strict=True):
        style(ax)
        top = 1.0
        for tag, reps, dy in (("A", cmp.a, 0.14), ("B", cmp.b, -0.14)):
            for yy, item in zip(y + dy, items, strict=True):
                column = f"{item}.{kpi}"
                if column not in reps.kpis:
                    continue
                ci = t_interval(reps.kpis[column].to_numpy(dtype=float), cmp.confidence)
                if not np.isfinite(ci.mean):
                    continue
                lo = ci.low if np.isfinite(ci.low) else ci.mean
                hi = ci.high if np.isfinite(ci.high) else ci.mean
                ax.barh(yy, ci.mean, height=0.26, color=POSTURE[tag], alpha=0.85)
                ax.errorbar(ci.mean, yy, xerr=[[ci.mean - lo], [hi - ci.mean]], fmt="none",
                            ecolor="black", capsize=3, linewidth=0.9)
                ax.annotate(f"{ci.mean:.0f} d", (hi, yy), xytext=(4, -3),
                            textcoords="offset points", fontsize=8, color=POSTURE[tag])
                top = max(top, hi)
        ax.set_xlim(0, top * 1.2)
        ax.set_yticks(y, items)
        ax.set_title(f"{label}: days to recover 90 % of pre-shock output", loc="left",
                     fontsize=10)
        ax.set_xlabel(f"days (mean over {cmp.reps} replications, {pct} % interval)")
    fig.suptitle("Regeneration: how fast production comes back after strikes, embargoes and "
                 "outages", fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.84))
    posture_legend(fig, cmp, 0.84)
    return fig
