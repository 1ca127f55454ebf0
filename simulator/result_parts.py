"""What a run hands to its result: each component's part, and who ran what on which map.

Kept apart from the assembly (:mod:`simulator.results`) because it is the other side of the
contract: components fill a :class:`ResultParts` through their ``result()`` hook and the world
describes the run in a :class:`RunMeta`; neither needs to know how the result is then
assembled or what KPIs it computes. Plain arrays and dicts only, no SimPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class ResultParts:
    """What components contribute to a result, each through its ``result()`` hook.

    Counts that several components of a kind report are added (:meth:`add_total`); means over
    them are kept as numerator and denominator (:meth:`add_ratio`). A new kind of component
    puts its own table under ``sections[its name]``; it then appears in ``summary.json``.
    """

    n_items: int
    days: int
    transport_keys: tuple[str, ...] = ()
    factories: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)
    fleet_size: dict[str, np.ndarray] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    demand: np.ndarray | None = None
    delivered: np.ndarray | None = None
    shortfall: np.ndarray | None = None
    item_cost: np.ndarray = field(init=False)
    item_kpis: dict[int, dict[str, float]] = field(default_factory=dict)
    group_kpis: dict[str, dict[str, float]] = field(default_factory=dict)
    effectiveness: dict[int, np.ndarray] = field(default_factory=dict)
    _totals: dict[str, float] = field(init=False)
    _ratios: dict[str, list[float]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.item_cost = np.zeros(self.n_items)
        self._totals = dict.fromkeys(self.transport_keys, 0)

    def add_total(self, key: str, value: float) -> None:
        """Add ``value`` to the transport total ``key`` (ships lost, sorties...)."""
        self._totals[key] = self._totals.get(key, 0) + value

    def add_ratio(self, key: str, numerator: float, denominator: float) -> None:
        """Contribute to the transport mean ``key = sum(numerators) / sum(denominators)``."""
        pair = self._ratios.setdefault(key, [0.0, 0.0])
        pair[0] += numerator
        pair[1] += denominator

    def add_item_kpi(self, item: int, key: str, value: float) -> None:
        """Add ``value`` to the per-item KPI ``key`` of ``item`` (``drone.lost_at_front``)."""
        row = self.item_kpis.setdefault(item, {})
        row[key] = row.get(key, 0.0) + value

    def add_kpi(self, group: str, key: str, value: float) -> None:
        """A KPI of a component's own (``combat.force_ratio_end``): one number per run."""
        self.group_kpis.setdefault(group, {})[key] = value

    def set_effectiveness(self, item: int, series: np.ndarray) -> None:
        """The effectiveness of ``item`` on each day (default: the item's fixed value)."""
        self.effectiveness[item] = np.asarray(series, dtype=float)

    def add_cost(self, item: int, value: float) -> None:
        """Money spent on ``item`` (its production)."""
        self.item_cost[item] += value

    def transport(self) -> dict[str, float]:
        """Totals and means, every declared key present (0 where nothing reported)."""
        out = dict(self._totals)
        for key, (num, den) in self._ratios.items():
            out[key] = num / den if den else 0.0
        return out


@dataclass(frozen=True)
class RunMeta:
    """Who ran what: the scenario and seed of the replication, and its map."""

    scenario: str
    seed: int
    spawn_key: tuple[int, ...]
    items: list[str]
    places: list[str]
    place_kinds: list[str]
    place_countries: list[str]
    theatre: int
    effectiveness: np.ndarray
    footprint: np.ndarray
