"""Scenario loading: ``extends:`` deep merge, ``null`` removal, ``--set`` parsing, provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from simulator.scenario import ScenarioError, load_scenario, parse_overrides

from .conftest import minimal_dict


def write(path: Path, data: dict | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False),
                    encoding="utf-8")
    return path


@pytest.fixture
def base(tmp_path: Path) -> Path:
    data = minimal_dict()
    data["factories"]["plant"].update(sites=3, mtbf_days=100.0, mttr_days=5.0, ramp_days=30.0,
                                      start_rate_per_day=20.0)
    return write(tmp_path / "base.yaml", data)


def error_lines(excinfo) -> list[str]:
    return excinfo.value.messages


# ---- extends ------------------------------------------------------------------------------

def test_child_overrides_one_key_of_a_factory_and_inherits_the_rest(base: Path):
    child = write(base.parent / "variants" / "child.yaml",
                  "extends: ../base.yaml\nfactories:\n  plant: {capacity_per_day: 250}\n")
    plant = load_scenario(child).factories["plant"]
    assert plant.capacity_per_day == 250
    assert (plant.item, plant.place, plant.sites) == ("drone", "home", 3)
    assert (plant.mtbf_days, plant.mttr_days, plant.ramp_days) == (100.0, 5.0, 30.0)
    assert load_scenario(base).factories["plant"].capacity_per_day == 100.0


def test_lists_are_replaced_not_merged(base: Path):
    write(base, {**yaml.safe_load(base.read_text()),
                 "theatre": {"place": "front", "demand_per_day": {"drone": 80.0},
                             "phases": [{"name": "a", "start_day": 0, "multiplier": 2.0},
                                        {"name": "b", "start_day": 10, "multiplier": 1.0}]}})
    child = write(base.parent / "child.yaml", "extends: base.yaml\ntheatre:\n  phases:\n"
                                              "    - {name: only, start_day: 0, multiplier: 3}\n")
    phases = load_scenario(child).theatre.phases
    assert [(p.name, p.multiplier) for p in phases] == [("only", 3.0)]


def test_null_removes_a_key(base: Path):
    child = write(base.parent / "child.yaml", """\
extends: base.yaml
factories:
  plant:
    mtbf_days: null
    mttr_days: null
  second: {item: drone, place: home, capacity_per_day: 7}
""")
    sc = load_scenario(child)
    assert sc.factories["plant"].mtbf_days is None and sc.factories["plant"].mttr_days is None
    assert sc.factories["plant"].sites == 3
    gone = write(base.parent / "gone.yaml", "extends: base.yaml\nfactories: {plant: null}\n")
    assert load_scenario(gone).factories == {}


def test_three_level_chain_merges_in_order(base: Path):
    write(base.parent / "mid.yaml", "extends: base.yaml\nhorizon_days: 90\n"
                                    "factories: {plant: {sites: 5}}\n")
    top = write(base.parent / "top.yaml", "extends: mid.yaml\nfactories: {plant: {sites: 6}}\n")
    sc = load_scenario(top)
    assert (sc.horizon_days, sc.factories["plant"].sites) == (90, 6)


def test_name_defaults_to_the_file_stem(tmp_path: Path, base: Path):
    data = minimal_dict()
    del data["name"]
    assert load_scenario(write(tmp_path / "no_name_here.yaml", data)).name == "no_name_here"
    # a variant without its own name does not borrow its base's name
    child = write(tmp_path / "variant_b.yaml", "extends: base.yaml\n")
    assert load_scenario(base).name == "mini"
    assert load_scenario(child).name == "variant_b"


# ---- --set --------------------------------------------------------------------------------

def test_set_parses_nested_keys_and_yaml_typed_values():
    got = parse_overrides([
        "factories.plant.capacity_per_day=250", "horizon_days=90", "factories.plant.sites=2",
        "description=two words", "items.drone.unit_cost=1.5e3", "flag=true", "gone=null",
        "theatre.phases=[{name: a, start_day: 0, multiplier: 2}]", "note=a=b",
    ])
    assert got == {
        "factories": {"plant": {"capacity_per_day": 250, "sites": 2}},
        "horizon_days": 90, "description": "two words",
        "items": {"drone": {"unit_cost": 1500.0}}, "flag": True, "gone": None,
        "theatre": {"phases": [{"name": "a", "start_day": 0, "multiplier": 2}]},
        "note": "a=b",
    }
    assert isinstance(got["horizon_days"], int)


def test_set_later_pairs_win():
    assert parse_overrides(["a.b=1", "a=2"]) == {"a": 2}
    assert parse_overrides(["a=2", "a.b=1"]) == {"a": {"b": 1}}


@pytest.mark.parametrize("pair", ["nonsense", "=5", "a..b=1", "a.=1", "a=[1, 2"])
def test_set_rejects_malformed_pairs(pair: str):
    with pytest.raises(ScenarioError, match=r"^--set "):
        parse_overrides([pair])


def test_set_applies_over_the_merged_file(base: Path):
    overrides = parse_overrides(["factories.plant.capacity_per_day=250",
                                 "theatre.phases=[{name: surge, start_day: 0, multiplier: 2}]",
                                 "factories.plant.mtbf_days=null",
                                 "factories.plant.mttr_days=null"])
    sc = load_scenario(base, overrides)
    plant = sc.factories["plant"]
    assert (plant.capacity_per_day, plant.sites, plant.mtbf_days) == (250, 3, None)
    assert [p.multiplier for p in sc.theatre.phases] == [2.0]


# ---- provenance: an error names the file (or --set) that set the key ----------------------

def test_error_set_in_the_base_names_the_base(base: Path):
    text = base.read_text().replace("capacity_per_day: 100.0", "capacity_per_day: -1")
    write(base, text)
    child = write(base.parent / "child.yaml", "extends: base.yaml\nhorizon_days: 90\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(child)
    (line,) = error_lines(excinfo)
    assert line.startswith("base.yaml: factories.plant.capacity_per_day: ") or \
        line.startswith(f"{base}: factories.plant.capacity_per_day: ")
    assert "child.yaml" not in line


def test_error_set_in_the_child_names_the_child(base: Path):
    child = write(base.parent / "child.yaml",
                  "extends: base.yaml\nfactories: {plant: {ramp_days: -5}}\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(child)
    (line,) = error_lines(excinfo)
    assert "child.yaml: factories.plant.ramp_days: " in line and "base.yaml" not in line


def test_missing_key_names_the_file_that_wrote_the_block(base: Path):
    child = write(base.parent / "child.yaml", "extends: base.yaml\n"
                  "factories: {extra: {item: drone, capacity_per_day: 5}}\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(child)
    (line,) = error_lines(excinfo)
    assert "child.yaml: factories.extra.place: required key is missing" in line


def test_dangling_reference_added_by_the_child_names_the_child(base: Path):
    child = write(base.parent / "child.yaml", "extends: base.yaml\n"
                  "factories: {plant: {place: atlantis}}\n")
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(child)
    assert any("child.yaml: factories.plant.place: unknown place 'atlantis'" in line
               for line in error_lines(excinfo))


def test_error_from_set_names_set(base: Path):
    with pytest.raises(ScenarioError) as excinfo:
        load_scenario(base, parse_overrides(["factories.plant.sites=0"]))
    (line,) = error_lines(excinfo)
    assert line.startswith("--set: factories.plant.sites: ")


def test_unicode_names_are_fine(tmp_path: Path):
    data = minimal_dict()
    data["items"] = {"дрон": {"unit_cost": 1.0}}
    data["factories"]["plant"]["item"] = "дрон"
    data["theatre"]["demand_per_day"] = {"дрон": 5.0}
    path = tmp_path / "unicode.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert set(load_scenario(path).items) == {"дрон"}
