"""Cheap waits: an event that fires with the first of several others.

``env.any_of`` builds a :class:`simpy.Condition` (a value object, a check per event, clean-up
of the others' callbacks), which costs more than the rest of a ship's wake-up. A process that
only needs to know *that* one of them happened can wait on :func:`first_of` instead: the same
instant and the same order as ``any_of`` (the returned event is triggered when the first of
``events`` is processed, and is processed after it), without the bookkeeping.
"""

from __future__ import annotations

import simpy
from simpy.events import PENDING


def first_of(env: simpy.Environment, *events: simpy.Event) -> simpy.Event:
    """An event that succeeds (with no value) when the first of ``events`` is processed.

    >>> env = simpy.Environment()
    >>> woke = []
    >>> def sleeper():
    ...     yield first_of(env, env.timeout(5), env.timeout(2))
    ...     woke.append(env.now)
    >>> _ = env.process(sleeper()); env.run(); woke
    [2]
    """
    done = simpy.Event(env)

    def fire(_event: simpy.Event) -> None:
        if done._value is PENDING:
            done.succeed()

    for event in events:
        if event.callbacks is None:  # already processed: fire now
            fire(event)
        else:
            event.callbacks.append(fire)
    return done
