"""Dangling names: the one check and message for a name in a scenario that refers to nothing.

Shared by the map's reference check (:mod:`simulator.scenario.references`) and the industry
sections' (:mod:`simulator.scenario.industry`), so a misspelt item reads the same wherever it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

NameCheck = Callable[[str, str, str, Iterable[str]], bool]
"""``need(path, kind, name, known)``: whether ``name`` is known; if not, an error is noted."""


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """The message for an unknown name, with the closest known one (or the list) as a hint.

    >>> unknown("item", "shel", ["shell", "drone"])
    "unknown item 'shel'; did you mean 'shell'?"
    >>> unknown("fleet", "navy", [])
    "unknown fleet 'navy' (known: none)"
    """
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f" (known: {', '.join(known) or 'none'})"
    return f"unknown {kind} '{name}'{hint}"


def name_check(errors: list[tuple[str, str]]) -> NameCheck:
    """A ``need`` that appends ``(key path, message)`` to ``errors`` for each unknown name."""

    def need(path: str, kind: str, name: str, known: Iterable[str]) -> bool:
        known = list(known)
        if name not in known:
            errors.append((path, unknown(kind, name, known)))
            return False
        return True

    return need
