"""Sweep throughput (runs/s on 1 worker and on every core, efficiency) and peak memory.

Usage: ``.venv/bin/python benchmarks/bench_sweep.py [--runs 96] [--small 1000]
[--large 100000] [--workers N] [--no-memory] [--markdown FILE]`` (``--markdown``: the
throughput figures as a README fragment, see ``benchmarks/readme_block.py``).

Throughput: a grid over the allied Indo-Pacific scenario (one year), run with one worker and
with every core through ``run_sweep`` (processes executor, Parquet chunks written); efficiency
is the all-core rate over (cores x the one-worker rate). Both runs must give identical rows.
``replicate()`` of the experiment layer on the same runs is timed too, as a same-machine
reference (shared machines make absolute rates noisy).

Memory: the same sweep machinery on a 2-day classroom scenario (about a millisecond a run, so
the executor and the writer dominate), once with ``--small`` and once with ``--large`` runs,
each in a fresh process; peak resident memory of the parent (the process that holds the
submission window and the writer) must not grow with the number of runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_perf import machine  # noqa: E402
from readme_block import provenance  # noqa: E402

from simulator.experiment import replicate  # noqa: E402
from simulator.scenario import load_scenario  # noqa: E402
from simulator.sweep import plan_from_args, read_runs, run_sweep  # noqa: E402

MEMORY_CHILD = """
import resource, sys, time
from pathlib import Path
from simulator.sweep import plan_from_args, run_sweep
runs, out, workers = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
points = 100
plan = plan_from_args({scenario!r}, ("links.supply_line.loss_prob=0:0.3:" + str(points),),
                      "grid", None, runs // points, 1, (), 2)
t0 = time.perf_counter()
s = run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, executor="processes",
              workers=workers)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(s.ran, time.perf_counter() - t0, peak)
"""


def throughput(runs: int, workers: int, out: Path) -> tuple[float, pd.DataFrame]:
    points = 8
    plan = plan_from_args(str(ROOT / "scenarios" / "indo_pacific_allied.yaml"),
                          ("threat_zones.contested.p_attack=0.05:0.4:8",), "grid", None,
                          max(1, runs // points), 1, (), 365)
    t0 = time.perf_counter()
    summary = run_sweep(plan.design, plan.model, plan.reps, plan.seed, out,
                        executor="processes", workers=workers)
    elapsed = time.perf_counter() - t0
    rows = read_runs(out).to_pandas().sort_values("run_id").reset_index(drop=True)
    return summary.ran / elapsed, rows


def memory(runs: int, workers: int, out: Path) -> tuple[int, float, float]:
    code = MEMORY_CHILD.format(scenario=str(ROOT / "scenarios" / "classroom_minimal.yaml"))
    done = subprocess.run([sys.executable, "-c", code, str(runs), str(out), str(workers)],
                          check=True, capture_output=True, text=True, cwd=ROOT)
    ran, seconds, peak = done.stdout.split()
    return int(ran), float(seconds), float(peak)


def main() -> None:
    cores = len(os.sched_getaffinity(0))
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=96)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=cores)
    parser.add_argument("--no-memory", action="store_true", help="throughput only")
    parser.add_argument("--markdown", type=Path, help="also write the throughput figures here")
    args = parser.parse_args()
    where = machine()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        print(f"throughput: indo_pacific_allied, 365 days, {args.runs} runs, {cores} cores")
        one, rows1 = throughput(args.runs, 1, base / "one")
        many, rows_n = throughput(args.runs, args.workers, base / "many")
        pd.testing.assert_frame_equal(rows1, rows_n)
        print(f"  1 worker : {one:8.2f} runs/s")
        print(f"  {args.workers} workers: {many:8.2f} runs/s  speed-up {many / one:5.2f}x  "
              f"efficiency {many / one / args.workers:6.1%}  (identical rows)")
        scenario = load_scenario(ROOT / "scenarios" / "indo_pacific_allied.yaml",
                                 {"horizon_days": 365})
        t0 = time.perf_counter()
        replicate(scenario, args.runs, 1, workers=args.workers)
        rep_rate = args.runs / (time.perf_counter() - t0)
        print(f"  replicate() on {args.workers} workers, same machine and scenario: "
              f"{rep_rate:8.2f} runs/s (the experiment layer, for reference)")
        if args.markdown:
            args.markdown.write_text("\n".join([
                provenance(f"benchmarks/bench_sweep.py --runs {args.runs} --workers "
                           f"{args.workers}", where, "indo_pacific_allied, 365 days, processes "
                           "executor, Parquet chunks written; wall clock"), "",
                "| | runs/s | speed-up | efficiency |", "|---|---|---|---|",
                f"| `arsenal sweep`, 1 worker | {one:.2f} | 1.00x | 100% |",
                f"| `arsenal sweep`, {args.workers} workers (rows identical) | {many:.2f} | "
                f"{many / one:.2f}x | {many / one / args.workers:.0%} |",
                f"| `replicate()`, {args.workers} workers (reference) | {rep_rate:.2f} | | |"])
                + "\n")
        if args.no_memory:
            return
        print(f"memory: classroom_minimal, 2 days, {args.workers} workers, parent peak RSS")
        for runs in (args.small, args.large):
            ran, seconds, peak = memory(runs, args.workers, base / f"mem{runs}")
            print(f"  {ran:>9,} runs: {peak:7.1f} MiB peak, {seconds:6.1f} s "
                  f"({ran / seconds:,.0f} runs/s)")


if __name__ == "__main__":
    main()
