"""Parse what a user writes after ``--vary KEY=``: a list, a grid range or sampling bounds.

Three forms, chosen so that the shape of the text says what the sweep will do with it:

- ``[2,4,8]`` (or a single number): exactly these values;
- ``0:0.3:7``: ``linspace(0, 0.3, 7)``, seven evenly spaced values, both ends included;
- ``0.0..0.3``: bounds, for the sampling designs (``lhs``, ``sobol``) to draw from.

>>> parse_spec("p=0:0.3:4").values
(0.0, 0.1, 0.2, 0.3)
>>> parse_spec("p=0.05..0.3").bounds
(0.05, 0.3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from simulator.sweep.errors import SweepError

MAX_VALUES = 10_000
"""Most values one grid key may take (a typo such as ``0:1:1e9`` must not hang the parser)."""


@dataclass(frozen=True)
class VarySpec:
    """One varied key: either a finite set of ``values`` or sampling ``bounds`` (lo, hi)."""

    key: str
    text: str
    values: tuple[float, ...] | None = None
    bounds: tuple[float, float] | None = None

    @property
    def is_bounds(self) -> bool:
        """True for ``LO..HI`` (sampled), False for a list or a range (gridded)."""
        return self.bounds is not None

    def checked_values(self) -> tuple[float, ...]:
        """The values to validate against the scenario: the list, or both bounds."""
        return self.values if self.values is not None else tuple(self.bounds or ())


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise SweepError(f"{where}: expected a number, got {raw!r}")
    value = float(raw)
    if not math.isfinite(value):
        raise SweepError(f"{where}: expected a finite number, got {raw!r}")
    return value


def _parse_text(key: str, text: str, where: str) -> VarySpec:
    body = text.strip()
    hint = "expected a list [2,4,8], a range START:STOP:COUNT (0:0.3:7) or bounds LO..HI"
    if not body:
        raise SweepError(f"{where}: empty spec; {hint}")
    if ".." in body:
        lo_raw, _, hi_raw = body.partition("..")
        lo, hi = (_scalar(lo_raw, where, hint), _scalar(hi_raw, where, hint))
        if not lo < hi:
            raise SweepError(f"{where}: bounds must have LO < HI, got {lo:g}..{hi:g}")
        return VarySpec(key, text, bounds=(lo, hi))
    if ":" in body:
        parts = body.split(":")
        if len(parts) != 3:
            raise SweepError(f"{where}: a range has three parts START:STOP:COUNT; {hint}")
        start, stop = _scalar(parts[0], where, hint), _scalar(parts[1], where, hint)
        count = _scalar(parts[2], where, hint)
        if count != int(count) or not 1 <= count <= MAX_VALUES:
            raise SweepError(f"{where}: COUNT must be a whole number from 1 to {MAX_VALUES:,}, "
                             f"got {parts[2].strip()}")
        if count == 1 and start != stop:
            raise SweepError(f"{where}: a range of 1 value needs START = STOP; use COUNT >= 2")
        values = np.linspace(start, stop, int(count))
        return VarySpec(key, text, values=tuple(_tidy(v) for v in values))
    try:
        raw = yaml.safe_load(body)
    except yaml.YAMLError:
        raise SweepError(f"{where}: cannot parse {body!r}; {hint}") from None
    return _from_value(key, raw, text, where, hint)


def _tidy(value: float) -> float:
    """Trim float noise (0.30000000000000004 -> 0.3): values users read."""
    return float(f"{value:.12g}")


def _scalar(raw: str, where: str, hint: str) -> float:
    try:
        value = yaml.safe_load(raw.strip()) if raw.strip() else None
    except yaml.YAMLError:
        value = None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            value = None
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        raise SweepError(f"{where}: {raw.strip()!r} is not a number; {hint}")
    return _number(value, where)


def _from_value(key: str, raw: Any, text: str, where: str, hint: str) -> VarySpec:
    if isinstance(raw, list):
        if not raw:
            raise SweepError(f"{where}: empty list; {hint}")
        if len(raw) > MAX_VALUES:
            raise SweepError(f"{where}: {len(raw):,} values; at most {MAX_VALUES:,} per key")
        values = tuple(_number(v, where) for v in raw)
        if len(set(values)) != len(values):
            raise SweepError(f"{where}: a value appears twice in the list")
        return VarySpec(key, text, values=values)
    if isinstance(raw, str):
        return _parse_text(key, raw, where) if raw.strip() != text.strip() else _bad(where, hint)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return VarySpec(key, text, values=(_number(raw, where),))
    return _bad(where, hint)


def _bad(where: str, hint: str) -> VarySpec:
    raise SweepError(f"{where}: cannot parse the spec; {hint}")


def parse_spec(arg: str) -> VarySpec:
    """Parse one ``KEY=SPEC`` command-line argument."""
    key, sep, text = arg.partition("=")
    key = key.strip()
    where = f"--vary {arg}"
    if not sep or not key or any(not part for part in key.split(".")):
        raise SweepError(f"{where}: expected KEY.PATH=SPEC, e.g. "
                         "threat_zones.contested.p_attack=0.05..0.3")
    return _parse_text(key, text, where)


def spec_from_plan(key: str, raw: Any, where: str) -> VarySpec:
    """A spec from a YAML plan, where a list or a number may already be parsed."""
    hint = "expected a list [2,4,8], a range START:STOP:COUNT (0:0.3:7) or bounds LO..HI"
    if isinstance(raw, str):
        return _parse_text(key, raw, where)
    return _from_value(key, raw, str(raw), where, hint)
