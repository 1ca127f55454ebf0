"""Cheap waits: a timeout that an event can cut short, at the cost of one SimPy event.

``env.any_of(event, env.timeout(d))`` builds a :class:`simpy.Condition` (a value object, a
check per event, clean-up of the others' callbacks) and costs three events: the timeout, the
condition, and the event itself. A process that only needs to wake at whichever comes first can
wait on :func:`timeout_unless` instead: it waits on the timeout itself, and if ``event`` is
processed first the process is resumed right then, from ``event``'s callbacks, exactly as if
it had waited on ``event``. One event is processed either way; the timeout left behind is
popped later with no callback that resumes anything.
"""

from __future__ import annotations

import simpy


def timeout_unless(env: simpy.Environment, delay: float, event: simpy.Event) -> simpy.Event:
    """A timeout of ``delay`` for the active process, cut short when ``event`` is processed.

    Yield the result at once, from the process that called it. If ``event`` is processed
    first the process resumes then, with ``event``'s value; otherwise it resumes when the
    timeout is processed.

    >>> env = simpy.Environment()
    >>> woke = []
    >>> def sleeper(event):
    ...     yield timeout_unless(env, 5, event)
    ...     woke.append(env.now)
    >>> early = env.timeout(2)
    >>> _ = env.process(sleeper(early)); _ = env.process(sleeper(env.event())); env.run(); woke
    [2, 5]
    """
    if event.callbacks is None:  # already processed: no wait at all
        return env.timeout(0)
    timer = env.timeout(delay)
    process = env.active_process
    if process is None:
        raise RuntimeError("timeout_unless() is for the active process to yield at once")
    resume = process._resume

    def cut(fired: simpy.Event) -> None:
        if process._target is timer:  # still asleep on this timer
            timer.callbacks.remove(resume)
            resume(fired)

    def uncut(_timer: simpy.Event) -> None:
        callbacks = event.callbacks
        if callbacks is not None:
            callbacks.remove(cut)

    event.callbacks.append(cut)
    timer.callbacks.append(uncut)  # before the process's own resume, appended when it yields
    return timer
