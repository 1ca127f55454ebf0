"""What each scenario key is for: read by the model, a label, or reserved for a coming mechanism.

Every key a user can set either changes the run or is declared here as a label (it names or
describes; see :func:`simulator.scenario.fields.label`) or as reserved (recorded now, read by a
mechanism still to come). A test walks the schema and fails on any key that is none of these.
Tools that vary a key to see what it does (sweeps, sensitivity analysis) call
:func:`require_model_keys` so that varying a label is an error, not a flat line.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from simulator.scenario.errors import ScenarioError, _unwrap
from simulator.scenario.schema import Scenario

Role = Literal["model", "label", "reserved"]


def _role(field: FieldInfo) -> Role:
    extra = field.json_schema_extra
    return extra.get("role", "model") if isinstance(extra, dict) else "model"


def walk(model: type[BaseModel] = Scenario, prefix: str = "") -> Iterator[tuple[str, str, Role]]:
    """Every key of the schema as ``(path, attribute name, role)``.

    Names of mappings and positions of lists are written ``*``: ``factories.*.capacity_per_day``.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        yield path, name, _role(field)
        for sub, suffix in _models_in(field.annotation):
            yield from walk(sub, f"{path}{suffix}.")


def _models_in(tp: Any, suffix: str = "") -> Iterator[tuple[type[BaseModel], str]]:
    tp = _unwrap(tp)
    if isinstance(tp, tuple):
        for member in tp:
            yield from _models_in(member, suffix)
    elif isinstance(tp, type) and issubclass(tp, BaseModel):
        yield tp, suffix
    elif typing.get_origin(tp) in (dict, list):
        yield from _models_in(typing.get_args(tp)[-1], suffix + ".*")


def _plain_mappings(model: type[BaseModel] = Scenario,
                    prefix: str = "") -> Iterator[tuple[str, Role]]:
    """Keys that are mappings of plain values (``theatre.demand_per_day``).

    Each entry of one (``theatre.demand_per_day.drone``) has the mapping's role.
    """
    for name, field in model.model_fields.items():
        path = f"{prefix}{field.alias or name}"
        tp = _unwrap(field.annotation)
        if (not isinstance(tp, tuple) and typing.get_origin(tp) is dict
                and not any(True for _ in _models_in(typing.get_args(tp)[-1]))):
            yield path, _role(field)
        for sub, suffix in _models_in(field.annotation):
            yield from _plain_mappings(sub, f"{path}{suffix}.")


def _matches(known: str, pattern: list[str]) -> bool:
    parts = known.split(".")
    return len(parts) == len(pattern) and all(k in ("*", p) for k, p in zip(parts, pattern,
                                                                            strict=True))


def role_of(path: str) -> Role | None:
    """The role of the key at ``path``; ``None`` if there is no such key.

    Names and list positions as in the scenario: ``places.japan.country``,
    ``theatre.phases[0].name``; an entry of a mapping of plain values
    (``theatre.demand_per_day.drone``) has the mapping's role.
    """
    pattern = re.sub(r"\[\d+\]", ".*", path).split(".")
    for known, _, role in walk():
        if _matches(known, pattern):
            return role
    for known, role in _plain_mappings():
        if _matches(known, pattern[:-1]):
            return role
    return None


def require_model_keys(paths: Iterable[str], what: str = "varied",
                       unknown_ok: bool = False) -> None:
    """Raise :class:`ScenarioError` for every path that is not a key the model reads.

    ``unknown_ok``: leave paths the schema does not know to the caller (an override that is
    loaded as a scenario afterwards gets the loader's own message for them).
    """
    errors = []
    for path in paths:
        role = role_of(path)
        if role == "label":
            errors.append(f"{path}: is a label (it names or describes, and changes no number); "
                          f"it cannot be {what}: choose a key the model reads")
        elif role == "reserved":
            errors.append(f"{path}: is reserved (recorded, not yet used by the model); it "
                          f"cannot be {what} yet")
        elif role is None and not unknown_ok:
            errors.append(f"{path}: no such scenario key")
    if errors:
        raise ScenarioError(errors)
