"""Figures of a posture comparison, drawn from experiment results only (never the model).

Each function returns a :class:`matplotlib.figure.Figure` built without pyplot, so importing
this package changes no global state and nothing needs a display (the Agg canvas renders PNG).
Every title says which posture is which; A is always vermillion, B always blue.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from simulator.experiment.comparison import Comparison
from simulator.plots.figures import fill_rate_figure, front_figure, losses_figure, production_figure
from simulator.plots.outcome import outcome_figure
from simulator.plots.regeneration import regeneration_figure
from simulator.plots.timeline import timeline_figure

FIGURES: dict[str, Callable[[Comparison], Figure]] = {
    "front_stock_shortfall": front_figure,
    "fill_rate": fill_rate_figure,
    "production_by_place": production_figure,
    "losses": losses_figure,
    "regeneration": regeneration_figure,
    "front_outcome": outcome_figure,
    "event_timeline": timeline_figure,
}
"""Every figure of a comparison report, by file stem, in reading order."""

__all__ = ["FIGURES", "fill_rate_figure", "front_figure", "losses_figure", "outcome_figure",
           "production_figure", "regeneration_figure", "timeline_figure"]
