"""The one exception a bad scenario raises, carrying a message a strategist can act on."""

from __future__ import annotations


class ScenarioError(Exception):
    """A scenario file (or override) is invalid; ``str(err)`` is the full user-facing message."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))
