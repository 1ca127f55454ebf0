"""The scenarios bundled with Arsenal, found next to the package (source checkout layout).

A bundled scenario can be named by its stem (``classroom_minimal``) from any working folder.
"""

from __future__ import annotations

from pathlib import Path

import yaml

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


def bundled_scenarios(folder: Path = SCENARIO_DIR) -> list[tuple[str, str]]:
    """``(relative path, one-line description)`` for each bundled scenario file."""
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError:
            data = {}
        description = str(data.get("description", "")).strip().splitlines()
        rel = path.relative_to(folder.parent) if folder.parent in path.parents else path
        out.append((str(rel), description[0] if description else ""))
    return out


def resolve_scenario(arg: str | Path, folder: Path = SCENARIO_DIR) -> Path:
    """A scenario argument as a path: the file itself, or a bundled scenario named by its stem.

    ``arsenal run classroom_minimal`` works from any folder; an existing file of that name in
    the working folder wins, so a user's own file is never shadowed.

    >>> resolve_scenario("classroom_minimal").name
    'classroom_minimal.yaml'
    """
    path = Path(arg)
    if path.exists() or path.suffix or len(path.parts) != 1:
        return path
    bundled = folder / f"{path.name}.yaml"
    return bundled if bundled.is_file() else path
