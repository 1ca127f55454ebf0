"""The animated map of one replication: an offline web page with play, pause and a day slider.

Plotly fetches its coastlines from a CDN unless ``window.PlotlyGeoAssets`` already holds them;
the page embeds the bundled ``world_110m.json`` there, so it works without a network, from a
file, on a projector in a classroom with no Wi-Fi.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import plotly.graph_objects as go

from simulator.classroom.replay import Point, Replay

KIND_COLOURS = {"domestic": "#D55E00", "allied": "#0072B2", "theatre": "#000000",
                "waypoint": "#999999"}
STOCK, CONVOY, SUNK, STRUCK = "#009E73", "#0072B2", "#CC0000", "#E69F00"
FONT = 18
ANIMATED = [2, 3, 4, 5]  # indices of the traces each frame replaces


def world_topojson() -> str:
    """The bundled coastlines (Natural Earth 1:110 M, Plotly's TopoJSON layout)."""
    return resources.files("simulator.classroom").joinpath("data/world_110m.json").read_text()


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


def _lines(paths: list[list[Point]]) -> tuple[list, list]:
    lat: list = []
    lon: list = []
    for path in paths:
        lat += [p[0] for p in path] + [None]
        lon += [_wrap(p[1]) for p in path] + [None]
    return lat, lon


def _animated(replay: Replay, k: int) -> list[go.Scattergeo]:
    f = replay.frames[k]
    names = list(replay.places)
    heights = replay.bar_heights(f.stock)
    bars = [[replay.places[n], (replay.places[n][0] + float(heights[j]), replay.places[n][1])]
            for j, n in enumerate(names) if f.stock[j] > 0]
    bar_lat, bar_lon = _lines(bars)
    return [
        go.Scattergeo(lat=bar_lat, lon=bar_lon, mode="lines",
                      name=f"{replay.item} stock (bar ∝ √units)",
                      line={"color": STOCK, "width": 10}, hoverinfo="skip"),
        go.Scattergeo(lat=[p[0] for p, _ in f.convoys], lon=[_wrap(p[1]) for p, _ in f.convoys],
                      text=[t for _, t in f.convoys], mode="markers", name="convoys",
                      marker={"size": 16, "color": CONVOY, "symbol": "triangle-up",
                              "line": {"color": "white", "width": 1}}, hoverinfo="text"),
        go.Scattergeo(lat=[p[0] for p, _ in f.sunk], lon=[_wrap(p[1]) for p, _ in f.sunk],
                      text=[t for _, t in f.sunk], mode="markers", name="ships sunk",
                      marker={"size": 14, "color": SUNK, "symbol": "x"}, hoverinfo="text"),
        go.Scattergeo(lat=[replay.places[n][0] for n in f.struck],
                      lon=[_wrap(replay.places[n][1]) for n in f.struck],
                      text=[f"{n}: struck" for n in f.struck], mode="markers",
                      name="struck (port closed, plant site down)",
                      marker={"size": 26, "color": STRUCK, "symbol": "star",
                              "opacity": 0.8}, hoverinfo="text"),
    ]


def _title(replay: Replay, k: int) -> str:
    f = replay.frames[k]
    depot = list(replay.places).index(replay.theatre)
    return (f"Day {f.day:.0f}: {replay.item} stock at the front {f.stock[depot]:,.0f}; "
            f"ships lost so far {f.ships_lost}")


def map_figure(replay: Replay, frame_ms: int = 120) -> go.Figure:
    """Routes and places, then the animated layers; play, pause and a day slider."""
    route_lat, route_lon = _lines(list(replay.routes.values()))
    names = list(replay.places)
    static = [
        go.Scattergeo(lat=route_lat, lon=route_lon, mode="lines", name="routes",
                      line={"color": "#888888", "width": 2}, hoverinfo="skip"),
        go.Scattergeo(lat=[replay.places[n][0] for n in names],
                      lon=[_wrap(replay.places[n][1]) for n in names],
                      text=[n if replay.kinds[n] != "waypoint" else "" for n in names],
                      hovertext=names, hoverinfo="text", mode="markers+text",
                      textposition="bottom center", textfont={"size": FONT - 4},
                      name="places", showlegend=False,
                      marker={"size": 11, "color": [KIND_COLOURS[replay.kinds[n]]
                                                    for n in names]}),
    ]
    frames = [go.Frame(data=_animated(replay, k), traces=ANIMATED, name=str(k),
                       layout={"title": {"text": _title(replay, k)}})
              for k in range(len(replay.frames))]
    lats = [p[0] for p in replay.places.values()]
    lons = [p[1] for p in replay.places.values()]
    fig = go.Figure(data=static + _animated(replay, 0), frames=frames)
    steps = [{"method": "animate", "label": f"{f.day:.0f}",
              "args": [[str(k)], {"frame": {"duration": 0, "redraw": True},
                                  "mode": "immediate", "transition": {"duration": 0}}]}
             for k, f in enumerate(replay.frames)]
    fig.update_layout(
        title={"text": _title(replay, 0), "font": {"size": FONT + 4}, "y": 0.99,
               "yanchor": "top"},
        font={"size": FONT}, height=780, margin={"l": 10, "r": 10, "t": 100, "b": 10},
        legend={"orientation": "h", "y": 1.0, "x": 0.0, "yanchor": "bottom"},
        geo={"projection": {"type": "equirectangular"},
             "center": {"lon": _wrap((min(lons) + max(lons)) / 2),
                        "lat": (min(lats) + max(lats)) / 2},
             "lonaxis": {"range": [min(lons) - 8, max(lons) + 8]},
             "lataxis": {"range": [min(lats) - 8, max(lats) + 16]},
             "showland": True, "landcolor": "#eeeeee", "showocean": True,
             "oceancolor": "#f7fbff", "showcountries": True, "countrycolor": "#cccccc",
             "coastlinecolor": "#999999", "resolution": 110},
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": 0.0,
                      "xanchor": "left", "yanchor": "top", "pad": {"t": 40},
                      "buttons": [
                          {"label": "Play", "method": "animate",
                           "args": [None, {"frame": {"duration": frame_ms, "redraw": True},
                                           "fromcurrent": True,
                                           "transition": {"duration": 0}}]},
                          {"label": "Pause", "method": "animate",
                           "args": [[None], {"frame": {"duration": 0, "redraw": False},
                                             "mode": "immediate"}]}]}],
        sliders=[{"active": 0, "steps": steps, "x": 0.12, "len": 0.88, "y": 0.0,
                  "yanchor": "top", "pad": {"t": 30},
                  "currentvalue": {"prefix": "day ", "font": {"size": FONT}}}],
    )
    return fig


def geo_assets_script() -> str:
    """A ``<script>`` that hands Plotly the bundled coastlines (so it fetches nothing)."""
    topo = json.dumps(json.loads(world_topojson()), separators=(",", ":"))
    return f"<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {topo}}}}};</script>"


def write_html(fig: go.Figure, path: Path) -> Path:
    """A self-contained page (Plotly and the coastlines inline): opens from a file, offline."""
    html = fig.to_html(full_html=True, include_plotlyjs=True, div_id="map", auto_play=False,
                       config={"responsive": True})
    html = html.replace("<head>", "<head>" + geo_assets_script(), 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
