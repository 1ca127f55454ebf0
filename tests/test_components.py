"""The component protocol: outside components act on factories through their public methods,
a new kind is one registered class, and results never import the model."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from simulator.model.component import Component
from simulator.model.registry import register, unregister
from simulator.model.world import World
from simulator.scenario import scenario_from_dict

from .conftest import ROOT, minimal_dict


def plant_world(sites: int = 4, horizon: int = 30) -> World:
    data = minimal_dict(horizon_days=horizon)
    data["factories"]["plant"].update(sites=sites, capacity_per_day=100.0)
    data["theatre"]["demand_per_day"] = {"drone": 0.0}
    return World(scenario_from_dict(data), seed=0)


def at(world: World, day: float, action) -> None:
    def run():
        yield world.env.timeout(day)
        action()
    world.env.process(run())


def test_a_strike_takes_one_sites_share_for_its_duration():
    """4 sites, one struck from day 5 for 10 days: 100 x 30 - 25 x 10 units, exactly."""
    world = plant_world()
    plant = world.factories["plant"]
    at(world, 5.0, lambda: plant.interrupt_for([0], 10.0, "strike"))
    res = world.run()
    assert res.produced[-1].sum() == pytest.approx(100.0 * 30 - 25.0 * 10, rel=1e-12)
    kinds = [(e.day, e.kind, e.detail) for e in res.events if e.subject == "plant"]
    assert kinds == [(5.0, "strike_start", "3/4 sites up"), (15.0, "strike_end", "4/4 sites up")]


def test_overlapping_strikes_on_one_site_count_once():
    world = plant_world()
    plant = world.factories["plant"]
    at(world, 5.0, lambda: plant.interrupt_for([1], 10.0, "strike"))
    at(world, 10.0, lambda: plant.interrupt_for([1], 10.0, "strike"))  # site 1 out 5..20
    res = world.run()
    assert res.produced[-1].sum() == pytest.approx(3000.0 - 25.0 * 15, rel=1e-12)


def test_a_limit_blocks_production_and_lifting_it_resumes():
    """Components run out on day 10 (limit 0), half come back on day 20 (limit 0.5)."""
    world = plant_world()
    plant = world.factories["plant"]
    at(world, 10.0, lambda: plant.limit("motors", 0.0))
    at(world, 20.0, lambda: plant.limit("motors", 0.5))
    at(world, 25.0, lambda: plant.limit("motors", 1.0))
    res = world.run()
    made = np.diff(res.produced[:, 0, 0])
    assert res.produced[-1].sum() == pytest.approx(100 * 10 + 50 * 5 + 100 * 5, rel=1e-12)
    assert made[12] == 0.0 and made[22] == pytest.approx(50.0) and made[27] == pytest.approx(100)


def test_the_tightest_limit_binds():
    world = plant_world()
    plant = world.factories["plant"]
    at(world, 0.0, lambda: (plant.limit("motors", 0.5), plant.limit("batteries", 0.2)))
    res = world.run()
    assert res.produced[-1].sum() == pytest.approx(0.2 * 3000.0, rel=1e-12)


@pytest.mark.parametrize("share", [-0.1, 1.5, float("nan")])
def test_a_limit_must_be_a_share(share):
    with pytest.raises(ValueError, match="share"):
        plant_world().factories["plant"].limit("x", share)


def test_a_new_component_kind_is_one_registered_class():
    """A toy 'auditor' built from the scenario through the registry: it finds the factories by
    kind, records daily and adds its own section to the result, with no other code changed."""

    @register("toy_auditors", order=90, select=lambda sc: {"auditor": sc.factories})
    class Auditor(Component):
        kind = "auditor"
        transport_kpis = ("toy_checks",)

        def __init__(self, ctx, name, cfg):
            super().__init__(ctx, name)
            self.days_seen = 0

        def connect(self):
            self.plants = self.ctx.all("factory")

        def record(self, day):
            self.days_seen += 1

        def result(self, parts):
            parts.sections["auditor"] = {"plants": [p.name for p in self.plants],
                                         "days": self.days_seen}
            parts.add_total("toy_checks", self.days_seen)

    try:
        res = plant_world(horizon=10).run()
    finally:
        unregister("toy_auditors")
    assert res.summary()["auditor"] == {"plants": ["plant"], "days": 11}
    assert res.transport["toy_checks"] == 11
    assert "toy_checks" not in plant_world(horizon=10).run().transport


def test_each_component_has_its_own_stream_keyed_by_name():
    world = plant_world()
    plant = world.factories["plant"]
    assert plant.stream() is plant.stream()  # asked twice: the same generator, carrying on
    a = world.ctx.streams.rng("factory:plant").random(3)
    b = plant_world().factories["plant"].stream().random(3)
    assert (a == b).all()


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_results_never_import_the_model():
    assert not any(m.startswith("simulator.model")
                   for m in imports_of(ROOT / "simulator" / "results.py"))


def test_sealift_modules_import_one_way_and_never_under_type_checking():
    """capabilities <- ship <- convoy <- link; fleet and port import none of them."""
    folder = ROOT / "simulator" / "model" / "sealift"
    rank = {"capabilities": 0, "interdiction": 0, "ship": 1, "convoy": 2, "link": 3,
            "port": 0, "fleet": 0}
    for path in folder.glob("*.py"):
        if path.stem == "__init__":
            continue
        assert "TYPE_CHECKING" not in path.read_text(), path.name
        for module in imports_of(path):
            if module.startswith("simulator.model.sealift."):
                other = module.rsplit(".", 1)[1]
                assert rank[other] < rank[path.stem], (path.name, module)


def test_shares_by_kind_and_country_follow_goods_through_a_hub():
    """A US plant (100/day) and a Japanese one (300/day) ship to a hub that forwards everything
    to the front: the front receives a steady 1:3 mix, so 75 % of deliveries are allied and
    Japanese, as is 75 % of production."""
    data = minimal_dict(horizon_days=40)
    data["places"] = {"home": {"kind": "domestic", "country": "US"},
                      "ally": {"kind": "allied", "country": "Japan"},
                      "hub": {"kind": "waypoint"}, "front": {"kind": "theatre"}}
    data["factories"] = {"us": {"item": "drone", "place": "home", "capacity_per_day": 100.0},
                         "jp": {"item": "drone", "place": "ally", "capacity_per_day": 300.0}}
    pipe = {"kind": "simple", "transit_days": 1.0, "capacity_per_day": 1e6}
    data["links"] = {"a": {**pipe, "from": "home", "to": "hub"},
                     "b": {**pipe, "from": "ally", "to": "hub"},
                     "c": {**pipe, "from": "hub", "to": "front"}}
    data["theatre"]["demand_per_day"] = {"drone": 50.0}
    res = World(scenario_from_dict(data), seed=0).run()
    k = res.kpis["drone"]
    assert k["produced_share_allied"] == pytest.approx(0.75, rel=1e-12)
    assert k["delivered_share_allied"] == pytest.approx(0.75, rel=1e-9)
    assert k["delivered_share_domestic"] == pytest.approx(0.25, rel=1e-9)
    assert k["delivered_share_waypoint"] == 0.0
    by_country = res.summary()["by_country"]
    assert by_country["Japan"]["drone"]["delivered_share"] == pytest.approx(0.75, rel=1e-9)
    assert by_country["(no country)"]["drone"]["produced_share"] == 0.0
