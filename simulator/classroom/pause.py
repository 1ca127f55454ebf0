"""Pause and decide: stop a campaign on a day, change levers, carry on.

``arsenal run SCENARIO --until DAY`` runs the campaign to ``DAY`` and saves a *paused campaign*:
a folder with the resolved scenario (``scenario.resolved.yaml``) and ``state.json`` (seed, the
day, the horizon and the decisions taken so far). ``arsenal resume FOLDER --set KEY=VALUE``
carries on from that day with the changed levers, to the horizon or to the next ``--until``.

**Deterministic replay.** The saved state is not a memory image of the world: it is the recipe
(scenario, seed, decisions with their days). Resuming re-runs the campaign from day 0 with the
same seed, applying each decision on its day. Every component draws from its own random stream,
so the days before a decision are exactly those the class saw, and resuming with no change
gives exactly the uninterrupted run (tested). The cost is re-running the first days: tens of
milliseconds for a two-year theatre.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simulator.model import simulate
from simulator.output import atomic_write, write_scenario
from simulator.results import RunResult
from simulator.scenario import ScenarioError, load_scenario
from simulator.scenario.loading import merge_overrides
from simulator.scenario.roles import require_model_keys
from simulator.scenario.schema import Scenario

STATE = "state.json"
SCENARIO = "scenario.resolved.yaml"
FORMAT = 1


class PauseError(ValueError):
    """A paused campaign that cannot be resumed as asked (one clear message)."""


@dataclass(frozen=True)
class Decision:
    """Levers changed on ``day``: an override mapping, as ``--set`` gives."""

    day: int
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Paused:
    """A campaign stopped on ``day``; ``folder`` holds its scenario and state."""

    folder: Path
    seed: int
    day: int
    horizon: int
    decisions: list[Decision] = field(default_factory=list)

    @property
    def scenario_path(self) -> Path:
        """The scenario as it was when the campaign started (after ``extends`` and ``--set``)."""
        return self.folder / SCENARIO


def save(folder: Path, scenario: Scenario, seed: int, day: int, horizon: int,
         decisions: list[Decision]) -> Paused:
    """Write a paused campaign (atomically, file by file) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    write_scenario(folder / SCENARIO, scenario)
    state = {"format": FORMAT, "seed": seed, "day": day, "horizon": horizon,
             "decisions": [asdict(d) for d in decisions]}
    atomic_write(folder / STATE, lambda f: json.dump(state, f, indent=2))
    return Paused(folder, seed, day, horizon, list(decisions))


def load(path: str | Path) -> Paused:
    """Read a paused campaign from its folder (or its ``state.json``)."""
    path = Path(path)
    folder = path.parent if path.name == STATE else path
    state_file = folder / STATE
    try:
        state = json.loads(state_file.read_text())
        if state.get("format") != FORMAT:
            raise PauseError(f"{state_file}: written by another version of Arsenal "
                             f"(format {state.get('format')!r}, expected {FORMAT})")
        decisions = [Decision(int(d["day"]), dict(d["overrides"])) for d in state["decisions"]]
        paused = Paused(folder, int(state["seed"]), int(state["day"]), int(state["horizon"]),
                        decisions)
    except FileNotFoundError:
        raise PauseError(f"{folder}: not a paused campaign (no {STATE}; make one with "
                         "`arsenal run SCENARIO --until DAY`)") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        if isinstance(exc, PauseError):
            raise
        raise PauseError(f"{state_file}: unreadable paused campaign ({exc})") from None
    if not paused.scenario_path.exists():
        raise PauseError(f"{folder}: {SCENARIO} is missing; the paused campaign is incomplete")
    return paused


def scenarios(paused: Paused, decisions: list[Decision]) -> list[tuple[int, Scenario]]:
    """The scenario in force from each decision's day on (day 0: as started).

    Overrides accumulate: a decision keeps every earlier one and adds its own, and each
    scenario is loaded (and so checked) like a ``--set`` on the command line.
    """
    stages = [(0, load_scenario(paused.scenario_path))]
    merged: dict[str, Any] = {}
    for d in decisions:
        merge_overrides(merged, d.overrides)
        stages.append((d.day, load_scenario(paused.scenario_path, merged)))
    return stages


def replay(paused: Paused, decisions: list[Decision], days: int) -> RunResult:
    """Run the campaign from day 0 to ``days``, applying each decision on its day."""
    stages = scenarios(paused, decisions)
    changed = [(day, sc) for day, sc in stages[1:] if sc != stages[0][1]]
    if not changed:
        return simulate(stages[0][1], paused.seed, days)
    return simulate(stages[0][1], paused.seed, days, changes=changed)


def decide(paused: Paused, overrides: dict[str, Any]) -> list[Decision]:
    """The decisions so far plus today's (none when nothing is set)."""
    if not overrides:
        return list(paused.decisions)
    for key in ("horizon_days", "name"):
        if key in overrides:
            raise PauseError(f"--set {key}: cannot change on resume (use --until to stop "
                             "earlier; the horizon was fixed when the campaign started)")
    try:  # a decision on a label would change nothing from the pause day on
        require_model_keys(_paths(overrides), "changed by a decision", unknown_ok=True)
    except ScenarioError as exc:
        raise PauseError("\n".join(f"--set {m}" for m in exc.messages)) from None
    return [*paused.decisions, Decision(paused.day, overrides)]


def _paths(overrides: dict[str, Any], prefix: str = "") -> list[str]:
    """The dotted keys an override mapping sets (its leaves)."""
    out: list[str] = []
    for key, value in overrides.items():
        path = f"{prefix}{key}"
        out += _paths(value, f"{path}.") if isinstance(value, dict) and value else [path]
    return out


def check_until(paused: Paused, until: int | None) -> int:
    """The day to run to: ``until`` (after the pause, within the horizon) or the horizon."""
    if until is None:
        return paused.horizon
    if not paused.day < until <= paused.horizon:
        raise PauseError(f"--until {until}: must be after the pause (day {paused.day}) and at "
                         f"most the horizon ({paused.horizon})")
    return until




__all__ = ["Decision", "PauseError", "Paused", "ScenarioError", "check_until", "decide", "load",
           "replay", "save", "scenarios"]
