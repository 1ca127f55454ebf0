"""Milliseconds per replication spent in each daily chore, the record hooks and the result.

Usage: ``.venv/bin/python benchmarks/bench_chores.py [SCENARIO.yaml ...] [--repeat 9]
[--seed 1]`` (default: ``indo_pacific_allied``).

The event loop's total (``bench_replication.py``) says how long a replication takes; this says
which of the world's whole-day chores (:mod:`simulator.model.clock`: the daily links' dispatch,
the front's draw, the recorder and each component's ``record`` hook, arrivals of shipments),
the world's build, the audit and the result's assembly cost what. Each is wrapped in a
``perf_counter`` timer (tens of nanoseconds a call, so the figures include a little of it) and
the figure printed is the least, over ``repeat`` replications of the same seed, of each part's
total: on a shared machine the least is the one least disturbed by other processes.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from simulator.model import world as world_module
from simulator.model.world import World
from simulator.results import RunResult
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def _timed(totals: dict[str, float], name: str, fn: Callable) -> Callable:
    clock = time.perf_counter

    def wrapper(*args):
        t0 = clock()
        try:
            return fn(*args)
        finally:
            totals[name] += clock() - t0
    return wrapper


def _chore_name(fn: Callable) -> str:
    owner = getattr(fn, "__self__", None)
    base = getattr(fn, "__qualname__", repr(fn))
    return base if owner is None else f"{type(owner).__name__}.{fn.__name__}"


def one_run(scenario, seed: int) -> dict[str, float]:
    """Seconds per part of one replication (``total`` is build + run + result)."""
    totals: dict[str, float] = defaultdict(float)
    clock = time.perf_counter
    start = clock()
    world = World(scenario, seed)
    totals["build World"] = clock() - start
    hooks = world._hooks
    world._hooks = [_timed(totals, f"  record: {_chore_name(h)}", h) for h in hooks]
    world.ledger.record = _timed(totals, "  record: Ledger.record", world.ledger.record)
    for chore in world.ctx.clock._chores:
        chore.run = _timed(totals, _chore_name(chore.run), chore.run)
    at_day = world.ctx.clock.at_day
    world.ctx.clock.at_day = lambda day, action: at_day(
        day, _timed(totals, "arrivals (shipments due)", action))
    world.ledger.audit = _timed(totals, "Ledger.audit", world.ledger.audit)
    assemble = RunResult.assemble.__func__

    class Timed(RunResult):
        @classmethod
        def assemble(cls, *args):
            return _timed(totals, "RunResult.assemble", assemble)(RunResult, *args)

    world_module.RunResult = Timed
    try:
        world.run()
    finally:
        world_module.RunResult = RunResult
    totals["total"] = clock() - start
    return totals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path,
                        default=[ROOT / "scenarios" / "indo_pacific_allied.yaml"])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for path in args.scenarios:
        scenario = load_scenario(path)
        one_run(scenario, args.seed)  # warm caches and imports
        runs = [one_run(scenario, args.seed) for _ in range(args.repeat)]
        best = {k: min(r[k] for r in runs) for k in runs[0]}
        print(f"{path.name}: least of {args.repeat} replications, ms (perf_counter)")
        for name in sorted(best, key=lambda k: (k == "total", -best[k])):
            print(f"  {name:44s} {best[name] * 1e3:8.2f}")


if __name__ == "__main__":
    main()
