"""The one exception bad sweep input raises (a key, a spec, a plan, a scheduler)."""

from __future__ import annotations


class SweepError(ValueError):
    """A sweep cannot start as asked; ``str(err)`` is the full user-facing message.

    Raised before anything is written, so the CLI can exit 2 with the output folder untouched.
    """

    def __init__(self, messages: list[str] | str):
        messages = [messages] if isinstance(messages, str) else list(messages)
        self.messages = [m.replace("\n", " ") for m in messages]
        super().__init__("\n".join(self.messages))


class ExecutorFailure(RuntimeError):
    """The executor itself failed (a process pool broke, Dask gave up on a task).

    Not the user's input and not a model error (those become rows): the sweep stops, every
    finished chunk stays on disk, and ``--resume`` carries on.
    """
