"""The ``arsenal`` command: thin click glue over the Python API.

Every user error (a bad scenario, a bad option) prints one clear message to stderr and exits
with status 2; nothing already written is touched.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from simulator.catalog import bundled_scenarios
from simulator.model import simulate
from simulator.output import dumps_json, write_run
from simulator.scenario import ScenarioError, load_scenario, parse_overrides
from simulator.tables import kpi_table

EXIT_USAGE = 2


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def _load(path: str, sets: tuple[str, ...], days: int | None = None):
    overrides = parse_overrides(sets)
    if days is not None:
        overrides["horizon_days"] = days
    return load_scenario(path, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arsenal-sim", prog_name="arsenal")
def main() -> None:
    """Arsenal: simulate war production and logistics; compare domestic and allied postures."""


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Root seed of the replication.")
@click.option("--days", type=click.IntRange(min=1), help="Override the scenario's horizon.")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario key, e.g. --set theatre.demand_per_day.drone=5000.")
@click.option("--out", type=click.Path(file_okay=False), help="Output folder "
              "[default: results/<scenario>-seed<N>].")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON on stdout.")
def run(scenario: str, seed: int, days: int | None, sets: tuple[str, ...], out: str | None,
        as_json: bool) -> None:
    """Run one replication of SCENARIO and write its results."""
    try:
        sc = _load(scenario, sets, days)
    except ScenarioError as exc:
        _fail(str(exc))
    result = simulate(sc, seed)
    folder = Path(out) if out else Path("results") / f"{sc.name}-seed{seed}"
    try:
        write_run(folder, result, sc)
    except OSError as exc:
        _fail(f"cannot write results to {folder}: {exc}")
    if as_json:
        click.echo(dumps_json(result.summary()))
        return
    click.echo(f"{sc.name}: {result.days} days, seed {seed}")
    click.echo(kpi_table(result))
    click.echo(f"results written to {folder}/")


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files; print ok or every error found."""
    failed = False
    for path in scenarios:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            failed = True
            click.echo(f"error: {exc}", err=True)
        else:
            click.echo(f"{path}: ok")
    if failed:
        sys.exit(EXIT_USAGE)


@main.command("scenarios")
def list_scenarios() -> None:
    """List the bundled scenarios with a one-line description each."""
    for path, description in bundled_scenarios():
        click.echo(f"{path}  {description}")


if __name__ == "__main__":  # pragma: no cover
    main()
