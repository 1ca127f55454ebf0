"""The live view's figure: stock at the front, shortfall and losses, postures side by side.

Plotly (the library Dash draws with). One colour per posture, the Okabe–Ito pair the static
figures use (first posture vermillion, second blue), large fonts for a projector, and the result
in the title: the fill rate of the item shown, per posture.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulator.classroom.quickrun import PostureSeries

COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7")
FONT = 18


def _weekly(x: np.ndarray) -> np.ndarray:
    """Trailing 7-day mean (shorter window for the first days): daily shortfall is spiky."""
    c = np.cumsum(np.concatenate([[0.0], x]))
    n = np.arange(1, len(x) + 1)
    w = np.minimum(n, 7)
    return (c[n] - c[n - w]) / w


def comparison_figure(postures: list[PostureSeries], item: str) -> go.Figure:
    """Three panels (stock, shortfall, losses) of ``item``, one line per posture."""
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.07, subplot_titles=(
        f"{item} stock at the front", f"{item} shortfall per day (7-day mean)",
        f"{item}s lost in transit (cumulative)"))
    for k, p in enumerate(postures):
        i = p.items.index(item)
        colour = COLOURS[k % len(COLOURS)]
        days = np.arange(p.days + 1)
        for col, (x, y) in enumerate(((days, p.depot_stock[:, i]),
                                      (days[1:], _weekly(p.shortfall[:, i])),
                                      (days, p.lost[:, i])), start=1):
            fig.add_trace(go.Scatter(x=x, y=y, name=p.name, legendgroup=p.name,
                                     showlegend=col == 1, line={"color": colour, "width": 3},
                                     hovertemplate="day %{x}: %{y:,.0f}<extra>" + p.name
                                     + "</extra>"), row=1, col=col)
    fills = " vs ".join(f"{p.name} {p.fill_rate[item]:.0%}" for p in postures)
    fig.update_layout(
        title={"text": f"{item}s: share of demand met {fills}", "font": {"size": FONT + 6}},
        font={"size": FONT}, template="plotly_white", height=520,
        margin={"l": 60, "r": 20, "t": 110, "b": 60},
        legend={"orientation": "h", "y": -0.15, "font": {"size": FONT}})
    fig.update_annotations(font_size=FONT)
    fig.update_xaxes(title_text="day")
    return fig
