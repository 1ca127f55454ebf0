"""Every number in a bundled scenario says where it comes from.

A number is *sourced* when a comment that applies to it cites a row of ``docs/sources.md``
(``S12``) or says ``ASSUMPTION``. A comment applies to the line it ends, and a comment block
(comment-only lines) applies to the key right below it *and everything nested under that key*:
a block above ``fleets:`` covers every fleet, one above ``lmsr:`` only that class. So one
comment may cover a group of numbers that share a source, but the opening comment of a file
(which sits above ``name:``) covers nothing else, and a number set far from any comment fails.
The scanner reads lines, so it is checked against the YAML parser: it must find exactly as many
numbers as the file has numeric leaves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "sources.md"
BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml"))

CITATION = re.compile(r"\bS(\d+)\b")
SOURCED = re.compile(r"\bS\d+\b|\bASSUMPTION\b")
# A numeric YAML value after a key, in block or flow style: `key: 12`, `{a: 1.5e8, b: -3}`.
NUMBER = re.compile(r"(?:^|[{,\s-])[\w.]+:\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)"
                    r"\s*(?=[,}\]]|$)")
LIST_NUMBER = re.compile(r"^\s*-\s*([-+]?\d[\d.eE+-]*)\s*$")


def source_rows() -> set[int]:
    """Row ids defined in docs/sources.md (the first cell of a table row)."""
    return {int(m) for m in re.findall(r"^\|\s*S(\d+)\s*\|", SOURCES.read_text(), re.M)}


def split_comment(line: str) -> tuple[str, str]:
    """``(code, comment)`` of one YAML line; a ``#`` inside quotes is not a comment."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i], line[i + 1:]
    return line, ""


def unquoted(code: str) -> str:
    return re.sub(r"\"[^\"]*\"|'[^']*'", '""', code)


def numbers_with_coverage(text: str) -> list[tuple[int, str, bool]]:
    """``(line number, value, sourced?)`` for every numeric value in a scenario file."""
    lines = text.splitlines()
    out, stack = [], []  # stack of (indent, sourced) for the enclosing keys
    block: list[str] = []  # the comment-only lines just above the current line
    for n, line in enumerate(lines, start=1):
        code, comment = split_comment(line)
        if not code.strip():
            block = [*block, comment] if comment else []
            continue
        indent = len(code) - len(code.lstrip(" -"))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        own = bool(SOURCED.search(comment)) or any(SOURCED.search(c) for c in block)
        inherited = any(s for _, s in stack)
        stack.append((indent, own))
        block = []
        code = unquoted(code)
        values = NUMBER.findall(code) + LIST_NUMBER.findall(code)
        out.extend((n, v, own or inherited) for v in values)
    return out


NUMERIC_STRING = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+")


def numeric_leaves(node) -> int:
    """How many numbers the parsed YAML holds (booleans are not numbers).

    PyYAML reads ``3.0e8`` (no exponent sign) as a string; the scenario loader reads it as a
    number, so it counts as one here too.
    """
    if isinstance(node, dict):
        return sum(numeric_leaves(v) for v in node.values())
    if isinstance(node, list):
        return sum(numeric_leaves(v) for v in node)
    if isinstance(node, str):
        return int(bool(NUMERIC_STRING.fullmatch(node)))
    return int(isinstance(node, int | float) and not isinstance(node, bool))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_number_in_a_bundled_scenario_is_sourced(path):
    text = path.read_text()
    found = numbers_with_coverage(text)
    assert len(found) == numeric_leaves(yaml.safe_load(text)), "scanner missed a number"
    bare = [f"{path.name}:{n}: {v}" for n, v, ok in found if not ok]
    assert not bare, "numbers with no S<n> row or ASSUMPTION comment:\n" + "\n".join(bare)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_cited_row_exists_and_nothing_cites_outside_the_repository(path):
    text = path.read_text()
    rows = source_rows()
    cited = {int(m) for _, c in map(split_comment, text.splitlines())
             for m in CITATION.findall(c)}
    assert cited, f"{path.name} cites no row of docs/sources.md"
    assert cited <= rows, f"{path.name} cites rows missing from docs/sources.md: {cited - rows}"
    assert "shared/" not in text and "CALIBRATION" not in text and "CAL " not in text


def test_the_scanner_sees_what_a_reader_sees():
    """A comment covers its own line and, as a block, the key below with everything under it."""
    text = "\n".join([
        "# S1 the header covers name only",
        "name: x",
        "a: 1",
        "# ASSUMPTION: b and all below it",
        "b:",
        "  c: 2",
        "  d: {e: 3, f: 4.5e8}",
        "g:",
        "  h: 5   # S2",
        "  i: 6",
        "  j: 'not # a comment 7'",
        "  - 8",
    ])
    assert [(v, ok) for _, v, ok in numbers_with_coverage(text)] == [
        ("1", False), ("2", True), ("3", True), ("4.5e8", True), ("5", True), ("6", False),
        ("8", False)]


def test_source_rows_are_numbered_without_duplicates():
    ids = re.findall(r"^\|\s*S(\d+)\s*\|", SOURCES.read_text(), re.M)
    assert len(ids) == len(set(ids)) and set(map(int, ids)) == set(range(1, len(ids) + 1))
