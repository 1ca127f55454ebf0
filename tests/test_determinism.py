"""Same seed, same run; another seed, another run; one component's draws ignore the others.

Stream independence is what makes paired comparisons fair: adding an allied factory must not
change when a domestic plant's sites fail or which shipments a link loses.
"""

from __future__ import annotations

import copy
import json

import numpy as np

from simulator.model import simulate
from simulator.scenario import scenario_from_dict

from .conftest import minimal_dict


def random_scenario(horizon: int = 120) -> dict:
    """Every source of randomness in play: outages, losses, cuts, strikes, interdiction."""
    data = minimal_dict(horizon_days=horizon)
    data["items"]["shell"] = {"unit_cost": 5.0, "cargo_footprint": 2.0}
    data["factories"]["plant"].update(sites=3, mtbf_days=20.0, mttr_days=4.0)
    data["factories"]["shells"] = {"item": "shell", "place": "home", "capacity_per_day": 50.0,
                                   "mtbf_days": 30.0, "mttr_days": 3.0}
    data["links"]["road"].update(loss_prob=0.1, capacity_per_day=400.0)
    data["places"]["home"]["port"] = {"berths": 2, "load_rate_per_day": 2000.0}
    data["places"]["front"]["port"] = {"berths": 1, "unload_rate_per_day": 2000.0,
                                       "strikes": {"mtbf_days": 15.0, "mttr_days": 2.0}}
    data["places"]["rail_head"] = {"kind": "domestic"}
    data["factories"]["far_plant"] = {"item": "drone", "place": "rail_head",
                                      "capacity_per_day": 60.0}
    data["links"]["rail"] = {"kind": "land", "from": "rail_head", "to": "home",
                             "transit_days": 2.0, "capacity_per_day": 500.0,
                             "cuts": {"mtbf_days": 25.0, "mttr_days": 3.0}}
    data["links"]["sea"] = {"kind": "sea", "from": "home", "to": "front", "fleet": "f",
                            "legs": [{"to": "front", "distance_nm": 600.0, "threat_zone": "z"}],
                            "convoy": {"min_ships": 2, "max_wait_days": 2.0, "escorts": 1}}
    data["links"]["air"] = {"kind": "air", "from": "home", "to": "front", "aircraft": 20,
                            "payload": 5.0, "sortie_days": 1.0, "loss_prob": 0.05}
    data["fleets"] = {"f": {"classes": {"c": {"count": 4, "cargo_capacity": 300.0,
                                               "speed_knots": 15.0, "availability": 0.9}},
                            "escorts": 2}}
    data["threat_zones"] = {"z": {"model": "per_convoy", "p_attack": 0.3, "escort_effect": 0.5,
                                  "mean_sunk_per_attack": 1.0, "escort_loss_prob": 0.2}}
    data["shipyards"] = {"y": {"place": "home", "fleet": "f", "ship_class": "c",
                               "ships_per_year": 20.0}}
    data["theatre"]["demand_per_day"]["shell"] = 40.0
    return data


def summary_json(data: dict, seed: int) -> str:
    return json.dumps(simulate(scenario_from_dict(data), seed=seed).summary(), sort_keys=True)


def test_same_seed_gives_identical_summary_and_series():
    data = random_scenario()
    assert summary_json(data, 5) == summary_json(data, 5)
    a = simulate(scenario_from_dict(data), seed=5)
    b = simulate(scenario_from_dict(copy.deepcopy(data)), seed=5)
    assert a.timeseries().equals(b.timeseries())
    assert a.events == b.events


def test_different_seeds_differ():
    data = random_scenario()
    runs = {summary_json(data, s) for s in range(4)}
    assert len(runs) == 4


def _events_of(res, subject: str) -> list[tuple[float, str, str]]:
    return [(e.day, e.kind, e.detail) for e in res.events if e.subject == subject]


def test_adding_an_unrelated_factory_changes_no_other_component_draws():
    base = random_scenario(horizon=200)
    more = copy.deepcopy(base)
    more["items"]["decoy"] = {"unit_cost": 1.0, "cargo_footprint": 0.5}
    more["places"]["ally"] = {"kind": "allied"}
    more["factories"]["ally_decoys"] = {"item": "decoy", "place": "ally",
                                        "capacity_per_day": 30.0, "sites": 2,
                                        "mtbf_days": 10.0, "mttr_days": 2.0}
    more["links"]["ally_road"] = {"kind": "simple", "from": "ally", "to": "front",
                                  "transit_days": 1.0, "capacity_per_day": 100.0,
                                  "loss_prob": 0.5}
    more["theatre"]["demand_per_day"]["decoy"] = 20.0
    a = simulate(scenario_from_dict(base), seed=9)
    b = simulate(scenario_from_dict(more), seed=9)
    assert _events_of(b, "ally_decoys")  # the new factory does fail, with its own stream
    for subject in ("plant", "shells", "rail", "front"):  # outages, cuts, port strikes
        assert _events_of(a, subject), subject
        assert _events_of(a, subject) == _events_of(b, subject), subject
    # ... and the whole log (ships sunk, escorts lost, stockouts) apart from the new things.
    new = {"ally_decoys", "ally_road", "decoy"}
    assert any(e.kind == "ship_sunk" for e in a.events)
    assert a.events == [e for e in b.events if e.subject not in new]
    # The link's random losses: identical per day, item by item.
    for item in ("drone", "shell"):
        ia, ib = a.items.index(item), b.items.index(item)
        np.testing.assert_array_equal(a.lost[:, ia], b.lost[:, ib])
        np.testing.assert_array_equal(a.delivered[:, ia], b.delivered[:, ib])
    assert a.lost[-1].sum() > 0
    assert a.summary()["links"] == {k: v for k, v in b.summary()["links"].items()
                                    if k != "ally_road"}
