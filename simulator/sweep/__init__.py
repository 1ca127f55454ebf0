"""Parameter sweeps: designs over scenario keys, streamed to a Parquet dataset, resumable.

The Python API behind ``arsenal sweep``::

    from simulator.sweep import plan_from_args, run_sweep
    plan = plan_from_args("scenarios/classroom_minimal.yaml",
                          ("links.supply_line.loss_prob=0:0.3:4",), "grid", None,
                          reps=10, seed=1, sets=(), days=60)
    run_sweep(plan.design, plan.model, plan.reps, plan.seed, out, executor="processes")

Rows land in ``out/runs/*.parquet``; :mod:`simulator.analysis` reads them.
"""

from simulator.sweep.design import DESIGNS, Design, make_design
from simulator.sweep.errors import SweepError
from simulator.sweep.executors import EXECUTORS
from simulator.sweep.plan import SweepPlan, build_plan, load_plan, plan_from_args
from simulator.sweep.runner import SweepSummary, run_sweep
from simulator.sweep.spec import VarySpec, parse_spec
from simulator.sweep.store import read_manifest, read_runs
from simulator.sweep.tasks import ScenarioModel, run_seed

__all__ = [
    "DESIGNS",
    "EXECUTORS",
    "Design",
    "ScenarioModel",
    "SweepError",
    "SweepPlan",
    "SweepSummary",
    "VarySpec",
    "build_plan",
    "load_plan",
    "make_design",
    "parse_spec",
    "plan_from_args",
    "read_manifest",
    "read_runs",
    "run_seed",
    "run_sweep",
]
