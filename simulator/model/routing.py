"""Routing: which links carry goods toward the theatre, and in which order they draw.

Each place forwards its stock along every link that leads toward the theatre; where several
leave the same place, the one on the fastest route draws first ("fastest available route").
A slower parallel route (say sealift to a hub and rail on, beside a direct airlift) is still
used: it carries what the fast one cannot. The one thing routing must prevent is goods going
round in circles, so a link that lies on a cycle of links is used only if it brings goods
strictly closer (in nominal days) to the theatre; no cycle can satisfy that all the way round.
A place may pin its outgoing links (``ship_via``), which overrides all of this for that place.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Arc:
    """What routing needs to know about a link."""

    name: str
    origin: str
    dest: str
    days: float


def days_to(target: str, arcs: Sequence[Arc]) -> dict[str, float]:
    """Shortest nominal days from every place that can reach ``target`` (Dijkstra)."""
    dist = {target: 0.0}
    heap = [(0.0, target)]
    while heap:
        d, place = heapq.heappop(heap)
        if d > dist.get(place, math.inf):
            continue
        for arc in arcs:
            if arc.dest == place and d + arc.days < dist.get(arc.origin, math.inf):
                dist[arc.origin] = d + arc.days
                heapq.heappush(heap, (d + arc.days, arc.origin))
    return dist


def _reaches(start: str, goal: str, arcs: Sequence[Arc]) -> bool:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        if here == goal:
            return True
        for arc in arcs:
            if arc.origin == here and arc.dest not in seen:
                seen.add(arc.dest)
                todo.append(arc.dest)
    return False


def route(theatre: str, arcs: Sequence[Arc],
          pinned: Mapping[str, Sequence[str] | None]) -> list[Arc]:
    """The arcs that carry goods, ordered so that the fastest route from a place comes first.

    >>> arcs = [Arc("sealift", "us", "hub", 12.0), Arc("rail", "hub", "front", 2.0),
    ...         Arc("airlift", "us", "front", 1.0)]
    >>> [a.name for a in route("front", arcs, pinned={})]
    ['airlift', 'rail', 'sealift']
    """
    dist = days_to(theatre, arcs)
    used = []
    for arc in arcs:
        pins = pinned.get(arc.origin)
        if pins is not None:
            if arc.name in pins:
                used.append(arc)
            continue
        if arc.dest not in dist or arc.origin == theatre:
            continue
        closer = dist[arc.dest] < dist.get(arc.origin, math.inf)
        if closer or not _reaches(arc.dest, arc.origin, arcs):
            used.append(arc)
    return sorted(used, key=lambda a: a.days + dist.get(a.dest, math.inf))
