"""Cross-reference checks: every name a scenario uses must exist, and goods must reach the front.

Pydantic checks each block's shape; this module checks how blocks refer to each other and
returns ``(key path, message)`` pairs so the loader can report all problems at once.
"""

from __future__ import annotations

import heapq
import math

from simulator.scenario.industry import check_industry_references
from simulator.scenario.names import name_check
from simulator.scenario.schema import Scenario, SeaLink


def reachable_from(scenario: Scenario) -> set[str]:
    """Places from which some chain of links reaches the theatre (the theatre included)."""
    reach = {scenario.theatre.place}
    changed = True
    while changed:
        changed = False
        for link in scenario.links.values():
            if link.to in reach and link.from_ not in reach:
                reach.add(link.from_)
                changed = True
    return reach


def sea_distances(sc: Scenario, source: str) -> dict[str, float]:
    """Shortest sailing distance (nm) from ``source`` to every place the sea lanes reach.

    The sea lanes are the legs of every sea link, sailable both ways: a link from ``a`` with
    legs to ``b`` then ``c`` joins a–b and b–c. ``source`` itself is at 0.
    """
    lanes: dict[str, list[tuple[str, float]]] = {}
    for link in sc.links.values():
        if isinstance(link, SeaLink):
            here = link.from_
            for leg in link.legs:
                lanes.setdefault(here, []).append((leg.to, leg.distance_nm))
                lanes.setdefault(leg.to, []).append((here, leg.distance_nm))
                here = leg.to
    dist, heap = {source: 0.0}, [(0.0, source)]
    while heap:
        d, place = heapq.heappop(heap)
        if d > dist[place]:
            continue
        for other, nm in lanes.get(place, []):
            if d + nm < dist.get(other, math.inf):
                dist[other] = d + nm
                heapq.heappush(heap, (d + nm, other))
    return dist


def home_port(sc: Scenario, fleet: str) -> str | None:
    """Where ``fleet``'s ships load: the origin of the sea link it serves (``None``: none)."""
    return next((link.from_ for link in sc.links.values()
                 if isinstance(link, SeaLink) and link.fleet == fleet), None)


def check_references(sc: Scenario) -> list[tuple[str, str]]:
    """Return every dangling name or unreachable place as ``(key path, message)``."""
    errors: list[tuple[str, str]] = []
    places, items = sc.places.keys(), sc.items.keys()

    need = name_check(errors)
    if (need("theatre.place", "place", sc.theatre.place, places)
            and sc.places[sc.theatre.place].kind != "theatre"):
        errors.append(("theatre.place", f"place '{sc.theatre.place}' must have kind: theatre "
                                        f"(it has kind: {sc.places[sc.theatre.place].kind})"))
    for block in ("demand_per_day", "initial_stock"):
        for item in getattr(sc.theatre, block):
            need(f"theatre.{block}.{item}", "item", item, items)

    for name, f in sc.factories.items():
        need(f"factories.{name}.item", "item", f.item, items)
        need(f"factories.{name}.place", "place", f.place, places)
        for i, out in enumerate(f.outages):
            if out.sites is not None and out.sites > f.sites:
                errors.append((f"factories.{name}.outages[{i}].sites",
                               f"{out.sites} sites out but the factory has only {f.sites}"))

    for name, place in sc.places.items():
        for i, link in enumerate(place.ship_via or []):
            if (need(f"places.{name}.ship_via[{i}]", "link", link, sc.links)
                    and sc.links[link].from_ != name):
                errors.append((f"places.{name}.ship_via[{i}]",
                               f"link '{link}' starts at '{sc.links[link].from_}', "
                               f"not at '{name}'"))

    fleet_users: dict[str, str] = {}
    for name, link in sc.links.items():
        ok_from = need(f"links.{name}.from", "place", link.from_, places)
        need(f"links.{name}.to", "place", link.to, places)
        if link.from_ == link.to:
            errors.append((f"links.{name}", "a link must join two different places"))
        if isinstance(link, SeaLink):
            _check_sea_link(sc, name, link, ok_from, need, errors, fleet_users)

    for name, yard in sc.shipyards.items():
        need(f"shipyards.{name}.place", "place", yard.place, places)
        if need(f"shipyards.{name}.fleet", "fleet", yard.fleet, sc.fleets):
            need(f"shipyards.{name}.ship_class", "ship class", yard.ship_class,
                 sc.fleets[yard.fleet].classes)
            home = home_port(sc, yard.fleet)
            if (home is not None and yard.place in places and all(
                    link.from_ in places for link in sc.links.values())
                    and home not in sea_distances(sc, yard.place)):
                errors.append((f"shipyards.{name}.place",
                               f"no sea route from '{yard.place}' to '{home}', the home port "
                               f"of fleet '{yard.fleet}' (ships built there sail to it along "
                               "the legs of the sea links)"))

    errors += check_industry_references(sc)
    _check_front(sc, need, errors)

    if not errors:
        reach = reachable_from(sc)
        for name, f in sc.factories.items():
            if f.place not in reach:
                errors.append((f"factories.{name}.place",
                               f"place '{f.place}' has no chain of links to the theatre "
                               f"'{sc.theatre.place}'"))
    return errors


def _check_sea_link(sc, name, link: SeaLink, ok_from, need, errors, fleet_users) -> None:
    path = f"links.{name}"
    if ok_from and sc.places[link.from_].port is None:
        errors.append((f"{path}.from", f"sealift loads at a port, but place '{link.from_}' "
                                       "has no port"))
    if link.to in sc.places and sc.places[link.to].port is None:
        errors.append((f"{path}.to", f"sealift unloads at a port, but place '{link.to}' "
                                     "has no port"))
    for i, leg in enumerate(link.legs):
        need(f"{path}.legs[{i}].to", "place", leg.to, sc.places)
        if leg.threat_zone is not None:
            need(f"{path}.legs[{i}].threat_zone", "threat zone", leg.threat_zone, sc.threat_zones)
    if link.legs[-1].to != link.to:
        errors.append((f"{path}.legs", f"the route ends at '{link.legs[-1].to}', not at the "
                                       f"link's destination '{link.to}': it is not connected"))
    if need(f"{path}.fleet", "fleet", link.fleet, sc.fleets):
        if link.fleet in fleet_users:
            errors.append((f"{path}.fleet", f"fleet '{link.fleet}' already serves link "
                                            f"'{fleet_users[link.fleet]}'; give each sea link "
                                            "its own fleet"))
        fleet_users[link.fleet] = name
        ships = sum(c.count for c in sc.fleets[link.fleet].classes.values())
        if link.convoy.min_ships > ships:
            errors.append((f"{path}.convoy.min_ships", f"a convoy needs {link.convoy.min_ships} "
                                                       f"ships but fleet '{link.fleet}' has "
                                                       f"only {ships}"))


def _check_front(sc: Scenario, need, errors: list[tuple[str, str]]) -> None:
    """Names used by the front-strike, adaptation and combat sections."""
    items = sc.items.keys()
    strikes = sc.front_strikes
    if strikes is not None:
        need("front_strikes.decoy_item", "item", strikes.decoy_item, items)
        phases = [p.name for p in sc.theatre.phases]
        for phase in strikes.by_phase:
            need(f"front_strikes.by_phase.{phase}", "theatre phase", phase, phases)
        for item in strikes.replacement:
            need(f"front_strikes.replacement.{item}", "item", item, items)
    for item in sc.adaptation:
        need(f"adaptation.{item}", "item", item, items)
    if sc.combat is not None:
        for i, item in enumerate(sc.combat.fires or []):
            demanded = sc.theatre.demand_per_day.get(item)
            if need(f"combat.fires[{i}]", "item", item, items) and not demanded:
                errors.append((f"combat.fires[{i}]", f"item '{item}' has no demand at the front "
                                                     "(theatre.demand_per_day), so it cannot "
                                                     "drive friendly fire"))
