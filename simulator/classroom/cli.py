"""Glue between the ``arsenal`` command and the classroom tools (kept out of ``cli.py``)."""

from __future__ import annotations

from collections.abc import Callable

import click

from simulator.classroom.narrate import narrate, tell
from simulator.model import simulate
from simulator.scenario.schema import Scenario


def narrate_run(sc: Scenario, seed: int, reps: int, as_json: bool, pace: float,
                fail: Callable[[str], None]) -> None:
    """``arsenal run --narrate``: one replication told day by day; nothing is written."""
    if reps > 1:
        fail("--narrate tells one replication: drop --reps")
    if as_json:
        fail("--narrate prints sentences: drop --json")
    result = simulate(sc, seed)
    click.echo(f"{sc.name}, seed {seed}: {result.days} days")
    try:
        tell(narrate(result, sc), click.echo, pace)
    except KeyboardInterrupt:  # a paced narration stopped by the instructor: no traceback
        click.echo("\ninterrupted", err=True)
        raise SystemExit(130) from None


def dashboard_command(paths: tuple[str, ...], port: int, reps: int, seed: int,
                      fail: Callable[[str], None]) -> None:
    """``arsenal dashboard``: build the app, bind 127.0.0.1, print the address, serve."""
    from simulator.classroom.dashboard import address, build_app, default_scenarios, make_server
    from simulator.scenario import ScenarioError

    try:
        app = build_app(list(paths) or default_scenarios(), reps, seed)
    except ScenarioError as exc:
        fail(str(exc))
        return
    try:
        server = make_server(app, port)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc} (try --port 0)")
        return
    click.echo(f"Arsenal live view: {address(server)}  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nstopped", err=True)
    finally:
        server.server_close()


def map_command(sc: Scenario, seed: int, out: str | None, item: str | None, step: float,
                gif: bool, fail: Callable[[str], None]) -> None:
    """``arsenal map``: one replication as map.html (play/pause/scrub) and map.gif."""
    from pathlib import Path

    from simulator.classroom.mapfig import map_figure, write_html
    from simulator.classroom.replay import NoCoordinates, build

    if item is not None and item not in sc.items:
        fail(f"--item {item!r}: not an item of {sc.name} (items: {', '.join(sc.items)})")
        return
    result = simulate(sc, seed)
    try:
        replay = build(sc, result, item, step)
    except NoCoordinates as exc:
        fail(f"{exc}; add lat/lon to each place in the scenario file")
        return
    folder = Path(out) if out else Path("results") / f"{sc.name}-seed{seed}-map"
    try:
        page = write_html(map_figure(replay), folder / "map.html")
        click.echo(f"map: {page} (open it in a browser: Play, Pause, drag the day slider)")
        if gif:
            from simulator.classroom.mapgif import write_gif

            click.echo(f"gif: {write_gif(replay, folder / 'map.gif')}")
    except OSError as exc:
        fail(f"cannot write the map to {folder}: {exc}")
