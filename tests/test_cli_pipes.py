"""``arsenal ... | head``: a reader that closes early stops the command quietly.

Each command runs in a subprocess whose stdout is a pipe the test closes before (or while)
the command writes to it. The command must end with exit 0 (everything fitted in the pipe)
or 141 (128 + SIGPIPE, as a C program stopped by ``head`` would), print no traceback and no
"unexpected ... bug" line, and leave no crash log; a result being written is still complete.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SCENARIOS

SCENARIO = str(SCENARIOS / "classroom_minimal.yaml")


def _closed_early(args: list[str], tmp_path: Path, read_lines: int) -> tuple[int, str]:
    """Run ``arsenal ARGS`` into a pipe; read ``read_lines`` lines, then close the pipe."""
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # where a crash log would go
    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", *args], cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    for _ in range(read_lines):
        proc.stdout.readline()
    proc.stdout.close()  # `head` has what it wanted and goes away
    err = proc.stderr.read().decode()
    proc.stderr.close()
    return proc.wait(timeout=120), err


@pytest.mark.parametrize(("args", "read_lines"), [
    (["run", SCENARIO, "--narrate"], 2),
    (["run", SCENARIO, "--until", "30", "--narrate", "--out", "paused"], 1),
    (["run", SCENARIO, "--days", "20", "--out", "one"], 0),
])
def test_a_reader_that_closes_early_ends_the_command_quietly(tmp_path: Path, args, read_lines):
    rc, err = _closed_early(args, tmp_path, read_lines)
    assert rc in (0, 141), err
    assert "Traceback" not in err and "unexpected" not in err and "Exception" not in err, err
    assert not list(tmp_path.glob("arsenal-crash-*")), "a closed pipe is not a bug"
    for folder in ("one", "paused"):
        if folder in args:  # the result was in place before anything was printed
            assert (tmp_path / folder / "manifest.json").is_file()


def test_the_narration_is_long_enough_to_hit_the_closed_pipe(tmp_path: Path):
    """The cases above prove something only if the command really writes after the close."""
    rc, err = _closed_early(["run", SCENARIO, "--narrate"], tmp_path, 0)
    assert rc == 141, (rc, err)
    assert err == ""
