"""The outcome at the front: who holds out (force ratio) and what the deliveries were worth.

Left: the force ratio (friendly / enemy strength) over the campaign, when the scenarios have a
combat layer. Middle: each item's effectiveness over time (enemy countermeasures erode it until a
producer's update arrives). Right: units delivered beside *effective* units delivered, per item.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from simulator.experiment.comparison import Comparison
from simulator.plots.style import (
    POSTURE,
    WIDTH,
    band,
    band_note,
    posture_legend,
    shade_surges,
    short_number,
    style,
    surge_handle,
    thousands,
    weekly,
)


def outcome_figure(cmp: Comparison) -> Figure:
    """Force ratio over time, effectiveness over time, and effective units delivered."""
    a, b = cmp.a, cmp.b
    fig = Figure(figsize=(WIDTH, 4.2), layout="constrained")
    ratio_ax, eff_ax, bar_ax = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.2, 1.2, 1]})
    for ax in (ratio_ax, eff_ax, bar_ax):
        style(ax)
    shade_surges(ratio_ax, a)
    if "force_ratio" in a.series and "force_ratio" in b.series:
        for tag, reps in (("A", a), ("B", b)):
            x = np.arange(reps.days + 1)
            band(ratio_ax, x, np.minimum(reps.series["force_ratio"], 10.0), POSTURE[tag], tag)
        ratio_ax.axhline(1.0, color="#555555", linewidth=0.8, linestyle="--")
        ratio_ax.set_ylim(bottom=0)
    else:
        ratio_ax.text(0.5, 0.5, "no combat layer\nin these scenarios", ha="center",
                      va="center", transform=ratio_ax.transAxes, color="#777777")
    ratio_ax.set_title("force ratio, friendly / enemy (dashed: parity)", loc="left",
                       fontsize=10)
    ratio_ax.set_xlabel("day of the campaign")

    shade_surges(eff_ax, a)
    styles = ["-", "--", ":", "-."]
    for k, item in enumerate(a.items):
        for tag, reps in (("A", a), ("B", b)):
            if "effectiveness" not in reps.series:
                continue
            runs = reps.series["effectiveness"][:, :, reps.items.index(item)]
            if np.ptp(runs) == 0:
                continue  # nothing erodes this item: a flat line says nothing
            eff_ax.plot(np.arange(1, reps.days + 1), weekly(np.median(runs, axis=0)),
                        color=POSTURE[tag], linestyle=styles[k % len(styles)], linewidth=1.3,
                        label=f"{item} ({tag})")
    if eff_ax.lines:
        eff_ax.legend(frameon=False, fontsize=8, loc="lower left")
    else:
        eff_ax.text(0.5, 0.5, "no item is eroded by\nenemy countermeasures", ha="center",
                    va="center", transform=eff_ax.transAxes, color="#777777")
    eff_ax.set_ylim(0, None)
    eff_ax.set_title("effectiveness (7-day mean)", loc="left", fontsize=10)
    eff_ax.set_xlabel("day of the campaign")

    width = 0.2
    x = np.arange(len(a.items))
    for j, (tag, reps) in enumerate((("A", a), ("B", b))):
        units = [reps.kpis[f"{i}.delivered"].mean() for i in reps.items]
        eff = [reps.kpis[f"{i}.effective_delivered"].mean() for i in reps.items]
        off = (j - 0.5) * 2 * width
        bar_ax.bar(x + off - width / 2, units, width, color=POSTURE[tag], alpha=0.35,
                   label=f"{tag}: units")
        bar_ax.bar(x + off + width / 2, eff, width, color=POSTURE[tag], label=f"{tag}: effective")
        for xi, v in zip(x + off + width / 2, eff, strict=True):
            bar_ax.text(xi, v, short_number(v), ha="center", va="bottom", fontsize=7)
    bar_ax.set_xticks(x, a.items)
    thousands(bar_ax)
    bar_ax.set_title("delivered: units vs effective units", loc="left", fontsize=10)
    bar_ax.legend(frameon=False, fontsize=8, ncol=2, loc="upper right")
    bar_ax.margins(y=0.15)
    fig.suptitle(f"Who holds out, and what the deliveries were worth ({band_note(cmp)})",
                 fontsize=11.5)
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.88))
    posture_legend(fig, cmp, 0.88, surge_handle(a))
    return fig
