"""Milliseconds per replication and SimPy events per second for the Indo-Pacific scenarios.

Usage: ``.venv/bin/python benchmarks/bench_replication.py [SCENARIO.yaml ...] [--repeat 5]
[--cpu] [--seeds N] [--profile]`` (default: the two bundled Indo-Pacific scenarios).
Best of ``repeat`` timings per scenario (each timing is one whole replication: build + run +
result), with a fixed seed so every timing does the same work. ``--cpu`` times the process's
CPU time instead of the wall clock: on a shared, loaded machine it is the fairer comparison
between two versions measured in the same run.

``--seeds N`` times seeds ``0 .. N-1`` instead (best of ``repeat`` for each) and prints their
mean: the fair comparison between two versions that draw their random numbers differently, where
one seed's replication does different work in each (a convoy sunk in one and not the other
changes a replication's events by a quarter).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from simulator.model.world import World
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("indo_pacific_domestic.yaml", "indo_pacific_allied.yaml")


def one_run(scenario, seed: int, clock=time.perf_counter) -> tuple[float, int]:
    """Seconds for one replication and the number of SimPy events it processed."""
    t0 = clock()
    world = World(scenario, seed)
    world.run()
    elapsed = clock() - t0
    return elapsed, _events(world)


def _events(world: World) -> int:
    # simpy.Environment numbers every scheduled event with an itertools.count (``_eid``);
    # its repr, ``count(N)``, gives the number of events scheduled so far without using one.
    return int(repr(world.env._eid)[len("count("):-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path,
                        default=[ROOT / "scenarios" / n for n in SCENARIOS])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="process CPU time, not wall clock")
    parser.add_argument("--seeds", type=int, default=0,
                        help="mean over seeds 0..N-1 (each best of --repeat) instead of one seed")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    for path in args.scenarios:
        name = path.name
        scenario = load_scenario(path)
        one_run(scenario, args.seed)  # warm caches and imports
        if args.seeds:
            runs = [min(one_run(scenario, s, clock) for _ in range(args.repeat))
                    for s in range(args.seeds)]
            best, events = sum(r[0] for r in runs) / len(runs), sum(r[1] for r in runs) // len(runs)
            print(f"{name:32s} {best * 1e3:8.1f} ms{' CPU' if args.cpu else ''}/replication  "
                  f"{events:8d} events  (mean of seeds 0-{args.seeds - 1}, best of "
                  f"{args.repeat} each)")
            continue
        best, events = min(one_run(scenario, args.seed, clock) for _ in range(args.repeat))
        print(f"{name:32s} {best * 1e3:8.1f} ms{' CPU' if args.cpu else ''}/replication  "
              f"{events:8d} events  "
              f"{events / best / 1e6:5.2f} M events/s  (best of {args.repeat}, "
              f"{scenario.horizon_days} days)")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            World(scenario, args.seed).run()
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
