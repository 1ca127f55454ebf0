"""Shared fixtures: paths to bundled scenarios and a small scenario built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def minimal_dict(**overrides) -> dict:
    """A one-item, one-factory, one-link scenario as a plain mapping (tests tweak it)."""
    data = {
        "name": "mini",
        "horizon_days": 60,
        "items": {"drone": {"unit_cost": 10.0, "cargo_footprint": 1.0}},
        "places": {"home": {"kind": "domestic"}, "front": {"kind": "theatre"}},
        "factories": {"plant": {"item": "drone", "place": "home", "capacity_per_day": 100.0}},
        "links": {"road": {"kind": "simple", "from": "home", "to": "front",
                           "transit_days": 3.0, "capacity_per_day": 1000.0}},
        "theatre": {"place": "front", "demand_per_day": {"drone": 80.0}},
    }
    data.update(overrides)
    return data


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS


def lone_context(seed, items=("x",), places=("p",)):
    """A bare world context for testing one component alone (no scenario, sealed books)."""
    import numpy as np
    import simpy

    from simulator.ledger import Ledger
    from simulator.model.component import WorldContext
    from simulator.model.place import Place
    from simulator.model.streams import Streams

    ledger = Ledger(list(places), list(items), 1)
    ledger.seal()
    footprint = np.ones(len(items))
    spots = {n: Place(n, k, "domestic", "", ledger, footprint) for k, n in enumerate(places)}
    return WorldContext(simpy.Environment(), None, list(items), ledger, spots, Streams(seed), 1)
