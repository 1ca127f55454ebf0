"""The narrated timeline: one replication told as the lines a class follows.

``arsenal run SCENARIO --narrate`` prints, in order of time::

    Day 30: phase "sustained attrition" begins (demand x1)
    Day 43: pacific_sealift convoy 7 attacked in the contested zone: 2 of 9 ships lost, ...
    Day 61: drone stock at the front runs out

It reads only the result's event log (whose ``data`` carries the numbers), the scenario's
phases and the combat layer's break days (computed after the run from the series it kept, so
they are in the result's ``combat`` section rather than the log): it says exactly what the model
recorded, no more. Routine events (every convoy sailing, every site outage, every producer's
update, every strike) would drown the story: sailings are told once per link, a producer's update
once (each later one takes as long), strikes once per factory or stock they hit, a budget running
out once a year, site outages only when they leave a factory with under half its sites.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterator

from simulator.ledger import Event
from simulator.results import RunResult
from simulator.scenario.schema import Scenario

Line = tuple[float, str]


def count(x: float) -> str:
    """A whole quantity for a sentence: ``1800.4`` -> ``"1,800"``."""
    return f"{round(x):,}"


def plural(n: float, word: str) -> str:
    """``"1 ship"``, ``"2 ships"``."""
    return f"{count(n)} {word}{'' if round(n) == 1 else 's'}"


def _cargo(result: RunResult, cargo: list[float]) -> str:
    parts = [plural(q, item) for item, q in zip(result.items, cargo, strict=True) if q >= 0.5]
    return ", ".join(parts)


def _sites_down(detail: str) -> tuple[int, int] | None:
    """``"4/6 sites up"`` -> (4, 6): the factory's own summary of its state."""
    try:
        up, total = detail.split()[0].split("/")
        return int(up), int(total)
    except (ValueError, IndexError):
        return None


def _event_line(result: RunResult, e: Event, told: set[str]) -> str | None:
    d, k, s = e.data, e.kind, e.subject
    if k == "convoy_attacked":
        text = (f"{s} convoy {d['convoy']} attacked in the {d['zone']} zone: "
                f"{d['sunk']} of {plural(d['ships'], 'ship')} lost")
        cargo = _cargo(result, d["cargo_lost"])
        if cargo:
            text += f", {cargo} lost"
        if d.get("escorts_lost"):
            text += f"; {plural(d['escorts_lost'], 'escort')} lost"
        return text
    if k == "convoy_sailed" and f"sailed:{s}" not in told:
        told.add(f"sailed:{s}")
        return (f"{s}: the first convoy sails, {plural(d['ships'], 'ship')} and "
                f"{plural(d['escorts'], 'escort')} carrying {_cargo(result, d['cargo'])}")
    if k == "convoy_arrived":
        return (f"{s} convoy {d['convoy']} arrives with {plural(d['ships'], 'ship')}: "
                f"{_cargo(result, d['cargo'])}")
    if k == "port_closed_start":
        return f"port {s} struck: closed to ships"
    if k == "port_closed_end":
        return f"port {s} open again"
    if k == "link_cut_start":
        return f"{s} cut"
    if k == "link_cut_end":
        return f"{s} open again"
    if k == "aircraft_lost":
        return f"{s}: aircraft lost ({e.detail} flying)"
    if k == "ship_built":
        return f"{s} delivers a new {e.detail} ship"
    if k == "supplier_cut_start":
        return f"{s} cut off: {e.detail} deliveries stop once those already shipped arrive"
    if k == "supplier_cut_end":
        return f"{s} ships {e.detail} again"
    if k == "substitute_qualified":
        return f"{s} qualified as a substitute {e.detail}: it starts shipping"
    if k == "strike_damage_start" and f"struck:{s}" not in told:
        told.add(f"struck:{s}")
        return (f"{s}: the first strike damages one of its sites (a hit takes part of a site's "
                f"capacity until it is repaired)")
    if k == "stock_destroyed" and f"stock:{s}" not in told:
        told.add(f"stock:{s}")
        units = e.detail.split()[0]
        return f"strikes on {s} begin: {count(float(units))} units destroyed in the first hit"
    if k == "countermeasure_fielded":
        if d["number"] == 1:
            return (f"the enemy fields countermeasure 1 against the {s}s: "
                    f"their effectiveness drops {d['drop']:.0%} until an update answers it")
        return f"the enemy fields countermeasure {d['number']} against the {s}s (-{d['drop']:.0%})"
    if k == "update_arrived" and f"update:{s}" not in told:
        told.add(f"update:{s}")
        return (f"the update from {s} reaches the front, {count(d['loop_days'])} days after "
                f"countermeasure {d['number']} (each later answer takes as long)")
    if k == "budget_exhausted" and f"budget:{e.detail}" not in told:
        told.add(f"budget:{e.detail}")
        year, spent = e.detail.split(":", 1)
        return (f"the budget for {year} runs out ({spent.strip()}): "
                f"plants make only what is paid for until the next year")
    if k in ("site_outage_start", "outage_start", "site_outage_end", "outage_end"):
        state = _sites_down(e.detail)
        if state is None:
            return None
        crippled = state[0] * 2 < state[1]
        if crippled != (f"down:{s}" in told):  # told when under half its sites, and back
            told.symmetric_difference_update({f"down:{s}"})
            return f"{s}: {state[0]} of {plural(state[1], 'site')} working"
    return None


def _combat_lines(result: RunResult, scenario: Scenario) -> Iterator[Line]:
    """The day a force breaks (the combat layer's own break days)."""
    combat = result.sections.get("combat") or {}
    if scenario.combat is None:
        return
    keep = f"{scenario.combat.break_point:.0%}"
    for side, key in (("friendly", "friendly_break_day"), ("enemy", "enemy_break_day")):
        day = combat.get(key)
        if day is not None:
            yield (float(day), f"the {side} force breaks: down to {keep} of its peak strength")


def _phase_lines(scenario: Scenario, days: int) -> Iterator[Line]:
    for phase in scenario.theatre.phases:
        if 0 < phase.start_day < days:
            yield (float(math.ceil(phase.start_day)),
                   f'phase "{phase.name}" begins (demand x{phase.multiplier:g})')


def _and(words: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _stockout_lines(events: list[Event]) -> Iterator[Line]:
    """Stockouts of several items on one day are one line (they usually come together)."""
    runs_out: dict[int, list[str]] = {}
    back: dict[int, list[tuple[str, str]]] = {}
    for e in events:
        if e.kind == "stockout_start":
            runs_out.setdefault(math.floor(e.day), []).append(e.subject)
        elif e.kind == "stockout_end":
            back.setdefault(math.floor(e.day), []).append((e.subject, e.detail.split()[0]))
    # Told after the other events of their day: a stockout ends because a convoy arrived.
    late = 1.0 - 1e-9
    for day, items in runs_out.items():
        yield day + late, f"{_and(items)} stock at the front runs out"
    for day, ended in back.items():
        short = _and([f"{item}s after {plural(int(n), 'day')} short" for item, n in ended])
        yield day + late, f"the front is supplied again: {short}"


def narrate(result: RunResult, scenario: Scenario, since: float = 0.0,
            paused: bool = False) -> list[str]:
    """Every line of the story from day ``since`` on, in order of time, each ``Day N: ...``.

    ``paused``: the run stops before the horizon (``arsenal run --until``), and the last line
    says so instead of closing the campaign.
    """
    told: set[str] = set()
    lines: list[Line] = list(_phase_lines(scenario, result.days))
    for e in result.events:
        text = _event_line(result, e, told)
        if text:
            lines.append((e.day, text))
    lines.extend(_stockout_lines(result.events))
    lines.extend(_combat_lines(result, scenario))
    lines.sort(key=lambda x: x[0])  # stable: phases come before the events of their day
    out = [f"Day {math.floor(day)}: {text}" for day, text in lines if day >= since]
    out.append(_closing(result, paused))
    return out


def _closing(result: RunResult, paused: bool = False) -> str:
    fills = ", ".join(f"{item} {k['fill_rate']:.0%}" for item, k in result.kpis.items())
    t = result.transport
    ships = ""
    if t.get("ships_start", 0) or t.get("ships_built", 0):
        ships = (f"; {plural(t.get('ships_lost', 0), 'ship')} lost, "
                 f"{plural(t.get('ships_built', 0), 'ship')} built")
    if paused:
        return f"Day {result.days}: paused. Share of demand met so far: {fills}{ships}."
    return f"Day {result.days}: the campaign ends. Share of demand met: {fills}{ships}."


def tell(lines: list[str], echo: Callable[[str], None], pace: float = 0.0,
         sleep: Callable[[float], None] = time.sleep,
         on_closed: Callable[[], None] | None = None) -> None:
    """Print the lines, waiting ``pace`` seconds between days (0: all at once).

    A reader that stops early (``| head -31``) ends the story quietly: ``on_closed`` (default:
    stdout pointed at the null device) instead of an error on a closed pipe.
    """
    previous = None
    try:
        for line in lines:
            day = line.split(":", 1)[0]
            if pace > 0 and previous is not None and day != previous:
                sleep(pace)
            echo(line)
            previous = day
    except BrokenPipeError:
        (on_closed or _silence_stdout)()


def _silence_stdout() -> None:
    """Point stdout at the null device (Python's advice for a closed pipe)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
