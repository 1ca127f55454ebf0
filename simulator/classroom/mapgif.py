"""The map replay as an animated GIF for slides (matplotlib and Pillow, no browser).

Same frames and colours as the web page (:mod:`.mapfig`), on a plain latitude/longitude grid
centred on the theatre, with the bundled Natural Earth coastlines.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from simulator.classroom.mapfig import CONVOY, KIND_COLOURS, STOCK, STRUCK, SUNK, world_topojson
from simulator.classroom.replay import Replay, great_circle, unwrap


def coastlines(centre: float) -> list[np.ndarray]:
    """Coastline polylines as (lon, lat) arrays, unwrapped around ``centre``.

    A line that would jump across the map's edge is split there.
    """
    topo = json.loads(world_topojson())
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    wanted: set[int] = set()

    def collect(arcs) -> None:
        for a in arcs:
            if isinstance(a, list):
                collect(a)
            else:
                wanted.add(a if a >= 0 else ~a)

    for geometry in topo["objects"]["coastlines"]["geometries"]:
        collect(geometry["arcs"])
    lines = []
    for k in sorted(wanted):
        q = np.cumsum(np.asarray(topo["arcs"][k], dtype=float), axis=0)
        lon = np.array([unwrap(x, centre) for x in q[:, 0] * sx + tx])
        lat = q[:, 1] * sy + ty
        breaks = np.flatnonzero(np.abs(np.diff(lon)) > 180) + 1
        lines += [np.column_stack(part) for part in zip(np.split(lon, breaks),
                                                         np.split(lat, breaks), strict=True)]
    return lines


def _route_points(points: list[tuple[float, float]], per_leg: int = 24) -> np.ndarray:
    out = [great_circle(a, b, f) for a, b in itertools.pairwise(points)
           for f in np.linspace(0, 1, per_leg)]
    return np.array([(p[1], p[0]) for p in out])  # (lon, lat)


def write_gif(replay: Replay, path: Path, every: int = 2, fps: int = 8) -> Path:
    """Every ``every``-th frame of the replay as a GIF (large fonts, few colours)."""
    names = list(replay.places)
    lat = np.array([replay.places[n][0] for n in names])
    lon = np.array([replay.places[n][1] for n in names])
    centre = replay.places[replay.theatre][1]
    fig = Figure(figsize=(11, 6.5), dpi=80)
    FigureCanvasAgg(fig)  # an off-screen canvas: no window, no pyplot state
    ax = fig.add_subplot()
    for line in coastlines(centre):
        ax.plot(line[:, 0], line[:, 1], color="#aaaaaa", linewidth=0.6, zorder=1)
    for points in replay.routes.values():
        r = _route_points(points)
        ax.plot(r[:, 0], r[:, 1], color="#888888", linewidth=1.5, zorder=2)
    ax.scatter(lon, lat, s=60, zorder=5, c=[KIND_COLOURS[replay.kinds[n]] for n in names])
    for n, x, y in zip(names, lon, lat, strict=True):
        if replay.kinds[n] != "waypoint":
            ax.annotate(n, (x, y), textcoords="offset points", xytext=(0, -16), ha="center",
                        fontsize=11)
    ax.set_xlim(lon.min() - 8, lon.max() + 8)
    ax.set_ylim(lat.min() - 8, lat.max() + 16)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    bars = ax.bar(lon, np.zeros(len(names)), bottom=lat, width=2.0, color=STOCK, zorder=4,
                  label=f"{replay.item} stock (∝ √units)")
    convoys = ax.scatter([], [], marker="^", s=140, color=CONVOY, zorder=6, label="convoys")
    sunk = ax.scatter([], [], marker="x", s=110, color=SUNK, zorder=6, label="ships sunk")
    struck = ax.scatter([], [], marker="*", s=420, color=STRUCK, alpha=0.8, zorder=3,
                        label="struck")
    ax.legend(loc="upper left", ncols=4, fontsize=11, frameon=False)
    depot = names.index(replay.theatre)
    frames = replay.frames[::every]

    def draw(k: int):
        f = frames[k]
        for bar, h in zip(bars, replay.bar_heights(f.stock), strict=True):
            bar.set_height(h)
        convoys.set_offsets(np.array([(p[1], p[0]) for p, _ in f.convoys]).reshape(-1, 2))
        sunk.set_offsets(np.array([(p[1], p[0]) for p, _ in f.sunk]).reshape(-1, 2))
        struck.set_offsets(np.array([(replay.places[n][1], replay.places[n][0])
                                     for n in f.struck]).reshape(-1, 2))
        ax.set_title(f"Day {f.day:.0f}: {replay.item} stock at the front "
                     f"{f.stock[depot]:,.0f}; ships lost so far {f.ships_lost}", fontsize=16)
        return [*bars, convoys, sunk, struck]

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.gif")
    FuncAnimation(fig, draw, frames=len(frames)).save(tmp, writer=PillowWriter(fps=fps))
    tmp.replace(path)
    return path
