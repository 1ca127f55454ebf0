"""The performance figures of the README, printed in one run on one machine.

Usage::

    .venv/bin/python benchmarks/bench_perf.py [--repeat 5] [--rss-reps 500,4000] [--no-rss]
                                              [--clock wall|cpu] [--baseline REF [--rounds 3]]
                                              [--write-readme]

Prints, measured in this process and on this machine:

- bare SimPy events/s: processes that do nothing but ``yield env.timeout(1)`` (the ceiling a
  model built on SimPy can reach on this interpreter);
- model events/s for each bundled scenario (SimPy events one replication processes, counted by
  wrapping ``env.step`` in a separate run of the same seed, over the best wall time of
  ``--repeat`` untouched runs), and its ratio to bare SimPy's rate;
- ms per replication (build + run + result) for each bundled scenario;
- peak RSS of ``arsenal compare`` of the two Indo-Pacific postures at each ``--rss-reps``
  (a subprocess; ``os.wait4`` gives the peak resident set of its largest process, the parent
  that collects the results), and the ratio of the last to the first.

``--clock cpu`` times with the process's CPU time instead of the wall clock (both for bare SimPy
and the model): on a shared machine whose other users steal the cores, CPU time is what stays
comparable between runs; the ratio to bare SimPy is measured in one process either way.

``--baseline REF`` measures the model at git revision ``REF`` (a temporary worktree) beside the
working tree, in child processes that alternate ``--rounds`` times (best of all rounds per
side), so both sides see the same machine load; each side uses its own scenario files, and the
bare-SimPy ratio is taken within each child process.

``--write-readme`` replaces the table between ``<!-- perf:begin -->`` and ``<!-- perf:end -->``
in README.md with these figures, naming the machine and the Python version, so the README's
numbers are always this script's output and never typed in.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import simpy

from simulator.model.world import World
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
PAIR = ("indo_pacific_domestic.yaml", "indo_pacific_allied.yaml")
BEGIN, END = "<!-- perf:begin -->", "<!-- perf:end -->"


@dataclass
class ScenarioFigures:
    """One bundled scenario's timing: best wall time of a replication and its event count."""

    name: str
    ms: float
    events: int

    @property
    def rate(self) -> float:
        """SimPy events processed per second of wall time."""
        return self.events / (self.ms / 1e3)


def bare_simpy_rate(events: int = 200_000, processes: int = 100, repeat: int = 5,
                    clock=time.perf_counter) -> float:
    """SimPy's own event rate: ``processes`` loops of ``yield env.timeout(1)``."""

    def ticker(env: simpy.Environment):
        while True:
            yield env.timeout(1)

    best = float("inf")
    until = events // processes
    for _ in range(repeat):
        env = simpy.Environment()
        for _ in range(processes):
            env.process(ticker(env))
        t0 = clock()
        env.run(until=until)
        best = min(best, clock() - t0)
    # Each process handles one timeout per time unit (its start-up Initialize event aside).
    return processes * until / best


def count_events(scenario, seed: int) -> int:
    """SimPy events one replication processes (``env.step`` calls that handled an event)."""
    world = World(scenario, seed)
    env = world.env
    step = env.step
    counter = [0]

    def counting_step() -> None:
        step()
        counter[0] += 1

    env.step = counting_step  # type: ignore[method-assign]  # shadows the bound method
    world.run()
    return counter[0]


def time_replication(scenario, seed: int, clock=time.perf_counter) -> float:
    """Seconds for one whole replication: build, run, result."""
    t0 = clock()
    World(scenario, seed).run()
    return clock() - t0


def scenario_figures(path: Path, seed: int, repeat: int,
                     clock=time.perf_counter) -> ScenarioFigures:
    """Best of ``repeat`` timings (after one warm-up run) and the event count of ``path``."""
    scenario = load_scenario(path)
    time_replication(scenario, seed, clock)
    best = min(time_replication(scenario, seed, clock) for _ in range(repeat))
    return ScenarioFigures(path.stem, best * 1e3, count_events(scenario, seed))


def measure(scenarios: Path, seed: int, repeat: int, clock) -> dict:
    """Bare SimPy's rate and every bundled scenario's figures, measured in this process."""
    bare = bare_simpy_rate(repeat=repeat, clock=clock)
    figures = [scenario_figures(p, seed, repeat, clock) for p in sorted(scenarios.glob("*.yaml"))]
    return {"bare": bare, "scenarios": {f.name: {"ms": f.ms, "events": f.events}
                                        for f in figures}}


def baseline_figures(ref: str, rounds: int, seed: int, repeat: int,
                     clock_name: str) -> tuple[dict, dict]:
    """Best figures of ``ref`` and of the working tree, from alternating child processes."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref],
                       check=True, capture_output=True)
        try:
            runs: dict[str, list[dict]] = {"baseline": [], "current": []}
            for _ in range(rounds):
                for side, root in (("baseline", tree), ("current", ROOT)):
                    out = subprocess.run(
                        [sys.executable, __file__, "--json", "--root", str(root), "--seed",
                         str(seed), "--repeat", str(repeat), "--clock", clock_name],
                        check=True, capture_output=True, text=True, cwd=root,
                        env={**os.environ, "PYTHONPATH": str(root)})
                    runs[side].append(json.loads(out.stdout))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                           check=False, capture_output=True)
    return best_of(runs["baseline"]), best_of(runs["current"])


def best_of(runs: list[dict]) -> dict:
    """The fastest bare rate and the fastest time of each scenario over several runs."""
    names = set.intersection(*(set(r["scenarios"]) for r in runs))
    return {"bare": max(r["bare"] for r in runs),
            "scenarios": {n: min((r["scenarios"][n] for r in runs), key=lambda f: f["ms"])
                          for n in sorted(names)}}


def compare_peak_rss(reps: int, seed: int, workers: int | None) -> tuple[float, float]:
    """Peak RSS (MiB) and seconds of ``arsenal compare`` of the Indo-Pacific pair at ``reps``."""
    a, b = (str(SCENARIOS / n) for n in PAIR)
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-c", "from simulator.cli import main; main()", "compare", a, b,
               "--reps", str(reps), "--seed", str(seed), "--out", out]
        if workers is not None:
            cmd += ["--workers", str(workers)]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise SystemExit(f"arsenal compare --reps {reps} failed:\n{stderr}")
    return usage.ru_maxrss / 1024, elapsed  # Linux reports kilobytes


def machine() -> str:
    """CPU model, the cores this process may use, and how busy they were (timings depend on it)."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:  # pragma: no cover - not Linux
        pass
    load = os.getloadavg()[0]
    return f"{model}, {len(os.sched_getaffinity(0))} cores, load average {load:.1f} at the start"


def table(bare: float, figures: list[ScenarioFigures], rss: list[tuple[int, float, float]],
          repeat: int, clock_name: str, baseline: tuple[str, dict, dict] | None = None) -> str:
    """The Markdown the README carries between the markers."""
    py = f"Python {platform.python_version()}"
    clock = "CPU time of the process" if clock_name == "cpu" else "wall-clock time"
    lines = [f"Measured {datetime.date.today().isoformat()} on {machine()}, {py}, "
             f"by `benchmarks/bench_perf.py --clock {clock_name}` ({clock}, best of {repeat}; "
             f"bare SimPy: {bare / 1e6:.2f} M events/s).", "",
             "| scenario | ms / replication | SimPy events | model events/s | "
             "of bare SimPy |", "|---|---|---|---|---|"]
    for f in figures:
        lines.append(f"| {f.name} | {f.ms:.1f} | {f.events:,} | {f.rate / 1e6:.3f} M | "
                     f"{f.rate / bare:.0%} |")
    if baseline is not None:
        ref, old, new = baseline
        lines += ["", f"Against `{ref}` (`--baseline {ref}`: child processes alternating, best "
                  "of each side; each side's ratio to bare SimPy measured in its own process):",
                  "", "| scenario | ms before | ms after | speed-up | events before | "
                  "events after | of bare SimPy before | after |",
                  "|---|---|---|---|---|---|---|---|"]
        for name in sorted(set(old["scenarios"]) & set(new["scenarios"])):
            a, b = old["scenarios"][name], new["scenarios"][name]
            ra = a["events"] / (a["ms"] / 1e3) / old["bare"]
            rb = b["events"] / (b["ms"] / 1e3) / new["bare"]
            lines.append(f"| {name} | {a['ms']:.1f} | {b['ms']:.1f} | {a['ms'] / b['ms']:.2f}x | "
                         f"{a['events']:,} | {b['events']:,} | {ra:.0%} | {rb:.0%} |")
    if rss:
        lines += ["", "| `arsenal compare` (Indo-Pacific pair) | "
                  + " | ".join(f"{r:,} reps" for r, _, _ in rss) + " |",
                  "|---|" + "---|" * len(rss),
                  "| peak RSS (MiB) | " + " | ".join(f"{m:.0f}" for _, m, _ in rss) + " |",
                  "| wall time (s) | " + " | ".join(f"{s:.0f}" for _, _, s in rss) + " |"]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Replace the README's performance table (between the markers) with ``text``."""
    readme = ROOT / "README.md"
    content = readme.read_text()
    if BEGIN not in content or END not in content:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} markers")
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rss-reps", default="500,4000",
                        help="comma-separated replication counts for the compare RSS figures")
    parser.add_argument("--no-rss", action="store_true", help="skip the compare RSS runs")
    parser.add_argument("--workers", type=int, default=None,
                        help="workers for the compare runs (default: every core)")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="time with the wall clock or the process's CPU time")
    parser.add_argument("--baseline", default=None, metavar="REF",
                        help="also measure git revision REF, alternating with the working tree")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternations of baseline and working tree (with --baseline)")
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter

    if args.json:  # a child of --baseline: figures of the tree on PYTHONPATH, as JSON
        print(json.dumps(measure(args.root / "scenarios", args.seed, args.repeat, clock)))
        return
    print(f"{machine()}; Python {platform.python_version()}; simpy {simpy.__version__}; "
          f"clock: {args.clock}")
    bare = bare_simpy_rate(repeat=args.repeat, clock=clock)
    print(f"bare SimPy (timeout loop)          {bare / 1e6:6.2f} M events/s")
    figures = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        f = scenario_figures(path, args.seed, args.repeat, clock)
        figures.append(f)
        print(f"{f.name:34s} {f.ms:7.1f} ms/replication  {f.events:7,d} events  "
              f"{f.rate / 1e6:6.3f} M events/s  {f.rate / bare:5.1%} of bare SimPy")
    baseline = None
    if args.baseline:
        old, new = baseline_figures(args.baseline, args.rounds, args.seed, args.repeat,
                                    args.clock)
        baseline = (args.baseline, old, new)
        print(f"against {args.baseline} ({args.rounds} alternating rounds, best of each side):")
        for name in sorted(set(old["scenarios"]) & set(new["scenarios"])):
            a, b = old["scenarios"][name], new["scenarios"][name]
            ra = a["events"] / (a["ms"] / 1e3) / old["bare"]
            rb = b["events"] / (b["ms"] / 1e3) / new["bare"]
            print(f"{name:34s} {a['ms']:7.1f} -> {b['ms']:7.1f} ms  ({a['ms'] / b['ms']:.2f}x)  "
                  f"{a['events']:7,d} -> {b['events']:7,d} events  "
                  f"{ra:5.1%} -> {rb:5.1%} of bare SimPy")
    rss = []
    if not args.no_rss:
        for reps in (int(r) for r in args.rss_reps.split(",")):
            mib, seconds = compare_peak_rss(reps, args.seed, args.workers)
            rss.append((reps, mib, seconds))
            print(f"arsenal compare --reps {reps:<6d}        peak RSS {mib:7.1f} MiB  "
                  f"({seconds:.0f} s)")
        if len(rss) > 1:
            print(f"peak RSS ratio {rss[-1][0]} / {rss[0][0]} replications: "
                  f"{rss[-1][1] / rss[0][1]:.2f}")
    if args.write_readme:
        write_readme(table(bare, figures, rss, args.repeat, args.clock, baseline))
        print("README.md performance table rewritten")


if __name__ == "__main__":
    main()
