"""Experiments: replications from one root seed, paired comparisons, confidence intervals.

The Python API that the CLI and notebooks share::

    from simulator.experiment import simulate, replicate, compare
    reps = replicate(scenario, reps=100, seed=1)        # reps.kpis, reps.summary()
    cmp = compare(domestic, allied, reps=100, seed=1)  # cmp.table, cmp.headline()
"""

from simulator.experiment.comparison import (
    Comparison,
    ComparisonError,
    check_comparable,
    compare,
    paired_table,
)
from simulator.experiment.digest import child_seed
from simulator.experiment.replications import Replications
from simulator.experiment.runner import default_workers, replicate
from simulator.experiment.stats import (
    Interval,
    paired_interval,
    replications_needed,
    t_interval,
    welch_interval,
)
from simulator.model import simulate

__all__ = [
    "Comparison",
    "ComparisonError",
    "Interval",
    "Replications",
    "check_comparable",
    "child_seed",
    "compare",
    "default_workers",
    "paired_interval",
    "paired_table",
    "replicate",
    "replications_needed",
    "simulate",
    "t_interval",
    "welch_interval",
]
