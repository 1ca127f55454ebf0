"""Arsenal: a discrete-event simulator of attritional war production and logistics.

Data flows one way: scenario file -> validated :class:`~simulator.scenario.Scenario` ->
SimPy world (:mod:`simulator.model`) -> one replication's :class:`~simulator.results.RunResult`
-> experiments, tables, figures and reports.
"""

__version__ = "0.1.0"
