"""Result folders are all-or-nothing: killed runs, concurrent writers, --force, unwritable --out.

The kill tests run ``arsenal`` in a subprocess with a small hook that signals the process at a
chosen moment (inside the simulation, after the k-th file is written, at the rename into place,
or at a random time), then check that the output folder is either the complete new result or
the untouched old one, never a mixture.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.folders import ResultFolder, safe_name

from .conftest import SCENARIOS

SCENARIO = SCENARIOS / "classroom_minimal.yaml"
FILES = {"summary.json", "timeseries.csv", "events.csv", "timeseries.parquet", "events.parquet",
         "scenario.resolved.yaml", "manifest.json"}

HOOK = textwrap.dedent("""
    import os, random, signal, sys, threading, time
    import simulator.cli as cli, simulator.folders as folders, simulator.output as output
    mode, sig, k = os.environ["HOOK_MODE"], getattr(signal, os.environ["HOOK_SIG"]), \\
        int(os.environ.get("HOOK_K", "1"))
    kill = lambda: os.kill(os.getpid(), sig)
    if mode == "sim":
        real_sim = cli.simulate
        def sim(*a):
            kill()
            time.sleep(0.5)  # SIGINT: Python raises KeyboardInterrupt at the next bytecode
            return real_sim(*a)
        cli.simulate = sim
    elif mode == "write":
        real_atomic, n = output._atomic, [0]
        def atomic(*a):
            real_atomic(*a)
            n[0] += 1
            if n[0] == k:
                kill()
                time.sleep(0.5)
        output._atomic = atomic
    elif mode == "commit":
        real_swap = folders._renameat2_exchange
        def swap(a, b):
            kill()
            return real_swap(a, b)
        folders._renameat2_exchange = swap
    elif mode == "timer":
        timer = threading.Timer(float(os.environ["HOOK_DELAY"]), kill)
        timer.daemon = True
        timer.start()
    cli.main(sys.argv[1:])
""")


def arsenal(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", HOOK, *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **env})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def check_old_or_new(out: Path, old: dict[str, bytes], new_seed: int) -> str:
    now = snapshot(out)
    if now == old:
        return "old"
    assert set(now) == FILES, sorted(now)  # a complete folder, nothing of the old run
    assert json.loads(now["manifest.json"])["seed"] == new_seed
    assert json.loads(now["summary.json"])["seed"] == new_seed
    return "new"


@pytest.fixture(scope="module")
def old_result(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("old")
    res = CliRunner().invoke(main, ["run", str(SCENARIO), "--days", "30", "--seed", "1",
                                    "--out", str(root / "out")])
    assert res.exit_code == 0, res.output
    return root / "out", snapshot(root / "out")


def _copy(old: dict[str, bytes], to: Path) -> None:
    to.mkdir()
    for name, data in old.items():
        (to / name).write_bytes(data)


rng = random.Random(11)
CASES = [("SIGINT", "sim", 1), ("SIGKILL", "sim", 1), ("SIGINT", "write", rng.randint(1, 5)),
         ("SIGKILL", "write", rng.randint(1, 5)), ("SIGKILL", "commit", 1)]
CASES += [(sig, "timer", rng.uniform(0.0, 0.6)) for sig in ("SIGINT", "SIGKILL")]


@pytest.mark.parametrize(("sig", "mode", "k"), CASES)
def test_a_killed_run_leaves_the_complete_new_folder_or_the_untouched_old_one(
        tmp_path: Path, old_result, sig: str, mode: str, k: float):
    _, old = old_result
    out = tmp_path / "out"
    _copy(old, out)
    args = ["run", str(SCENARIO), "--days", "30", "--seed", "2", "--out", str(out), "--force"]
    env = {"HOOK_MODE": mode, "HOOK_SIG": sig, "HOOK_K": str(int(k)), "HOOK_DELAY": str(k)}
    res = arsenal(args, tmp_path, **env)
    state = check_old_or_new(out, old, 2)
    assert "Traceback" not in res.stderr, res.stderr
    if sig == "SIGINT":
        assert res.returncode in (0, 130), res.stderr  # a timer may fire after the run ended
        if res.returncode == 130:
            assert "interrupted" in res.stderr
        # Ctrl-C cleans up after itself: no partial folder, no lock
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    else:
        assert res.returncode in (0, -signal.SIGKILL)
    if mode in ("sim", "write"):
        assert state == "old"
    # The next run takes over whatever a killed one left behind.
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert check_old_or_new(out, old, 2) == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_second_writer_of_the_same_folder_is_refused(tmp_path: Path):
    out = tmp_path / "out"
    with ResultFolder(out):  # another run holds the folder (a real flock)
        res = CliRunner().invoke(main, ["run", str(SCENARIO), "--days", "5", "--out", str(out)])
        assert res.exit_code == 2
        assert "another arsenal run is writing" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(main, ["run", str(SCENARIO), "--days", "5", "--out", str(out)])
    assert res.exit_code == 0, res.output


def test_two_concurrent_runs_one_writes_the_other_is_refused_or_follows(tmp_path: Path):
    out = tmp_path / "out"
    args = [sys.executable, "-m", "simulator.cli", "run", str(SCENARIO), "--days", "120",
            "--out", str(out), "--force"]
    procs = [subprocess.Popen([*args, "--seed", str(s)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for s in (1, 2)]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert all(rc in (0, 2) for rc, _ in results), results
    for rc, err in results:
        if rc == 2:
            assert "another arsenal run is writing" in err
    assert set(snapshot(out)) == FILES
    assert json.loads((out / "manifest.json").read_text())["seed"] in (1, 2)


def _no_simulation(monkeypatch) -> None:
    def boom(*_a, **_k):
        raise AssertionError("simulated before checking the output folder")
    monkeypatch.setattr("simulator.cli.simulate", boom)
    monkeypatch.setattr("simulator.experiment.runner.run_chunk", boom)


@pytest.mark.parametrize("command", [["run"], ["run", "--reps", "2", "--workers", "1"]])
def test_an_unwritable_out_is_refused_before_simulating(tmp_path: Path, monkeypatch, command):
    _no_simulation(monkeypatch)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        res = CliRunner().invoke(main, [*command[:1], str(SCENARIO), *command[1:],
                                        "--out", str(out)])
        assert res.exit_code == 2, res.output
        assert str(blocker) in res.output and "Traceback" not in res.output


def test_force_never_replaces_a_folder_that_is_not_a_result(tmp_path: Path, monkeypatch):
    _no_simulation(monkeypatch)
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    res = CliRunner().invoke(main, ["run", str(SCENARIO), "--out", str(precious), "--force"])
    assert res.exit_code == 2 and "no manifest.json" in res.output
    assert (precious / "chapter1.tex").read_text() == "years of work"


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/absolute_escape", "..", "a/../../b",
                                  ".hidden", "x\\..\\y"])
def test_a_scenario_name_never_writes_outside_the_output_folder(tmp_path: Path, monkeypatch,
                                                                 name: str):
    work = tmp_path / "deep" / "work"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    scenario = work / "s.yaml"
    scenario.write_text(f"extends: {SCENARIO}\nname: {json.dumps(name)}\n")
    before = set(tmp_path.rglob("*"))
    res = CliRunner().invoke(main, ["run", str(scenario), "--days", "5"])
    assert res.exit_code == 0, res.output
    if name == "../../escaped":  # compare names its files after both scenarios too
        res = CliRunner().invoke(main, ["compare", str(scenario), str(SCENARIO), "--reps", "2",
                                        "--days", "5", "--workers", "1"])
        assert res.exit_code == 0, res.output
    made = set(tmp_path.rglob("*")) - before
    assert made and all(p == work / "results" or (work / "results") in p.parents
                        for p in made), sorted(map(str, made))
    results = sorted(p.name for p in (work / "results").iterdir())
    assert all(not n.startswith(".") and "/" not in n for n in results), results
    assert not Path("/tmp/absolute_escape-seed0").exists()
    assert safe_name(name) in " ".join(results)


def test_ctrl_c_stops_a_large_compare_fast_and_kills_its_workers(tmp_path: Path):
    args = [sys.executable, "-m", "simulator.cli", "compare", str(SCENARIOS /
            "indo_pacific_domestic.yaml"), str(SCENARIOS / "indo_pacific_allied.yaml"),
            "--reps", "2000", "--workers", "2", "--out", str(tmp_path / "out")]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = _wait_for_children(proc, 2)
    start = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    stopped = time.monotonic() - start
    assert proc.returncode == 130, err
    assert stopped < 2.5, stopped
    assert "Traceback" not in err and "interrupted" in err
    assert _all_gone(workers)
    assert list(tmp_path.iterdir()) == []


def test_workers_die_with_their_parent(tmp_path: Path):
    args = [sys.executable, "-m", "simulator.cli", "compare", str(SCENARIOS /
            "indo_pacific_domestic.yaml"), str(SCENARIOS / "indo_pacific_allied.yaml"),
            "--reps", "2000", "--workers", "2", "--out", str(tmp_path / "out")]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = _wait_for_children(proc, 2)
    proc.kill()
    proc.wait()
    assert _all_gone(workers)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _wait_for_children(proc: subprocess.Popen, n: int) -> list[int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kids = _children(proc.pid)
        if len(kids) >= n:
            time.sleep(0.3)  # let them start their first chunks
            return kids
        time.sleep(0.05)
    proc.kill()
    pytest.fail("the pool never started")


def _all_gone(pids: list[int], within: float = 3.0) -> bool:
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(_alive(p) for p in pids)


def _alive(pid: int) -> bool:
    """Running (a zombie awaiting its reaper counts as dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status
