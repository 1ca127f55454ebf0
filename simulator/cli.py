"""The ``arsenal`` command: thin click glue over the Python API.

Every user error (a bad scenario, a bad option, an output folder in the way) prints one clear
message to stderr and exits with status 2 before anything is simulated; nothing already written
is touched. Ctrl-C exits 130 and leaves no partial result; any other failure is a bug, reported
in one line with the path of a full log (exit 1), never a bare traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from simulator.catalog import SCENARIO_DIR, bundled_scenarios, resolve_scenario
from simulator.cli_guard import EXIT_USAGE, Guarded
from simulator.cli_guard import echo_errors as _echo_errors
from simulator.cli_guard import fail as _fail
from simulator.cli_guard import warn as _warn
from simulator.folders import result_folder, safe_name
from simulator.model import simulate
from simulator.output import dumps_json, write_run
from simulator.scenario import (
    ScenarioError,
    absent_paths,
    load_scenario,
    parse_overrides,
    scenario_warnings,
)
from simulator.tables import kpi_table


def _load(path: str, sets: tuple[str, ...], days: int | None = None):
    overrides = parse_overrides(sets)
    if days is not None:
        overrides["horizon_days"] = days
    return load_scenario(resolve_scenario(path), overrides)


def _result_folder(out: str | None, default: str, force: bool):
    """The output folder, checked and locked before simulating; committed by the caller."""
    return result_folder(out, default, force, _fail)


_FORCE = click.option("--force", is_flag=True,
                      help="Replace an existing result folder (once the new one is complete).")


@click.group(cls=Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arsenal-sim", prog_name="arsenal")
def main() -> None:
    """Arsenal: simulate war production and logistics; compare domestic and allied postures."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Root seed of the replication.")
@click.option("--days", type=click.IntRange(min=1, max=36_500),
              help="Override the scenario's horizon (days).")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario key, e.g. --set theatre.demand_per_day.drone=5000.")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder "
              "[default: results/<scenario>-seed<N>].")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@click.option("--reps", type=click.IntRange(min=1), default=1, show_default=True,
              help="Replications (child seeds of --seed); above 1 writes replications.csv and "
                   "95 % intervals.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes for --reps [default: every core; 1 runs serially].")
@click.option("--narrate", is_flag=True, help="Tell the replication day by day (for a class).")
@click.option("--pace", type=click.FloatRange(min=0, max=60), default=0.0, show_default=True,
              help="With --narrate: seconds to wait between days.")
@click.option("--until", type=click.IntRange(min=1),
              help="Pause on this day and save the campaign (carry on with arsenal resume).")
@_FORCE
def run(scenario: str, seed: int, days: int | None, sets: tuple[str, ...], out: str | None,
        as_json: bool, reps: int, workers: int | None, narrate: bool, pace: float,
        until: int | None, force: bool) -> None:
    """Run SCENARIO (a file, or a bundled scenario's name) and write its results."""
    try:
        sc = _load(scenario, sets, days)
    except ScenarioError as exc:
        _fail(str(exc))
    if until is not None:
        from simulator.classroom.cli import pause_run

        if reps > 1:
            _fail("--until pauses one replication: drop --reps")
        pause_run(sc, seed, until, out, narrate, pace, as_json, force, _fail)
        return
    if narrate:
        from simulator.classroom.cli import narrate_run

        narrate_run(sc, seed, reps, as_json, pace, _fail)
        return
    if reps > 1:
        _run_replications(sc, reps, seed, workers, out, as_json, force)
        return
    with _result_folder(out, f"{safe_name(sc.name)}-seed{seed}", force) as folder:
        result = simulate(sc, seed)
        write_run(folder.tmp, result, sc)
        folder.commit()
    if as_json:
        click.echo(dumps_json(result.summary()))
        return
    click.echo(f"{sc.name}: {result.days} days, seed {seed}")
    click.echo(kpi_table(result))
    click.echo(f"results written to {folder.shown}/")


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr (just the label when stderr is not a terminal)."""
    if not sys.stderr.isatty():
        click.echo(f"{label} ...", err=True)
        yield lambda _n: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _run_replications(sc, reps: int, seed: int, workers: int | None, out: str | None,
                      as_json: bool, force: bool) -> None:
    from simulator.experiment import replicate
    from simulator.experiment.output import format_replications, write_replications

    with _result_folder(out, f"{safe_name(sc.name)}-seed{seed}-reps{reps}", force) as folder:
        with _progress(reps, f"{sc.name}: {reps} replications") as update:
            result = replicate(sc, reps, seed, workers=workers, progress=update)
        write_replications(folder.tmp, result, sc)
        folder.commit()
    if as_json:
        click.echo(dumps_json(result.summary_dict()))
        return
    click.echo(format_replications(result))
    click.echo(f"results written to {folder.shown}/")


def _load_posture(path: str, sets: tuple[str, ...], own: tuple[str, ...], flag: str,
                  days: int | None):
    """Load one posture with the common ``--set`` and its own ``--set-a``/``--set-b`` pairs.

    A one-posture option may change only what that posture has: a name it lacks is an error
    (a typo there would otherwise add a plant to one side of the comparison only).
    """
    scenario = _load(path, sets, days)
    if not own:
        return scenario
    lacking = absent_paths(scenario, parse_overrides(own))
    if lacking:
        raise ScenarioError([f"{flag} {key}: posture '{scenario.name}' ({path}) has no {key}; "
                             f"{flag} changes a key this posture has (use --set to change "
                             "every posture, or a scenario that extends it to add one)"
                             for key in lacking])
    return _load(path, (*sets, *own), days)


@main.command()
@click.argument("scenarios", metavar="A B [C ...]", nargs=-1, required=True,
                type=click.Path(dir_okay=False))
@click.option("--reps", type=int, default=30, show_default=True,
              help="Paired replications of each posture (at least 2).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Root seed; every posture uses the same replication seeds.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes [default: every core; 1 runs serially].")
@click.option("--days", type=click.IntRange(min=1, max=36_500),
              help="Override every scenario's horizon (days).")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a key in every posture, e.g. --set "
                   "threat_zones.contested.p_attack=0.2 (is a finding robust to it?).")
@click.option("--set-a", "sets_a", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a key of posture A only (the baseline); the key must exist in A.")
@click.option("--set-b", "sets_b", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a key of the compared postures only (B, C, ...); the key must "
                   "exist in each, e.g. --set-b factories.us_decoys.capacity_per_day=750.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Output folder [default: results/compare-<A>-vs-<B>-seed<N>; with more "
                   "postures, one sub-folder per pair].")
@_FORCE
@click.option("--strict", is_flag=True, help="Treat scenario warnings as errors.")
def compare(scenarios: tuple[str, ...], reps: int, seed: int, workers: int | None,
            days: int | None, sets: tuple[str, ...], sets_a: tuple[str, ...],
            sets_b: tuple[str, ...], out: str | None, force: bool, strict: bool) -> None:
    """Compare posture A with B (and C, ...) on common random numbers; write a report.

    Each posture after the first is compared with the first. Prints X - A for the main KPIs
    with 95 % paired t-intervals and writes comparison.csv, both postures' replications,
    report.html and its figures as PNG files (one folder per pair when there are more than two).
    """
    from simulator.experiment import ComparisonError, check_comparable
    from simulator.experiment import compare as compare_postures
    from simulator.experiment.output import format_comparison, write_comparison
    from simulator.report import build_report

    if len(scenarios) < 2:
        _fail("compare needs at least two postures: A B [C ...]")
    try:
        a = _load_posture(scenarios[0], sets, sets_a, "--set-a", days)
        others = [_load_posture(path, sets, sets_b, "--set-b", days) for path in scenarios[1:]]
        for b in others:
            check_comparable(a, b, reps)
    except (ScenarioError, ComparisonError) as exc:
        _fail(str(exc))
    warnings = [f"A: {w}" for w in scenario_warnings(a)]
    for tag, path, b in zip("BCDEFGHIJKLMNOPQRSTUVWXYZ", scenarios[1:], others, strict=False):
        warnings += [f"{tag}: {w}" for w in scenario_warnings(b) if f"A: {w}" not in warnings]
        if a.model_dump(exclude={"name", "description"}) == b.model_dump(
                exclude={"name", "description"}):
            warnings.append(f"A ({scenarios[0]}) and {tag} ({path}) describe the same posture: "
                            "every difference will be exactly zero")
    if strict and warnings:
        _fail("\n".join(f"{w} (--strict)" for w in warnings))
    _warn(warnings)
    command = " ".join(["arsenal", *sys.argv[1:]])
    for b in others:
        pair = f"{safe_name(a.name)}-vs-{safe_name(b.name)}"
        where = out if out is None or len(others) == 1 else str(Path(out) / pair)
        with _result_folder(where, f"compare-{pair}-seed{seed}", force) as folder:
            with _progress(2 * reps, f"{a.name} vs {b.name}: {reps} paired replications"
                           ) as update:
                result = compare_postures(a, b, reps, seed, workers=workers, progress=update)
            write_comparison(folder.tmp, result, a, b)
            build_report(result, folder.tmp, command, scenarios=(a, b))
            folder.commit()
        click.echo(format_comparison(result))  # after the commit: `| head` cannot lose it
        click.echo(f"report: {folder.shown / 'report.html'}")
        click.echo(f"tables and figures written to {folder.shown}/")


@main.command()
@click.argument("scenarios", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--reps", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Replications per posture on each redraw.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes for the replications of a redraw [default: every core].")
def dashboard(scenarios: tuple[str, ...], port: int, reps: int, seed: int,
              workers: int | None) -> None:
    """A live view with a slider per lever (default: the two Indo-Pacific postures)."""
    from simulator.classroom.cli import dashboard_command

    dashboard_command(scenarios, port, reps, seed, workers, _fail)


@main.command()
@click.argument("state", type=click.Path())
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="A decision from the pause day on, e.g. --set "
                   "links.pacific_sealift.convoy.escorts=8.")
@click.option("--until", type=click.IntRange(min=1), help="Pause again on this day.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Output folder [default: beside STATE, named after it].")
@click.option("--narrate", is_flag=True, help="Tell the days after the pause.")
@click.option("--pace", type=click.FloatRange(min=0, max=60), default=0.0, show_default=True,
              help="With --narrate: seconds to wait between days.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
@_FORCE
def resume(state: str, sets: tuple[str, ...], until: int | None, out: str | None,
           narrate: bool, pace: float, as_json: bool, force: bool) -> None:
    """Carry on a campaign paused with run --until (STATE: its folder), with changed levers."""
    from simulator.classroom.cli import resume_command

    resume_command(state, sets, until, out, narrate, pace, as_json, force, _fail)


@main.command("map")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--days", type=click.IntRange(min=1, max=36_500), help="Override the horizon.")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario key (as for run).")
@click.option("--item", help="Item whose stock the bars show [default: the first demanded].")
@click.option("--step", type=click.FloatRange(min=0.5, max=60), default=3.0, show_default=True,
              help="Days between frames.")
@click.option("--gif/--no-gif", default=True, show_default=True,
              help="Also write map.gif for slides.")
@click.option("--out", type=click.Path(file_okay=False),
              help="Output folder [default: results/<scenario>-seed<N>-map].")
@_FORCE
def map_replay(scenario: str, seed: int, days: int | None, sets: tuple[str, ...],
               item: str | None, step: float, gif: bool, out: str | None, force: bool) -> None:
    """Replay one replication on a map: map.html (play, pause, scrub) and map.gif."""
    from simulator.classroom.cli import map_command

    try:
        sc = _load(scenario, sets, days)
    except ScenarioError as exc:
        _fail(str(exc))
    map_command(sc, seed, out, item, step, gif, force, _fail)


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings (legal but suspicious set-ups) "
                                             "as errors.")
def validate(scenarios: tuple[str, ...], strict: bool) -> None:
    """Check scenario files; print ok, warnings for suspicious set-ups, or every error found."""
    failed = False
    for path in scenarios:
        try:
            sc = load_scenario(resolve_scenario(path))
        except ScenarioError as exc:
            failed = True
            _echo_errors(str(exc))
            continue
        warnings = [f"{path}: {w}" for w in scenario_warnings(sc)]
        if strict and warnings:
            failed = True
            _echo_errors("\n".join(f"{w} (--strict)" for w in warnings))
            continue
        _warn(warnings)
        click.echo(f"{path}: ok" + (f" ({len(warnings)} warnings)" if warnings else ""))
    if failed:
        sys.exit(EXIT_USAGE)


@main.command("scenarios")
def list_scenarios() -> None:
    """List the bundled scenarios with a one-line description each."""
    found = bundled_scenarios()
    if not found:
        _fail(f"no bundled scenarios in {SCENARIO_DIR}: they ship with a source checkout "
              "(install with `pip install -e .` from the repository)")
    width = max((len(path) for path, _ in found), default=0)
    for path, description in found:
        click.echo(f"{path:<{width}}  {description}")


def _register_sweep_commands() -> None:
    """``sweep`` and ``analyze`` live in their own module (this one stays small)."""
    from simulator.cli_sweep import analyze, sweep

    main.add_command(sweep)
    main.add_command(analyze)


_register_sweep_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
