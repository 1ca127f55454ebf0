"""What industry under attack costs per replication: the allied Pacific posture with its strike
campaign and bill of materials, without the campaign, and without either (same run, CPU time).

CPU time (``time.process_time``) rather than wall time, so a busy shared machine distorts the
ratio less; the ratio is the figure to quote.

    .venv/bin/python benchmarks/bench_industry.py
"""

from __future__ import annotations

import time
from pathlib import Path

from simulator.model import simulate
from simulator.scenario import load_scenario

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "indo_pacific_allied.yaml"
RUNS = 8


def best_cpu_ms(scenario) -> float:
    """Best CPU milliseconds of ``RUNS`` replications (seeds 0..RUNS-1)."""
    times = []
    for seed in range(RUNS):
        t0 = time.process_time()
        simulate(scenario, seed)
        times.append(time.process_time() - t0)
    return 1000 * min(times)


def main() -> None:
    full = load_scenario(SCENARIO)
    variants = {
        "with strikes and bill of materials": full,
        "without the strike campaign": full.model_copy(update={"strikes": None}),
        "without either": full.model_copy(update={"strikes": None, "components": {},
                                                  "suppliers": {}}),
    }
    simulate(full, 0)  # warm imports and caches
    base = None
    for label, sc in reversed(variants.items()):
        ms = best_cpu_ms(sc)
        base = base or ms
        print(f"{SCENARIO.name} {label:36s} {ms:7.1f} ms CPU/replication  x{ms / base:.2f}"
              f"  (best of {RUNS}, 730 days)")


if __name__ == "__main__":
    main()
