"""Cheap waits: a timeout that an event can cut short, without a condition object.

``env.any_of(event, env.timeout(d))`` builds a :class:`simpy.Condition` (a value object, a
check per event, clean-up of the others' callbacks). A process that only needs to wake at
whichever comes first can wait on :func:`timeout_unless` instead: it waits on the timeout
itself, so a wake-up by the timeout costs that one event; if ``event`` comes first, the process
is resumed by an event scheduled at that instant (after what is already due then, as with
``any_of``), and the timeout left behind is popped later with nothing to resume.
"""

from __future__ import annotations

import simpy


def timeout_unless(env: simpy.Environment, delay: float, event: simpy.Event) -> simpy.Event:
    """A timeout of ``delay`` for the active process, cut short when ``event`` is processed.

    Yield the result at once, from the process that called it. If ``event`` is processed
    first the process resumes at that instant (with no value); otherwise it resumes when the
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
        # Left on ``event`` when the timer wins (removing it would cost a callback on every
        # timer): by then the process sleeps on something else, and this does nothing.
        if process._target is timer:  # still asleep on this timer
            timer.callbacks.remove(resume)
            wake = process._target = simpy.Event(env)
            wake._ok, wake._value = True, None
            wake.callbacks.append(resume)
            env.schedule(wake)

    event.callbacks.append(cut)
    return timer
