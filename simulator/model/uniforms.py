"""Small draws made cheap: uniforms handed out from a block, binomials and picks by inversion.

Why: a daily strike salvo asks a handful of questions of its stream (does any of these two
strikes hit? which of these twenty targets?), and a NumPy call costs a microsecond or more
whatever its size, more than the arithmetic. So the uniforms come from one
``rng.random(block)`` call turned into a Python list, and the small draws are made from them in
Python by inverting the distribution function, the textbook method (and the one NumPy itself
uses for small binomial means). Large draws, where inversion would loop long, go back to the
generator: the distributions are the same either way, only the numbers used differ.

The uniforms a :class:`Uniforms` hands out are the generator's ``random()`` doubles in order,
whatever the block size, so a component's draws depend on its seed and its own history only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

INVERSION_MEAN = 10.0
"""Largest binomial mean ``n * p`` drawn by inversion (a loop of about ``n * p`` steps); above
it :meth:`Uniforms.binomial` calls the generator."""


class Uniforms:
    """Uniform numbers on [0, 1) from ``rng``, drawn ``block`` at a time and handed out singly."""

    __slots__ = ("_block", "_buf", "rng")

    def __init__(self, rng: np.random.Generator, block: int = 512):
        if block < 1:
            raise ValueError(f"a block holds at least one number, got {block}")
        self.rng, self._block, self._buf = rng, int(block), []

    def next(self) -> float:
        """The next uniform number on [0, 1)."""
        buf = self._buf
        if not buf:
            buf = self._buf = self.rng.random(self._block).tolist()
            buf.reverse()  # pop() from the end hands them out in the generator's order
        return buf.pop()

    def binomial(self, n: int, p: float, x: float | None = None) -> int:
        """A Binomial(``n``, ``p``) number: one uniform, inverted, when the mean is small.

        The inversion walks the distribution function from 0 with the ratio of successive
        probabilities, ``P(k) / P(k-1) = (n-k+1)/k * p/(1-p)``; it stops at ``n`` whatever the
        rounding of the sum. ``x``: the uniform to invert, if the caller drew it already (to
        settle ``x < (1 - p_max)^n``, no success, before working ``p`` out); the number is then
        always drawn by inversion from that ``x``, so the caller keeps the mean small.
        """
        if n <= 0 or p <= 0.0:
            return 0
        if p >= 1.0:
            return n
        q = 1.0 - p
        pmf = q ** n
        if x is None:
            if n * p > INVERSION_MEAN or pmf <= 0.0:
                return int(self.rng.binomial(n, p))
            x = self.next()
        elif pmf <= 0.0:
            raise ValueError(f"Binomial({n}, {p}) cannot be inverted from 0: P(0) underflows")
        k, cdf, ratio = 0, pmf, p / q
        while x >= cdf and k < n:
            k += 1
            pmf *= ratio * (n - k + 1) / k
            cdf += pmf
        return k

    def pick(self, weights: Sequence[float], total: float) -> int:
        """An index drawn with probability ``weights[i] / total`` (``total`` = their sum > 0).

        Rounding can leave the uniform past the last bucket: it then falls in the last index
        with a positive weight, so an index of weight 0 is never picked.
        """
        x = self.next() * total
        last = -1
        for i, w in enumerate(weights):
            if w > 0.0:
                last = i
                x -= w
                if x < 0.0:
                    return i
        if last < 0:
            raise ValueError("nothing to pick: every weight is 0")
        return last
