"""Lanchester's square law with reinforcements, solved exactly day by day.

Friendly strength ``F`` and enemy strength ``E`` (aimed fire: losses proportional to the
opposing strength)::

    dF/dt = p_F(t) - alpha(t) * E        dE/dt = p_E(t) - beta(t) * F

``alpha`` is the enemy's kill rate per enemy unit per day, ``beta`` the friendly one;
``p_F``, ``p_E`` are reinforcement rates. In the model, ``beta`` is scaled each day by the
friendly fires actually delivered (effective munitions / demand) and ``alpha`` by the share of
enemy fire *not* absorbed by decoys; both are constant within a day.

With constant coefficients the system is linear, so each day is integrated in closed form
(``g = sqrt(alpha*beta)``, ``s = sinh(g t)/g``, ``c = (cosh(g t) - 1)/g**2``)::

    F(t) = cosh(g t) F0 - alpha s E0 + s p_F - alpha c p_E
    E(t) = cosh(g t) E0 - beta s F0 + s p_E - beta c p_F

(both limits ``g -> 0`` are taken by the series of ``s`` and ``c``). Without reinforcements
this conserves the square-law invariant ``beta F**2 - alpha E**2`` exactly. A side that reaches
zero inside a day stops there (the crossing is found by bisection) and stops firing.

Validation (tests): the invariant, and Engel's fit of the battle of Iwo Jima (J. H. Engel, "A
Verification of Lanchester's Law", Journal of the Operations Research Society of America
2(2):163-171, 1954; docs/sources.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def _s_c(g: float, t: float) -> tuple[float, float, float]:
    """``cosh(g t)``, ``sinh(g t)/g`` and ``(cosh(g t) - 1)/g**2``, stable as ``g -> 0``."""
    x = g * t
    if x < 1e-4:
        x2 = x * x
        return 1.0 + x2 / 2, t * (1.0 + x2 / 6), t * t * (0.5 + x2 / 24)
    return math.cosh(x), math.sinh(x) / g, (math.cosh(x) - 1.0) / (g * g)


def step(f0: float, e0: float, alpha: float, beta: float, t: float, p_f: float = 0.0,
         p_e: float = 0.0) -> tuple[float, float]:
    """Strengths after ``t`` days with constant coefficients (no clamping at zero)."""
    ch, s, c = _s_c(math.sqrt(alpha * beta), t)
    return (ch * f0 - alpha * s * e0 + s * p_f - alpha * c * p_e,
            ch * e0 - beta * s * f0 + s * p_e - beta * c * p_f)


def day(f0: float, e0: float, alpha: float, beta: float, p_f: float = 0.0,
        p_e: float = 0.0, length: float = 1.0) -> tuple[float, float]:
    """One period of combat, stopping a side at zero when it is wiped out inside the period.

    After the crossing the surviving side takes no fire and only its reinforcements count; the
    beaten side's reinforcements are destroyed as they arrive (it stays at zero).
    """
    if f0 <= 0.0 and p_f <= alpha * e0:
        return 0.0, e0 + p_e * length  # beaten and not coming back: its arrivals die at once
    if e0 <= 0.0 and p_e <= beta * f0:
        return f0 + p_f * length, 0.0
    f1, e1 = step(f0, e0, alpha, beta, length, p_f, p_e)
    if f1 >= 0.0 and e1 >= 0.0:
        return f1, e1
    lo, hi = 0.0, length
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        fm, em = step(f0, e0, alpha, beta, mid, p_f, p_e)
        if fm >= 0.0 and em >= 0.0:
            lo = mid
        else:
            hi = mid
    fm, em = step(f0, e0, alpha, beta, lo, p_f, p_e)
    fh, _ = step(f0, e0, alpha, beta, hi, p_f, p_e)
    rest = length - lo
    if fh < 0.0:
        return 0.0, max(em, 0.0) + p_e * rest
    return max(fm, 0.0) + p_f * rest, 0.0


@dataclass(frozen=True)
class Battle:
    """Daily strengths (row 0 the start) and the day each side broke (``None``: it held)."""

    friendly: np.ndarray
    enemy: np.ndarray
    friendly_break_day: int | None
    enemy_break_day: int | None

    @property
    def force_ratio(self) -> np.ndarray:
        """Friendly / enemy strength per day (``inf`` once the enemy is gone)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.enemy > 0, self.friendly / np.where(self.enemy > 0,
                                                                     self.enemy, 1.0), np.inf)


def break_day(strength: np.ndarray, break_point: float) -> int | None:
    """First day the strength falls below ``break_point`` x its highest strength so far.

    The reference is the peak, not the start, so a force built up by reinforcements (Engel's
    US force starts at zero) breaks relative to what it had.
    """
    if not 0.0 < break_point < 1.0:
        raise ValueError(f"break_point must be in (0, 1), got {break_point}")
    peak = np.maximum.accumulate(strength)
    below = (strength < break_point * peak) & (peak > 0)
    hit = np.flatnonzero(below)
    return int(hit[0]) if len(hit) else None


def fight(f0: float, e0: float, alpha: np.ndarray, beta: np.ndarray,
          reinforce_f: np.ndarray, reinforce_e: np.ndarray, break_point: float = 0.5,
          rng: np.random.Generator | None = None) -> Battle:
    """Run the duel for ``len(alpha)`` days; coefficients and reinforcement rates are per day.

    Deterministic when ``rng`` is None. Otherwise each day's losses are Poisson with the
    deterministic day's losses as their mean (the same expected attrition, with noise), drawn
    in a fixed order: friendly losses, then enemy losses.
    """
    days = len(alpha)
    f, e = np.zeros(days + 1), np.zeros(days + 1)
    f[0], e[0] = f0, e0
    for d in range(days):
        fd, ed = day(f[d], e[d], float(alpha[d]), float(beta[d]), float(reinforce_f[d]),
                     float(reinforce_e[d]))
        if rng is not None:
            loss_f = max(f[d] + reinforce_f[d] - fd, 0.0)
            loss_e = max(e[d] + reinforce_e[d] - ed, 0.0)
            fd = max(f[d] + reinforce_f[d] - rng.poisson(loss_f), 0.0)
            ed = max(e[d] + reinforce_e[d] - rng.poisson(loss_e), 0.0)
        f[d + 1], e[d + 1] = fd, ed
    return Battle(f, e, break_day(f, break_point), break_day(e, break_point))
