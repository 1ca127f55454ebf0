"""The SimPy world: one module per kind of real-world process, wired by :mod:`.world`.

Processes wake only when something happens to them (a ramp ends, a site fails, a ship loads,
a convoy reaches a threat zone); per-day bookkeeping lives in one recorder over NumPy arrays.
This package never imports experiments, plots, reports or the CLI.
"""

from simulator.model.world import World, simulate

__all__ = ["World", "simulate"]
