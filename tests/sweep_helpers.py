"""Helpers shared by the sweep tests: a small plan, a noiseless test function, row frames."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.sweep import plan_from_args, read_runs, run_sweep

ROOT = Path(__file__).resolve().parent.parent
CLASSROOM = ROOT / "scenarios" / "classroom_minimal.yaml"
VARY = ("links.supply_line.loss_prob=[0.0,0.1,0.3]", "factories.drone_plant.ramp_days=[20,60]")


def small_plan(reps: int = 4, seed: int = 3):
    """Classroom, 40 days, 6 grid points: random losses make replications differ."""
    return plan_from_args(str(CLASSROOM), VARY, "grid", None, reps, seed, (), 40)


def sweep_rows(out: Path) -> pd.DataFrame:
    """Every row of a sweep folder, in a canonical order (executors return any order)."""
    frame = read_runs(out).to_pandas()
    return frame.sort_values(["run_id", "posture"]).reset_index(drop=True)


def run_small(out: Path, **kw) -> pd.DataFrame:
    plan = small_plan()
    run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, extra=plan.describe(), **kw)
    return sweep_rows(out)


@dataclass(frozen=True)
class Ishigami:
    """f = sin x1 + a sin² x2 + b x3⁴ sin x1: analytic Sobol indices (Ishigami & Homma, 1990)."""

    a: float = 7.0
    b: float = 0.1
    postures: tuple[str, ...] = ("ishigami",)

    def at(self, values: Mapping[str, float]):
        x1, x2, x3 = values["x1"], values["x2"], values["x3"]
        y = np.sin(x1) + self.a * np.sin(x2) ** 2 + self.b * x3**4 * np.sin(x1)
        return lambda seed: {"ishigami": {"y": float(y)}}

    def indices(self) -> tuple[list[float], list[float]]:
        """(S1, ST) of x1, x2, x3 in closed form."""
        a, b, pi = self.a, self.b, np.pi
        v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
        v2 = a**2 / 8
        v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
        v = v1 + v2 + v13
        return [v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v]


@dataclass(frozen=True)
class DiesAtLoss:
    """The simulator, except that a run with loss_prob 0.3 kills its worker process outright."""

    model: object
    postures: tuple[str, ...] = ("classroom_minimal",)

    def at(self, values: Mapping[str, float]):
        run = self.model.at(values)
        if values["links.supply_line.loss_prob"] == 0.3:
            return lambda seed: os._exit(3)
        return run
