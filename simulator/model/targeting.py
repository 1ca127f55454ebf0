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
    arrays = TargetArrays.of(targets)
    return divide(strikes, split, arrays.kinds, arrays.kind, arrays.size * arrays.reach)


def divide(strikes: int, split: Mapping[str, float], kinds: Sequence[str], kind: np.ndarray,
           live_size: np.ndarray) -> dict[str, int]:
    """:func:`class_strikes` on arrays.

    ``kind[i]`` indexes ``kinds``; ``live_size`` is 0 for a target out of reach or worth nothing.
    """
    positive = np.bincount(kind[live_size > 0], minlength=len(kinds)) if len(kinds) else []
    live = [k for k in split if split[k] > 0 and k in kinds and positive[kinds.index(k)] > 0]
    if not live or strikes <= 0:
        return {k: 0 for k in live}
    total = sum(split[k] for k in live)
    exact = [strikes * split[k] / total for k in live]
    whole = [int(x) for x in exact]
    order = sorted(range(len(live)), key=lambda j: (whole[j] - exact[j], j))
    for j in order[:strikes - sum(whole)]:
        whole[j] += 1
    return dict(zip(live, whole, strict=True))


class TargetArrays:
    """The same targets as parallel arrays: a campaign with many sites updates only ``size``."""

    def __init__(self, kinds: list[str], kind: np.ndarray, size: np.ndarray, reach: np.ndarray,
                 q: np.ndarray):
        self.kinds, self.kind, self.size, self.reach, self.q = kinds, kind, size, reach, q

    @classmethod
    def of(cls, targets: Sequence[Target]) -> TargetArrays:
        """Arrays from a list of :class:`Target`."""
        kinds = list(dict.fromkeys(t.kind for t in targets))
        return cls(kinds, np.array([kinds.index(t.kind) for t in targets], dtype=np.int64),
                   np.array([t.size for t in targets], dtype=float),
                   np.array([t.exposure > 0 for t in targets], dtype=float),
                   np.array([t.hit_prob for t in targets], dtype=float))

    def aim(self, kind: str) -> np.ndarray:
        """``pi_i`` for every target (0 outside ``kind`` or out of reach)."""
        if kind not in self.kinds:
            return np.zeros(self.size.size)
        w = self.size * self.reach * (self.kind == self.kinds.index(kind))
        total = w.sum()
        return w / total if total > 0 else w

    def per_class(self, strikes: int, split: Mapping[str, float]) -> dict[str, int]:
        """Strikes per class today."""
        return divide(strikes, split, self.kinds, self.kind, self.size * self.reach)

    def expected_hits(self, strikes: int, split: Mapping[str, float]) -> np.ndarray:
        """Expected hits per target from one day's ``strikes``."""
        out = np.zeros(self.size.size)
        for kind, b in self.per_class(strikes, split).items():
            out += b * self.aim(kind) * self.q
        return out

    def allocate(self, rng: np.random.Generator, strikes: int,
                 split: Mapping[str, float]) -> np.ndarray:
        """Hits per target from one day's ``strikes`` (see :func:`allocate`)."""
        hits = np.zeros(self.size.size, dtype=np.int64)
        for kind, b in self.per_class(strikes, split).items():
            if b == 0:
                continue
            aimed = rng.multinomial(b, self.aim(kind))
            hits += rng.binomial(aimed, self.q)
        return hits


def aim_probabilities(targets: Sequence[Target], kind: str) -> np.ndarray:
    """``pi_i`` for every target (0 outside ``kind`` or out of reach)."""
    return TargetArrays.of(targets).aim(kind)


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
    return TargetArrays.of(targets).expected_hits(strikes, split)


def allocate(rng: np.random.Generator, targets: Sequence[Target], strikes: int,
             split: Mapping[str, float]) -> np.ndarray:
    """Hits per target from one day's ``strikes``, drawn by the rule (one multinomial a class).

    Each strike of a class is aimed (multinomial over ``pi``) and then hits or misses
    (binomial thinning by ``q``); the draw order is fixed, so a seed gives the same hits.
    """
    return TargetArrays.of(targets).allocate(rng, strikes, split)
