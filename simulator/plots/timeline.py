"""The event timeline: what happened when in one replication of each posture.

Both postures run on the same seed, so the components they share (the home plants, the
theatre's port) fail on the same days in both panels; what differs is what the posture changed.
Event kinds are read generically (``*_start``/``*_end`` pairs become bars, anything else a
marker), so new kinds of event show up without touching this module.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulator.experiment.comparison import Comparison
from simulator.experiment.replications import Replications
from simulator.plots.style import (
    POSTURE,
    WIDTH,
    shade_surges,
    surge_handle,
)

LANE_NAMES = {"site_outage": "sites down", "outage": "sites down", "port_closed": "port closed",
              "link_cut": "link cut", "stockout": "stockout", "strike_damage": "struck",
              "supplier_cut": "supplier cut off"}
LANE_COLOURS = {"stockout": "#CC79A7", "sites down": "#E69F00", "struck": "#555555",
                "port closed": "#56B4E9", "link cut": "#009E73", "supplier cut off": "#F0E442"}
"""Okabe–Ito again, avoiding the posture colours used in the panel titles."""
POINT_STYLE = {"ship_sunk": ("v", "#000000"), "escorts_lost": ("1", "#555555"),
               "aircraft_lost": ("x", "#555555"), "ship_built": ("^", "#009E73"),
               "stock_destroyed": ("|", "#555555"), "substitute_qualified": ("*", "#009E73")}


def _lanes(reps: Replications) -> tuple[dict[str, list[tuple[float, float, float]]],
                                        dict[str, list[float]]]:
    """Interval lanes ``label -> [(start, end, depth share)]`` and point lanes ``kind -> days``."""
    intervals: dict[str, list[tuple[float, float, float]]] = {}
    points: dict[str, list[float]] = {}
    depth: dict[str, tuple[int, float]] = {}
    peak: dict[str, int] = {}
    segments: dict[str, list[tuple[float, float, int]]] = {}
    for day, kind, subject, _ in reps.events.sort_values("day", kind="stable").itertuples(
            index=False):
        base, _, edge = kind.rpartition("_")
        if edge in ("start", "end") and base:
            label = f"{subject}: {LANE_NAMES.get(base, base.replace('_', ' '))}"
            level, since = depth.get(label, (0, 0.0))
            if level > 0 and day > since:
                segments.setdefault(label, []).append((since, day, level))
            level = max(0, level + (1 if edge == "start" else -1))
            depth[label] = (level, day)
            peak[label] = max(peak.get(label, 0), level)
        else:
            points.setdefault(kind, []).append(day)
    for label, (level, since) in depth.items():
        if level > 0 and reps.days > since:
            segments.setdefault(label, []).append((since, float(reps.days), level))
    for label, segs in segments.items():
        intervals[label] = [(s, e, lv / peak[label]) for s, e, lv in segs]
    kinds = list(LANE_COLOURS)
    order = sorted(intervals, key=lambda lb: (_rank(kinds, lb.split(": ")[-1]), lb))
    point_order = sorted(points, key=lambda k: (_rank(list(POINT_STYLE), k), k))
    return {k: intervals[k] for k in order}, {k: points[k] for k in point_order}


def _rank(known: list[str], key: str) -> int:
    return known.index(key) if key in known else len(known)


def timeline_figure(cmp: Comparison) -> Figure:
    """What happened when, in the first replication of each posture (same seed in both)."""
    lanes = [(tag, reps, *_lanes(reps)) for tag, reps in (("A", cmp.a), ("B", cmp.b))]
    heights = [max(1, len(iv) + len(pt)) for _, _, iv, pt in lanes]
    fig = Figure(figsize=(WIDTH, 1.6 + 0.27 * sum(heights)), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True, height_ratios=heights)
    for ax, (tag, reps, intervals, points) in zip(axes, lanes, strict=True):
        labels = list(intervals) + [k.replace("_", " ") for k in points]
        y = {lb: len(labels) - 1 - k for k, lb in enumerate(labels)}
        shade_surges(ax, reps)
        for label, segs in intervals.items():
            colour = LANE_COLOURS.get(label.split(": ")[-1], "#777777")
            ax.broken_barh([(s, e - s) for s, e, _ in segs], (y[label] - 0.35, 0.7),
                           facecolors=[(*_rgb(colour), 0.3 + 0.7 * share) for *_, share in segs])
        for kind, days in points.items():
            marker, colour = POINT_STYLE.get(kind, ("o", "#777777"))
            ax.plot(days, [y[kind.replace("_", " ")]] * len(days), linestyle="none",
                    marker=marker, color=colour, markersize=5, clip_on=False)
        ax.set_yticks([y[lb] for lb in labels], labels, fontsize=8)
        ax.set_ylim(-0.6, len(labels) - 0.4)
        ax.set_xlim(0, reps.days)
        ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(f"{tag}: {reps.scenario}", loc="left", fontsize=10, color=POSTURE[tag])
    axes[-1].set_xlabel("day of the campaign")
    fig.suptitle(f"What happened when: replication 0 of both postures (seed {cmp.seed}); "
                 "darker bars: more sites down or struck at once", fontsize=11.5)
    present = {lb.split(": ")[-1] for *_, iv, _ in lanes for lb in iv}
    handles = [Patch(color=c, label=k) for k, c in LANE_COLOURS.items() if k in present]
    fig.legend(handles=handles + surge_handle(cmp.a), loc="lower center", ncol=5,
               bbox_to_anchor=(0.5, 1 - 0.75 / fig.get_figheight()), frameon=False, fontsize=9)
    fig.get_layout_engine().set(rect=(0, 0, 1, 1 - 0.75 / fig.get_figheight()))
    return fig


def _rgb(colour: str) -> tuple[float, float, float]:
    h = colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) / 255 for k in (0, 2, 4))
    return r, g, b

