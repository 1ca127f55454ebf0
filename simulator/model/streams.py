"""Random streams: one ``numpy.random.Generator`` per component, keyed by its stable name.

A component's stream depends only on the replication's seed and its own name, never on how many
other components exist or in which order they were built. That is what makes paired comparisons
fair (common random numbers): adding an allied factory does not change what happens to a convoy.
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
        seq = np.random.SeedSequence(entropy=self.root.entropy,
                                     spawn_key=(*self.root.spawn_key, stable_hash(name)))
        return np.random.Generator(np.random.PCG64(seq))
