"""One replication laid out on the map, frame by frame: the data the map replay draws.

Everything comes from the result (daily stocks, the event log) and the scenario (where places
are, the legs of each sea route): a convoy's position is where its ``convoy_sailed``,
``convoy_arrived``, ``convoy_returning`` and ``convoy_home`` events and its speed put it along
its route's legs, which is exactly how the model sails it (a leg takes
``distance_nm / (24 * speed_knots)`` days). Within a leg the position is on the great circle
between the leg's ends, the line the map draws (a drawing convenience: real routes bend).

Longitudes are *unwrapped* around the theatre (a route from Hawaii to Guam crosses 180°, and is
drawn the short way): every longitude is within 180° of the theatre's.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from simulator.results import RunResult
from simulator.scenario.schema import Scenario
from simulator.scenario.schema import SeaLink as SeaLinkConfig


class NoCoordinates(ValueError):
    """The scenario's places lack the ``lat``/``lon`` a map needs."""


Point = tuple[float, float]  # (lat, lon), lon unwrapped


@dataclass(frozen=True)
class Track:
    """One convoy's round trip: the route's points, leg lengths, and its timetable."""

    link: str
    number: int
    points: list[Point]
    legs_nm: list[float]
    speed_nm_per_day: float
    sailed: float
    arrived: float | None
    returning: float | None
    home: float | None
    losses: list[tuple[float, int]] = field(default_factory=list)  # (day, ships sunk)
    ships: int = 0

    def ships_at(self, t: float) -> int:
        """Ships still afloat in the convoy at ``t``."""
        return self.ships - sum(n for day, n in self.losses if day <= t)

    def position(self, t: float) -> Point | None:
        """Where the convoy is at day ``t`` (``None`` before it sails, once home or sunk)."""
        if t < self.sailed or (self.home is not None and t >= self.home):
            return None
        if self.ships_at(t) <= 0:
            return None
        if self.returning is not None and t >= self.returning:
            return _along(self.points[::-1], self.legs_nm[::-1],
                          (t - self.returning) * self.speed_nm_per_day)
        return _along(self.points, self.legs_nm, (t - self.sailed) * self.speed_nm_per_day)


def _along(points: list[Point], legs: list[float], nm: float) -> Point:
    """The point ``nm`` nautical miles along the legs.

    Each leg has its length from the scenario; within it the point is on the great circle, the
    line the map draws.
    """
    for (a, b), length in zip(itertools.pairwise(points), legs, strict=True):
        if nm <= length:
            return great_circle(a, b, nm / length)
        nm -= length
    return points[-1]


def great_circle(a: Point, b: Point, f: float) -> Point:
    """The point a fraction ``f`` of the way from ``a`` to ``b`` on the great circle.

    >>> great_circle((0.0, 0.0), (0.0, 90.0), 0.5)
    (0.0, 45.0)
    """
    va, vb = _xyz(a), _xyz(b)
    angle = math.acos(max(-1.0, min(1.0, float(va @ vb))))
    if angle < 1e-12:
        return a
    v = (math.sin((1 - f) * angle) * va + math.sin(f * angle) * vb) / math.sin(angle)
    lat = math.degrees(math.asin(max(-1.0, min(1.0, float(v[2])))))
    lon = math.degrees(math.atan2(float(v[1]), float(v[0])))
    return (round(lat, 9), round(unwrap(lon, a[1]), 9))


def _xyz(p: Point) -> np.ndarray:
    lat, lon = math.radians(p[0]), math.radians(p[1])
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


@dataclass(frozen=True)
class Frame:
    """The state drawn at one instant."""

    day: float
    convoys: list[tuple[Point, str]]  # position, label
    stock: np.ndarray  # per place, units of the item shown (end of the day before)
    struck: list[str]  # places with a closed port or a factory site down
    sunk: list[tuple[Point, str]]  # every attack with losses so far: position, label
    ships_lost: int


@dataclass(frozen=True)
class Replay:
    """A replication's map: fixed places and routes, and the frames."""

    scenario: str
    seed: int
    item: str
    places: dict[str, Point]
    kinds: dict[str, str]
    theatre: str
    routes: dict[str, list[Point]]  # link -> points
    frames: list[Frame]
    stock_max: float

    def bar_heights(self, stock: np.ndarray, degrees: float = 12.0) -> np.ndarray:
        """Stock bars' heights in degrees of latitude, proportional to the *square root* of stock.

        So a thin stock at the front stays visible beside a pile at a home port.
        """
        if self.stock_max <= 0:
            return np.zeros_like(stock)
        return degrees * np.sqrt(np.maximum(stock, 0.0) / self.stock_max)


def coordinates(sc: Scenario) -> dict[str, Point]:
    """Each place's (lat, lon), longitudes unwrapped to within 180° of the theatre's."""
    missing = [n for n, p in sc.places.items() if p.lat is None]
    if missing:
        raise NoCoordinates(f"{sc.name}: places without lat/lon: {', '.join(missing)} "
                            "(the map needs both for every place)")
    centre = sc.places[sc.theatre.place].lon
    return {n: (p.lat, unwrap(p.lon, centre)) for n, p in sc.places.items()}


def unwrap(lon: float, centre: float) -> float:
    """``lon`` shifted by whole turns to lie within 180° of ``centre``."""
    return (lon - centre + 180.0) % 360.0 - 180.0 + centre


def routes(sc: Scenario, where: dict[str, Point]) -> dict[str, list[Point]]:
    """The points of every link: a sea link through its legs' places, others straight."""
    out = {}
    for name, link in sc.links.items():
        stops = [link.from_, *(leg.to for leg in link.legs)] if isinstance(
            link, SeaLinkConfig) else [link.from_, link.to]
        out[name] = [where[s] for s in stops]
    return out


def tracks(sc: Scenario, result: RunResult, where: dict[str, Point]) -> list[Track]:
    """Every convoy's round trip, from the event log."""
    by_key: dict[tuple[str, int], dict] = {}
    for e in result.events:
        if not e.kind.startswith("convoy_"):
            continue
        rec = by_key.setdefault((e.subject, e.data["convoy"]), {"losses": []})
        if e.kind == "convoy_sailed":
            rec.update(sailed=e.day, ships=e.data["ships"], speed=e.data["speed_knots"])
        elif e.kind == "convoy_attacked":
            rec["losses"].append((e.day, e.data["sunk"]))
        else:
            rec[e.kind.removeprefix("convoy_")] = e.day
    out = []
    for (link, number), rec in by_key.items():
        cfg = sc.links[link]
        stops = [cfg.from_, *(leg.to for leg in cfg.legs)]
        out.append(Track(link, number, [where[s] for s in stops],
                         [leg.distance_nm for leg in cfg.legs], 24.0 * rec["speed"],
                         rec["sailed"], rec.get("arrived"), rec.get("returning"),
                         rec.get("home"), rec["losses"], rec["ships"]))
    return out


def _struck(sc: Scenario, result: RunResult, t: float) -> list[str]:
    """Places with a port closed or a factory site out at ``t`` (from the event log)."""
    where = {name: f.place for name, f in sc.factories.items()}
    down: dict[str, int] = {}
    for e in result.events:
        if e.day > t:
            break
        place = e.subject if e.kind.startswith("port_closed") else where.get(e.subject)
        if place is None:
            continue
        if e.kind in ("port_closed_start", "site_outage_start", "outage_start"):
            down[place] = down.get(place, 0) + 1
        elif e.kind in ("port_closed_end", "site_outage_end", "outage_end"):
            down[place] = down.get(place, 0) - 1
    return sorted(p for p, n in down.items() if n > 0)


def build(sc: Scenario, result: RunResult, item: str | None = None,
          step_days: float = 3.0) -> Replay:
    """Frames every ``step_days`` from day 0 to the horizon."""
    where = coordinates(sc)
    item = item or next(iter(sc.theatre.demand_per_day), result.items[0])
    i = result.items.index(item)
    convoys = tracks(sc, result, where)
    attacks = []
    for tr in convoys:
        for day, n in tr.losses:
            pos = tr.position(day - 1e-9) or tr.points[-1]
            attacks.append((day, pos, f"day {math.floor(day)}: {tr.link} convoy {tr.number}, "
                                      f"{n} sunk"))
    frames = []
    for t in np.arange(0.0, result.days + 1e-9, step_days):
        row = min(math.floor(t), result.days)
        live = [(p, f"{tr.link} convoy {tr.number}: {tr.ships_at(t)} ships")
                for tr in convoys if (p := tr.position(t)) is not None]
        sunk = [(p, label) for day, p, label in attacks if day <= t]
        lost = sum(n for tr in convoys for day, n in tr.losses if day <= t)
        frames.append(Frame(float(t), live, result.stock[row, :, i].copy(),
                            _struck(sc, result, t), sunk, lost))
    return Replay(sc.name, result.seed, item, where,
                  {n: p.kind for n, p in sc.places.items()}, sc.theatre.place,
                  routes(sc, where), frames, float(result.stock[:, :, i].max()))
