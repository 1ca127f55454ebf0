"""Where a replication's time goes in sealift: CPU per replication in the SimPy steps that run
sealift code (ship processes, convoy stages, unloading, convoy timers, wake-ups by cargo) and in
the daily hold count, and inside them what other components do for sealift (taking cargo from
the books, settling local output).

Usage: ``.venv/bin/python benchmarks/bench_sealift.py [SCENARIO.yaml ...] [--seeds 8]``
(default: the allied Indo-Pacific scenario). Seeds ``0 .. N-1``, after one warm-up replication.

Each step is timed with ``perf_counter_ns`` around ``Environment.step`` and attributed by the
code its callbacks run (a process by its generator's file); the timers add their own cost, so
read the shares, not the absolute figures, against ``bench_replication.py --cpu``.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import simpy

from simulator.model import links, place
from simulator.model.sealift import link as sea
from simulator.model.world import World
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SEALIFT = ("/sealift/", "/waits.py")


def label(event: simpy.Event) -> str:
    """``sealift: <what>`` for an event whose callbacks run sealift code, else ``other``."""
    for callback in event.callbacks or ():
        owner = getattr(callback, "__self__", None)
        if isinstance(owner, simpy.Process):
            code = owner._generator.gi_code
            name = code.co_name
        else:
            code = getattr(getattr(callback, "__func__", callback), "__code__", None)
            name = getattr(callback, "__qualname__", "?")
        if code is not None and any(s in code.co_filename for s in SEALIFT):
            return f"sealift: {name}"
    return "other"


def profile(path: Path, seeds: int) -> None:
    """Print the time per replication by label, over seeds ``0 .. seeds-1``."""
    clock, spent, current = time.perf_counter_ns, Counter(), ["other"]
    step = simpy.Environment.step

    def timed_step(env: simpy.Environment) -> None:
        current[0] = label(env._queue[0][3]) if env._queue else "other"
        t = clock()
        step(env)
        spent[current[0]] += clock() - t

    def inside(cls: type, name: str) -> None:
        original = getattr(cls, name)

        def timed(self, *args):
            t = clock()
            out = original(self, *args)
            if current[0] != "other" or name == "record":  # the clock counts the holds
                spent[f"  of which {cls.__name__}.{name}"] += clock() - t
            return out
        setattr(cls, name, timed)

    patched = [(simpy.Environment, "step", step)] + [
        (cls, name, getattr(cls, name)) for cls, name in
        ((links.Link, "take"), (place.Place, "stock_volume"),
         (place.Place, "inflow_volume_per_day"), (sea.SeaLink, "record"))]
    simpy.Environment.step = timed_step
    for cls, name, _ in patched[1:]:
        inside(cls, name)
    try:
        scenario = load_scenario(path)
        World(scenario, 10_000).run()  # warm caches and imports
        spent.clear()
        t0 = clock()
        for seed in range(seeds):
            World(scenario, seed).run()
        total = clock() - t0
    finally:
        for cls, name, original in patched:
            setattr(cls, name, original)
    record = spent.pop("  of which SeaLink.record", 0)
    own = sum(v for k, v in spent.items() if k.startswith("sealift")) + record
    print(f"{path.name}: {total / seeds / 1e6:.1f} ms/replication (timed), sealift "
          f"{own / seeds / 1e6:.1f} ms ({100 * own / total:.0f} %), seeds 0-{seeds - 1}")
    for key, ns in sorted(spent.items(), key=lambda kv: -kv[1]):
        if key != "other":
            print(f"  {ns / seeds / 1e6:7.2f} ms  {key}")
    print(f"  {record / seeds / 1e6:7.2f} ms  daily hold count (SeaLink.record)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path,
                        default=[ROOT / "scenarios" / "indo_pacific_allied.yaml"])
    parser.add_argument("--seeds", type=int, default=8)
    args = parser.parse_args()
    for path in args.scenarios:
        profile(path, args.seeds)


if __name__ == "__main__":
    main()
