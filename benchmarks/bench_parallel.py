"""Replications per second against the number of worker processes, on one machine.

Usage: ``.venv/bin/python benchmarks/bench_parallel.py [--reps 320] [--workers 1,2,4]
[--markdown FILE] [SCENARIO.yaml]`` (default: the allied Indo-Pacific scenario, every power of
two up to the machine's cores). Prints throughput, speed-up and parallel efficiency relative to
one worker measured in the same run, and checks that every worker count gives the identical KPI
table. ``--markdown FILE`` also writes the table, with the machine and Python named, for
``benchmarks/readme_block.py parallel FILE`` to carry into the README.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench_perf import machine
from readme_block import provenance

from simulator.experiment import replicate
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cores = len(os.sched_getaffinity(0))
    powers = [w for w in (1, 2, 4, 8, 16, 32, 64) if w <= cores]
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", type=Path,
                        default=ROOT / "scenarios" / "indo_pacific_allied.yaml")
    parser.add_argument("--reps", type=int, default=320)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", default=",".join(map(str, powers)))
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    scenario = load_scenario(args.scenario)
    counts = [int(w) for w in args.workers.split(",")]
    print(f"{args.scenario.name}: {args.reps} replications, seed {args.seed}, {cores} cores")
    where = machine()
    rows = []
    base, reference = None, None
    for w in counts:
        t0 = time.perf_counter()
        reps = replicate(scenario, args.reps, args.seed, workers=w)
        elapsed = time.perf_counter() - t0
        if base is None:
            base = elapsed * w  # one worker's time, estimated from the first count measured
        same = "reference" if reference is None else (
            "identical" if reps.kpis.equals(reference) else "DIFFERENT")
        reference = reps.kpis if reference is None else reference
        speedup = base / elapsed
        print(f"  workers {w:3d}: {elapsed:7.2f} s  {args.reps / elapsed:8.1f} reps/s  "
              f"speed-up {speedup:5.2f}  efficiency {speedup / w:5.2f}  KPIs {same}")
        rows.append(f"| {w} | {elapsed:.1f} | {args.reps / elapsed:.1f} | {speedup:.2f}x | "
                    f"{speedup / w:.0%} | {same} |")
    if args.markdown:
        args.markdown.write_text("\n".join([
            provenance(f"benchmarks/bench_parallel.py --reps {args.reps} --workers "
                       f"{args.workers}", where,
                       f"{args.scenario.name}, seed {args.seed}; wall clock; speed-up against "
                       "the one-worker run of the same invocation"), "",
            "| workers | seconds | replications/s | speed-up | efficiency | KPI table |",
            "|---|---|---|---|---|---|", *rows]) + "\n")


if __name__ == "__main__":
    main()
