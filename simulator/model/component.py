"""The component protocol: every model mechanism is a small class with the same life cycle.

In the spirit of desmod's ``Component``: a factory, a port, each kind of link, a fleet, a
shipyard and the front are components; later a supplier, a strike campaign, a decoy screen or a
combat layer are too. The world does not know any of them by name: it builds them from the
scenario's sections through the :mod:`~simulator.model.registry` and then drives them through
four phases.

1. **build** — ``__init__(ctx, name, cfg)``: read the configuration, create state, open ledger
   accounts. No lookups of other components yet (they may not exist).
2. **connect** — :meth:`Component.connect`: find the components this one works with through
   ``ctx.get(kind, name)`` / ``ctx.all(kind)`` and keep references to them (a sea link finds its
   fleet and its ports; a strike campaign would find its factories).
3. **start** — :meth:`Component.start`: register SimPy processes. The world starts components
   in build order, links in routing order (fastest route first, so it draws first).
4. **record** — :meth:`Component.record`, called by the world's single daily recorder for the
   components that override it, before the ledger copies its books into the day's row: settle
   what accrued, report carried cargo, sample a series.
5. **result** — :meth:`Component.result`, after the run: add this component's part of the
   replication's result to a :class:`~simulator.results.ResultParts`.

Rules that keep components independent: a component calls only *public* methods of another
(documented as meant for other components), moves goods only through the ledger's methods, and
draws random numbers only from its own streams (:meth:`Component.stream`, keyed by its stable
name, so adding a component never changes what happens to another: common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import simpy

from simulator.ledger import Ledger
from simulator.model.clock import DailyClock
from simulator.model.place import Place
from simulator.model.streams import NumberedStreams, Streams
from simulator.results import ResultParts
from simulator.scenario.schema import Scenario


@dataclass
class WorldContext:
    """What every component is handed: the clock, the books, the map, streams and its peers."""

    env: simpy.Environment
    scenario: Scenario
    items: list[str]
    ledger: Ledger
    places: dict[str, Place]
    streams: Streams
    days: int
    components: list[Component] = field(default_factory=list)
    _by_kind: dict[str, dict[str, Component]] = field(default_factory=dict)
    clock: DailyClock = field(default=None)  # type: ignore[assignment]
    """The world's daily clock (:mod:`~simulator.model.clock`): chores that fall on whole days."""

    def __post_init__(self) -> None:
        if self.clock is None:
            self.clock = DailyClock(self.env, self.days)

    @property
    def log(self) -> Callable[..., None]:
        """Append an event to the event log: ``log(day, kind, subject, detail="")``."""
        return self.ledger.log

    def item_index(self, item: str) -> int:
        """Column of ``item`` in every per-item array."""
        return self.items.index(item)

    def add(self, component: Component) -> None:
        """Register a built component so that others can find it by kind and name."""
        named = self._by_kind.setdefault(component.kind, {})
        if component.name in named:
            raise ValueError(f"two components of kind '{component.kind}' named "
                             f"'{component.name}'")
        named[component.name] = component
        self.components.append(component)

    def get(self, kind: str, name: str) -> Any:
        """The component of ``kind`` called ``name`` (a ``KeyError`` names what is missing)."""
        try:
            return self._by_kind[kind][name]
        except KeyError:
            raise KeyError(f"no component of kind '{kind}' named '{name}'") from None

    def all(self, kind: str) -> list[Any]:
        """Every component of ``kind``, in build order."""
        return list(self._by_kind.get(kind, {}).values())


class Component:
    """Base of every model component; subclasses set ``kind`` and override the hooks they use."""

    kind: ClassVar[str] = "component"
    """What the component is (``factory``, ``link``, ``fleet``...): peers look it up by it."""
    stream_prefix: ClassVar[str | None] = None
    """Prefix of the random-stream key; defaults to ``kind`` (``factory:us_drones``)."""
    transport_kpis: ClassVar[tuple[str, ...]] = ()
    """Keys this kind adds to ``RunResult.transport``; present (as 0) even when none is built,
    so two postures always report the same columns."""
    reads: ClassVar[tuple[str, ...]] = ()
    """Scenario sections other than its own entry that this kind reads (a sea link reads
    ``threat_zones``): a decision mid-campaign that changes them is handed to it."""

    def __init__(self, ctx: WorldContext, name: str):
        self.ctx, self.name, self.env = ctx, name, ctx.env
        self._streams: dict[str, np.random.Generator] = {}

    def stream(self, sub: str = "") -> np.random.Generator:
        """The component's own random generator (``sub`` names an independent sub-stream).

        The key is ``kind:name`` (``kind:name/sub``), so the numbers depend only on the seed and
        these names. Asking twice returns the same generator, carrying on where it was.
        """
        rng = self._streams.get(sub)
        if rng is None:
            key = f"{self.stream_prefix or self.kind}:{self.name}"
            rng = self._streams[sub] = self.ctx.streams.rng(f"{key}/{sub}" if sub else key)
        return rng

    def numbered_streams(self, sub: str) -> NumberedStreams:
        """Independent sub-streams ``(number, sub)`` of the component's stream ``sub``.

        Keyed like :meth:`stream` (``kind:name/sub``); for many short streams, such as one per
        convoy and zone crossing, that must not depend on timing (common random numbers).
        """
        key = f"{self.stream_prefix or self.kind}:{self.name}/{sub}"
        return self.ctx.streams.numbered(key)

    def connect(self) -> None:
        """Find the peers this component works with (``self.ctx.get``)."""

    def start(self) -> None:
        """Register this component's SimPy processes."""

    def record(self, day: int) -> None:
        """Add to the record of ``day`` (called once a day; override only if needed)."""

    def result(self, parts: ResultParts) -> None:
        """Add this component's part of the replication's result."""

    def refuse_change(self, cfg: Any, scenario: Scenario) -> str | None:
        """Why this component cannot take ``cfg`` (and ``scenario``) mid-campaign, or ``None``.

        See :mod:`~simulator.model.decisions`. By default it cannot.
        """
        return "cannot change during a campaign"

    def reconfigure(self, cfg: Any, scenario: Scenario) -> None:
        """From now on, run with ``cfg`` (only called after :meth:`refuse_change` agreed)."""
        raise NotImplementedError(f"{self!r} accepted a change it does not implement")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.kind}:{self.name}>"


def overrides(component: Component, hook: str) -> bool:
    """Whether ``component`` overrides ``hook`` (the recorder calls only those: speed)."""
    return getattr(type(component), hook) is not getattr(Component, hook)
