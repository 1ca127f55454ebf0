"""Designs: which points of the parameter space a sweep visits.

- ``grid``: the full factorial of every key's values (lists and ranges), first key slowest;
- ``lhs``: a Latin hypercube of ``samples`` points between the bounds (``scipy.stats.qmc``);
- ``sobol``: Saltelli's scheme for Sobol indices (SALib), ``samples`` base points giving
  ``samples * (keys + 2)`` points in the order SALib's analysis expects.

The sampling designs are seeded from the sweep seed, so the same command visits the same points.
Whole-number keys (escorts, berths) are rounded after sampling.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from simulator.sweep.errors import SweepError
from simulator.sweep.spec import VarySpec

DESIGNS = ("grid", "lhs", "sobol")
MAX_POINTS = 10_000_000
"""More points than a sweep could ever finish is a typo (``--samples 1e30``), not a plan."""


@dataclass(frozen=True)
class Design:
    """The points of a sweep: ``points[i, j]`` is key ``keys[j]`` at point ``i``."""

    kind: str
    keys: list[str]
    points: np.ndarray
    bounds: list[tuple[float, float]] | None = None
    samples: int | None = None

    @property
    def n_points(self) -> int:
        """How many points the design visits."""
        return int(self.points.shape[0])

    def values(self, index: int) -> dict[str, float]:
        """Key -> value at point ``index``."""
        return {k: float(v) for k, v in zip(self.keys, self.points[index], strict=True)}

    def problem(self) -> dict:
        """The SALib problem definition (sampling designs only)."""
        return {"num_vars": len(self.keys), "names": list(self.keys),
                "bounds": [list(b) for b in self.bounds or []]}


def make_design(kind: str, specs: list[VarySpec], samples: int | None, seed: int,
                integer_keys: set[str] | None = None) -> Design:
    """Build the ``kind`` design over ``specs``; raise :class:`SweepError` if they do not fit."""
    if kind not in DESIGNS:
        raise SweepError(f"--design {kind}: expected one of {', '.join(DESIGNS)}")
    if not specs:
        raise SweepError("nothing to vary: give at least one --vary KEY=SPEC")
    keys = [s.key for s in specs]
    if kind == "grid":
        return _grid(specs, samples)
    ranged = [s for s in specs if not s.is_bounds]
    if ranged:
        raise SweepError([f"--vary {s.key}={s.text}: --design {kind} samples between bounds; "
                          "write LO..HI (lists and ranges are for --design grid)" for s in ranged])
    if samples is None:
        raise SweepError(f"--design {kind} needs --samples N")
    if not 1 <= samples <= MAX_POINTS:
        raise SweepError(f"--samples {samples}: expected 1 to {MAX_POINTS:,}")
    bounds = [s.bounds for s in specs if s.bounds is not None]
    if kind == "lhs":
        unit = qmc.LatinHypercube(d=len(specs), seed=np.random.default_rng(seed)).random(samples)
        points = qmc.scale(unit, [b[0] for b in bounds], [b[1] for b in bounds])
    else:
        points = _sobol(keys, bounds, samples, seed)
    for j, key in enumerate(keys):
        if key in (integer_keys or set()):
            points[:, j] = np.round(points[:, j])
    return Design(kind, keys, points, bounds, samples)


def _grid(specs: list[VarySpec], samples: int | None) -> Design:
    bounded = [s for s in specs if s.is_bounds]
    if bounded:
        raise SweepError([f"--vary {s.key}={s.text}: bounds are for --design lhs or sobol; "
                          "for a grid give a list [a,b,c] or a range START:STOP:COUNT"
                          for s in bounded])
    if samples is not None:
        raise SweepError("--samples is for --design lhs or sobol; a grid visits every "
                         "combination of the listed values")
    total = int(np.prod([len(s.values or ()) for s in specs], dtype=float))
    if total > MAX_POINTS:
        raise SweepError(f"the grid has {total:,} points; at most {MAX_POINTS:,}")
    points = np.array(list(itertools.product(*[s.values or () for s in specs])), dtype=float)
    return Design("grid", [s.key for s in specs], points.reshape(total, len(specs)))


def _sobol(keys: list[str], bounds: list[tuple[float, float]], samples: int,
           seed: int) -> np.ndarray:
    from SALib.sample import sobol as sobol_sample

    if samples & (samples - 1):
        low = 1 << (samples.bit_length() - 1)
        raise SweepError(f"--samples {samples}: Sobol sequences need a power of 2 "
                         f"(e.g. {low} or {low * 2})")
    total = samples * (len(keys) + 2)
    if total > MAX_POINTS:
        raise SweepError(f"--samples {samples}: {total:,} points; at most {MAX_POINTS:,}")
    problem = {"num_vars": len(keys), "names": keys, "bounds": [list(b) for b in bounds]}
    return np.asarray(sobol_sample.sample(problem, samples, calc_second_order=False,
                                          seed=seed), dtype=float)
