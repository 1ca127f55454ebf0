"""Every bad scenario gives one clear message (file, key path, expectation), exit 2, no traceback.

Each file in ``tests/bad_inputs/`` is a small realistic scenario with exactly one defect. Its
first lines say what the message must contain:

    # expect: <fragment>        (one or more)
    # key: <key path, or "line"/"(top level)" for file-level problems>
    # file: <file the message must name, when not this one (errors inside an extends: base)>
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import main
from simulator.scenario import ScenarioError, load_scenario, scenario_from_dict

from .conftest import minimal_dict

BAD = Path(__file__).resolve().parent / "bad_inputs"
FILES = sorted(BAD.glob("*.yaml"))


def header(path: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"expect": [], "key": [], "file": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("# "):
            break
        tag, sep, value = line[2:].partition(": ")
        if sep and tag in out:
            out[tag].append(value)
    return out


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def check_message(result, path: Path) -> None:
    """Exit 2, no traceback, and one ``error:`` line naming file, key path and expectation."""
    head = header(path)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    err = result.stderr
    assert err.strip(), "no message on stderr"
    assert all(line.startswith("error: ") for line in err.splitlines()), err
    file_name = head["file"][0] if head["file"] else path.name
    key = head["key"][0]
    for fragment in head["expect"]:
        lines = [line for line in err.splitlines() if fragment in line]
        assert lines, f"{fragment!r} not in:\n{err}"
        assert any(file_name in line and key in line for line in lines), (file_name, key, err)


def test_there_are_enough_bad_files_and_each_says_what_it_expects():
    assert len(FILES) >= 24
    for path in FILES:
        head = header(path)
        assert head["expect"] and len(head["key"]) == 1, f"{path.name}: header incomplete"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_validate_rejects_bad_file(path: Path):
    check_message(invoke("validate", str(path)), path)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_run_rejects_bad_file_and_writes_nothing(path: Path, tmp_path: Path):
    out = tmp_path / "out"
    check_message(invoke("run", str(path), "--out", str(out)), path)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_api_raises_only_scenario_error(path: Path):
    with pytest.raises(ScenarioError):
        load_scenario(path)


def test_error_in_extended_base_names_the_base_not_the_child():
    result = invoke("validate", str(BAD / "child_of_bad_base.yaml"))
    assert result.exit_code == 2
    assert "base_negative_ramp.yaml: factories.us_drones.ramp_days" in result.stderr
    assert "child_of_bad_base" not in result.stderr


def test_missing_file(tmp_path: Path):
    path = tmp_path / "no_such_scenario.yaml"
    for args in (["validate", str(path)], ["run", str(path), "--out", str(tmp_path / "o")]):
        result = invoke(*args)
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "no_such_scenario.yaml: file not found" in result.stderr
    assert not (tmp_path / "o").exists()


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "blank.yaml"
    path.write_bytes(b"")
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "blank.yaml: (top level): the file is empty" in result.stderr


def test_validate_reports_each_file_and_fails_if_any_fails(tmp_path: Path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(minimal_dict()))
    bad = BAD / "negative_speed.yaml"
    result = invoke("validate", str(good), str(bad))
    assert result.exit_code == 2
    assert f"{good}: ok" in result.stdout
    assert "negative_speed.yaml: fleets.surge_fleet.classes.lmsr.speed_knots" in result.stderr


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(minimal_dict()))
    return path


@pytest.mark.parametrize(("sets", "expected"), [
    (["nonsense"], "--set nonsense: expected KEY.PATH=VALUE"),
    (["factories..capacity_per_day=5"], "expected KEY.PATH=VALUE"),
    (["factories.plant.capacity_per_day=-1"],
     "--set: factories.plant.capacity_per_day: input should be greater than 0 (got -1)"),
    (["factories.plant.capacity_per_day=[1,"], "not valid YAML"),
    (["factories.plant.capacity_per_dya=5"], "--set: factories.plant.capacity_per_dya: "
                                             "unknown key; did you mean 'capacity_per_day'?"),
    (["factories.plnt.capacity_per_day=5"], "--set: factories.plnt: no such entry in the "
                                            "scenario, so --set creates a new one; did you "
                                            "mean 'plant'?"),
    (["theatre.place=!!python/object/apply:os.system [ls]"], "YAML tag not allowed"),
])
def test_bad_set_is_a_clear_error(good_file: Path, tmp_path: Path, sets, expected):
    out = tmp_path / "out"
    args = ["run", str(good_file), "--out", str(out)]
    for s in sets:
        args += ["--set", s]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert expected in result.stderr
    assert not out.exists()


# ---- fuzzing: whatever a user writes, load_scenario raises ScenarioError or succeeds --------

def _valid_sealift_dict() -> dict:
    """The bad files' template, repaired: a full scenario with land and sea links."""
    data = yaml.safe_load((BAD / "zero_capacity.yaml").read_text(encoding="utf-8"))
    data["links"]["us_rail"]["capacity_per_day"] = 4000
    return data


TEMPLATES = [minimal_dict(), _valid_sealift_dict()]


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


junk = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**20), st.floats(),
    st.text(max_size=6), st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(-3, 3), max_size=2),
    st.sampled_from(["drone", "home", "front", "theatre_depot", "guam", "sea", "per_convoy"]),
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(template=st.sampled_from(TEMPLATES), data=st.data())
def test_any_mutation_gives_scenario_error_or_a_scenario(template, data):
    scenario = copy.deepcopy(template)
    paths = [p for p in _paths(scenario) if p]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = scenario
        try:
            for k in path[:-1]:
                parent = parent[k]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                value = parent.pop(path[-1])
                if data.draw(st.booleans()):  # rename the key instead of deleting it
                    parent[data.draw(st.one_of(st.text(max_size=8), st.integers()))] = value
            else:
                parent[path[-1]] = data.draw(junk)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    try:
        scenario_from_dict(scenario, source="fuzz.yaml")
    except ScenarioError as exc:
        assert exc.messages
        for line in exc.messages:
            assert line.startswith("fuzz.yaml: ") and "\n" not in line, line
