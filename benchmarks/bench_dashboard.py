"""Live view: seconds from releasing a slider to the redrawn figure, in headless Chromium.

Starts ``arsenal dashboard``'s app for the two Indo-Pacific postures on a free port, drags the
attack-probability slider to five positions and prints each redraw time and their median, plus
the simulation time the page itself reports. Run from the repository root:

    .venv/bin/python benchmarks/bench_dashboard.py [--reps 4] [--workers N]

``--workers`` runs each redraw's replications in a process pool, as ``arsenal dashboard`` does
by default (one worker per core); 1 runs them in the server, as the browser test does.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.classroom.dashboard import build_app  # noqa: E402
from tests import browser  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    why = browser.missing()
    if why:
        sys.exit(f"cannot measure: {why}")
    scenarios = [str(ROOT / "scenarios" / f"indo_pacific_{p}.yaml") for p in ("domestic", "allied")]
    pool = None
    if args.workers > 1:
        pool = ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn"))
    app = build_app(scenarios, reps=args.reps, seed=0, pool=pool)
    times = []
    with browser.serving(app) as url, browser.browser_page() as page:
        page.goto(url)
        signature = browser.wait_for_figure(page)
        for fraction in (0.9, 0.1, 0.6, 0.3, 0.8):
            released = browser.drag_slider(page, "p_attack", fraction)
            times.append(browser.redraw_after(page, signature, released))
            signature = browser.figure_signature(page)
            print(f"p_attack slider to {fraction:.0%} of its range: redrawn in "
                  f"{times[-1]:.2f} s ({page.inner_text('#timing')})")
    if pool is not None:
        pool.shutdown()
    print(f"median slider-to-redraw: {statistics.median(times):.2f} s "
          f"({args.reps} replications per posture, 2 postures, {args.workers} worker(s), "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
