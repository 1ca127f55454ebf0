"""Random streams: one ``numpy.random.Generator`` per component, keyed by its stable name.

A component's stream depends only on the replication's seed and its own name, never on how many
other components exist or in which order they were built. That is what makes paired comparisons
fair (common random numbers): adding an allied factory does not change what happens to a convoy.
Where a component needs many short streams (one per convoy and zone crossing),
:class:`NumberedStreams` gives them from counter-based generators instead of building a
generator for each.
"""

from __future__ import annotations

import hashlib

import numpy as np


def stable_hash(name: str) -> int:
    """A 64-bit hash of ``name`` that is the same in every process and Python version."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def as_seed_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """Accept a plain integer seed or an already-spawned ``SeedSequence``."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.SeedSequence(int(seed))


class Streams:
    """Hands each named component its own independent generator."""

    def __init__(self, seed: int | np.random.SeedSequence):
        self.root = as_seed_sequence(seed)

    def rng(self, name: str) -> np.random.Generator:
        """The generator of the component called ``name`` (e.g. ``"factory:us_drones"``).

        The same seed and name give the same numbers, whatever else exists:

        >>> a = Streams(7).rng("factory:us_drones").random(3)
        >>> b = Streams(7).rng("factory:us_drones").random(3)
        >>> bool((a == b).all()), bool((a == Streams(7).rng("port:guam").random(3)).any())
        (True, False)
        """
        return np.random.Generator(np.random.PCG64(self._seed(name)))

    def numbered(self, name: str) -> NumberedStreams:
        """Sub-streams of ``name`` numbered by a pair of integers (a convoy and its crossing)."""
        return NumberedStreams(self._seed(name))

    def _seed(self, name: str) -> np.random.SeedSequence:
        return np.random.SeedSequence(entropy=self.root.entropy,
                                      spawn_key=(*self.root.spawn_key, stable_hash(name)))


_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
"""SplitMix64's increment: 2**64 divided by the golden ratio, odd."""
_TO_UNIT = 2.0**-53


def _mix(z: int) -> int:
    """SplitMix64's output function (Stafford's "Mix13").

    A bijection of 64-bit integers whose every output bit depends on every input bit.
    """
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


class NumberedStreams:
    """Reproducible, independent sub-streams ``(number, sub)`` of one name, built on demand cheaply.

    Why not a fresh ``SeedSequence`` and ``PCG64`` per sub-stream: that costs tens of
    microseconds each, and a run numbers hundreds of convoys crossing threat zones. Two
    counter-based generators serve instead, both keyed by the replication's seed and the name
    (as for :meth:`Streams.rng`), so the numbers of convoy 7's second zone crossing depend only
    on the seed, the link and (7, 1): not on when the convoy sails, how many ships it has, or
    what other convoys drew.

    :meth:`draws` (the hot path): a handful of uniforms in plain Python, from SplitMix64 (Steele,
    Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) started at a
    state hashed from the key and ``(number, sub)``; about a microsecond a crossing where
    positioning NumPy's Philox and drawing through NumPy cost several (their per-call overhead
    dwarfs the arithmetic for one to a few numbers).

    :meth:`at` (the fallback for draws no short inverse-CDF loop can make, such as a Poisson
    count of mean 10**6): Philox, a keyed bijection of a 256-bit counter (Salmon et al.,
    "Parallel random numbers: as easy as 1, 2, 3", SC 2011); sub-stream ``(number, sub)`` starts
    at counter ``(0, 0, sub, number)`` and has 2**128 blocks of four draws before it could reach
    another's start.

    >>> subs = Streams(7).numbered("link:sea")
    >>> a = subs.draws(7, 1).uniforms(3)
    >>> b = Streams(7).numbered("link:sea").draws(7, 1).uniforms(3)
    >>> a == b, bool(set(a) & set(subs.draws(7, 2).uniforms(3)))
    (True, False)
    """

    def __init__(self, seed: np.random.SeedSequence):
        words = [int(w) for w in seed.generate_state(3, np.uint64)]
        self._bits = np.random.Philox(key=words[:2])
        self._generator = np.random.Generator(self._bits)
        # The state as plain tuples: setting it is then about twice as fast as with arrays.
        state = self._bits.state
        state["state"]["key"] = tuple(words[:2])
        state["buffer"], state["buffer_pos"], state["has_uint32"] = (0, 0, 0, 0), 4, 0
        self._state = state
        self._key = words[2]
        self._outer: dict[int, int] = {}
        """Each number's SplitMix64 state (a convoy's crossings share it): one mix, not two."""

    def draws(self, number: int, sub: int = 0) -> Draws:
        """The uniforms of sub-stream ``(number, sub)`` (see :class:`Draws`)."""
        if not (0 <= number < 2**64 and 0 <= sub < 2**64):
            raise ValueError(f"sub-stream numbers are in [0, 2**64), not ({number}, {sub})")
        # Two SplitMix64 splits: the number's state from the key, the sub's from the number's.
        # _mix is a bijection, so distinct numbers (then subs) give distinct states.
        outer = self._outer.get(number)
        if outer is None:
            outer = self._outer[number] = _mix((self._key + (number + 1) * _GOLDEN) & _MASK)
        return Draws(_mix((outer + (sub + 1) * _GOLDEN) & _MASK), self, number, sub)

    def at(self, number: int, sub: int = 0) -> np.random.Generator:
        """The Philox generator at the start of sub-stream ``(number, sub)``.

        One generator serves every sub-stream: draw what you need at once; the next call to
        :meth:`at` moves it elsewhere.

        >>> subs = Streams(7).numbered("link:sea")
        >>> a = subs.at(7, 1).random(3)
        >>> b = Streams(7).numbered("link:sea").at(7, 1).random(3)
        >>> bool((a == b).all()), bool((a == subs.at(7, 2).random(3)).any())
        (True, False)
        """
        if not (0 <= number < 2**64 and 0 <= sub < 2**64):
            raise ValueError(f"sub-stream numbers are in [0, 2**64), not ({number}, {sub})")
        state = self._state
        state["state"]["counter"] = (0, 0, sub, number)
        self._bits.state = state  # the buffer is marked empty: nothing carries over
        return self._generator


class Draws:
    """Uniforms ``0, 1, 2, ...`` of one numbered sub-stream, each addressed by its index.

    Uniform ``i`` is output ``i + 1`` of SplitMix64 from the sub-stream's state: what a caller
    reads as uniform 3 is the same number whether or not it read 0 to 2, so a rule can give each
    decision a fixed index (the attack, the count, then one per ship) and common random numbers
    hold decision by decision. Doubles in [0, 1) with 53 random bits, as NumPy's ``random()``.
    """

    __slots__ = ("_number", "_state", "_streams", "_sub")

    def __init__(self, state: int, streams: NumberedStreams, number: int, sub: int):
        self._state, self._streams, self._number, self._sub = state, streams, number, sub

    def uniform(self, i: int) -> float:
        """Uniform number ``i`` of the sub-stream."""
        z = (self._state + (i + 1) * _GOLDEN) & _MASK
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return ((z ^ (z >> 31)) >> 11) * _TO_UNIT

    def uniforms(self, count: int, start: int = 0) -> list[float]:
        """Uniform numbers ``start`` to ``start + count - 1``."""
        out, state = [], self._state
        for i in range(start + 1, start + count + 1):
            z = (state + i * _GOLDEN) & _MASK
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            out.append(((z ^ (z >> 31)) >> 11) * _TO_UNIT)
        return out

    def generator(self) -> np.random.Generator:
        """A NumPy generator for the sub-stream (Philox, independent of the uniforms).

        For the rare draw a short inverse-CDF loop cannot make; draw from it at once.
        """
        return self._streams.at(self._number, self._sub)
