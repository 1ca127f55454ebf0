from simulator.model import simulate
from simulator.scenario import load_scenario, scenario_from_dict

from .conftest import SCENARIOS, minimal_dict


def test_minimal_scenario_balances_and_delivers():
    result = simulate(scenario_from_dict(minimal_dict()), seed=1)
    k = result.kpis["drone"]
    # 100/day produced from day 0, 3 days in transit, 80/day demanded: only the first 3 days short.
    assert k["produced"] == 100.0 * 60
    assert k["shortfall_days"] == 3
    assert k["delivered"] == 80.0 * 57


def test_bundled_scenarios_run():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        sc = load_scenario(path, {"horizon_days": 120})
        simulate(sc, seed=0).check_invariant()
