"""The one exception a bad scenario raises, and how validation errors become its messages.

Each message is one line, ``FILE: KEY.PATH: what was expected (got what)``, so a strategist
sees at once which file to open, which key to change and what to write there.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError


class ScenarioError(Exception):
    """A scenario file (or override) is invalid; ``str(err)`` is the full user-facing message."""

    def __init__(self, messages: list[str] | str):
        messages = [messages] if isinstance(messages, str) else list(messages)
        # one message, one line: a name with a line break in it must not split a message
        self.messages = [m.replace("\r", "\\r").replace("\n", "\\n") for m in messages]
        super().__init__("\n".join(self.messages))


Origin = Callable[[tuple[str, ...], bool], str]
"""Given a key path (and whether the key is missing), the file that set it."""

def _link_tags() -> set[str]:
    """The ``kind`` tags of the ``links`` union, read from the schema (no list to keep)."""
    from simulator.scenario.schema import Link
    members = typing.get_args(typing.get_args(Link)[0])
    return {tag for m in members for tag in typing.get_args(m.model_fields["kind"].annotation)}


_LINK_TAGS = _link_tags()

_EXPECTED = {
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)",
    "model_attributes_type": "expected a mapping (key: value lines)",
    "list_type": "expected a list",
}


def describe(value: Any) -> str:
    """A short, YAML-flavoured description of a value the user wrote."""
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple | set):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def format_validation(exc: ValidationError, origin: Origin, schema: type[BaseModel]) -> list[str]:
    """One line per pydantic error: the file that set the key, the key path, what was expected."""
    messages = []
    errors = exc.errors()
    explained = _misspelt(errors, schema)
    for err in errors:
        raw = [x for x in err["loc"] if not (isinstance(x, str) and x.startswith("function-"))]
        full = tuple(raw)
        if len(raw) >= 3 and raw[0] == "links" and raw[2] in _LINK_TAGS:
            del raw[2]
        kind, ctx = err["type"], err.get("ctx") or {}
        got = f" (got {describe(err['input'])})" if "input" in err else ""
        if raw and raw[-1] == "[key]":
            loc = [str(x) for x in raw[:-1]]
            example = (f", e.g. '{err['input']}':" if isinstance(err["input"], int | float)
                       and not isinstance(err["input"], bool) else "")
            msg = f"a name must be text, got {describe(err['input'])}; quote it{example}"
            messages.append(f"{origin(tuple(loc), False)}: {_key_path(raw[:-1], named=True)}: "
                            f"{msg}")
            continue
        if kind == "scenario_field":
            raw.append(ctx["field"])
            msg, got = ctx["message"], ""
        elif kind == "extra_forbidden":
            valid = _fields_at(schema, full[:-1])
            close = difflib.get_close_matches(str(raw[-1]), valid, n=1, cutoff=0.5)
            msg = (f"unknown key; did you mean '{close[0]}'?" if close
                   else f"unknown key; valid keys here: {', '.join(valid)}")
            got = ""
        elif kind == "missing":
            if tuple(raw) in explained:
                continue
            msg, got = "required key is missing", ""
        elif kind == "union_tag_not_found":
            raw.append(ctx.get("discriminator", "kind").strip("'"))
            kind = "missing"
            tags = ctx.get("expected_tags") or ", ".join(sorted(_LINK_TAGS))
            msg, got = f"required key is missing; expected one of {tags}", ""
        elif kind == "union_tag_invalid":
            raw.append(ctx.get("discriminator", "kind").strip("'"))
            msg, got = f"expected one of {ctx['expected_tags']}", f" (got {ctx['tag']!r})"
        elif kind == "too_short":
            msg, got = f"expected at least {ctx.get('min_length', 1)} entry, got none", ""
        elif kind in _EXPECTED:
            msg = _EXPECTED[kind]
        else:
            if isinstance(err.get("input"), dict | list):
                got = ""
            msg = err["msg"]
            msg = msg.removeprefix("Value error, ")
            msg = msg[0].lower() + msg[1:]
        loc = tuple(str(x) for x in raw)
        messages.append(f"{origin(loc, kind == 'missing')}: {_key_path(raw)}: {msg}{got}")
    return messages


def _misspelt(errors: list, schema: type[BaseModel]) -> set[tuple]:
    """Locations of missing keys that an unknown key beside them is a misspelling of.

    ``capacity_per_dya`` makes ``capacity_per_day`` missing too; saying "did you mean" once is
    clearer than two messages about one typo.
    """
    out = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(x for x in err["loc"] if not (isinstance(x, str)
                                                      and x.startswith("function-")))
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(schema, loc[:-1]),
                                              n=1, cutoff=0.5)
            if close:
                parent = [x for x in loc[:-1]]
                if len(parent) >= 3 and parent[0] == "links" and parent[2] in _LINK_TAGS:
                    del parent[2]
                out.add((*parent, close[0]))
    return out


def _key_path(loc: list[Any], named: bool = False) -> str:
    """``factories.us_drones.outages[0].days``: list positions in brackets, names after dots."""
    out = ""
    for part in loc:
        if isinstance(part, int) and not named:
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _fields_at(schema: type[BaseModel], loc: tuple) -> list[str]:
    """The valid keys of the model found by walking ``loc`` down from ``schema``."""
    tp: Any = schema
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) or next(
                (f for f in tp.model_fields.values() if f.alias == part), None)
            if field is None:
                return []
            tp = field.annotation
        elif typing.get_origin(tp) is dict:
            tp = typing.get_args(tp)[1]
        elif typing.get_origin(tp) is list:
            tp = typing.get_args(tp)[0]
        elif isinstance(tp, tuple):  # a union: pick the member whose kind literal matches
            tp = next((m for m in tp if part in _kinds(m)), None)
            if tp is None:
                return []
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return sorted(f.alias or n for n, f in tp.model_fields.items())
    return []


def _kinds(model: Any) -> tuple:
    field = getattr(model, "model_fields", {}).get("kind")
    return typing.get_args(field.annotation) if field else ()


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            members = tuple(a for a in typing.get_args(tp) if a is not type(None))
            if len(members) == 1:
                tp = members[0]
            else:
                return members
        else:
            return tp
