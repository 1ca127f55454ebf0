"""CPU milliseconds per replication spent in the enemy's strikes: the campaign and the decoy screen.

Usage: ``.venv/bin/python benchmarks/bench_strikes.py [SCENARIO.yaml ...] [--repeat 9]
[--seed 1]``
(default: the bundled scenarios with a strike campaign or a decoy screen).

Each part is timed by wrapping its entry points with ``time.perf_counter`` (a call costs
~0.1 us, where the CPU clock costs ~0.5 us; a part's call lasts microseconds, too short to be
preempted often), so a figure includes everything the part calls (a site hit settles its
factory, a depot hit its place):

* ``salvo``: the campaign's daily salvo, hits applied (:meth:`StrikeCampaign._salvo`);
* ``hits``: of which the hits applied (:meth:`StrikeCampaign._hit`: mostly the factory's
  settlement before its cap changes, and the place's before stock is destroyed);
* ``repair``: the end of a hit's damage (:meth:`StrikeCampaign._repair`);
* ``decoys``: the day's strikes at the front (:meth:`DecoyScreen._strike`).

The timing a wrapper adds to each call (measured on a function that does nothing) is taken off;
the whole replication is timed with the CPU clock and without wrappers, in the same run, for
scale. Every timing repeats one replication (one seed: the
same work each time) and keeps the best of ``repeat``, as ``bench_replication.py`` does: on a
shared machine the least disturbed run is the closest to the cost. Compare figures only within
one run on one machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from simulator.model.decoy_screen import DecoyScreen
from simulator.model.strikes import StrikeCampaign
from simulator.model.world import World
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("indo_pacific_allied.yaml", "indo_pacific_allied_unstruck.yaml",
             "europe_allied.yaml")
PARTS = {"salvo": (StrikeCampaign, "_salvo"), "hits": (StrikeCampaign, "_hit"),
         "repair": (StrikeCampaign, "_repair"), "decoys": (DecoyScreen, "_strike")}


def _timed(fn: Callable, spent: dict[str, float], calls: dict[str, int], part: str) -> Callable:
    clock = time.perf_counter

    def wrapper(*args, **kwargs):
        t0 = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[part] += clock() - t0
            calls[part] += 1
    return wrapper


def _overhead(n: int = 200_000) -> float:
    """Seconds a wrapper's own timing adds to each call (measured on a function doing nothing)."""
    spent, calls = {"x": 0.0}, {"x": 0}
    nothing = _timed(lambda *_args: None, spent, calls, "x")
    for _ in range(n):
        nothing(None, 1)
    return spent["x"] / n


def measure(path: Path, repeat: int, seed: int) -> dict[str, float]:
    """Best CPU ms of each part and of the whole replication (unwrapped), over ``repeat`` runs."""
    scenario = load_scenario(path)
    World(scenario, seed).run()  # warm imports and caches
    whole, per_part = [], {p: [] for p in PARTS}
    originals = {p: getattr(cls, name) for p, (cls, name) in PARTS.items()}
    overhead = _overhead()
    try:
        for _ in range(repeat):
            t0 = time.process_time()
            World(scenario, seed).run()
            whole.append(time.process_time() - t0)
            spent, calls = dict.fromkeys(PARTS, 0.0), dict.fromkeys(PARTS, 0)
            for p, (cls, name) in PARTS.items():
                setattr(cls, name, _timed(originals[p], spent, calls, p))
            World(scenario, seed).run()
            for p, (cls, name) in PARTS.items():
                setattr(cls, name, originals[p])
            for p in PARTS:
                per_part[p].append(spent[p] - calls[p] * overhead)
    finally:
        for p, (cls, name) in PARTS.items():
            setattr(cls, name, originals[p])
    out = {p: 1e3 * min(v) for p, v in per_part.items()}
    out["replication"] = 1e3 * min(whole)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path,
                        default=[ROOT / "scenarios" / n for n in SCENARIOS])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"ms per replication (seed {args.seed}, best of {args.repeat}); parts by wall clock "
          f"inside the run, the replication by CPU clock")
    print(f"{'scenario':34s} {'salvo':>7s} {'(hits)':>7s} {'repair':>7s} {'decoys':>7s} "
          f"{'strikes':>8s} {'replication':>12s}")
    for path in args.scenarios:
        m = measure(path, args.repeat, args.seed)
        total = m["salvo"] + m["repair"] + m["decoys"]
        print(f"{path.stem:34s} {m['salvo']:7.2f} {m['hits']:7.2f} {m['repair']:7.2f} "
              f"{m['decoys']:7.2f} {total:8.2f} {m['replication']:12.1f}")


if __name__ == "__main__":
    main()
