"""Where a day's enemy strikes land: the allocation rule, and its closed form.

This module is plain arithmetic on a list of :class:`Target` (no SimPy, no scenario), so any
campaign can use it: the industrial strike campaign (:mod:`simulator.model.strikes`) against
factory sites, ports and depots, or a campaign against the front's assets.

The rule. A day's ``b`` strikes are divided among target classes by fixed shares (renormalised
over the classes with at least one target in reach). Within a class, each strike is aimed at
one target drawn with probability proportional to its **size** (the enemy knows where the value
is: a site's capacity, a depot's stock). An aimed strike **hits** with probability::

    q_i = exposure_i * signature_i * (1 - defence_i)

reach (it gets there), detection (it finds the target in the last mile) and defences (it is not
intercepted). So the hits on target ``i`` in one day are Binomial(b_c, pi_i * q_i), with
``b_c`` the strikes of its class and ``pi_i = size_i / sum(size)``; over ``D`` days with the
same budget the expected hits are ``D * b_c * pi_i * q_i`` (:func:`expected_hits`).

Why dispersion pays under this rule: a hit takes a share of *one site*. Splitting a plant's
capacity over ``k`` equal sites leaves the hits aimed at the plant unchanged (their sizes add up
to the same share) but each hit takes ``1/k`` as much capacity, and a smaller, quieter site
(lower signature) is hit less often. Random outages, by contrast, strike every site
independently, so dispersion changes only their variance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Target:
    """Something a strike can be aimed at."""

    name: str
    kind: str
    """Its class (``sites``, ``ports``, ``depots``, or a caller's own)."""
    size: float
    """Aiming weight within its class (capacity, stock...); 0 means not worth a strike."""
    exposure: float
    signature: float
    defence: float = 0.0

    @property
    def hit_prob(self) -> float:
        """Probability that a strike aimed at this target hits it."""
        return self.exposure * self.signature * (1.0 - self.defence)


def class_strikes(strikes: int, split: Mapping[str, float],
                  targets: Sequence[Target]) -> dict[str, int]:
    """Divide a day's strikes among classes in proportion to ``split`` (largest remainders).

    Only classes with a target in reach (exposure and size above 0) take strikes.

    >>> ts = [Target("a", "sites", 1, 1, 1), Target("p", "ports", 1, 1, 1)]
    >>> class_strikes(7, {"sites": 0.5, "ports": 0.5, "depots": 1.0}, ts)
    {'sites': 4, 'ports': 3}
    """
    live = [k for k in split if split[k] > 0
            and any(t.kind == k and t.size > 0 and t.exposure > 0 for t in targets)]
    if not live or strikes <= 0:
        return {k: 0 for k in live}
    total = sum(split[k] for k in live)
    exact = [strikes * split[k] / total for k in live]
    whole = [int(x) for x in exact]
    order = sorted(range(len(live)), key=lambda j: (whole[j] - exact[j], j))
    for j in order[:strikes - sum(whole)]:
        whole[j] += 1
    return dict(zip(live, whole, strict=True))


def aim_probabilities(targets: Sequence[Target], kind: str) -> np.ndarray:
    """``pi_i`` for every target (0 outside ``kind`` or out of reach)."""
    w = np.array([t.size if t.kind == kind and t.exposure > 0 else 0.0 for t in targets])
    total = w.sum()
    return w / total if total > 0 else w


def expected_hits(targets: Sequence[Target], strikes: int,
                  split: Mapping[str, float]) -> np.ndarray:
    """Expected hits per target from one day's ``strikes`` (the closed form of the rule).

    >>> big = Target("plant", "sites", size=100, exposure=0.5, signature=0.8)
    >>> small = [Target(f"s{i}", "sites", size=10, exposure=0.5, signature=0.4) for i in range(10)]
    >>> float(expected_hits([big], 10, {"sites": 1})[0])           # 10 * 1 * 0.4
    4.0
    >>> round(float(expected_hits(small, 10, {"sites": 1}).sum()), 9)  # 10 * 0.2
    2.0
    """
    out = np.zeros(len(targets))
    q = np.array([t.hit_prob for t in targets])
    for kind, b in class_strikes(strikes, split, targets).items():
        out += b * aim_probabilities(targets, kind) * q
    return out


def allocate(rng: np.random.Generator, targets: Sequence[Target], strikes: int,
             split: Mapping[str, float]) -> np.ndarray:
    """Hits per target from one day's ``strikes``, drawn by the rule (one multinomial a class).

    Each strike of a class is aimed (multinomial over ``pi``) and then hits or misses
    (binomial thinning by ``q``); the draw order is fixed, so a seed gives the same hits.
    """
    hits = np.zeros(len(targets), dtype=np.int64)
    q = np.array([t.hit_prob for t in targets])
    for kind, b in class_strikes(strikes, split, targets).items():
        if b == 0:
            continue
        aimed = rng.multinomial(b, aim_probabilities(targets, kind))
        hits += rng.binomial(aimed, q)
    return hits
