"""What every figure shares: the palette, axis styling, surge shading, median-and-band lines.

Colours are the Okabe–Ito palette, which stays distinct for the common colour-vision
deficiencies; posture A is always vermillion and posture B always blue.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from simulator.experiment.comparison import Comparison
from simulator.experiment.replications import Replications

POSTURE = {"A": "#D55E00", "B": "#0072B2"}
PLACE_COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#F0E442", "#999999", "#000000"]
"""Okabe–Ito without the two posture colours, so a place is never mistaken for a posture."""
SURGE = "#eeeeee"
WIDTH = 11.0
BAND = (0.05, 0.95)


def style(ax: Axes) -> None:
    """Light grid behind the data, no top/right frame: the data is what the eye should find."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def thousands(ax: Axes) -> None:
    """Label the y axis in k/M/bn."""
    ax.yaxis.set_major_formatter(short_number)


def short_number(v: float, _pos: object = None) -> str:
    """Axis numbers as 250k or 1.5M: a strategist should not count zeros."""
    size = abs(v)
    if size >= 1e9:
        return f"{v / 1e9:.4g}bn"
    if size >= 1e6:
        return f"{v / 1e6:.4g}M"
    return f"{v / 1e3:.4g}k" if size >= 1e3 else f"{v:g}"


def surges(reps: Replications) -> list[tuple[str, float, float, float]]:
    """Campaign phases whose demand is above the base rate: ``(name, start, end, multiplier)``."""
    bounds = [p[1] for p in reps.phases] + [float(reps.days)]
    return [(name, start, end, mult) for (name, start, mult), end
            in zip(reps.phases, bounds[1:], strict=True) if mult > 1.0 and end > start]


def shade_surges(ax: Axes, reps: Replications) -> None:
    """Grey columns behind the data where demand surges."""
    for _, start, end, _ in surges(reps):
        ax.axvspan(start, end, color=SURGE, zorder=0, linewidth=0)


def surge_handle(reps: Replications) -> list[Patch]:
    """A legend entry naming the surges and their days (none when there are none)."""
    found = surges(reps)
    if not found:
        return []
    text = "; ".join(f"{n} ×{m:g}, days {s:g}–{e:g}" for n, s, e, m in found)
    return [Patch(color=SURGE, label=f"demand surge ({text})")]


def band(ax: Axes, x: np.ndarray, runs: np.ndarray, colour: str, label: str) -> None:
    """Median line and the band holding 90 % of replications (``runs``: replication × day).

    The band gets a faint fill and thin edges, so two overlapping postures stay legible.
    """
    lo, mid, hi = np.quantile(runs, [BAND[0], 0.5, BAND[1]], axis=0)
    ax.fill_between(x, lo, hi, color=colour, alpha=0.15, linewidth=0)
    for edge in (lo, hi):
        ax.plot(x, edge, color=colour, linewidth=0.5, alpha=0.7)
    ax.plot(x, mid, color=colour, linewidth=1.7, label=label)


def weekly(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """Trailing 7-day mean along ``axis`` (shorter window for the first days)."""
    c = np.cumsum(np.moveaxis(a, axis, -1), axis=-1, dtype=float)
    out = c.copy()
    out[..., 7:] = c[..., 7:] - c[..., :-7]
    out /= np.minimum(np.arange(1, a.shape[axis] + 1), 7)
    return np.moveaxis(out, -1, axis)


def posture_legend(fig: Figure, cmp: Comparison, top: float, extra: list | None = None) -> None:
    """One legend for the whole figure, just under the title: which colour is which posture."""
    handles = [Patch(color=POSTURE["A"], label=f"A: {cmp.a.scenario}"),
               Patch(color=POSTURE["B"], label=f"B: {cmp.b.scenario}"), *(extra or [])]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, top),
               ncol=len(handles), frameon=False, fontsize=9)


def band_note(cmp: Comparison) -> str:
    """How to read the bands, for a figure's title."""
    kept = len(cmp.a.series.get("depot_stock", ()))
    return f"line: median, band: 90 % of {kept} replications"

