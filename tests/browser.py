"""Headless Chromium for the browser tests and the live-view benchmark.

Debian's ``chromium`` (``/usr/bin/chromium``, installed by ``.ci/run``), driven by Playwright's
Python client with ``executable_path``: no browser is downloaded at test time. Tests skip with
the reason when Chromium or Playwright is missing.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = os.environ.get("ARSENAL_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parent.parent / "results" / "browser"


def missing() -> str | None:
    """Why the browser tests cannot run here, or ``None`` when they can."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return (f"no Chromium at {CHROMIUM}: install Debian's chromium package "
                "(apt-get install chromium; .ci/run does it)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@contextmanager
def browser_page(width: int = 1600, height: int = 900) -> Iterator[object]:
    """A fresh page in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve a Dash app on a free port of 127.0.0.1 in a thread; yields its address."""
    from simulator.classroom.dashboard import address, make_server

    server = make_server(app, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield address(server)
    finally:
        server.shutdown()
        server.server_close()


_SIGNATURE = """() => {
  const g = document.querySelector('#figure .js-plotly-plot');
  if (!g || !g.data || !g.data.length) return '';
  const sums = g.data.map(t => Array.from(t.y).reduce((a, b) => a + b, 0).toFixed(3));
  return g.layout.title.text + '|' + sums.join(',');
}"""


def figure_signature(page) -> str:
    """The drawn figure's title and the sum of every line's values: changes with the data."""
    return page.evaluate(_SIGNATURE)


def wait_for_figure(page, timeout_s: float = 60) -> str:
    """Wait for the first drawing; return its signature."""
    page.wait_for_selector("#figure .g-gtitle", timeout=timeout_s * 1000)
    page.wait_for_function("document.querySelector('#timing').textContent.length > 0",
                           timeout=timeout_s * 1000)
    return figure_signature(page)


def drag_slider(page, lever: str, fraction: float) -> float:
    """Drag a lever's thumb to ``fraction`` of its track with the mouse, as a student would.

    Returns the ``perf_counter`` reading at the release of the button (when Dash sends it).
    """
    thumb = page.locator(f"#lever-{lever} [role=slider]").bounding_box()
    track = page.locator(f"#lever-{lever} .dash-slider-track").bounding_box()
    page.mouse.move(thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2)
    page.mouse.down()
    page.mouse.move(track["x"] + fraction * track["width"], thumb["y"] + thumb["height"] / 2,
                    steps=8)
    page.mouse.up()
    return time.perf_counter()


def redraw_after(page, before: str, start: float, timeout_s: float = 60) -> float:
    """Seconds from ``start`` (a ``perf_counter`` reading) until the drawn figure's signature
    differs from ``before``."""
    page.wait_for_function(f"b => ({_SIGNATURE})() !== b", arg=before,
                           timeout=timeout_s * 1000)
    return time.perf_counter() - start
