"""Write results to disk atomically: a file appears whole under its final name or not at all.

Every writer writes to a temporary file in the target folder and renames it into place, so a
run stopped half-way (Ctrl-C, a crash, a full disk) never leaves a truncated result behind and
never damages what an earlier run wrote.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import numpy as np
import yaml

import simulator
from simulator.results import RunResult
from simulator.scenario import Scenario


def _file_mode() -> int:
    """Permissions an ordinary ``open()`` would give a new file (0666 less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _atomic(path: Path, mode: str, write: Callable[[IO], Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _file_mode())  # mkstemp makes 0600 files; results are meant to be shared
        text = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **text) as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write(path: Path, write: Callable[[IO[str]], Any]) -> None:
    """Call ``write(handle)`` on a temporary file and rename it to ``path`` when complete."""
    _atomic(path, "w", write)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` (an image, say) to ``path`` the same all-or-nothing way."""
    _atomic(path, "wb", lambda handle: handle.write(data))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _clean(obj: Any) -> Any:
    """Replace NaN with None so the JSON is standard (no bare NaN tokens)."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and obj != obj:
        return None
    return obj


def dumps_json(data: Any) -> str:
    """Standard JSON (NaN as null), indented."""
    return json.dumps(_clean(data), indent=2, default=_json_default, allow_nan=False)


def write_json(path: Path, data: Any) -> None:
    """Atomically write ``data`` as JSON."""
    atomic_write(path, lambda h: h.write(dumps_json(data) + "\n"))


def manifest(seed: int | None, **extra: Any) -> dict[str, Any]:
    """What produced a result: version, seed, command line, Python."""
    return {"arsenal_version": simulator.__version__, "seed": seed,
            "command": " ".join(["arsenal", *sys.argv[1:]]),
            "python": sys.version.split()[0], **extra}


def write_scenario(path: Path, scenario: Scenario) -> None:
    """The fully resolved scenario (after ``extends:`` and ``--set``), as YAML.

    Only the keys the files set are written (defaults stay implicit), so the file loads again
    as a scenario: keys that do not apply to a chosen model are errors when present.
    """
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    atomic_write(path, lambda h: yaml.safe_dump(data, h, sort_keys=False))


def write_run(out: Path, result: RunResult, scenario: Scenario) -> list[Path]:
    """Write one replication's files into ``out``; return their paths."""
    files = {
        "summary.json": lambda p: write_json(p, result.summary()),
        "timeseries.csv": lambda p: atomic_write(
            p, lambda h: result.timeseries().to_csv(h, index=False, float_format="%.6g")),
        "events.csv": lambda p: atomic_write(
            p, lambda h: result.events_frame().to_csv(h, index=False, float_format="%.6g")),
        "scenario.resolved.yaml": lambda p: write_scenario(p, scenario),
        "manifest.json": lambda p: write_json(p, manifest(result.seed, days=result.days,
                                                          scenario=scenario.name)),
    }
    if result.fleet_size:
        files["fleet.csv"] = lambda p: atomic_write(
            p, lambda h: result.fleet_frame().to_csv(h, index=False))
    written = []
    for name, write in files.items():
        write(out / name)
        written.append(out / name)
    return written
