"""What the front layer costs: ms per replication with and without it, same scenario and seed.

Usage: ``.venv/bin/python benchmarks/bench_front.py [--repeat 7]``. Runs the bundled
Indo-Pacific domestic scenario as shipped (decoy screen, adaptation race, combat layer, purse)
and with ``front_strikes``, ``adaptation`` and ``combat`` removed (``null``); prints the best of
``repeat`` timings of each and the difference. Best-of timings on a shared machine still move
by a few milliseconds: compare the two lines of one run, not runs on different days.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from simulator.model import simulate
from simulator.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "indo_pacific_domestic.yaml"
WITHOUT = {"front_strikes": None, "adaptation": None, "combat": None}


def best_ms(scenarios: list, repeat: int, seed: int = 3) -> list[float]:
    """Best wall time of ``repeat`` replications of each scenario (same seed), in ms.

    The scenarios take turns, so a change in the machine's load hits them alike.
    """
    times: list[list[float]] = [[] for _ in scenarios]
    for _ in range(repeat):
        for k, scenario in enumerate(scenarios):
            t0 = time.perf_counter()
            simulate(scenario, seed)
            times[k].append(time.perf_counter() - t0)
    return [1000.0 * min(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    full = load_scenario(SCENARIO)
    bare = load_scenario(SCENARIO, WITHOUT)
    simulate(bare, 0)  # warm imports and caches
    with_front, without = best_ms([full, bare], args.repeat)
    print(f"{SCENARIO.name}, 730 days, best of {args.repeat}:")
    print(f"  without the front layer  {without:7.1f} ms per replication")
    print(f"  with the front layer     {with_front:7.1f} ms per replication "
          f"(+{with_front - without:.1f} ms, +{100 * (with_front / without - 1):.0f} %)")


if __name__ == "__main__":
    main()
