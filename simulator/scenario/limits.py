"""Limits on values that are valid but cannot be simulated: refused before anything runs.

The schema accepts any positive number, and rightly so: no one can say where a plausible
capacity ends. But some values make a replication impossible rather than wrong: a failure every
microsecond (``mtbf_days: 1e-6``) means billions of events and a run that never ends; ten
million ships a year fill the memory; ``1e308`` units a day overflow to infinity in the first
sum; a ship count of ``10**30`` is not an integer any array can hold. Each is caught here with
the key that causes it and the bound it broke, so the user gets exit 2 and a sentence instead of
a hang or a traceback. The bounds sit orders of magnitude beyond any bundled scenario.
"""

from __future__ import annotations

import math
from typing import Any

from simulator.scenario.schema import AirLink, Disruptions, LandLink, Scenario, SeaLink

MAX_VALUE = 1e12
"""Largest number anywhere in a scenario: a trillion units a day, a trillion per item."""
MAX_COUNT = 1_000_000
"""Largest count (sites, berths, ships of a class, escorts, aircraft)."""
MIN_SIZE = 1e-6
"""Smallest footprint, payload, ship capacity, speed or port rate: smaller ones overflow the
divisions that turn cargo units into item counts and volumes into days."""
MAX_SHIPS = 100_000
"""Ships in one replication, from the fleets and every shipyard over the horizon."""
MAX_EVENTS = 10_000_000
"""Simulation events one replication may need (estimated): about ten seconds of SimPy."""

_SIZES = ("cargo_footprint", "payload", "cargo_capacity", "speed_knots", "load_rate_per_day",
          "unload_rate_per_day")
_COUNTS = ("sites", "berths", "count", "escorts", "aircraft", "min_ships")


def _numbers(data: Any, path: str = "") -> list[tuple[str, str, float | int]]:
    """Every number in a dumped scenario as ``(key path, key, value)``."""
    out: list[tuple[str, str, float | int]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _numbers(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _numbers(value, f"{path}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        key = path.rsplit(".", 1)[-1].split("[", 1)[0]
        out.append((path, key, data))
    return out


def _value_errors(sc: Scenario) -> list[tuple[str, str]]:
    errors = []
    for path, key, value in _numbers(sc.model_dump(mode="python", by_alias=True)):
        if key in _COUNTS and value > MAX_COUNT:
            errors.append((path, f"{value:,} is beyond what one replication can simulate "
                                 f"(at most {MAX_COUNT:,})"))
        elif abs(value) > MAX_VALUE:
            errors.append((path, f"{value:g} is beyond the range the model is built for "
                                 f"(at most {MAX_VALUE:g}); use smaller units"))
        elif key in _SIZES and 0 < value < MIN_SIZE:
            errors.append((path, f"{value:g} is too small to simulate (at least {MIN_SIZE:g})"))
    return errors


def _cycle_events(horizon: int, cfg: Disruptions | None, mtbf: float | None,
                  mttr: float | None, copies: int = 1) -> float:
    """Events of ``copies`` independent fail/repair cycles over the horizon (two per cycle)."""
    if cfg is not None:
        mtbf, mttr = cfg.mtbf_days, cfg.mttr_days
    if mtbf is None or mttr is None:
        return 0.0
    return 2.0 * copies * horizon / (mtbf + mttr)


def _estimates(sc: Scenario) -> tuple[list[tuple[str, float]], float]:
    """``(key path, events)`` for each source of events, and the ships one replication holds."""
    h = sc.horizon_days
    events: list[tuple[str, float]] = []
    for name, f in sc.factories.items():
        events.append((f"factories.{name}.mtbf_days",
                       _cycle_events(h, None, f.mtbf_days, f.mttr_days, f.sites)))
    for name, place in sc.places.items():
        if place.port is not None:
            events.append((f"places.{name}.port.strikes.mtbf_days",
                           _cycle_events(h, place.port.strikes, None, None)))
    fleet_ships = {f: sum(c.count for c in fleet.classes.values()) + 0.0
                   for f, fleet in sc.fleets.items()}
    for yard in sc.shipyards.values():
        fleet_ships[yard.fleet] = fleet_ships.get(yard.fleet, 0.0) + (
            yard.ships_per_year * max(0.0, h - yard.start_day) / 365.0)
    for name, link in sc.links.items():
        if isinstance(link, LandLink):  # a simple link is never cut
            events.append((f"links.{name}.cuts.mtbf_days", _cycle_events(h, link.cuts, None, None)))
        elif isinstance(link, AirLink):
            events.append((f"links.{name}.sortie_days", 3.0 * h / link.sortie_days))
        elif isinstance(link, SeaLink):
            fleet = sc.fleets.get(link.fleet)
            if fleet is None:
                continue
            speed = min(c.speed_knots for c in fleet.classes.values())
            trip = 2.0 * sum(leg.distance_nm for leg in link.legs) / (speed * 24.0)
            trips = h / max(trip, 1.0 / 24.0)  # loading takes its time too: an hour at least
            events.append((f"links.{name}.legs", fleet_ships.get(link.fleet, 0.0) * trips
                           * (2 * len(link.legs) + 4)))
    return events, sum(fleet_ships.values())


def check_limits(sc: Scenario) -> list[tuple[str, str]]:
    """Every value that validates but cannot be simulated, as ``(key path, message)``."""
    errors = _value_errors(sc)
    if errors:  # the estimates below would only repeat these (or overflow on them)
        return errors
    events, ships = _estimates(sc)
    if ships > MAX_SHIPS:
        yards = sorted(sc.shipyards.items(), key=lambda y: -y[1].ships_per_year)
        where = f"shipyards.{yards[0][0]}.ships_per_year" if yards else "fleets"
        errors.append((where, f"one replication would hold about {ships:,.0f} ships "
                              f"(fleets plus shipyards over {sc.horizon_days} days); at most "
                              f"{MAX_SHIPS:,} can be simulated"))
        return errors
    total = sum(n for _, n in events)
    if not math.isfinite(total) or total > MAX_EVENTS:
        path, worst = max(events, key=lambda e: e[1])
        errors.append((path, f"one replication would need about {total:.3g} simulation events "
                             f"({worst:.3g} from this key); at most {MAX_EVENTS:.0e} can run in "
                             "reasonable time: these intervals are too short for the horizon"))
    return errors
