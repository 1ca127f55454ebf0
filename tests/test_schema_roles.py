"""No dead keys: every scenario key is read by the model, or declared a label or reserved."""

from __future__ import annotations

import ast

import pytest

from simulator.scenario import ScenarioError
from simulator.scenario.roles import require_model_keys, role_of, walk

from .conftest import ROOT

READERS = [*(ROOT / "simulator" / "model").rglob("*.py"), ROOT / "simulator" / "results.py",
           ROOT / "simulator" / "scenario" / "references.py"]
"""Where the model reads its configuration (references.py computes sea routes for yards)."""


def names_read() -> set[str]:
    """Attribute names loaded, and string constants (``getattr(sc, section)``), in READERS."""
    out: set[str] = set()
    for path in READERS:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                out.add(node.attr)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def test_every_key_is_read_by_the_model_or_declared_a_label():
    read = names_read()
    dead = [path for path, attr, role in walk() if role == "model" and attr not in read]
    assert not dead, f"keys neither read by the model nor declared label/reserved: {dead}"


def test_labels_are_not_read_by_the_model_as_values():
    """A label the model starts reading must become a model key (roles stay honest)."""
    labels = {attr for _, attr, role in walk() if role == "label"}
    assert {"owner", "description"} <= labels
    read = names_read()
    assert "owner" not in read and "description" not in read


def test_roles_by_path():
    assert role_of("items.drone.signature") == "model"   # read by the strike campaign (depots)
    assert role_of("fleets.us.owner") == "label"
    assert role_of("theatre.phases[2].name") == "label"
    assert role_of("places.japan.country") == "model"
    assert role_of("links.rail.cuts.mtbf_days") == "model"
    assert role_of("links.rail.nonsense") is None


def test_a_label_used_where_a_model_value_is_expected_is_one_clear_error():
    with pytest.raises(ScenarioError) as err:
        require_model_keys(["fleets.us.owner", "threat_zones.z.p_attack",
                            "suppliers.cn.country"])
    assert err.value.messages == [
        "fleets.us.owner: is a label (it names or describes, and changes no number); it cannot "
        "be varied: choose a key the model reads",
        "suppliers.cn.country: is a label (it names or describes, and changes no number); it "
        "cannot be varied: choose a key the model reads"]
