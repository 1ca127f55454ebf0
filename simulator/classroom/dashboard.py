"""``arsenal dashboard``: a local page with a slider per lever, re-running every posture live.

Why Dash: it is a maintained Plotly library whose app is a plain Flask server (no websocket
session, no separate JavaScript build, no notebook kernel), so a test can start it in a thread
and drive its page in headless Chromium with nothing but HTTP; its sliders and graphs are
ordinary DOM elements with stable ids. Panel and Solara bring a Bokeh or Jupyter-widget stack,
Streamlit re-runs a whole script per interaction over a websocket; all heavier for one page.

Below it, *Replay* draws the first replication of one posture, with the levers as set, on the
animated map of :mod:`.mapfig` (play, pause, day slider).

Each move of a slider reloads the scenarios with that lever's override keys (:mod:`.levers`),
runs a few replications of every posture on common seeds (:mod:`.quickrun`) and redraws.
A lever starts at the first scenario's own value and sets nothing until it is moved, so the
page opens on the scenarios exactly as written.
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import dash
from dash import Input, Output, State, dcc, html

from simulator.classroom.levers import LEVERS, Lever, check_levers, overrides_for
from simulator.classroom.livefig import comparison_figure
from simulator.classroom.mapfig import geo_assets_script, map_figure
from simulator.classroom.quickrun import run_postures
from simulator.classroom.replay import build
from simulator.model import simulate
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario

HOST = "127.0.0.1"


def _slider(lv: Lever, value: float, base: list[Scenario]) -> html.Div:
    marks = {v: f"{v:g}" for v in (lv.lo, lv.hi)}
    label = lv.label
    if not all(lv.applies(sc) for sc in base):
        label += f" [{', '.join(sc.name for sc in base if lv.applies(sc))} only]"
    return html.Div([
        html.Label(label, htmlFor=f"lever-{lv.name}", style={"fontSize": "18px"}),
        dcc.Slider(id=f"lever-{lv.name}", min=lv.lo, max=lv.hi, step=lv.step, value=value,
                   marks=marks, updatemode="mouseup"),
    ], style={"marginBottom": "18px"})


def build_app(paths: list[str], reps: int = 4, seed: int = 0,
              pool: Executor | None = None) -> dash.Dash:
    """The app for the scenario files ``paths`` (errors surface in ``load_scenario``).

    ``pool`` runs the replications of a redraw side by side (``None``: in the server).
    """
    check_levers(LEVERS)
    base = [load_scenario(p) for p in paths]
    levers = [lv for lv in LEVERS if any(lv.applies(sc) for sc in base)]
    start = {lv.name: next(lv.current(sc) for sc in base if lv.applies(sc)) for lv in levers}
    items = [i for i in base[0].items if all(i in sc.items for sc in base)]
    app = dash.Dash(__name__, title="Arsenal live view")
    app.layout = html.Div([
        html.H2(" vs ".join(sc.name for sc in base)),
        html.Div([
            html.Div([*(_slider(lv, start[lv.name], base) for lv in levers),
                      html.Label("Item", style={"fontSize": "18px"}),
                      dcc.Dropdown(items, items[0], id="item", clearable=False),
                      html.P(f"{reps} replication{'s' if reps > 1 else ''} per posture, seed "
                             f"{seed}, common random numbers", style={"marginTop": "18px"}),
                      html.P(id="timing", children="")],
                     style={"width": "24%", "paddingRight": "2%"}),
            html.Div(dcc.Graph(id="figure"), style={"width": "74%"}),
        ], style={"display": "flex"}),
        html.Div(_map_controls(base), style={"marginTop": "12px"}),
        dcc.Graph(id="map", figure=_placeholder()),
    ], style={"fontFamily": "sans-serif", "margin": "12px"})
    mapped = [sc for sc in base if _has_coordinates(sc)]
    if mapped:  # the map's coastlines, inline: Plotly would fetch them from a CDN
        app.index_string = app.index_string.replace("{%metas%}", "{%metas%}" + geo_assets_script())

    @app.callback(Output("map", "figure"), Input("replay", "n_clicks"),
                  State("map-posture", "value"), State("item", "value"),
                  *(State(f"lever-{lv.name}", "value") for lv in levers),
                  prevent_initial_call=True)
    def replay_map(_clicks: int, k: int, item: str, *values: float) -> Any:
        moved = {lv.name: v for lv, v in zip(levers, values, strict=True) if v != start[lv.name]}
        sc = _with_levers(paths[k], base[k], moved)
        return map_figure(build(sc, simulate(sc, seed_of_first(seed)), item, step_days=5.0),
                          frame_ms=80)

    @app.callback(Output("figure", "figure"), Output("timing", "children"),
                  Input("item", "value"), *(Input(f"lever-{lv.name}", "value") for lv in levers))
    def redraw(item: str, *values: float) -> tuple[Any, str]:
        moved = {lv.name: v for lv, v in zip(levers, values, strict=True) if v != start[lv.name]}
        scenarios = [_with_levers(path, sc, moved) for path, sc in zip(paths, base, strict=True)]
        postures, seconds = run_postures(scenarios, reps, seed, pool)
        moved_text = ", ".join(f"{k} = {v:g}" for k, v in moved.items()) or "none"
        return (comparison_figure(postures, item),
                f"levers moved: {moved_text}; simulated in {seconds:.2f} s")

    return app


def _map_controls(base: list[Scenario]) -> list[Any]:
    options = [{"label": sc.name, "value": k, "disabled": not _has_coordinates(sc)}
               for k, sc in enumerate(base)]
    first = next((k for k, sc in enumerate(base) if _has_coordinates(sc)), None)
    return [html.Label("Replay on a map (first replication, levers as set):",
                       style={"fontSize": "18px", "marginRight": "12px"}),
            html.Div(dcc.Dropdown(options, first, id="map-posture", clearable=False),
                     style={"width": "320px", "display": "inline-block",
                            "verticalAlign": "middle"}),
            html.Button("Replay", id="replay", disabled=first is None,
                        style={"fontSize": "18px", "marginLeft": "12px"})]


def _placeholder() -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    fig.update_layout(height=80, xaxis_visible=False, yaxis_visible=False,
                      template="plotly_white",
                      title="Press Replay to watch the first replication on the map")
    return fig


def _has_coordinates(sc: Scenario) -> bool:
    return all(p.lat is not None for p in sc.places.values())


def seed_of_first(seed: int):
    """Replication 0 of root ``seed``: the first campaign the figure above averages."""
    import numpy as np

    return np.random.SeedSequence(seed).spawn(1)[0]


def _with_levers(path: str, sc: Scenario, moved: dict[str, float]) -> Scenario:
    overrides = overrides_for(sc, {k: v for k, v in moved.items()})
    return load_scenario(path, overrides) if overrides else sc


def default_scenarios() -> list[str]:
    """The bundled domestic and allied Indo-Pacific postures (what a first class compares)."""
    from simulator.catalog import SCENARIO_DIR

    return [str(Path(SCENARIO_DIR) / f"indo_pacific_{p}.yaml") for p in ("domestic", "allied")]


def make_server(app: dash.Dash, port: int = 8050):
    """A WSGI server bound to 127.0.0.1 (never another interface); port 0 picks a free one.

    Raises ``OSError`` when the port is taken, before anything is printed (werkzeug itself
    would print its own advice and exit).
    """
    import socket

    if port:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((HOST, port))
    from werkzeug.serving import WSGIRequestHandler
    from werkzeug.serving import make_server as werkzeug_server

    class Quiet(WSGIRequestHandler):
        """No line per request: the terminal stays readable for the class."""

        def log_request(self, *_args, **_kwargs) -> None:
            return None

    return werkzeug_server(HOST, port, app.server, threaded=True, request_handler=Quiet)


def address(server) -> str:
    """The page's address."""
    return f"http://{HOST}:{server.server_port}/"
