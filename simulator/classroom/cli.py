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
