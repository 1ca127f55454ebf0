"""The scenarios bundled with Arsenal, found next to the package (source checkout layout)."""

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
