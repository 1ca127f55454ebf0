"""Milliseconds per replication spent in each daily chore, the record hooks and the result.

Usage: ``.venv/bin/python benchmarks/bench_chores.py [SCENARIO.yaml ...] [--repeat 9]
[--seed 1] [--clock cpu|wall]`` (default: ``indo_pacific_allied``, CPU time).

The event loop's total (``bench_replication.py``) says how long a replication takes; this says
which of the world's whole-day chores (:mod:`simulator.model.clock`: the daily links' dispatch,
the front's draw, the recorder's ``record`` hooks and the books' copy of the day, arrivals of
shipments), the world's build, the audit and the result's assembly cost what.

Each part is wrapped in a timer. With ``--clock cpu`` (the default: on a shared machine other
processes' use of the cores stays out of it) the timer reads the process's CPU time, a system
call of about a microsecond: its cost, measured around a function that does nothing, is taken
off each part for every call it timed. With ``--clock wall`` it reads ``perf_counter`` (tens of
nanoseconds, left in). The figure printed is the least, over ``repeat`` replications of the
same seed, of each part's total. ``total`` is the whole replication (build + run + result),
timed apart without any wrapper.
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


def _timed(totals: dict[str, float], calls: dict[str, int], name: str, fn: Callable,
           clock: Callable[[], float]) -> Callable:
    def wrapper(*args):
        t0 = clock()
        try:
            return fn(*args)
        finally:
            totals[name] += clock() - t0
            calls[name] += 1
    return wrapper


def timer_cost(clock: Callable[[], float], n: int = 20_000) -> float:
    """Seconds a wrapped call adds to what it times (least of 5 tries of ``n`` calls)."""
    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    nothing = _timed(totals, calls, "x", lambda: None, clock)
    best = []
    for _ in range(5):
        totals.clear()
        for _ in range(n):
            nothing()
        best.append(totals["x"] / n)
    return min(best)


def _chore_name(fn: Callable) -> str:
    owner = getattr(fn, "__self__", None)
    base = getattr(fn, "__qualname__", repr(fn))
    return base if owner is None else f"{type(owner).__name__}.{fn.__name__}"


def one_run(scenario, seed: int, clock: Callable[[], float]) -> dict[str, float]:
    """Seconds per part of one replication, and the calls each part's timer made."""
    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def timed(name: str, fn: Callable) -> Callable:
        return _timed(totals, calls, name, fn, clock)

    start = clock()
    world = World(scenario, seed)
    totals["build World"] = clock() - start
    world._hooks = [timed(f"record: {_chore_name(h)}", h) for h in world._hooks]
    world.ledger.record = timed("record: Ledger.record", world.ledger.record)
    for chore in world.ctx.clock._chores:
        if chore.run != world._record:  # its parts are timed: no timer inside a timer
            chore.run = timed(_chore_name(chore.run), chore.run)
    at_day = world.ctx.clock.at_day
    world.ctx.clock.at_day = lambda day, action: at_day(
        day, timed("arrivals (shipments due)", action))
    world.ledger.audit = timed("Ledger.audit", world.ledger.audit)
    assemble = RunResult.assemble.__func__

    class Timed(RunResult):
        @classmethod
        def assemble(cls, *args):
            return timed("RunResult.assemble", assemble)(RunResult, *args)

    world_module.RunResult = Timed
    try:
        world.run()
    finally:
        world_module.RunResult = RunResult
    return {**totals, **{f"calls:{k}": v for k, v in calls.items()}}


def whole_run(scenario, seed: int, clock: Callable[[], float]) -> float:
    """Seconds for one untouched replication."""
    start = clock()
    World(scenario, seed).run()
    return clock() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path,
                        default=[ROOT / "scenarios" / "indo_pacific_allied.yaml"])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    cost = timer_cost(clock) if args.clock == "cpu" else 0.0
    for path in args.scenarios:
        scenario = load_scenario(path)
        one_run(scenario, args.seed, clock)  # warm caches and imports
        runs = [one_run(scenario, args.seed, clock) for _ in range(args.repeat)]
        parts = {k: min(r[k] - cost * r.get(f"calls:{k}", 0) for r in runs)
                 for k in runs[0] if not k.startswith("calls:")}
        parts["World._record (the record: parts)"] = sum(
            v for k, v in parts.items() if k.startswith("record: "))
        chores = ("World._record (the record: parts)", "arrivals (shipments due)")
        parts["daily chores, all"] = sum(
            v for k, v in parts.items()
            if k in chores or not (k.startswith("record: ") or k in (
                "build World", "Ledger.audit", "RunResult.assemble")))
        parts["total (untimed replication)"] = min(whole_run(scenario, args.seed, clock)
                                                   for _ in range(args.repeat))
        print(f"{path.name}: least of {args.repeat} replications, ms of "
              f"{'CPU' if args.clock == 'cpu' else 'wall'} time"
              + (f" (timer cost {cost * 1e6:.2f} us/call taken off)" if cost else ""))
        last = ("daily chores, all", "total (untimed replication)")
        for name in sorted(parts, key=lambda k: (k in last, last.index(k) if k in last else 0,
                                                 -parts[k])):
            print(f"  {name:44s} {parts[name] * 1e3:8.2f}")


if __name__ == "__main__":
    main()
