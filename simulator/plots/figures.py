"""The comparison's quantitative figures.

Front stock and shortfall, fill rate with intervals, production by place, losses at sea.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulator.experiment.comparison import Comparison
from simulator.experiment.replications import Replications
from simulator.plots.style import (
    PLACE_COLOURS,
    POSTURE,
    WIDTH,
    band,
    band_note,
    posture_legend,
    shade_surges,
    style,
    surge_handle,
    thousands,
    weekly,
)


def front_figure(cmp: Comparison) -> Figure:
    """Depot stock and cumulative shortfall at the front, per item, for both postures."""
    a, b = cmp.a, cmp.b
    items = a.items
    fig = Figure(figsize=(WIDTH, 2.3 * len(items) + 1.2), layout="constrained")
    axes = fig.subplots(len(items), 2, sharex=True, squeeze=False)
    for row, item in enumerate(items):
        for col, (key, what) in enumerate((("depot_stock", "stock at the theatre depot"),
                                           ("shortfall", "demand not met, cumulative"))):
            ax = axes[row, col]
            style(ax)
            shade_surges(ax, a)
            for tag, reps in (("A", a), ("B", b)):
                runs = reps.series[key][:, :, reps.items.index(item)]
                if key == "shortfall":  # cumulative: the slope is the daily gap, and it is
                    # smooth where daily shortfall flickers with every sortie and convoy
                    runs = np.concatenate([np.zeros((len(runs), 1)), runs.cumsum(axis=1)], axis=1)
                x = np.arange(reps.days + 1)
                band(ax, x, runs, POSTURE[tag], tag)
            ax.set_title(f"{item}: {what}", loc="left", fontsize=10)
            ax.set_ylim(bottom=0)
            thousands(ax)
            if row == len(items) - 1:
                ax.set_xlabel("day of the campaign")
    for ax in axes[:, 0]:
        ax.set_ylabel("units")
    fig.suptitle("Can the front be kept supplied? Depot stock and shortfall per item "
                 f"({band_note(cmp)})", fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.93))
    posture_legend(fig, cmp, 0.93, surge_handle(a))
    return fig


def fill_rate_figure(cmp: Comparison) -> Figure:
    """Mean fill rate per item with intervals, and the paired difference B − A."""
    a, b = cmp.a.summary(cmp.confidence), cmp.b.summary(cmp.confidence)
    t = cmp.table
    items = cmp.a.items
    pct = round(cmp.confidence * 100)
    fig = Figure(figsize=(WIDTH, 1.3 + 0.8 * len(items)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(items))[::-1]
    for tag, s, dy in (("A", a, 0.12), ("B", b, -0.12)):
        rows = s[s.kpi == "fill_rate"].set_index("item").loc[items]
        left.errorbar(rows["mean"], y + dy, xerr=[rows["mean"] - rows.ci_low,
                                                   rows.ci_high - rows["mean"]],
                      fmt="o", color=POSTURE[tag], capsize=3, label=tag)
        for yy, m in zip(y + dy, rows["mean"], strict=True):
            left.annotate(f"{m:.0%}", (m, yy), xytext=(6, 3), textcoords="offset points",
                          fontsize=8, color=POSTURE[tag])
    left.set_xlim(0, 1.05)
    left.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    left.set_yticks(y, items)
    left.set_title("fill rate: share of demand delivered", loc="left", fontsize=10)
    left.set_xlabel("fill rate over the campaign")
    rows = t[t.kpi == "fill_rate"].set_index("item").loc[items]
    colours = [POSTURE["B"] if lo > 0 else POSTURE["A"] if hi < 0 else "#777777"
               for lo, hi in zip(rows.ci_low, rows.ci_high, strict=True)]
    right.axvline(0, color="black", linewidth=0.8)
    for yy, (m, lo, hi), c in zip(y, rows[["diff", "ci_low", "ci_high"]].to_numpy(), colours,
                                  strict=True):
        right.errorbar(m * 100, yy, xerr=[[(m - lo) * 100], [(hi - m) * 100]], fmt="s", color=c,
                       capsize=4)
        right.annotate(f"{m * 100:+.1f} pp [{lo * 100:+.1f}, {hi * 100:+.1f}]", (m * 100, yy),
                       xytext=(0, 7), textcoords="offset points", ha="center", fontsize=8)
    right.set_title(f"difference B − A, percentage points ({pct} % paired CI)", loc="left",
                    fontsize=10)
    right.set_xlabel("← A better      fill-rate difference (pp)      B better →")
    span = max(1.0, float(np.nanmax(np.abs(rows[["ci_low", "ci_high"]].to_numpy()))) * 100)
    right.set_xlim(-1.25 * span, 1.25 * span)
    right.set_ylim(y.min() - 0.6, y.max() + 0.6)
    for ax in (left, right):
        style(ax)
    fig.suptitle(f"Fill rate by item: mean and {pct} % interval over {cmp.reps} replications "
                 f"(seed {cmp.seed})", fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.87))
    posture_legend(fig, cmp, 0.87)
    return fig


def production_figure(cmp: Comparison) -> Figure:
    """Mean daily production per item, stacked by place, one column per posture."""
    places: list[str] = []  # places that make something, in scenario order, A's first
    for reps in (cmp.a, cmp.b):
        made_any = reps.production_mean.sum(axis=(0, 2)) > 0
        places += [p for p, m in zip(reps.places, made_any, strict=True)
                   if m and p not in places]
    colour = {p: PLACE_COLOURS[k % len(PLACE_COLOURS)] for k, p in enumerate(places)}
    items = cmp.a.items
    fig = Figure(figsize=(WIDTH, 2.2 * len(items) + 1.2), layout="constrained")
    axes = fig.subplots(len(items), 2, sharex=True, squeeze=False)
    used: list[str] = []
    for col, (tag, reps) in enumerate((("A", cmp.a), ("B", cmp.b))):
        x = np.arange(1, reps.days + 1)
        for row, item in enumerate(items):
            ax = axes[row, col]
            style(ax)
            i = reps.items.index(item)
            made = weekly(reps.production_mean[:, :, i], axis=0)
            keep = [k for k, p in enumerate(reps.places) if made[:, k].max() > 0]
            used += [reps.places[k] for k in keep if reps.places[k] not in used]
            if keep:
                ax.stackplot(x, made[:, keep].T,
                             colors=[colour[reps.places[k]] for k in keep], linewidth=0)
            else:  # a posture with no industry for this item: say so, do not leave a blank
                ax.text(0.5, 0.3, f"no {item} made in this posture", transform=ax.transAxes,
                        ha="center", va="center", fontsize=9, color="#555555")
            ax.plot(x, reps.demand_mean[:, i], color="black", linestyle="--", linewidth=1.1)
            ax.set_title(f"{tag}: {reps.scenario}: {item}", loc="left", fontsize=10,
                         color=POSTURE[tag])
            ax.set_ylim(bottom=0)
            thousands(ax)
            if col == 0:
                ax.set_ylabel("units/day")
            if row == len(items) - 1:
                ax.set_xlabel("day of the campaign")
    for row in range(len(items)):  # same scale for both postures, room for the taller one
        top = max(ax.get_ylim()[1] for ax in axes[row])
        for ax in axes[row]:
            ax.set_ylim(0, top)
    handles = [Patch(color=colour[p], label=p) for p in used]
    handles.append(Patch(facecolor="white", edgecolor="black", linestyle="--",
                         label="demand (dashed)"))
    fig.suptitle("Where the munitions are made: mean daily production by place (7-day mean), "
                 "against demand", fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.93))
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.93),
               ncol=min(len(handles), 8), frameon=False, fontsize=9)
    return fig


def losses_figure(cmp: Comparison) -> Figure:
    """Cumulative cargo lost in transit, ships sunk and the fleet still sailing."""
    fig = Figure(figsize=(WIDTH, 3.6), layout="constrained")
    axes = fig.subplots(1, 3, sharex=True)
    panels: list[tuple[str, str, Callable[[Replications], np.ndarray]]] = [
        ("cargo lost in transit (cumulative)", "cargo units (bundled scenarios: t)",
         lambda r: r.series["lost"] @ r.footprint),
        ("ships sunk (cumulative)", "ships", lambda r: r.series["ships_sunk"]),
        ("cargo ships in service", "ships", lambda r: r.series["fleet"]),
    ]
    for ax, (title, unit, get) in zip(axes, panels, strict=True):
        style(ax)
        for tag, reps in (("A", cmp.a), ("B", cmp.b)):
            band(ax, np.arange(reps.days + 1), get(reps).astype(float), POSTURE[tag], tag)
        if np.array_equal(get(cmp.a), get(cmp.b)):
            title += ": same in A and B"  # B hides A; say so, or readers hunt for A's line
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel(unit)
        ax.set_xlabel("day of the campaign")
        ax.set_ylim(bottom=0)
    thousands(axes[0])
    fig.suptitle(f"What the sea takes: losses in transit ({band_note(cmp)})", fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.85))
    posture_legend(fig, cmp, 0.85)
    return fig

