"""The adaptation race: enemy countermeasures erode a design; the producer's update restores it.

The enemy fields a new countermeasure (a jammer, a tactic) every ``cycle_days``: the first on
day ``cycle_days``, the k-th on day ``k * cycle_days``. Each one multiplies the design's
effectiveness by ``1 - drop``. The producer answers each countermeasure with an update that
reaches the front ``loop_days`` after the countermeasure appeared, and the update undoes it.

The feedback loop is the sum of the model's own delays, not a typed-in number::

    loop = report (front -> producer) + redesign + retooling + transit (producer -> front)

where transit is the route's nominal days to the theatre (see :mod:`simulator.model.routing`),
so a factory in an allied country next to the theatre has a shorter loop than one an ocean away.

Countermeasures outstanding at time ``t`` (fielded, not yet answered) are
``n(t) = #{k >= 1 : k*C <= t < k*C + L}``, which for ``t >= L`` is
``floor(t/C) - floor((t-L)/C)``: it alternates between ``floor(L/C)`` and ``ceil(L/C)``, with
period ``C``, and spends the share ``frac(L/C)`` of each cycle at the higher count. So the
trace ``e0 * (1-drop)**n(t)`` has period ``C``, minimum ``e0*(1-drop)**ceil(L/C)`` and mean
``e0*[(1-f)*(1-drop)**floor(L/C) + f*(1-drop)**ceil(L/C)]`` with ``f = frac(L/C)``.
"""

from __future__ import annotations

import math

import numpy as np


def feedback_loop_days(report_days: float, redesign_days: float, retool_days: float,
                       transit_days: float) -> float:
    """Days from a front-line lesson to the changed product reaching the front."""
    parts = (report_days, redesign_days, retool_days, transit_days)
    if any(not math.isfinite(p) or p < 0 for p in parts):
        raise ValueError(f"feedback-loop delays must be finite and non-negative, got {parts}")
    return float(sum(parts))


def outstanding(t: np.ndarray | float, cycle_days: float, loop_days: float) -> np.ndarray:
    """Countermeasures fielded by time ``t`` and not yet answered by an update.

    >>> outstanding([0, 9.9, 10, 14.9, 15, 20, 25], cycle_days=10, loop_days=5).tolist()
    [0, 0, 1, 1, 0, 1, 0]
    """
    if not cycle_days > 0:
        raise ValueError(f"cycle_days must be positive, got {cycle_days}")
    t = np.asarray(t, dtype=float)
    fielded = np.floor(t / cycle_days)
    answered = np.floor(np.maximum(t - loop_days, 0.0) / cycle_days)
    return np.maximum(fielded - answered, 0).astype(np.int64)


def effectiveness(t: np.ndarray | float, base: float, drop: float, cycle_days: float,
                  loop_days: float) -> np.ndarray:
    """Effectiveness of a design at time ``t``: ``base * (1 - drop) ** outstanding(t)``."""
    if not 0.0 <= drop < 1.0:
        raise ValueError(f"drop must be in [0, 1), got {drop}")
    return base * (1.0 - drop) ** outstanding(t, cycle_days, loop_days)


def effectiveness_at(t: float, base: float, drop: float, cycle_days: float,
                     loop_days: float) -> float:
    """:func:`effectiveness` at one instant, in plain floats (the daily recorder calls it)."""
    fielded = math.floor(t / cycle_days)
    answered = math.floor(max(t - loop_days, 0.0) / cycle_days)
    return base * (1.0 - drop) ** max(fielded - answered, 0)


def steady_state(base: float, drop: float, cycle_days: float,
                 loop_days: float) -> dict[str, float]:
    """Closed-form period, minimum, maximum and mean of the trace once ``t >= loop_days``."""
    ratio = loop_days / cycle_days
    low, high = math.floor(ratio), math.ceil(ratio)
    frac = ratio - low
    keep = 1.0 - drop
    return {"period": float(cycle_days), "min": base * keep**high, "max": base * keep**low,
            "mean": base * ((1 - frac) * keep**low + frac * keep**high)}
