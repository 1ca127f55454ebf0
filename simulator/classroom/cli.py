"""Glue between the ``arsenal`` command and the classroom tools (kept out of ``cli.py``)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor

import click

from simulator.classroom.narrate import narrate, tell
from simulator.folders import MANIFEST, ResultFolder, result_folder, safe_name
from simulator.model import simulate
from simulator.output import manifest, write_json
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
                      workers: int | None, fail: Callable[[str], None]) -> None:
    """``arsenal dashboard``: build the app, bind 127.0.0.1, print the address, serve."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from simulator.classroom.dashboard import default_scenarios

    paths = tuple(paths) or tuple(default_scenarios())
    workers = workers or min(os.cpu_count() or 1, reps * len(paths))
    # "spawn": the server runs threads, and forking a threaded process is unsafe.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_ignore_sigint) if workers > 1 else None
    try:
        _serve(paths, port, reps, seed, pool, fail)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the server, which shuts them down."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _serve(paths: tuple[str, ...], port: int, reps: int, seed: int, pool: Executor | None,
           fail: Callable[[str], None]) -> None:
    from simulator.classroom.dashboard import address, build_app, make_server
    from simulator.scenario import ScenarioError

    try:
        app = build_app(list(paths), reps, seed, pool)
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
                gif: bool, force: bool, fail: Callable[[str], None]) -> None:
    """``arsenal map``: one replication as map.html (play/pause/scrub) and map.gif."""
    from simulator.classroom.mapfig import map_figure, write_html
    from simulator.classroom.replay import NoCoordinates, build

    if item is not None and item not in sc.items:
        fail(f"--item {item!r}: not an item of {sc.name} (items: {', '.join(sc.items)})")
        return
    with result_folder(out, f"{sc.name}-seed{seed}-map", force, fail) as folder:
        result = simulate(sc, seed)
        try:
            replay = build(sc, result, item, step)
        except NoCoordinates as exc:
            fail(f"{exc}; add lat/lon to each place in the scenario file")
            return
        write_html(map_figure(replay), folder.tmp / "map.html")
        if gif:
            from simulator.classroom.mapgif import write_gif

            write_gif(replay, folder.tmp / "map.gif")
        write_json(folder.tmp / MANIFEST, manifest(seed, scenario=sc.name, what="map"))
        folder.commit()
    click.echo(f"map: {folder.shown / 'map.html'} (open it in a browser: Play, Pause, drag the "
               "day slider)")
    if gif:
        click.echo(f"gif: {folder.shown / 'map.gif'}")


def _tell(result, lines, pace, as_json) -> None:
    """Print the run's narration (or JSON summary) and its KPI table."""
    from simulator.output import dumps_json
    from simulator.tables import kpi_table

    if as_json:
        click.echo(dumps_json(result.summary()))
    elif lines is not None:
        tell(lines, click.echo, pace)
    else:
        click.echo(kpi_table(result))


def _write_paused(folder: ResultFolder, result, sc: Scenario, seed: int, day: int, horizon: int,
                  decisions) -> None:
    """The run's files and the paused campaign, into the temporary folder, then in place."""
    from simulator.classroom.pause import save
    from simulator.output import write_run

    write_run(folder.tmp, result, sc)
    save(folder.tmp, sc, seed, day, horizon, decisions)
    folder.commit()


def pause_run(sc: Scenario, seed: int, until: int, out: str | None, narrate_it: bool,
              pace: float, as_json: bool, force: bool, fail: Callable[[str], None]) -> None:
    """``arsenal run --until DAY``: run to DAY, write the results so far and the paused state.

    The folder is written like every result (:func:`simulator.folders.result_folder`): whole
    or not at all, below ``results/`` by default whatever the scenario's name, ``--force`` to
    replace an earlier one.
    """
    if until >= sc.horizon_days:
        fail(f"--until {until}: must be before the horizon ({sc.horizon_days} days)")
        return
    with result_folder(out, f"{sc.name}-seed{seed}-day{until}", force, fail) as folder:
        result = simulate(sc, seed, until)
        _write_paused(folder, result, sc, seed, until, sc.horizon_days, [])
    lines = narrate(result, sc, paused=True) if narrate_it else None
    if not as_json:
        click.echo(f"{sc.name}, seed {seed}: paused on day {until} of {sc.horizon_days}")
    _tell(result, lines, pace, as_json)
    if not as_json:
        click.echo(f"paused campaign written to {folder.shown}/; carry on with\n"
                   f"  arsenal resume {folder.shown} [--set KEY.PATH=VALUE ...] [--until DAY]")


def resume_command(state: str, sets: tuple[str, ...], until: int | None, out: str | None,
                   narrate_it: bool, pace: float, as_json: bool, force: bool,
                   fail: Callable[[str], None]) -> None:
    """``arsenal resume``: carry a paused campaign on, with the decisions taken now."""
    from simulator.classroom.pause import PauseError, check_until, decide, load, replay
    from simulator.model.decisions import ChangeError
    from simulator.scenario import ScenarioError, load_scenario, parse_overrides

    try:
        paused = load(state)
        days = check_until(paused, until)
        decisions = decide(paused, parse_overrides(sets))
        result = replay(paused, decisions, days)
        sc = load_scenario(paused.scenario_path)
    except (PauseError, ScenarioError) as exc:
        fail(str(exc))
        return
    except ChangeError as exc:
        fail(f"--set {exc}")
        return
    stop = "paused" if days < paused.horizon else "ended"
    tag = f"day{days}" if days < paused.horizon else "end"
    if decisions != paused.decisions:  # two different decisions never share a default folder
        import hashlib
        import json

        text = json.dumps([(d.day, d.overrides) for d in decisions], sort_keys=True)
        tag += "-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    if out is None:  # beside the paused campaign, named after it
        out = str(paused.folder.parent / safe_name(f"{paused.folder.resolve().name}-{tag}"))
    with result_folder(out, "", force, fail) as folder:
        _write_paused(folder, result, sc, paused.seed, days, paused.horizon, decisions)
    lines = None
    if narrate_it:
        told = [f"Day {paused.day}: decision: {s}" for s in sets] or [
            f"Day {paused.day}: no change; the campaign carries on"]
        lines = told + narrate(result, sc, since=paused.day, paused=days < paused.horizon)
    if not as_json:
        click.echo(f"{sc.name}, seed {paused.seed}: resumed on day {paused.day}, {stop} on day "
                   f"{days}")
    _tell(result, lines, pace, as_json)
    if days < paused.horizon and not as_json:
        click.echo(f"paused campaign written to {folder.shown}/; carry on with\n"
                   f"  arsenal resume {folder.shown} [--set KEY.PATH=VALUE ...] [--until DAY]")
    elif not as_json:
        click.echo(f"results written to {folder.shown}/")
