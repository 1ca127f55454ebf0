"""The event log's record: something rare that happened to a named asset, at a time in days.

Kept apart from the books (:mod:`simulator.ledger`) because it is a different idea read by
different code: the ledger only appends events as they happen, while the result, the narration
and the map replay read them, and none of those needs the books to do so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    """Something that happened to a named asset, at a time in days.

    ``detail`` is for people; ``data`` carries the same facts as numbers for programs (the
    narration, the map replay), so nothing downstream parses the free text.
    """

    day: float
    kind: str
    subject: str
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __init__(self, day: float, kind: str, subject: str, detail: str = "",
                 data: dict[str, Any] | None = None):
        # What the generated one does, without a frozen ``__setattr__`` call per field: a run
        # logs thousands of events, and that made each cost three times as much.
        values = self.__dict__
        values["day"], values["kind"], values["subject"], values["detail"] = (day, kind,
                                                                              subject, detail)
        values["data"] = {} if data is None else data
