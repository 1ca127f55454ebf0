"""Scenario files: typed schema, YAML loading with ``extends:`` and overrides, clear errors.

This package knows nothing of SimPy: it turns user input into a validated :class:`Scenario`
or a :class:`ScenarioError` whose message names the file, the key path and what was expected.
"""

from simulator.scenario.advice import scenario_warnings
from simulator.scenario.errors import ScenarioError
from simulator.scenario.loading import (
           absent_paths,
           load_scenario,
           parse_overrides,
           scenario_from_dict,
)
from simulator.scenario.schema import Scenario

__all__ = ["Scenario", "ScenarioError", "absent_paths", "load_scenario", "parse_overrides",
           "scenario_from_dict", "scenario_warnings"]
