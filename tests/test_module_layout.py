"""The modules split off the books, the result and the schema keep their dependencies one way.

Each split-off module is independent of the module it was split from (so it can be read,
tested and changed alone), and none hides an import under ``if TYPE_CHECKING``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_components import imports_of

SIM = Path(__file__).resolve().parents[1] / "simulator"

ALLOWED = {
    # module: the simulator modules it may import (nothing else of the package)
    "events.py": set(),
    "ledger_audit.py": set(),  # the audit reads the record it is given, not the ledger
    "result_parts.py": set(),
    "scenario/front.py": {"simulator.scenario.fields"},
}


@pytest.mark.parametrize("module", sorted(ALLOWED))
def test_split_off_modules_import_only_what_they_build_on(module):
    path = SIM / module
    inside = {m for m in imports_of(path) if m.split(".")[0] == "simulator"}
    assert inside <= ALLOWED[module], (module, inside - ALLOWED[module])
    assert "TYPE_CHECKING" not in path.read_text()


def test_old_homes_still_export_what_callers_import():
    """Code written against the old layout keeps working: the names are the same objects."""
    from simulator import events, ledger, ledger_audit, result_parts, results
    from simulator.scenario import front, schema

    assert ledger.Event is events.Event
    assert ledger.InvariantError is ledger_audit.InvariantError is results.InvariantError
    assert (ledger.ROUNDING_RTOL, ledger.ROUNDING_ATOL) == (ledger_audit.ROUNDING_RTOL,
                                                            ledger_audit.ROUNDING_ATOL)
    assert results.ResultParts is result_parts.ResultParts
    assert results.RunMeta is result_parts.RunMeta
    for name in ("FrontStrikes", "Adaptation", "Combat", "BudgetConfig"):
        assert getattr(schema, name) is getattr(front, name)
