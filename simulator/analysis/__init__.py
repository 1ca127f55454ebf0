"""Analysis of a sweep folder: per-point intervals, effects, Sobol indices, PRIM boxes, a page.

from simulator.analysis import analyze_sweep
result = analyze_sweep(Path("results/sweep-x"), thresholds=["drone.fill_rate<0.8"])
"""

from simulator.analysis.data import AnalysisError, SweepData, load_sweep
from simulator.analysis.discovery import Box, Threshold, parse_threshold, prim_boxes
from simulator.analysis.points import effect_table, point_table
from simulator.analysis.report import AnalysisResult, analyze_sweep
from simulator.analysis.sensitivity import sobol_table

__all__ = [
    "AnalysisError",
    "AnalysisResult",
    "Box",
    "SweepData",
    "Threshold",
    "analyze_sweep",
    "effect_table",
    "load_sweep",
    "parse_threshold",
    "point_table",
    "prim_boxes",
    "sobol_table",
]
