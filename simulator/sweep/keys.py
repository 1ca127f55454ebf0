"""Which scenario keys a sweep may vary, and the scenario at one point of the sweep.

A key is a dotted path to a number in the resolved scenario (what ``arsenal run --set`` would
change), e.g. ``threat_zones.contested.p_attack``. Keys are checked against the scenario before
anything runs: a label (``places.guam.lat``, ``description``) or a reserved key is refused,
since varying it would draw a flat line that looks like a finding (see
:func:`simulator.scenario.roles.require_model_keys`); an unknown key gets the closest real ones
as suggestions, and every value a
sweep will use (each listed value, or both bounds) is validated by the scenario schema, so an
out-of-range value stops the sweep at once instead of failing a thousand tasks later.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.scenario import Scenario, ScenarioError, scenario_from_dict
from simulator.scenario.roles import require_model_keys
from simulator.sweep.errors import SweepError
from simulator.sweep.spec import VarySpec


@dataclass(frozen=True)
class Posture:
    """A scenario a sweep runs at every point: its name, resolved data and source file."""

    name: str
    data: dict[str, Any]
    """Every field, defaults included: what a sweep may vary."""
    source: str
    given: dict[str, Any] | None = None
    """Only the fields the scenario sets: what is validated again at each point. Defaults of
    keys that do not apply to a chosen model (``p_loss`` of a ``per_convoy`` zone) stay out,
    since the schema refuses such keys when they are written."""

    @classmethod
    def from_scenario(cls, name: str, scenario: Scenario, source: str | Path) -> Posture:
        """Freeze ``scenario`` (already loaded with any ``--set`` overrides) as plain data."""
        return cls(name, scenario.model_dump(by_alias=True, mode="python"), str(source),
                   scenario.model_dump(by_alias=True, mode="python", exclude_unset=True))

    def has(self, key: str) -> bool:
        """Whether ``key`` names a number in this posture."""
        return _is_number(_get(self.data, key.split(".")))

    def scenario_at(self, values: Mapping[str, float]) -> Scenario:
        """The posture with each key that it has set to ``values[key]``, validated."""
        data = copy.deepcopy(self.data if self.given is None else self.given)
        for key, value in values.items():
            parts = key.split(".")
            if not self.has(key):
                continue
            node = data
            for part in parts[:-1]:
                node = node.setdefault(part, {})
            whole = isinstance(_get(self.data, parts), int)
            node[parts[-1]] = round(value) if whole else value
        return scenario_from_dict(data, source=self.source)

    def integer_keys(self, keys: list[str]) -> set[str]:
        """The keys among ``keys`` that hold whole numbers here (counts: berths, escorts)."""
        return {k for k in keys if self.has(k) and isinstance(_get(self.data, k.split(".")), int)}


def _get(data: Any, parts: list[str]) -> Any:
    node = data
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def numeric_keys(data: Any, prefix: str = "") -> Iterator[str]:
    """Every dotted path to a number in ``data`` (lists are not addressable by ``--set``)."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if _is_number(value):
                yield path
            elif isinstance(value, dict):
                yield from numeric_keys(value, path)


def check_keys(specs: list[VarySpec], postures: list[Posture]) -> None:
    """Raise :class:`SweepError` for unknown keys (with suggestions) and invalid values."""
    problems: list[str] = []
    seen: set[str] = set()
    for spec in specs:
        if spec.key in seen:
            problems.append(f"--vary {spec.key}: given twice; vary each key once")
        seen.add(spec.key)
        try:  # a label or a reserved key would give a flat line, not a finding
            require_model_keys([spec.key], "varied by a sweep", unknown_ok=True)
        except ScenarioError as exc:
            problems += [f"--vary {m}" for m in exc.messages]
            continue
        holders = [p for p in postures if p.has(spec.key)]
        if not holders:
            problems.append(_unknown(spec.key, postures))
            continue
        for posture in holders:
            whole = spec.key in posture.integer_keys([spec.key])
            if whole and spec.values and any(v != int(v) for v in spec.values):
                problems.append(f"--vary {spec.key}={spec.text}: {spec.key} is a whole number "
                                f"in {posture.name}; list whole numbers")
                break
            for value in spec.checked_values():
                try:
                    posture.scenario_at({spec.key: value})
                except ScenarioError as exc:
                    first = exc.messages[0] if exc.messages else str(exc)
                    problems.append(f"--vary {spec.key}={spec.text}: value {value:g} is not "
                                    f"valid in {posture.name}: {first}")
                    break
    if problems:
        raise SweepError(problems)


def _unknown(key: str, postures: list[Posture]) -> str:
    known = sorted({k for p in postures for k in numeric_keys(p.data)})
    where = " or ".join(p.name for p in postures)
    if any(_get(p.data, key.split(".")) is not None for p in postures):
        return (f"--vary {key}: not a number in {where}; only numeric keys can be varied")
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.6)
    if not close:  # a right leaf under a wrong parent: suggest the leaf's other homes
        leaf = key.rsplit(".", 1)[-1]
        close = [k for k in known if k.rsplit(".", 1)[-1] == leaf][:3]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"--vary {key}: no such key in {where}{hint}"
