"""A one-line progress bar with rate and ETA on stderr; silent when stderr is not a terminal.

Logs and CI capture stderr: a bar redrawn ten times a second would fill them with carriage
returns, so off a terminal only the final summary line is printed (by the caller).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressBar:
    """Call with the number of runs just finished; ``close()`` ends the line."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None,
                 enabled: bool | None = None, min_interval: float = 0.2):
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0
        self.start = self.last = time.monotonic()
        self.min_interval = min_interval

    def __call__(self, n: int) -> None:
        """Count ``n`` more finished runs; redraw at most every ``min_interval`` s."""
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self.last >= self.min_interval or self.done >= self.total):
            self.last = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """``label  41% |#####     | 4,100/10,000  850 runs/s  ETA 0:07``."""
        elapsed = (now or time.monotonic()) - self.start
        share = self.done / self.total if self.total else 1.0
        rate = self.done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        bar = "#" * int(share * 20)
        eta_text = _clock(eta) if eta == eta else "?"
        return (f"{self.label} {share:4.0%} |{bar:<20}| {self.done:,}/{self.total:,}  "
                f"{rate:,.0f} runs/s  ETA {eta_text}")

    def close(self) -> None:
        """Finish the bar's line (nothing when disabled)."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
