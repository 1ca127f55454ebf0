"""``arsenal sweep`` and ``arsenal analyze``: click glue over the sweep and analysis packages.

As everywhere in the CLI, bad input prints one clear message per problem and exits 2 before
anything is written; Ctrl-C stops cleanly (whole chunks only) and says how to resume.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from simulator.cli_guard import EXIT_BUG, EXIT_INTERRUPTED
from simulator.cli_guard import fail as _fail
from simulator.sweep.design import DESIGNS
from simulator.sweep.errors import ExecutorFailure, SweepError
from simulator.sweep.executors import EXECUTORS


@click.command()
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option("--vary", multiple=True, metavar="KEY.PATH=SPEC",
              help="A key to vary: a list [2,4,8], a range START:STOP:COUNT (0:0.3:7) or "
                   "bounds LO..HI (for lhs/sobol). Repeat for several keys.")
@click.option("--plan", "plan_file", type=click.Path(dir_okay=False),
              help="A YAML plan instead of SCENARIO and --vary (may compare two postures).")
@click.option("--design", type=click.Choice(DESIGNS),
              help="grid (every combination), lhs (Latin hypercube) or sobol (Saltelli, for "
                   "Sobol indices)  [default: grid]")
@click.option("--samples", type=click.IntRange(min=1),
              help="Points for lhs; base samples N for sobol (N x (keys + 2) points).")
@click.option("--reps", type=click.IntRange(min=1, max=10**6),
              help="Replications per point  [default: 10]")
@click.option("--seed", type=click.IntRange(min=0), help="Sweep seed  [default: 0]")
@click.option("--set", "sets", multiple=True, metavar="KEY.PATH=VALUE",
              help="Override a scenario key for the whole sweep.")
@click.option("--days", type=click.IntRange(min=1, max=36_500),
              help="Override the scenario's horizon (days).")
@click.option("--executor", type=click.Choice(EXECUTORS), default="processes",
              show_default=True, help="Where runs execute.")
@click.option("--workers", type=click.IntRange(min=1),
              help="Processes (or Dask LocalCluster workers) [default: every core].")
@click.option("--scheduler", metavar="ADDRESS",
              help="A running Dask scheduler, e.g. tcp://host:8786 (with --executor dask).")
@click.option("--chunk", type=click.IntRange(min=1, max=100_000),
              help="Runs per task [default: about eight tasks per worker, at most 64 runs].")
@click.option("--out", type=click.Path(file_okay=False),
              help="Output folder [default: results/sweep-<scenario>-seed<N>].")
@click.option("--resume", is_flag=True, help="Finish the sweep in --out: run only what is "
              "not written yet.")
def sweep(scenario: str | None, vary: tuple[str, ...], plan_file: str | None,
          design: str | None, samples: int | None, reps: int | None, seed: int | None,
          sets: tuple[str, ...], days: int | None, executor: str, workers: int | None,
          scheduler: str | None, chunk: int | None, out: str | None, resume: bool) -> None:
    """Run SCENARIO at every point of a design over --vary keys; write a Parquet dataset.

    One row per (point, replication, posture) in OUT/runs/; run `arsenal analyze OUT` next.
    """
    from simulator.sweep import load_plan, plan_from_args, run_sweep
    from simulator.sweep.progress import ProgressBar

    try:
        if plan_file is not None:
            if scenario or vary or sets or days:
                raise SweepError("--plan holds the scenario, keys and overrides; do not also "
                                 "give SCENARIO, --vary, --set or --days")
            plan = load_plan(plan_file, design, samples, reps, seed)
        else:
            if scenario is None:
                raise SweepError("give a SCENARIO file and --vary KEY=SPEC, or --plan FILE")
            plan = plan_from_args(scenario, vary, design or "grid", samples,
                                  10 if reps is None else reps, seed or 0, sets, days)
    except SweepError as exc:
        _fail(str(exc))
    names = "-vs-".join(plan.model.postures)
    folder = Path(out) if out else Path("results") / f"sweep-{names}-seed{plan.seed}"
    bars: list[ProgressBar] = []

    def start(pending: int, skipped: int) -> None:
        label = f"{names}: {plan.design.n_points:,} points x {plan.reps} reps"
        if skipped:
            label += f" ({skipped:,} done)"
        bars.append(ProgressBar(pending, label))

    try:
        summary = run_sweep(plan.design, plan.model, plan.reps, plan.seed, folder,
                            executor=executor, workers=workers, scheduler=scheduler,
                            resume=resume, chunk=chunk, extra=plan.describe(),
                            progress=lambda n: bars[0](n) if bars else None, on_start=start)
    except SweepError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        for bar in bars:
            bar.close()
        click.echo(f"\ninterrupted: every finished chunk is saved; finish with the same "
                   f"command plus --resume (--out {folder})", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ExecutorFailure as exc:
        for bar in bars:
            bar.close()
        click.echo(f"error: the executor failed: {exc}; every finished chunk is saved: fix the "
                   "cause and run the same command plus --resume", err=True)
        sys.exit(EXIT_BUG)
    except OSError as exc:
        _fail(f"cannot write the sweep to {folder}: {exc}")
    for bar in bars:
        bar.close()
    click.echo(summary.line())
    click.echo(f"runs written to {folder}/runs/ (Parquet); next: arsenal analyze {folder}")


@click.command()
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--kpi", "kpis", multiple=True, metavar="NAME",
              help="KPI column to analyse, e.g. drone.fill_rate [default: every item's "
                   "fill_rate and transport.ships_lost]. Repeatable.")
@click.option("--threshold", "thresholds", multiple=True, metavar="KPI<VALUE",
              help="Scenario discovery: find the boxes of parameter space where a point's "
                   "mean KPI is below (or above, with >) VALUE [default: fill_rate<0.8 for each "
                   "item].")
@click.option("--confidence", type=click.FloatRange(0.5, 0.999), default=0.95,
              show_default=True, help="Confidence level of every interval.")
def analyze(folder: str, kpis: tuple[str, ...], thresholds: tuple[str, ...],
            confidence: float) -> None:
    """Analyse the sweep in FOLDER: per-point intervals, effects, Sobol indices, PRIM boxes.

    Writes points.csv, sobol.csv (sobol designs), boxes.csv, PNG figures and analysis.html
    into FOLDER.
    """
    from simulator.analysis import AnalysisError, analyze_sweep

    command = " ".join(["arsenal", *sys.argv[1:]])
    try:
        result = analyze_sweep(Path(folder), list(kpis), list(thresholds), confidence,
                               command=command)
    except AnalysisError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write the analysis to {folder}: {exc}")
    click.echo(result.text())
    click.echo(f"report: {result.paths['report']}")
