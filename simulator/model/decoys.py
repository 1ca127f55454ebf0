"""Decoys that absorb fire: the share of enemy strikes a decoy screen draws off real targets.

The enemy sees signatures, not intentions. A deployed decoy shows a signature that passes for a
real one with probability ``fidelity`` (1: indistinguishable, 0.5: half the time it is told
apart and ignored). A strike picks one of the signatures it believes real, uniformly, so with
``D`` decoys deployed and ``R`` real targets the chance that a strike lands on a decoy is

    p = fidelity * D / (fidelity * D + R)

This is the screening rule of the decoy literature in its simplest form (targets chosen in
proportion to their apparent numbers); it gives the two properties that matter here: no decoys,
no absorption; as decoys outnumber real targets, absorption tends to 1 but never reaches it.

A strike that lands on a decoy destroys it (a decoy is single use); a strike that lands on a
real target destroys it with probability ``kill_prob``. The number of strikes in a day is
Poisson, so absorbed strikes are Binomial(strikes, p), capped by the decoys deployed, and
real targets destroyed Binomial(strikes - absorbed, kill_prob), capped by the targets there are.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np


def absorbed_share(decoys: float, real_targets: float, fidelity: float) -> float:
    """Share of strikes that land on decoys: ``fidelity*D / (fidelity*D + R)``.

    >>> absorbed_share(0, 100, 1.0), absorbed_share(100, 100, 1.0), absorbed_share(300, 100, 1/3)
    (0.0, 0.5, 0.5)
    """
    decoys, real_targets = float(decoys), float(real_targets)
    if decoys < 0 or real_targets < 0:
        raise ValueError("decoys and real targets must be non-negative")
    if not 0.0 < fidelity <= 1.0:
        raise ValueError(f"fidelity must be in (0, 1], got {fidelity}")
    seen = fidelity * decoys
    total = seen + real_targets
    return seen / total if total > 0 else 0.0


class StrikeDay(NamedTuple):
    """What one day of enemy strikes did at the front (a named tuple: one is made a day)."""

    strikes: int
    absorbed: int
    """Strikes that landed on decoys (each destroys one decoy)."""
    hits: int
    """Strikes that landed on real targets."""
    killed: int
    """Real targets destroyed (each raises the demand for its replacement)."""
    share: float
    """The absorption probability of the day (before the cap by the decoys deployed)."""


def strike_day(rng: np.random.Generator, mean_strikes: float, decoys: float,
               real_targets: float, fidelity: float, kill_prob: float) -> StrikeDay:
    """Draw one day's strikes (Poisson) and where they land (:func:`land_strikes`).

    Draws are made in a fixed order (strikes, absorbed, killed) whatever the values, so two
    postures on the same stream draw the same numbers for the same purpose.
    """
    strikes = int(rng.poisson(max(mean_strikes, 0.0)))
    return land_strikes(rng, strikes, decoys, real_targets, fidelity, kill_prob)


def land_strikes(rng: np.random.Generator, strikes: int, decoys: float, real_targets: float,
                 fidelity: float, kill_prob: float) -> StrikeDay:
    """Split a day's ``strikes`` between decoys and real targets, and draw the real losses.

    Absorbed strikes are Binomial(strikes, p) capped by the decoys deployed; the others land
    on real targets and destroy Binomial(hits, kill_prob) of them, capped by the targets there.
    """
    share = absorbed_share(decoys, real_targets, fidelity)
    absorbed = min(int(rng.binomial(strikes, share)), math.floor(decoys))
    hits = strikes - absorbed
    killed = min(int(rng.binomial(hits, kill_prob)), math.floor(real_targets))
    return StrikeDay(strikes, absorbed, hits, killed, share)
