"""Write results to disk atomically: a file appears whole under its final name or not at all.

Every writer writes to a temporary file in the target folder and renames it into place, so a
run stopped half-way (Ctrl-C, a crash, a full disk) never leaves a truncated result behind and
never damages what an earlier run wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
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


PACKAGES = ("numpy", "simpy", "scipy", "pandas", "pyarrow", "pydantic", "PyYAML", "matplotlib",
            "click")
"""Packages whose versions a manifest records (those that can change a number or a file)."""


def package_versions() -> dict[str, str | None]:
    """Installed version of each of :data:`PACKAGES` (``None`` when not installed)."""
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit() -> str | None:
    """The commit of the source tree Arsenal runs from (``+dirty`` if changed).

    ``None`` when it is not a git checkout (an installed wheel) or git is missing.
    """
    source = Path(simulator.__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(source), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True,
                               timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{head}+dirty" if dirty else head


def manifest(seed: int | None, **extra: Any) -> dict[str, Any]:
    """What produced a result: version, git commit, seed, command line, Python, packages."""
    return {"arsenal_version": simulator.__version__, "git_commit": git_commit(), "seed": seed,
            "command": " ".join(["arsenal", *sys.argv[1:]]),
            "python": sys.version.split()[0], "packages": package_versions(), **extra}


def write_table(path: Path, frame: pd.DataFrame) -> list[Path]:
    """Write ``frame`` as CSV at ``path`` and as Parquet beside it; return both paths.

    The CSV keeps every float at full precision (shortest repr that reads back to the same
    double), so a researcher can check the books from the file; Parquet stores the doubles
    themselves, with column types.
    """
    parquet = path.with_suffix(".parquet")
    atomic_write(path, lambda h: frame.to_csv(h, index=False))

    def dump(handle: IO) -> None:
        frame.to_parquet(handle, index=False, engine="pyarrow")
    _atomic(parquet, "wb", dump)
    return [path, parquet]


def write_scenario(path: Path, scenario: Scenario) -> None:
    """The fully resolved scenario (after ``extends:`` and ``--set``), as YAML.

    Only the keys the files set are written (defaults stay implicit), so the file loads again
    as a scenario: keys that do not apply to a chosen model are errors when present.
    """
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True)
    atomic_write(path, lambda h: yaml.safe_dump(data, h, sort_keys=False))


def write_run(out: Path, result: RunResult, scenario: Scenario) -> list[Path]:
    """Write one replication's files into ``out``; return their paths."""
    written = [out / "summary.json"]
    write_json(written[0], result.summary())
    written += write_table(out / "timeseries.csv", result.timeseries())
    written += write_table(out / "events.csv", result.events_frame())
    if result.fleet_size:
        written += write_table(out / "fleet.csv", result.fleet_frame())
    write_scenario(out / "scenario.resolved.yaml", scenario)
    write_json(out / "manifest.json", manifest(result.seed, days=result.days,
                                               scenario=scenario.name))
    return [*written, out / "scenario.resolved.yaml", out / "manifest.json"]
