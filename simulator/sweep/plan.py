"""A sweep as data: postures, varied keys, design, replications and seed; from flags or YAML.

A YAML plan can name two postures and compare them pairwise at every point::

    postures:                       # paths relative to this file
      domestic: ../scenarios/indo_pacific_domestic.yaml
      allied: ../scenarios/indo_pacific_allied.yaml
    set: {horizon_days: 365}        # overrides applied to both, like --set
    vary:
      threat_zones.contested.p_attack: 0.02:0.3:5
    design: grid                    # grid | lhs | sobol (then samples: N)
    reps: 20
    seed: 1

A varied key applies to every posture that has it (the allied shipyards exist only in the
allied file); it must exist in at least one. Both postures of a run share its seed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulator.catalog import resolve_scenario
from simulator.scenario import ScenarioError, load_scenario, parse_overrides
from simulator.sweep.design import Design, make_design
from simulator.sweep.errors import SweepError
from simulator.sweep.keys import Posture, check_keys
from simulator.sweep.spec import VarySpec, parse_spec, spec_from_plan
from simulator.sweep.tasks import ScenarioModel

PLAN_KEYS = {"scenario", "postures", "set", "days", "vary", "design", "samples", "reps", "seed"}


@dataclass(frozen=True)
class SweepPlan:
    """Everything :func:`simulator.sweep.run_sweep` needs, checked against the scenarios."""

    model: ScenarioModel
    specs: list[VarySpec]
    design: Design
    reps: int
    seed: int

    def describe(self) -> dict[str, Any]:
        """Manifest entries beyond the design: specs and each posture's source file."""
        return {"specs": {s.key: s.text for s in self.specs},
                "sources": {p.name: p.source for p in self.model.bases}}


def build_plan(scenarios: dict[str, str | Path], specs: list[VarySpec], design: str,
               samples: int | None, reps: int, seed: int,
               overrides: dict[str, Any] | None = None) -> SweepPlan:
    """Load the postures, check keys and values, build the design."""
    if not 1 <= len(scenarios) <= 2:
        raise SweepError("a sweep runs one scenario, or two postures compared pairwise")
    postures = []
    for name, path in scenarios.items():
        try:
            sc = load_scenario(path, overrides or None)
        except ScenarioError as exc:
            raise SweepError(exc.messages) from None
        postures.append(Posture.from_scenario(name, sc, path))
    if len(postures) == 2:
        _check_pairable(postures)
    check_keys(specs, postures)
    whole = set().union(*(p.integer_keys([s.key for s in specs]) for p in postures))
    return SweepPlan(ScenarioModel(tuple(postures)), specs,
                     make_design(design, specs, samples, seed, whole), reps, seed)


def _check_pairable(postures: list[Posture]) -> None:
    a, b = postures
    if set(a.data["items"]) != set(b.data["items"]):
        raise SweepError(f"postures {a.name} and {b.name} have different items; their KPIs "
                         "cannot be paired")
    if a.data["horizon_days"] != b.data["horizon_days"]:
        raise SweepError(f"postures {a.name} and {b.name} cover different horizons "
                         f"({a.data['horizon_days']} vs {b.data['horizon_days']} days)")


def load_plan(path: str | Path, design: str | None = None, samples: int | None = None,
              reps: int | None = None, seed: int | None = None) -> SweepPlan:
    """Read a YAML plan; arguments given here override the plan's own values."""
    path = Path(path)
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SweepError(f"--plan {where}: file not found") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SweepError(f"--plan {where}: cannot read the plan: "
                         f"{str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise SweepError(f"{where}: expected a mapping with postures (or scenario) and vary")
    unknown = sorted(set(map(str, data)) - PLAN_KEYS)
    if unknown:
        raise SweepError(f"{where}: unknown key(s) {', '.join(unknown)}; expected "
                         f"{', '.join(sorted(PLAN_KEYS))}")
    scenarios = _plan_postures(data, path)
    vary = data.get("vary")
    if not isinstance(vary, dict) or not vary:
        raise SweepError(f"{where}: vary: expected a mapping KEY.PATH: SPEC")
    specs = [spec_from_plan(str(k), v, f"{where}: vary: {k}") for k, v in vary.items()]
    sets = data.get("set") or {}
    if not isinstance(sets, dict):
        raise SweepError(f"{where}: set: expected a mapping KEY.PATH: VALUE")
    try:  # JSON is YAML: each value goes through the same parser as --set
        overrides = parse_overrides([f"{k}={json.dumps(v)}" for k, v in sets.items()])
    except (ScenarioError, TypeError) as exc:
        raise SweepError(f"{where}: set: {exc}") from None
    if data.get("days") is not None:
        overrides["horizon_days"] = _whole(data["days"], f"{where}: days", 1)
    return build_plan(scenarios, specs, design or str(data.get("design", "grid")),
                      samples if samples is not None else _opt(data, "samples", where),
                      reps if reps is not None else _whole(data.get("reps", 10),
                                                           f"{where}: reps", 1),
                      seed if seed is not None else _whole(data.get("seed", 0),
                                                           f"{where}: seed", 0),
                      overrides)


def _plan_postures(data: dict, path: Path) -> dict[str, Path]:
    where = str(path)
    if ("scenario" in data) == ("postures" in data):
        raise SweepError(f"{where}: give either scenario: FILE or postures: {{A: FILE, B: FILE}}")
    if "scenario" in data:
        if not isinstance(data["scenario"], str):
            raise SweepError(f"{where}: scenario: expected a file path")
        file = path.parent / data["scenario"]
        return {file.stem: file}
    postures = data["postures"]
    if not isinstance(postures, dict) or len(postures) != 2 or not all(
            isinstance(v, str) for v in postures.values()):
        raise SweepError(f"{where}: postures: expected two entries NAME: FILE")
    return {str(k): path.parent / v for k, v in postures.items()}


def _whole(value: Any, where: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SweepError(f"{where}: expected a whole number >= {low}, got {value!r}")
    return value


def _opt(data: dict, key: str, where: str) -> int | None:
    return None if data.get(key) is None else _whole(data[key], f"{where}: {key}", 1)


def plan_from_args(scenario: str, vary: tuple[str, ...], design: str, samples: int | None,
                   reps: int, seed: int, sets: tuple[str, ...],
                   days: int | None) -> SweepPlan:
    """The plan of ``arsenal sweep SCENARIO --vary ...``."""
    specs = [parse_spec(v) for v in vary]
    try:
        overrides = parse_overrides(sets)
    except ScenarioError as exc:
        raise SweepError(exc.messages) from None
    if days is not None:
        overrides["horizon_days"] = days
    path = resolve_scenario(scenario)  # a file, or a bundled scenario's name (as for run)
    return build_plan({path.stem: str(path)}, specs, design, samples, reps, seed, overrides)
