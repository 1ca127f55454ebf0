"""Parent-side memory of collecting an experiment: joining chunks at the end vs preallocating.

Feeds the collector synthetic chunks shaped like the Indo-Pacific scenario's (its horizon and
items, 1,000 kept series, 60 KPI columns) and prints the peak memory traced (``tracemalloc``)
while the replications of one posture are collected, for the old way (lists of chunk arrays
joined at the end) and the collector's (arrays allocated once at their final size). No
simulation runs, so it takes seconds; ``bench_perf.py`` measures the whole ``compare``.

    .venv/bin/python benchmarks/bench_collector_memory.py
"""

import tracemalloc
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from simulator.experiment.digest import Chunk, chunk_size
from simulator.experiment.replications import Collector
from simulator.scenario import load_scenario

KEEP = 1000
KPI_COLUMNS = 60


def chunks(reps: int, days: int, items: int) -> Iterator[Chunk]:
    """Chunks as a run of ``reps`` would send them (series for the first ``KEEP`` only)."""
    shapes = {"depot_stock": ((days + 1, items), np.float32),
              "shortfall": ((days, items), np.float32), "lost": ((days + 1, items), np.float32),
              "ships_sunk": ((days + 1,), np.int32), "fleet": ((days + 1,), np.int32),
              "effectiveness": ((days, items), np.float32)}
    size = chunk_size(reps)
    for start in range(0, reps, size):
        idx = range(start, min(reps, start + size))
        kept = sum(1 for i in idx if i < KEEP)
        kpis = pd.DataFrame({"replication": list(idx),
                             **{f"k{j}": np.ones(len(idx)) for j in range(KPI_COLUMNS)}})
        series = {n: np.ones((kept, *shape), dtype) for n, (shape, dtype) in shapes.items()}
        yield Chunk(start, kpis, np.zeros((days, 8, items)), np.zeros((days, items)),
                    series if kept else {})


def joined_at_the_end(feed: Iterator[Chunk], reps: int) -> object:
    """What the collector did before: keep every chunk, concatenate when all are in."""
    kpis: list[pd.DataFrame] = []
    series: dict[str, list[np.ndarray]] = {}
    for chunk in feed:
        kpis.append(chunk.kpis)
        for name, values in chunk.series.items():
            series.setdefault(name, []).append(values)
    return pd.concat(kpis, ignore_index=True), {n: np.concatenate(v) for n, v in series.items()}


def main() -> None:
    sc = load_scenario("scenarios/indo_pacific_domestic.yaml")
    days, items = sc.horizon_days, len(sc.items)

    def preallocated(feed: Iterator[Chunk], reps: int) -> object:
        collector = Collector(sc, 0, reps, KEEP)
        for chunk in feed:
            collector.add(chunk)
        return collector.finish()

    ways: tuple[tuple[str, Callable[[Iterator[Chunk], int], object]], ...] = (
        ("joined at the end", joined_at_the_end), ("preallocated", preallocated))
    for reps in (500, 4000):
        for name, collect in ways:
            tracemalloc.start()
            result = collect(chunks(reps, days, items), reps)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            del result
            print(f"reps {reps:5d}  {name:18s} peak {peak / 2**20:6.1f} MiB per posture")


if __name__ == "__main__":
    main()
