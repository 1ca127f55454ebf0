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

The draw (:func:`class_hits`): a class's hits in a day are Binomial(``b_c``, ``sum(pi q)``),
each placed on a target in proportion to ``pi_i * q_i`` — exactly the law of aiming every
strike and then letting it hit or miss, at the cost of one uniform on most days.

Why dispersion pays under this rule: a hit takes a share of *one site*. Splitting a plant's
capacity over ``k`` equal sites leaves the hits aimed at the plant unchanged (their sizes add up
to the same share) but each hit takes ``1/k`` as much capacity, and a smaller, quieter site
(lower signature) is hit less often. Random outages, by contrast, strike every site
independently, so dispersion changes only their variance.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from simulator.model.uniforms import Uniforms


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
    return TargetArrays.of(targets).per_class(strikes, split)


def divide(strikes: int, split: Mapping[str, float], live: Collection[str]) -> dict[str, int]:
    """:func:`class_strikes` given the classes ``live`` today (with a target worth a strike).

    >>> divide(11, {"sites": 0.6, "ports": 0.2, "depots": 0.2}, {"sites", "depots"})
    {'sites': 8, 'depots': 3}
    """
    live = [k for k in split if split[k] > 0 and k in live]
    if not live or strikes <= 0:
        return {k: 0 for k in live}
    total = sum(split[k] for k in live)
    exact = [strikes * split[k] / total for k in live]
    whole = [int(x) for x in exact]
    order = sorted(range(len(live)), key=lambda j: (whole[j] - exact[j], j))
    for j in order[:strikes - sum(whole)]:
        whole[j] += 1
    return dict(zip(live, whole, strict=True))


PICK_LIMIT = 32
"""Most hits of one class placed one uniform each; more go to one multinomial call."""


def class_hits(u: Uniforms, strikes: int, size: float, aimed: Sequence[float],
               aimed_total: float) -> list[int]:
    """The targets hit by one class's ``strikes``: one entry per hit, in the order drawn.

    ``size`` is the class's total size in reach (``sum(size_i * reach_i)``, the aiming
    denominator), ``aimed[i] = size_i * reach_i * q_i`` and ``aimed_total`` their sum.

    Why one binomial: each strike is aimed at ``i`` with probability ``pi_i`` and then hits
    with ``q_i``, independently of the others, so it hits ``i`` with ``pi_i * q_i`` and misses
    with ``1 - P``, ``P = sum(pi_i * q_i)``. Aiming all ``b`` strikes (a multinomial) and
    thinning each target's share by ``q_i`` (binomials) is therefore exactly
    Multinomial(``b``, [``pi_1 q_1``, ..., ``1 - P``]): the number of hits is Binomial(``b``,
    ``P``) and each hit lands on ``i`` with probability ``pi_i q_i / P``. A day's expected hits
    are below one, so one uniform usually settles the day.
    """
    if strikes <= 0 or aimed_total <= 0.0:
        return []
    return place_hits(u, u.binomial(strikes, aimed_total / size), aimed, aimed_total)


def place_hits(u: Uniforms, hits: int, aimed: Sequence[float], aimed_total: float) -> list[int]:
    """Where ``hits`` hits of one class land: target ``i`` with ``aimed[i] / aimed_total`` each.

    The second half of :func:`class_hits`, for a caller that builds ``aimed`` only on a day
    with hits.
    """
    if not hits:
        return []
    if hits > PICK_LIMIT:
        counts = u.rng.multinomial(hits, [a / aimed_total for a in aimed]).tolist()
        return [i for i, c in enumerate(counts) for _ in range(c)]
    return [u.pick(aimed, aimed_total) for _ in range(hits)]


class TargetArrays:
    """The same targets as parallel arrays, for the closed forms (:func:`expected_hits`)."""

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

    def weights(self, kind: str) -> np.ndarray:
        """``size_i * reach_i`` within ``kind`` (0 outside it)."""
        if kind not in self.kinds:
            return np.zeros(self.size.size)
        return self.size * self.reach * (self.kind == self.kinds.index(kind))

    def aim(self, kind: str) -> np.ndarray:
        """``pi_i`` for every target (0 outside ``kind`` or out of reach)."""
        w = self.weights(kind)
        total = w.sum()
        return w / total if total > 0 else w

    def per_class(self, strikes: int, split: Mapping[str, float]) -> dict[str, int]:
        """Strikes per class today."""
        live = {k for k in self.kinds if (self.weights(k) > 0).any()}
        return divide(strikes, split, live)

    def expected_hits(self, strikes: int, split: Mapping[str, float]) -> np.ndarray:
        """Expected hits per target from one day's ``strikes``."""
        out = np.zeros(self.size.size)
        for kind, b in self.per_class(strikes, split).items():
            out += b * self.aim(kind) * self.q
        return out

    def allocate(self, u: Uniforms, strikes: int, split: Mapping[str, float]) -> np.ndarray:
        """Hits per target from one day's ``strikes`` (see :func:`allocate`)."""
        hits = np.zeros(self.size.size, dtype=np.int64)
        for kind, b in self.per_class(strikes, split).items():
            w = self.weights(kind)
            aimed = (w * self.q).tolist()
            for i in class_hits(u, b, float(w.sum()), aimed, sum(aimed)):
                hits[i] += 1
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


def allocate(rng: np.random.Generator | Uniforms, targets: Sequence[Target], strikes: int,
             split: Mapping[str, float]) -> np.ndarray:
    """Hits per target from one day's ``strikes``, drawn by the rule (:func:`class_hits`).

    Classes are drawn in the order of ``split``, so a seed gives the same hits. Pass a
    :class:`~simulator.model.uniforms.Uniforms` to draw many days from one stream without
    wasting the rest of a block each day.
    """
    u = rng if isinstance(rng, Uniforms) else Uniforms(rng, block=16)
    return TargetArrays.of(targets).allocate(u, strikes, split)
