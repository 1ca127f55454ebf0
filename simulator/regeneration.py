"""Regeneration: how many days production takes to recover after a shock.

For a shock on day ``s`` (a strike hit, a supplier cut off, an outage), the throughput before it
is the mean daily output over the ``window`` days before ``s``; the shock is recovered on the
first day ``d >= s`` whose output is back at ``level`` (90 %) of that. Days to recover is
``d - s``: 0 when output never fell below the level. A shock not recovered by the end of the run
counts the days to the end (a lower bound, flagged in the count of unrecovered shocks).

Daily output here is the item's production summed over all its factories: the question is
whether the *posture* regenerates, not whether one plant does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def recovery_days(daily: np.ndarray, shock_day: int, window: int = 7,
                  level: float = 0.9) -> tuple[int, bool] | None:
    """``(days to recover, recovered?)`` after a shock on ``shock_day``, or ``None``.

    ``daily[d]`` is the output made during day ``d + 1`` (between records ``d`` and ``d + 1``).
    ``None`` when there is no throughput before the shock to recover to.

    >>> out = np.array([10.0] * 10 + [2.0] * 5 + [9.5] * 5)
    >>> recovery_days(out, 10)
    (5, True)
    >>> recovery_days(out[:13], 10)         # the run ends before recovery
    (3, False)
    """
    lo = max(0, shock_day - window)
    before = daily[lo:shock_day]
    if before.size == 0 or before.mean() <= 0:
        return None
    target = level * before.mean()
    after = daily[shock_day:]
    ok = np.flatnonzero(after >= target - 1e-9 * target)
    if ok.size:
        return int(ok[0]), True
    return int(after.size), False


def regeneration(daily: np.ndarray, shock_days: Iterable[float], window: int = 7,
                 level: float = 0.9) -> dict[str, float]:
    """Worst and mean days to recover over the distinct shock days (see the module doc)."""
    days = sorted({int(d) for d in shock_days if 0 <= d < daily.size})
    found = recoveries(daily, days, window, level)
    if not found:
        return {"shocks": 0, "regeneration_worst_days": 0.0, "regeneration_mean_days": 0.0,
                "unrecovered_shocks": 0}
    took = np.array([r[0] for r in found], dtype=float)
    return {"shocks": len(found), "regeneration_worst_days": float(took.max()),
            "regeneration_mean_days": float(took.mean()),
            "unrecovered_shocks": sum(1 for r in found if not r[1])}


SCAN_DAYS = 32
"""Days after a shock searched one by one before the rest is searched as an array."""


def recoveries(daily: np.ndarray, shock_days: list[int], window: int = 7,
               level: float = 0.9) -> list[tuple[int, bool]]:
    """:func:`recovery_days` of every shock day in ``shock_days`` (``None`` results left out).

    The same numbers, computed together: a replication under a strike campaign has hundreds of
    shocks, and a handful of NumPy calls per shock cost more than the rest of the result. The
    means before the shocks come from one array of windows (NumPy sums each row as it sums the
    slice, so the means are the same to the bit); recovery usually takes days, not months, so
    the first days after a shock are searched in plain floats, and only a longer slump in NumPy.
    """
    full = [d for d in shock_days if d >= window > 0]
    means = {}
    if full:
        windows = np.lib.stride_tricks.sliding_window_view(daily, window)
        means = dict(zip(full, windows[np.array(full) - window].mean(axis=1).tolist(),
                         strict=True))
    values = daily.tolist()
    n = len(values)
    out = []
    for d in shock_days:
        lo = max(0, d - window)
        if d <= lo:
            continue
        mean = means[d] if d in means else float(daily[lo:d].mean())
        if mean <= 0:
            continue
        target = level * mean
        threshold = target - 1e-9 * target
        end = min(n, d + SCAN_DAYS)
        k = d
        while k < end and not values[k] >= threshold:
            k += 1
        if k == end and end < n:
            later = np.flatnonzero(daily[end:] >= threshold)
            k = end + int(later[0]) if later.size else n
        out.append((k - d, True) if k < n else (n - d, False))
    return out
