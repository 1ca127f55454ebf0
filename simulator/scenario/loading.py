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
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from simulator.scenario.advice import check_applicable
from simulator.scenario.errors import ScenarioError, describe, format_validation
from simulator.scenario.limits import check_limits
from simulator.scenario.references import check_references
from simulator.scenario.schema import Scenario

Provenance = dict[tuple[str, ...], str]
"""Key path -> the file (or ``--set``) that gave it its current value."""

SET = "--set"
_NAMED = ("items", "places", "factories", "links", "fleets", "threat_zones", "shipyards",
          "components", "suppliers")


class _Loader(yaml.SafeLoader):
    """Safe YAML that also refuses a key written twice in one mapping.

    Plain YAML keeps the last duplicate silently, so a second ``factories:`` block would wipe
    out the first without a word; in a scenario that is always a mistake.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node,
                                                                         yaml.ScalarNode):
                continue
            key = self.construct_object(key_node)
            if key in seen:
                line = key_node.start_mark.line + 1
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' appears twice in the same mapping (lines "
                                f"{seen[key]} and {line}); keep one", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep)


# YAML 1.1 (PyYAML) reads 1e5 as text; scenario writers mean a number, as YAML 1.2 does.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
    list("-+0123456789"))


def _display(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _parse_yaml(text: str, where: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        line = f": line {mark.line + 1}" if mark else ""
        if "could not determine a constructor" not in (exc.problem or ""):
            raise ScenarioError(f"{where}{line}: not valid YAML: {exc.problem}") from None
        raise ScenarioError(f"{where}{line}: YAML tag not allowed: {exc.problem}; scenario "
                            "files hold plain data only (mappings, lists, numbers, text)") from None
    except yaml.reader.ReaderError as exc:
        raise ScenarioError(f"{where}: position {exc.position}: not valid YAML: character "
                            f"#x{exc.character:04x} is not allowed in a YAML file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f": line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{where}{at}: not valid YAML: {problem}") from None
    except RecursionError:
        raise ScenarioError(f"{where}: not valid YAML: nested too deeply") from None


MAX_BYTES = 4_000_000
"""Largest scenario file read (the bundled ones are a few kilobytes)."""


def _resolve(path: Path, where: str) -> Path:
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a symlink loop (Python 3.11)
        raise ScenarioError(f"{where}: cannot follow the path {str(path)!r}: a loop of symbolic "
                            "links or an unreadable folder; expected a scenario file") from None


def _read_yaml(path: Path) -> dict[str, Any]:
    """Read one scenario file: a regular file, of sane size, holding a YAML mapping.

    Nothing of a file's text is ever quoted back in a message (``extends: /etc/passwd`` must
    not print the password file); problems are named by line and column.
    """
    where = _display(path)
    if path.is_dir():
        raise ScenarioError(f"{where}: is a folder; expected a scenario file (.yaml)")
    if path.exists() and not path.is_file():
        raise ScenarioError(f"{where}: not a regular file (a device, pipe or socket); expected "
                            "a scenario file (.yaml)")
    if not path.is_file():
        raise ScenarioError(f"{where}: file not found; expected a scenario file (.yaml)")
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ScenarioError(f"{where}: larger than {MAX_BYTES // 1_000_000} MB; expected a "
                                "scenario file (.yaml)")
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{where}: byte {exc.start}: not a text file; expected UTF-8 "
                            "YAML") from None
    except OSError as exc:
        raise ScenarioError(f"{where}: cannot read file: {exc.strerror or exc}") from None
    data = _parse_yaml(text, where)
    if data is None:
        raise ScenarioError(f"{where}: (top level): the file is empty; expected a scenario "
                            "mapping (name, items, places, factories, links, theatre, ...)")
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single {type(data).__name__} value"
        raise ScenarioError(f"{where}: (top level): expected a mapping of scenario keys "
                            f"(name: ..., items: ...), got {kind}")
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
            prov[path] = source
            if isinstance(value, dict):  # a new block: remember who set each key inside it too
                out[key] = _deep_merge({}, value, prov, source, path)
            else:
                out[key] = copy.deepcopy(value)
    return out


def _forget(prov: Provenance, path: tuple[str, ...]) -> None:
    for p in [p for p in prov if p[: len(path)] == path]:
        del prov[p]


def _load_layers(path: Path, seen: tuple[Path, ...], prov: Provenance) -> dict[str, Any]:
    path = _resolve(path, _display(path))
    if path in seen:
        chain = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(f"{_display(seen[-1])}: extends: circular chain of files: {chain}; "
                            "expected a chain that ends in a file without extends:")
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        return _deep_merge({}, data, prov, _display(path))
    where = _display(path)
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(f"{where}: extends: expected the path of a scenario file, "
                            f"relative to this file, got {describe(parent)}")
    parent_path = _resolve(path.parent / parent, f"{where}: extends")
    if parent_path.suffix.lower() not in (".yaml", ".yml"):
        raise ScenarioError(f"{where}: extends: {parent!r} is not a .yaml file; expected the "
                            "path of a scenario file, relative to this file")
    if parent_path.is_dir():
        raise ScenarioError(f"{where}: extends: {parent!r} is a folder; expected the path of a "
                            "scenario file, relative to this file")
    if parent_path.exists() and not parent_path.is_file():
        raise ScenarioError(f"{where}: extends: {parent!r} is not a regular file (a device, "
                            "pipe or socket); expected the path of a scenario file")
    if not parent_path.is_file():
        raise ScenarioError(f"{where}: extends: file not found: {_display(parent_path)} "
                            f"(expected a path relative to {_display(path.parent)}/)")
    base = _load_layers(parent_path, (*seen, path), prov)
    return _deep_merge(base, data, prov, where)


def merge_overrides(into: dict[str, Any], more: dict[str, Any]) -> None:
    """Merge override mapping ``more`` into ``into`` in place, mapping by mapping.

    Several sources of overrides (levers, decisions) meet before one ``load_scenario`` call;
    the later one wins key by key, as a later ``--set`` does.
    """
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge_overrides(into[key], value)
        else:
            into[key] = value


def parse_overrides(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Turn ``["a.b.c=1", "x=[1, 2]"]`` into a nested mapping; values are parsed as YAML.

    Later pairs win over earlier ones, as later keys win in a file; ``KEY=null`` removes a key.
    """
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        parts = [k.strip() for k in key.split(".")]
        if not sep or not all(parts):
            raise ScenarioError(f"{SET} {pair}: expected KEY.PATH=VALUE, e.g. "
                                "factories.us_drones.capacity_per_day=500")
        try:
            value = _parse_yaml(raw, f"{SET} {pair}")
        except ScenarioError as exc:
            raise ScenarioError(f"{exc}; quote text values that are not plain YAML") from None
        node = out
        *parents, leaf = parts
        for k in parents:
            if not isinstance(node.get(k), dict):
                node[k] = {}
            node = node[k]
        node[leaf] = value
    return out


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Read, merge and validate a scenario file; raise :class:`ScenarioError` on any problem."""
    path = Path(path)
    prov: Provenance = {}
    data = _load_layers(path, (), prov)
    path = _resolve(path, _display(path))
    if prov.get(("name",)) != _display(path):
        data["name"] = path.stem  # a variant without its own name must not borrow its base's
        prov[("name",)] = _display(path)
    hints = []
    if overrides:
        hints = _new_names(data, overrides)
        data = _deep_merge(data, overrides, prov, SET)
    try:
        return scenario_from_dict(data, source=_display(path), provenance=prov)
    except ScenarioError as exc:
        raise ScenarioError(hints + exc.messages) from None


def absent_paths(scenario: Scenario, overrides: dict[str, Any]) -> list[str]:
    """Override paths that name something ``scenario`` does not have (for one-posture options).

    ``--set`` may add an entry; an option meant to change *one* posture (``compare --set-b``)
    may not, or a typo in a name would silently add a new plant to one side only. A path is
    absent when it runs through a named entry the scenario lacks (``factories.jp_drones``) or
    through an optional section it does not declare (``combat.break_point`` without ``combat``).

    >>> from simulator.scenario.schema import Scenario
    >>> sc = Scenario.model_validate({"name": "s", "items": {"drone": {}},
    ...     "places": {"f": {"kind": "theatre"}}, "theatre": {"place": "f", "demand_per_day": {}}})
    >>> absent_paths(sc, {"items": {"drone": {"unit_cost": 5}, "decoy": {"unit_cost": 1}},
    ...                   "combat": {"break_point": 0.4}, "horizon_days": 30})
    ['items.decoy', 'combat']
    """
    out: list[str] = []

    def walk(node: Any, over: dict[str, Any], prefix: str) -> None:
        for key, value in over.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(node, BaseModel):
                fields = type(node).model_fields
                name = next((n for n, f in fields.items() if key in (n, f.alias)), None)
                if name is None:
                    continue  # an unknown key: validation names it with a suggestion
                child = getattr(node, name)
            elif isinstance(node, dict):
                if key not in node:
                    out.append(path)
                    continue
                child = node[key]
            else:
                continue
            if isinstance(value, dict):
                if child is None:
                    out.append(path)
                else:
                    walk(child, value, path)

    walk(scenario, overrides, "")
    return out


def _new_names(data: dict[str, Any], overrides: dict[str, Any]) -> list[str]:
    """Hints for ``--set`` paths that create a named entry close to an existing one (a typo)."""
    hints = []
    for block in _NAMED:
        new, old = overrides.get(block), data.get(block)
        if not isinstance(new, dict) or not isinstance(old, dict):
            continue
        for name in new:
            if name in old or new[name] is None:
                continue
            close = difflib.get_close_matches(str(name), [str(k) for k in old], n=1)
            if close:
                hints.append(f"{SET}: {block}.{name}: no such entry in the scenario, so --set "
                             f"creates a new one; did you mean '{close[0]}'?")
    return hints


def scenario_from_dict(data: Any, source: str = "<scenario>",
                       provenance: Provenance | None = None) -> Scenario:
    """Validate a plain mapping (already merged) into a :class:`Scenario`."""
    provenance = provenance or {}

    def origin(path: tuple[str, ...], missing: bool = False) -> str:
        return _origin(path, source, provenance, missing)

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_validation(exc, origin, Scenario)) from None
    problems = check_references(scenario)
    if not problems:  # the checks below assume every name resolves
        problems = check_applicable(scenario) + check_limits(scenario)
    if problems:
        raise ScenarioError([f"{origin(_split_path(p))}: {p}: {msg}" for p, msg in problems])
    return scenario


def _split_path(path: str) -> tuple[str, ...]:
    return tuple(path.replace("[", ".").replace("]", "").split("."))


def _origin(path: tuple[str, ...], source: str, prov: Provenance, missing: bool) -> str:
    """The file that set ``path``, or the nearest enclosing key that some file set.

    A missing key is blamed on the file that first wrote its block (where it should have been);
    anything else on the last file that wrote under the path (the override that broke it).
    """
    if missing:
        path = path[:-1]
    for n in range(len(path), 0, -1):
        block = path[:n]
        if block in prov and (missing or n == len(path)):
            return prov[block]
        under = [f for p, f in prov.items() if len(p) > n and p[:n] == block]
        if under:
            return under[0] if missing else under[-1]
        if block in prov:
            return prov[block]
    return source
