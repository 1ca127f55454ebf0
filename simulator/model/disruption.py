"""Interruptions shared by every asset: scheduled windows and random failure/repair cycles.

An asset (factory site, port, rail link) exposes ``on_down``/``on_up`` callbacks; these helpers
start the SimPy processes that call them. Overlapping interruptions are counted, so an asset is
back only when every interruption affecting it has ended.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable

import numpy as np
import simpy

from simulator.scenario.schema import Disruptions, Window

Callback = Callable[[], None]
Process = Generator[simpy.Event, object, None]
"""What a SimPy process function returns: it yields events and ends with nothing."""


def scheduled(env: simpy.Environment, windows: Iterable[Window], on_down: Callback,
              on_up: Callback) -> None:
    """Take the asset down for each scheduled window."""
    for w in windows:
        env.process(_window(env, w.start_day, w.days, on_down, on_up))


def _window(env, start, days, on_down, on_up):
    yield env.timeout(start)
    on_down()
    yield env.timeout(days)
    on_up()


def random_failures(env: simpy.Environment, rng: np.random.Generator, mtbf_days: float,
                    mttr_days: float, on_down: Callback, on_up: Callback) -> Process:
    """Alternate exponential up times (mean ``mtbf_days``) and repairs (mean ``mttr_days``)."""
    while True:
        yield env.timeout(rng.exponential(mtbf_days))
        on_down()
        yield env.timeout(rng.exponential(mttr_days))
        on_up()


class Switch:
    """An asset that is open or closed; overlapping closures are counted, events logged."""

    def __init__(self, env: simpy.Environment, name: str, log: Callable[..., None],
                 rng: np.random.Generator, cfg: Disruptions, what: str):
        self.env, self.name, self._log, self.what = env, name, log, what
        self.closures = 0
        self._reopened = env.event()
        scheduled(env, cfg.scheduled, self.close, self.reopen)
        if cfg.random:
            env.process(random_failures(env, rng, cfg.mtbf_days, cfg.mttr_days,
                                        self.close, self.reopen))

    @property
    def is_open(self) -> bool:
        """Whether the asset works now."""
        return self.closures == 0

    def close(self) -> None:
        """Start one interruption."""
        if self.closures == 0:
            self._log(self.env.now, f"{self.what}_start", self.name)
        self.closures += 1

    def reopen(self) -> None:
        """End one interruption; wake whoever waits when the last one ends."""
        self.closures -= 1
        if self.closures == 0:
            self._log(self.env.now, f"{self.what}_end", self.name)
            event, self._reopened = self._reopened, self.env.event()
            event.succeed()

    def when_open(self, action: Callback) -> None:
        """Call ``action()`` when the asset is open: now, or when the last closure ends."""
        if not self.closures:
            action()
        else:
            self._reopened.callbacks.append(lambda _e: action())

    def wait_open(self) -> Process:
        """SimPy generator: return once the asset is open."""
        while self.closures:
            yield self._reopened
