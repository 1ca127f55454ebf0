"""Load a scenario: safe YAML, ``extends:`` chains, deep merge, ``--set`` overrides, validation.

A scenario file may say ``extends: base.yaml`` (a path relative to itself). The base is loaded
first and the file's keys are deep-merged over it: mappings merge key by key, any other value
replaces, and ``null`` removes a key (``factories: {old_plant: null}``). Every problem becomes a
:class:`ScenarioError` naming the file that set the offending key, its key path and what was
expected; nothing here raises anything else.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulator.scenario.errors import ScenarioError
from simulator.scenario.references import check_references
from simulator.scenario.schema import Scenario

Provenance = dict[tuple[str, ...], str]


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ScenarioError(f"{path}: file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read file ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        where = f" (line {mark.line + 1})" if mark else ""
        raise ScenarioError(f"{path}{where}: YAML tag not allowed: {exc.problem}; scenario files "
                            "hold plain data only (mappings, lists, numbers, strings)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}{where}: not valid YAML: {problem}") from None
    if data is None:
        raise ScenarioError(f"{path}: the file is empty; expected a scenario mapping "
                            "(name, items, places, theatre, ...)")
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: expected a mapping of scenario keys at the top level, "
                            f"got a {type(data).__name__}")
    return data


def _deep_merge(base: dict, over: dict, prov: Provenance, source: str,
                prefix: tuple[str, ...] = ()) -> dict:
    out = dict(base)
    for key, value in over.items():
        path = (*prefix, str(key))
        if value is None:
            out.pop(key, None)
            _forget(prov, path)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value, prov, source, path)
        else:
            _forget(prov, path)
            out[key] = copy.deepcopy(value)
            prov[path] = source
    return out


def _forget(prov: Provenance, path: tuple[str, ...]) -> None:
    for p in [p for p in prov if p[: len(path)] == path]:
        del prov[p]


def _load_layers(path: Path, seen: tuple[Path, ...], prov: Provenance) -> dict[str, Any]:
    path = path.resolve()
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{seen[-1]}: extends: circular chain of files: {chain}")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return _deep_merge({}, data, prov, str(path))
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: extends: expected a file path (string), got "
                            f"{type(parent).__name__}")
    parent_path = (path.parent / parent)
    if not parent_path.is_file():
        raise ScenarioError(f"{path}: extends: file not found: {parent_path}")
    base = _load_layers(parent_path, (*seen, path), prov)
    return _deep_merge(base, data, prov, str(path))


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Turn ``["a.b.c=1", "x=[1, 2]"]`` into a nested mapping; values are parsed as YAML."""
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip() or any(not k for k in key.strip().split(".")):
            raise ScenarioError(f"--set {pair}: expected KEY.PATH=VALUE, e.g. "
                                "factories.us_drones.capacity_per_day=500")
        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise ScenarioError(f"--set {pair}: the value is not valid YAML") from None
        node = out
        *parents, leaf = key.strip().split(".")
        for k in parents:
            node = node.setdefault(k, {})
            if not isinstance(node, dict):
                raise ScenarioError(f"--set {pair}: '{k}' is set twice")
        node[leaf] = value
    return out


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Read, merge and validate a scenario file; raise :class:`ScenarioError` on any problem."""
    path = Path(path)
    prov: Provenance = {}
    data = _load_layers(path, (), prov)
    if "name" not in _read_yaml(path.resolve()):
        data["name"] = path.stem
    if overrides:
        data = _deep_merge(data, overrides, prov, "--set")
    return scenario_from_dict(data, source=str(path), provenance=prov)


def scenario_from_dict(data: dict[str, Any], source: str = "<scenario>",
                       provenance: Provenance | None = None) -> Scenario:
    """Validate a plain mapping (already merged) into a :class:`Scenario`."""
    provenance = provenance or {}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_format_validation(exc, source, provenance)) from None
    problems = check_references(scenario)
    if problems:
        raise ScenarioError([f"{_origin(_split_path(p), source, provenance)}: {p}: {msg}"
                             for p, msg in problems])
    return scenario


def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.replace("[", ".").replace("]", "").split("."))


def _origin(path: tuple[str, ...], source: str, prov: Provenance) -> str:
    for n in range(len(path), 0, -1):
        hit = prov.get(path[:n])
        if hit:
            return hit
    prefixed = [f for p, f in prov.items() if p[: len(path)] == path]
    return prefixed[-1] if prefixed else source


_LINK_TAGS = {"simple", "land", "air", "sea"}


def _format_validation(exc: ValidationError, source: str, prov: Provenance) -> list[str]:
    messages = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        if len(loc) >= 3 and loc[0] == "links" and loc[2] in _LINK_TAGS:
            del loc[2]
        loc = [x for x in loc if not x.startswith("function-")]
        key = _bracket_indices(loc)
        origin = _origin(tuple(loc), source, prov)
        kind, msg = err["type"], err["msg"]
        if kind == "extra_forbidden":
            valid = _fields_at(err["loc"][:-1])
            close = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.5)
            hint = f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(valid)}"
            messages.append(f"{origin}: {key}: unknown key; {hint}")
            continue
        if kind == "missing":
            messages.append(f"{origin}: {key}: required key is missing")
            continue
        msg = msg[0].lower() + msg[1:]
        if msg.startswith("value error, "):
            msg = msg[len("value error, "):]
        got = ""
        if "input" in err and not isinstance(err["input"], dict | list):
            got = f" (got {err['input']!r})"
        messages.append(f"{origin}: {key}: {msg}{got}")
    return messages


def _bracket_indices(loc: list[str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "(top level)"


def _fields_at(loc: tuple) -> list[str]:
    """The valid keys of the model found by walking ``loc`` from :class:`Scenario`."""
    tp: Any = Scenario
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
    if isinstance(tp, tuple):
        return []
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
