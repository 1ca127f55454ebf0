"""Confidence intervals over replications of a terminating simulation.

A campaign has a fixed length and starts from given stocks, so every replication is one
independent, identically distributed observation of each KPI: no warm-up to delete, and the
Student t interval over replication values is the textbook answer (Law, *Simulation Modeling
and Analysis*, ch. 9). Paired comparisons use per-replication differences, which is where common
random numbers pay off: what both postures share cancels out of the difference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    """A mean with its confidence interval.

    ``std`` is the standard deviation of the values averaged (NaN for Welch's two-sample
    interval); ``p_value`` tests "the mean is zero" where it is known.
    """

    mean: float
    low: float
    high: float
    n: int
    std: float
    p_value: float = math.nan

    @property
    def half_width(self) -> float:
        """Half the interval's width (NaN when it cannot be computed)."""
        return (self.high - self.low) / 2.0


def _finite(x: np.ndarray | list[float]) -> np.ndarray:
    arr = np.asarray(x, dtype=float)
    return arr[np.isfinite(arr)]


def t_interval(x: np.ndarray | list[float], confidence: float = 0.95) -> Interval:
    """Student t interval for the mean of ``x``, ignoring NaN (a KPI undefined in a replication).

    The p-value is that of a one-sample t test against zero. With zero spread the interval
    collapses onto the mean: p is 0 for a non-zero mean and 1 for a mean of exactly zero (no
    replication shows any effect), rather than the 0/0 a textbook formula gives.

    >>> ci = t_interval([0.61, 0.64, 0.58, 0.66, 0.62])
    >>> round(ci.mean, 3), round(ci.low, 3), round(ci.high, 3)
    (0.622, 0.584, 0.66)
    """
    v = _finite(x)
    n = len(v)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0, math.nan)
    mean = float(v.mean())
    if n < 2:
        return Interval(mean, math.nan, math.nan, 1, math.nan)
    std = float(v.std(ddof=1))
    if std == 0.0 or not np.isfinite(std):
        return Interval(mean, mean, mean, n, 0.0, 1.0 if mean == 0.0 else 0.0)
    se = std / math.sqrt(n)
    tcrit = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1))
    p = float(2.0 * stats.t.sf(abs(mean / se), n - 1))
    return Interval(mean, mean - tcrit * se, mean + tcrit * se, n, std, p)


def paired_interval(a: np.ndarray | list[float], b: np.ndarray | list[float],
                    confidence: float = 0.95) -> Interval:
    """Interval for mean(b - a) over paired replications (pairs with a NaN side are dropped).

    Same as a one-sample interval on the differences; its p-value equals scipy's
    ``ttest_rel`` wherever that one is defined.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"paired samples differ in length: {a.shape} vs {b.shape}")
    keep = np.isfinite(a) & np.isfinite(b)
    return t_interval(b[keep] - a[keep], confidence)


def welch_interval(a: np.ndarray | list[float], b: np.ndarray | list[float],
                   confidence: float = 0.95) -> Interval:
    """Interval for mean(b) - mean(a) treating the samples as independent (Welch's t).

    This is what a comparison without common random numbers can claim; it is here so tests and
    users can see how much the pairing buys.
    """
    va, vb = _finite(a), _finite(b)
    na, nb = len(va), len(vb)
    if na < 2 or nb < 2:
        diff = float(vb.mean() - va.mean()) if na and nb else math.nan
        return Interval(diff, math.nan, math.nan, min(na, nb), math.nan)
    diff = float(vb.mean() - va.mean())
    sa, sb = va.var(ddof=1) / na, vb.var(ddof=1) / nb
    se = math.sqrt(sa + sb)
    if se == 0.0:
        return Interval(diff, diff, diff, min(na, nb), 0.0, 1.0 if diff == 0.0 else 0.0)
    df = (sa + sb) ** 2 / (sa**2 / (na - 1) + sb**2 / (nb - 1))
    tcrit = float(stats.t.ppf(0.5 + confidence / 2.0, df))
    p = float(2.0 * stats.t.sf(abs(diff / se), df))
    return Interval(diff, diff - tcrit * se, diff + tcrit * se, min(na, nb), math.nan, p)


def replications_needed(x: np.ndarray | list[float], half_width: float,
                        relative: bool = False, confidence: float = 0.95) -> int:
    """Replications for a t interval of at most ``half_width`` (a share of |mean| if relative).

    Uses the spread of a pilot sample ``x`` (at least two replications) and the smallest n with
    t(n-1) * s / sqrt(n) <= half_width — the sequential rule of Law, ch. 9.4.1, with the pilot's
    s held fixed. Returns at least 2.

    >>> pilot = [0.61, 0.64, 0.58, 0.66, 0.62]     # fill rates of a 5-replication pilot
    >>> replications_needed(pilot, half_width=0.01)  # for +/- 1 percentage point
    38
    """
    v = _finite(x)
    if len(v) < 2:
        raise ValueError("a pilot of at least 2 replications is needed to estimate the spread")
    target = half_width * abs(float(v.mean())) if relative else half_width
    if target <= 0:
        raise ValueError("half_width must be positive (and the mean non-zero when relative)")
    s = float(v.std(ddof=1))
    if s == 0.0:
        return 2
    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    n = max(2, math.ceil((z * s / target) ** 2))
    while float(stats.t.ppf(0.5 + confidence / 2.0, n - 1)) * s / math.sqrt(n) > target:
        n += 1
    return n
